"""The findings of docs/open-questions.md, checked against the published comparison table."""

import csv

import pytest
from conftest import REPO

TABLE = REPO / "results" / "default" / "tables" / "comparison.csv"


def pairs():
    with open(TABLE) as handle:
        rows = list(csv.DictReader(handle))
    return [(rows[i], rows[i + 1]) for i in range(0, len(rows), 2)]


def pair(feature, plain):
    found = [(a, b) for a, b in pairs() if a["feature"] == feature and a["arch"] == plain]
    assert len(found) == 1, (feature, plain)
    return found[0]


def fiber_dim(row):
    return int(row["fiber"].split(";")[0].removeprefix("dim "))


def test_the_table_pairs_plain_and_variant_rows():
    assert pairs() and all(a["role"] == "plain" and b["role"] == "variant" for a, b in pairs())


@pytest.mark.parametrize("feature", ["activation x^2 vs x + x^2", "activation x^2 vs 1 + x^2"])
def test_degree_two_inhomogeneous_activations_leave_an_unexplained_positive_dimensional_fiber(feature):
    plain, variant = pair(feature, "mlp_w2-2-1_r2")
    assert int(variant["dim"]) > int(plain["dim"]) and variant["degree"] == "1"  # fills its span
    assert fiber_dim(variant) > 0 and variant["only_known"] == "no"
    assert plain["spurious"] == "2" and variant["spurious"].startswith("infinite")


def test_a_cubic_inhomogeneous_activation_gives_a_finite_fiber_explained_by_the_discrete_symmetries():
    plain, variant = pair("activation x^3 vs x + x^3", "mlp_w2-2-1_r3")
    assert variant["dim"] == variant["params"] and fiber_dim(plain) > 0
    assert variant["fiber"] == "dim 0; 8 pts, 8 explained" and variant["only_known"] == "yes"


@pytest.mark.parametrize("plain_slug", ["cnn_k2-2_s1-1_r2", "cnn_k3-2_s1-1_r2"])
def test_cnns_with_an_inhomogeneous_activation_are_one_to_one(plain_slug):
    plain, variant = pair("CNN activation x^2 vs x + x^2", plain_slug)
    assert variant["dim"] == variant["params"] and variant["fiber"] == "dim 0; 1 pts, 1 explained"
    assert int(variant["degree"]) > int(plain["degree"]) and int(variant["ed_degree"]) > int(plain["ed_degree"])
    assert plain["spurious"] == variant["spurious"] == "0"


def test_a_one_neuron_residual_block_is_the_plain_image_translated():
    plain, variant = pair("plain vs residual (1 neuron)", "mlp_w2-1-2_r2")
    for column in ("dim", "degree", "ed_degree", "spurious"):
        assert plain[column] == variant[column], column
    assert "vertex" in plain["singular"] and variant["singular"] == "none found (searched in dim >= 2)"
    plain, variant = pair("plain vs residual (2 neurons)", "mlp_w2-2-2_r2")
    assert plain["dim"] == variant["dim"] and plain["degree"] == variant["degree"] == "1"
    plain, variant = pair("residual x^2 vs x + x^2", "res_d2_h1_r2")
    assert plain["spurious"] == "0" and int(variant["spurious"]) > 0


@pytest.mark.parametrize("plain_slug,n", [("cnn_k2-2_s1-1_r2", 2), ("cnn_k3-3_s1-1_r2", 3)])
def test_cyclic_equivariance_keeps_the_dimension_and_brings_spurious_critical_points(plain_slug, n):
    plain, variant = pair("1-D CNN vs cyclic group CNN", plain_slug)
    assert plain["params"] == variant["params"] and plain["dim"] == variant["dim"] == str(2 * (n - 1) + 1)
    assert variant["fiber"] == f"dim 1; {n} pts, {n} explained" and variant["only_known"] == "yes"
    assert int(variant["degree"]) < int(plain["degree"]) and int(variant["ed_degree"]) < int(plain["ed_degree"])
    assert plain["spurious"] == "0" and int(variant["spurious"]) > 0


def test_a_second_head_enlarges_the_neuromanifold_and_its_unexplained_fibers():
    heads = [(a, b) for a, b in pairs() if a["feature"] == "one head vs two"]
    assert len(heads) == 4
    for plain, variant in heads:
        assert int(variant["dim"]) > int(plain["dim"]) and variant["only_known"] == "no"
    assert sum(variant["degree"] == "1" for _, variant in heads) == 3
