"""Where a singular component sits with respect to the real neuromanifold (the image of real weights).

For a semialgebraic neuromanifold (lightning attention) the real image is a proper
semialgebraic subset of the real points of its Zariski closure ``V``. For a component ``C``
of the singular locus labelled by a subnetwork locus ``S``:

1. sample real points ``x = mu(theta)``, ``theta`` random small integers on ``S`` (so ``x`` is
   rational, in ``C`` and in the real image);
2. for each of a few random rational lines ``y0 + t u`` with ``y0 = x + eps w`` near ``x``: the
   real roots ``t`` of ``f(y0 + t u)`` (``f`` the equation of the hypersurface ``V``) near ``0``
   are the real points of ``V`` close to ``x`` on that line;
3. a root is *reached* when the gauged parametrization has a real solution ``theta`` with
   ``mu(theta)`` on the line at that ``t``: the real solutions of ``d`` equations in the ``d``
   free parameters, from a real root isolation over ``QQ`` (Singular's triangular
   decomposition, or msolve);
4. the sample point is ``boundary`` when some nearby real point of ``V`` is not reached,
   ``interior`` when all are; the component's ``position`` is ``boundary``, ``interior``
   or ``mixed`` over its samples.

Numerical part: real roots are isolated exactly, then compared in floating point (relative
tolerance ``1e-6``). Only hypersurfaces are handled (the line meets ``V`` in finitely many
points); for higher codimension the value says so.
"""

from __future__ import annotations

import numpy as np
from sage.all import QQ, RR, PolynomialRing

from pipeline.algebra.gauge import gauge_polynomials, span_basis
from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime
from pipeline.algebra.symbolic import expand


def real_roots(polynomial) -> list[float]:
    """Real roots of a univariate polynomial over ``QQ`` (exact isolation, then floats)."""
    if polynomial.is_zero():
        return []
    return sorted(float(r) for r, _ in polynomial.roots(RR))


def real_solutions(equations) -> list[dict]:
    """Real points of a zero-dimensional system over ``QQ`` (None if it is not zero-dimensional)."""
    ring = equations[0].parent()
    ideal = ring.ideal(equations)
    if ideal.dimension() != 0:
        return None
    return ideal.variety(RR)


def line_check(f, free_ring, images, y0, u, radius=None):
    """Real points ``y0 + t u`` of ``V(f)`` (``|t| < radius``) and, for each, whether it has a real preimage."""
    T = PolynomialRing(QQ, "t")
    t = T.gen()
    roots = real_roots(f(*[a + t * b for a, b in zip(y0, u)]))
    if radius is not None:
        roots = [r for r in roots if abs(r) < radius]
    if not roots:
        return [], []
    s = len(y0)
    # preimages of the line: phi(theta) - y0 parallel to u, in the d free parameters
    equations = [u[0] * (images[j] - y0[j]) - u[j] * (images[0] - y0[0]) for j in range(1, s)]
    solutions = real_solutions(equations)
    if solutions is None:
        return [], []
    ts = [float((images[0].change_ring(RR)(*[sol[v] for v in free_ring.gens()]) - float(y0[0])) / float(u[0]))
          for sol in solutions]
    return roots, [any(abs(r - tt) <= 1e-6 * max(1.0, abs(r)) for tt in ts) for r in roots]


def gauged_map_qq(param, rng):
    """``(coordinates over QQ, span basis, free ring, gauged basis coordinates)``: the map whose real points are tested."""
    coords = expand(param, base_ring=QQ)
    basis = span_basis(coords)
    free_ring, images, _, _, _ = gauge_polynomials(coords, basis, rng, choose_prime(rng, *GROEBNER_PRIME_RANGE))
    return coords, basis, free_ring, images


def unreached_share(param, implicit_qq, seed: int = 0, lines: int = 10) -> dict:
    """Real points of the hypersurface on random rational lines, and how many have no real preimage.

    A global check of the real picture: a positive share means the real neuromanifold is a
    proper part of the real points of its closure, so it has a boundary there.
    """
    f = [g for g in implicit_qq.gens() if g != 0][0]
    rng = np.random.default_rng(seed + 6607)
    _, basis, free_ring, images = gauged_map_qq(param, rng)
    total = unreached = 0
    for _ in range(lines):
        y0 = [QQ(int(v)) for v in _integer_point(rng, len(basis), -9, 10)]
        u = [QQ(int(v)) for v in _integer_point(rng, len(basis), -9, 10)]
        roots, reached = line_check(f, free_ring, images, y0, u)
        total += len(roots)
        unreached += len(roots) - sum(reached)
    return {"real_points": total, "unreached": unreached}


def _integer_point(rng, size, low=-5, high=6):
    values = rng.integers(low, high, size)
    values[values == 0] = 1
    return values


def real_position(param, implicit_qq, locus, seed: int = 0, samples: int = 3, lines: int = 3,
                  eps: float = 1e-3) -> dict:
    """The real position of the component labelled by ``locus`` (see the module docstring)."""
    if locus is None:
        return {"position": "not computed", "reason": "the component is not the image of a subnetwork locus"}
    gens = [g for g in implicit_qq.gens() if g != 0]
    if len(gens) != 1:
        return {"position": "not computed", "reason": "the neurovariety is not a hypersurface in its span"}
    f = gens[0]
    rng = np.random.default_rng(seed + 5501)
    coords, basis, free_ring, images = gauged_map_qq(param, rng)
    s = len(basis)
    verdicts = []
    for _ in range(samples):
        theta = _integer_point(rng, param.params)
        for index in locus["zeros"]:
            theta[index] = 0
        point = [QQ(int(v)) for v in theta]
        x = [coords.polynomials[i](*point) for i in basis]
        scale = max(abs(float(v)) for v in x) or 1.0
        unreached, near = 0, 0
        for _ in range(lines):
            w = [QQ(int(v)) for v in _integer_point(rng, s, -9, 10)]
            u = [QQ(int(v)) for v in _integer_point(rng, s, -9, 10)]
            y0 = [xi + QQ(eps * scale) * wi / 10 for xi, wi in zip(x, w)]
            roots, reached = line_check(f, free_ring, images, y0, u, radius=100 * eps * scale)
            near += len(roots)
            unreached += len(roots) - sum(reached)
        if near:
            verdicts.append("boundary" if unreached else "interior")
    if not verdicts:
        return {"position": "not decided", "reason": "no real point of the neurovariety found near the samples"}
    kinds = set(verdicts)
    position = verdicts[0] if len(kinds) == 1 else "mixed"
    return {"position": position, "samples": len(verdicts), "boundary": verdicts.count("boundary"),
            "interior": verdicts.count("interior"), "lines_per_sample": lines, "eps": eps, "seed": seed}


__all__ = ["real_position", "unreached_share", "line_check"]
