"""Counting the points of zero-dimensional systems over ``GF(p)`` with a named engine.

The number of points over the algebraic closure, with multiplicity, is the ``GF(p)``-dimension
of the quotient ring (Singular's ``vdim``), from a Groebner basis computed by an engine chosen
by name: ``singular`` (in Sage), ``msolve`` (F4; only its leading monomials are read back,
:mod:`pipeline.engines.msolve`, and counted by
:func:`pipeline.algebra.counting.standard_monomial_count`) or ``macaulay2`` (the M2 binary).
The fiber invariant and the witness degree method both count here, under the gauge of
:mod:`pipeline.algebra.gauge`.

EXAMPLES::

    >>> from sage.all import GF, PolynomialRing
    >>> R = PolynomialRing(GF(101), "x,y")
    >>> x, y = R.gens()
    >>> [count_points([x**2 - 2, y**3 - x], backend=b) for b in ("singular", "msolve", "macaulay2")]
    [6, 6, 6]
    >>> count_points([x * y - 1], backend="singular") is None    # a curve: not finite
    True
"""

from __future__ import annotations

from sage.all import GF, PolynomialRing, matrix  # noqa: F401 (doctests)

from pipeline.algebra.counting import standard_monomial_count
from pipeline.algebra.slices import fiber_equations, restrict_to_slice
from pipeline.errors import lookup


def _count_singular(ideal):
    dimension = ideal.dimension()
    if dimension < 0:
        return 0  # the unit ideal
    if dimension > 0:
        return None
    return int(ideal.vector_space_dimension())


def _count_msolve(ideal):
    from pipeline.engines.msolve import leading_exponents

    return standard_monomial_count(leading_exponents(list(ideal.gens())))


def _count_macaulay2(ideal, timeout=None):
    from pipeline.engines.m2 import m2_polynomials, run_m2_script

    ring = ideal.ring()
    job = {"nvars": ring.ngens(), "characteristic": int(ring.characteristic()), "seed": 0,
           "polynomials": m2_polynomials(ideal.gens(), ring)}
    result = run_m2_script("count_points", job, timeout=timeout)
    if result["dim"] < 0:
        return 0  # the unit ideal
    return None if result["dim"] != 0 else int(result["degree"])


COUNT_BACKENDS = {"singular": _count_singular, "msolve": _count_msolve, "macaulay2": _count_macaulay2}


def counting_description(backend: str) -> str:
    """How a backend counts, for certificates.

    EXAMPLES::

        >>> counting_description("msolve")
        'zero-dimensional Groebner basis (msolve F4, probabilistic linear algebra -l 44, leading ideal), points with multiplicity'
    """
    from pipeline.engines.msolve import LINEAR_ALGEBRA

    how = {"msolve": f"msolve F4, probabilistic linear algebra -l {LINEAR_ALGEBRA}, leading ideal"}.get(backend, backend)
    return f"zero-dimensional Groebner basis ({how}), points with multiplicity"


def count_points(polynomials, backend: str = "singular"):
    """Number of common zeros over the algebraic closure (with multiplicity), or None if infinite.

    A constant nonzero equation gives 0 points. An empty list is the system in no unknowns
    (one point); zeros of a polynomial ring with unknowns impose nothing (infinitely many).

    EXAMPLES::

        >>> from sage.all import GF, PolynomialRing
        >>> R = PolynomialRing(GF(101), "x,y")
        >>> x, y = R.gens()
        >>> count_points([x**2 - 1, y - x]), count_points([x, R(3)]), count_points([])
        (2, 0, 1)
        >>> count_points([R.zero()]) is None
        True
    """
    counter = lookup(COUNT_BACKENDS, backend, "counting backend")
    nonzero = [f for f in polynomials if f != 0]
    if all(not hasattr(f, "is_constant") for f in polynomials):  # no free variables left
        return 0 if nonzero else 1
    if any(f.is_constant() for f in nonzero if hasattr(f, "is_constant")):
        return 0
    if not nonzero:
        return None if any(getattr(f.parent(), "ngens", lambda: 0)() for f in polynomials) else 1
    ring = nonzero[0].parent()
    return counter(ring.ideal(nonzero))


def gauged_fiber_count(coords, theta0, gauge, field, backend="singular"):
    """Points of ``mu^-1(mu(theta0))`` with ``theta_C = theta0_C`` (``C = gauge``), or None if infinite.

    The one fiber count of the pipeline: the fiber invariant reports it and the
    witness degree method divides by it.
    """
    fixed = {i: int(theta0[i]) for i in gauge}
    _, equations = restrict_to_slice(fiber_equations(coords, theta0, field), fixed, field)
    return count_points(equations, backend), equations


