"""Benchmark of the conservation count: brackets by truncated Taylor arithmetic (``jets``) against the
plain symbolic way (``symbolic``: the same random brackets as expanded polynomial vector fields in Sage),
in one run.

Each case runs the whole count (two primes, every level until the trace stops growing, without
the flow) with each method in a child process under the budget (default 120 s); the report has
both times, the counts, whether they agree, the ratio symbolic / jets, and whether the
100-parameter target (``linear_w10-5-10`` under 60 s) is met. The count is checked against the
closed form where one is known (two-layer linear nets: ``r(r+1)/2``).

Usage: ``.venv/bin/python benchmarks/conservation.py [--budget 120] [--cases SLUG,...] [--out ...]``
"""

from __future__ import annotations

import sys

from bench_common import benchmark_arguments, budgeted, method_row, ratios_over, write_report

from pipeline.architectures import parametrization
from pipeline.invariants.methods.conservation import conservation

CASES = ["linear_w3-2-3", "mlp_w2-2-2-1_r2", "attn_d2-2-1_a1-1_t2", "linear_w6-3-6", "mlp_w2-4-3-4-4-1_r2",
         "linear_w8-4-8", "linear_w10-5-10", "mlp_w2-7-3-5-6-4-1_r2"]
TARGET = ("linear_w10-5-10", 60.0)


def count(slug: str, method: str) -> dict:
    value = conservation(parametrization(slug), method=method, seed=1, flow=False)
    return {"count": value["count"], "levels": value["levels"], "explicit": value["explicit"]}


def closed_form(slug: str) -> int | None:
    """``r(r+1)/2`` for a two-layer linear net with hidden width ``r``; None otherwise."""
    parts = slug.split("_w")[1].split("-") if slug.startswith("linear_") else []
    return int(parts[1]) * (int(parts[1]) + 1) // 2 if len(parts) == 3 else None


def headline(rows: list[dict], target: dict | None, budget: float) -> str:
    """One sentence for the README, from the measured rows: the target case and the ratio against the
    symbolic route on the largest case where both finished (or the symbolic route's timeouts)."""
    parts = []
    if target is not None and target["jets"]["status"] == "ok":
        parts.append(f"the conservation count of `{target['arch']}` ({target['params']} parameters) takes "
                     f"{target['jets']['seconds']:.1f} s with jets (target: under {TARGET[1]:.0f} s)")
    both = [row for row in rows if row["ratio_symbolic_over_jets"] is not None]
    if both:
        largest = max(both, key=lambda row: row["params"])
        parts.append(f"the plain symbolic route is {largest['ratio_symbolic_over_jets']:.0f}x slower on "
                     f"`{largest['arch']}` ({largest['params']} parameters)")
    over = [row["arch"] for row in rows if row["symbolic"]["status"] != "ok"]
    if over:
        parts.append(f"it does not finish within {budget:.0f} s on {len(over)} of the {len(rows)} cases "
                     f"(jets: at most {max(row['jets']['seconds'] for row in rows):.1f} s on any case)")
    return "; ".join(parts) + "."


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 120.0, "benchmarks/reports/conservation.json", CASES)
    rows = []
    print(f"{'case':26} {'jets':>24} {'symbolic':>24}   ratios")
    for slug in args.cases.split(","):
        results = {method: budgeted(count, (slug, method), args.budget) for method in ("jets", "symbolic")}
        values = [r["value"]["count"] for r in results.values() if r["status"] == "ok"]
        agree = len(set(values)) <= 1
        for r in results.values():
            r.update(r.pop("value") or {})
        ratios = ratios_over(results, "jets")
        expected = closed_form(slug)
        rows.append({"arch": slug, "params": parametrization(slug).params, "closed_form": expected,
                     "jets": {k: results["jets"].get(k) for k in ("status", "seconds", "count", "levels")},
                     "symbolic": {k: results["symbolic"].get(k) for k in ("status", "seconds", "count")},
                     "ratio_symbolic_over_jets": ratios.get("symbolic"), "agree": agree,
                     "matches_closed_form": None if expected is None else expected in values})
        print(method_row(slug, results, "count", ratios, agree, 26), flush=True)
    target = next((row for row in rows if row["arch"] == TARGET[0]), None)
    report = {"budget_seconds": args.budget, "rows": rows}
    if target is not None:
        report["target"] = {"arch": TARGET[0], "params": target["params"], "target_seconds": TARGET[1],
                            "jets_seconds": target["jets"]["seconds"],
                            "meets_target": target["jets"]["status"] == "ok" and target["jets"]["seconds"] < TARGET[1]}
    report["headline"] = headline(rows, target, args.budget)
    print(report["headline"])
    write_report(args.out, report)
    return 0 if all(row["agree"] and row["matches_closed_form"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
