"""Records -> tidy CSV, Markdown and LaTeX (booktabs) tables, with provenance.

A table row is one record; a record whose status is not ``ok`` still gets a row,
its numbers empty and its status shown. ``<prefix>.meta.json`` records the
pipeline commit, the config hash, the versions, the date and the statuses.

EXAMPLES::

    >>> from pipeline.execution.records import make_record
    >>> rec = make_record("linear_w2-1-2", "dimension", status="timeout", message="budget", seed=0)
    >>> rows = table_rows("dimension", [rec])
    >>> rows[0]["arch"], rows[0]["status"], rows[0]["dim"]
    ('linear_w2-1-2', 'timeout', '')
    >>> print(markdown(["a", "b"], [{"a": "x_1", "b": 2}]))
    | a   | b   |
    |-----|-----|
    | x_1 | 2   |
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import tempfile
from pathlib import Path

from pipeline.errors import RecordError
from pipeline.execution.records import check_record, read_record
from pipeline.invariants import spec_of

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
    text = spec_of(invariant).caption
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


def table_rows(invariant: str, records: list[dict], joined: dict | None = None) -> list[dict]:
    """The rows of ``records`` in the table of ``invariant``: the spec's cells of an ``ok`` record's value
    (one row or several), or one row with empty cells and its status for a record that is not ``ok``.

    ``joined`` maps an architecture to ``{invariant: record}`` of the invariants the spec joins
    (the degree table shows the implicit generators).
    """
    spec = spec_of(invariant)
    rows = []
    for record in records:
        cells_list = spec.rows(record["value"], (joined or {}).get(record["arch"], {})) if record["status"] == "ok" else [{}]
        for cells in cells_list:
            row = {column: cells.get(column, "") for column in spec.columns}
            row.update(arch=record["arch"], family=record["arch"].split("_", 1)[0], method=record.get("method") or "",
                       certificate=_certificate_text(record.get("certificate")), status=record["status"],
                       seconds=record.get("seconds") if record.get("seconds") is not None else "")
            rows.append({k: ("" if v is None else v) for k, v in row.items()})
    return rows


def csv_text(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def markdown(columns, rows) -> str:
    """A GitHub-flavoured Markdown table (tabulate), every cell as written in the CSV."""
    from tabulate import tabulate

    return tabulate([[str(row[c]) for c in columns] for row in rows], headers=list(columns), tablefmt="github",
                    disable_numparse=True)


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




def load_records(invariant: str, record_paths, config_hash: str | None = None) -> list[tuple[Path, dict]]:
    """``(path, record)`` of every record file; raise :class:`~pipeline.errors.RecordError` on the first bad one.

    A record is bad if :func:`~pipeline.execution.records.read_record` refuses it, if its ``invariant`` is
    neither ``invariant`` nor one its spec joins (``joins``), or, given the sweep's
    ``config_hash``, if it carries another one (a record from another configuration).
    """
    wanted = (invariant, *spec_of(invariant).joins)
    loaded = []
    for path in map(Path, record_paths):
        record = read_record(path, validate=False)
        if record["invariant"] not in wanted:
            raise RecordError(
                f"record {path} is a {record['invariant']} record, not a {invariant} record; give the table only "
                f"records of {' and '.join(wanted)} (files <slug>/{invariant}.json)")
        theirs = record.get("config_hash")
        if config_hash is not None and theirs is not None and theirs != config_hash:
            raise RecordError(
                f"record {path} is from another configuration (config_hash {theirs}, this sweep's is {config_hash}); "
                "delete it and rerun 'make results' (Snakemake recomputes it with this configuration)")
        loaded.append((path, check_record(record, path)))
    return loaded


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _common_versions(records) -> dict:
    """The versions that every record of the table agrees on (the others are listed in ``record_versions``);
    taken from the records, so that making a table starts no backend."""
    known = [r.get("versions") or {} for r in records]
    if not known:
        return {}
    return {key: value for key, value in known[0].items() if all(v.get(key) == value for v in known[1:])}


def write_tables(invariant: str, record_paths, prefix, config_hash: str | None = None) -> list[Path]:
    """Write ``<prefix>.csv``, ``.md``, ``.tex`` and ``.meta.json``; return the paths.

    ``record_paths`` are records of ``invariant``; the degree table also reads ``implicit``
    records, whose generators fill its generator columns. Every record is read and checked
    (:func:`load_records`) and every row built before anything is written; each file is
    written atomically, so a bad record leaves the previous tables as they were.
    """
    spec = spec_of(invariant)
    columns = list(spec.columns)
    everything = load_records(invariant, record_paths, config_hash)
    records = [r for _, r in everything if r["invariant"] == invariant]
    joined: dict = {}
    for _, r in everything:
        if r["invariant"] != invariant:
            joined.setdefault(r["arch"], {})[r["invariant"]] = r
    rows = []
    for path, record in everything:
        if record["invariant"] != invariant:
            continue
        try:
            rows += table_rows(invariant, [record], joined)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise RecordError(
                f"record {path} lacks value fields that the {invariant} table needs ({type(exc).__name__}: "
                f"{exc}); delete it and rerun 'make results' (Snakemake recomputes it)") from None
    prefix = Path(prefix)
    try:
        prefix.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordError(f"cannot create the table folder {prefix.parent} ({exc.strerror}); "
                          "choose a writable --out-prefix") from None
    outputs = {
        ".csv": csv_text(columns, rows),
        ".md": markdown(columns, rows) + "\n",
        ".tex": latex(columns, rows, spec.caption, f"tab:{invariant}"),
    }
    meta = {
        "invariant": invariant,
        "caption": spec.caption,
        "records": len(records),
        "statuses": {s: sum(r["status"] == s for r in records) for s in ("ok", "timeout", "error")},
        "config_hash": config_hash,
        "versions": _common_versions(records),
        "record_versions": sorted({json.dumps(r.get("versions"), sort_keys=True) for r in records}),
        "seeds": sorted({r.get("seed") for r in records if r.get("seed") is not None}),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    outputs[".meta.json"] = json.dumps(meta, indent=2) + "\n"
    written = []
    for suffix, text in outputs.items():
        path = prefix.with_name(prefix.name + suffix)
        try:
            _write_atomically(path, text)
        except OSError as exc:
            raise RecordError(f"cannot write the table {path} ({exc.strerror}); choose a writable --out-prefix") from None
        written.append(path)
    return written
