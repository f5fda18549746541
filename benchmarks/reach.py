"""Reach of the degree and ED degree methods: ladders of architectures with closed forms, per method.

Each case runs every method through the runner (a child process with the budget, default 600 s)
and sets the closed form beside it:

- degree of ``n x m`` matrices of rank ``<= k`` (linear nets ``n -> k -> m``; Harris, Example 19.10);
- degree of stride-1 polynomial CNNs with activation ``x^r`` (Shahverdi-Marchetti-Kohn, arXiv 2410.00722);
- Eckart-Young: the ED degree of rank ``<= k`` matrices for the Frobenius (``coefficient``) metric is
  ``binomial(min(n, m), k)``;
- the generic ED degree of ``n x m`` rank-1 matrices (the Segre product; Draisma-Horobet-Ottaviani-
  Sturmfels-Thomas, arXiv 1309.0049, Theorem 5.8).

Methods: ``homotopy`` (monodromy with the batched tracker) against ``witness`` (degree) or
``parameter`` (ED degree), the modular methods over GF(p), which are the obvious alternative;
the ratio is (modular time) / (homotopy time) where both finish. A row says whether the homotopy
count equals the closed form and, for degrees, whether the trace test certified it.

Usage: ``.venv/bin/python benchmarks/reach.py [--budget 600] [--cases KIND:SLUG,...] [--out benchmarks/reports/reach.json]``
"""

from __future__ import annotations

from math import comb, factorial, prod

from bench_common import benchmark_arguments, ratios_over, write_report

from pipeline.execution.runner import compute_record

CASES = ["degree:linear_w5-2-5", "degree:linear_w5-3-5", "degree:linear_w6-3-6", "degree:linear_w6-2-6",
         "degree:cnn_k3-3_s1-1_r2", "degree:cnn_k3-3-3_s1-1-1_r2",
         "ed_coefficient:linear_w5-2-5", "ed_coefficient:linear_w7-3-7", "ed_generic:linear_w4-1-4"]


def determinantal_degree(n: int, m: int, k: int) -> int:
    """Harris, Example 19.10.

    EXAMPLES::

        >>> determinantal_degree(3, 3, 2), determinantal_degree(7, 7, 3)
        (3, 24696)
    """
    cells = [(i, j) for i in range(1, n - k + 1) for j in range(1, m - k + 1)]
    return prod(k + i + j - 1 for i, j in cells) // prod(i + j - 1 for i, j in cells)


def cnn_degree(filters, r: int) -> int:
    """Shahverdi-Marchetti-Kohn: ``(sum k_i - L)! prod_j r^((L-j-1)(k_j-1)) / (k_j-1)!``.

    EXAMPLES::

        >>> cnn_degree((2, 2), 2), cnn_degree((3, 3, 3), 2)
        (4, 5760)
    """
    L = len(filters)
    top = factorial(sum(filters) - L) * prod(r ** ((L - j - 1) * (k - 1)) for j, k in enumerate(filters))
    return top // prod(factorial(k - 1) for k in filters)


def segre_generic_ed_degree(n: int, m: int) -> int:
    """Generic ED degree of ``P^(n-1) x P^(m-1)`` (DHOST Thm 5.8, ``c(X) = (1+h1)^n (1+h2)^m``).

    EXAMPLES::

        >>> segre_generic_ed_degree(3, 3), segre_generic_ed_degree(5, 5)
        (39, 2205)
    """
    d = n + m - 2
    total = 0
    for i in range(d + 1):
        # deg c_i(X) = sum over a + b = i of C(n, a) C(m, b) * deg(h1^a h2^b on X) = C(d - i, n - 1 - a)
        degree = sum(comb(n, a) * comb(m, i - a) * comb(d - i, n - 1 - a)
                     for a in range(0, i + 1) if 0 <= n - 1 - a <= d - i)
        total += (-1) ** i * (2 ** (d + 1 - i) - 1) * degree
    return total


def closed_form(kind: str, slug: str) -> int | None:
    from pipeline.spec import parse_slug

    arch = parse_slug(slug)
    if slug.startswith("linear_w"):
        widths = [int(w) for w in slug.split("_w")[1].split("-")]
        n, m, k = widths[0], widths[-1], min(widths)
        if kind == "degree":
            return determinantal_degree(n, m, k)
        if kind == "ed_coefficient":
            return comb(min(n, m), k)
        if kind == "ed_generic" and k == 1:
            return segre_generic_ed_degree(n, m)
    if slug.startswith("cnn_") and kind == "degree" and getattr(arch, "strides", None) and set(arch.strides) == {1}:
        return cnn_degree(tuple(arch.filters), arch.r)
    return None


def run(kind: str, slug: str, method: str, budget: float) -> dict:
    invariant, options = ("degree", {}) if kind == "degree" else ("ed_degree", {"metric": kind.split("_", 1)[1]})
    record = compute_record(slug, invariant, method=method, seed=1, timeout=budget, options=options)
    value = record["value"] or {}
    key = "degree" if invariant == "degree" else "ed_degree"
    return {"status": record["status"], "seconds": record["seconds"], "value": value.get(key),
            "complete": value.get("complete"), "paths": value.get("paths"), "message": record["message"]}


def reach_headline(rows: list[dict], budget: float) -> str:
    """The README sentence from the rows: what ``homotopy`` finishes, how it compares with the modular
    method, and how many of its counts equal their closed forms (and, for degrees, are certified).

    EXAMPLES::

        >>> ok = {"status": "ok", "seconds": 2.0, "value": 3, "complete": True}
        >>> rows = [{"case": "degree linear_w3-2-3", "closed_form": 3, "homotopy_equals_closed_form": True,
        ...          "agree": True, "results": {"homotopy": ok, "witness": {**ok, "seconds": 1.0}}}]
        >>> reach_headline(rows, 60)
        'reach: `homotopy` finishes 1 of 1 cases within 60 s (at most 2.0 s); the modular method 1 of 1, 2.0x faster (median where both finish); homotopy equals the closed form on 1 of 1 cases that have one; 1 of 1 degrees certified complete by the trace test.'
    """
    import statistics

    finished = [r for r in rows if r["results"]["homotopy"]["status"] == "ok"]
    text = f"reach: `homotopy` finishes {len(finished)} of {len(rows)} cases within {budget:.0f} s"
    if finished:
        text += f" (at most {max(r['results']['homotopy']['seconds'] for r in finished):.1f} s)"
    modular = [next(v for k, v in r["results"].items() if k != "homotopy") for r in rows]
    both = [m["seconds"] / max(r["results"]["homotopy"]["seconds"], 1e-3) for r, m in zip(rows, modular)
            if m["status"] == "ok" and r["results"]["homotopy"]["status"] == "ok"]
    text += f"; the modular method {sum(m['status'] == 'ok' for m in modular)} of {len(rows)}"
    if both:
        median = statistics.median(both)
        text += (f", {median:.1f}x slower" if median >= 1 else f", {1 / median:.1f}x faster") + " (median where both finish)"
    with_form = [r for r in rows if r["homotopy_equals_closed_form"] is not None]
    text += (f"; homotopy equals the closed form on {sum(r['homotopy_equals_closed_form'] for r in with_form)} "
             f"of {len(with_form)} cases that have one")
    degrees = [r for r in finished if r["case"].startswith("degree")]
    certified = sum(bool(r["results"]["homotopy"]["complete"]) for r in degrees)
    return text + f"; {certified} of {len(degrees)} degrees certified complete by the trace test."


def main(argv=None):
    args = benchmark_arguments(argv, __doc__, 600, "benchmarks/reports/reach.json", CASES)
    rows = []
    for case in args.cases.split(","):
        kind, slug = case.split(":")
        modular = "witness" if kind == "degree" else "parameter"
        results = {"homotopy": run(kind, slug, "homotopy", args.budget), modular: run(kind, slug, modular, args.budget)}
        expected = closed_form(kind, slug)
        found = {m: r["value"] for m, r in results.items() if r["status"] == "ok"}
        row = {"case": f"{kind} {slug}", "closed_form": expected, "results": results,
               "homotopy_equals_closed_form": (found.get("homotopy") == expected) if expected and "homotopy" in found else None,
               "agree": len(set(found.values())) <= 1,
               "ratio_modular_over_homotopy": ratios_over(results, "homotopy").get(modular)}
        print(row["case"], expected, {m: (r["status"], r["value"], r["seconds"], r["complete"]) for m, r in results.items()},
              flush=True)
        rows.append(row)
    headline = reach_headline(rows, args.budget)
    print(headline)
    write_report(args.out, {"budget_seconds": args.budget, "headline": headline, "rows": rows})


if __name__ == "__main__":
    main()
