"""Benchmark of the singular locus in one run: the subnetwork test against the Jacobian criterion.

For each architecture (seed 1) the singular components are found by

- ``subnetworks``: the Jacobian rank of the implicit ideal at random points of the subnetwork
  images, degree by a witness count, multiplicity on a curve section (ours; sound, not complete);
- ``singular``: the Jacobian criterion on a random affine slice (compressed determinants or all minors,
  Singular's minimal primes; ours, complete from ``searched_from_dim`` on);
- ``plain``: the obvious alternative: the implicit ideal plus all ``codim x codim`` minors of its
  Jacobian, unsliced and unmixed, and Singular's ``minAssGTZ`` (complete).

Each runs in a child process with a budget (default 120 s); ratios are (other time) / (subnetworks
time). A row says DISAGREE when the two complete methods list different (dim, degree) components above
the vertex in the dimensions both searched, or the subnetwork test finds one they do not list.

Usage: ``.venv/bin/python benchmarks/singular.py [--budget 120] [--out benchmarks/reports/singular.json]``
"""

from __future__ import annotations

from bench_common import benchmark_arguments, budgeted, comparison_headline, method_row, ratios_over, write_report

CASES = ["linear_w3-2-3", "linear_w4-2-3", "cnn_k2-2_s1-1_r2", "cnn_k3-2_s1-1_r2", "linear_w4-3-2-4",
         "linear_w5-3-5", "cnn_k2-2-2_s1-1-1_r2"]
METHODS = ["subnetworks", "singular", "plain"]


def plain_components(slug):
    """(dim, degree) of the minimal primes of I + (all codim x codim minors of its Jacobian), mod p."""
    import numpy as np
    from sage.all import GF, jacobian

    from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime, polynomial_ring
    from pipeline.architectures import parametrization
    from pipeline.invariants.methods.implicit import implicit_ideal
    from pipeline.invariants.methods.singular import ideal_degree

    ideal_qq, details = implicit_ideal(parametrization(slug), "singular", 1, "rational")
    p = choose_prime(np.random.default_rng(1), *GROEBNER_PRIME_RANGE)
    s, dim = details["span_dim"], details["dim"]
    ring = polynomial_ring(GF(p), [f"c{i + 1}" for i in range(s)], order="degrevlex")
    I = ring.ideal([ring(g) for g in ideal_qq.gens()])
    J = jacobian(list(I.gens()), ring.gens())
    locus = I + ring.ideal(J.minors(s - dim))
    primes = locus.minimal_associated_primes()
    return sorted(((int(P.dimension()), ideal_degree(P)) for P in primes), reverse=True)


def solve(slug, method):
    from pipeline.architectures import parametrization
    from pipeline.invariants.methods.singular import singular

    if method == "plain":
        return {"components": plain_components(slug), "searched_from_dim": 0}
    value = singular(parametrization(slug), method=method, seed=1, real=False)
    return {"components": sorted(((c["dim"], c["degree"]) for c in value["components"]), reverse=True),
            "searched_from_dim": value["searched_from_dim"]}


def agree(results) -> bool:
    """The complete methods list the same positive-dimensional components in the dimensions both searched,
    and every component of the subnetwork test is among them."""
    complete = [r["value"] for m, r in results.items() if m != "subnetworks" and r["status"] == "ok"]
    floor = max([v["searched_from_dim"] or 1 for v in complete] + [1])
    lists = {tuple(c for c in v["components"] if c[0] >= floor) for v in complete}
    tested = results["subnetworks"]
    if tested["status"] == "ok" and lists:
        found = {c for c in tested["value"]["components"] if c[0] >= floor}
        if not all(found <= set(listed) for listed in lists):
            return False
    return len(lists) <= 1


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 120, "benchmarks/reports/singular.json", CASES)
    rows = []
    print(f"{'architecture':22} " + " ".join(f"{m:>20}" for m in METHODS) + "   ratios (x / subnetworks)")
    for slug in args.cases.split(","):
        results = {method: budgeted(solve, (slug, method), args.budget) for method in METHODS}
        for result in results.values():
            result["components"] = (result["value"] or {}).get("components")
        ratios = ratios_over(results, "subnetworks")
        same = agree(results)
        print(method_row(slug, {m: {**r, "n": len(r["components"] or [])} for m, r in results.items()}, "n",
                         ratios, same, 22), flush=True)
        rows.append({"arch": slug, "results": results, "ratios_over_subnetworks": ratios, "agree": same})
    headline = comparison_headline("the singular locus", rows, "subnetworks", METHODS[1:], args.budget)
    print(headline)
    write_report(args.out, {"budget_seconds": args.budget, "headline": headline, "rows": rows})


if __name__ == "__main__":
    main()
