"""Invariant ``fiber``: the generic fiber of the parametrization (identifiability, hidden symmetries).

Fiber dimension, the orbit dimension of the known continuous symmetries, the points of the
fiber in a gauge slice (counted over the algebraic closure), those the known discrete
symmetries explain, and the subnetwork loci where the Jacobian rank drops. Methods (the
counting engine) in :mod:`pipeline.invariants.methods.fiber`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = SPEC.compute(parametrization("mlp_w2-2-1_r2"), seed=1)
    >>> value["params"], value["dim"], value["symmetry_dim"], value["only_known_symmetries"]
    (6, 3, 2, False)

Six weights, a three-dimensional space of binary quadratic forms: a fiber of dimension 3, of which
the two hidden neurons' rescalings explain 2.
"""

from __future__ import annotations

from pipeline.invariants.spec import BOOLEAN, INTEGER, LIST, STRING, InvariantSpec, compute_with, nullable, value_schema


def certificate(value: dict) -> dict:
    from pipeline.engines.points import counting_description

    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "counting": counting_description(value["method"])}


def table_rows(value: dict, joined: dict) -> list[dict]:
    strata = value["jacobian_strata"]
    return [dict(value, critical_strata=f"{sum(s['drop'] > 0 for s in strata)}/{len(strata)}",
                 undecided=value.get("undecided"))]


SPEC = InvariantSpec(
    name="fiber",
    summary="generic fiber: dimension, known symmetries, points in a gauge slice, discrete symmetries",
    compute=compute_with("pipeline.invariants.methods.fiber", "fiber"),
    methods=("auto", "singular", "msolve", "macaulay2"),
    method_help={"auto": "singular", "singular": "Singular (in Sage) counts the points",
                 "msolve": "msolve F4 leading ideal, standard monomials counted",
                 "macaulay2": "Macaulay2 counts the points"},
    certificate=certificate,
    table="fibers",
    columns=("arch", "family", "params", "dim", "symmetry_dim", "finite_count", "explained", "discrete_group",
             "only_known_symmetries", "undecided", "critical_strata", "method", "certificate", "seconds", "status"),
    caption=(
        "Generic fibers of the parametrizations at a random point over a random prime (certificate "
        "\\emph{modular}). \\emph{dim}: fiber dimension; \\emph{symmetry dim}: dimension of the orbit "
        "of the known continuous symmetries; \\emph{finite count}: points of the fiber in the gauge slice "
        "(pivot parameters of the symmetry tangents fixed), counted over the algebraic closure from a "
        "zero-dimensional Groebner basis; \\emph{explained}: those given by the known symmetries, counted "
        "image by image (or by elimination where the group has stabilizers); empty when the fiber is larger "
        "than the orbit; \\emph{only known symmetries}: true when the counts agree, false only with a witness "
        "(a fiber tangent outside the symmetry algebra, or more points than explained), empty when undecided, "
        "with the reason in \\emph{undecided} (a shortfall of points is one); \\emph{critical strata}: subnetwork loci (a hidden "
        "neuron removed, a filter tap zero, a key dimension dropped) on which the Jacobian rank drops, of "
        "those sampled."
    ),
    value_schema=value_schema(
        {"dim": INTEGER, "params": INTEGER, "symmetry_dim": INTEGER, "finite_count": nullable(INTEGER),
         "explained": nullable(INTEGER), "discrete_group": STRING, "only_known_symmetries": nullable(BOOLEAN),
         "jacobian_strata": LIST, "method": STRING, "primes": LIST, "seeds": LIST},
        {"explained_by": nullable(STRING), "undecided": nullable(STRING)}),
    summary_fields=("dim", "params", "symmetry_dim", "finite_count", "explained", "only_known_symmetries"),
    table_rows=table_rows,
)
