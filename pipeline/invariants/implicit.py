"""Implicit equations of the neurovariety, by elimination after span restriction and gauge fixing.

ALGORITHM:

1. Expand the coordinate polynomials (over ``QQ``, or ``GF(p)`` with ``field="modular"``).
2. Restrict to the linear span: keep a maximal linearly independent set of
   coordinates ``c_1 .. c_s`` (``s`` = span dimension); the other ``ambient - s`` coordinates
   are fixed linear combinations of these (``linear_equations``).
3. Fix the gauge: the parameters at the pivot columns of a basis of the fiber's tangent
   space at a random point (:func:`pipeline.zerodim.fiber_gauge`) are set to 1 (random
   small integers if 1 loses rank); the restricted map must keep full rank, which is
   checked at a random point.
4. Eliminate the free parameters from the graph ideal ``(c_i - phi_i(theta))`` in a ring
   graded by ``deg phi_i`` when every ``phi_i`` is homogeneous after the substitution (else
   ungraded), with Singular (``sage``) or Macaulay2 (``macaulay2``).

Generators are written in the span coordinates ``c1 .. cs``; ``coordinates`` names each
as "output: input monomial".

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> v = implicit(parametrization("linear_w2-1-2"), seed=1)
    >>> v["generators"], v["generator_degrees"], v["span_dim"], v["linear_equations"]
    (['c2*c3 - c1*c4'], [2], 4, 0)
"""

from __future__ import annotations

import numpy as np
from sage.all import GF, QQ, TermOrder, matrix

from pipeline.backends.symbolic import expand, jacobian_at
from pipeline.errors import InvariantTooLarge, lookup
from pipeline.modular import choose_prime, polynomial_ring, random_residues, rank_mod_p
from pipeline.zerodim import GROEBNER_PRIME_RANGE, fiber_gauge, restrict_to_slice


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
    """Weights ``deg phi_i`` if every image is homogeneous (standard grading on the parameters), else None."""
    weights = []
    for f in images:
        if f.is_zero() or not f.is_homogeneous():
            return None
        weights.append(int(f.degree()))
    return weights


def eliminate_sage(free_ring, images, weights):
    """Implicit ideal by Singular's ``eliminate`` in the weighted graph ring; generators over ``c1..cs``."""
    field = free_ring.base_ring()
    s = len(images)
    theta = list(free_ring.variable_names())
    names = theta + [f"c{i + 1}" for i in range(s)]
    order = TermOrder("wdegrevlex", tuple([1] * len(theta) + weights)) if weights else TermOrder("degrevlex")
    graph_ring = polynomial_ring(field, names, order=order)
    phi = free_ring.hom(graph_ring.gens()[: len(theta)], graph_ring)
    c = graph_ring.gens()[len(theta):]
    graph = graph_ring.ideal([c[i] - phi(images[i]) for i in range(s)])
    eliminated = graph.elimination_ideal(graph_ring.gens()[: len(theta)])
    target = polynomial_ring(field, names[len(theta):], order="degrevlex")
    gens = [target(g) for g in eliminated.gens() if not g.is_zero()]
    return target.ideal(gens).interreduced_basis() if gens else []


def eliminate_macaulay2(free_ring, images, weights, timeout=None):
    from pipeline.backends.m2 import m2_polynomials, run_m2_script

    field = free_ring.base_ring()
    job = {
        "nvars": free_ring.ngens(),
        "characteristic": int(field.characteristic()),
        "polynomials": m2_polynomials(images, free_ring),
        "weights": weights,
        "seed": 0,
    }
    result = run_m2_script("implicit", job, timeout=timeout)
    target = polynomial_ring(field, [f"c{i + 1}" for i in range(len(images))], order="degrevlex")
    gens = [target(g.replace("c_", "c")) for g in result["generators"]]
    gens = [g for g in gens if not g.is_zero()]
    return target.ideal(gens).interreduced_basis() if gens else []


BACKENDS = {"sage": eliminate_sage, "macaulay2": eliminate_macaulay2}
METHODS = ("auto",) + tuple(BACKENDS)


def implicit_ideal(param, backend="sage", seed=0, field="rational"):
    """Return ``(ideal in QQ[c1..cs] or GF(p)[...], details)`` of the neurovariety in span coordinates."""
    eliminate = lookup(BACKENDS, backend, "implicit backend")
    if field == "rational":
        base, prime = QQ, None
    else:
        prime = choose_prime(np.random.default_rng(seed + 1000), *GROEBNER_PRIME_RANGE)
        base = GF(prime)
    coords = expand(param, base_ring=base)
    basis = span_basis(coords)
    free_ring, images, gauge, dim, _ = gauged_map(param, coords, basis, seed)
    weights = homogeneous_weights(images)
    # the image fills its span: no equation but the linear ones, nothing to eliminate
    gens = [] if dim == len(basis) else eliminate(free_ring, images, weights)
    target = polynomial_ring(base, [f"c{i + 1}" for i in range(len(basis))], order="degrevlex")
    ideal = target.ideal([target(g) for g in gens]) if gens else target.ideal([])
    details = {
        "span_dim": len(basis),
        "ambient_dim": param.ambient_dim,
        "linear_equations": param.ambient_dim - len(basis),
        "coordinates": [coords.labels[i] for i in basis],
        "gauge": gauge,
        "graded": weights is not None,
        "grading": weights,
        "dim": dim,
        "field": "QQ" if prime is None else f"GF({prime})",
        "primes": [] if prime is None else [prime],
    }
    return ideal, details


def implicit(param, method: str = "auto", seed: int = 0, field: str = "rational") -> dict:
    """The ``implicit`` record value: generators (strings), their degrees, span data."""
    backend = "sage" if method == "auto" else method
    ideal, details = implicit_ideal(param, backend, seed, field)
    gens = list(ideal.gens()) if not ideal.is_zero() else []
    gens = sorted(gens, key=lambda g: (g.degree(), str(g)))
    return {
        "generators": [str(g) for g in gens],
        "generator_degrees": [int(g.degree()) for g in gens],
        "method": backend,
        "seeds": [seed],
        **details,
    }


__all__ = ["implicit", "implicit_ideal", "span_basis", "gauge_polynomials"]
