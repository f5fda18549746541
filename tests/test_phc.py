"""PHCpack's path tracking through :mod:`pipeline.engines.phc`: end points, their order, budgets."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pipeline.engines.phc import parse_solutions, phc_binary, phc_system, track_parameter_homotopy
from pipeline.errors import BackendError, BudgetExceeded

try:
    phc_binary()
except BackendError:
    pytest.skip("phc not found: apt-get install phcpack (or set PHC=/path/to/phc)", allow_module_level=True)


def circle_line(p1, p2) -> list[str]:
    """``x^2 + y^2 = p1``, ``x - y = p2``: affine in the parameters ``(p1, p2)``."""
    return [f"x^2 + y^2 - ({complex(p1)})", f"x - y - ({complex(p2)})"]


def circle_line_solutions(p1, p2) -> np.ndarray:
    """The two solutions in closed form: ``y = (-p2 +- sqrt(2 p1 - p2^2)) / 2``, ``x = y + p2``."""
    root = np.sqrt(complex(2 * p1 - p2 ** 2))
    y = np.array([(-p2 + root) / 2, (-p2 - root) / 2], dtype=complex)
    return np.stack([y + p2, y], axis=1)


def test_circle_and_line_end_points_are_the_closed_form_solutions():
    p1, p2 = 0.3 - 1.7j, 1.1 + 0.4j
    start = np.array([[1, 1], [-1, -1]], dtype=complex)  # p0 = (2, 0)
    result = track_parameter_homotopy(circle_line(2, 0), circle_line(p1, p2), ["x", "y"], start, timeout=60)
    x, y = result["solutions"].T
    assert result["status"] == ["regular", "regular"]
    assert np.abs(x ** 2 + y ** 2 - p1).max() < 1e-8 and np.abs(x - y - p2).max() < 1e-8
    expected = circle_line_solutions(p1, p2)
    distances = np.abs(result["solutions"][:, None, :] - expected[None, :, :]).max(axis=2)
    assert sorted(distances.argmin(axis=1)) == [0, 1] and distances.min(axis=1).max() < 1e-8
    assert result["residual"].max() < 1e-8 and result["rco"].min() > 1e-3 and result["seconds"] > 0


@pytest.mark.parametrize("options", [{}, {"precision": 2}, {"tasks": 2}], ids=["double", "double-double", "2-tasks"])
def test_end_points_come_in_the_order_of_the_start_points(options):
    """A small step in the parameters moves each start point a little: the i-th end point is near the i-th start."""
    p1, p2 = 2 + 0.01j, 0.01
    start = circle_line_solutions(2, 0)[::-1]
    result = track_parameter_homotopy(circle_line(2, 0), circle_line(p1, p2), ["x", "y"], start, timeout=60,
                                      gamma=np.exp(0.4j), **options)
    assert np.abs(result["solutions"] - start).max() < 0.1
    expected = circle_line_solutions(p1, p2)
    for point in result["solutions"]:
        assert np.abs(expected - point).max(axis=1).min() < 1e-8


def quadrics(n, rng):
    exps = [e for e in itertools.product(range(3), repeat=n) if 0 < sum(e) <= 2]
    coefficients = rng.standard_normal((n, len(exps))) + 1j * rng.standard_normal((n, len(exps)))
    return exps, coefficients


def evaluate(exps, coefficients, points):
    return np.stack([np.prod(points ** np.array(e), axis=1) for e in exps], axis=1) @ coefficients.T


def strings(exps, coefficients, b, names):
    return [" + ".join(f"({complex(c)})*" + "*".join(f"{names[j]}**{k}" for j, k in enumerate(e) if k)
                       for c, e in zip(row, exps)) + f" - ({complex(constant)})"
            for row, constant in zip(coefficients, b)]


def test_dense_quadrics_from_random_start_points():
    """``F(x) = b`` for 10 dense random quadrics: 20 random points ``x0`` with ``b0 = F(x0)``.

    ``phc -p`` has one start system per run, so each start point (with its own ``b0``) is a run
    of its own, all to one random complex ``b1``; every end point solves ``F(x) = b1``.
    """
    n, rng = 10, np.random.default_rng(7)
    names = [f"x{i}" for i in range(n)]
    exps, coefficients = quadrics(n, rng)
    b1 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    target = strings(exps, coefficients, b1, names)
    x0 = rng.standard_normal((20, n)) + 1j * rng.standard_normal((20, n))
    ends, statuses = [], []
    for point in x0:
        b0 = evaluate(exps, coefficients, point[None, :])[0]
        result = track_parameter_homotopy(strings(exps, coefficients, b0, names), target, names, point[None, :],
                                          timeout=30)
        ends.append(result["solutions"][0])
        statuses += result["status"]
    ends = np.array(ends)
    regular = np.array(statuses) == "regular"
    assert regular.sum() >= 18, statuses
    scale = 1 + np.abs(ends[regular]).max(axis=1) ** 2
    assert (np.abs(evaluate(exps, coefficients, ends[regular]) - b1).max(axis=1) / scale).max() < 1e-8


def test_dense_quadrics_one_start_system_many_paths():
    """The same family in one run: the start system ``F(x) = b0`` with 20 of its solutions, tracked to ``b1``.

    The start solutions come from the total-degree homotopy (``x_i^2 = 1``) in 6 unknowns (64 paths).
    """
    n, rng = 6, np.random.default_rng(3)
    names = [f"x{i}" for i in range(n)]
    exps, coefficients = quadrics(n, rng)
    b0, b1 = (rng.standard_normal(n) + 1j * rng.standard_normal(n) for _ in range(2))
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)), dtype=complex)
    solved = track_parameter_homotopy([f"{v}**2 - 1" for v in names], strings(exps, coefficients, b0, names), names,
                                      signs, timeout=60, gamma=np.exp(0.9j))
    start = solved["solutions"][np.array(solved["status"]) == "regular"][:20]
    assert len(start) == 20
    result = track_parameter_homotopy(strings(exps, coefficients, b0, names), strings(exps, coefficients, b1, names),
                                      names, start, timeout=60)
    ends = result["solutions"][np.array(result["status"]) == "regular"]
    assert len(ends) >= 18, result["status"]
    assert np.abs(evaluate(exps, coefficients, ends) - b1).max() < 1e-8


def test_too_small_a_budget_raises_budget_exceeded():
    n, rng = 10, np.random.default_rng(1)
    names = [f"x{i}" for i in range(n)]
    exps, coefficients = quadrics(n, rng)
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)), dtype=complex)
    with pytest.raises(BudgetExceeded, match=r"phc -p exceeded 0.2 s"):
        track_parameter_homotopy([f"{v}**2 - 1" for v in names], strings(exps, coefficients, np.ones(n), names),
                                 names, signs, timeout=0.2)


def test_bad_input_is_refused_before_phc_runs():
    with pytest.raises(ValueError, match="unknown name 'z'"):
        track_parameter_homotopy(["x - 1"], ["x - z"], ["x"], np.ones((1, 1)))
    with pytest.raises(ValueError, match="exponents must be integers"):
        phc_system(["x**0.5"], ["x"])
    with pytest.raises(ValueError, match="square systems"):
        track_parameter_homotopy(["x - 1"], ["x - 1", "x"], ["x"], np.ones((1, 1)))


def test_failed_and_diverged_paths_are_reported():
    text = """THE SOLUTIONS :
3 1
===
solution 1 :    start residual :  1.0E-16   #iterations : 1   at infinity
t :  1.0E+00   0.0E+00
m : 1
the solution for t :
 v0 :  1.0E+09   0.0E+00
== err :  1.0E-01 = rco :  1.0E-20 = res :  1.0E-01 = at infinity ==
solution 2 :
t :  5.0E-01   0.0E+00
m : 0
the solution for t :
 v0 :  1.0E+00   0.0E+00
== err :  1.0E-01 = rco :  1.0E-01 = res :  1.0E-01 ==
solution 3 :
t :  1.0E+00   0.0E+00
m : 1
the solution for t :
 v0 :  1.0E+00   0.0E+00
== err :  1.0E-16 = rco :  1.0E-12 = res :  1.0E-16 ==
"""
    assert parse_solutions(text, 1)["status"] == ["diverged", "failed", "singular"]
