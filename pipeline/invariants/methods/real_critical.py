"""Real critical points of the squared loss over random data, their discriminant, and Voronoi masses.

All three solve the critical equations of one *stratum* exactly over QQ and isolate the real
solutions (msolve). A stratum is a polynomial map from free parameters to the span coordinates:
the gauged parametrization (the smooth part of the real neuromanifold is reached by its
full-rank points), the gauged restriction to a subnetwork locus on which the Jacobian drops
rank, or a single point (the cone's vertex, or a node given by hand).

``critical_real``
    for ``samples`` data points ``w`` (integer Gaussian coordinates with standard deviation 10 in
    the span, from the seed): the number of real critical points of ``L`` on the real image of
    full Jacobian rank (distinct images of the real solutions in the gauge slice), their types from
    the Hessian of ``L(y(theta))`` in slice coordinates (``min``, ``saddle``, ``max``,
    ``degenerate``), and the distribution of the counts. Along the data line ``w0 + t w1`` the
    ``discriminant`` (real ``t`` where real critical points collide: the Hessian determinant vanishes
    at a critical point) is computed from the real solutions of one system in ``(theta, z, t)``
    within ``line_budget`` seconds (``line.status`` says whether it finished), and the real count is
    sampled in each interval between its roots.
``voronoi``
    the fraction of data whose nearest point of the real neuromanifold lies on each stratum: the
    nearest point is the best real critical point over all strata (smooth part, every subnetwork
    locus where the Jacobian drops rank, the vertex); every real minimizer of the loss over real
    weights is such a point. The interval is Wilson's 95% interval.

Chart
    real points are found through real points of each stratum's gauge slice. A real orbit of
    an indefinite symmetry may miss the slice, so a real critical point can go unseen and
    its data be attributed to another stratum (suspected for ``mlp_w2-2-1_r2``, whose width-1
    stratum receives about 3% of the data although the real image is the whole space).

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = critical_real(parametrization("linear_w2-1-2"), metric="coefficient", samples=3, seed=1)
    >>> value["counts"], value["types"]          # Eckart-Young: both truncations, one minimum
    ([2, 2, 2], {'min': 3, 'saddle': 3})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from math import sqrt

import numpy as np
from sage.all import QQ, RealField, matrix

from pipeline.algebra.gauge import gauge_polynomials, span_basis
from pipeline.algebra.modular import polynomial_ring
from pipeline.algebra.symbolic import expand
from pipeline.errors import UnknownNameError
from pipeline.invariants.methods.critical import CriticalCountMismatch, ed_problem, loss_equations, sparse_pivot_rows

REAL = RealField(80)
#: relative size under which a Hessian eigenvalue counts as zero and two images as equal
TOLERANCE = 1e-10


@dataclass
class Stratum:
    """A polynomial map ``free parameters -> span coordinates`` (``ring`` None for a point)."""

    name: str
    subnetwork: str | None
    ring: object
    images: list
    dim: int


def point_stratum(name, coordinates, subnetwork=None) -> Stratum:
    return Stratum(name, subnetwork, None, [QQ(c) for c in coordinates], 0)


def stratum_critical_points(stratum: Stratum, form, data, rng, p) -> list[dict]:
    """Real critical points of ``(w - y)^T Q (w - y)`` on ``stratum`` of full Jacobian rank.

    Each is ``{"y": image (floats), "loss": float, "type": min|saddle|max|degenerate}``, one per
    distinct image.

    EXAMPLES::

        >>> R = polynomial_ring(QQ, ["t"])
        >>> t = R.gen()
        >>> parabola = Stratum("smooth", None, R, [t, t**2], 1)
        >>> points = stratum_critical_points(parabola, matrix.identity(QQ, 2), [0, 2], np.random.default_rng(0), 1009)
        >>> sorted((round(c["y"][0], 3), c["type"]) for c in points)    # inside the evolute: three
        [(-1.225, 'min'), (0.0, 'max'), (1.225, 'min')]
    """
    if stratum.ring is None:
        y = [float(v) for v in stratum.images]
        return [{"y": y, "loss": _loss(y, form, data), "type": "point"}]
    names = list(stratum.ring.variable_names())
    n = len(names)
    ring = polynomial_ring(QQ, names + ["z_exclude"], order="degrevlex")
    gens = ring.gens()
    y = [ring(f) for f in stratum.images]
    J, gradient, loss = loss_equations(y, form, [QQ(v) for v in data], gens[:n])
    rows = sparse_pivot_rows(J, ring, rng, p)
    minor = matrix(ring, n, n, [J[i][k] for i in rows for k in range(n)]).det()
    ideal = ring.ideal(gradient + [gens[-1] * minor - 1])
    try:
        solutions = ideal.variety(REAL, algorithm="msolve", proof=False)
    except (ValueError, RuntimeError, NotImplementedError) as exc:
        raise CriticalCountMismatch(f"the critical equations on stratum {stratum.name} are not zero-dimensional "
                                    f"({exc})") from None
    hessian = [[loss.derivative(a).derivative(b) for b in gens[:n]] for a in gens[:n]]
    out = []
    for solution in solutions:
        point = {g: solution[g] for g in gens}
        image = [float(f.subs(point)) for f in y]
        if any(_close(image, other["y"]) for other in out):
            continue
        H = np.array([[float(h.subs(point)) for h in row] for row in hessian]).reshape(n, n)
        out.append({"y": image, "loss": _loss(image, form, data), "type": hessian_type(H)})
    return out


def hessian_type(H) -> str:
    """``min``, ``max``, ``saddle`` or ``degenerate`` from the eigenvalues of a symmetric matrix.

    EXAMPLES::

        >>> hessian_type(np.diag([1.0, 2.0])), hessian_type(np.diag([1.0, -2.0])), hessian_type(np.diag([1.0, 0.0]))
        ('min', 'saddle', 'degenerate')
    """
    if H.size == 0:
        return "min"
    H = (H + H.T) / 2
    # congruence by diag(|H_ii|^-1/2) keeps the signature (Sylvester) and undoes the scaling of the chart
    diagonal = np.abs(np.diag(H))
    scale = np.where(diagonal > 0, 1 / np.sqrt(np.where(diagonal > 0, diagonal, 1)), 1.0)
    eigenvalues = np.linalg.eigvalsh(H * scale[:, None] * scale[None, :])
    scale = max(1.0, float(np.abs(eigenvalues).max()))
    if np.any(np.abs(eigenvalues) < TOLERANCE * scale):
        return "degenerate"
    if np.all(eigenvalues > 0):
        return "min"
    if np.all(eigenvalues < 0):
        return "max"
    return "saddle"


def _close(a, b) -> bool:
    scale = max(1.0, max(abs(v) for v in a + b))
    return max(abs(u - v) for u, v in zip(a, b)) < 1e-6 * scale


def _loss(y, form, data) -> float:
    r = np.array([float(d) for d in data]) - np.array(y, dtype=float)
    Q = np.array([[float(v) for v in row] for row in form.rows()])
    return float(r @ Q @ r)


def random_data(rng, s: int) -> list:
    """Integer data with Gaussian coordinates of standard deviation 10 (rational, so QQ solving stays exact)."""
    return [QQ(int(v)) for v in np.rint(rng.normal(0, 10, size=s))]


def smooth_stratum(problem) -> Stratum:
    return Stratum("smooth", None, problem.ring, problem.images, problem.dim)


def wilson_interval(hits: int, total: int, z: float = 1.96) -> list[float]:
    """Wilson's score interval for a binomial proportion.

    EXAMPLES::

        >>> [round(v, 3) for v in wilson_interval(0, 100)]
        [0.0, 0.037]
    """
    if total == 0:
        return [0.0, 1.0]
    phat = hits / total
    denominator = 1 + z * z / total
    centre = (phat + z * z / (2 * total)) / denominator
    half = z * sqrt(phat * (1 - phat) / total + z * z / (4 * total * total)) / denominator
    return [max(0.0, centre - half), min(1.0, centre + half)]


# ---------------------------------------------------------------- critical_real


def real_census(problem, data) -> dict:
    points = stratum_critical_points(smooth_stratum(problem), problem.form, data, problem.rng, problem.p)
    return {"count": len(points), "types": dict(Counter(c["type"] for c in points))}


def discriminant_on_line(problem, w0, w1, max_params=8):
    """Real ``t`` where two real critical points collide along ``w0 + t w1``, or None when too large.

    The real solutions ``(theta, z, t)`` of the critical equations, the full-rank condition and
    ``det Hess = 0`` (msolve over QQ); only collisions at real ``theta`` change the real count.
    """
    if problem.ring.is_field() or problem.ring.ngens() > max_params:
        return None
    names = list(problem.ring.variable_names())
    n, s = len(names), problem.span_dim
    ring = polynomial_ring(QQ, names + ["z_exclude", "t_line"], order="degrevlex")
    gens = ring.gens()
    t = gens[-1]
    y = [ring(f) for f in problem.images]
    J, gradient, loss = loss_equations(y, problem.form, [QQ(w0[i]) + QQ(w1[i]) * t for i in range(s)], gens[:n])
    rows = sparse_pivot_rows(J, ring, problem.rng, problem.p)
    minor = matrix(ring, n, n, [J[i][k] for i in rows for k in range(n)]).det()
    hessian = matrix(ring, n, n, [loss.derivative(a).derivative(b) for a in gens[:n] for b in gens[:n]]).det()
    ideal = ring.ideal(gradient + [gens[n] * minor - 1, hessian])
    try:
        solutions = ideal.variety(REAL, algorithm="msolve", proof=False)
    except (ValueError, RuntimeError, NotImplementedError):  # not zero-dimensional
        return None
    return sorted({round(float(solution[t]), 9) for solution in solutions})


def critical_real(param, method: str = "auto", seed: int = 0, metric: str = "generic", samples: int = 20,
                  line_budget: float = 30) -> dict:
    """The ``critical_real`` record value (keys in the module docstring); the data line gets ``line_budget`` seconds."""
    if method not in METHODS:
        raise UnknownNameError(f"unknown method {method!r} for critical_real; valid names: {', '.join(METHODS)}")
    problem = ed_problem(param, metric, seed)
    counts, types = [], Counter()
    for _ in range(samples):
        census = real_census(problem, random_data(problem.rng, problem.span_dim))
        counts.append(census["count"])
        types.update(census["types"])
    from pipeline.engines.processes import call_with_budget

    w0, w1 = random_data(problem.rng, problem.span_dim), random_data(problem.rng, problem.span_dim)
    status, roots = call_with_budget(discriminant_on_line, (problem, w0, w1), seconds=line_budget)
    line = {"status": status if roots is not None else "not zero-dimensional or too many parameters"}
    if status != "ok":
        line["message"], roots = roots, None
    if roots is not None:
        cuts = [-1e3] + [r for r in roots if abs(r) < 1e3] + [1e3]
        intervals = []
        for a, b in zip(cuts, cuts[1:]):
            t = (QQ(a) + QQ(b)) / 2
            data = [QQ(u) + t * QQ(v) for u, v in zip(w0, w1)]
            intervals.append({"from": a, "to": b, "real_count": real_census(problem, data)["count"]})
        line.update(w0=[int(v) for v in w0], w1=[int(v) for v in w1], discriminant_roots=roots, intervals=intervals)
    return {
        "metric": metric,
        "samples": samples,
        "counts": counts,
        "histogram": {str(k): v for k, v in sorted(Counter(counts).items())},
        "types": dict(sorted(types.items())),
        "line": line,
        "dim": problem.dim,
        "span_dim": problem.span_dim,
        "method": "msolve-real",
        "seeds": [seed],
        "primes": [problem.p],
        **problem.details,
    }


# ---------------------------------------------------------------- voronoi


def restricted_stratum(param, coords, basis, label, slug, zeros, rng, p) -> Stratum:
    """The gauged restriction of the parametrization to a zero pattern (a subnetwork locus)."""
    from pipeline.algebra.symbolic import Coordinates

    names = param.parameter_names
    indices = {name: i for i, name in enumerate(names)}
    killed = set()
    for block in param.blocks:
        for row, col in zeros.get(block.name, []):
            entry = block.entry_names()[row][col]
            killed.add(indices[entry])
    free = [name for i, name in enumerate(names) if i not in killed]
    ring = polynomial_ring(QQ, free, order="degrevlex")
    images = [ring.zero() if i in killed else ring(name) for i, name in enumerate(names)]
    phi = coords.ring.hom(images, ring)
    restricted = Coordinates(ring, coords.labels, [phi(f) for f in coords.polynomials])
    free_ring, polys, _, dim, _ = gauge_polynomials(restricted, basis, rng, p)
    return Stratum(label, slug, None if free_ring.is_field() else free_ring, list(polys), dim)


def neuromanifold_strata(param, problem) -> list[Stratum]:
    """Smooth part, every subnetwork locus where the Jacobian drops rank, and the vertex of a cone."""
    from pipeline.algebra.modular import EVALUATION_PRIME_RANGE, choose_prime
    from pipeline.architectures.base import subnetworks
    from pipeline.invariants.methods.fiber import rank_on_locus

    coords = expand(param, base_ring=QQ)
    basis = span_basis(coords)
    strata = [smooth_stratum(problem)]
    evaluation_prime = choose_prime(problem.rng, *EVALUATION_PRIME_RANGE)
    for label, slug, zeros in subnetworks(param):
        if rank_on_locus(param, zeros, problem.rng, evaluation_prime) < problem.dim:
            stratum = restricted_stratum(param, coords, basis, label, slug, zeros, problem.rng, problem.p)
            if stratum.dim > 0:
                strata.append(stratum)
    if param.homogeneous:
        strata.append(point_stratum("vertex", [0] * problem.span_dim))
    return strata


def nearest_stratum(strata, form, data, rng, p) -> tuple[str, float]:
    """Name of the stratum holding the nearest real critical point, and its loss."""
    best = None
    for stratum in strata:
        for point in stratum_critical_points(stratum, form, data, rng, p):
            if best is None or point["loss"] < best[1] - 1e-9 * max(1.0, abs(best[1])):
                best = (stratum.name, point["loss"])
    return best


def voronoi_masses(strata, form, sampler, samples, rng, p) -> list[dict]:
    """Monte Carlo masses of the strata: ``sampler()`` draws one data point."""
    hits = Counter()
    for _ in range(samples):
        name, _ = nearest_stratum(strata, form, sampler(), rng, p)
        hits[name] += 1
    return [{"stratum": s.name, "subnetwork": s.subnetwork, "dim": s.dim, "hits": hits[s.name],
             "mass": hits[s.name] / samples, "ci95": wilson_interval(hits[s.name], samples)} for s in strata]


def voronoi(param, method: str = "auto", seed: int = 0, metric: str = "generic", samples: int = 100) -> dict:
    """The ``voronoi`` record value: per stratum, its Voronoi mass with a 95% interval."""
    if method not in METHODS:
        raise UnknownNameError(f"unknown method {method!r} for voronoi; valid names: {', '.join(METHODS)}")
    problem = ed_problem(param, metric, seed)
    strata = neuromanifold_strata(param, problem)
    masses = voronoi_masses(strata, problem.form, lambda: random_data(problem.rng, problem.span_dim), samples,
                            problem.rng, problem.p)
    return {"metric": metric, "samples": samples, "strata": masses, "dim": problem.dim,
            "data": "integer Gaussian coordinates, standard deviation 10, in the span", "method": "msolve-real",
            "seeds": [seed], "primes": [problem.p], **problem.details}


METHODS = ("auto", "msolve-real")


__all__ = ["critical_real", "voronoi", "stratum_critical_points", "voronoi_masses", "Stratum"]
