"""Benchmark of the dimension methods against Macaulay2's numericalImageDim, in one run.

1. The evaluation method on a polynomial MLP with 11,100 parameters
   (``mlp_w10-100-100-1_r2``; target: under 60 s on 2 cores).
2. A ladder ``mlp_w10-h-h-1_r2`` with growing ``h``: Macaulay2's ``numericalImageDim``
   (NumericalImplicitization; it needs the expanded coordinate polynomials, so the time of
   the expansion in Sage counts too) runs with a 60 s budget per rung until one does not
   finish; on the largest rung it finishes, our ``evaluation`` and ``symbolic`` methods
   run as well and the ratios are printed.

Usage: ``.venv/bin/python benchmarks/dimension.py [--out benchmarks/reports/dimension.json]``
"""

from __future__ import annotations

import argparse
import time

from bench_common import budgeted, write_report

from pipeline.architectures import parametrization
from pipeline.invariants.methods.dimension import dimension

BIG = "mlp_w10-100-100-1_r2"
LADDER = [2, 4, 8, 12, 16, 24, 32, 48, 64]
BUDGET = 60.0


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def _m2_rung(slug):
    from pipeline.algebra.symbolic import expand
    from pipeline.engines.m2 import coordinates_job, run_m2_script

    start = time.perf_counter()
    job = coordinates_job(expand(parametrization(slug)), seed=1)
    expanded = time.perf_counter() - start
    result = run_m2_script("image_dimension", job, timeout=BUDGET)
    return {"dim": result["dim"], "expand_s": expanded, "total_s": time.perf_counter() - start,
            "m2_internal_s": float(result["seconds"])}


def m2_numerical(slug):
    """Expansion + numericalImageDim in a child process, killed after the budget; None if over or failed."""
    return budgeted(_m2_rung, (slug,), BUDGET)["value"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="benchmarks/reports/dimension.json")
    args = parser.parse_args(argv)
    report = {}

    big = parametrization(BIG)
    value, seconds = timed(dimension, big, method="evaluation", seed=1)
    report["big"] = {"arch": BIG, "params": big.params, "dim": value["dim"], "seconds": seconds,
                     "target_seconds": 60, "meets_target": seconds < 60}
    print(f"evaluation on {BIG} ({big.params} parameters): dim {value['dim']} in {seconds:.1f} s (target < 60 s)")

    rungs, largest = [], None
    for h in LADDER:
        slug = f"mlp_w10-{h}-{h}-1_r2"
        outcome = m2_numerical(slug)
        rungs.append({"arch": slug, "params": parametrization(slug).params, "m2": outcome})
        if outcome is None:
            print(f"  M2 numericalImageDim on {slug}: over {BUDGET:.0f} s")
            break
        largest = slug
        print(f"  M2 numericalImageDim on {slug}: dim {outcome['dim']} in {outcome['total_s']:.1f} s "
              f"(expansion {outcome['expand_s']:.1f} s, M2 {outcome['m2_internal_s']:.2f} s)")
    report["ladder"] = rungs

    if largest is not None:
        param = parametrization(largest)
        m2 = next(r["m2"] for r in rungs if r["arch"] == largest)
        ev, ev_s = timed(dimension, param, method="evaluation", seed=1, runs=1)
        sy, sy_s = timed(dimension, param, method="symbolic", seed=1, runs=1)
        agree = ev["dim"] == sy["dim"] == m2["dim"]
        report["comparison"] = {
            "arch": largest, "params": param.params, "m2_seconds": m2["total_s"], "evaluation_seconds": ev_s,
            "symbolic_seconds": sy_s, "ratio_m2_over_evaluation": m2["total_s"] / ev_s,
            "ratio_m2_over_symbolic": m2["total_s"] / sy_s, "dims_agree": agree,
        }
        print(f"largest rung M2 finishes: {largest} ({param.params} parameters), one prime each:")
        print(f"  M2 {m2['total_s']:.1f} s, evaluation {ev_s:.1f} s, symbolic {sy_s:.1f} s; "
              f"ratio M2/evaluation {m2['total_s'] / ev_s:.1f}x, M2/symbolic {m2['total_s'] / sy_s:.1f}x; "
              f"dimensions agree: {agree}")

    write_report(args.out, report)


if __name__ == "__main__":
    main()
