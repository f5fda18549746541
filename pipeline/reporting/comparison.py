"""The comparison table: pairs of architectures that differ in one feature, side by side.

A configuration's ``comparison`` lists pairs ``{feature, plain, variant}`` (monomial against
inhomogeneous activation, plain against residual, 1-D CNN against cyclic group CNN, one head
against several). ``results/tables/comparison.{csv,md,tex,meta.json}`` has two rows per pair,
read from the records of the sweep: dimension and defect, degree, the singular components by
type, the generic fiber (its dimension, points in the gauge slice, those the known symmetries
explain, the verdict), the generic ED degree and the spurious parameter critical points. A cell
whose record is missing or not ``ok`` says so (``timeout``), never a number.

EXAMPLES::

    >>> record = {"arch": "mlp_w2-2-1_r2", "invariant": "dimension", "status": "ok",
    ...           "value": {"dim": 3, "defect": 0, "params": 6}}
    >>> rows = comparison_rows([{"feature": "activation", "plain": "mlp_w2-2-1_r2", "variant": "mlp_w2-2-1_p0-1-1"}],
    ...                        {("mlp_w2-2-1_r2", "dimension"): record})
    >>> [(r["role"], r["arch"], r["dim"], r["degree"]) for r in rows]
    [('plain', 'mlp_w2-2-1_r2', 3, 'missing'), ('variant', 'mlp_w2-2-1_p0-1-1', 'missing', 'missing')]
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path

from pipeline.reporting.tables import (
    _common_versions,
    _write_atomically,
    csv_text,
    latex,
    load_records,
    markdown,
)

#: The invariants the table reads.
INVARIANTS = ("dimension", "degree", "singular", "fiber", "ed_degree")

COLUMNS = ("feature", "role", "arch", "params", "dim", "defect", "degree", "singular", "fiber", "only_known",
           "ed_degree", "spurious")

CAPTION = (
    "Architectures that differ in one feature, side by side (two rows per pair). \\emph{dim}, \\emph{defect}: "
    "dimension of the neuromanifold and expected minus actual; \\emph{degree}: of the neurovariety (of its "
    "projective closure when the coordinates are not homogeneous); \\emph{singular}: components of the singular "
    "locus by type; \\emph{fiber}: generic fiber dimension, then points in the gauge slice and those the known "
    "symmetries explain; \\emph{only known}: whether the known symmetries are all (empty: undecided); "
    "\\emph{ed degree}: generic ED degree; \\emph{spurious}: parameter critical points of the squared loss "
    "that are not of full rank (infinite where the critical set has positive dimension); a singular search that "
    "was not complete says from which dimension on it looked. Certificates per invariant in the invariants' own tables; \\emph{timeout} or "
    "\\emph{missing} where a record is not ok."
)


def _cell(record, read):
    if record is None:
        return "missing"
    if record["status"] != "ok":
        return record["status"]
    try:
        value = read(record["value"])
    except (KeyError, TypeError):
        return "missing"
    return "" if value is None else value


def _singular_text(value) -> str:
    """Components by type; where the search was not complete, from which dimension on it looked."""
    kinds = Counter(component["type"] for component in value["components"])
    text = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    if value.get("complete") is False:
        searched = value.get("searched_from_dim")
        scope = f"searched in dim >= {searched}" if searched is not None else "subnetwork images only"
        return f"{text or 'none found'} ({scope})"
    return text or "none (smooth)"


def _spurious_text(value):
    """The spurious parameter critical points, or the dimension of the critical set when it is infinite."""
    if value.get("spurious") is None and value.get("param_critical_dim"):
        return f"infinite (critical set of dim {value['param_critical_dim']})"
    if value.get("spurious") is None:
        return f"not counted ({value.get('method')})"
    return value["spurious"]


def _fiber_text(value) -> str:
    text = f"dim {value['dim']}"
    if value.get("finite_count") is not None:
        explained = "?" if value.get("explained") is None else value["explained"]
        text += f"; {value['finite_count']} pts, {explained} explained"
    return text


def _verdict(value):
    verdict = value.get("only_known_symmetries")
    return "undecided" if verdict is None else ("yes" if verdict else "no")


def comparison_rows(pairs: list[dict], records: dict) -> list[dict]:
    """Two rows per pair; ``records`` maps ``(arch, invariant)`` to a record."""
    rows = []
    for pair in pairs:
        for role in ("plain", "variant"):
            arch = pair[role]
            get = {name: records.get((arch, name)) for name in INVARIANTS}
            rows.append({
                "feature": pair["feature"], "role": role, "arch": arch,
                "params": _cell(get["dimension"], lambda v: v["params"]),
                "dim": _cell(get["dimension"], lambda v: v["dim"]),
                "defect": _cell(get["dimension"], lambda v: v["defect"]),
                "degree": _cell(get["degree"], lambda v: v["degree"]),
                "singular": _cell(get["singular"], _singular_text),
                "fiber": _cell(get["fiber"], _fiber_text),
                "only_known": _cell(get["fiber"], _verdict),
                "ed_degree": _cell(get["ed_degree"], lambda v: v["ed_degree"]),
                "spurious": _cell(get["ed_degree"], _spurious_text),
            })
    return rows


def write_comparison(pairs: list[dict], record_paths, prefix, config_hash: str | None = None) -> list[Path]:
    """Write ``<prefix>.csv``, ``.md``, ``.tex`` and ``.meta.json`` from the records; return the paths."""
    paths = [Path(path) for path in record_paths]
    loaded = [record for name in INVARIANTS
              for _, record in load_records(name, [path for path in paths if path.stem == name], config_hash)]
    records = {(r["arch"], r["invariant"]): r for r in loaded}
    rows = comparison_rows(pairs, records)
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    meta = {"table": "comparison", "caption": CAPTION, "pairs": pairs, "records": len(records),
            "statuses": {s: sum(r["status"] == s for r in loaded) for s in ("ok", "timeout", "error")},
            "config_hash": config_hash, "versions": _common_versions(loaded),
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    outputs = {".csv": csv_text(COLUMNS, rows), ".md": markdown(COLUMNS, rows) + "\n",
               ".tex": latex(COLUMNS, rows, CAPTION, "tab:comparison"), ".meta.json": json.dumps(meta, indent=2) + "\n"}
    written = []
    for suffix, text in outputs.items():
        path = prefix.with_name(prefix.name + suffix)
        _write_atomically(path, text)
        written.append(path)
    return written
