"""Figures made from tables (matplotlib, no display needed).

EXAMPLES::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "d.csv").write_text("arch,family,params,degree,status\\nlinear_w2-1-2,linear,4,2,ok\\n")
    >>> plot_degree_against_params(folder / "d.csv", folder / "d.png").stat().st_size > 0
    True
"""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def plot_degree_against_params(table_csv, out_png) -> Path:
    """Scatter plot of degree against parameter count, one marker per family (log scale)."""
    by_family: dict = {}
    with open(table_csv) as handle:
        for row in csv.DictReader(handle):
            if row["status"] == "ok" and row["degree"]:
                by_family.setdefault(row["family"], []).append((int(row["params"]), int(row["degree"])))
    figure, axes = plt.subplots(figsize=(5, 3.5))
    for (family, points), marker in zip(sorted(by_family.items()), "osD^v<>"):
        xs, ys = zip(*sorted(points))
        axes.scatter(xs, ys, label=family, marker=marker)
    axes.set_xlabel("parameters")
    axes.set_ylabel("degree of the neurovariety")
    axes.set_yscale("log")
    axes.set_title("Degree against parameter count")
    if by_family:
        axes.legend()
    figure.tight_layout()
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out_png, dpi=150)
    plt.close(figure)
    return out_png
