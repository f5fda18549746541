"""Invariant ``dimension``: the dimension of the neuromanifold, its expected value and the defect.

The dimension is the generic rank of the Jacobian of the parametrization (exact expressivity;
it governs sample complexity). Expected: parameters minus the generic orbit dimension of the
known symmetry group, capped by the span of the coordinates; defect = expected - dim.
Methods in :mod:`pipeline.invariants.methods.dimension`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = SPEC.compute(parametrization("linear_w3-1-3"), method="auto", seed=1)
    >>> value["dim"], SPEC.certificate(value)["kind"]
    (5, 'modular')
"""

from __future__ import annotations

from pipeline.invariants.spec import INTEGER, LIST, STRING, InvariantSpec, compute_with, nullable, value_schema


def certificate(value: dict) -> dict:
    if value["method"] == "numerical":
        return {"kind": "numerical", "tool": value["tool"], "seeds": value["seeds"]}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": len(value["primes"]),
            "agree": value["agree"]}


SPEC = InvariantSpec(
    name="dimension",
    summary="dimension of the neuromanifold, expected dimension from the known symmetries, defect",
    compute=compute_with("pipeline.invariants.methods.dimension", "dimension"),
    methods=("auto", "symbolic", "evaluation", "numerical"),
    method_help={"auto": "symbolic for small expansions, evaluation otherwise",
                 "symbolic": "Jacobian of the expanded coordinates at random points mod two primes",
                 "evaluation": "reverse-mode Jacobian of the network on random samples mod two primes",
                 "numerical": "Macaulay2 numericalImageDim"},
    certificate=certificate,
    table="dimension",
    columns=("arch", "family", "params", "ambient_dim", "span_dim", "symmetry_dim", "expected_dim", "dim",
             "defect", "method", "certificate", "seconds", "status"),
    caption=(
        "Dimensions of neuromanifolds. \\emph{dim}: generic rank of the Jacobian of the "
        "parametrization at random points over two random primes (certificate \\emph{modular}; "
        "method \\emph{symbolic}: Jacobian of the expanded coordinates, \\emph{evaluation}: "
        "reverse-mode Jacobian of the network on random samples); \\emph{expected}: parameters "
        "minus the generic orbit dimension of the known symmetry group, capped by the span "
        "dimension of the coordinates; \\emph{defect} = expected $-$ dim."
    ),
    value_schema=value_schema(
        {"dim": INTEGER, "params": INTEGER, "ambient_dim": INTEGER, "span_dim": nullable(INTEGER),
         "expected_dim": nullable(INTEGER), "defect": nullable(INTEGER), "method": STRING, "seeds": LIST},
        {"symmetry_dim": INTEGER, "primes": LIST, "ranks": LIST}),
    summary_fields=("dim", "expected_dim", "span_dim", "params", "defect", "symmetry_dim"),
)
