"""The two path trackers on the same homotopies: PHCpack's ``phc -p`` against the pipeline's batched numpy tracker.

System: 10 dense random complex quadrics ``F(x) = b`` in 10 unknowns (1,024 regular solutions),
from :mod:`phc_probe`. Two homotopies, each tracked by both trackers with the same start points:

1. *total degree*: ``(1 - t) gamma G + t (F - b0)`` from ``G = (x_i^2 - 1)`` and its 1,024 start
   points (PHCpack's artificial-parameter homotopy with relaxation power 1; for the numpy tracker
   the same homotopy as a parameter system ``alpha G + beta (F - b0)``, from ``(gamma, 0)`` to ``(0, 1)``);
2. *parameter*: the regular solutions of ``F = b0`` to ``F = b1`` (the step a monodromy loop makes).

Each tracker runs on one core and on two (PHCpack ``-t2``; the numpy tracker's forked workers).
A row gives seconds, milliseconds per path, the regular end points, the largest residual and how
many end points the two trackers share (within ``1e-6``). The ratio is PHCpack's time over the
numpy tracker's on the same number of cores.

Usage: ``.venv/bin/python benchmarks/trackers.py [--seed 0] [--out benchmarks/reports/trackers.json]``
(needs ``phc``: ``apt-get install phcpack``)
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
from bench_common import write_report
from phc_probe import evaluate, random_quadrics, strings

from pipeline.algebra.numeric import PolynomialMap
from pipeline.engines.phc import phc_version, track_parameter_homotopy
from pipeline.engines.tracker import track_parallel


class Pencil:
    """``alpha G(x) + beta H(x)``: parameters ``(alpha, beta)``; from ``(gamma, 0)`` to ``(0, 1)`` it is
    PHCpack's homotopy ``(1 - t) gamma G + t H`` (relaxation power 1). ``G`` and ``H`` give
    ``(values, Jacobian)`` at a batch of points."""

    def __init__(self, G, H, n):
        self.G, self.H, self.n = G, H, n

    def evaluate(self, X, Q):
        (g, Jg), (h, Jh) = self.G(X), self.H(X)
        a, b = Q[:, :1], Q[:, 1:2]
        return a * g + b * h, a[:, :, None] * Jg + b[:, :, None] * Jh

    def parameter_velocity(self, X, Q, dQ):
        return dQ[:, :1] * self.G(X)[0] + dQ[:, 1:2] * self.H(X)[0]


def squares(X):
    """``x_i^2 - 1`` and its Jacobian."""
    J = np.zeros(X.shape + (X.shape[1],), dtype=complex)
    J[:, np.arange(X.shape[1]), np.arange(X.shape[1])] = 2 * X
    return X**2 - 1, J


def shifted(F: PolynomialMap, b):
    """``F(x) - b`` and its Jacobian, as a function of the points."""
    def system(X):
        values, J = F.jacobian(X, with_values=True)
        return values - b, J
    return system


def shared(A, B, tolerance=1e-6) -> int:
    """End points of ``A`` that ``B`` has too (rows compared in order: both trackers keep the path order)."""
    ok = np.isfinite(A).all(axis=1) & np.isfinite(B).all(axis=1)
    return int((np.max(np.abs(A[ok] - B[ok]), axis=1) <= tolerance * (1 + np.max(np.abs(A[ok]), axis=1))).sum())


def numpy_run(system, start, Q0, Q1, workers):
    began = time.perf_counter()
    result = track_parallel(system, start, Q0, Q1, workers=workers)
    return result.solutions, ~result.failed, time.perf_counter() - began


def phc_run(start_strings, target_strings, names, start, gamma, tasks):
    result = track_parameter_homotopy(start_strings, target_strings, names, start, timeout=3600, gamma=gamma,
                                      tasks=tasks)
    return result["solutions"], np.array(result["status"]) == "regular", result["seconds"]


def row(name, tracker, cores, solutions, regular, seconds, residual_of, other=None) -> dict:
    good = solutions[regular]
    return {"homotopy": name, "tracker": tracker, "cores": cores, "paths": len(solutions), "seconds": round(seconds, 2),
            "ms_per_path": round(1000 * seconds / len(solutions), 2), "regular": int(regular.sum()),
            "max_residual": float(residual_of(good)) if len(good) else None,
            "shared_with_phc": shared(solutions, other) if other is not None else None}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="benchmarks/reports/trackers.json")
    args = parser.parse_args(argv)
    n, rng = 10, np.random.default_rng(args.seed)
    names = [f"x{i}" for i in range(n)]
    exps, coefficients = random_quadrics(n, rng)
    b0 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    b1 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    F = PolynomialMap.from_terms(n, [{e: c for e, c in zip(exps, row_)} for row_ in coefficients])
    gamma = np.exp(0.7j)
    rows = []

    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)), dtype=complex)
    P = len(signs)
    Q0, Q1 = np.tile([gamma, 0.0], (P, 1)), np.tile([0.0, 1.0], (P, 1))
    start_strings, target_strings = [f"{v}**2 - 1" for v in names], strings(exps, coefficients, b0, names)
    residual0 = lambda X: np.abs(evaluate(exps, coefficients, X) - b0).max()  # noqa: E731
    phc_total = {}
    for cores in (1, 2):
        phc_total[cores] = phc_run(start_strings, target_strings, names, signs, gamma, cores)
        rows.append(row("total degree", "phc", cores, *phc_total[cores], residual0))
    for cores in (1, 2):
        rows.append(row("total degree", "numpy", cores, *numpy_run(Pencil(squares, shifted(F, b0), n), signs, Q0, Q1, cores),
                        residual0, phc_total[1][0]))

    solutions, regular, _ = phc_total[1]
    start = solutions[regular]
    P = len(start)
    residual1 = lambda X: np.abs(evaluate(exps, coefficients, X) - b1).max()  # noqa: E731
    phc_parameter = {}
    for cores in (1, 2):
        phc_parameter[cores] = phc_run(strings(exps, coefficients, b0, names), strings(exps, coefficients, b1, names),
                                       names, start, np.exp(1.3j), cores)
        rows.append(row("parameter", "phc", cores, *phc_parameter[cores], residual1))
    for cores in (1, 2):
        pencil = Pencil(shifted(F, b0), shifted(F, b1), n)  # phc's (1 - t) gamma (F - b0) + t (F - b1)
        rows.append(row("parameter", "numpy", cores,
                        *numpy_run(pencil, start, np.tile([np.exp(1.3j), 0.0], (P, 1)), np.tile([0.0, 1.0], (P, 1)), cores),
                        residual1, phc_parameter[1][0]))
    for r in rows:
        print(r)
    by = {(r["homotopy"], r["tracker"], r["cores"]): r["seconds"] for r in rows}
    ratios = {f"{h}, {c} core{'s' if c > 1 else ''}": round(by[(h, "phc", c)] / by[(h, "numpy", c)], 2)
              for h in ("total degree", "parameter") for c in (1, 2)}
    speedup = {h: round(by[(h, "numpy", 1)] / by[(h, "numpy", 2)], 2) for h in ("total degree", "parameter")}
    agree = all(r["shared_with_phc"] == r["paths"] for r in rows if r["tracker"] == "numpy")
    headline = ("trackers: on 10 dense quadrics (1,024 paths), PHCpack takes "
                + ", ".join(f"{v:.1f}x the numpy tracker's time ({k})" for k, v in ratios.items())
                + "; the numpy tracker's speed-up with 2 workers: "
                + ", ".join(f"{v:.1f}x ({k})" for k, v in speedup.items())
                + ("; the two trackers end every path at the same point." if agree
                   else "; some paths end at different points (see the rows)."))
    print(headline)
    write_report(args.out, {"phc_version": phc_version(), "headline": headline, "phc_over_numpy": ratios,
                            "numpy_two_worker_speedup": speedup, "rows": rows})


if __name__ == "__main__":
    main()
