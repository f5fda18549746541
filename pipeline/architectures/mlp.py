"""Polynomial MLPs ``x |-> W_L s(... s(W_1 x))`` with ``s(z) = z^r`` entrywise.

Conventions (Kileel-Trager-Bruna 2019): widths ``k0`` (input) to ``kL``
(output), ``W_i`` of size ``k_i x k_(i-1)``, the activation after every layer but
the last. With ``_bias`` every layer is affine, ``z -> W_i z + b_i``. Coordinates:
the monomial coefficients of the output tuple, homogeneous of degree
``r^(L-1)`` without biases, of degree at most ``r^(L-1)`` with them.
With ``_p<c0>-..-<cr>`` the activation is ``s(z) = c0 + c1 z + ... + cr z^r``
(Shahverdi-Marchetti-Kohn 2025, generic polynomial activations); the coordinates are
then the coefficients of all monomials of degree at most ``r^(L-1)``.
Known symmetries, composed from the layers (:mod:`pipeline.architectures.network`): for
``x^r``, rescaling of each hidden neuron, row ``j`` of ``W_i`` (and ``b_i[j]``) by ``c`` and
column ``j`` of ``W_(i+1)`` by ``c^-r``, and neuron permutations; for any other polynomial,
neuron permutations, and sign flips when ``s`` is odd or even.

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("mlp_w2-2-1_r2"))
    >>> m.params, m.degree, m.ambient_dim, m.symmetry_group_dim
    (6, 2, 3, 2)
    >>> parametrize(parse_slug("mlp_w2-2-1_r2_bias")).ambient_dim
    6
"""

from pipeline.architectures.network import compose
from pipeline.layers import Activation, Dense
from pipeline.spec import MLP, Network


def activation_of(arch) -> Activation:
    """The activation of an mlp, cnn, res or gcnn architecture (``x^r`` or the ``_p`` polynomial)."""
    return Activation(arch.poly) if arch.poly else Activation.monomial(arch.r)


def alternating(first, sigma: Activation, rest) -> tuple:
    """``first, sigma, layer, sigma, layer, ...``: the activation between consecutive layers."""
    layers = [first]
    for layer in rest:
        layers += [sigma, layer]
    return tuple(layers)


def split_alternating(layers, kind) -> tuple[list, Activation | None] | None:
    """``(layers of the kind, the one activation between them)`` for an alternating list, else None."""
    main, between = list(layers[::2]), set(layers[1::2])
    if not all(isinstance(layer, kind) for layer in main) or len(between) > 1:
        return None
    if not all(isinstance(layer, Activation) for layer in between) or len(main) < 2 or len(layers) % 2 == 0:
        return None
    return main, between.pop()


def sigma_fields(sigma: Activation) -> tuple[int, tuple[int, ...]]:
    """``(r, poly)`` of a slug: ``poly`` is ``()`` for ``x^r``."""
    return sigma.order, () if sigma.is_power else sigma.coefficients


def to_network(arch: MLP) -> Network:
    """The layer list: dense layers (with biases if ``_bias``), the activation between them."""
    dense = [Dense(k, arch.bias) for k in arch.widths[1:]]
    return Network(arch.widths[0], alternating(dense[0], activation_of(arch), dense[1:]))


def from_network(net: Network) -> MLP | None:
    """The MLP a layer list is, or None."""
    found = split_alternating(net.layers, Dense) if net.tokens == 1 else None
    if found is None or len({layer.bias for layer in found[0]}) > 1 or found[1].order < 2:
        return None
    dense, sigma = found
    r, poly = sigma_fields(sigma)
    return MLP((net.input,) + tuple(d.width for d in dense), r, dense[0].bias, poly)


def parametrize(arch: MLP):
    """Return the parametrization of a polynomial MLP."""
    return compose(arch, to_network(arch), conventions=__doc__)
