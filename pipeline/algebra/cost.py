"""Cost estimates of the two ways to differentiate a network, for choosing between them.

:func:`expansion_terms` bounds the number of terms of the expanded outputs (in the weights and
the inputs jointly) by running the forward pass on *term counts*: a product of sums has at most
the product of their term counts, a sum at most their sum, and the ``r``-th power of a sum of
``t`` terms at most ``binomial(t + r - 1, r)`` terms. No cancellation or merging is assumed, so
it is an upper bound, exact for linear nets. :func:`evaluation_work` counts the multiply-adds of
one forward pass on one sample. Both are pure arithmetic on the sizes (no Sage, no expansion).

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> expansion_terms(parametrization("linear_w3-2-3"))     # 3 outputs of 2 x 3 terms
    18.0
    >>> expansion_terms(parametrization("mlp_w2-2-1_r2"))     # 2 x binomial(2 + 1, 2)
    6.0
    >>> evaluation_work(parametrization("linear_w3-2-3"))
    12.0
"""

from __future__ import annotations

from math import exp, inf, lgamma

import numpy as np

from pipeline.layers.group_conv import circulant_taps


def _binomial_terms(t: float, r: int) -> float:
    if t <= 0:
        return 0.0
    log = lgamma(t + r) - lgamma(r + 1) - lgamma(t)
    return round(exp(log)) if log < 700 else inf


_power_array = np.frompyfunc(_binomial_terms, 2, 1)


def _power_terms(t: np.ndarray, r: int) -> np.ndarray:
    """``binomial(t + r - 1, r)`` (monomials of degree ``r`` in ``t`` terms), as floats.

    EXAMPLES::

        >>> _power_terms(np.array([[3.0], [0.0]]), 2).tolist()
        [[6.0], [0.0]]
    """
    return _power_array(np.asarray(t, dtype=np.float64), r).astype(np.float64)


class TermCounts:
    """The :class:`~pipeline.architectures.base.MatrixOps` protocol on term counts (float arrays)."""

    def matmul(self, a, b):
        return np.matmul(a, b)

    def add(self, a, b):
        return a + b

    def power(self, a, r):
        return _power_terms(a, r)

    def transpose(self, a):
        return np.swapaxes(a, -1, -2)

    def conv_matrix(self, w, n_out, n_in, stride):
        conv = np.zeros(w.shape[:-2] + (n_out, n_in))
        for j in range(n_out):
            conv[..., j, stride * j : stride * j + w.shape[-1]] = w[..., 0, :]
        return conv

    def circulant(self, w, n):
        return w[..., 0, circulant_taps(n)]

    def polynomial(self, a, coefficients):
        return sum((_power_terms(a, i) if i else np.ones_like(a)) for i, c in enumerate(coefficients) if c)


class MultiplyAdds:
    """The protocol on shapes, counting the multiply-adds of a forward pass in :attr:`work`."""

    def __init__(self):
        self.work = 0.0

    def matmul(self, a, b):
        self.work += a.shape[-2] * a.shape[-1] * b.shape[-1]
        return np.zeros(a.shape[:-1] + b.shape[-1:])

    def add(self, a, b):
        self.work += a.size
        return a

    def power(self, a, r):
        self.work += a.size * max(r - 1, 0)
        return a

    def transpose(self, a):
        return np.swapaxes(a, -1, -2)

    def conv_matrix(self, w, n_out, n_in, stride):
        return np.zeros(w.shape[:-2] + (n_out, n_in))

    def circulant(self, w, n):
        return np.zeros(w.shape[:-2] + (n, n))

    def polynomial(self, a, coefficients):
        self.work += a.size * 2 * (len(coefficients) - 1)
        return a


def _run(param, ops, fill):
    weights = {b.name: np.full((b.rows, b.cols), fill) for b in param.blocks}
    return param.network(ops, weights, np.full(param.input_shape, fill))


def expansion_terms(param) -> float:
    """Upper bound on the number of terms of the expanded outputs of ``param`` (module docstring)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.nan_to_num(_run(param, TermCounts(), 1.0), nan=np.inf).sum())


def evaluation_work(param) -> float:
    """Multiply-adds of one forward pass of ``param`` on one sample."""
    ops = MultiplyAdds()
    _run(param, ops, 0.0)
    return ops.work
