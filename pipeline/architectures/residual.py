"""Residual networks: blocks ``x |-> x + V_i s(U_i x)`` on ``R^d``, no final layer.

Conventions (the residual blocks of Marcotte-Gribonval-Peyre 2023 and of the invitation to
neuroalgebraic geometry, Marchetti et al. 2025): block ``i`` has ``U_i`` of size ``h_i x d`` and
``V_i`` of size ``d x h_i``; ``s`` is ``x^r`` (``_r``) or ``c0 + c1 x + ... + cr x^r`` (``_p``). The
network is not homogeneous (the identity branch has degree 1), so the coordinates are the
coefficients of all monomials of degree at most ``r^B`` (``B`` blocks) and degrees are those of
the projective closure. Known symmetries: inside each block, those of its hidden neurons
(rescalings ``U`` row ``j`` by ``c``, ``V`` column ``j`` by ``c^-r`` for ``x^r``; permutations); the
identity branch admits no change of frame between blocks. A block with one hidden neuron is
the translate by the identity of the plain image ``x |-> V s(U x)``.

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("res_d2_h1_r2"))
    >>> m.params, m.degree, m.homogeneous, m.symmetry_group
    (4, 2, False, 'hidden-neuron rescalings (C^*)^1')
"""

from pipeline.architectures.mlp import activation_of, sigma_fields
from pipeline.architectures.network import compose
from pipeline.layers import Residual as Block
from pipeline.spec import Network, Residual


def to_network(arch: Residual) -> Network:
    """The layer list: one residual block per hidden width."""
    return Network(arch.dim, tuple(Block(h, activation_of(arch)) for h in arch.hidden))


def from_network(net: Network) -> Residual | None:
    """The residual network a layer list is, or None."""
    if net.tokens != 1 or not all(isinstance(layer, Block) for layer in net.layers):
        return None
    if len({layer.activation for layer in net.layers}) > 1:
        return None
    r, poly = sigma_fields(net.layers[0].activation)
    return Residual(net.input, tuple(layer.hidden for layer in net.layers), r, poly)


def parametrize(arch: Residual):
    """Return the parametrization of a residual network."""
    return compose(arch, to_network(arch), conventions=__doc__)
