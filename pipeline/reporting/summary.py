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
import json
from pathlib import Path

from pipeline.reporting.plots import FIGURE_CAPTIONS

#: The page (Jinja2, every value escaped): one section per table (caption, rows, provenance), then the figures.
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>neuromanifold results</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:80%}
td,th{border-bottom:1px solid #ccc;padding:2px 6px;text-align:right}img{max-width:100%}.caption{max-width:60em}</style>
</head><body><h1>neuromanifold results</h1>
{% for table in tables %}<h2>{{ table.name }}</h2><p class="caption">{{ table.caption }}</p>
{% if table.rows %}<table><thead><tr>{% for cell in table.rows[0] %}<th>{{ cell }}</th>{% endfor %}</tr></thead><tbody>
{% for row in table.rows[1:] %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>{% else %}<p>(empty)</p>{% endif %}
<details><summary>provenance</summary><pre>{{ table.provenance }}</pre></details>
{% endfor %}{% for figure in figures %}<h2>{{ figure.name }} (figure)</h2><p class="caption">{{ figure.caption }}</p>
<img src="data:image/png;base64,{{ figure.data }}">
{% endfor %}</body></html>
"""


def _meta(csv_path: Path) -> dict:
    meta = csv_path.with_suffix(".meta.json")
    return json.loads(meta.read_text()) if meta.exists() else {}


def write_summary(table_csvs, figures, out_html) -> Path:
    """Write ``out_html`` with each table (caption, provenance) and each figure embedded."""
    import jinja2

    tables = []
    for path in map(Path, table_csvs):
        meta = _meta(path)
        with open(path) as handle:
            rows = list(csv.reader(handle))
        provenance = {k: v for k, v in meta.items() if k not in ("caption", "statuses", "records")}
        tables.append({"name": path.stem, "caption": str(meta.get("caption", "")), "rows": rows,
                       "provenance": json.dumps(provenance, indent=1)})
    pictures = [{"name": path.stem, "caption": FIGURE_CAPTIONS.get(path.stem) or str(_meta(path).get("caption", "")),
                 "data": base64.b64encode(path.read_bytes()).decode()} for path in map(Path, figures)]
    page = jinja2.Environment(autoescape=True).from_string(PAGE).render(tables=tables, figures=pictures)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(page)
    return out_html
