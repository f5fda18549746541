"""The critical locus of a gauged parametrization and its image, the branch locus (over ``GF(p)``).

The map is the parametrization restricted to a gauge slice (:func:`pipeline.invariants.methods.implicit.
gauge_polynomials`): free parameters ``theta``, span coordinates ``x = f(theta)``, generic rank
``dim``. Its critical locus is where the Jacobian ``J`` drops rank.

ALGORITHM:

1. Incidence variety ``{(theta, v) : J(theta) v = 0, l(v) = 1}`` for a random affine form ``l``
   (a kernel vector in a random chart), its minimal primes by Singular; each is projected to
   ``theta`` by elimination, and the projections contained in another are dropped. These are the
   components ``G`` of the critical locus of the gauged map.
2. Per component, at random ``GF(p)``-points ``theta*`` (two of them): the dimension of its image
   (the rank of ``J(theta*)`` on the tangent space of ``G``), and whether the full
   parametrization (gauge parameters free) is critical there too. Critical at both points:
   ``gauge_artifact`` False, a critical locus of the network. Of full rank at one: ``G`` is where
   the slice is tangent to an orbit (an artifact, True). No rational point (a prime over
   ``GF(p)`` that splits over its closure): undetermined (None). Only components with
   ``gauge_artifact`` False count in the branch locus.
3. Membership by sampling: a point ``y`` is a critical value if ``G + (f - y)`` is not the unit
   ideal for some component ``G`` that counts. At a general point of a singular component this
   says that the component consists of critical values (``critical``, cusp-like); the converse
   fails where the only critical preimages lie on undetermined or artifact components.

EXAMPLES::

    >>> from sage.all import GF
    >>> from pipeline.algebra.modular import polynomial_ring
    >>> R = polynomial_ring(GF(101), ["t"])
    >>> t, = R.gens()
    >>> [(G["dim"], G["image_dim"]) for G in critical_components(R, [t**2, t**3], 1, np.random.default_rng(1))]
    [(0, 0)]
    >>> x, y = polynomial_ring(GF(101), ["x", "y"]).gens()
    >>> fold = critical_components(x.parent(), [x, y**2], 2, np.random.default_rng(1))   # (x, y) -> (x, y^2)
    >>> [(G["dim"], G["image_dim"], G["generators"]) for G in fold]
    [(1, 1, ['y'])]
    >>> on_branch(fold, [x, y**2], [5, 0]), on_branch(fold, [x, y**2], [5, 4])
    (True, False)
"""

from __future__ import annotations

import numpy as np  # noqa: F401 (doctests)
from sage.all import GF, jacobian, matrix

from pipeline.algebra.modular import polynomial_ring
from pipeline.algebra.slices import rational_point

#: The critical locus is computed for gauge slices with at most this many free parameters
#: (the incidence variety has twice as many unknowns).
MAX_FREE_PARAMETERS = 10


def incidence_ideal(ring, images, rng):
    """``J(theta) v = 0, l(v) = 1`` in ``theta`` and kernel coordinates ``v`` (a random affine chart)."""
    K = ring.base_ring()
    p = int(K.characteristic())
    n = ring.ngens()
    big = polynomial_ring(K, list(ring.variable_names()) + [f"v_{i}" for i in range(n)], order="degrevlex")
    theta, v = big.gens()[:n], big.gens()[n:]
    lift = ring.hom(theta, big)
    J = jacobian([lift(f) for f in images], theta)
    equations = [sum(J[i, j] * v[j] for j in range(n)) for i in range(J.nrows())]
    chart = sum(K(int(c)) * vj for c, vj in zip(rng.integers(1, p, n), v)) - 1
    return big, big.ideal([e for e in equations if e != 0] + [chart])


def project_to_parameters(prime, ring):
    """The closure of the projection of a prime of the incidence variety to the parameters ``theta``."""
    big = prime.ring()
    n = ring.ngens()
    eliminated = prime.elimination_ideal(list(big.gens()[n:]))
    back = big.hom(list(ring.gens()) + [ring.zero()] * n, ring)
    return ring.ideal([back(g) for g in eliminated.gens()] or [ring.zero()])


def _tangent_image_rank(G, images, point, p):
    """Rank of ``J(point)`` on the tangent space of ``V(G)`` at ``point`` (the image's dimension there)."""
    K = GF(p)
    variables = G.ring().gens()
    J = matrix(K, [[f.derivative(x)(*point) for x in variables] for f in images])
    gens = [g for g in G.gens() if g != 0]
    if not gens:
        return int(J.rank())
    T = matrix(K, [[g.derivative(x)(*point) for x in variables] for g in gens]).right_kernel_matrix()
    return int((J * T.transpose()).rank()) if T.nrows() else 0


def critical_components(ring, images, dim, rng, full_rank_at=None) -> list[dict]:
    """Components of ``{theta : rank J(theta) < dim}`` of the map ``images`` on ``ring``, with their data.

    Each is a dict: ``ideal`` (a prime of ``ring``), ``dim``, ``image_dim``, ``generators`` (a few),
    ``gauge_artifact`` (``full_rank_at(theta*)`` says the full parametrization is not critical
    at a sample point; None without two rational points; False when ``full_rank_at`` is not
    given, the map then being the whole parametrization) and ``point``.
    """
    p = int(ring.base_ring().characteristic())
    big, incidence = incidence_ideal(ring, images, rng)
    if incidence.is_one():
        return []
    projections = []
    for prime in incidence.minimal_associated_primes():
        G = project_to_parameters(prime, ring)
        if not any(G == other for other in projections):
            projections.append(G)
    maximal = [G for G in projections
               if not any(other != G and all(g in G for g in other.gens()) for other in projections)]
    out = []
    for G in maximal:
        points = [q for q in (rational_point(G, rng) for _ in range(2)) if q is not None]
        entry = {"ideal": G, "dim": int(G.dimension()), "generators": _few(G), "point": points[0] if points else None,
                 "image_dim": None, "gauge_artifact": None if full_rank_at is not None else False}
        if points:
            entry["image_dim"] = _tangent_image_rank(G, images, points[0], p)
            if full_rank_at is not None and len(points) == 2:
                entry["gauge_artifact"] = any(bool(full_rank_at(q)) for q in points)
        out.append(entry)
    return sorted(out, key=lambda e: (-e["dim"], e["generators"]))


def on_branch(components, images, y) -> bool:
    """Whether some point of a critical component that counts (``gauge_artifact`` False) maps to ``y``."""
    for G in components:
        if G.get("gauge_artifact") is not False:
            continue
        ideal = G["ideal"]
        ring = ideal.ring()
        K = ring.base_ring()
        fiber = ring.ideal([f - K(v) for f, v in zip(images, y)])
        if not (ideal + fiber).is_one():
            return True
    return False


def _few(G, count=4):
    gens = sorted((g for g in G.gens() if g != 0), key=lambda g: (g.degree(), str(g)))
    return [str(g) for g in gens[:count]]
