"""1-D one-channel convolutional networks with monomial activation ``x^r``.

Conventions (Kohn-Merkh-Montufar-Trager 2022; Shahverdi-Marchetti-Kohn 2025):
layer ``i`` has a filter ``w_i`` of size ``k_i`` and stride ``s_i`` and computes the
valid convolution ``(C_w x)_j = sum_m w_m x_(s_i j + m)`` (0-based ``j``, ``m``);
layer lengths satisfy ``n_(i-1) = s_i (n_i - 1) + k_i`` with a single output
``n_L = 1``, so the input length is ``n_0``; ``x^r`` after every layer but the last;
no biases; ``_p<c0>-..-<cr>`` for the activation ``c0 + c1 x + ... + cr x^r``
(coordinates then of all degrees up to ``r^(L-1)``). ``r = 1`` is the linear convolutional network, whose function is the
end-to-end filter. Coordinates: the monomial coefficients of the output, a form
of degree ``r^(L-1)`` in ``n_0`` inputs. Known continuous symmetries: filter
rescalings, ``w_i -> c w_i``, ``w_(i+1) -> c^-r w_(i+1)``. For ``r > 1`` the
neuromanifold has dimension ``sum(k) - L + 1`` (Shahverdi-Marchetti-Kohn 2025); for a
generic polynomial activation the parametrization is generically one-to-one (same paper),
so the dimension is ``sum(k)``. Symmetries composed from the layers.

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("cnn_k3-2_s1-1_r2"))
    >>> m.input_shape, m.params, m.degree
    ((4, 1), 5, 2)
    >>> layer_lengths(parse_slug("cnn_k2-2_s2-1_r1"))
    [4, 2, 1]
"""

from pipeline.architectures.mlp import (
    activation_of,
    alternating,
    sigma_fields,
    split_alternating,
)
from pipeline.architectures.network import compose
from pipeline.layers import Conv
from pipeline.spec import CNN, Network


def layer_lengths(arch: CNN) -> list[int]:
    """Lengths ``n_0, ..., n_L`` of the layer signals (``n_L = 1``)."""
    lengths = [1]
    for k, s in zip(reversed(arch.filters), reversed(arch.strides)):
        lengths.append(s * (lengths[-1] - 1) + k)
    return lengths[::-1]


def to_network(arch: CNN) -> Network:
    """The layer list: convolutions, the activation between them, on a signal of length ``n_0``."""
    convs = [Conv(k, s) for k, s in zip(arch.filters, arch.strides)]
    if len(convs) == 1:
        return Network(layer_lengths(arch)[0], tuple(convs))
    return Network(layer_lengths(arch)[0], alternating(convs[0], activation_of(arch), convs[1:]))


def from_network(net: Network) -> CNN | None:
    """The CNN a layer list is (a single output), or None."""
    if net.tokens != 1:
        return None
    if len(net.layers) == 1 and isinstance(net.layers[0], Conv):
        convs, r, poly = list(net.layers), 1, ()
    else:
        found = split_alternating(net.layers, Conv)
        if found is None:
            return None
        convs, (r, poly) = found[0], sigma_fields(found[1])
    arch = CNN(tuple(c.filter for c in convs), tuple(c.stride for c in convs), r, poly)
    return arch if layer_lengths(arch)[0] == net.input else None


def parametrize(arch: CNN):
    """Return the parametrization of a 1-D polynomial convolutional network."""

    def subnetwork_slug(zeros):
        """Filters with leading or trailing zero taps are shorter filters (the inputs shift); None otherwise."""
        shorter = []
        for i, k in enumerate(arch.filters, start=1):
            zero = {col for _, col in zeros.get(f"w{i}", ())}
            lead = next((m for m in range(k) if m not in zero), k)
            trail = next((m for m in range(k) if k - 1 - m not in zero), k)
            if lead == k or len(zero) != lead + trail:
                return None
            shorter.append(k - lead - trail)
        return CNN(tuple(shorter), arch.strides, arch.r, arch.poly).slug

    return compose(arch, to_network(arch), conventions=__doc__, subnetwork_slug=subnetwork_slug)
