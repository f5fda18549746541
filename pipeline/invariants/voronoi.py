"""Invariant ``voronoi``: Voronoi masses of the strata of the real neuromanifold (implicit bias).

The share of random data whose nearest point of the real neuromanifold lies on each stratum
(smooth part, subnetwork loci where the Jacobian drops rank, the vertex), with Wilson 95%
intervals. Methods in :mod:`pipeline.invariants.methods.real_critical`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = SPEC.compute(parametrization("linear_w2-1-2"), seed=1, samples=3)
    >>> sum(s["hits"] for s in value["strata"])
    3
"""

from __future__ import annotations

from pipeline.invariants.critical_real import certificate  # the same Monte Carlo over exact solves
from pipeline.invariants.spec import (
    INTEGER,
    LIST,
    SAMPLES_OPTION,
    STRING,
    InvariantSpec,
    compute_with,
    metric_option,
    value_schema,
)


def table_rows(value: dict, joined: dict) -> list[dict]:
    """One row per stratum."""
    base = {"metric": value["metric"], "samples": value["samples"]}
    return [dict(base, stratum=s["stratum"], subnetwork=s["subnetwork"] or "", stratum_dim=s["dim"], hits=s["hits"],
                 mass=round(s["mass"], 4), ci95_low=round(s["ci95"][0], 4), ci95_high=round(s["ci95"][1], 4))
            for s in value["strata"]] or [base]


SPEC = InvariantSpec(
    name="voronoi",
    summary="Voronoi masses of the strata of the real neuromanifold, Monte Carlo with Wilson intervals",
    compute=compute_with("pipeline.invariants.methods.real_critical", "voronoi"),
    methods=("auto", "msolve-real"),
    method_help={"auto": "msolve-real", "msolve-real": "nearest real critical point over all strata, by msolve"},
    options=(metric_option("voronoi"),
             SAMPLES_OPTION),
    certificate=certificate,
    table="voronoi",
    columns=("arch", "family", "metric", "samples", "stratum", "subnetwork", "stratum_dim", "hits", "mass",
             "ci95_low", "ci95_high", "method", "certificate", "seconds", "status"),
    caption=(
        "Voronoi masses of the strata of the real neuromanifold: the share of random data whose nearest point "
        "lies on the stratum (smooth part, subnetwork loci where the Jacobian drops rank, the vertex), with "
        "Wilson 95\\% intervals. Nearest points are the best real critical points over all strata, each "
        "stratum's critical equations solved exactly over \\textbf{Q} with msolve (certificate "
        "\\emph{numerical})."
    ),
    value_schema=value_schema({"metric": STRING, "samples": INTEGER, "strata": LIST, "method": STRING,
                               "seeds": LIST}),
    summary_fields=("metric", "samples"),
    table_rows=table_rows,
)
