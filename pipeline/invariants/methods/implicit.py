"""Implicit equations of the neurovariety, by elimination after span restriction and gauge fixing.

ALGORITHM:

1. Expand the coordinate polynomials (over ``QQ``, or ``GF(p)`` with ``field="modular"``).
2. Restrict to the linear span: keep a maximal linearly independent set of
   coordinates ``c_1 .. c_s`` (``s`` = span dimension); the other ``ambient - s`` coordinates
   are fixed linear combinations of these (``linear_equations``).
3. Fix the gauge: the parameters at the pivot columns of a basis of the fiber's tangent
   space at a random point (:func:`pipeline.algebra.gauge.fiber_gauge`) are set to 1 (random
   small integers if 1 loses rank); the restricted map must keep full rank, which is
   checked at a random point.
4. Eliminate the free parameters from the graph ideal ``(c_i - phi_i(theta))`` in a ring
   graded by ``deg phi_i`` when every ``phi_i`` is homogeneous after the substitution (else
   ungraded), with Singular (``singular``) or Macaulay2 (``macaulay2``).

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
from sage.all import GF, QQ, TermOrder

from pipeline.algebra.gauge import gauge_polynomials, gauged_map, homogeneous_weights, span_basis
from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime, polynomial_ring
from pipeline.algebra.symbolic import expand
from pipeline.errors import lookup


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
    from pipeline.engines.m2 import m2_polynomials, run_m2_script

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


BACKENDS = {"singular": eliminate_sage, "macaulay2": eliminate_macaulay2}
METHODS = ("auto",) + tuple(BACKENDS)


def implicit_ideal(param, backend="singular", seed=0, field="rational"):
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
    backend = "singular" if method == "auto" else method
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
