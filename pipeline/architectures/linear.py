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

from pipeline.architectures.base import Block, Parametrization, gl_tangents, neuron_strata, zero_cols, zero_rows
from pipeline.spec import LinearNet


def parametrize(arch: LinearNet) -> Parametrization:
    """Return the parametrization of a linear dense network."""
    widths = arch.widths
    blocks = tuple(Block(f"W{i}", widths[i], widths[i - 1]) for i in range(1, len(widths)))

    def network(ops, weights, X):
        h = X
        for block in blocks:
            h = ops.matmul(weights[block.name], h)
        return h

    def symmetry_tangents(weights, p):
        tangents = []
        for i in range(1, len(widths) - 1):
            tangents += gl_tangents(widths[i], weights, p, left=[f"W{i}"], right=[f"W{i + 1}"])
        return tangents

    def act(weights, group):
        out = {}
        for i in range(1, len(widths)):
            W = weights[f"W{i}"]
            if f"g{i}" in group:
                W = group[f"g{i}"][0] * W
            if f"g{i - 1}" in group:
                W = W * group[f"g{i - 1}"][1]
            out[f"W{i}"] = W
        return out

    def subnetwork_slug(zeros):
        narrower = list(widths)
        for i in range(1, len(widths) - 1):
            removed = zero_rows(zeros, blocks[i - 1]) | zero_cols(zeros, blocks[i])
            narrower[i] -= len(removed)
        return "linear_w" + "-".join(map(str, narrower)) if min(narrower) > 0 else None

    hidden = widths[1:-1]
    return Parametrization(
        arch=arch,
        blocks=blocks,
        input_shape=(widths[0], 1),
        output_shape=(widths[-1], 1),
        degree=1,
        homogeneous=True,
        network=network,
        symmetry_tangents=symmetry_tangents,
        symmetry_group=" x ".join(f"GL({k})" for k in hidden) or "trivial",
        symmetry_group_dim=sum(k * k for k in hidden),
        conventions=__doc__,
        group_factors=tuple((f"g{i}", widths[i]) for i in range(1, len(widths) - 1)),
        act=act,
        strata=neuron_strata(widths, lambda w: "linear_w" + "-".join(map(str, w))),
        subnetwork_slug=subnetwork_slug,
    )
