"""Invariant ``implicit``: the implicit equations of the neurovariety in the span of its coordinates.

Elimination after span restriction and gauge fixing (graded by the coordinate degrees where
homogeneous), exact over ``QQ``. Methods (the elimination engine) in
:mod:`pipeline.invariants.methods.implicit`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> SPEC.compute(parametrization("linear_w2-1-2"), seed=1)["generators"]
    ['c2*c3 - c1*c4']
"""

from __future__ import annotations

from pipeline.invariants.spec import (
    BOOLEAN,
    INTEGER,
    LIST,
    STRING,
    InvariantSpec,
    compact_degrees,
    compute_with,
    value_schema,
)


def certificate(value: dict) -> dict:
    if value["field"] == "QQ":
        return {"kind": "exact", "field": "QQ", "seeds": value["seeds"],
                "note": "elimination over QQ; the random point only chooses the gauge and is checked by a rank"}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"]}


def table_rows(value: dict, joined: dict) -> list[dict]:
    degrees = value["generator_degrees"]
    return [dict(value, generators=len(degrees), generator_degrees=compact_degrees(degrees))]


SPEC = InvariantSpec(
    name="implicit",
    summary="implicit equations of the neurovariety in the linear span of its coordinates",
    compute=compute_with("pipeline.invariants.methods.implicit", "implicit"),
    methods=("auto", "singular", "macaulay2"),
    method_help={"auto": "singular", "singular": "Singular's eliminate (in Sage)", "macaulay2": "Macaulay2's eliminate"},
    certificate=certificate,
    table="implicit",
    columns=("arch", "family", "dim", "span_dim", "linear_equations", "generators", "generator_degrees", "graded",
             "method", "certificate", "seconds", "status"),
    caption=(
        "Implicit equations of neurovarieties in the linear span of the coordinates, by elimination "
        "after gauge fixing (graded by the coordinate degrees where homogeneous); linear equations cut "
        "out the span in the ambient space."
    ),
    value_schema=value_schema(
        {"dim": INTEGER, "span_dim": INTEGER, "linear_equations": INTEGER, "generators": LIST,
         "generator_degrees": LIST, "graded": BOOLEAN, "field": STRING, "method": STRING, "seeds": LIST}),
    summary_fields=("dim", "span_dim", "linear_equations", "generator_degrees"),
    table_rows=table_rows,
)
