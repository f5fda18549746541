"""Dimension: closed forms, the two methods against each other, the two primes."""

import itertools

import pytest

from pipeline.architectures import parametrization
from pipeline.errors import UnknownNameError
from pipeline.invariants.methods.dimension import dimension

LINEAR_WIDTHS = [w for w in itertools.product(range(1, 5), repeat=3)] + [(2, 3, 1, 4), (5, 2, 4, 3), (3, 1, 3, 3)]


@pytest.mark.parametrize("widths", LINEAR_WIDTHS, ids=lambda w: "-".join(map(str, w)))
def test_linear_closed_form(widths):
    """Matrices of rank <= r = min(widths): dimension r (k0 + kL - r)."""
    r, k0, kL = min(widths), widths[0], widths[-1]
    param = parametrization("linear_w" + "-".join(map(str, widths)))
    for method in ("symbolic", "evaluation"):
        value = dimension(param, method=method, seed=11)
        assert value["dim"] == r * (k0 + kL - r), method
        assert value["agree"]


@pytest.mark.parametrize("widths", [(8, 4, 8), (10, 3, 7), (6, 6, 2, 6)])
def test_linear_closed_form_larger(widths):
    r = min(widths)
    value = dimension(parametrization("linear_w" + "-".join(map(str, widths))), method="evaluation", seed=5)
    assert value["dim"] == r * (widths[0] + widths[-1] - r)


def test_lightning_attention_seed_talk_example():
    """a = d = t = 2, d' = 1: dimension 5, and the known symmetries explain the fiber."""
    param = parametrization("attn_d2-1_a2_t2")
    for method in ("symbolic", "evaluation"):
        value = dimension(param, method=method, seed=2)
        assert value["dim"] == 5
        assert value["params"] - value["symmetry_dim"] == 5
        assert value["defect"] == 0


CNNS = ["cnn_k2-2_s1-1_r2", "cnn_k3-2_s1-1_r2", "cnn_k2-3_s2-1_r3", "cnn_k2-2-2_s1-1-1_r2",
        "cnn_k3-2-2_s1-2-1_r2", "cnn_k4-3_s1-2_r2", "cnn_k2-2_s1-1_r4"]


@pytest.mark.parametrize("slug", CNNS)
def test_polynomial_cnn_closed_form(slug):
    """Shahverdi-Marchetti-Kohn (2025): dimension sum(k) - L + 1 for r > 1."""
    arch = parametrization(slug).arch
    value = dimension(parametrization(slug), seed=4)
    assert value["dim"] == sum(arch.filters) - arch.layers + 1


@pytest.mark.parametrize("n", [2, 3, 4])
def test_mlp_one_hidden_quadratic_layer(n):
    """x |-> sum_j c_j (l_j . x)^2 with h >= n neurons fills the symmetric n x n matrices."""
    h = n
    value = dimension(parametrization(f"mlp_w{n}-{h}-1_r2"), seed=1)
    assert value["dim"] == n * (n + 1) // 2
    assert value["span_dim"] == n * (n + 1) // 2


def test_methods_agree_on_default_sweep(default_slugs):
    for slug in default_slugs:
        param = parametrization(slug)
        symbolic = dimension(param, method="symbolic", seed=21)
        evaluation = dimension(param, method="evaluation", seed=33)
        for key in ("dim", "span_dim", "symmetry_dim", "expected_dim"):
            assert symbolic[key] == evaluation[key], (slug, key)
        assert symbolic["agree"] and evaluation["agree"], slug
        assert len(set(symbolic["primes"] + evaluation["primes"])) == 4


def test_record_keys_and_certificate_fields():
    value = dimension(parametrization("mlp_w2-2-1_r2"), seed=0)
    for key in ("dim", "expected_dim", "ambient_dim", "span_dim", "params", "defect"):
        assert isinstance(value[key], int)
    assert value["defect"] == value["expected_dim"] - value["dim"]
    assert value["seeds"] == [0, 1]


def test_unknown_method_lists_valid_ones():
    with pytest.raises(UnknownNameError, match="valid names: evaluation, numerical, symbolic"):
        dimension(parametrization("linear_w2-1-2"), method="groebner")


def test_auto_uses_evaluation_for_three_layer_attention():
    value = dimension(parametrization("attn_d2-2-2-1_a1-1-1_t2"), seed=3)
    assert value["method"] == "evaluation"
    assert value["dim"] <= value["expected_dim"]


def test_evaluation_with_many_outputs_uses_few_samples():
    """Linear 12 -> 6 -> 12: 12 outputs, so 12 + 2 samples suffice (not dim + 2)."""
    from pipeline.invariants.methods.dimension import samples_needed

    param = parametrization("linear_w12-6-12")
    assert samples_needed(param) == 14
    assert dimension(param, method="evaluation", seed=9)["dim"] == 6 * (12 + 12 - 6)


def test_oblong_rank_by_random_projection_matches_exact_rank():
    import numpy as np

    from pipeline.algebra.modular import rank_mod_p

    rng = np.random.default_rng(5)
    p = 1000003
    for rows, cols, rank in [(30, 400, 17), (500, 20, 9), (50, 60, 50)]:
        A = (rng.integers(0, p, (rows, rank)) @ rng.integers(0, p, (rank, cols)).astype(object)) % p
        A = A.astype(np.int64)
        assert rank_mod_p(A, p, rng) == rank_mod_p(A, p) == min(rank, rows, cols)
