"""Real critical points and Voronoi masses against closed forms and a brute-force grid."""

import json
import subprocess
from math import comb

import numpy as np
import pytest
from conftest import BIN
from sage.all import QQ, matrix

from pipeline.algebra.modular import polynomial_ring
from pipeline.architectures import parametrization
from pipeline.invariants.methods.real_critical import (
    Stratum,
    critical_real,
    point_stratum,
    voronoi,
    voronoi_masses,
    wilson_interval,
)
from pipeline.reporting.tables import table_rows


@pytest.mark.parametrize("slug", ["linear_w2-1-2", "linear_w3-1-3", "linear_w3-2-3", "linear_w4-2-3"])
def test_linear_nets_have_all_eckart_young_points_real_and_one_minimum(slug):
    # Frobenius loss: the critical points are the binomial(min(m, n), r) truncations of the SVD,
    # all real; the best one is the only local minimum, the others are saddles (Baldi-Hornik)
    widths = [int(w) for w in slug.split("_w")[1].split("-")]
    m, n, r = widths[-1], widths[0], min(widths[1:-1])
    value = critical_real(parametrization(slug), metric="coefficient", samples=4, seed=2)
    expected = comb(min(m, n), r)
    assert value["counts"] == [expected] * 4
    assert value["types"] == ({"min": 4, "saddle": 4 * (expected - 1)} if expected > 1 else {"min": 4})


def test_real_counts_are_constant_between_discriminant_roots():
    value = critical_real(parametrization("linear_w2-1-2"), metric="generic", samples=6, seed=3)
    assert all(c <= 6 and c % 2 == 0 for c in value["counts"])  # 6 complex points, conjugate pairs
    line = value["line"]
    assert line["status"] == "ok" and line["discriminant_roots"]
    counts = [interval["real_count"] for interval in line["intervals"]]
    assert len(set(counts)) > 1  # the real count does change along the line
    # resample inside each interval: the count is constant there
    from pipeline.invariants.methods.critical import ed_problem
    from pipeline.invariants.methods.real_critical import real_census

    problem = ed_problem(parametrization("linear_w2-1-2"), "generic", 3)
    rng = np.random.default_rng(0)
    for interval in line["intervals"]:
        a, b = QQ(max(interval["from"], -50.0)), QQ(min(interval["to"], 50.0))
        t = a + (b - a) * QQ(round(float(rng.uniform(0.2, 0.8)), 2))
        data = [QQ(u) + t * QQ(v) for u, v in zip(line["w0"], line["w1"])]
        assert real_census(problem, data)["count"] == interval["real_count"]


def curve_strata(x, y, singular_point):
    R = polynomial_ring(QQ, ["t"])
    t = R.gen()
    return [Stratum("smooth", None, R, [x(t), y(t)], 1), point_stratum("singular point", singular_point)]


def grid_nearest(x, y, data, singular_point, radius=0.02):
    """Brute force on a fine grid of the parameter: (is the nearest point the singular point, loss)."""
    t = np.linspace(-4, 4, 400001)
    points = np.stack([x(t), y(t)], axis=1)
    losses = ((points - np.asarray(data, dtype=float)) ** 2).sum(axis=1)
    k = int(losses.argmin())
    return bool(np.linalg.norm(points[k] - np.asarray(singular_point)) < radius), float(losses[k])


@pytest.mark.parametrize("name,x,y,singular_point", [
    ("node", lambda t: t**2 - 1, lambda t: t * (t**2 - 1), (0, 0)),   # y^2 = x^2 (x + 1)
    ("cusp", lambda t: t**2, lambda t: t**3, (0, 0)),                 # y^2 = x^3
])
def test_voronoi_mass_of_a_plane_curve_singularity_matches_a_fine_grid(name, x, y, singular_point):
    rng = np.random.default_rng(11)
    samples = [[QQ(round(float(v), 2)) for v in rng.normal(0, 1, size=2)] for _ in range(150)]
    strata = curve_strata(x, y, singular_point)
    iterator = iter(samples)
    masses = voronoi_masses(strata, matrix.identity(QQ, 2), lambda: next(iterator), len(samples),
                            np.random.default_rng(1), 1000003)
    ours = {m["stratum"]: m["hits"] for m in masses}
    grid = [grid_nearest(x, y, point, singular_point) for point in samples]
    grid_hits = sum(hit for hit, _ in grid)
    # sample by sample the assignments agree except where the grid's radius blurs them
    assert abs(ours["singular point"] - grid_hits) <= 3
    low, high = wilson_interval(ours["singular point"], len(samples))
    assert low <= grid_hits / len(samples) <= high
    if name == "node":  # two smooth branches crossing: a node attracts no open set of data
        assert ours["singular point"] == 0
    else:  # a cusp attracts a positive share
        assert ours["singular point"] > 10


def test_voronoi_of_a_linear_net_sends_all_data_to_the_smooth_part():
    value = voronoi(parametrization("linear_w3-2-3"), metric="coefficient", samples=20, seed=4)
    masses = {s["stratum"]: s for s in value["strata"]}
    assert masses["smooth"]["hits"] == 20 and masses["vertex"]["hits"] == 0
    assert any(s["subnetwork"] == "linear_w3-1-3" and s["hits"] == 0 for s in value["strata"])
    assert masses["smooth"]["ci95"][0] > 0.8


def test_cli_voronoi_record_and_table_rows(tmp_path):
    done = subprocess.run([str(BIN / "neuromanifold"), "compute", "linear_w2-1-2", "--invariants", "voronoi,critical_real",
                           "--metric", "coefficient", "--samples", "5", "--json"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    voronoi_record, real_record = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert voronoi_record["options"] == {"metric": "coefficient", "samples": 5}
    rows = table_rows("voronoi", [voronoi_record])
    assert [row["stratum"] for row in rows] == [s["stratum"] for s in voronoi_record["value"]["strata"]]
    assert real_record["value"]["counts"] == [2] * 5
    (row,) = table_rows("critical_real", [real_record])
    assert row["histogram"] == "2: 5"
