"""Counting standard monomials: the number of points of a zero-dimensional ideal from its leading ideal.

The points of a zero-dimensional system over the algebraic closure, with multiplicity, are as
many as the monomials outside its leading ideal (for any monomial order). Only the leading
exponents are needed, which is what :mod:`pipeline.engines.msolve` reads back.
"""

from __future__ import annotations


def _shifted(exponent: tuple, i: int, step: int) -> tuple:
    """The exponent vector with entry ``i`` changed by ``step``."""
    return exponent[:i] + (exponent[i] + step,) + exponent[i + 1:]


def standard_monomial_count(exponents):
    """The number of monomials outside a monomial ideal (its ``vdim``), or None if infinite.

    Applied to the leading monomials of a Groebner basis, this is the number of
    points of the zero set over the algebraic closure, with multiplicity. Degree by
    degree: a monomial is outside the ideal exactly when it is not a generator and
    every monomial it covers (one variable lowered) is outside, so the standard
    monomials grow from ``1`` with set look-ups only (980 of them among 2776
    generators in 18 variables, linear net ``6 -> 3 -> 6``, in 0.1 s).

    EXAMPLES::

        >>> standard_monomial_count([(2, 0), (0, 3)])          # x^2, y^3: 1, x, y, xy, y^2, xy^2
        6
        >>> standard_monomial_count([(2, 0), (1, 1), (0, 2)])  # 1, x, y
        3
        >>> standard_monomial_count([(2, 0), (2, 1), (0, 1)])  # a redundant generator: 1, x
        2
        >>> standard_monomial_count([(1, 1)]) is None           # xy: not zero-dimensional
        True
        >>> standard_monomial_count([(0, 0)]), standard_monomial_count([()])
        (0, 0)
    """
    generators = {tuple(e) for e in exponents}
    if not generators:
        return None
    if any(sum(e) == 0 for e in generators):
        return 0  # the unit ideal: no points
    nvars = len(next(iter(generators)))
    for i in range(nvars):  # zero-dimensional: a pure power of every variable is a leading monomial
        if not any(e[i] > 0 and sum(e) == e[i] for e in generators):
            return None
    standard = {(0,) * nvars}
    level = set(standard)
    while level:
        above = set()
        for monomial in level:
            for i in range(nvars):
                candidate = _shifted(monomial, i, 1)
                if candidate in above or candidate in generators:
                    continue
                if all(candidate[j] == 0 or _shifted(candidate, j, -1) in standard for j in range(nvars)):
                    above.add(candidate)
        standard |= above
        level = above
    return len(standard)
