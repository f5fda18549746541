"""Benchmark of the degree methods in one run: witness against hilbert and monodromy.

Architectures: linear 5-3-5 (degree 50) and 6-3-6 (980), lightning attention
a = 2, d = 3, t = 2, d' = 1 (108), polynomial MLPs with quadratic and cubic
activation. Each method runs in a child process with a budget (default 60 s) and
one seed; the ratios are (other method's time) / (witness time) where both finish.
A method that runs out of budget leaves nothing running: Macaulay2 dies with its job
(``PR_SET_PDEATHSIG``) and the runner kills the Singular sessions the job orphaned.

Usage: ``.venv/bin/python benchmarks/degree.py [--budget 60] [--out results/benchmarks/degree.json]``
"""

from __future__ import annotations

from bench_common import benchmark_arguments, method_row, ratios_over, write_report
from pipeline.runner import compute_record

CASES = ["linear_w5-3-5", "linear_w6-3-6", "attn_d3-1_a2_t2", "mlp_w3-2-1_r2", "mlp_w3-3-1_r2",
         "mlp_w2-3-1_r3", "mlp_w3-2-2-1_r2", "cnn_k4-3_s1-2_r2"]
METHODS = ["witness", "hilbert", "monodromy"]


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 60, "results/benchmarks/degree.json")
    rows = []
    print(f"{'architecture':20} " + " ".join(f"{m:>18}" for m in METHODS) + "   ratios (x / witness)")
    for slug in CASES:
        results = {}
        for method in METHODS:
            record = compute_record(slug, "degree", method=method, seed=1, timeout=args.budget)
            results[method] = {
                "status": record["status"],
                "seconds": record["seconds"],
                "degree": record["value"]["degree"] if record["status"] == "ok" else None,
                "message": record["message"],
            }
        degrees = {r["degree"] for r in results.values() if r["degree"] is not None}
        ratios = ratios_over(results, "witness")
        print(method_row(slug, results, "degree", ratios, len(degrees) <= 1, 20))
        rows.append({"arch": slug, "results": results, "ratios_over_witness": ratios, "agree": len(degrees) <= 1})
    write_report(args.out, {"budget_seconds": args.budget, "rows": rows})


if __name__ == "__main__":
    main()
