"""Gauge fixing: slices of parameter space transversal to the orbits of the known symmetries.

The continuous symmetries of a parametrization make its fibers positive-dimensional. Fixing
the parameters at the pivot columns of the symmetry tangents (:func:`gauge_columns`) or of a
basis of the fiber's tangent space (:func:`fiber_gauge`) at a random point gives a slice that
meets a generic fiber in finitely many points; :func:`gauge_polynomials` restricts the
coordinate polynomials (on their linear span, :func:`span_basis`) to such a slice and checks
that the restricted map keeps the rank. Every invariant that counts or eliminates (fiber,
implicit, degree, singular, ed_degree) fixes its gauge here, so they all count under the same
gauge.
"""

from __future__ import annotations

import numpy as np
from sage.all import GF, QQ, PolynomialRing, matrix  # noqa: F401 (doctests)

from pipeline.algebra.modular import (
    GROEBNER_PRIME_RANGE,
    choose_prime,
    random_residues,
    rank_mod_p,
)
from pipeline.algebra.slices import restrict_to_slice
from pipeline.algebra.symbolic import jacobian_at
from pipeline.errors import InvariantTooLarge


def gauge_columns(param, theta0: np.ndarray, p: int) -> list[int]:
    """Parameter indices fixed by the gauge: pivot columns of the symmetry tangents at ``theta0``.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> m = parametrization("cnn_k2-2-2_s1-1-1_r2")
        >>> [m.parameter_names[i] for i in gauge_columns(m, np.arange(1, 7), 101)]
        ['w1_1', 'w2_1']
    """
    T = param.tangent_matrix(param.split(np.asarray(theta0) % p), p)
    if T.shape[0] == 0:
        return []
    return list(matrix(GF(p), T.shape[0], T.shape[1], T.ravel().tolist()).pivots())


def fiber_gauge(jacobian: np.ndarray, p: int) -> list[int]:
    """Parameter indices fixed by the gauge: pivot columns of a basis of ``ker J`` (the fiber's tangent space).

    When the known symmetries span the fiber's tangent space this is :func:`gauge_columns`
    (the same row space has the same pivots); otherwise it also kills the unknown directions.

    EXAMPLES::

        >>> fiber_gauge(np.array([[1, 1, 0], [0, 0, 1]]), 101)   # kernel spanned by (1, -1, 0)
        [0]
    """
    J = np.asarray(jacobian, dtype=np.int64) % p
    kernel = matrix(GF(p), J.shape[0], J.shape[1], J.ravel().tolist()).right_kernel().basis_matrix()
    return list(kernel.echelon_form().pivots()) if kernel.nrows() else []


def span_basis(coords) -> list[int]:
    """Indices of a maximal linearly independent subset of the coordinate polynomials (leftmost first)."""
    columns, entries = {}, {}
    for row, f in enumerate(coords.polynomials):
        for exp, c in f.dict().items():
            entries[(row, columns.setdefault(tuple(exp), len(columns)))] = c
    if not coords.polynomials:
        return []
    M = matrix(coords.ring.base_ring(), len(coords.polynomials), len(columns), entries, sparse=True)
    return list(M.transpose().pivots())


def gauged_map(param, coords, basis, seed):
    """``(free ring, images of the basis coordinates, gauge names, dim, gauge values)``, the gauge set to constants."""
    rng = np.random.default_rng(seed)
    p = choose_prime(rng, *GROEBNER_PRIME_RANGE)
    free_ring, images, gauge, dim, values = gauge_polynomials(coords, basis, rng, p)
    return free_ring, images, [param.parameter_names[i] for i in gauge], dim, values


def identity_pattern(gauge, blocks) -> dict:
    """Values 0/1 for the fixed parameters that make each block's fixed entries an identity pattern.

    In a block, the ``a``-th fixed entry of the ``b``-th row that has fixed entries gets 1 when
    ``a == b``, else 0: a fixed ``r x r`` block becomes the identity (all ones would be singular),
    and the restricted map stays sparse.

    EXAMPLES::

        >>> from pipeline.architectures.base import Block
        >>> identity_pattern([0, 1, 3, 4], [Block("W1", 2, 3)])    # W1[:, :2] fixed
        {0: 1, 1: 0, 3: 0, 4: 1}
    """
    fixed, values, start = set(gauge), {}, 0
    for block in blocks:
        rows = [[start + i * block.cols + j for j in range(block.cols) if start + i * block.cols + j in fixed]
                for i in range(block.rows)]
        for b, entries in enumerate(row for row in rows if row):
            for a, index in enumerate(entries):
                values[index] = 1 if a == b else 0
        start += block.size
    return values


def gauge_polynomials(coords, basis, rng, p, tries=4, blocks=None):
    """Fix the fiber's gauge of the map ``theta |-> (coords[i])_(i in basis)``.

    Returns ``(free ring, images, gauge indices, dim, gauge values)``: the parameters at the pivot
    columns of ``ker J`` (``J`` the Jacobian at a random point mod ``p``) are set to 1 (first, with
    the parameter ``blocks`` given, to the 0/1 :func:`identity_pattern`), or to random small
    integers when that loses rank; the restricted map keeps the rank ``dim`` (checked).

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> from pipeline.algebra.symbolic import expand
        >>> coords = expand(parametrization("linear_w2-1-2"))
        >>> ring, images, gauge, dim, values = gauge_polynomials(coords, [0, 1, 2, 3], np.random.default_rng(1), 101)
        >>> ring.ngens(), dim, len(gauge)
        (3, 3, 1)
    """
    theta0 = random_residues(rng, p, coords.ring.ngens())
    J = jacobian_at(coords, theta0, p)
    dim = rank_mod_p(J, p)
    gauge = fiber_gauge(J, p)
    field = coords.ring.base_ring()
    polys = [coords.polynomials[i] for i in basis]
    patterns = [identity_pattern(gauge, blocks)] if blocks else []
    patterns.append({i: 1 for i in gauge})
    for attempt in range(tries + len(patterns)):
        values = patterns[attempt] if attempt < len(patterns) else {i: int(rng.integers(2, 50)) for i in gauge}
        free_ring, images = restrict_to_slice(polys, values, field)
        if _restricted_rank(images, free_ring, rng, p) == dim:
            return free_ring, images, gauge, dim, values
    raise InvariantTooLarge(f"no gauge kept the rank {dim} after {tries} tries")


def _restricted_rank(images, ring, rng, p):
    K = GF(p)
    if ring.is_field():  # every parameter fixed: a constant map
        return 0
    point = [K(int(v)) for v in random_residues(rng, p, ring.ngens())]
    rows = [[f.change_ring(K).derivative(v)(*point) for v in ring.change_ring(K).gens()] for f in images]
    return rank_mod_p(np.array([[int(x) for x in row] for row in rows], dtype=np.int64), p)


def homogeneous_weights(images):
    """Weights ``deg phi_i`` if every image is homogeneous of positive degree (standard grading on the
    parameters), else None (a constant image, such as the identity branch of a residual block, has none)."""
    weights = []
    for f in images:
        if f.is_zero() or f.is_constant() or not f.is_homogeneous():
            return None
        weights.append(int(f.degree()))
    return weights
