"""Primes, random points and ranks over ``GF(p)``.

Random points are drawn from the whole field (small integers hit special
points and under-report ranks). Every choice is derived from an explicit seed.

EXAMPLES::

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> p = choose_prime(rng, 2**19, 2**20)
    >>> 2**19 <= p < 2**20 and is_prime(p)
    True
    >>> rank_mod_p(np.array([[1, 2], [2, 4]]), 101)
    1
"""

from __future__ import annotations

import numpy as np
from sage.all import GF, PolynomialRing, is_prime, matrix, next_prime  # noqa: F401  (is_prime used in doctests)

SYMBOLIC_PRIME_RANGE = (2**30, 2**31)
EVALUATION_PRIME_RANGE = (2**19, 2**20)
#: Primes for Groebner computations (Singular, msolve and Macaulay2 all handle them natively).
GROEBNER_PRIME_RANGE = (2**28, 2**29)


def choose_prime(rng: np.random.Generator, low: int, high: int) -> int:
    """A prime drawn uniformly-ish from ``[low, high)`` with ``rng``."""
    p = int(next_prime(int(rng.integers(low, high))))
    return p if p < high else int(next_prime(low))


def random_residues(rng: np.random.Generator, p: int, size) -> np.ndarray:
    """Uniform nonzero residues mod ``p``."""
    return rng.integers(1, p, size=size, dtype=np.int64)


def matmul_mod_p(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """Exact ``a @ b mod p`` for residues and ``p < 2^20`` (float64 BLAS, chunked inner products)."""
    if p >= 2**20:
        raise ValueError("matmul_mod_p needs p < 2^20 for exact float64 products")
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    total = np.zeros((a.shape[0], b.shape[1]))
    chunk = 2**13
    for start in range(0, a.shape[1], chunk):
        total = (total + (a[:, start : start + chunk] @ b[start : start + chunk]) % p) % p
    return total.astype(np.int64)


def rank_mod_p(values: np.ndarray, p: int, rng: np.random.Generator | None = None) -> int:
    """Rank of an integer matrix over ``GF(p)`` (LinBox through Sage).

    A very oblong matrix (one side more than 1.5 times the other) is first
    multiplied by a random matrix over ``GF(p)`` on its long side, down to the
    short side plus 8 (needs ``p < 2^20`` and ``rng``): the rank is unchanged unless
    the random matrix is special, which has probability of order ``p^-8``,
    negligible next to the choice of the point.

    EXAMPLES::

        >>> rng = np.random.default_rng(0)
        >>> tall = rng.integers(0, 101, size=(40, 3)) @ rng.integers(0, 101, size=(3, 5))
        >>> rank_mod_p(tall, 1009, rng), rank_mod_p(tall, 1009)
        (3, 3)
    """
    values = np.asarray(values, dtype=np.int64) % p
    if values.size == 0:
        return 0
    rows, cols = values.shape
    short, long = min(rows, cols), max(rows, cols)
    if rng is not None and p < 2**20 and long > 1.5 * short + 8:
        mixer = rng.integers(0, p, size=(long, short + 8), dtype=np.int64)
        values = matmul_mod_p(values, mixer, p) if cols == long else matmul_mod_p(mixer.T, values, p)
        rows, cols = values.shape
    return int(matrix(GF(p), rows, cols, values.ravel().tolist()).rank())


def polynomial_ring(field, names, order="degrevlex"):
    """A *multivariate* polynomial ring over ``field`` (also for one variable, unlike ``PolynomialRing``).

    EXAMPLES::

        >>> R = polynomial_ring(GF(7), ["x"])
        >>> R.ideal([R.gen(0) ** 2]).dimension(), R.ngens()
        (0, 1)
    """
    names = list(names)
    return PolynomialRing(field, len(names), names, order=order)
