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
from sage.all import GF, is_prime, matrix, next_prime  # noqa: F401  (is_prime used in doctests)

SYMBOLIC_PRIME_RANGE = (2**30, 2**31)
EVALUATION_PRIME_RANGE = (2**19, 2**20)


def choose_prime(rng: np.random.Generator, low: int, high: int) -> int:
    """A prime drawn uniformly-ish from ``[low, high)`` with ``rng``."""
    p = int(next_prime(int(rng.integers(low, high))))
    return p if p < high else int(next_prime(low))


def random_residues(rng: np.random.Generator, p: int, size) -> np.ndarray:
    """Uniform nonzero residues mod ``p``."""
    return rng.integers(1, p, size=size, dtype=np.int64)


def rank_mod_p(values: np.ndarray, p: int) -> int:
    """Rank of an integer matrix over ``GF(p)`` (LinBox through Sage).

    The rank of a matrix with more columns than rows is computed on the
    transpose-free side that is smaller.
    """
    values = np.asarray(values, dtype=np.int64) % p
    if values.size == 0:
        return 0
    rows, cols = values.shape
    return int(matrix(GF(p), rows, cols, values.ravel().tolist()).rank())
