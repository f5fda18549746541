"""Cyclic group convolutional networks on ``R^n``: ``x |-> w_L * s(... s(w_1 * x))``.

Conventions (Hendi-Persson-Larfors 2026, polynomial group CNNs, for the cyclic group ``C_n``):
every layer is a full convolution over ``C_n``, ``(w * x)_g = sum_k w_k x_(g - k mod n)``, with a
filter of ``n`` taps, equivariant ``R^n -> R^n``; the activation ``s`` (``x^r`` or ``_p``) after every
layer but the last; no biases. Coordinates: the monomial coefficients of the ``n`` outputs. For
``x^r`` the neuromanifold has dimension ``L (n - 1) + 1`` (Hendi et al.): the parameters minus one
rescaling per interface. Known symmetries, composed from the layers: a rescaling per interface
(``x^r``), and the cyclic shifts (``w_i -> roll(w_i, s)``, ``w_(i+1) -> roll(w_(i+1), -s)``).

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("gcnn_c3_l2_r2"))
    >>> m.params, m.degree, m.symmetry_group_dim, m.discrete_group
    (6, 2, 1, 'C_3 (cyclic shifts)')
"""

from pipeline.architectures.mlp import (
    activation_of,
    alternating,
    sigma_fields,
    split_alternating,
)
from pipeline.architectures.network import compose
from pipeline.layers import GroupConv
from pipeline.spec import GroupCNN, Network


def to_network(arch: GroupCNN) -> Network:
    """The layer list: ``L`` group convolutions, the activation between them."""
    convs = [GroupConv() for _ in range(arch.layers)]
    return Network(arch.n, alternating(convs[0], activation_of(arch), convs[1:]) if arch.layers > 1 else tuple(convs))


def from_network(net: Network) -> GroupCNN | None:
    """The group CNN a layer list is, or None."""
    if net.tokens != 1 or net.input < 2:
        return None
    if len(net.layers) == 1 and isinstance(net.layers[0], GroupConv):
        return GroupCNN(net.input, 1, 1)
    found = split_alternating(net.layers, GroupConv)
    if found is None:
        return None
    return GroupCNN(net.input, len(found[0]), *sigma_fields(found[1]))


def parametrize(arch: GroupCNN):
    """Return the parametrization of a cyclic group CNN."""
    return compose(arch, to_network(arch), conventions=__doc__)
