"""Records -> tidy CSV, Markdown and LaTeX (booktabs) tables, with provenance.

A table row is one record; a record whose status is not ``ok`` still gets a row,
its numbers empty and its status shown. ``<prefix>.meta.json`` records the
pipeline commit, the config hash, the versions, the date and the statuses.

EXAMPLES::

    >>> from pipeline.records import make_record
    >>> rec = make_record("linear_w2-1-2", "dimension", status="timeout", message="budget", seed=0)
    >>> rows = table_rows("dimension", [rec])
    >>> rows[0]["arch"], rows[0]["status"], rows[0]["dim"]
    ('linear_w2-1-2', 'timeout', '')
    >>> print(markdown(["a", "b"], [{"a": "x_1", "b": 2}]))
    | a | b |
    |---|---|
    | x_1 | 2 |
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from pathlib import Path

from pipeline.records import read_record, versions

COLUMNS = {
    "dimension": ["arch", "family", "params", "ambient_dim", "span_dim", "symmetry_dim", "expected_dim",
                  "dim", "defect", "method", "certificate", "seconds", "status"],
    "fiber": ["arch", "family", "params", "dim", "symmetry_dim", "finite_count", "explained",
              "discrete_group", "only_known_symmetries", "critical_strata", "method", "certificate", "seconds",
              "status"],

    "degree": ["arch", "family", "params", "dim", "span_dim", "degree", "fiber_points", "generators",
               "generator_degrees", "method", "certificate", "seconds", "status"],
    "implicit": ["arch", "family", "dim", "span_dim", "linear_equations", "generators", "generator_degrees",
                 "graded", "method", "certificate", "seconds", "status"],
    "singular": ["arch", "family", "dim", "component", "component_dim", "component_degree", "multiplicity",
                 "tangent_cone_components", "subnetwork", "type", "critical_value_in_slice", "real_position",
                 "found_by", "searched_from_dim", "method",
                 "certificate", "seconds", "status"],
    "ed_degree": ["arch", "family", "metric", "dim", "span_dim", "ed_degree", "param_critical", "pure", "spurious",
                  "slice_fiber_points", "method", "certificate", "seconds", "status"],
    "critical_real": ["arch", "family", "metric", "samples", "histogram", "min_count", "max_count", "types",
                      "discriminant_roots", "line_counts", "method", "certificate", "seconds", "status"],
    "voronoi": ["arch", "family", "metric", "samples", "stratum", "subnetwork", "stratum_dim", "hits", "mass",
                "ci95_low", "ci95_high", "method", "certificate", "seconds", "status"],
}

#: The file name of each invariant's table under results/tables/.
TABLE_NAMES = {"dimension": "dimension", "fiber": "fibers", "degree": "degree", "implicit": "implicit",
               "singular": "singular", "ed_degree": "critical", "critical_real": "critical_real",
               "voronoi": "voronoi"}

CAPTIONS = {
    "dimension": (
        "Dimensions of neuromanifolds. \\emph{dim}: generic rank of the Jacobian of the "
        "parametrization at random points over two random primes (certificate \\emph{modular}; "
        "method \\emph{symbolic}: Jacobian of the expanded coordinates, \\emph{evaluation}: "
        "reverse-mode Jacobian of the network on random samples); \\emph{expected}: parameters "
        "minus the generic orbit dimension of the known symmetry group, capped by the span "
        "dimension of the coordinates; \\emph{defect} = expected $-$ dim."
    ),
    "fiber": (
        "Generic fibers of the parametrizations at a random point over a random prime (certificate "
        "\\emph{modular}). \\emph{dim}: fiber dimension; \\emph{symmetry dim}: dimension of the orbit "
        "of the known continuous symmetries; \\emph{finite count}: points of the fiber in the gauge slice "
        "(pivot parameters of the symmetry tangents fixed), counted over the algebraic closure from a "
        "zero-dimensional Groebner basis; \\emph{explained}: those given by the known symmetries; "
        "empty when the fiber is larger than the orbit; \\emph{critical strata}: subnetwork loci (a hidden "
        "neuron removed, a filter tap zero, a key dimension dropped) on which the Jacobian rank drops, of "
        "those sampled."
    ),
    "degree": (
        "Degrees of neurovarieties (of the projective closure; of the cone for networks without "
        "biases). Method \\emph{witness}: points of $\\mu^{-1}(L)$ in a gauge slice for a random affine "
        "space $L$ of complementary dimension, divided by the gauged fiber count (\\emph{fiber points}), "
        "over a random prime (certificate \\emph{modular}); \\emph{hilbert}: Hilbert polynomial of the "
        "implicit ideal over \\textbf{Q} (\\emph{exact}); \\emph{monodromy}: Macaulay2 "
        "NumericalImplicitization, two agreeing runs with complete pseudo-witness sets (\\emph{numerical}). "
        "Generators: number and degrees of the implicit equations in the span, where computed."
    ),
    "singular": (
        "Singular loci of neurovarieties, one row per component (affine dimension and degree of the cone; "
        "the neurovariety itself has dimension \\emph{dim}). Jacobian criterion on the implicit ideal "
        "cut by random affine slices (components of dimension at least \\emph{searched from} are all "
        "found), minimal primes over a random prime (certificate \\emph{modular}); \\emph{found by} "
        "\\emph{subnetwork test}: a subnetwork image at whose random point the Jacobian rank of the implicit "
        "ideal drops, below \\emph{searched from} or, with an empty \\emph{searched from} (method "
        "\\emph{subnetworks}), where the criterion ran out: such rows are sound but the list is not known to be "
        "complete, and the degree is a witness count on the subnetwork's map. \\emph{multiplicity}: "
        "of the neurovariety at a random point of the component (empty: not computed within its budget; degree of the tangent cone, whose "
        "number of components is given, or for a subnetwork-test row the intersection number at the point of a "
        "curve section with a hyperplane through it). \\emph{subnetwork}: the subnetwork whose image closure equals the "
        "component (ideal equality). \\emph{type}: \\emph{critical} (critical values of the "
        "parametrization: a non-reduced or positive-dimensional gauged fiber, a Jacobian rank drop on the "
        "subnetwork locus, or a sampled point in the image of the critical locus computed in the gauge slice: "
        "\\emph{critical value in slice}; False only says that the slice has no critical point over it outside "
        "gauge artifacts), "
        "\\emph{fiber} (several branches of regular preimages meet), \\emph{vertex} "
        "(the cone point). \\emph{real position}: with respect to the image of real weights, by sampling."
    ),
    "ed_degree": (
        "Critical points of the squared loss $(w - y)^T Q (w - y)$ on neurovarieties, for random data $w$ "
        "and the form $Q$ of the \\emph{metric} (generic: random positive definite; coefficient: Euclidean "
        "in the monomial coefficients; bombieri-weyl; data: squared error on random training inputs). "
        "\\emph{ED degree}: complex critical points on the smooth locus. Method \\emph{parameter}: critical "
        "points of full Jacobian rank in a gauge slice divided by the slice's generic fiber count "
        "(\\emph{fiber points}); \\emph{variety}: Lagrange equations on the implicit ideal away from its "
        "singular locus; \\emph{macaulay2}: EuclideanDistanceDegree; all over a random prime (certificate "
        "\\emph{modular}). \\emph{param critical}: all critical points in the slice with a nonzero function "
        "(empty if infinitely many); \\emph{pure}: those of full rank; \\emph{spurious}: the others."
    ),
    "critical_real": (
        "Real critical points of the squared loss for random integer data (Gaussian, standard deviation 10, "
        "in the span), \\emph{samples} data points per architecture: the \\emph{histogram} of the number of "
        "real critical points on the image of full Jacobian rank, their Hessian \\emph{types}, and along one "
        "random data line the \\emph{discriminant roots} (critical points collide) with the real count in each "
        "interval. Critical equations exact over \\textbf{Q}, real roots isolated by msolve, Hessians in "
        "floating point (certificate \\emph{numerical})."
    ),
    "voronoi": (
        "Voronoi masses of the strata of the real neuromanifold: the share of random data whose nearest point "
        "lies on the stratum (smooth part, subnetwork loci where the Jacobian drops rank, the vertex), with "
        "Wilson 95\\% intervals. Nearest points are the best real critical points over all strata, each "
        "stratum's critical equations solved exactly over \\textbf{Q} with msolve (certificate "
        "\\emph{numerical})."
    ),
    "implicit": (
        "Implicit equations of neurovarieties in the linear span of the coordinates, by elimination "
        "after gauge fixing (graded by the coordinate degrees where homogeneous); linear equations cut "
        "out the span in the ambient space."
    ),
}


#: LaTeX in the captions -> reStructuredText, for the captions of ``snakemake --report``.
_LATEX_TO_RST = ((r"\textbf{Q}", "**Q**"), (r"\%", "%"), ("$-$", "-"))


def caption_rst(invariant: str) -> str:
    """The caption of an invariant's table as reStructuredText (``snakemake --report``).

    ``\\emph{x}`` becomes ``*x*``, ``$...$`` becomes ``:math:`...```.

    EXAMPLES::

        >>> caption_rst("voronoi")[:60]
        'Voronoi masses of the strata of the real neuromanifold: the '
        >>> "Wilson 95% intervals" in caption_rst("voronoi"), "*dim*" in caption_rst("dimension")
        (True, True)
        >>> ":math:`L`" in caption_rst("degree"), "**Q**" in caption_rst("degree")
        (True, True)
    """
    text = CAPTIONS[invariant]
    for latex_text, rst_text in _LATEX_TO_RST:
        text = text.replace(latex_text, rst_text)
    text = re.sub(r"\\emph\{([^{}]*)\}", r"*\1*", text)
    return re.sub(r"\$([^$]*)\$", r":math:`\1`", text)


def _certificate_text(certificate) -> str:
    if not certificate:
        return ""
    if certificate.get("kind") == "modular":
        agree = "" if certificate.get("agree", True) else ", runs disagree"
        count = len(certificate.get("primes", []))
        return f"modular ({count} prime{'s' if count != 1 else ''}{agree})"
    return str(certificate.get("kind"))


def compact_degrees(degrees) -> str:
    """Generator degrees as ``degree^count`` runs.

    EXAMPLES::

        >>> compact_degrees([2, 2, 3, 4, 4, 4])
        '2^2 3 4^3'
    """
    runs = []
    for d in sorted(set(degrees)):
        count = degrees.count(d)
        runs.append(f"{d}^{count}" if count > 1 else str(d))
    return " ".join(runs)


def _join_implicit(record, implicit_records):
    """Number and degrees of the implicit generators of the same architecture, if computed."""
    other = implicit_records.get(record["arch"])
    if not other or other["status"] != "ok":
        return {}
    degrees = other["value"]["generator_degrees"]
    return {"generators": len(degrees), "generator_degrees": compact_degrees(degrees)}


def table_rows(invariant: str, records: list[dict], implicit_records: dict | None = None) -> list[dict]:
    """One row per record with the columns of ``COLUMNS[invariant]`` (strings or numbers)."""
    if invariant == "singular":
        return [row for record in records for row in _singular_rows(record)]
    if invariant == "voronoi":
        return [row for record in records for row in _voronoi_rows(record)]
    rows = []
    for record in records:
        value = dict(record.get("value") or {})
        if invariant == "degree":
            value.update(_join_implicit(record, implicit_records or {}))
        if invariant == "fiber" and record.get("value"):
            strata = value.get("jacobian_strata", [])
            value["critical_strata"] = f"{sum(s['drop'] > 0 for s in strata)}/{len(strata)}"
        if invariant == "critical_real" and record.get("value"):
            value.update(_real_summary(value))
        if invariant == "implicit" and record.get("value"):
            value["generators"] = len(value["generator_degrees"])
            value["generator_degrees"] = compact_degrees(value["generator_degrees"])
        row = {column: value.get(column, "") for column in COLUMNS[invariant]}
        row["arch"] = record["arch"]
        row["family"] = record["arch"].split("_", 1)[0]
        row["method"] = record.get("method") or ""
        row["certificate"] = _certificate_text(record.get("certificate"))
        row["seconds"] = record.get("seconds") if record.get("seconds") is not None else ""
        row["status"] = record["status"]
        rows.append({k: ("" if v is None else v) for k, v in row.items()})
    return rows


def _real_summary(value) -> dict:
    """Histogram, extremes, types and the discriminant line of a ``critical_real`` value as table cells."""
    line = value.get("line") or {}
    line = line if line.get("status") == "ok" else {}
    return {
        "histogram": ", ".join(f"{k}: {v}" for k, v in value["histogram"].items()),
        "min_count": min(value["counts"]) if value["counts"] else "",
        "max_count": max(value["counts"]) if value["counts"] else "",
        "types": ", ".join(f"{k}: {v}" for k, v in value["types"].items()),
        "discriminant_roots": len(line["discriminant_roots"]) if line else (value.get("line") or {}).get("status", ""),
        "line_counts": " ".join(str(i["real_count"]) for i in line["intervals"]) if line else "",
    }


def _base_row(invariant, record, *value_keys) -> dict:
    """The per-record cells of a table with several rows per record; ``value_keys`` copied from the value."""
    value = record.get("value") or {}
    base = {column: "" for column in COLUMNS[invariant]}
    base.update({key: value.get(key, "") for key in value_keys})
    base.update(arch=record["arch"], family=record["arch"].split("_", 1)[0], method=record.get("method") or "",
                certificate=_certificate_text(record.get("certificate")), status=record["status"],
                seconds=record.get("seconds") if record.get("seconds") is not None else "")
    return base


def _voronoi_rows(record) -> list[dict]:
    """One row per stratum; one row for a failed record."""
    value = record.get("value") or {}
    base = _base_row("voronoi", record, "metric", "samples")
    strata = value.get("strata") or []
    if not strata:
        return [base]
    return [dict(base, stratum=s["stratum"], subnetwork=s["subnetwork"] or "", stratum_dim=s["dim"], hits=s["hits"],
                 mass=round(s["mass"], 4), ci95_low=round(s["ci95"][0], 4), ci95_high=round(s["ci95"][1], 4))
            for s in strata]


def _singular_rows(record) -> list[dict]:
    """One row per singular component; one row (no component) for a smooth or failed record."""
    value = record.get("value") or {}
    base = _base_row("singular", record, "dim", "searched_from_dim")
    components = value.get("components") or []
    if not components:
        if record["status"] == "ok":
            base["component"] = "none (smooth)"
        return [base]
    rows = []
    for index, component in enumerate(components, start=1):
        real = component.get("real_position")
        row = dict(base, component=index, component_dim=component["dim"], component_degree=component["degree"],
                   multiplicity=component.get("multiplicity"),
                   tangent_cone_components=component.get("tangent_cone_components"),
                   subnetwork=component.get("subnetwork") or component.get("subnetwork_label") or "none",
                   type=component.get("type"), critical_value_in_slice=component.get("critical_value_in_slice"),
                   found_by=component.get("found_by"),
                   real_position=real.get("position") if isinstance(real, dict) else real)
        rows.append({k: ("" if v is None else v) for k, v in row.items()})
    return rows


def csv_text(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def markdown(columns, rows) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def _tex_escape(text) -> str:
    text = str(text)
    for char, replacement in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("%", r"\%"), ("&", r"\&"),
                              ("#", r"\#"), ("^", r"\^{}"), ("$", r"\$")):
        text = text.replace(char, replacement)
    return text


def latex(columns, rows, caption: str, label: str) -> str:
    """A booktabs table (needs ``\\usepackage{booktabs}`` and nothing else; compiled by a test)."""
    align = "".join("l" if c in ("arch", "family", "method", "certificate", "status") else "r" for c in columns)
    body = [" & ".join(_tex_escape(row[c]) for c in columns) + r" \\" for row in rows]
    return "\n".join([
        r"\begin{table}[ht]",
        r"\centering",
        r"\small",
        rf"\begin{{tabular}}{{{align}}}",
        r"\toprule",
        " & ".join(_tex_escape(c).replace(r"\_", " ") for c in columns) + r" \\",
        r"\midrule",
        *body,
        r"\bottomrule",
        r"\end{tabular}",
        rf"\caption{{{caption}}}",
        rf"\label{{{label}}}",
        r"\end{table}",
        "",
    ])


def write_tables(invariant: str, record_paths, prefix, config_hash: str | None = None) -> list[Path]:
    """Write ``<prefix>.csv``, ``.md``, ``.tex`` and ``.meta.json``; return the paths.

    ``record_paths`` may mix invariants: the rows are the records of ``invariant``; for the
    degree table, ``implicit`` records of the same architectures fill the generator columns.
    """
    everything = [read_record(path) for path in record_paths]
    records = [r for r in everything if r["invariant"] == invariant]
    implicit_records = {r["arch"]: r for r in everything if r["invariant"] == "implicit"}
    columns = COLUMNS[invariant]
    rows = table_rows(invariant, records, implicit_records)
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    outputs = {
        ".csv": csv_text(columns, rows),
        ".md": markdown(columns, rows) + "\n",
        ".tex": latex(columns, rows, CAPTIONS[invariant], f"tab:{invariant}"),
    }
    meta = {
        "invariant": invariant,
        "caption": CAPTIONS[invariant],
        "records": len(records),
        "statuses": {s: sum(r["status"] == s for r in records) for s in ("ok", "timeout", "error")},
        "config_hash": config_hash,
        "versions": versions(),
        "record_versions": sorted({json.dumps(r.get("versions"), sort_keys=True) for r in records}),
        "seeds": sorted({r.get("seed") for r in records if r.get("seed") is not None}),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    outputs[".meta.json"] = json.dumps(meta, indent=2) + "\n"
    written = []
    for suffix, text in outputs.items():
        path = prefix.with_name(prefix.name + suffix)
        path.write_text(text)
        written.append(path)
    return written
