"""Invariant ``singular``: the singular locus of the neurovariety, its components and their types.

Jacobian criterion on the implicit ideal cut by random affine slices, minimal primes, and per
component its dimension, degree, multiplicity, the subnetwork whose image it is, its type
(critical, fiber, vertex) and real position; where the criterion runs out, the subnetwork test
(sound, not complete). Methods in :mod:`pipeline.invariants.methods.singular`.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = SPEC.compute(parametrization("linear_w3-2-3"), method="singular", seed=1)
    >>> [(c["dim"], c["degree"], c["type"], c["subnetwork"]) for c in value["components"]]
    [(5, 6, 'critical', 'linear_w3-1-3'), (0, 1, 'vertex', None)]

The rank <= 1 matrices of size 3 (the image of the subnetwork of width 1: the Segre variety,
of affine dimension 5 and degree 6) and the cone point.
"""

from __future__ import annotations

from pipeline.invariants.spec import BOOLEAN, INTEGER, LIST, STRING, InvariantSpec, compute_with, nullable, value_schema


def certificate(value: dict) -> dict:
    if value.get("complete") is False:
        return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1, "complete": False,
                "note": "Jacobian rank of the implicit ideal (exact over QQ) at random GF(p)-points of the subnetwork "
                        "images; components that are no subnetwork image are not searched for"}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "note": "random slices, generator mix and points over GF(p); the implicit ideal itself is exact over QQ"}


def table_rows(value: dict, joined: dict) -> list[dict]:
    """One row per singular component; one row saying so for a smooth neurovariety."""
    base = {"dim": value["dim"], "searched_from_dim": value["searched_from_dim"]}
    if not value["components"]:
        return [dict(base, component="none (smooth)")]
    rows = []
    for index, component in enumerate(value["components"], start=1):
        real = component.get("real_position")
        rows.append(dict(base, component=index, component_dim=component["dim"], component_degree=component["degree"],
                         multiplicity=component.get("multiplicity"),
                         tangent_cone_components=component.get("tangent_cone_components"),
                         subnetwork=component.get("subnetwork") or component.get("subnetwork_label") or "none",
                         type=component.get("type"), critical_value_in_slice=component.get("critical_value_in_slice"),
                         found_by=component.get("found_by"),
                         real_position=real.get("position") if isinstance(real, dict) else real))
    return rows


SPEC = InvariantSpec(
    name="singular",
    summary="singular locus: components, their dimension, degree, multiplicity, subnetwork and type",
    compute=compute_with("pipeline.invariants.methods.singular", "singular"),
    methods=("auto", "singular", "macaulay2", "subnetworks"),
    auto_chain=("singular", "subnetworks"),
    method_help={"auto": "singular, then subnetworks, each with half the remaining budget",
                 "singular": "Jacobian criterion, minimal primes by Singular (in Sage)",
                 "macaulay2": "Jacobian criterion, minimal primes by Macaulay2",
                 "subnetworks": "Jacobian rank of the implicit ideal at points of the subnetwork images (sound, "
                                "not complete)"},
    certificate=certificate,
    table="singular",
    columns=("arch", "family", "dim", "component", "component_dim", "component_degree", "multiplicity",
             "tangent_cone_components", "subnetwork", "type", "critical_value_in_slice", "real_position",
             "found_by", "searched_from_dim", "method", "certificate", "seconds", "status"),
    caption=(
        "Singular loci of neurovarieties, one row per component (affine dimension and degree of the cone; "
        "the neurovariety itself has dimension \\emph{dim}). Jacobian criterion on the implicit ideal "
        "cut by random affine slices (components of dimension at least \\emph{searched from} are all "
        "found), minimal primes over a random prime (certificate \\emph{modular}); \\emph{found by} "
        "\\emph{subnetwork test}: a subnetwork image at whose random point the Jacobian rank of the implicit "
        "ideal drops, below \\emph{searched from} or, with an empty \\emph{searched from} (method "
        "\\emph{subnetworks}), where the criterion ran out: such rows are sound but the list is not known to be "
        "complete, and the degree is a witness count on the subnetwork's map. \\emph{multiplicity}: "
        "of the neurovariety at a random point of the component (empty: not computed within its budget; degree of "
        "the tangent cone, whose "
        "number of components is given, or for a subnetwork-test row the intersection number at the point of a "
        "curve section with a hyperplane through it). \\emph{subnetwork}: the subnetwork whose image closure "
        "equals the component (ideal equality). \\emph{type}: \\emph{critical} (critical values of the "
        "parametrization: a non-reduced or positive-dimensional gauged fiber, a Jacobian rank drop on the "
        "subnetwork locus, or a sampled point in the image of the critical locus computed in the gauge slice: "
        "\\emph{critical value in slice}; False only says that the slice has no critical point over it outside "
        "gauge artifacts), "
        "\\emph{fiber} (several branches of regular preimages meet), \\emph{vertex} "
        "(the cone point). \\emph{real position}: with respect to the image of real weights, by sampling."
    ),
    value_schema=value_schema(
        {"dim": INTEGER, "components": LIST, "searched_from_dim": nullable(INTEGER), "method": STRING,
         "primes": LIST, "seeds": LIST}, {"complete": BOOLEAN}),
    summary_fields=("dim", "searched_from_dim", "complete"),
    table_rows=table_rows,
)
