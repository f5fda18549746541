"""Degrees and ED degrees by monodromy: the ``homotopy`` method of both invariants.

The coordinate polynomials on their span (:func:`~pipeline.algebra.gauge.span_basis`) become
a :class:`~pipeline.engines.monodromy.GaugedMap`: the gauge parameters (pivot columns of the
fiber's tangent space at a random point mod ``p``, :func:`~pipeline.algebra.gauge.fiber_gauge`)
are set to random complex numbers of modulus 1 and are moved by the monodromy loops along with
the data.

Degree
    Solutions ``x`` in the gauge slice of ``A c(x) = b`` for a random complex ``A`` of rank
    ``dim``, from one free start (``b0 = A c(x0)``), completed by monodromy and certified by the
    trace test (:func:`~pipeline.engines.monodromy.trace_test`). The image points ``c(x)`` are
    the pseudo-witness set; ``fiber_points`` solutions share each (the gauged fiber, counted here
    by clustering the images), and ``degree`` = distinct image points. For a cone (no biases) the
    affine slice count is the projective degree; with biases, the degree of the projective closure.
    The unknowns live in a random projective chart (:func:`homogenized`), and the loops turn the
    slice as well as moving it (``TURNS`` random directions of size ``TURN_SIZE``, see
    :class:`~pipeline.engines.monodromy.SliceSystem`): three edges then close on every solution.
ED degree
    Critical points ``J^T G (u - c(x)) = 0`` of the squared loss in the gauge slice for random
    complex data ``u`` (the metric's form ``G`` on the span, as the modular method builds it),
    from ``x0`` and ``u0 = c(x0) + N lam`` with ``N`` spanning the ``G``-normal space at ``c(x0)``.
    Monodromy finds the critical points on the ED correspondence's component (full Jacobian rank:
    the pure ones); ``ed_degree`` = distinct image points. There is no linear trace test for the
    ED correspondence (the data parametrize it, not a pencil of linear slices), so the set is
    not certified complete: the count is the one that ``STABLE_EDGES`` further edges of the
    monodromy graph, each tracking every solution, left unchanged; the record says so. It is a
    lower bound. For the generic metric the loops also turn the metric (``G + a V``: nearby generic
    metrics have as many critical points); before they did, seed 1 stopped at 37 of the 39 critical
    points of ``3 x 3`` rank-1 matrices, and with it seeds 0-2 find 39. A special metric (Frobenius,
    Bombieri-Weyl, data) has fewer critical points than its neighbours, so its loops move the data
    and the gauge only.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> value = homotopy_degree(parametrization("linear_w3-2-3"), seed=1)    # the determinant: a cubic
    >>> value["degree"], value["complete"], value["fiber_points"]
    (3, True, 1)
    >>> homotopy_ed_degree(parametrization("linear_w3-2-3"), metric="coefficient", seed=1)["ed_degree"]   # Eckart-Young
    3
"""

from __future__ import annotations

import os
import time

import numpy as np
from sage.all import QQ

from pipeline.algebra.gauge import fiber_gauge, span_basis
from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime, random_residues, rank_mod_p
from pipeline.algebra.numeric import PolynomialMap
from pipeline.algebra.symbolic import expand, jacobian_at
from pipeline.engines.budget import seconds_left
from pipeline.engines.monodromy import (
    TRACE_THRESHOLD,
    CriticalSystem,
    GaugedMap,
    SliceSystem,
    distinct_images,
    random_complex,
    solve_by_monodromy,
    trace_test,
)
from pipeline.errors import NeuromanifoldError
from pipeline.invariants.methods.metrics import metric_form, span_matrix

#: Edges of the monodromy graph at the start, and at most.
EDGES, MAX_EDGES = 3, 12
#: Random directions in which the monodromy loops of the degree turn the slice (see SliceSystem).
TURNS = 1
TURN_SIZE = 1.0  # 0.3 and 0.1 took fewer steps a path but needed 3 to 7 edges on 5 x 5 rank 2; 1.0 needed 3
#: ED degree: further edges that must find nothing new before the count is accepted.
STABLE_EDGES = 2

BACKEND = "neuromanifold batched numpy tracker (RK4 predictor, Newton corrector), monodromy on a two-node graph"


class NotANumberOfPoints(NeuromanifoldError):
    """Solutions that do not split into fibers of one size: a numerical failure, not a count."""


def workers() -> int:
    """The cores this process may use (paths are tracked in that many forked processes)."""
    return max(1, len(os.sched_getaffinity(0)))


def gauged_map(param, seed: int):
    """``(GaugedMap on the span, dim, gauge names, coords, basis, rng)`` with the gauge chosen mod ``p``."""
    rng = np.random.default_rng(seed)
    p = choose_prime(rng, *GROEBNER_PRIME_RANGE)
    coords = expand(param, base_ring=QQ)
    basis = span_basis(coords)
    J = jacobian_at(coords, random_residues(rng, p, coords.ring.ngens()), p)
    dim = rank_mod_p(J, p)
    fixed = np.array(fiber_gauge(J, p), dtype=np.int64)
    free = np.array([i for i in range(coords.ring.ngens()) if i not in set(fixed.tolist())], dtype=np.int64)
    polynomials = PolynomialMap.from_sage([coords.polynomials[i] for i in basis], coords.ring)
    names = [param.parameter_names[i] for i in fixed]
    return GaugedMap(polynomials, free, fixed), dim, names, coords, basis, rng


def homogenized(coords, basis, gmap: GaugedMap) -> tuple[GaugedMap, int]:
    """The map homogenized in its free variables by a new last variable ``z0`` (the last free one), and
    the degree ``top`` it is homogeneous of in them.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> gmap, dim, _, coords, basis, _ = gauged_map(parametrization("linear_w2-1-2"), 1)
        >>> h, top = homogenized(coords, basis, gmap)
        >>> top, h.n == gmap.n + 1, h.coordinates.n == coords.ring.ngens() + 1
        (2, True, True)
    """
    free = gmap.free.tolist()
    polynomials = [coords.polynomials[i] for i in basis]
    top = max(sum(e[j] for j in free) for f in polynomials for e in f.exponents())
    terms = [{tuple(e) + (top - sum(e[j] for j in free),): complex(c) for e, c in f.dict().items()}
             for f in polynomials]
    N = coords.ring.ngens()
    return GaugedMap(PolynomialMap.from_terms(N + 1, terms), np.array(free + [N]), gmap.fixed), top


def _unit_circle(rng, size):
    return np.exp(2j * np.pi * rng.random(size))


def _deadline(timeout):
    timeout = seconds_left(default=3600) if timeout is None else timeout
    return time.monotonic() + timeout


def _solution_quality(system, solutions, base) -> dict:
    F, Fx = system.evaluate(solutions, np.repeat(base[None, :], len(solutions), 0))
    scale = 1.0 + np.max(np.abs(solutions), axis=1)
    condition = np.linalg.cond(Fx)
    return {"max_residual": float(np.max(np.abs(F)) if len(F) else 0.0),
            "max_condition": float(np.max(condition)) if len(condition) else None,
            "max_modulus": float(np.max(scale - 1.0)) if len(scale) else None}


def _monodromy_fields(result, system, base) -> dict:
    return {"solutions": int(len(result.solutions)), "edges": result.edges, "rounds": result.rounds,
            "paths": result.paths, "failed_paths": result.failed_paths, "jumps": result.jumps,
            "history": result.history, **_solution_quality(system, result.solutions, base)}


def _fibers(system, solutions, base, name):
    images, per_image = distinct_images(system, solutions, base)
    if per_image is None:
        raise NotANumberOfPoints(f"the {len(solutions)} solutions of {name} do not split into fibers of one size")
    return images, per_image


def homotopy_degree(param, seed: int = 0, timeout: float | None = None) -> dict:
    """The ``degree`` record value by monodromy with a trace test (keys: module docstring)."""
    gmap, dim, gauge, coords, basis, rng = gauged_map(param, seed)
    s = len(basis)
    g0 = _unit_circle(rng, len(gmap.fixed))
    A = random_complex(rng, (dim, s))
    x0 = random_complex(rng, dim)
    b0 = SliceSystem(gmap, A).image(x0[None, :], np.concatenate([np.zeros(dim), g0])[None, :])[0] @ A.T
    projective, top = homogenized(coords, basis, gmap)
    system = SliceSystem(projective, A, patch=random_complex(rng, projective.n), top=top,
                         turns=TURN_SIZE * random_complex(rng, (TURNS, dim, s)))
    q0 = system.parameters(b0, g0)
    result, certificate = solve_by_monodromy(system, system.start(x0), q0, rng, edges=EDGES, max_edges=MAX_EDGES,
                                             workers=workers(), deadline=_deadline(timeout),
                                             certify=lambda points, base: trace_test(system, points, base, rng,
                                                                                     workers=workers()))
    degree, fiber_points = _fibers(system, result.solutions, q0, param.slug)
    return {
        "degree": degree,
        "params": param.params,
        "dim": dim,
        "span_dim": s,
        "fiber_points": fiber_points,
        "complete": bool(certificate["complete"]),
        **{k: v for k, v in certificate.items() if k != "complete"},
        **_monodromy_fields(result, system, q0),
        "gauge": gauge,
        "method": "homotopy",
        "backend": BACKEND,
        "primes": [],
        "seeds": [seed],
        "seconds_tracking": round(result.seconds, 3),
    }


class StableCount:
    """A stopping rule without a certificate: stop once ``extra`` closures in a row found nothing new."""

    def __init__(self, extra: int):
        self.extra, self.counts = extra, []

    def __call__(self, solutions, base) -> dict:
        self.counts.append(len(solutions))
        stable = len(self.counts) > self.extra and len(set(self.counts[-self.extra - 1:])) == 1
        return {"complete": None, "stop": stable, "closures": list(self.counts)}


def normal_start(system: CriticalSystem, x0, g0, rng):
    """Data ``u0 = c(x0) + N lam`` for which ``x0`` is critical: ``N`` spans ``{w : J^T G w = 0}``."""
    Z = system.map.point(x0[None, :], g0[None, :])
    values, J = system.map.coordinates.jacobian(Z, with_values=True)
    M = J[0][:, system.map.free].T @ system.G  # (n, s)
    _, _, Vh = np.linalg.svd(M)
    normal = Vh[M.shape[0]:].conj().T  # (s, s - n): the null space of M
    return values[0] + normal @ random_complex(rng, normal.shape[1])


def homotopy_ed_degree(param, metric: str = "generic", seed: int = 0, data_size=None,
                       timeout: float | None = None) -> dict:
    """The ``ed_degree`` record value by monodromy (keys as the modular methods', and the monodromy's)."""
    gmap, dim, gauge, coords, basis, rng = gauged_map(param, seed)
    listed, details = metric_form(param, coords, metric, rng, data_size)
    E = span_matrix(coords, basis)
    G = np.array([[complex(v) for v in row] for row in (E.transpose() * listed * E).rows()])
    g0 = _unit_circle(rng, len(gmap.fixed))
    x0 = random_complex(rng, dim)
    # affine unknowns: in a random projective chart (as the degree's) more ED paths failed (6 of 40
    # against 1 of 40 on linear_w4-2-4 at 400 steps), so the chart is the gauge's own here
    turns = None
    if metric == "generic":  # a generic metric: nearby metrics have as many critical points, so loops may turn it
        V = random_complex(rng, (TURNS, len(basis), len(basis)))
        turns = TURN_SIZE * np.abs(G).mean() * (V + V.transpose(0, 2, 1)) / 2
    system = CriticalSystem(gmap, G, turns=turns)
    q0 = system.parameters(normal_start(system, x0, g0, rng), g0)
    result, certificate = solve_by_monodromy(system, system.start(x0), q0, rng, edges=EDGES, max_edges=MAX_EDGES,
                                             workers=workers(), deadline=_deadline(timeout),
                                             certify=StableCount(STABLE_EDGES))
    ed, fiber_points = _fibers(system, result.solutions, q0, param.slug)
    return {
        "metric": metric,
        "ed_degree": ed,
        "pure": int(len(result.solutions)),
        "param_critical": None,
        "param_critical_dim": None,
        "spurious": None,
        "slice_fiber_points": fiber_points,
        "dim": dim,
        "span_dim": len(basis),
        "params": param.params,
        "complete": None,
        "stopping": f"{STABLE_EDGES} further edges of the monodromy graph (each tracking every solution) found "
                    f"nothing new; counts at each closure {certificate['closures']}",
        **_monodromy_fields(result, system, q0),
        "gauge": gauge,
        "method": "homotopy",
        "backend": BACKEND,
        "primes": [],
        "seeds": [seed],
        **details,
    }


__all__ = ["homotopy_degree", "homotopy_ed_degree", "TRACE_THRESHOLD"]
