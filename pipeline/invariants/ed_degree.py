"""Invariant ``ed_degree``: critical points of the squared loss on the neurovariety for generic data.

The ED degree (complex critical points on the smooth locus, for a stated metric) and the census
of parameter critical points (pure and spurious). Methods in :mod:`pipeline.invariants.methods.critical`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> SPEC.compute(parametrization("linear_w2-1-2"), seed=1, metric="coefficient")["ed_degree"]
    2
"""

from __future__ import annotations

from pipeline.invariants.spec import (
    INTEGER,
    LIST,
    STRING,
    InvariantSpec,
    Option,
    compute_with,
    metric_option,
    nullable,
    positive_int,
    value_schema,
)


def certificate(value: dict) -> dict:
    if value["method"] == "homotopy":
        return {"kind": "numerical", "seeds": value["seeds"], "tool": value["backend"], "complete": None,
                "max_residual": value["max_residual"],
                "note": "monodromy in the gauge slice with random complex data; not certified complete (no linear "
                        "trace test for the ED correspondence): " + value["stopping"]}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "note": f"{value['method']} method over GF(p); random data, metric ({value['metric']}) and gauge from the seed"}


SPEC = InvariantSpec(
    name="ed_degree",
    summary="ED degree of the squared loss for a stated metric; pure and spurious parameter critical points",
    compute=compute_with("pipeline.invariants.methods.critical", "ed_degree"),
    methods=("auto", "parameter", "parameter-nocensus", "variety", "macaulay2", "homotopy"),
    auto_chain=("parameter", "parameter-nocensus"),
    method_help={"auto": "parameter, then parameter-nocensus",
                 "parameter": "critical points in a gauge slice over GF(p), with the census of all of them",
                 "parameter-nocensus": "the same, full-rank points only",
                 "variety": "Lagrange equations on the implicit ideal mod p",
                 "macaulay2": "EuclideanDistanceDegree on the implicit ideal",
                 "homotopy": "monodromy in the gauge slice with the batched numpy tracker (numerical)"},
    options=(metric_option("ed_degree"),
             Option("data_size", positive_int("data_size"),
                    "with metric data: number of training inputs (default: twice the monomials)", int, "20")),
    certificate=certificate,
    table="critical",
    columns=("arch", "family", "metric", "dim", "span_dim", "ed_degree", "param_critical", "pure", "spurious",
             "slice_fiber_points", "method", "certificate", "seconds", "status"),
    caption=(
        "Critical points of the squared loss $(w - y)^T Q (w - y)$ on neurovarieties, for random data $w$ "
        "and the form $Q$ of the \\emph{metric} (generic: random positive definite; coefficient: Euclidean "
        "in the monomial coefficients; bombieri-weyl; data: squared error on random training inputs). "
        "\\emph{ED degree}: complex critical points on the smooth locus. Method \\emph{parameter}: critical "
        "points of full Jacobian rank in a gauge slice divided by the slice's generic fiber count "
        "(\\emph{fiber points}); \\emph{homotopy}: the full-rank critical points found by monodromy "
        "(certificate \\emph{numerical}, not certified complete); \\emph{variety}: Lagrange equations on the implicit ideal away from its "
        "singular locus; \\emph{macaulay2}: EuclideanDistanceDegree; all over a random prime (certificate "
        "\\emph{modular}). \\emph{param critical}: all critical points in the slice with a nonzero function "
        "(empty if infinitely many); \\emph{pure}: those of full rank; \\emph{spurious}: the others."
    ),
    value_schema=value_schema({"ed_degree": INTEGER, "metric": STRING, "dim": INTEGER, "method": STRING,
                               "primes": LIST, "seeds": LIST},
                              {"span_dim": INTEGER, "param_critical": nullable(INTEGER), "pure": nullable(INTEGER),
                               "spurious": nullable(INTEGER), "slice_fiber_points": nullable(INTEGER)}),
    summary_fields=("metric", "ed_degree", "param_critical", "pure", "spurious"),
)
