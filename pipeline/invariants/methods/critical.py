"""Critical points of the squared loss: ED degrees, pure and spurious critical points.

Setting
    The function-space coordinates are the span coordinates ``y = (c1..cs)`` of the
    implicit invariant (a basis of the linear span of the coordinate polynomials). A
    metric on the coefficient space restricts to a quadratic form ``Q`` on the span; data
    ``w`` is a point of the span (data off the span decompose orthogonally and only their
    projection matters). The loss is ``L(y) = (w - y)^T Q (w - y)``.
Metrics (``METRICS``, :mod:`pipeline.invariants.methods.metrics`)
    ``generic``: ``Q = A^T A`` with ``A`` a random integer matrix on the coefficients;
    ``coefficient``: Euclidean in the monomial coefficients (Frobenius for linear nets);
    ``bombieri-weyl``: the coefficient of ``x^alpha`` weighted by ``1 / multinomial(d; alpha)``
    (homogenized with ``x0`` for nets with biases), invariant under orthogonal changes of the input;
    ``data``: the squared error ``sum_i |f(x_i) - t_i|^2`` on ``data_size`` integer inputs ``x_i``
    drawn with the seed (listed in the record): ``Q = sum_i M_i^T M_i``, ``M_i`` evaluation at ``x_i``.
ED degree
    the number of complex critical points of ``L`` on the smooth locus of the Zariski closure
    ``X``, for generic ``w``. Three independent computations, each over ``GF(p)``:

    ``parameter`` (the one that scales): in a gauge slice (:func:`~pipeline.invariants.methods.implicit.gauge_polynomials`),
    solve ``J(theta)^T Q (w - y(theta)) = 0`` together with ``z det(R J(theta)) = 1`` (``R`` a random
    integer matrix), which removes the parameters where ``J`` drops rank. For generic ``w``
    every critical point on ``X_reg`` is a general point of ``X`` (the ED correspondence is
    irreducible and dominates ``X``), so it has exactly the generic number ``F`` of preimages
    in the slice, all of full rank: ``ed_degree = solutions / F``.

    ``variety``: the implicit ideal mod ``p`` of the same gauged map; Lagrange equations
    ``f = 0``, ``Q (y - w) = Jac(g)^T lambda`` for ``g`` = ``codim`` random combinations of the generators,
    and ``z m = 1`` for ``m`` a maximal minor of ``Jac(g)`` (nonzero at a random point), which removes
    the singular locus (and nothing a generic critical point meets).

    ``macaulay2``: the package EuclideanDistanceDegree (``symbolicWeightEDDegree``: augmented
    Jacobian minors, saturated by the singular locus) on the same implicit ideal and form, after
    the change of coordinates ``Q = L D L^T`` that turns ``Q`` into the diagonal weights the package takes.
Parameter-space critical points
    ``param_critical`` counts all critical points of ``L(y(theta))`` in the slice whose function
    is not zero (``z l(y) = 1`` for a random linear form ``l``), or is null when they form a
    positive-dimensional set (then ``param_critical_dim`` gives its dimension: on rank-deficient
    strata the stabilizer is larger than the gauge kills). ``pure`` = points of full Jacobian rank
    (their image is critical on ``X_reg``) = ``ed_degree * F``; ``spurious = param_critical - pure``
    (rank-deficient critical points whose image is a critical point of the parametrization, not of ``X``).
    All counts are points of the gauge slice; a generic orbit meets it ``F`` times (``slice_fiber_points``).

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> m = parametrization("linear_w3-2-3")     # 3 x 3 matrices of rank <= 2
    >>> r = ed_degree(m, method="parameter", metric="coefficient", seed=1)
    >>> r["ed_degree"], r["pure"]                 # Eckart-Young: binomial(3, 2)
    (3, 3)
    >>> ed_degree(m, method="variety", metric="generic", seed=1)["ed_degree"]
    39
    >>> r = ed_degree(parametrization("linear_w4-2-3"), method="parameter", metric="coefficient", seed=1)
    >>> r["ed_degree"], r["param_critical"], r["spurious"]   # spurious: critical on the rank-1 stratum
    (3, 6, 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sage.all import GF, QQ, matrix

from pipeline.algebra.gauge import gauge_polynomials, homogeneous_weights, span_basis
from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime, polynomial_ring, random_residues
from pipeline.algebra.symbolic import expand
from pipeline.engines.points import count_points
from pipeline.errors import InvariantTooLarge, NeuromanifoldError, UnknownNameError, lookup
from pipeline.invariants.methods.implicit import eliminate_sage
from pipeline.invariants.methods.metrics import METRICS, default_data_size, metric_form, span_matrix


class CriticalCountMismatch(NeuromanifoldError):
    """A critical-point count that contradicts the fiber count it must be a multiple of."""


# ---------------------------------------------------------------- the problem


@dataclass
class EDProblem:
    """The squared-loss problem of one architecture in its span and gauge slice, over QQ.

    ``images``: span coordinates as polynomials in the free parameters of the slice;
    ``form``: ``Q`` on the span; ``data``: the point ``w``; ``p``: the prime for modular counts.
    """

    slug: str
    metric: str
    ring: object
    images: list
    form: object
    data: list
    dim: int
    gauge: list
    p: int
    rng: object
    details: dict = field(default_factory=dict)

    @property
    def span_dim(self) -> int:
        return len(self.images)


def ed_problem(param, metric="generic", seed=0, data_size=None, data=None) -> EDProblem:
    """Set up the loss of ``param`` (random prime, gauge, metric and data from ``seed``).

    ``data`` (a rational point of the span) replaces the random data when given.
    """
    if data_size is not None and metric != "data":
        raise UnknownNameError(f"--data-size applies to the data metric only, not to {metric!r}")
    if data_size is not None and data_size < 1:
        raise UnknownNameError(f"--data-size must be a positive number of inputs, got {data_size}")
    rng = np.random.default_rng(seed)
    p = choose_prime(rng, *GROEBNER_PRIME_RANGE)
    coords = expand(param, base_ring=QQ)
    basis = span_basis(coords)
    listed_form, details = metric_form(param, coords, metric, rng, data_size)
    E = span_matrix(coords, basis)
    form = E.transpose() * listed_form * E
    if form.rank() < len(basis):
        hint = f"; use at least {default_data_size(param)} inputs (--data-size)" if metric == "data" else ""
        raise InvariantTooLarge(f"the {metric} metric is degenerate on the span of {param.slug} "
                                f"(rank {form.rank()} < {len(basis)}){hint}")
    ring, images, gauge, dim, _ = gauge_polynomials(coords, basis, rng, p, blocks=param.blocks)
    if data is None:
        data = [QQ(int(v)) for v in rng.integers(-1000, 1001, size=len(basis))]
    return EDProblem(param.slug, metric, ring, images, form, list(data), dim,
                     [param.parameter_names[i] for i in gauge], p, rng, details)


def _small_integers(rng, shape):
    """Random nonzero integers in ``[-9, 9]`` (small, so that the systems stay small over QQ too)."""
    return rng.choice(np.array([-9, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9]), size=shape)


def _nonzero_guard(guard, what):
    if guard == 0:
        raise CriticalCountMismatch(f"the random {what} vanishes identically; rerun with another seed")
    return guard


def sparse_pivot_rows(J, ring, rng, p, point=None) -> list[int]:
    """``n`` rows of the ``s x n`` polynomial matrix ``J``, independent at a random point, fewest terms first.

    The rows are independent at ``point`` (default: a random point of the ring), so the minor does
    not vanish identically on any irreducible set through that point: for the Lagrange system the
    point lies on the variety.

    Their minor vanishes where ``J`` drops rank and is a nonzero polynomial, and it is far sparser
    than a random combination of rows (whose determinant is dense).
    """
    from pipeline.algebra.modular import rank_mod_p

    n = len(J[0]) if J else 0
    K = GF(p)
    if point is None:
        point = [K(int(v)) for v in random_residues(rng, p, ring.ngens())]
    values = np.array([[int(e.change_ring(K)(*point)) for e in row] for row in J], dtype=np.int64).reshape(len(J), n)
    order = sorted(range(len(J)), key=lambda i: sum(len(e.monomials()) for e in J[i]))
    chosen = []
    for i in order:
        if len(chosen) == n:
            break
        if rank_mod_p(values[chosen + [i]], p) == len(chosen) + 1:
            chosen.append(i)
    if len(chosen) < n:
        raise CriticalCountMismatch(f"the Jacobian of the gauged map has rank {len(chosen)} < {n} at a random point")
    return chosen


def loss_equations(y, form, data, variables):
    """``(J, gradient, loss)`` of ``(data - y)^T form (data - y)`` in ``variables`` (gradient up to the factor -2).

    ``y`` and ``data`` are lists of ring elements (data may depend on further variables, e.g. a line parameter).
    """
    s, n = len(y), len(variables)
    residual = [data[i] - y[i] for i in range(s)]
    weighted = [sum(form[i, j] * residual[j] for j in range(s)) for i in range(s)]
    J = [[y[i].derivative(variables[k]) for k in range(n)] for i in range(s)]
    gradient = [sum(J[i][k] * weighted[i] for i in range(s)) for k in range(n)]
    return J, gradient, sum(residual[i] * weighted[i] for i in range(s))


def parameter_system(problem: EDProblem, field, exclude="rank"):
    """Critical equations of ``L(y(theta))`` in the slice over ``field``, plus one exclusion equation.

    ``exclude="rank"``: ``z m(theta) = 1`` for ``m`` a maximal minor of ``J`` (:func:`sparse_pivot_rows`),
    which vanishes where ``J`` drops rank; ``"zero"``: ``z l(y) = 1``
    (the function is not zero, for a random linear form ``l``).
    """
    theta = list(problem.ring.variable_names()) if not problem.ring.is_field() else []
    ring = polynomial_ring(field, theta + ["z_exclude"], order="degrevlex")
    gens = ring.gens()
    n, s = len(theta), problem.span_dim
    y = [ring(f.change_ring(field)) if hasattr(f, "change_ring") else ring(field(f)) for f in problem.images]
    J, gradient, _ = loss_equations(y, problem.form.change_ring(field), [field(v) for v in problem.data], gens[:n])
    if exclude == "rank":
        rows = sparse_pivot_rows(J, ring, problem.rng, problem.p)
        minor = matrix(ring, n, n, [J[i][k] for i in rows for k in range(n)])
        guard = _nonzero_guard(minor.det() if n else ring.one(), "Jacobian minor")
    elif exclude == "zero":
        ell = _small_integers(problem.rng, s)
        guard = _nonzero_guard(sum(int(ell[i]) * y[i] for i in range(s)), "linear form of the function")
    else:
        raise UnknownNameError(f"unknown exclusion {exclude!r}; valid names: rank, zero")
    return ring, gradient + [gens[-1] * guard - 1]


def slice_fiber_points(problem: EDProblem, field, backend="msolve") -> int:
    """Points of a generic fiber of the gauged map (the ``F`` the counts are multiples of)."""
    ring = problem.ring.change_ring(field)
    point = [field(int(v)) for v in random_residues(problem.rng, int(field.characteristic()), ring.ngens())]
    images = [ring(f) for f in problem.images]
    count = count_points([f - f(*point) for f in images], backend)
    if not count:
        raise CriticalCountMismatch(f"the gauged fiber of {problem.slug} is not finite and nonempty ({count})")
    return count


def parameter_count(problem: EDProblem, backend="msolve") -> dict:
    """``ed_degree`` by the parameter method, with the fiber count and the parameter-space census."""
    K = GF(problem.p)
    fiber_points = slice_fiber_points(problem, K, backend)
    _, equations = parameter_system(problem, K, exclude="rank")
    pure = count_points(equations, backend)
    if pure is None or pure % fiber_points:
        raise CriticalCountMismatch(f"{pure} full-rank critical points in the slice of {problem.slug} "
                                    f"are not a multiple of the fiber count {fiber_points}")
    return {"ed_degree": pure // fiber_points, "pure": pure, "slice_fiber_points": fiber_points}


def parameter_census(problem: EDProblem, pure: int, backend="msolve") -> dict:
    """All critical points with a nonzero function: ``param_critical``, ``spurious`` (or their dimension)."""
    K = GF(problem.p)
    ring, equations = parameter_system(problem, K, exclude="zero")
    total = count_points(equations, backend)
    if total is None:
        dim = int(ring.ideal(equations).dimension())
        return {"param_critical": None, "param_critical_dim": dim, "spurious": None}
    return {"param_critical": total, "param_critical_dim": 0, "spurious": total - pure}


def implicit_generators_mod_p(problem: EDProblem):
    """The implicit ideal of the gauged map over ``GF(p)``, as generators in ``c1..cs`` (none if it fills its span)."""
    K = GF(problem.p)
    if problem.dim == problem.span_dim:
        return []
    ring = problem.ring.change_ring(K)
    images = [ring(f) for f in problem.images]
    return eliminate_sage(ring, images, homogeneous_weights(images))


def _point_on_variety(problem: EDProblem, field) -> list:
    """``y(theta)`` at a random parameter point of the slice."""
    ring = problem.ring.change_ring(field)
    theta = [field(int(v)) for v in random_residues(problem.rng, problem.p, ring.ngens())]
    return [ring(f)(*theta) for f in problem.images]


def variety_system(problem: EDProblem, generators, field):
    """Lagrange equations of ``L`` on ``V(generators)`` away from its singular locus."""
    s, c = problem.span_dim, problem.span_dim - problem.dim
    names = [f"c{i + 1}" for i in range(s)] + [f"l{k}" for k in range(c)] + ["z_exclude"]
    ring = polynomial_ring(field, names, order="degrevlex")
    y, lam, z = ring.gens()[:s], ring.gens()[s:s + c], ring.gens()[-1]
    F = [ring(str(g)) for g in generators]
    A = _small_integers(problem.rng, (c, len(F)))
    g = [sum(int(A[a, i]) * F[i] for i in range(len(F))) for a in range(c)]
    Jg = [[ga.derivative(v) for v in y] for ga in g]
    Q = problem.form.change_ring(field)
    lagrange = [sum(Q[i, j] * (y[j] - field(problem.data[j])) for j in range(s)) - sum(Jg[a][i] * lam[a] for a in range(c))
                for i in range(s)]
    columns = sparse_pivot_rows([list(column) for column in zip(*Jg)], ring, problem.rng, problem.p,
                                point=_point_on_variety(problem, field) + [field(0)] * (c + 1)) if c else []
    minor = matrix(ring, c, c, [Jg[a][i] for a in range(c) for i in columns])
    guard = _nonzero_guard(minor.det() if c else ring.one(), "minor of the Lagrange Jacobian")
    return ring, F + lagrange + [z * guard - 1]


def variety_count(problem: EDProblem, backend="msolve") -> dict:
    generators = implicit_generators_mod_p(problem)
    _, equations = variety_system(problem, generators, GF(problem.p))
    count = count_points(equations, backend)
    if count is None:
        raise CriticalCountMismatch(f"the Lagrange system of {problem.slug} is not zero-dimensional")
    return {"ed_degree": count, "implicit_generators": len(generators)}


def ldl_weights(form):
    """``(L, D)`` with ``form = L D L^T``, ``L`` unit lower triangular (needs nonzero leading minors)."""
    n = form.nrows()
    L, D = matrix.identity(form.base_ring(), n), []
    S = form.__copy__()
    for k in range(n):
        if S[k, k] == 0:
            raise CriticalCountMismatch("the form has a vanishing leading minor; no LDL^T without pivoting")
        D.append(S[k, k])
        for i in range(k + 1, n):
            L[i, k] = S[i, k] / S[k, k]
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                S[i, j] -= L[i, k] * S[k, j]
    return L, D


def macaulay2_count(problem: EDProblem, timeout=None) -> dict:
    """EuclideanDistanceDegree's ``symbolicWeightEDDegree`` on the same ideal, form and data."""
    from pipeline.engines.m2 import m2_polynomials, run_m2_script

    K = GF(problem.p)
    s = problem.span_dim
    generators = implicit_generators_mod_p(problem)
    if not generators:
        return {"ed_degree": 1, "implicit_generators": 0}
    L, D = ldl_weights(problem.form.change_ring(K))
    ring = polynomial_ring(K, [f"c{i + 1}" for i in range(s)])
    inverse = L.transpose().inverse()  # y = L^-T y'
    substitution = [sum(inverse[i, j] * ring.gen(j) for j in range(s)) for i in range(s)]
    transformed = [ring(str(g))(*substitution) for g in generators]
    data = list(L.transpose() * matrix(K, s, 1, [K(v) for v in problem.data]).column(0))
    job = {"nvars": s, "characteristic": problem.p, "polynomials": m2_polynomials(transformed, ring),
           "data": [int(v) for v in data], "weights": [int(v) for v in D]}
    result = run_m2_script("ed_degree", job, timeout=timeout)
    return {"ed_degree": int(result["degree"]), "implicit_generators": len(generators)}


#: ``parameter-nocensus`` is the parameter method without ``param_critical``/``spurious`` (the census
#: of all critical points costs more than the ED degree itself); ``auto`` falls back to it.
METHODS = ("auto", "parameter", "parameter-nocensus", "variety", "macaulay2", "homotopy")
AUTO_CHAIN = ("parameter", "parameter-nocensus")


def ed_degree(param, method: str = "auto", seed: int = 0, metric: str = "generic", data_size=None) -> dict:
    """The ``ed_degree`` record value (keys in the module docstring)."""
    if method not in METHODS:
        raise UnknownNameError(f"unknown method {method!r} for ed_degree; valid names: {', '.join(METHODS)}")
    method = "parameter" if method == "auto" else method
    if method == "homotopy":
        from pipeline.invariants.methods.numerical import homotopy_ed_degree

        return homotopy_ed_degree(param, metric=metric, seed=seed, data_size=data_size)
    problem = ed_problem(param, metric, seed, data_size)
    if method.startswith("parameter"):
        value = parameter_count(problem)
        if method == "parameter":
            value.update(parameter_census(problem, value["pure"]))
    elif method == "variety":
        value = variety_count(problem)
    else:
        value = macaulay2_count(problem)
    value.setdefault("pure", None)
    for key in ("param_critical", "param_critical_dim", "spurious", "slice_fiber_points"):
        value.setdefault(key, None)
    return {
        "metric": metric,
        **value,
        "dim": problem.dim,
        "span_dim": problem.span_dim,
        "params": param.params,
        "gauge": problem.gauge,
        "method": method,
        "backend": "macaulay2" if method == "macaulay2" else "msolve",
        "primes": [problem.p],
        "seeds": [seed],
        **problem.details,
    }


__all__ = ["ed_degree", "ed_problem", "METRICS", "METHODS"]
