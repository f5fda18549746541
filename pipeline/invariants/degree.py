"""Invariant ``degree``: the degree of the neurovariety (of its projective closure; of the cone
for networks without biases).

Methods in :mod:`pipeline.invariants.methods.degree`: ``witness`` (points of ``mu^-1(L)`` in a
gauge slice over ``GF(p)``, divided by the gauged fiber count), ``hilbert`` (Hilbert polynomial
of the implicit ideal, exact), ``monodromy`` (Macaulay2 NumericalImplicitization, numerical), ``homotopy``
(monodromy with the project's batched tracker and a trace test, :mod:`pipeline.invariants.methods.numerical`).

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = SPEC.compute(parametrization("linear_w3-2-3"), method="witness", seed=1)
    >>> value["degree"], SPEC.certificate(value)["kind"]
    (3, 'modular')
"""

from __future__ import annotations

from pipeline.invariants.spec import INTEGER, LIST, STRING, InvariantSpec, compact_degrees, compute_with, value_schema


def certificate(value: dict) -> dict:
    kind = {"witness": "modular", "hilbert": "exact", "monodromy": "numerical", "homotopy": "numerical"}[value["method"]]
    out = {"kind": kind, "seeds": value["seeds"]}
    if kind == "modular":
        from pipeline.engines.points import counting_description

        out["primes"] = value["primes"]
        out["counting"] = counting_description(value["backend"])
    if kind == "exact":
        out["note"] = ("Hilbert polynomial of an implicit ideal eliminated over QQ; the random point only "
                       "chooses the gauge, whose rank is checked mod p, and the ideal's dimension is checked "
                       "against the Jacobian rank")
    if value["method"] == "homotopy":
        out.update(tool=value["backend"], complete=value["complete"], trace_residual=value["trace_residual"],
                   trace_threshold=value["trace_threshold"], max_residual=value["max_residual"],
                   acceptance=("linear trace test of the pseudo-witness set along a pencil of parallel slices "
                               "(complete: the second difference of the trace is below the threshold); "
                               "an incomplete set is a lower bound"))
    elif kind == "numerical":
        out["tool"] = value["backend"]
        out["acceptance"] = (f"{value.get('runs_needed', 2)} complete pseudo-witness sets (trace test) with equal "
                             f"degrees, at most {value.get('max_runs', 2)} runs; incomplete runs are lower bounds "
                             "and none is above them")
    return out


def table_rows(value: dict, joined: dict) -> list[dict]:
    """The degree's cells, with the number and degrees of the implicit generators where computed."""
    implicit = joined.get("implicit")
    if not implicit or implicit["status"] != "ok":
        return [value]
    degrees = implicit["value"]["generator_degrees"]
    return [dict(value, generators=len(degrees), generator_degrees=compact_degrees(degrees))]


SPEC = InvariantSpec(
    name="degree",
    summary="degree of the neurovariety (projective closure; cone without biases)",
    compute=compute_with("pipeline.invariants.methods.degree", "degree"),
    methods=("auto", "witness", "hilbert", "monodromy", "homotopy"),
    auto_chain=("witness", "hilbert", "monodromy"),
    method_help={"auto": "witness, then hilbert, then monodromy, each with half the remaining budget",
                 "witness": "points of mu^-1(L) in a gauge slice over GF(p) (msolve), divided by the fiber count",
                 "hilbert": "Hilbert polynomial of the implicit ideal over QQ",
                 "monodromy": "Macaulay2 numericalImageDegree on the gauge-fixed map",
                 "homotopy": "monodromy with the batched numpy tracker, certified by a trace test"},
    certificate=certificate,
    table="degree",
    columns=("arch", "family", "params", "dim", "span_dim", "degree", "fiber_points", "generators",
             "generator_degrees", "method", "certificate", "seconds", "status"),
    caption=(
        "Degrees of neurovarieties (of the projective closure; of the cone for networks without "
        "biases). Method \\emph{witness}: points of $\\mu^{-1}(L)$ in a gauge slice for a random affine "
        "space $L$ of complementary dimension, divided by the gauged fiber count (\\emph{fiber points}), "
        "over a random prime (certificate \\emph{modular}); \\emph{hilbert}: Hilbert polynomial of the "
        "implicit ideal over \\textbf{Q} (\\emph{exact}); \\emph{monodromy}: Macaulay2 "
        "NumericalImplicitization, two agreeing runs with complete pseudo-witness sets (\\emph{numerical}); "
        "\\emph{homotopy}: monodromy with the pipeline's tracker, complete when a trace test passes "
        "(\\emph{numerical}, else \\emph{numerical, incomplete}: a lower bound). "
        "Generators: number and degrees of the implicit equations in the span, where computed."
    ),
    value_schema=value_schema({"degree": INTEGER, "dim": INTEGER, "method": STRING, "seeds": LIST},
                              {"params": INTEGER, "span_dim": INTEGER, "fiber_points": INTEGER, "primes": LIST}),
    summary_fields=("degree", "dim", "params"),
    table_rows=table_rows,
    joins=("implicit",),
)
