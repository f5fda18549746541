"""Metrics on the coefficient space, restricted to the span: the forms ``Q`` of the squared loss.

``generic``: ``A^T A`` for a random integer matrix ``A``; ``coefficient``: Euclidean in the monomial
coefficients (Frobenius for linear nets); ``bombieri-weyl``: the coefficient of ``x^alpha`` weighted
by ``1 / multinomial(d; alpha)``; ``data``: the squared error on integer training inputs. The ED
degree methods (modular in :mod:`pipeline.invariants.methods.critical`, numerical in
:mod:`pipeline.invariants.methods.numerical`) both take their forms from here.
"""

from __future__ import annotations

from math import factorial, prod

from sage.all import QQ, matrix

from pipeline.errors import lookup

METRICS = ("generic", "coefficient", "bombieri-weyl", "data")


def coefficient_form(n: int):
    """The Euclidean form on ``n`` coefficients."""
    return matrix.identity(QQ, n)


def bombieri_weyl_form(monomials, degree: int):
    """Diagonal form ``alpha! (d - |alpha|)! / d!`` on the coefficient of ``x^alpha`` (``x0`` homogenizes).

    EXAMPLES::

        >>> bombieri_weyl_form([(0, (2, 0)), (0, (1, 1)), (0, (0, 2))], 2).diagonal()
        [1, 1/2, 1]
    """
    weights = [prod(factorial(e) for e in alpha) * factorial(degree - sum(alpha)) / QQ(factorial(degree))
               for _, alpha in monomials]
    return matrix.diagonal(QQ, weights)


def generic_form(n: int, rng):
    """``A^T A`` for a random integer ``n x n`` matrix ``A`` with entries in ``[-9, 9]`` (positive definite)."""
    A = matrix(QQ, n, n, [int(v) for v in rng.integers(-9, 10, size=n * n)])
    return A.transpose() * A


def data_inputs(n_inputs: int, size: int, rng) -> list[list[int]]:
    """``size`` integer input vectors with entries in ``[-3, 3]`` (flattened input matrices)."""
    return rng.integers(-3, 4, size=(size, n_inputs)).tolist()


def data_form(monomials, inputs):
    """``sum_i M_i^T M_i``: the squared error on ``inputs`` as a form on the coefficients.

    EXAMPLES::

        >>> data_form([(0, (1, 0)), (0, (0, 1))], [[1, 2], [0, 1]])
        [1 2]
        [2 5]
    """
    values = [[prod(x**e for x, e in zip(point, alpha)) for point in inputs] for _, alpha in monomials]
    n = len(monomials)
    entries = {}
    for a in range(n):
        for b in range(a, n):
            if monomials[a][0] == monomials[b][0]:
                v = sum(u * t for u, t in zip(values[a], values[b]))
                if v:
                    entries[(a, b)] = entries[(b, a)] = v
    return matrix(QQ, n, n, entries)


def default_data_size(param) -> int:
    """Twice the number of input monomials of the output degree: enough for a definite form."""
    return 2 * (param.ambient_dim // param.n_outputs)


def span_matrix(coords, basis):
    """``E`` with ``coords = E * coords[basis]`` (every coordinate as a combination of the basis ones)."""
    columns, entries = {}, {}
    for row, f in enumerate(coords.polynomials):
        for exp, c in f.dict().items():
            entries[(row, columns.setdefault(tuple(exp), len(columns)))] = c
    M = matrix(QQ, len(coords.polynomials), len(columns), entries, sparse=True)
    return M.matrix_from_rows(basis).solve_left(M).dense_matrix()


def metric_form(param, coords, metric: str, rng, data_size=None):
    """``(form on all listed coordinates over QQ, details for the record)``."""
    lookup({m: m for m in METRICS}, metric, "metric")
    n = len(coords.polynomials)
    if metric == "coefficient":
        return coefficient_form(n), {}
    if metric == "bombieri-weyl":
        return bombieri_weyl_form(coords.monomials, param.degree), {}
    if metric == "generic":
        return generic_form(n, rng), {}
    size = data_size or default_data_size(param)
    inputs = data_inputs(param.n_inputs, size, rng)
    return data_form(coords.monomials, inputs), {"data_size": size, "data_inputs": inputs}
