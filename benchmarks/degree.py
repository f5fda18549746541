"""Benchmark of the degree methods in one run: witness against hilbert, monodromy and the obvious alternatives.

Architectures: linear 5-3-5 (degree 50) and 6-3-6 (980), lightning attention
a = 2, d = 3, t = 2, d' = 1 (108), polynomial MLPs with quadratic and cubic
activation, a polynomial CNN. Methods:

- ``witness``, ``hilbert``, ``monodromy``: the pipeline's three methods (``hilbert`` and
  ``monodromy`` already work on the gauge-fixed map restricted to the span of the coordinates);
- ``plain``: the obvious alternative to ``hilbert``: Macaulay2 eliminates every parameter from the
  graph ideal of the whole coordinate map over QQ (no span restriction, no gauge, no grading), then
  takes the degree of the projective closure;
- ``numerical``: the obvious alternative to ``monodromy``: one run of Macaulay2's
  ``numericalImageDegree`` on the whole coordinate map (no gauge); an incomplete pseudo-witness
  set counts as an error.

Each method runs in a child process with a budget (default 60 s) and one seed; the ratios are
(other method's time) / (witness time) where both finish.
A method that runs out of budget leaves nothing running: Macaulay2 dies with its job
(``PR_SET_PDEATHSIG``) and the runner kills the Singular sessions the job orphaned.

Usage: ``.venv/bin/python benchmarks/degree.py [--budget 60] [--cases SLUG,...] [--out benchmarks/reports/degree.json]``
"""

from __future__ import annotations

from bench_common import benchmark_arguments, budgeted, comparison_headline, method_row, ratios_over, write_report

from pipeline.execution.runner import compute_record

CASES = ["linear_w5-3-5", "linear_w6-3-6", "attn_d3-1_a2_t2", "mlp_w3-2-1_r2", "mlp_w3-3-1_r2",
         "mlp_w2-3-1_r3", "mlp_w3-2-2-1_r2", "cnn_k4-3_s1-2_r2"]
METHODS = ["witness", "hilbert", "monodromy"]
ALTERNATIVES = ["plain", "numerical"]


def plain_elimination_degree(slug) -> int:
    """Degree of the projective closure of the image by plain elimination in Macaulay2 (see the module doc)."""
    from sage.all import QQ

    from pipeline.algebra.modular import polynomial_ring
    from pipeline.algebra.symbolic import expand
    from pipeline.architectures import parametrization
    from pipeline.invariants.methods.degree import projective_degree
    from pipeline.invariants.methods.implicit import eliminate_macaulay2

    coords = expand(parametrization(slug), base_ring=QQ)
    gens = eliminate_macaulay2(coords.ring, list(coords.polynomials), None)
    target = polynomial_ring(QQ, [f"c{i + 1}" for i in range(len(coords.polynomials))], order="degrevlex")
    return projective_degree(target.ideal(gens) if gens else target.ideal([]))[1]


def numerical_image_degree(slug) -> int:
    """One run of ``numericalImageDegree`` on the whole coordinate map; an incomplete witness set raises."""
    from sage.all import QQ

    from pipeline.algebra.symbolic import expand
    from pipeline.architectures import parametrization
    from pipeline.engines.m2 import m2_polynomials, run_m2_script
    from pipeline.invariants.methods.degree import DegreeNotCertified

    coords = expand(parametrization(slug), base_ring=QQ)
    job = {"nvars": coords.ring.ngens(), "polynomials": m2_polynomials(coords.polynomials, coords.ring), "seeds": [1]}
    run = run_m2_script("monodromy_degree", job, timeout=10**6)["runs"][0]  # the budget is the child process's
    if not run["complete"]:
        raise DegreeNotCertified(f"incomplete pseudo-witness set (degree {run['degree']} so far)")
    return int(run["degree"])


def alternative(slug, name, budget) -> dict:
    function = {"plain": plain_elimination_degree, "numerical": numerical_image_degree}[name]
    outcome = budgeted(function, (slug,), budget)
    return {"status": outcome["status"], "seconds": outcome["seconds"], "degree": outcome["value"],
            "message": outcome["message"]}


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 60, "benchmarks/reports/degree.json", CASES)
    rows = []
    print(f"{'architecture':20} " + " ".join(f"{m:>18}" for m in METHODS + ALTERNATIVES) + "   ratios (x / witness)")
    for slug in args.cases.split(","):
        results = {}
        for method in METHODS:
            record = compute_record(slug, "degree", method=method, seed=1, timeout=args.budget)
            results[method] = {
                "status": record["status"],
                "seconds": record["seconds"],
                "degree": record["value"]["degree"] if record["status"] == "ok" else None,
                "message": record["message"],
            }
        for name in ALTERNATIVES:
            results[name] = alternative(slug, name, args.budget)
        degrees = {r["degree"] for r in results.values() if r["degree"] is not None}
        ratios = ratios_over(results, "witness")
        print(method_row(slug, results, "degree", ratios, len(degrees) <= 1, 20))
        rows.append({"arch": slug, "results": results, "ratios_over_witness": ratios, "agree": len(degrees) <= 1})
    headline = comparison_headline("the degree", rows, "witness", METHODS[1:] + ALTERNATIVES, args.budget)
    print(headline)
    write_report(args.out, {"budget_seconds": args.budget, "headline": headline, "rows": rows})


if __name__ == "__main__":
    main()
