"""Symbolic expansion of a network in Sage: the coordinate polynomials of ``mu``.

The forward pass of a family runs on Sage matrices over
``K[theta, x]``; every output entry is then split by its monomials in the
inputs ``x``: the coefficient of ``x^alpha`` in output ``o`` is the coordinate
polynomial ``c_(o, alpha)(theta)``. Coordinates that vanish identically are not
listed (they are zero on the whole neuromanifold; the ambient dimension counts
them).

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> coords = expand(parametrization("linear_w2-1-1"))
    >>> [str(c) for c in coords.polynomials]
    ['W1_1*W2_1', 'W1_2*W2_1']
    >>> coords.labels
    ['y1: x1', 'y1: x2']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sage.all import QQ, matrix

from pipeline.algebra.modular import polynomial_ring
from pipeline.layers.group_conv import circulant_taps


class SageOps:
    """The :class:`~pipeline.architectures.base.MatrixOps` protocol on Sage matrices."""

    def __init__(self, ring):
        self.ring = ring

    def matmul(self, a, b):
        return a * b

    def add(self, a, b):
        return a + b

    def power(self, a, r):
        return a.apply_map(lambda e: e**r)

    def transpose(self, a):
        return a.transpose()

    def circulant(self, w, n):
        taps = circulant_taps(n)
        return matrix(self.ring, n, n, lambda g, h: w[0, int(taps[g, h])])

    def polynomial(self, a, coefficients):
        return a.apply_map(lambda e: sum(c * e**i for i, c in enumerate(coefficients) if c))

    def conv_matrix(self, w, n_out, n_in, stride):
        conv = matrix(self.ring, n_out, n_in)
        for j in range(n_out):
            for m in range(w.ncols()):
                conv[j, stride * j + m] = w[0, m]
        return conv


@dataclass
class Coordinates:
    """The coordinate polynomials of ``mu`` in the parameter ring."""

    ring: object  # K[theta]
    labels: list  # "y<o>: <x-monomial>"
    polynomials: list
    monomials: list = None  # (output index, exponent tuple of the input monomial), one per coordinate

    def term_table(self):
        """Exponents ``(T, N)``, integer coefficients and row indices of all terms."""
        exponents, coefficients, rows = [], [], []
        for row, f in enumerate(self.polynomials):
            for exp, c in f.dict().items():
                exponents.append(tuple(exp))
                coefficients.append(c)
                rows.append(row)
        n = self.ring.ngens()
        return (
            np.array(exponents, dtype=np.int64).reshape(-1, n),
            coefficients,
            np.array(rows, dtype=np.int64),
        )


def expand(param, base_ring=QQ) -> Coordinates:
    """Return the coordinate polynomials of ``param`` over ``base_ring``.

    ALGORITHM: run the family's forward pass on symbolic matrices and split each
    output entry by its monomials in the inputs.
    """
    names = param.parameter_names
    xnames = [name for row in param.input_names for name in row]
    big = polynomial_ring(base_ring, names + xnames, order="degrevlex")
    gens = big.gens()
    n = len(names)
    weights, start = {}, 0
    for block in param.blocks:
        weights[block.name] = matrix(big, block.rows, block.cols, gens[start : start + block.size])
        start += block.size
    X = matrix(big, param.input_shape[0], param.input_shape[1], gens[n:])
    out = param.network(SageOps(big), weights, X)

    small = polynomial_ring(base_ring, names, order="degrevlex")
    grouped: dict = {}
    for index, f in enumerate(out.list()):
        for exp, c in f.dict().items():
            exp = tuple(exp)
            grouped.setdefault((index, exp[n:]), {})[exp[:n]] = c
    keys = sorted(grouped, key=lambda key: (key[0], tuple(-e for e in key[1])))  # lex, x1 > x2 > ...
    labels = [f"y{index + 1}: {_monomial(xnames, alpha)}" for index, alpha in keys]
    polynomials = [small(grouped[key]) for key in keys]
    return Coordinates(small, labels, polynomials, [(index, tuple(int(e) for e in alpha)) for index, alpha in keys])


def _monomial(names, exponents) -> str:
    parts = [name if e == 1 else f"{name}^{e}" for name, e in zip(names, exponents) if e]
    return "*".join(parts) or "1"


def residues(coefficients, p: int) -> np.ndarray:
    """Rational coefficients mod ``p`` (denominators must be prime to ``p``)."""
    out = []
    for c in coefficients:
        c = QQ(c)
        out.append(int(c.numerator()) * pow(int(c.denominator()), -1, p) % p)
    return np.array(out, dtype=np.int64)


def jacobian_at(coords: Coordinates, point: np.ndarray, p: int, table=None) -> np.ndarray:
    """The Jacobian of the coordinates at ``point`` (nonzero residues mod ``p < 2^31``).

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> c = expand(parametrization("linear_w2-1-1"))
        >>> jacobian_at(c, np.array([2, 3, 5]), 101).tolist()
        [[5, 0, 2], [0, 5, 3]]
    """
    exponents, coefficients, rows = table if table is not None else coords.term_table()
    n = exponents.shape[1]
    values = residues(coefficients, p)
    top = int(exponents.max()) if exponents.size else 0
    powers = np.ones((n, top + 1), dtype=np.int64)
    for e in range(1, top + 1):
        powers[:, e] = powers[:, e - 1] * point % p
    for k in range(n):
        values = values * powers[k, exponents[:, k]] % p
    inverses = np.array([pow(int(v), -1, p) for v in point], dtype=np.int64)
    J = np.zeros((len(coords.polynomials), n), dtype=np.int64)
    for k in range(n):
        live = exponents[:, k] > 0
        contribution = values[live] * exponents[live, k] % p * inverses[k] % p
        np.add.at(J[:, k], rows[live], contribution)
    return J % p
