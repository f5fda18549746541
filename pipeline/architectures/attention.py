"""Lightning self-attention ``X |-> V X X^T K^T Q X``, single layer and deep.

Conventions (Henry-Marchetti-Kohn 2025): layer ``i`` maps ``X`` of size
``d_(i-1) x t`` to ``V_i X X^T K_i^T Q_i X`` of size ``d_i x t``, with ``Q_i, K_i`` of
size ``a_i x d_(i-1)`` and ``V_i`` of size ``d_i x d_(i-1)``; deep nets compose
layers. No normalization, so the network is a polynomial, cubic in ``X`` per layer
(degree ``3^L``). Coordinates: the monomial coefficients of each of the
``d_L t`` output entries in the ``d_0 t`` input entries.
Known continuous symmetries: ``GL(a_i)`` acting by ``Q_i -> g Q_i``,
``K_i -> g^-T K_i``; one rescaling per layer (``V_i -> c V_i``, ``Q_i -> Q_i / c``);
``GL(d_i)`` between layers ``i`` and ``i + 1`` (``V_i -> g V_i``,
``V_(i+1), Q_(i+1), K_(i+1) -> (.) g^-1``). For ``a = d = t = 2, d' = 1`` the
neuromanifold has dimension 5. With ``_h<H1>-<H2>-..`` layer ``l`` has ``H_l`` heads,
each with its own ``Q, K`` (key dim ``a_l``) and ``V``, and the layer is the sum of its
heads; each head has its own ``GL(a_l)`` and rescaling, and equal heads can be permuted.
Symmetries composed from the layers (:mod:`pipeline.layers.attention`).

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("attn_d2-1_a2_t2"))
    >>> m.params, m.degree, m.output_shape, m.symmetry_group_dim
    (10, 3, (1, 2), 5)
"""

from pipeline.architectures.network import compose
from pipeline.layers import Attention as AttentionLayer
from pipeline.spec import Attention, Network


def to_network(arch: Attention) -> Network:
    """The layer list: one attention layer (with its heads) per layer, no activations."""
    layers = tuple(AttentionLayer(d, a, h) for d, a, h in zip(arch.dims[1:], arch.keys, arch.head_counts))
    return Network(arch.dims[0], layers, arch.tokens)


def from_network(net: Network) -> Attention | None:
    """The attention network a layer list is, or None."""
    if not all(isinstance(layer, AttentionLayer) for layer in net.layers):
        return None
    heads = tuple(layer.heads for layer in net.layers)
    return Attention((net.input,) + tuple(layer.dim for layer in net.layers), tuple(layer.keys for layer in net.layers),
                     net.tokens, heads if max(heads) > 1 else ())


def parametrize(arch: Attention):
    """Return the parametrization of a (deep, multi-head) lightning self-attention network."""
    return compose(arch, to_network(arch), conventions=__doc__)
