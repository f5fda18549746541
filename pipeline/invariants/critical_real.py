"""Invariant ``critical_real``: real critical points of the squared loss over sampled real data.

Per data point the number of real critical points on the image of full Jacobian rank and their
Hessian types; along one data line the discriminant and the real count between its roots.
Methods in :mod:`pipeline.invariants.methods.real_critical`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = SPEC.compute(parametrization("linear_w2-1-2"), seed=1, samples=2)
    >>> value["samples"], len(value["counts"])
    (2, 2)
"""

from __future__ import annotations

from pipeline.invariants.spec import (
    INTEGER,
    LIST,
    OBJECT,
    SAMPLES_OPTION,
    STRING,
    InvariantSpec,
    compute_with,
    metric_option,
    value_schema,
)


def certificate(value: dict) -> dict:
    return {"kind": "numerical", "seeds": value["seeds"], "samples": value["samples"],
            "note": "critical equations exact over QQ, real roots isolated by msolve; images and Hessians "
                    "evaluated in floating point; Monte Carlo over random data"}


def table_rows(value: dict, joined: dict) -> list[dict]:
    """Histogram, extremes, types and the discriminant line as table cells."""
    line = value.get("line") or {}
    line = line if line.get("status") == "ok" else {}
    return [dict(
        value,
        histogram=", ".join(f"{k}: {v}" for k, v in value["histogram"].items()),
        min_count=min(value["counts"]) if value["counts"] else "",
        max_count=max(value["counts"]) if value["counts"] else "",
        types=", ".join(f"{k}: {v}" for k, v in value["types"].items()),
        discriminant_roots=len(line["discriminant_roots"]) if line else (value.get("line") or {}).get("status", ""),
        line_counts=" ".join(str(i["real_count"]) for i in line["intervals"]) if line else "",
    )]


SPEC = InvariantSpec(
    name="critical_real",
    summary="real critical points of the squared loss over random real data: counts, types, discriminant",
    compute=compute_with("pipeline.invariants.methods.real_critical", "critical_real"),
    methods=("auto", "msolve-real"),
    method_help={"auto": "msolve-real", "msolve-real": "exact critical equations over QQ, real roots by msolve"},
    options=(metric_option("critical_real"),
             SAMPLES_OPTION),
    certificate=certificate,
    table="critical_real",
    columns=("arch", "family", "metric", "samples", "histogram", "min_count", "max_count", "types",
             "discriminant_roots", "line_counts", "method", "certificate", "seconds", "status"),
    caption=(
        "Real critical points of the squared loss for random integer data (Gaussian, standard deviation 10, "
        "in the span), \\emph{samples} data points per architecture: the \\emph{histogram} of the number of "
        "real critical points on the image of full Jacobian rank, their Hessian \\emph{types}, and along one "
        "random data line the \\emph{discriminant roots} (critical points collide) with the real count in each "
        "interval. Critical equations exact over \\textbf{Q}, real roots isolated by msolve, Hessians in "
        "floating point (certificate \\emph{numerical})."
    ),
    value_schema=value_schema({"metric": STRING, "samples": INTEGER, "counts": LIST, "histogram": OBJECT,
                               "types": OBJECT, "method": STRING, "seeds": LIST}),
    summary_fields=("metric", "samples", "histogram"),
    table_rows=table_rows,
)
