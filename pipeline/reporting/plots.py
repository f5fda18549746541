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
import json
from pathlib import Path

#: Captions of the figures, by file stem (the summary page and ``snakemake --report`` show them).
FIGURE_CAPTIONS = {
    "degree": "Degree of the neurovariety against the number of parameters, one marker per family "
              "(log scale); the method and certificate of each point are in the degree table.",
    "critical_real": "Histogram of the number of real critical points of the squared loss on the smooth "
                     "part, over the random data points of each architecture (numerical).",
    "conservation": "Explicit conservation laws (thin lines) and the squared loss (thick line) along the gradient "
                    "flow of the squared loss on random data, each divided by its value at time 0, for one "
                    "architecture per family: the loss moves, the laws stay at 1 (DOP853, rtol 1e-10; numerical).",
    "voronoi": "Voronoi mass of each stratum of the real neuromanifold (share of random data whose "
               "nearest point lies on it), with Wilson 95% intervals (numerical).",
}


def _pyplot():
    """matplotlib's pyplot without a display, imported when a figure is drawn (the workflow's job list
    imports this module for the captions only)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_degree_against_params(table_csv, out_png) -> Path:
    """Scatter plot of degree against parameter count, one marker per family (log scale)."""
    by_family: dict = {}
    with open(table_csv) as handle:
        for row in csv.DictReader(handle):
            if row["status"] == "ok" and row["degree"]:
                by_family.setdefault(row["family"], []).append((int(row["params"]), int(row["degree"])))
    plt = _pyplot()
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
    return _save(figure, out_png)


def _ok_rows(table_csv):
    with open(table_csv) as handle:
        return [row for row in csv.DictReader(handle) if row["status"] == "ok"]


def _save(figure, out_png) -> Path:
    figure.tight_layout()
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out_png, dpi=150)
    _pyplot().close(figure)
    return out_png


def plot_real_counts(table_csv, out_png) -> Path:
    """Per architecture, the distribution of the number of real critical points (dot size = share)."""
    rows = _ok_rows(table_csv)
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 0.5 + 0.4 * max(1, len(rows))))
    for y, row in enumerate(rows):
        pairs = [part.split(": ") for part in row["histogram"].split(", ") if part]
        total = sum(int(v) for _, v in pairs) or 1
        for count, hits in pairs:
            axes.scatter(int(count), y, s=300 * int(hits) / total, color="C0")
    axes.set_yticks(range(len(rows)), [row["arch"] for row in rows])
    axes.set_xlabel("real critical points on the smooth part")
    axes.set_title("Real critical points over random data")
    return _save(figure, out_png)


def plot_voronoi_masses(table_csv, out_png) -> Path:
    """Per architecture and stratum, the Voronoi mass with its 95% interval."""
    rows = _ok_rows(table_csv)
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 0.5 + 0.35 * max(1, len(rows))))
    for y, row in enumerate(rows):
        mass, low, high = float(row["mass"]), float(row["ci95_low"]), float(row["ci95_high"])
        axes.errorbar(mass, y, xerr=[[mass - low], [high - mass]], fmt="o", color="C1")
    axes.set_yticks(range(len(rows)), [f"{row['arch']}: {row['stratum']}" for row in rows])
    axes.set_xlim(-0.05, 1.05)
    axes.set_xlabel("share of data whose nearest point lies on the stratum")
    axes.set_title("Voronoi masses of strata")
    return _save(figure, out_png)


def plot_conservation_flows(record_paths, out_png, per_family: int = 1) -> Path:
    """Laws and loss along the recorded gradient flows: one panel per architecture, ``per_family`` of each family.

    EXAMPLES::

        >>> import json, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> trace = {"time": [0, 1], "loss": [2.0, 1.0], "laws": [[3.0, 3.0]]}
        >>> record = {"arch": "mlp_w2-2-1_r2", "status": "ok", "value": {"flow": {"trace": trace}}}
        >>> _ = (folder / "r.json").write_text(json.dumps(record))
        >>> plot_conservation_flows([folder / "r.json"], folder / "c.png").stat().st_size > 0
        True
    """
    chosen: dict = {}
    for path in record_paths:
        record = json.loads(Path(path).read_text())
        flow = (record.get("value") or {}).get("flow") if record.get("status") == "ok" else None
        family = record["arch"].split("_", 1)[0]
        if flow and flow.get("trace") and len(chosen.setdefault(family, [])) < per_family:
            chosen[family].append((record["arch"], flow["trace"]))
    panels = [item for family in sorted(chosen) for item in chosen[family]]
    plt = _pyplot()
    figure, axes_list = plt.subplots(1, max(1, len(panels)), figsize=(3.2 * max(1, len(panels)), 3), squeeze=False)
    for axes, (arch, trace) in zip(axes_list[0], panels):
        for values in trace["laws"]:
            if values[0]:
                axes.plot(trace["time"], [v / values[0] for v in values], linewidth=0.8)
        axes.plot(trace["time"], [v / trace["loss"][0] for v in trace["loss"]], color="black", linewidth=2.2)
        axes.set_title(arch, fontsize=8)
        axes.set_xlabel("time")
    axes_list[0][0].set_ylabel("value / value at time 0")
    return _save(figure, out_png)
