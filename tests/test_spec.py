"""Slug grammar: round trips and clear errors."""

import pytest

from pipeline.errors import SlugError
from pipeline.spec import CNN, MLP, Attention, LinearNet, format_slug, parse_slug

VALID = [
    "linear_w4-2-3", "linear_w1-1", "linear_w10-3-3-10",
    "mlp_w2-3-2_r2", "mlp_w2-3-2_r2_bias", "mlp_w5-1_r7",
    "cnn_k3-2_s1-1_r2", "cnn_k3-2_s1-1_r1", "cnn_k4_s3_r5",
    "attn_d2-1_a2_t2", "attn_d2-2-2_a1-1_t3", "attn_d12-3_a11_t1",
]


@pytest.mark.parametrize("slug", VALID)
def test_round_trip(slug):
    assert format_slug(parse_slug(slug)) == slug
    assert parse_slug(slug).slug == slug


def test_fields():
    assert parse_slug("linear_w4-2-3") == LinearNet((4, 2, 3))
    assert parse_slug("mlp_w2-3-2_r3_bias") == MLP((2, 3, 2), 3, True)
    assert parse_slug("cnn_k3-2_s2-1_r1") == CNN((3, 2), (2, 1), 1)
    assert parse_slug("attn_d2-2-2_a1-1_t3") == Attention((2, 2, 2), (1, 1), 3)


BAD = {
    "": "unknown family ''",
    "relu_w2-2": "unknown family 'relu'",
    "linear": "does not match the linear grammar",
    "linear_w": "does not match the linear grammar",
    "linear_w4": "needs at least two widths",
    "linear_w4-0-3": "does not match the linear grammar",
    "linear_w04-2": "without leading zeros",
    "linear_w4--2": "does not match",
    "linear_w4-2-3_r2": "does not match the linear grammar",
    "mlp_w2-3-2": "does not match the mlp grammar",
    "mlp_w2-3-2_r1": "r = 1 makes the MLP linear",
    "mlp_w2-3-2_r2_biases": "does not match the mlp grammar",
    "cnn_k3-2_s1_r2": "2 filter sizes but 1 strides",
    "cnn_k3-2_s1-1": "does not match the cnn grammar",
    "cnn_k3-2_s0-1_r2": "does not match the cnn grammar",
    "attn_d2-1_a2": "does not match the attn grammar",
    "attn_d2-1_a2-2_t2": "2 embedding dims but 2 key dims",
    "attn_d2-1_a2_t0": "does not match the attn grammar",
    "Linear_w2-2": "unknown family 'Linear'",
    " linear_w2-2": "unknown family",
}


@pytest.mark.parametrize("slug,message", sorted(BAD.items()))
def test_bad_slugs_name_the_problem(slug, message):
    with pytest.raises(SlugError) as info:
        parse_slug(slug)
    assert message in str(info.value)
    assert repr(slug) in str(info.value)


def test_non_string():
    with pytest.raises(SlugError, match="a slug is a string"):
        parse_slug(42)


def test_sizes_agree_with_parametrizations():
    """The closed forms of ``size_of`` (used to refuse absurd slugs at once) match the parametrizations."""
    from pipeline.architectures import parametrization
    from pipeline.spec import size_of

    for slug in VALID + ["attn_d3-3-3-3_a3-3-3_t4", "mlp_w2-3-1_r2_bias", "cnn_k3-3_s2-1_r3", "attn_d2-2-1_a1-1_t2"]:
        size, param = size_of(parse_slug(slug)), parametrization(slug)
        assert (size["params"], size["degree"], size["ambient_dim"], size["n_inputs"], size["n_outputs"]) == (
            param.params, param.degree, param.ambient_dim, param.n_inputs, param.n_outputs), slug


def test_size_limits_refuse_only_absurd_networks(default_slugs):
    """Every network of the default sweep, the tests and the benchmarks passes; absurd ones are refused at once."""
    import time

    real = ["attn_d3-3-3-3_a3-3-3_t4", "mlp_w10-100-100-1_r2", "mlp_w10-64-64-1_r2", "linear_w50-100-100-50",
            "attn_d4-4-4-4-4_a4-4-4-4_t4", "mlp_w2-2-2-2-2-2-2-2-2-2-2-2-2-2-1_r2", "cnn_k2-2_s999999999-1_r2"]
    for slug in default_slugs + real:
        parse_slug(slug)
    absurd = {
        "mlp_w2-2-1_r999999999999": "degree 999999999999, above the limit 10,000",
        "mlp_w2" + "-2" * 60 + "_r999999": "degree 999999^59",
        "linear_w100000-100000": "10,000,000,000 parameters, above the limit 10,000,000",
        "attn_d20-20-20-20_a1-1-1_t10": "1.32e37 coordinates",
        "cnn_k2-2-2_s" + "9" * 300 + "-1-1_r2": "coordinates (monomial coefficients of the outputs), above the limit",
    }
    for slug, message in absurd.items():
        start = time.monotonic()
        with pytest.raises(SlugError, match="too large to compute") as info:
            parse_slug(slug)
        assert time.monotonic() - start < 0.5, slug
        assert message in str(info.value) and "docs/bad-input.md" in str(info.value)


def test_a_network_file_is_not_a_slug():
    for slug in ("nets/net.yaml", "net.yml", "NET.YAML"):
        with pytest.raises(SlugError, match="a network file is not a slug"):
            parse_slug(slug)
