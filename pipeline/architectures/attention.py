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
neuromanifold has dimension 5.

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("attn_d2-1_a2_t2"))
    >>> m.params, m.degree, m.output_shape, m.symmetry_group_dim
    (10, 3, (1, 2), 5)
"""

import numpy as np

from pipeline.architectures.base import Block, Parametrization, gl_tangents, zero_rows
from pipeline.spec import Attention


def parametrize(arch: Attention) -> Parametrization:
    """Return the parametrization of a (deep) lightning self-attention network."""
    d, a, L = arch.dims, arch.keys, arch.layers
    blocks = []
    for i in range(1, L + 1):
        blocks += [Block(f"Q{i}", a[i - 1], d[i - 1]), Block(f"K{i}", a[i - 1], d[i - 1]), Block(f"V{i}", d[i], d[i - 1])]

    def network(ops, weights, X):
        for i in range(1, L + 1):
            gram = ops.matmul(X, ops.transpose(X))
            attention = ops.matmul(ops.transpose(weights[f"K{i}"]), weights[f"Q{i}"])
            X = ops.matmul(ops.matmul(weights[f"V{i}"], gram), ops.matmul(attention, X))
        return X

    def symmetry_tangents(weights, p):
        tangents = []
        for i in range(1, L + 1):
            Q, K = weights[f"Q{i}"], weights[f"K{i}"]
            for x in range(a[i - 1]):
                for y in range(a[i - 1]):
                    tq, tk = np.zeros_like(Q), np.zeros_like(K)
                    tq[x, :] = Q[y, :]  # E_xy Q
                    tk[y, :] = -K[x, :]  # -E_xy^T K
                    tangents.append({f"Q{i}": tq % p, f"K{i}": tk % p})
            tangents.append({f"V{i}": weights[f"V{i}"] % p, f"Q{i}": (-Q) % p})
        for i in range(1, L):
            tangents += gl_tangents(d[i], weights, p, left=[f"V{i}"], right=[f"V{i + 1}", f"Q{i + 1}", f"K{i + 1}"])
        return tangents

    def act(weights, group):
        out = {}
        for i in range(1, L + 1):
            A, A_inv = group[f"A{i}"]
            s, s_inv = group[f"s{i}"]
            right = group[f"G{i - 1}"][1] if f"G{i - 1}" in group else 1
            left = group[f"G{i}"][0] if f"G{i}" in group else 1
            out[f"Q{i}"] = s_inv[0, 0] * A * weights[f"Q{i}"] * right
            out[f"K{i}"] = A_inv.transpose() * weights[f"K{i}"] * right
            out[f"V{i}"] = s[0, 0] * left * weights[f"V{i}"] * right
        return out

    def subnetwork_slug(zeros):
        by_name = {b.name: b for b in blocks}
        keys = [a[i - 1] - len(zero_rows(zeros, by_name[f"Q{i}"]) | zero_rows(zeros, by_name[f"K{i}"]))
                for i in range(1, L + 1)]
        if min(keys) < 1:
            return None
        return f"attn_d{'-'.join(map(str, d))}_a{'-'.join(map(str, keys))}_t{arch.tokens}"

    group_dim = sum(k * k for k in a) + L + sum(k * k for k in d[1:-1])
    return Parametrization(
        arch=arch,
        blocks=tuple(blocks),
        input_shape=(d[0], arch.tokens),
        output_shape=(d[-1], arch.tokens),
        degree=3**L,
        homogeneous=True,
        network=network,
        symmetry_tangents=symmetry_tangents,
        symmetry_group=" x ".join([f"GL({k})" for k in a] + [f"(C^*)^{L}"] + [f"GL({k})" for k in d[1:-1]]),
        symmetry_group_dim=group_dim,
        conventions=__doc__,
        group_factors=tuple([(f"A{i}", a[i - 1]) for i in range(1, L + 1)] + [(f"s{i}", 1) for i in range(1, L + 1)]
                            + [(f"G{i}", d[i]) for i in range(1, L)]),
        act=act,
        strata=tuple(
            (f"layer {i}: key dim {a[i - 1]} -> {a[i - 1] - 1}", subnetwork_slug(zeros), zeros)
            for i in range(1, L + 1)
            for zeros in [{f"Q{i}": [(a[i - 1] - 1, c) for c in range(d[i - 1])],
                           f"K{i}": [(a[i - 1] - 1, c) for c in range(d[i - 1])]}]),
        subnetwork_slug=subnetwork_slug,
    )
