"""Probe of PHCpack's path tracking (``phc -p``) on 10 dense random quadrics ``F(x) = b`` in 10 unknowns.

Not part of ``make benchmarks`` nor of the test suite: it measures what the numpy batched
tracker is to be compared with.

1. A system ``F(x) = b0`` (complex Gaussian coefficients, every monomial of degree <= 2, random
   complex ``b0``) is solved once with the total-degree homotopy from ``x_i^2 = 1`` (1024 paths,
   through :func:`pipeline.engines.phc.track_parameter_homotopy` too; not part of the timings).
2. ``P`` of its regular solutions (``P`` = 100, 400, 1000 by default) are tracked in one
   ``phc -p`` run from ``b0`` to a random complex ``b1`` (a parameter homotopy: start and target
   differ in the constant terms only), on one core (no ``-t``) unless ``--tasks`` says otherwise.
   Printed: wall-clock seconds of the ``phc`` process, milliseconds per path, the paths' status
   counts and the largest residual of the regular end points (evaluated here, in numpy).
3. ``--per-path-starts K``: ``K`` random points ``x0_k`` with their own ``b0_k = F(x0_k)``, one
   ``phc -p`` run per path (PHCpack's homotopy has one start system, so start points with
   different parameters need one process each): the per-path cost including the process start.

Usage: ``.venv/bin/python benchmarks/phc_probe.py [--sizes 100,400,1000] [--tasks 1] [--seed 0]
[--per-path-starts 50]``
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from pipeline.engines.phc import phc_version, track_parameter_homotopy


def monomials(n: int, degree: int = 2) -> list[tuple[int, ...]]:
    """Exponent vectors of all monomials of degree <= ``degree`` in ``n`` unknowns."""
    return [e for e in itertools.product(range(degree + 1), repeat=n) if sum(e) <= degree]


def random_quadrics(n: int, rng) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """``n`` dense quadrics without constant term: exponents and an ``n x m`` complex coefficient matrix."""
    exps = [e for e in monomials(n) if sum(e) > 0]
    coefficients = (rng.standard_normal((n, len(exps))) + 1j * rng.standard_normal((n, len(exps)))) / np.sqrt(2)
    return exps, coefficients


def evaluate(exps, coefficients, points) -> np.ndarray:
    """``F(points)`` for ``points`` a ``P x n`` array: ``P x n`` values."""
    powers = np.stack([np.prod(points ** np.array(e), axis=1) for e in exps], axis=1)
    return powers @ coefficients.T


def strings(exps, coefficients, b, names) -> list[str]:
    """``F(x) - b`` as polynomial strings in ``names``."""
    out = []
    for row, constant in zip(coefficients, b):
        terms = []
        for c, e in zip(row, exps):
            factors = [f"{names[j]}**{k}" if k > 1 else names[j] for j, k in enumerate(e) if k]
            terms.append(f"({float(c.real)!r}{float(c.imag):+.17g}j)*" + "*".join(factors))
        terms.append(f"-({float(constant.real)!r}{float(constant.imag):+.17g}j)")
        out.append(" + ".join(terms))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,400,1000")
    parser.add_argument("--tasks", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-path-starts", type=int, default=0)
    parser.add_argument("--precision", type=int, default=1)
    args = parser.parse_args()
    n, rng = 10, np.random.default_rng(args.seed)
    names = [f"x{i}" for i in range(n)]
    exps, coefficients = random_quadrics(n, rng)
    b0 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    b1 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    print(phc_version())

    began = time.perf_counter()
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)), dtype=complex)
    total = track_parameter_homotopy([f"{v}**2 - 1" for v in names], strings(exps, coefficients, b0, names), names,
                                     signs, timeout=1800, gamma=np.exp(0.7j))
    regular = total["solutions"][np.array(total["status"]) == "regular"]
    residual = np.abs(evaluate(exps, coefficients, regular) - b0).max()
    print(f"start: {len(regular)} regular solutions of F(x) = b0 of {len(signs)} total-degree paths in "
          f"{time.perf_counter() - began:.1f} s (max residual {residual:.1e})")

    for size in [int(s) for s in args.sizes.split(",")]:
        if size > len(regular):
            print(f"P = {size}: only {len(regular)} start solutions; skipped")
            continue
        result = track_parameter_homotopy(strings(exps, coefficients, b0, names), strings(exps, coefficients, b1, names),
                                          names, regular[:size], timeout=1800, gamma=np.exp(1.3j),
                                          precision=args.precision, tasks=args.tasks)
        statuses = np.array(result["status"])
        ok = result["solutions"][statuses == "regular"]
        residual = np.abs(evaluate(exps, coefficients, ok) - b1).max() if len(ok) else float("nan")
        counts = ", ".join(f"{s} {int((statuses == s).sum())}" for s in sorted(set(result["status"])))
        print(f"P = {size:5d}: {result['seconds']:7.2f} s, {1000 * result['seconds'] / size:6.2f} ms/path "
              f"(tasks {args.tasks}, precision {args.precision}); {counts}; max residual {residual:.1e}")

    if args.per_path_starts:
        x0 = rng.standard_normal((args.per_path_starts, n)) + 1j * rng.standard_normal((args.per_path_starts, n))
        target = strings(exps, coefficients, b1, names)
        began, statuses = time.perf_counter(), []
        for point in x0:
            b = evaluate(exps, coefficients, point[None, :])[0]
            result = track_parameter_homotopy(strings(exps, coefficients, b, names), target, names, point[None, :],
                                              timeout=60, gamma=np.exp(1.3j), precision=args.precision)
            statuses += result["status"]
        seconds = time.perf_counter() - began
        print(f"per-path starts b0_k = F(x0_k), one phc run each: {args.per_path_starts} paths in {seconds:.2f} s, "
              f"{1000 * seconds / args.per_path_starts:.1f} ms/path (with Python's file writing); "
              f"regular {statuses.count('regular')}")


if __name__ == "__main__":
    main()
