"""Tables and a figure of a minimal-filling search (:func:`pipeline.execution.batch.filling_search`).

``<prefix>.csv``: every architecture the search computed (widths, parameters, ambient and expected
dimension, dim, defect, filling, minimal, unimodal, primes, seconds); ``<prefix>.md`` and ``.tex``:
the minimal filling architectures by depth, with their unimodality, then the summary of the search;
``<prefix>.meta.json``: the search's settings, counts, time and versions; ``<prefix>.png``: dimension
over ambient dimension against parameters, minimal filling architectures marked.

EXAMPLES::

    >>> import tempfile, pathlib
    >>> from pipeline.execution.batch import filling_search
    >>> found = filling_search(2, 1, 2, [2, 3], max_width=3, seed=1, workers=1)
    >>> prefix = pathlib.Path(tempfile.mkdtemp()) / "filling"
    >>> [path.suffix for path in write_filling_tables(found, prefix)]
    ['.csv', '.md', '.tex', '.json', '.png']
    >>> print((prefix.parent / "filling.md").read_text().splitlines()[2])
    | 2       | mlp_w2-2-1_r2   | 2-2-1    | 6        | 3             | yes        |
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.reporting.plots import _pyplot, _save
from pipeline.reporting.tables import _write_atomically, csv_text, latex, markdown

CSV_COLUMNS = ("arch", "depth", "widths", "params", "ambient_dim", "expected_dim", "dim", "defect", "filling",
               "minimal", "unimodal", "agree", "primes", "seconds", "status", "message")
MINIMAL_COLUMNS = ("depth", "arch", "widths", "params", "ambient_dim", "unimodal")


def caption(result: dict) -> str:
    search = result["search"]
    return (f"Minimal filling polynomial MLPs with input width {search['input']}, output width {search['output']} "
            f"and activation $x^{{{search['r']}}}$, hidden widths 1 to {search['max_width']}, by depth (number of "
            "layers). Filling: the dimension, the generic rank of the Jacobian of the parametrization at random "
            "points over two random primes (certificate \\emph{modular}), equals the ambient dimension; minimal: "
            "lowering any one hidden width loses that (within the searched widths). \\emph{unimodal}: the widths "
            f"weakly increase, then weakly decrease. {result['computed']} architectures computed in "
            f"{result['seconds']} s; the others were settled by monotonicity or by the parameter bound.")


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def write_filling_tables(result: dict, prefix) -> list[Path]:
    """Write the search's CSV, Markdown, LaTeX, metadata and figure next to ``prefix``; return the paths."""
    from pipeline.execution.records import versions

    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    minimal_rows = [dict(row, unimodal=_yes_no(row["unimodal"])) for row in result["rows"] if row["minimal"]]
    summary = (f"\n{result['computed']} architectures computed in {result['seconds']} s; skipped without "
               f"computing: {result['skipped']['dominates_a_minimal']} that contain a minimal filling one, "
               f"{result['skipped']['parameter_bound']} whose parameters minus hidden neurons are below the "
               "ambient dimension.\n")
    outputs = {
        ".csv": csv_text(CSV_COLUMNS, [dict(row, primes=" ".join(map(str, row["primes"] or []))) for row in result["rows"]]),
        ".md": markdown(MINIMAL_COLUMNS, minimal_rows) + "\n" + summary,
        ".tex": latex(MINIMAL_COLUMNS, minimal_rows, caption(result), "tab:filling"),
        ".meta.json": json.dumps({key: value for key, value in result.items() if key != "rows"} | {
            "caption": caption(result), "versions": versions()}, indent=2) + "\n",
    }
    written = []
    for suffix, text in outputs.items():
        path = prefix.with_name(prefix.name + suffix)
        _write_atomically(path, text)
        written.append(path)
    written.append(plot_filling(result, prefix.with_name(prefix.name + ".png")))
    return written


def plot_filling(result: dict, out_png) -> Path:
    """Dimension over ambient dimension against parameters, one colour per depth, minimal filling ones starred."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 3.5))
    for depth in sorted({row["depth"] for row in result["rows"]}):
        rows = [row for row in result["rows"] if row["depth"] == depth and row["dim"] is not None]
        axes.scatter([r["params"] for r in rows], [r["dim"] / r["ambient_dim"] for r in rows], s=6, alpha=0.5,
                     label=f"depth {depth}")
        best = [r for r in rows if r["minimal"]]
        axes.scatter([r["params"] for r in best], [1.0] * len(best), marker="*", s=90, color="black")
    axes.set_xlabel("parameters")
    axes.set_ylabel("dim / ambient dim")
    axes.set_title("Minimal filling search (stars: minimal filling)")
    axes.legend(fontsize=7)
    return _save(figure, out_png)
