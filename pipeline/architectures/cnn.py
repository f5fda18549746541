"""1-D one-channel convolutional networks with monomial activation ``x^r``.

Conventions (Kohn-Merkh-Montufar-Trager 2022; Shahverdi-Marchetti-Kohn 2025):
layer ``i`` has a filter ``w_i`` of size ``k_i`` and stride ``s_i`` and computes the
valid convolution ``(C_w x)_j = sum_m w_m x_(s_i j + m)`` (0-based ``j``, ``m``);
layer lengths satisfy ``n_(i-1) = s_i (n_i - 1) + k_i`` with a single output
``n_L = 1``, so the input length is ``n_0``; ``x^r`` after every layer but the last;
no biases. ``r = 1`` is the linear convolutional network, whose function is the
end-to-end filter. Coordinates: the monomial coefficients of the output, a form
of degree ``r^(L-1)`` in ``n_0`` inputs. Known continuous symmetries: filter
rescalings, ``w_i -> c w_i``, ``w_(i+1) -> c^-r w_(i+1)``. For ``r > 1`` the
neuromanifold has dimension ``sum(k) - L + 1`` (Shahverdi-Marchetti-Kohn 2025).

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("cnn_k3-2_s1-1_r2"))
    >>> m.input_shape, m.params, m.degree
    ((4, 1), 5, 2)
    >>> layer_lengths(parse_slug("cnn_k2-2_s2-1_r1"))
    [4, 2, 1]
"""

from pipeline.architectures.base import Block, Parametrization
from pipeline.spec import CNN


def layer_lengths(arch: CNN) -> list[int]:
    """Lengths ``n_0, ..., n_L`` of the layer signals (``n_L = 1``)."""
    lengths = [1]
    for k, s in zip(reversed(arch.filters), reversed(arch.strides)):
        lengths.append(s * (lengths[-1] - 1) + k)
    return lengths[::-1]


def parametrize(arch: CNN) -> Parametrization:
    """Return the parametrization of a 1-D polynomial convolutional network."""
    L, r = arch.layers, arch.r
    lengths = layer_lengths(arch)
    blocks = tuple(Block(f"w{i}", 1, k) for i, k in enumerate(arch.filters, start=1))

    def network(ops, weights, X):
        h = X
        for i in range(1, L + 1):
            conv = ops.conv_matrix(weights[f"w{i}"], lengths[i], lengths[i - 1], arch.strides[i - 1])
            h = ops.matmul(conv, h)
            if i < L:
                h = ops.power(h, r)
        return h

    def symmetry_tangents(weights, p):
        tangents = []
        for i in range(1, L):
            tangents.append({f"w{i}": weights[f"w{i}"] % p, f"w{i + 1}": (-r * weights[f"w{i + 1}"]) % p})
        return tangents

    def act(weights, group):
        out = {}
        for i in range(1, L + 1):
            w = weights[f"w{i}"]
            if f"c{i}" in group:
                w = group[f"c{i}"][0][0, 0] * w
            if f"c{i - 1}" in group:
                w = group[f"c{i - 1}"][1][0, 0] ** r * w
            out[f"w{i}"] = w
        return out

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
        strides = "-".join(map(str, arch.strides))
        return f"cnn_k{'-'.join(map(str, shorter))}_s{strides}_r{r}"

    strata = []
    for i, k in enumerate(arch.filters, start=1):
        if k > 1:
            strata.append((f"filter {i}: first tap zero", None, {f"w{i}": [(0, 0)]}))
            strata.append((f"filter {i}: last tap zero", None, {f"w{i}": [(0, k - 1)]}))
    return Parametrization(
        arch=arch,
        blocks=blocks,
        input_shape=(lengths[0], 1),
        output_shape=(1, 1),
        degree=r ** (L - 1),
        homogeneous=True,
        network=network,
        symmetry_tangents=symmetry_tangents,
        symmetry_group=f"filter rescalings (C^*)^{L - 1}" if L > 1 else "trivial",
        symmetry_group_dim=L - 1,
        conventions=__doc__,
        group_factors=tuple((f"c{i}", 1) for i in range(1, L)),
        act=act,
        strata=tuple((label, subnetwork_slug(zeros), zeros) for label, _, zeros in strata),
        subnetwork_slug=subnetwork_slug,
    )
