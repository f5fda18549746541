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
