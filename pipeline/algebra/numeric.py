"""Polynomial maps evaluated in complex floating point, for many points at once.

A :class:`PolynomialMap` holds ``m`` polynomials in ``n`` variables as a table of distinct
monomials (each monomial as its variables and exponents, padded to a fixed number of slots)
and a sparse coefficient matrix. It evaluates the values, the Jacobian and a weighted sum of
Hessians at a batch of ``P`` points with a handful of vectorized array operations, which is
what a path tracker that moves every path at once needs (:mod:`pipeline.engines.tracker`).

The coordinate polynomials of a network are sparse (a linear net's are bilinear with ``k``
terms each), so the cost of one evaluation is about the number of terms times the number of
variables in a term, per point.

EXAMPLES::

    >>> from sage.all import QQ, PolynomialRing
    >>> R = PolynomialRing(QQ, "a,b")
    >>> a, b = R.gens()
    >>> F = PolynomialMap.from_sage([a**2 * b - 3, a + b], R)
    >>> X = np.array([[1.0, 2.0], [2.0, 1.0j]])
    >>> F.values(X).round(12).tolist()
    [[(-1+0j), (3+0j)], [(-3+4j), (2+1j)]]
    >>> F.jacobian(X)[1].round(12).tolist()               # [[2ab, a^2], [1, 1]] at (2, i)
    [[4j, (4+0j)], [(1+0j), (1+0j)]]
    >>> F.weighted_hessian(X, np.array([[1.0, 0.0], [1.0, 5.0]]))[0].real.tolist()   # Hess(a^2 b) at (1, 2)
    [[4.0, 2.0], [2.0, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class PolynomialMap:
    """``m`` polynomials in ``n`` variables: monomial slots, coefficients and the derivative scatter maps.

    ``variables``, ``powers``: ``(T, S)`` variable index and exponent in each slot of each of the
    ``T`` distinct monomials (padding: variable 0, exponent 0); ``coefficients``: ``(m, T)`` sparse.
    """

    n: int
    variables: np.ndarray
    powers: np.ndarray
    coefficients: sp.csr_matrix
    jacobian_scatter: sp.csr_matrix  # (m*n, T*S): Jacobian entry <- slot derivatives
    hessian_scatter: sp.csr_matrix  # (n*n, T*S*S): Hessian entry <- slot pairs, per monomial weight
    coefficients_t: sp.csr_matrix  # (T, m): the coefficients transposed, kept (a transpose per call costs)

    @property
    def m(self) -> int:
        return self.coefficients.shape[0]

    @classmethod
    def from_terms(cls, n: int, terms: list[dict]) -> "PolynomialMap":
        """From ``terms[i] = {exponent tuple: complex coefficient}`` for each polynomial ``i``."""
        index: dict = {}
        rows, cols, data = [], [], []
        for i, poly in enumerate(terms):
            for exp, c in poly.items():
                key = tuple(int(e) for e in exp)
                rows.append(i)
                cols.append(index.setdefault(key, len(index)))
                data.append(complex(c))
        monomials = list(index) or [tuple([0] * n)]
        slots = max(1, max(sum(1 for e in mono if e) for mono in monomials))
        T = len(monomials)
        variables = np.zeros((T, slots), dtype=np.int64)
        powers = np.zeros((T, slots), dtype=np.int64)
        for t, mono in enumerate(monomials):
            support = [(j, e) for j, e in enumerate(mono) if e]
            for k, (j, e) in enumerate(support):
                variables[t, k], powers[t, k] = j, e
        C = sp.csr_matrix((data, (rows, cols)), shape=(len(terms), T), dtype=complex)
        return cls(n, variables, powers, C, _jacobian_scatter(C, variables, powers, n).T.tocsr(),
                   _hessian_scatter(variables, powers, n).T.tocsr(), C.T.tocsr())

    @classmethod
    def from_sage(cls, polynomials, ring) -> "PolynomialMap":
        """From Sage polynomials over ``QQ`` (or a ring whose coefficients convert to ``complex``)."""
        n = ring.ngens()
        terms = []
        for f in polynomials:
            f = ring(f)
            terms.append({tuple(e): complex(c) for e, c in f.dict().items()})
        return cls.from_terms(n, terms)

    # ------------------------------------------------------------ evaluation

    def _slot_values(self, X):
        """Per point, monomial and slot: ``x_v^e`` and ``e x_v^(e-1)`` (``(P, T, S)`` each)."""
        top = int(self.powers.max()) if self.powers.size else 0
        P = X.shape[0]
        table = np.ones((P, self.n, top + 1), dtype=complex)
        for e in range(1, top + 1):
            table[:, :, e] = table[:, :, e - 1] * X
        value = table[:, self.variables, self.powers]
        lower = table[:, self.variables, np.maximum(self.powers - 1, 0)] * self.powers
        return value, lower

    def _monomials(self, X):
        value, lower = self._slot_values(X)
        return np.prod(value, axis=2), value, lower

    def values(self, X) -> np.ndarray:
        """``(P, m)``: the polynomials at each row of ``X``."""
        M, _, _ = self._monomials(np.asarray(X, dtype=complex))
        return np.asarray((self.coefficients @ M.T).T)

    def jacobian(self, X, with_values: bool = False):
        """``(P, m, n)``: the Jacobian at each row of ``X`` (and the values first, with ``with_values``)."""
        X = np.asarray(X, dtype=complex)
        M, value, lower = self._monomials(X)
        derivatives = lower * _others(value)  # (P, T, S): d monomial / d slot variable
        P = X.shape[0]
        J = (self.jacobian_scatter @ derivatives.reshape(P, -1).T).reshape(self.m, self.n, P).transpose(2, 0, 1)
        return (np.asarray((self.coefficients @ M.T).T), J) if with_values else J

    def weighted_hessian(self, X, W) -> np.ndarray:
        """``(P, n, n)``: ``sum_i W[p, i] Hess f_i`` at each row ``p`` of ``X``."""
        X = np.asarray(X, dtype=complex)
        value, lower = self._slot_values(X)
        P, T, S = value.shape
        second = _second_slot_derivatives(X, self.variables, self.powers, value, lower)  # (P, T, S, S)
        weights = np.asarray((self.coefficients_t @ np.asarray(W, dtype=complex).T).T)  # (P, T)
        flat = (second * weights[:, :, None, None]).reshape(P, -1)
        return (self.hessian_scatter @ flat.T).T.reshape(P, self.n, self.n)


def _others(value):
    """``prod_{k != s} value[..., k]`` for each slot ``s`` (prefix and suffix products, no division)."""
    S = value.shape[-1]
    prefix = np.ones_like(value)
    suffix = np.ones_like(value)
    for s in range(1, S):
        prefix[..., s] = prefix[..., s - 1] * value[..., s - 1]
        suffix[..., S - 1 - s] = suffix[..., S - s] * value[..., S - s]
    return prefix * suffix


def _second_slot_derivatives(X, variables, powers, value, lower):
    """``d^2 monomial / d slot_a d slot_b`` as ``(P, T, S, S)``."""
    P, T, S = value.shape
    out = np.zeros((P, T, S, S), dtype=complex)
    top = int(powers.max()) if powers.size else 0
    table = np.ones((P, X.shape[1], top + 1), dtype=complex)
    for e in range(1, top + 1):
        table[:, :, e] = table[:, :, e - 1] * X
    diagonal = table[:, variables, np.maximum(powers - 2, 0)] * (powers * (powers - 1))
    for a in range(S):
        for b in range(S):
            product = diagonal[..., a] if a == b else lower[..., a] * lower[..., b]
            for k in range(S):
                if k not in (a, b):
                    product = product * value[..., k]
            out[:, :, a, b] = product
    return out


def _jacobian_scatter(C, variables, powers, n):
    """Sparse ``(T*S, m*n)``: the slot ``(t, s)`` derivative enters row ``i`` column ``variables[t, s]`` times ``C[i, t]``."""
    T, S = variables.shape
    Ccsc = C.tocsc()
    rows, cols, data = [], [], []
    for t in range(T):
        start, end = Ccsc.indptr[t], Ccsc.indptr[t + 1]
        for s in range(S):
            if powers[t, s] == 0:
                continue
            for i, c in zip(Ccsc.indices[start:end], Ccsc.data[start:end]):
                rows.append(t * S + s)
                cols.append(i * n + variables[t, s])
                data.append(c)
    return sp.csr_matrix((data, (rows, cols)), shape=(T * S, C.shape[0] * n), dtype=complex)


def _hessian_scatter(variables, powers, n):
    """Sparse ``(T*S*S, n*n)``: the slot pair ``(t, a, b)`` enters the Hessian entry ``(v_a, v_b)``."""
    T, S = variables.shape
    rows, cols = [], []
    for t in range(T):
        for a in range(S):
            for b in range(S):
                if powers[t, a] == 0 or powers[t, b] == 0 or (a == b and powers[t, a] < 2):
                    continue
                rows.append((t * S + a) * S + b)
                cols.append(variables[t, a] * n + variables[t, b])
    return sp.csr_matrix((np.ones(len(rows), dtype=complex), (rows, cols)), shape=(T * S * S, n * n))
