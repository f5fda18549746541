"""ED degrees and parameter-space critical points against closed forms, Macaulay2, and each other."""

import json
import subprocess
from math import comb

import pytest
import yaml
from conftest import BIN, REPO

from pipeline.architectures import parametrization
from pipeline.errors import InvariantTooLarge
from pipeline.invariants.methods.critical import ed_degree
from pipeline.reporting.tables import table_rows


def matrix_shape(slug):
    widths = [int(w) for w in slug.split("_w")[1].split("-")]
    return widths[-1], widths[0], min(widths[1:-1])


@pytest.mark.parametrize("slug", ["linear_w2-1-2", "linear_w3-1-3", "linear_w3-2-3", "linear_w4-2-3", "linear_w2-1-3",
                                  "linear_w4-1-3", "linear_w4-2-4", "linear_w5-2-4", "linear_w3-2-2-3", "linear_w4-3-5",
                                  "linear_w6-3-6"])
def test_eckart_young(slug):
    # Frobenius ED degree of m x n matrices of rank <= r is binomial(min(m, n), r)
    m, n, r = matrix_shape(slug)
    expected = comb(min(m, n), r) if r < min(m, n) else 1
    value = ed_degree(parametrization(slug), method="parameter-nocensus", metric="coefficient", seed=2)
    assert value["ed_degree"] == expected
    if (m - r) * (n - r) <= 2:  # the Lagrange system grows with the codimension
        # degree-1 forms: the Bombieri-Weyl weights are all 1
        assert ed_degree(parametrization(slug), method="variety", metric="bombieri-weyl", seed=3)["ed_degree"] == expected


@pytest.mark.parametrize("slug", ["linear_w2-1-2", "linear_w2-1-3"])
def test_generic_ed_degree_agrees_with_macaulay2_package(slug):
    ours = ed_degree(parametrization(slug), method="parameter", metric="generic", seed=4)
    theirs = ed_degree(parametrization(slug), method="macaulay2", metric="generic", seed=4)
    assert ours["ed_degree"] == theirs["ed_degree"]
    # 2 x 2 and 2 x 3 matrices of rank 1: generic ED degrees 6 and 10 (Draisma et al., Example 7.5)
    assert ours["ed_degree"] == {"linear_w2-1-2": 6, "linear_w2-1-3": 10}[slug]


@pytest.mark.slow
def test_generic_ed_degree_3x3_rank2_agrees_with_macaulay2_package():
    ours = ed_degree(parametrization("linear_w3-2-3"), method="parameter", metric="generic", seed=4)
    theirs = ed_degree(parametrization("linear_w3-2-3"), method="macaulay2", metric="generic", seed=4)
    assert ours["ed_degree"] == theirs["ed_degree"] == 39


def sweep_slugs():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    return {slug for sweep in config["sweeps"] for slug in sweep["slugs"]}


# every family of the default sweep, the architectures whose systems take seconds
AGREEMENT = ["linear_w3-2-3", "linear_w4-2-3", "linear_w3-2-2-3", "mlp_w3-2-1_r2", "mlp_w2-2-1_r3",
             "mlp_w2-2-1_r2_bias", "cnn_k2-2_s1-1_r2", "cnn_k2-2_s2-1_r1", "cnn_k3-2_s1-1_r1",
             "attn_d2-1_a2_t2", "attn_d2-1_a1_t2"]


@pytest.mark.parametrize("slug", AGREEMENT)
@pytest.mark.parametrize("metric", ["generic", "data", "bombieri-weyl"])
def test_variety_and_parameter_methods_agree(slug, metric):
    assert slug in sweep_slugs()
    param = parametrization(slug)
    a = ed_degree(param, method="parameter-nocensus", metric=metric, seed=5)
    b = ed_degree(param, method="variety", metric=metric, seed=5)
    assert a["ed_degree"] == b["ed_degree"] >= 1
    assert a["pure"] == a["ed_degree"] * a["slice_fiber_points"]


def test_spurious_critical_points_of_a_linear_net_are_lower_rank_truncations():
    # 3 x 4 matrices of rank <= 2 through a 2-wide bottleneck: besides the binomial(3, 2) pure
    # critical points, one spurious point per rank-1 truncation of the data (Trager-Kohn-Bruna)
    value = ed_degree(parametrization("linear_w4-2-3"), method="parameter", metric="coefficient", seed=6)
    assert (value["ed_degree"], value["pure"], value["spurious"]) == (3, 3, comb(3, 1))
    assert value["param_critical"] == value["pure"] + value["spurious"]


def test_data_metric_states_its_inputs_and_rejects_too_few():
    param = parametrization("mlp_w2-2-1_r2")
    value = ed_degree(param, method="parameter", metric="data", data_size=5, seed=7)
    assert value["data_size"] == 5 and len(value["data_inputs"]) == 5 and value["metric"] == "data"
    with pytest.raises(InvariantTooLarge, match="degenerate.*--data-size"):
        ed_degree(param, method="parameter", metric="data", data_size=1, seed=7)


def run_cli(*args):
    return subprocess.run([str(BIN / "neuromanifold"), *args], capture_output=True, text=True, timeout=300)


def test_cli_prints_the_record_and_the_table_has_its_row(tmp_path):
    done = run_cli("compute", "linear_w3-2-3", "--invariants", "ed_degree", "--metric", "coefficient", "--json",
                   "--seed", "1", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.splitlines()[-1])
    value = record["value"]
    assert record["options"] == {"metric": "coefficient"} and record["certificate"]["kind"] == "modular"
    assert (value["metric"], value["ed_degree"], value["pure"], value["spurious"]) == ("coefficient", 3, 3, 0)
    (row,) = table_rows("ed_degree", [record])
    assert (row["metric"], row["ed_degree"], row["status"]) == ("coefficient", 3, "ok")


@pytest.mark.parametrize("args,message", [
    (["--invariants", "ed_degree", "--metric", "frobenius"], "unknown metric 'frobenius' for ed_degree; valid names"),
    (["--invariants", "dimension", "--metric", "generic"], "--metric applies to none of the invariants dimension"),
    (["--invariants", "ed_degree", "--data-size", "0"], "option data_size must be a positive integer"),
])
def test_cli_rejects_bad_options(args, message):
    done = run_cli("compute", "linear_w3-2-3", *args)
    assert done.returncode == 1 and message in done.stderr and done.stdout == ""
