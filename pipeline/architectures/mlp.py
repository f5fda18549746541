"""Polynomial MLPs ``x |-> W_L s(... s(W_1 x))`` with ``s(z) = z^r`` entrywise.

Conventions (Kileel-Trager-Bruna 2019): widths ``k0`` (input) to ``kL``
(output), ``W_i`` of size ``k_i x k_(i-1)``, the activation after every layer but
the last. With ``_bias`` every layer is affine, ``z -> W_i z + b_i``. Coordinates:
the monomial coefficients of the output tuple, homogeneous of degree
``r^(L-1)`` without biases, of degree at most ``r^(L-1)`` with them.
Known continuous symmetries: rescaling of each hidden neuron, row ``j`` of
``W_i`` (and ``b_i[j]``) by ``c`` and column ``j`` of ``W_(i+1)`` by ``c^-r``.
Discrete ones (issue on fibers): neuron permutations, ``r``-th roots of unity.

EXAMPLES::

    >>> from pipeline.spec import parse_slug
    >>> m = parametrize(parse_slug("mlp_w2-2-1_r2"))
    >>> m.params, m.degree, m.ambient_dim, m.symmetry_group_dim
    (6, 2, 3, 2)
    >>> parametrize(parse_slug("mlp_w2-2-1_r2_bias")).ambient_dim
    6
"""

from itertools import permutations, product
from math import factorial, prod

import numpy as np

from pipeline.architectures.base import Block, Parametrization, diagonal, neuron_strata, zero_cols, zero_rows
from pipeline.spec import MLP


def parametrize(arch: MLP) -> Parametrization:
    """Return the parametrization of a polynomial MLP."""
    widths, r, L = arch.widths, arch.r, arch.layers
    blocks = []
    for i in range(1, L + 1):
        blocks.append(Block(f"W{i}", widths[i], widths[i - 1]))
        if arch.bias:
            blocks.append(Block(f"b{i}", widths[i], 1))

    def network(ops, weights, X):
        h = X
        for i in range(1, L + 1):
            h = ops.matmul(weights[f"W{i}"], h)
            if arch.bias:
                h = ops.add(h, weights[f"b{i}"])
            if i < L:
                h = ops.power(h, r)
        return h

    def symmetry_tangents(weights, p):
        tangents = []
        for i in range(1, L):
            for j in range(widths[i]):
                t = {f"W{i}": np.zeros_like(weights[f"W{i}"]), f"W{i + 1}": np.zeros_like(weights[f"W{i + 1}"])}
                t[f"W{i}"][j, :] = weights[f"W{i}"][j, :]
                t[f"W{i + 1}"][:, j] = (-r * weights[f"W{i + 1}"][:, j]) % p
                if arch.bias:
                    t[f"b{i}"] = np.zeros_like(weights[f"b{i}"])
                    t[f"b{i}"][j, 0] = weights[f"b{i}"][j, 0]
                tangents.append(t)
        return tangents

    def act(weights, group):
        def scale(i, inverse):  # diagonal of the neuron rescalings of layer i (identity at the ends)
            if i in (0, L):
                return None
            return diagonal([group[f"c{i}_{j + 1}"][inverse][0, 0] for j in range(widths[i])])

        out = {}
        for i in range(1, L + 1):
            W, left, right = weights[f"W{i}"], scale(i, 0), scale(i - 1, 1)
            out[f"W{i}"] = (left * W if left is not None else W) * (right**r if right is not None else 1)
            if arch.bias:
                out[f"b{i}"] = left * weights[f"b{i}"] if left is not None else weights[f"b{i}"]
        return out

    def discrete_images(weights):
        """All images of ``weights`` under permutations of the hidden neurons of every layer."""
        images = []
        for perms in product(*(permutations(range(widths[i])) for i in range(1, L))):
            order = [list(range(widths[0]))] + [list(p) for p in perms] + [list(range(widths[L]))]
            image = {}
            for i in range(1, L + 1):
                image[f"W{i}"] = weights[f"W{i}"][np.ix_(order[i], order[i - 1])]
                if arch.bias:
                    image[f"b{i}"] = weights[f"b{i}"][order[i], :]
            images.append(image)
        return images

    def slug_of(w):
        return f"mlp_w{'-'.join(map(str, w))}_r{r}" + ("_bias" if arch.bias else "")

    def subnetwork_slug(zeros):
        by_name = {b.name: b for b in blocks}
        narrower = list(widths)
        for i in range(1, L):
            rows = zero_rows(zeros, by_name[f"W{i}"])
            if arch.bias:
                rows &= zero_rows(zeros, by_name[f"b{i}"])
            narrower[i] -= len(rows | zero_cols(zeros, by_name[f"W{i + 1}"]))
        return slug_of(narrower) if min(narrower) > 0 else None

    hidden = sum(widths[1:-1])
    return Parametrization(
        arch=arch,
        blocks=tuple(blocks),
        input_shape=(widths[0], 1),
        output_shape=(widths[-1], 1),
        degree=r ** (L - 1),
        homogeneous=not arch.bias,
        network=network,
        symmetry_tangents=symmetry_tangents,
        symmetry_group=f"hidden-neuron rescalings (C^*)^{hidden}" if hidden else "trivial",
        symmetry_group_dim=hidden,
        conventions=__doc__,
        group_factors=tuple((f"c{i}_{j + 1}", 1) for i in range(1, L) for j in range(widths[i])),
        act=act,
        discrete_images=discrete_images,
        strata=neuron_strata(widths, slug_of, with_bias=arch.bias),
        subnetwork_slug=subnetwork_slug,
        discrete_order_of=lambda: prod(factorial(k) for k in widths[1:-1]),
        discrete_group=" x ".join(f"S_{k}" for k in widths[1:-1]) + " (hidden-neuron permutations)" if hidden else "trivial",
    )
