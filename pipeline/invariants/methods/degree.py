"""Degree of the neurovariety, three independent ways.

``witness`` (modular; the method that scales)
    At a random prime ``p`` in ``[2^28, 2^29)``: fix the gauge (pivot parameters of the
    fiber's tangent space at a random point, :func:`pipeline.algebra.gauge.fiber_gauge`) at random
    values, intersect with a random affine space ``L`` of codimension ``dim`` in the span
    coordinates, and count the solutions of ``A c(theta) = b`` in parameter space over the
    algebraic closure (zero-dimensional Groebner basis, msolve by default). Each point of
    ``M cap L`` has ``fiber_points`` preimages in the slice
    (:func:`pipeline.engines.points.gauged_fiber_count`, the count the fiber invariant reports), so
    ``degree = solutions / fiber_points``. For a cone (no biases) the affine count is the
    projective degree; with biases it is the degree of the projective closure.
``hilbert`` (exact over QQ)
    the degree of the projective closure of the implicit ideal
    (:mod:`pipeline.invariants.methods.implicit`) from its Hilbert polynomial.
``monodromy`` (numerical)
    Macaulay2's ``numericalImageDegree`` (NumericalImplicitization) on the gauge-fixed map,
    with further seeds until two runs have complete pseudo-witness sets (trace test), at
    most four runs; accepted only if the complete runs agree (a disagreement fails at once) and
    no incomplete run found more points (:func:`accepted_monodromy_degree`). Each run fixes the gauge parameters at its own random
    points of the unit circle: fixed at integers, as the exact methods do, they put coefficients
    near ``10^15`` into the degree-9 coordinates of deep lightning attention, and the path
    tracking failed there (degree 1, incomplete, on ``attn_d2-2-1_a1-1_t2``; 180, complete, now).

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> m = parametrization("linear_w3-2-3")           # 3 x 3 matrices of rank <= 2: the cubic det
    >>> [degree(m, method=x, seed=1)["degree"] for x in ("witness", "hilbert")]
    [3, 3]
"""

from __future__ import annotations

import time
from math import factorial

import numpy as np
from sage.all import GF, PolynomialRing  # noqa: F401 (doctests)

from pipeline.algebra.gauge import fiber_gauge, gauged_map, span_basis
from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime, polynomial_ring, random_residues, rank_mod_p
from pipeline.algebra.slices import eliminate_linear_variables, restrict_to_slice
from pipeline.algebra.symbolic import expand, jacobian_at
from pipeline.engines.budget import seconds_left
from pipeline.engines.points import COUNT_BACKENDS, count_points, gauged_fiber_count
from pipeline.errors import BudgetExceeded, NeuromanifoldError, lookup
from pipeline.invariants.methods.implicit import implicit_ideal


class DegreeNotCertified(NeuromanifoldError):
    """A degree method finished without a result it can stand behind."""


def bezout_bound(equations) -> int:
    """The product of the degrees: Bezout's bound on the isolated solutions of a square system.

    EXAMPLES::

        >>> R = PolynomialRing(GF(101), "x,y")
        >>> x, y = R.gens()
        >>> bezout_bound([x**2 - y, x*y**2 - 1])
        6
    """
    bound = 1
    for equation in equations:
        bound *= max(1, equation.degree())
    return bound


def witness_forms(coords, basis, gauge, dim, rng, field) -> dict:
    """Equations of ``{theta in slice : c(theta) in L}``, ``L = y0 + N z`` a random affine space of dimension
    ``s - dim`` in the span coordinates, in two equivalent forms, ``parametric`` and ``implicit``.

    Unknowns at first: the free parameters and the ``s - dim`` coordinates ``z`` of ``L``. Both
    forms solve away variables that occur linearly (:func:`pipeline.algebra.slices.eliminate_linear_variables`);
    the solutions correspond one to one.

    - *parametric*: only substitutions of degree 1, parameters first, so no degree grows. A
      coordinate that is linear in the parameters lets them go (a linear net ``6 -> 3 -> 6``
      drops from 36 equations in 36 unknowns to 18 bilinear ones in 9 parameters and 9 ``z``).
    - *implicit*: every ``z`` first (row reduction: ``A c(theta) = b``, ``dim`` equations of the
      coordinates' degrees in the ``dim`` free parameters), then parameters by substitutions of
      degree 1 (polynomial CNN ``cnn_k2-2-2_s1-1-1_r2``: 4 equations in 4 unknowns, where the
      parametric form keeps 18 and solving away parameters by substitutions of any degree, as this
      function did before, left 17 of degree up to 11; lightning attention ``attn_d2-2-1_a1-1_t2``:
      6 in 6 instead of 30 in 30).

    The rings list the ``z`` first, which msolve's F4 handles faster in degrevlex (linear
    ``6 -> 3 -> 6``: 11 s instead of 17 s).
    """
    p = int(field.characteristic())
    values = {i: int(v) for i, v in zip(gauge, random_residues(rng, p, len(gauge)))}
    free_ring, span = restrict_to_slice([coords.polynomials[i] for i in basis], values, field)
    s = len(span)
    theta = list(free_ring.variable_names())
    ring = polynomial_ring(field, [f"z_{k}" for k in range(s - dim)] + theta, order="degrevlex")
    lift = free_ring.hom(ring.gens()[s - dim:], ring)
    z = ring.gens()[: s - dim]
    y0 = random_residues(rng, p, s)
    N = rng.integers(0, p, size=(s, s - dim))
    equations = [lift(span[i]) - field(int(y0[i])) - sum(field(int(N[i, k])) * z[k] for k in range(s - dim))
                 for i in range(s)]
    parametric = eliminate_linear_variables(equations, list(ring.gens()[s - dim:]) + list(z), max_value_degree=1)
    implicit = eliminate_linear_variables(equations, list(z))
    if implicit:
        implicit = eliminate_linear_variables(implicit, list(implicit[0].parent().gens()), max_value_degree=1)
    return {"parametric": parametric, "implicit": implicit}


def witness_system(coords, basis, gauge, dim, rng, field):
    """The form of :func:`witness_forms` with the smaller Bezout bound (fewer unknowns on a tie)."""

    def cost(system):
        return bezout_bound(system), system[0].parent().ngens() if system else 0

    return min(witness_forms(coords, basis, gauge, dim, rng, field).values(), key=cost)


def witness_count(coords, basis, rng, field, backend="msolve", name="the map") -> dict:
    """The witness count of the image closure of ``theta |-> (coords[i])_(i in basis)`` over ``field = GF(p)``:
    ``degree``, ``dim``, ``fiber_points``, ``witness_solutions`` and the ``gauge`` (parameter indices).

    EXAMPLES::

        >>> from sage.all import GF
        >>> from pipeline.algebra.symbolic import Coordinates
        >>> from pipeline.algebra.modular import polynomial_ring
        >>> R = polynomial_ring(GF(32003), ["a", "b", "s", "t"])
        >>> a, b, s, t = R.gens()                            # (a, b) x (s, t): 2 x 2 matrices of rank 1
        >>> cone = Coordinates(R, [""] * 4, [a*s, a*t, b*s, b*t])
        >>> witness_count(cone, [0, 1, 2, 3], np.random.default_rng(1), GF(32003))["degree"]
        2
    """
    p = int(field.characteristic())
    theta0 = random_residues(rng, p, coords.ring.ngens())
    J = jacobian_at(coords, theta0, p)
    dim = rank_mod_p(J, p)
    gauge = fiber_gauge(J, p)
    fiber_points, _ = gauged_fiber_count(coords, theta0, gauge, field, backend)
    if not fiber_points:
        raise DegreeNotCertified(f"the gauged fiber of {name} is not finite and nonempty ({fiber_points})")
    equations = witness_system(coords, basis, gauge, dim, rng, field)
    solutions = count_points(equations, backend)
    if solutions is None:
        raise DegreeNotCertified(f"the witness system of {name} is not zero-dimensional")
    if solutions % fiber_points:
        raise DegreeNotCertified(f"{solutions} witness solutions are not a multiple of the fiber count {fiber_points}")
    return {"degree": solutions // fiber_points, "dim": dim, "fiber_points": fiber_points,
            "witness_solutions": solutions, "gauge": gauge}


def witness_degree(param, seed=0, backend="msolve") -> dict:
    """Degree by counting ``mu^-1(L)`` in a gauge slice, divided by the gauged fiber count."""
    lookup(COUNT_BACKENDS, backend, "counting backend")
    rng = np.random.default_rng(seed)
    p = choose_prime(rng, *GROEBNER_PRIME_RANGE)
    K = GF(p)
    coords = expand(param, base_ring=K)
    basis = span_basis(coords)
    count = witness_count(coords, basis, rng, K, backend, name=param.slug)
    return {
        "degree": count["degree"],
        "params": param.params,
        "dim": count["dim"],
        "span_dim": len(basis),
        "fiber_points": count["fiber_points"],
        "witness_solutions": count["witness_solutions"],
        "gauge": [param.parameter_names[i] for i in count["gauge"]],
        "method": "witness",
        "backend": backend,
        "primes": [p],
        "seeds": [seed],
    }


def projective_degree(ideal) -> tuple[int, int]:
    """``(affine dimension, degree of the projective closure)`` of an ideal over a field.

    EXAMPLES::

        >>> from sage.all import QQ
        >>> R = PolynomialRing(QQ, "x,y")
        >>> x, y = R.gens()
        >>> projective_degree(R.ideal([y - x**3]))     # affine cubic curve
        (1, 3)
        >>> projective_degree(R.ideal([]))
        (2, 1)
    """
    ring = ideal.ring()
    if ideal.is_zero():
        return ring.ngens(), 1
    basis = ideal.groebner_basis()  # degrevlex: homogenizing it gives the projective closure
    big = polynomial_ring(ring.base_ring(), list(ring.variable_names()) + ["h_"], order="degrevlex")
    closure = big.ideal([big(g).homogenize(big.gen(ring.ngens())) for g in basis])
    hilbert = closure.hilbert_polynomial()
    d = hilbert.degree()
    return int(d), int(hilbert.leading_coefficient() * factorial(d))


def hilbert_degree(param, seed=0, backend="singular") -> dict:
    ideal, details = implicit_ideal(param, backend=backend, seed=seed)
    affine_dim, deg = projective_degree(ideal)
    if affine_dim != details["dim"]:
        raise DegreeNotCertified(f"the implicit ideal has dimension {affine_dim}, the Jacobian rank is {details['dim']}")
    return {
        "degree": deg,
        "params": param.params,
        "dim": details["dim"],
        "span_dim": details["span_dim"],
        "generators": len(ideal.gens()) if not ideal.is_zero() else 0,
        "method": "hilbert",
        "backend": backend,
        "primes": [],
        "seeds": [seed],
    }


def accepted_monodromy_degree(runs: list[dict], needed: int = 2):
    """The degree that ``needed`` complete runs (trace test passed) agree on, or None if there are not
    enough of them yet. An incomplete run only bounds the degree from below.

    EXAMPLES::

        >>> accepted_monodromy_degree([{"degree": 45, "complete": True}, {"degree": 1, "complete": False}]) is None
        True
        >>> accepted_monodromy_degree([{"degree": 45, "complete": True}, {"degree": 1, "complete": False},
        ...                            {"degree": 45, "complete": True}])
        45
        >>> accepted_monodromy_degree([{"degree": 45, "complete": True}, {"degree": 44, "complete": True}])
        Traceback (most recent call last):
        ...
        pipeline.invariants.methods.degree.DegreeNotCertified: complete monodromy runs disagree: degrees [45, 44]
        >>> accepted_monodromy_degree([{"degree": 45, "complete": True}, {"degree": 46, "complete": False}])
        Traceback (most recent call last):
        ...
        pipeline.invariants.methods.degree.DegreeNotCertified: an incomplete run found more points than the complete ones: [(45, True), (46, False)]
    """
    complete = [int(r["degree"]) for r in runs if r["complete"]]
    if len(set(complete)) > 1:
        raise DegreeNotCertified(f"complete monodromy runs disagree: degrees {complete}")
    if complete and any(int(r["degree"]) > complete[0] for r in runs):
        raise DegreeNotCertified(f"an incomplete run found more points than the complete ones: "
                                 f"{[(r['degree'], r['complete']) for r in runs]}")
    return complete[0] if len(complete) >= needed else None


def monodromy_degree(param, seed=0, runs=2, max_runs=4, timeout=None) -> dict:
    """Degree by ``numericalImageDegree``: ``runs`` complete runs that agree, at most ``max_runs`` tried
    (seeds ``seed, seed + 1, ...``), all within ``timeout`` seconds (default: the rest of the job's
    budget, or an hour outside a job); incomplete runs are kept in the record as lower bounds."""
    from sage.all import QQ

    from pipeline.engines.m2 import m2_polynomials, run_m2_script

    coords = expand(param, base_ring=QQ)
    basis = span_basis(coords)
    _, _, gauge, dim, values = gauged_map(param, coords, basis, seed)
    # gauged_map only names the gauge (and checks the rank at its integer values); the gauge parameters
    # stay variables here and each run sets them to its own random unit complex numbers (generic with
    # probability 1, so the rank is not checked again)
    job = {"nvars": coords.ring.ngens(), "polynomials": m2_polynomials([coords.polynomials[i] for i in basis], coords.ring),
           "gauge": sorted(values)}
    timeout = seconds_left(default=3600) if timeout is None else timeout
    deadline = time.monotonic() + timeout
    done, accepted = [], None
    while accepted is None and len(done) < max_runs:
        job["seeds"] = [seed + len(done)]  # one run per M2 call: a run that finishes is kept if the next one runs out
        try:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BudgetExceeded(f"no time left for run {len(done) + 1}")
            done += [{**r, "degree": int(r["degree"]), "complete": bool(r["complete"])}
                     for r in run_m2_script("monodromy_degree", job, timeout=left)["runs"]]
        except BudgetExceeded as exc:
            raise BudgetExceeded(f"monodromy ran out of its {timeout:.4g} s; runs finished before "
                                 f"(degree, complete): {[(r['degree'], r['complete']) for r in done]} ({exc})") from None
        accepted = accepted_monodromy_degree(done, runs)
    if accepted is None:
        raise DegreeNotCertified(f"fewer than {runs} complete monodromy runs in {len(done)}: "
                                 f"{[(r['degree'], r['complete']) for r in done]}")
    return {
        "degree": accepted,
        "params": param.params,
        "dim": dim,
        "span_dim": len(basis),
        "method": "monodromy",
        "backend": "macaulay2 NumericalImplicitization numericalImageDegree",
        "gauge": gauge,
        "runs": done,
        "runs_needed": runs,
        "max_runs": max_runs,
        "primes": [],
        "seeds": [r["seed"] for r in done],
    }


def homotopy_degree(param, seed=0) -> dict:
    """Degree by monodromy with a trace test (:func:`pipeline.invariants.methods.numerical.homotopy_degree`)."""
    from pipeline.invariants.methods.numerical import homotopy_degree as by_monodromy

    return by_monodromy(param, seed=seed)


METHODS = {
    "witness": witness_degree,
    "hilbert": hilbert_degree,
    "monodromy": monodromy_degree,
    "homotopy": homotopy_degree,
}

#: ``auto``: the order in which methods are tried (each gets part of the budget; see the runner).
AUTO_CHAIN = ("witness", "hilbert", "monodromy")


def degree(param, method: str = "witness", seed: int = 0) -> dict:
    """The ``degree`` record value by the named method (``auto`` is resolved by the runner)."""
    if method == "auto":
        method = AUTO_CHAIN[0]
    return lookup(METHODS, method, "degree method")(param, seed=seed)
