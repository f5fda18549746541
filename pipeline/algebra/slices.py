"""Restricting polynomial systems to slices, and solving away variables that occur linearly.

Pure algebra on Sage polynomials over ``QQ`` or ``GF(p)``: substitutions, fiber equations,
linear eliminations and rational points on random complementary slices.
"""

from __future__ import annotations

from sage.all import GF, QQ, PolynomialRing, matrix  # noqa: F401 (doctests)

from pipeline.algebra.modular import polynomial_ring


def restrict_to_slice(polynomials, fixed: dict[int, int], field):
    """Substitute ``theta_i = fixed[i]``; return ``(ring of the free parameters, polynomials)``."""
    ring = polynomials[0].parent() if polynomials else None
    names = ring.variable_names()
    free = [name for i, name in enumerate(names) if i not in fixed]
    small = polynomial_ring(field, free, order="degrevlex") if free else field
    images, position = [], 0
    for i in range(len(names)):
        if i in fixed:
            images.append(field(fixed[i]))
        else:
            images.append(small.gen(position))
            position += 1
    phi = ring.hom(images, small) if free else ring.hom(images, field)
    return small, [phi(f.change_ring(field)) for f in polynomials]


def fiber_equations(coords, theta0, field):
    """``c(theta) - c(theta0)`` for every coordinate polynomial ``c`` (over ``field``)."""
    point = [field(int(v)) for v in theta0]
    return [c.change_ring(field) - c.change_ring(field)(*point) for c in coords.polynomials]


def _linear_pivot(equation, variables, max_value_degree=None):
    """A variable of ``variables`` in which ``equation`` is ``a v + g`` (``a`` a nonzero constant, ``g`` free of
    ``v``, of degree at most ``max_value_degree`` if given), as ``(v, a)``."""
    for v in variables:
        if equation.degree(v) != 1:
            continue
        coefficient = equation.coefficient({v: 1})
        if not coefficient.is_constant() or coefficient.is_zero():
            continue
        a = coefficient.constant_coefficient()
        if max_value_degree is None or (equation - a * v).degree() <= max_value_degree:
            return v, a
    return None


def eliminate_linear_variables(equations, order, max_value_degree=None):
    """Solve equations of the form ``a v + g = 0`` for ``v`` and substitute, while any is left.

    ``order`` lists the variables that may be eliminated, in order of preference;
    ``max_value_degree`` (if given) admits only substitutions ``v = -g / a`` of at most that
    degree (1: the degrees of the other equations cannot grow). The result lives in a
    polynomial ring over the remaining variables, and its solutions correspond one to one to
    those of the input (``[0]`` if unknowns remain and every equation cancelled; ``[]`` if
    none remains and nothing contradicts).

    EXAMPLES::

        >>> from sage.all import GF, PolynomialRing
        >>> R = PolynomialRing(GF(101), "x,y,z")
        >>> x, y, z = R.gens()
        >>> eqs = eliminate_linear_variables([x - y * z, y**2 - 2, z**2 - 3], [x, y, z])
        >>> eqs, eqs[0].parent().ngens()
        ([y^2 - 2, z^2 - 3], 2)
        >>> eliminate_linear_variables([x - y * z, y**2 - 2, z**2 - 3], [x, y, z], max_value_degree=1)
        [-y*z + x, y^2 - 2, z^2 - 3]
        >>> eliminate_linear_variables([x - y, 2*x - 2*y, z - 1], [x, z])    # a line: y is free
        [0]
    """
    equations = [e for e in equations if not e.is_zero()]
    if not equations:
        return equations
    ring = equations[0].parent()
    eliminated = set()
    while True:
        for index, equation in enumerate(equations):
            pivot = _linear_pivot(equation, order, max_value_degree)
            if pivot is not None:
                break
        else:
            break
        v, a = pivot
        eliminated.add(str(v))
        value = -(equation - a * v) / a
        rest = equations[:index] + equations[index + 1 :]
        equations = [e.subs({v: value}) for e in rest]
        equations = [e for e in equations if not e.is_zero()]
    kept = [name for name in ring.variable_names() if name not in eliminated]
    if not kept:
        return equations
    if not equations:  # unknowns left and nothing to satisfy: say so with a zero of their ring
        equations = [ring.zero()]
    if not eliminated:
        return equations
    small = polynomial_ring(ring.base_ring(), kept, order="degrevlex")
    images = [small.gen(kept.index(name)) if name in kept else small.zero() for name in ring.variable_names()]
    phi = ring.hom(images, small)
    return [phi(e) for e in equations]


def rational_point(prime, rng, tries=20):
    """A ``GF(p)``-point of ``V(prime)`` on a random complementary slice, or None."""
    ring = prime.ring()
    K = ring.base_ring()
    d = prime.dimension()
    for _ in range(tries):
        forms = [sum(K(int(rng.integers(1, 2**20))) * v for v in ring.gens()) + K(int(rng.integers(1, 2**20)))
                 for _ in range(d)]
        points = (prime + ring.ideal(forms)).variety() if d > 0 else prime.variety()
        if points:
            return [points[0][v] for v in ring.gens()]
    return None
