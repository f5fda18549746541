"""Benchmark of the ED degree in one run: our parameter method against Macaulay2's EuclideanDistanceDegree.

For each architecture (generic metric, seed 1) the same problem (prime, form, data) is solved by

- ``parameter``: critical points of full Jacobian rank in a gauge slice, msolve over GF(p) (ours);
- ``variety``: Lagrange equations on the implicit ideal mod p (ours, the independent check);
- ``m2-symbolic``: the package's ``symbolicWeightEDDegree`` (augmented-Jacobian minors, saturated by
  the singular locus) on the same ideal, with the form diagonalized (``Q = L D L^T``);
- ``m2-monodromy``: the package's ``parameterizedGenericEDDegree(..., UseMonodromy => true)`` on the
  same gauged parametrization (numerical; its own random data and diagonal weights, so its count is
  the generic ED degree only where diagonal weights are generic enough).

Each runs in a child process with a budget (default 120 s, the budget of the published report); ratios are (anchor time) / (parameter time).
Target (issue 6): generic ED degree of 3 x 4 matrices of rank <= 2 (83) in under 10 s.

Usage: ``.venv/bin/python benchmarks/ed_degree.py [--budget 120] [--out benchmarks/reports/ed_degree.json]``
"""

from __future__ import annotations

from bench_common import benchmark_arguments, budgeted, comparison_headline, method_row, ratios_over, write_report

CASES = ["linear_w2-1-3", "linear_w3-2-3", "linear_w4-2-3", "linear_w3-1-3", "attn_d2-1_a2_t2", "mlp_w3-2-1_r2",
         "cnn_k3-2_s1-1_r2"]
METHODS = ["parameter", "variety", "m2-symbolic", "m2-monodromy"]


def monodromy_count(problem, timeout):
    from pipeline.engines.m2 import m2_polynomials, run_m2_script

    job = {"nvars": problem.ring.ngens(), "polynomials": m2_polynomials(problem.images, problem.ring)}
    return int(run_m2_script("ed_degree_monodromy", job, timeout=timeout)["degree"])


def solve(slug, method, budget):
    from pipeline.architectures import parametrization
    from pipeline.invariants.methods import critical

    problem = critical.ed_problem(parametrization(slug), "generic", seed=1)
    if method == "parameter":
        return critical.parameter_count(problem)["ed_degree"]
    if method == "variety":
        return critical.variety_count(problem)["ed_degree"]
    if method == "m2-symbolic":
        return critical.macaulay2_count(problem, timeout=budget)["ed_degree"]
    return monodromy_count(problem, budget)


def timed(slug, method, budget):
    result = budgeted(solve, (slug, method, budget), budget)
    result["ed_degree"] = result.pop("value")
    return result


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 120, "benchmarks/reports/ed_degree.json", CASES)
    rows = []
    print(f"{'architecture':18} " + " ".join(f"{m:>16}" for m in METHODS) + "   ratios (x / parameter)")
    for slug in args.cases.split(","):
        results = {method: timed(slug, method, args.budget) for method in METHODS}
        ratios = ratios_over(results, "parameter")
        exact = {results[m]["ed_degree"] for m in ("parameter", "variety", "m2-symbolic") if results[m]["ed_degree"]}
        print(method_row(slug, results, "ed_degree", ratios, len(exact) <= 1, 18), flush=True)
        rows.append({"arch": slug, "metric": "generic", "results": results, "ratios_over_parameter": ratios,
                     "exact_methods_agree": len(exact) <= 1})
    headline = comparison_headline("the generic ED degree", rows, "parameter", METHODS[1:], args.budget,
                                   agree_key="exact_methods_agree")
    print(headline)
    write_report(args.out, {"budget_seconds": args.budget, "headline": headline, "rows": rows})


if __name__ == "__main__":
    main()
