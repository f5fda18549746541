"""Compose a list of layers into one :class:`~pipeline.architectures.base.Parametrization`.

The blocks are the layers' blocks in order (a layer's names carry its index among the layers with
parameters: ``W1, b1, W2``); the forward pass runs the layers in turn; the known symmetries are
composed, never written per family:

- each layer's own symmetries (an attention head's ``GL(a)`` and rescaling, a residual block's hidden
  neurons), then
- between consecutive layers with parameters, what the output handle of the first and the input
  handle of the second absorb through the activation between them
  (:func:`pipeline.layers.interfaces.between`).

The subnetwork loci are the layers' own (a zero filter tap, a key dimension dropped, a hidden
neuron of a residual block removed) and a neuron removed between two dense layers; a locus's
subnetwork is named by narrowing the layer list (:func:`narrowed_network`).

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = compose(parse_slug("net_i2_dense2_p0-0-1_dense1"))
    >>> m.params, m.degree, m.symmetry_group, m.discrete_group
    (6, 2, 'hidden-neuron rescalings (C^*)^2', 'S_2 (hidden-neuron permutations)')
    >>> compose(parse_slug("net_i4_gconv_p0-0-1_gconv")).discrete_group
    'C_4 (cyclic shifts)'
"""

from __future__ import annotations

from math import prod
from typing import Callable

from pipeline.architectures.base import Parametrization, zero_cols, zero_rows
from pipeline.layers import Activation, Attention, Dense, Residual
from pipeline.layers.interfaces import (
    between,
    discrete_label,
    enumerate_images,
    group_label,
)
from pipeline.spec import Architecture, Network, check_layers


def _activation_between(net: Network, first: int, second: int):
    """The activation between two positions (None if they are adjacent)."""
    return net.layers[first + 1] if second == first + 2 else None


def describe(net: Network) -> str:
    """A one-line description of a layer list (the conventions of a ``net_`` architecture)."""
    parts = []
    for layer in net.layers:
        if isinstance(layer, Activation):
            parts.append(f"sigma(x) = {layer.formula()}")
        else:
            parts.append(layer.token())
    return (f"Network of layers on inputs of {net.input} x {net.tokens}: " + ", ".join(parts)
            + " (pipeline.layers: one module per layer kind; symmetries composed by pipeline.architectures.network).")


def compose(arch: Architecture, net: Network | None = None, *, conventions: str = "",
            subnetwork_slug: Callable | None = None) -> Parametrization:
    """The parametrization of ``arch`` from its layer list ``net`` (``arch`` itself if it is a :class:`Network`).

    ``subnetwork_slug(zeros)`` names the subnetwork of a zero pattern; by default the layer list is
    narrowed (:func:`narrowed_network`) and named by its ``net_`` slug (which
    :func:`pipeline.architectures.parametrization` renames to the family's slug where there is one).
    """
    net = arch if net is None else net
    widths = check_layers(net, arch.slug)
    placed = net.placed()
    blocks = tuple(block for position, index, layer in placed for block in layer.blocks(index, widths[position]))
    shapes = {b.name: (b.rows, b.cols) for b in blocks}

    def network(ops, weights, X):
        h, index = X, 0
        for position, layer in enumerate(net.layers):
            index += layer.has_parameters
            h = layer.forward(ops, weights, h, index, widths[position])
        return h

    degree, homogeneous = 1, True
    for layer in net.layers:
        degree, homogeneous = layer.degree(degree), layer.homogeneous(homogeneous)

    symmetries, sites, strata = [], [], []
    for position, index, layer in placed:
        symmetries += layer.internal_symmetries(index, widths[position])
        sites += layer.internal_sites(index, widths[position])
    interface_symmetries, interface_sites = [], []
    for (first, i, left_layer), (second, j, right_layer) in zip(placed, placed[1:]):
        strata += [(label, zeros) for label, zeros in left_layer.internal_strata(i, widths[first])]
        left, right = left_layer.output_handle(i, widths[first]), right_layer.input_handle(j, widths[second])
        if left is None or right is None:
            continue
        continuous, found = between(left, right, _activation_between(net, first, second), str(i))
        interface_symmetries += [continuous] if continuous else []
        interface_sites += found
        if left.neurons and right.neurons and left.width > 1:
            removed = {left.width - 1}
            zeros = {**left.zero_coordinates(removed, shapes), **right.zero_coordinates(removed, shapes)}
            strata.append((f"hidden layer {i}: width {left.width} -> {left.width - 1}", zeros))
    last_position, last_index, last_layer = placed[-1]
    strata += last_layer.internal_strata(last_index, widths[last_position])
    symmetries += interface_symmetries
    sites += interface_sites

    def act(weights, group):
        out = dict(weights)
        for symmetry in symmetries:
            out = symmetry.act(out, group)
        return out

    def symmetry_tangents(weights, p):
        return [tangent for symmetry in symmetries for tangent in symmetry.tangents(weights, p)]

    if subnetwork_slug is None:
        subnetwork_slug = _narrowing_namer(net, blocks)
    return Parametrization(
        arch=arch,
        blocks=blocks,
        input_shape=(net.input, net.tokens),
        output_shape=(widths[-1], net.tokens),
        degree=degree,
        homogeneous=homogeneous,
        network=network,
        symmetry_tangents=symmetry_tangents,
        symmetry_group=group_label(symmetries),
        symmetry_group_dim=sum(s.dim for s in symmetries),
        conventions=conventions or describe(net),
        group_factors=tuple(factor for s in symmetries for factor in s.factors),
        act=act,
        discrete_order_of=lambda: prod(site.order for site in sites),
        discrete_group=discrete_label(sites),
        discrete_images=(lambda weights: enumerate_images(weights, sites)) if sites else None,
        strata=tuple((label, subnetwork_slug(zeros), zeros) for label, zeros in strata),
        subnetwork_slug=subnetwork_slug,
    )


def narrowed_network(net: Network, blocks, zeros: dict) -> Network | None:
    """The layer list with the neurons, hidden units and key dimensions that ``zeros`` removes taken out.

    A neuron between two dense layers is removed when its row of the first (bias included) or its
    column of the second is zero; a hidden unit of a residual block likewise; a key dimension of an
    attention layer when its row of ``Q`` or of ``K`` is zero (in every head alike). None if the
    pattern removes something else (a filter tap) or everything of a layer.
    """
    by_name = {b.name: b for b in blocks}
    placed = net.placed()
    layers = list(net.layers)
    covered = set()
    for (first, i, left), (second, _, right) in zip(placed, placed[1:]):
        if isinstance(left, Dense) and isinstance(right, Dense):
            rows = zero_rows(zeros, by_name[f"W{i}"])
            if left.bias:
                rows &= zero_rows(zeros, by_name[f"b{i}"])
            removed = rows | zero_cols(zeros, by_name[f"W{i + 1}"])
            covered |= {f"W{i}", f"W{i + 1}", f"b{i}"}
            layers[first] = Dense(left.width - len(removed), left.bias)
    for position, i, layer in placed:
        if isinstance(layer, Residual):
            removed = zero_rows(zeros, by_name[f"U{i}"]) | zero_cols(zeros, by_name[f"V{i}"])
            covered |= {f"U{i}", f"V{i}"}
            layers[position] = Residual(layer.hidden - len(removed), layer.activation)
        elif isinstance(layer, Attention):
            dropped = {len(zero_rows(zeros, by_name[q]) | zero_rows(zeros, by_name[k]))
                       for q, k, _ in layer.head_names(i)}
            covered |= {name for names in layer.head_names(i) for name in names}
            if len(dropped) > 1:
                return None
            layers[position] = Attention(layer.dim, layer.keys - dropped.pop(), layer.heads)
    if set(zeros) - covered:
        return None
    sizes = [getattr(layer, name) for layer in layers for name in ("width", "hidden", "keys") if hasattr(layer, name)]
    if min(sizes, default=1) < 1:
        return None
    return Network(net.input, tuple(layers), net.tokens)


def _narrowing_namer(net: Network, blocks) -> Callable:
    def subnetwork_slug(zeros):
        narrower = narrowed_network(net, blocks, zeros)
        return None if narrower is None else narrower.slug

    return subnetwork_slug
