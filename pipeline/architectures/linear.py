"""Linear dense networks ``x |-> W_L ... W_1 x``.

Conventions: widths ``k0`` (input) to ``kL`` (output), ``W_i`` of size
``k_i x k_(i-1)``; coordinates are the entries of the end-to-end matrix
``W_L ... W_1`` (the coefficients of the linear output forms). The neuromanifold
is the variety of ``kL x k0`` matrices of rank at most ``min(k)``, of dimension
``r (k0 + kL - r)`` (Kileel-Trager-Bruna 2019; Trager-Kohn-Bruna 2020).
Known symmetries: ``GL(k_i)`` for every hidden layer, ``W_i -> g W_i``,
``W_(i+1) -> W_(i+1) g^-1``.

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("linear_w4-2-3"))
    >>> m.params, m.ambient_dim, m.symmetry_group_dim
    (14, 12, 4)
"""

from pipeline.architectures.network import compose
from pipeline.layers import Dense
from pipeline.spec import LinearNet, Network


def to_network(arch: LinearNet) -> Network:
    """The layer list: dense layers without activations."""
    return Network(arch.widths[0], tuple(Dense(k) for k in arch.widths[1:]))


def from_network(net: Network) -> LinearNet | None:
    """The linear net a layer list is, or None."""
    if net.tokens == 1 and all(isinstance(layer, Dense) and not layer.bias for layer in net.layers):
        return LinearNet((net.input,) + tuple(layer.width for layer in net.layers))
    return None


def parametrize(arch: LinearNet):
    """Return the parametrization of a linear dense network."""
    return compose(arch, to_network(arch), conventions=__doc__)
