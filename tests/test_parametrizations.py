"""Parametrizations: sizes from closed forms, and the two backends computing the same map."""

from math import comb

import numpy as np
import pytest
from sage.all import GF

from pipeline.algebra.symbolic import expand
from pipeline.architectures import parametrization
from pipeline.architectures.cnn import layer_lengths
from pipeline.engines.modp import evaluate_network
from pipeline.spec import parse_slug


def test_parameter_counts_from_closed_forms():
    for widths in [(2, 1, 2), (4, 2, 3), (3, 5, 2, 4)]:
        slug = "linear_w" + "-".join(map(str, widths))
        assert parametrization(slug).params == sum(a * b for a, b in zip(widths, widths[1:]))
        mlp = parametrization(f"mlp_w{'-'.join(map(str, widths))}_r2_bias")
        assert mlp.params == sum(a * b + b for a, b in zip(widths, widths[1:]))
    attn = parametrization("attn_d3-2-1_a2-1_t4")
    assert attn.params == (2 * 3 * 2 + 2 * 3) + (2 * 1 * 2 + 1 * 2)
    assert parametrization("cnn_k3-2-4_s1-2-1_r2").params == 9


def test_ambient_dimensions_from_closed_forms():
    assert parametrization("linear_w4-2-3").ambient_dim == 12
    assert parametrization("mlp_w3-4-2_r3").ambient_dim == 2 * comb(3 + 3 - 1, 3)
    assert parametrization("mlp_w3-4-2_r3_bias").ambient_dim == 2 * comb(3 + 3, 3)
    assert parametrization("mlp_w2-2-2-1_r2").degree == 4
    # attention: d' t outputs, forms of degree 3^L in d t entries
    assert parametrization("attn_d2-1_a2_t2").ambient_dim == 2 * comb(4 + 2, 3)
    assert parametrization("attn_d2-2-1_a1-1_t2").degree == 9


@pytest.mark.parametrize("filters,strides", [((3, 2), (1, 1)), ((2, 2), (2, 1)), ((2, 3, 2), (1, 2, 3))])
def test_cnn_input_length(filters, strides):
    arch = parse_slug(f"cnn_k{'-'.join(map(str, filters))}_s{'-'.join(map(str, strides))}_r2")
    lengths = layer_lengths(arch)
    assert lengths[-1] == 1
    for i in range(1, len(lengths)):  # n_(i-1) = s_i (n_i - 1) + k_i
        assert lengths[i - 1] == strides[i - 1] * (lengths[i] - 1) + filters[i - 1]


SLUGS = ["linear_w3-2-2", "mlp_w2-3-2_r2", "mlp_w2-2-1_r3_bias", "cnn_k3-2_s2-1_r2", "cnn_k2-2-2_s1-1-1_r1",
         "attn_d2-1_a2_t2", "attn_d2-2-1_a1-1_t2"]


@pytest.mark.parametrize("slug", SLUGS)
def test_symbolic_and_numeric_forward_passes_agree(slug):
    """The expanded coordinates, evaluated at x, equal the mod-p forward pass."""
    param = parametrization(slug)
    coords = expand(param)
    p = 1000003
    rng = np.random.default_rng(7)
    theta = rng.integers(1, p, size=param.params)
    x = rng.integers(1, p, size=param.input_shape)
    values, _ = evaluate_network(param, param.split(theta), x[None], p, with_jacobian=False)
    K = GF(p)
    xs = [K(int(v)) for v in x.reshape(-1)]
    point = [K(int(v)) for v in theta]
    expected = [K(0)] * param.n_outputs
    for label, poly in zip(coords.labels, coords.polynomials):
        output, monomial = label.split(": ")
        value = poly.change_ring(K)(*point)
        for factor in monomial.split("*"):
            if factor == "1":
                continue
            name, _, power = factor.partition("^")
            flat = [n for row in param.input_names for n in row].index(name)
            value *= xs[flat] ** int(power or 1)
        expected[int(output[1:]) - 1] += value
    assert [int(v) for v in expected] == values.reshape(-1).tolist()


@pytest.mark.parametrize("slug", SLUGS)
def test_symmetry_tangents_are_tangent_to_the_fiber(slug):
    """The Jacobian kills every symmetry generator (the orbit lies in the fiber)."""
    param = parametrization(slug)
    p = 1000003
    rng = np.random.default_rng(3)
    weights = param.split(rng.integers(1, p, size=param.params))
    samples = rng.integers(1, p, size=(4,) + param.input_shape)
    _, J = evaluate_network(param, weights, samples, p)
    T = param.tangent_matrix(weights, p)
    assert T.shape == (param.symmetry_group_dim, param.params)
    assert T.any()
    assert not ((J.astype(object) @ T.T.astype(object)) % p).any()
