"""One HTML page that collects every table and figure of a sweep, with captions and provenance.

EXAMPLES::

    >>> import tempfile, pathlib, json
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "dimension.csv").write_text("arch,dim,status\\nlinear_w2-1-2,3,ok\\n")
    >>> _ = (folder / "dimension.meta.json").write_text(json.dumps({"caption": "Dimensions.", "pipeline_commit": "abc"}))
    >>> page = write_summary([folder / "dimension.csv"], [], folder / "summary.html").read_text()
    >>> "<td>linear_w2-1-2</td>" in page and "Dimensions." in page and "abc" in page
    True
"""

from __future__ import annotations

import base64
import csv
import html
import json
from pathlib import Path

from pipeline.reporting.plots import FIGURE_CAPTIONS


def _table_html(csv_path: Path) -> str:
    with open(csv_path) as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return "<p>(empty)</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _meta(csv_path: Path) -> dict:
    meta = csv_path.with_suffix(".meta.json")
    return json.loads(meta.read_text()) if meta.exists() else {}


def write_summary(table_csvs, figures, out_html) -> Path:
    """Write ``out_html`` with each table (caption, provenance) and each figure embedded."""
    sections = []
    for path in map(Path, table_csvs):
        meta = _meta(path)
        provenance = {k: v for k, v in meta.items() if k not in ("caption", "statuses", "records")}
        sections.append(
            f"<h2>{html.escape(path.stem)}</h2><p class='caption'>{html.escape(str(meta.get('caption', '')))}</p>"
            f"{_table_html(path)}<details><summary>provenance</summary><pre>"
            f"{html.escape(json.dumps(provenance, indent=1))}</pre></details>")
    for path in map(Path, figures):
        data = base64.b64encode(path.read_bytes()).decode()
        caption = html.escape(FIGURE_CAPTIONS.get(path.stem, ""))
        sections.append(f"<h2>{html.escape(path.stem)} (figure)</h2><p class='caption'>{caption}</p>"
                        f"<img src='data:image/png;base64,{data}'>")
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:80%}"
             "td,th{border-bottom:1px solid #ccc;padding:2px 6px;text-align:right}img{max-width:100%}"
             ".caption{max-width:60em}")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>neuromanifold results</title>"
            f"<style>{style}</style></head><body><h1>neuromanifold results</h1>{''.join(sections)}</body></html>\n")
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(page)
    return out_html
