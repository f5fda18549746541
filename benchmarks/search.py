"""Benchmark of dimension at search scale, in one run.

1. Throughput: the dimension of 1000 architectures drawn at random (seed 0) from the polynomial MLPs
   with input 2, output 1, ``r = 2``, 2 to 8 layers, hidden widths 1 to 6 and at most 100
   parameters, by one batch (:func:`pipeline.execution.batch.batch_records` without the span
   dimension, forked workers on all cores; target: at least 100 per second), against the obvious
   alternative, one ``neuromanifold compute SLUG`` process per architecture, on 200 of them; the
   dimension of every one of the 200 must agree with the batch.
2. The command line on deep MLPs up to 260 parameters: ``neuromanifold compute SLUG`` wall-clock
   seconds, start-up included (median of 3; target: under 1 s), against ``--method symbolic``
   (what ``auto`` chose before the cost model) under a 60 s budget.
3. The minimal-filling search: depths 2 to 6 with hidden widths up to 6, and depth 7 with
   widths up to 7 (the published non-unimodal example), with their times and whether they
   give the published lists.

Usage: ``.venv/bin/python benchmarks/search.py [--out benchmarks/reports/search.json] [--budget 60]``
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import benchmark_arguments, write_report

from pipeline.execution.batch import batch_records, filling_search, grid_slugs

BIN = Path(sys.executable).parent
GRID = {"family": "mlp", "input": 2, "output": 1, "depth": [2, 8], "width": [1, 6], "r": 2, "max_params": 100}
DEEP = ["mlp_w2-4-3-4-4-1_r2", "mlp_w2-7-3-5-6-4-1_r2", "mlp_w2-8-8-8-8-1_r2", "mlp_w2-6-6-6-6-6-6-6-1_r2"]
PUBLISHED = {2: ["mlp_w2-2-1_r2"], 3: ["mlp_w2-2-2-1_r2"], 4: ["mlp_w2-3-3-2-1_r2"], 5: ["mlp_w2-3-3-3-2-1_r2"],
             6: ["mlp_w2-3-3-4-4-2-1_r2"]}
COUNTEREXAMPLE = "mlp_w2-3-4-5-4-6-4-1_r2"


def cli_seconds(slug: str, *extra: str, timeout: float = 60) -> tuple[float | None, dict | None]:
    start = time.monotonic()
    try:
        done = subprocess.run([str(BIN / "neuromanifold"), "compute", slug, "--json", "--timeout", str(timeout), *extra],
                              capture_output=True, text=True, timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        return None, None
    seconds = time.monotonic() - start
    record = json.loads(done.stdout) if done.stdout.strip() else None
    return (seconds if record and record["status"] == "ok" else None), record


def throughput(sample_size: int = 1000, cli_sample: int = 200) -> dict:
    slugs = random.Random(0).sample(grid_slugs(GRID), sample_size)
    start = time.monotonic()
    records = batch_records(slugs, seed=0)
    batch_seconds = time.monotonic() - start
    by_arch = {record["arch"]: record for record in records}
    singles, agree = [], True
    for slug in slugs[:cli_sample]:
        seconds, record = cli_seconds(slug, "--seed", "0")
        singles.append(seconds)
        agree &= record is not None and record["value"]["dim"] == by_arch[slug]["value"]["dim"]
    per_cli = statistics.median(s for s in singles if s is not None)
    per_batch = batch_seconds / len(slugs)
    return {"architectures": len(slugs), "batch_seconds": round(batch_seconds, 2),
            "per_second": round(len(slugs) / batch_seconds, 1), "target_per_second": 100,
            "meets_target": len(slugs) / batch_seconds >= 100, "ok": sum(r["status"] == "ok" for r in records),
            "cli_sample": cli_sample, "cli_median_seconds": round(per_cli, 3),
            "ratio_cli_over_batch_per_architecture": round(per_cli / per_batch, 1), "cli_agrees_with_batch": agree}


def deep_rows(budget: float) -> list[dict]:
    rows = []
    for slug in DEEP:
        runs = [cli_seconds(slug) for _ in range(3)]
        auto = statistics.median(s for s, _ in runs if s is not None)
        record = runs[0][1]
        symbolic, _ = cli_seconds(slug, "--method", "symbolic", timeout=budget)
        rows.append({"arch": slug, "params": record["value"]["params"], "dim": record["value"]["dim"],
                     "auto_method": record["value"]["method"], "auto_seconds": round(auto, 2),
                     "under_1_s": auto < 1.0,
                     "symbolic_seconds": None if symbolic is None else round(symbolic, 2),
                     "ratio_symbolic_over_auto": None if symbolic is None else round(symbolic / auto, 1)})
        print(rows[-1], flush=True)
    return rows


def searches() -> list[dict]:
    rows = []
    for depths, width in (([2, 3, 4, 5, 6], 6), ([7], 7)):
        found = filling_search(2, 1, 2, depths, width, seed=1)
        row = {"depths": f"{depths[0]}-{depths[-1]}", "max_width": width, "computed": found["computed"],
               "seconds": found["seconds"], "minimal": sum(len(v) for v in found["minimal"].values()),
               "not_unimodal": [r["arch"] for r in found["rows"] if r["minimal"] and not r["unimodal"]]}
        if depths[-1] <= 6:
            row["matches_published"] = {d: found["minimal"][d] for d in depths} == {d: PUBLISHED[d] for d in depths}
        else:
            row["finds_counterexample"] = COUNTEREXAMPLE in found["minimal"][7]
        rows.append(row)
        print(row, flush=True)
    return rows


def headline(report: dict) -> str:
    t, deep, found = report["throughput"], report["deep"], report["searches"]
    slowest = max(deep, key=lambda row: row["auto_seconds"])
    return (f"a batch computes {t['per_second']:.0f} dimensions per second on random MLPs of at most 100 parameters "
            f"(target 100), {t['ratio_cli_over_batch_per_architecture']:.0f}x faster per architecture than one command "
            f"each; `neuromanifold compute` on deep MLPs up to {max(r['params'] for r in deep)} parameters takes at "
            f"most {slowest['auto_seconds']:.2f} s with start-up; the minimal-filling search covers depths 2-6 in "
            f"{found[0]['seconds']:.0f} s and finds the non-unimodal `{COUNTEREXAMPLE}` at depth 7 in "
            f"{found[1]['seconds']:.0f} s.")


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 60.0, "benchmarks/reports/search.json")
    report = {"grid": GRID}
    report["throughput"] = throughput()
    print(report["throughput"], flush=True)
    report["deep"] = deep_rows(args.budget)
    report["searches"] = searches()
    report["headline"] = headline(report)
    print(report["headline"])
    write_report(args.out, report)


if __name__ == "__main__":
    main()
