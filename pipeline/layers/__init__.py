"""Layer kinds: one module each, registered in :data:`LAYER_KINDS`.

A network is an input width, a number of tokens and a list of layers
(:class:`pipeline.spec.Network`); :mod:`pipeline.architectures.network` composes the layers'
blocks, forward passes and symmetries into one parametrization. To add a layer kind, write one
module with a :class:`~pipeline.layers.base.Layer` subclass and add it to :data:`LAYER_KINDS`.

EXAMPLES::

    >>> layer_from_token("dense3b", "net_i2_dense3b")
    Dense(width=3, bias=True)
    >>> layer_from_yaml({"activation": [0, 1, 1]}, "net.yaml, layer 2")
    Activation(coefficients=(0, 1, 1))
"""

from pipeline.errors import SlugError
from pipeline.layers.activation import Activation
from pipeline.layers.attention import Attention
from pipeline.layers.base import Block, Handle, Layer, fail
from pipeline.layers.conv import Conv
from pipeline.layers.dense import Dense
from pipeline.layers.group_conv import GroupConv
from pipeline.layers.residual import Residual

#: Every layer kind, by its key in network files.
LAYER_KINDS = {kind.key: kind for kind in (Dense, Activation, Conv, GroupConv, Attention, Residual)}


def layer_from_token(token: str, slug: str) -> Layer:
    """The layer a ``net_`` slug token names; raise :class:`~pipeline.errors.SlugError` naming the token."""
    for kind in LAYER_KINDS.values():
        layer = kind.from_token(token, slug)
        if layer is not None:
            return layer
    raise fail(f"slug {slug!r}", f"unknown layer {token!r}; layers are dense<w>[b], p<c0>-..-<cr>, conv<k>s<s>, "
                                 "gconv, attn<d>a<a>[h<H>] (h<H> for two or more heads), res<h>p<c0>-..-<cr>, "
                                 "e.g. net_i3_dense2_p0-0-1_dense1")


def layer_from_yaml(entry, where: str) -> Layer:
    """The layer of one entry of a network file's ``layers`` list (a one-key mapping)."""
    if not isinstance(entry, dict) or len(entry) != 1:
        raise fail(where, f"a layer is a mapping with one key ({', '.join(LAYER_KINDS)}), e.g. dense: 2; got {entry!r}")
    (key, value), = entry.items()
    if key not in LAYER_KINDS:
        raise fail(where, f"unknown layer kind {key!r}; valid kinds: {', '.join(LAYER_KINDS)}")
    try:
        return LAYER_KINDS[key].from_yaml(value, where)
    except SlugError as error:  # a layer's own complaint (e.g. a constant activation), named by the entry
        message = str(error)
        raise (error if message.startswith(where) else fail(where, message)) from None


__all__ = ["LAYER_KINDS", "Activation", "Attention", "Block", "Conv", "Dense", "GroupConv", "Handle", "Layer",
           "Residual", "layer_from_token", "layer_from_yaml"]
