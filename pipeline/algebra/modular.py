"""Primes, random points and ranks over ``GF(p)``.

Random points are drawn from the whole field (small integers hit special
points and under-report ranks). Every choice is derived from an explicit seed.
Nothing here imports Sage until it is needed: primes come from a deterministic
Miller-Rabin test and ranks from FLINT (python-flint), so that a small dimension
computation starts in a fraction of a second.

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

import flint
import numpy as np

SYMBOLIC_PRIME_RANGE = (2**30, 2**31)
EVALUATION_PRIME_RANGE = (2**19, 2**20)
#: Primes for Groebner computations (Singular, msolve and Macaulay2 all handle them natively).
GROEBNER_PRIME_RANGE = (2**28, 2**29)


#: Witnesses that make Miller-Rabin deterministic below 3.3 * 10^24.
_WITNESSES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)


def is_prime(n: int) -> bool:
    """Whether ``n`` is prime (deterministic Miller-Rabin; exact below ``3.3 * 10^24``).

    EXAMPLES::

        >>> [n for n in range(30) if is_prime(n)]
        [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
        >>> is_prime(2**31 - 1), is_prime(3215031751)     # a Mersenne prime; a strong pseudoprime to 2, 3, 5, 7
        (True, False)
    """
    if n < 2:
        return False
    for q in _WITNESSES:
        if n % q == 0:
            return n == q
    if n >= 3 * 10**24:
        raise ValueError(f"is_prime is exact below 3.3e24, got {n}")
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in _WITNESSES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def next_prime(n: int) -> int:
    """The smallest prime larger than ``n``.

    EXAMPLES::

        >>> next_prime(7), next_prime(2**19)
        (11, 524309)
    """
    n = int(n) + 1
    while not is_prime(n):
        n += 1
    return n


def choose_prime(rng: np.random.Generator, low: int, high: int) -> int:
    """A prime drawn uniformly-ish from ``[low, high)`` with ``rng``."""
    p = next_prime(int(rng.integers(low, high)))
    return p if p < high else next_prime(low)


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
    """Rank of an integer matrix over ``GF(p)`` (FLINT's ``nmod_mat`` through python-flint; no Sage).

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
    return int(flint.nmod_mat(rows, cols, values.ravel().tolist(), p).rank())


def polynomial_ring(field, names, order="degrevlex"):
    """A *multivariate* polynomial ring over ``field`` (also for one variable, unlike ``PolynomialRing``).

    EXAMPLES::

        >>> from sage.all import GF
        >>> R = polynomial_ring(GF(7), ["x"])
        >>> R.ideal([R.gen(0) ** 2]).dimension(), R.ngens()
        (0, 1)
    """
    from sage.all import PolynomialRing

    names = list(names)
    return PolynomialRing(field, len(names), names, order=order)
