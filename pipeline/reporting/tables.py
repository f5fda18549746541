"""Records -> tidy CSV, Markdown and LaTeX (booktabs) tables, with provenance.

A table row is one record; a record whose status is not ``ok`` still gets a row,
its numbers empty and its status shown. A value that depends on the time budget (an auto chain
fell back after a timeout) says so in its ``method`` cell. ``<prefix>.meta.json`` records the
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
import functools
import io
import json
import os
import re
import tempfile
from pathlib import Path

from pipeline.errors import BackendError, RecordError
from pipeline.execution.records import budget_fallbacks, check_record, read_record
from pipeline.invariants import SPECS, spec_of

#: A paragraph that separates the captions in the one pandoc run of :func:`_captions_rst`.
_CAPTION_BREAK = "CAPTIONBREAK"


@functools.cache
def _captions_rst() -> dict[str, str]:
    """Every invariant's caption converted from LaTeX to reStructuredText by pandoc, in one run."""
    import pypandoc

    names = list(SPECS)
    text = f"\n\n{_CAPTION_BREAK}\n\n".join(SPECS[name].caption for name in names)
    converted = pypandoc.convert_text(text, "rst", format="latex", extra_args=["--wrap=none"])
    parts = re.split(rf"^{_CAPTION_BREAK}$", converted, flags=re.MULTILINE)
    if len(parts) != len(names):
        raise BackendError(f"pandoc gave {len(parts)} captions for {len(names)} invariants; "
                          f"no caption may contain a paragraph {_CAPTION_BREAK!r}")
    return {name: part.strip() for name, part in zip(names, parts)}


def caption_rst(invariant: str) -> str:
    """The caption of an invariant's table as reStructuredText (``snakemake --report``), converted from its
    LaTeX by pandoc (``\\emph{x}`` becomes ``*x*``, ``$...$`` becomes ``:math:`...```).

    EXAMPLES::

        >>> caption_rst("voronoi")[:60]
        'Voronoi masses of the strata of the real neuromanifold: the '
        >>> "Wilson 95% intervals" in caption_rst("voronoi"), "*dim*" in caption_rst("dimension")
        (True, True)
        >>> ":math:`L`" in caption_rst("degree"), "**Q**" in caption_rst("degree")
        (True, True)
    """
    spec_of(invariant)  # an unknown name is refused with the valid ones
    return _captions_rst()[invariant]


def _certificate_text(certificate) -> str:
    if not certificate:
        return ""
    if certificate.get("kind") == "modular":
        agree = "" if certificate.get("agree", True) else ", runs disagree"
        count = len(certificate.get("primes", []))
        return f"modular ({count} prime{'s' if count != 1 else ''}{agree})"
    if certificate.get("kind") == "numerical" and "complete" in certificate:
        return {True: "numerical, complete", False: "numerical, incomplete"}.get(certificate["complete"],
                                                                               "numerical, not certified")
    return str(certificate.get("kind"))


def method_text(record: dict) -> str:
    """The ``method`` cell: the record's method, and for an ``ok`` record whose auto chain fell back because
    an earlier method ran out of time, which one (the value depends on the budget).

    EXAMPLES::

        >>> method_text({"method": "subnetworks", "status": "ok", "attempts": [
        ...     {"method": "singular", "status": "timeout"}, {"method": "subnetworks", "status": "ok"}]})
        'subnetworks (after singular timed out)'
        >>> method_text({"method": "symbolic", "status": "ok"})
        'symbolic'
    """
    method = record.get("method") or ""
    timed_out = [attempt["method"] for attempt in budget_fallbacks(record)]
    if record["status"] == "ok" and timed_out:
        return f"{method} (after {' and '.join(timed_out)} timed out)"
    return method


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
            row.update(arch=record["arch"], family=record["arch"].split("_", 1)[0], method=method_text(record),
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


#: Columns of words, set flush left in the LaTeX tables; every other column (numbers) flush right.
_TEXT_COLUMNS = ("arch", "family", "method", "certificate", "status")


def latex(columns, rows, caption: str, label: str) -> str:
    """A booktabs table (pandas' ``Styler.to_latex``, every cell and header LaTeX-escaped) in a floating
    ``table`` with ``caption`` (LaTeX, kept as written) and ``label``; needs ``\\usepackage{booktabs}``
    and nothing else (a test compiles every table). A table without rows keeps its header.

    EXAMPLES::

        >>> print(latex(["arch", "dim"], [{"arch": "linear_w2-1-2", "dim": 3}], "Dimensions.", "tab:dimension"))
        \\begin{table}[ht]
        \\centering
        \\caption{Dimensions.}
        \\label{tab:dimension}
        \\begin{tabular}{lr}
        \\toprule
        arch & dim \\\\
        \\midrule
        linear\\_w2-1-2 & 3 \\\\
        \\bottomrule
        \\end{tabular}
        \\end{table}
        <BLANKLINE>
    """
    import pandas

    frame = pandas.DataFrame([[str(row[c]) for c in columns] for row in rows],
                             columns=[c.replace("_", " ") for c in columns])
    styled = frame.style.hide(axis="index").format(escape="latex").format_index(escape="latex", axis=1)
    return styled.to_latex(hrules=True, column_format="".join("l" if c in _TEXT_COLUMNS else "r" for c in columns),
                           position="ht", position_float="centering", caption=caption, label=label)


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
        "budget_dependent": sorted(r["arch"] for r in records if r["status"] == "timeout" or budget_fallbacks(r)),
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
