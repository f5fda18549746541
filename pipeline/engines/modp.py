"""Evaluation and reverse-mode differentiation of a network: over ``GF(p)``, over the floats, and over
``GF(p)`` with truncated Taylor (jet) arithmetic.

Nothing is expanded symbolically: the forward pass of a family
(:attr:`Parametrization.network`) runs on batches of numeric matrices, recorded on a tape,
and one backward sweep gives the Jacobian of ``theta |-> (f_theta(x_1), ..., f_theta(x_S))``
at a parameter point (:class:`ModPTape`), a gradient of a loss (:class:`RealTape`), or a
gradient at a *jet* of parameters (:class:`JetTape`). The three tapes share the recording and
the backward sweep (:class:`Tape`) and differ only in their arithmetic.

Arithmetic mod ``p`` is exact: values are integers in ``[0, p)`` stored as ``float64``, the
prime is below ``2^20``, so a product is below ``2^40`` and an inner product of up to ``2^13``
terms is below ``2^53``; longer inner products are cut into chunks. Values carry a leading
batch axis (1 for weights, ``S`` for inputs); adjoints a further leading axis (the ``R``
output entries of a Jacobian, or the jet coefficients).

EXAMPLES::

    >>> import numpy as np
    >>> tape = ModPTape(101)
    >>> A = tape.leaf(np.array([[[2.0, 3.0]]]))          # 1 x 2 weight, batch 1
    >>> x = tape.constant(np.array([[[1.0], [4.0]]]))    # one input sample
    >>> y = tape.power(tape.matmul(A, x), 2)             # (2 + 12)^2 = 196 = 95 mod 101
    >>> int(y.value[0, 0, 0])
    95
    >>> tape.jacobian(y, [A]).tolist()                   # 2 * 14 * (1, 4) mod 101
    [[28, 11]]
"""

from __future__ import annotations

import functools

import numpy as np

from pipeline.layers.group_conv import circulant_taps

MAX_PRIME = 2**20
_CHUNK = 2**13


class Node:
    """A value on the tape: ``value`` of shape ``(..., batch, rows, cols)``."""

    __slots__ = ("value", "parents", "backward", "needs_grad", "adjoint")

    def __init__(self, value, parents=(), backward=None, needs_grad=True):
        self.value = value
        self.parents = parents
        self.backward = backward
        self.needs_grad = needs_grad
        self.adjoint = None

    @property
    def shape(self):
        return self.value.shape[-2:]


class Tape:
    """The :class:`~pipeline.architectures.base.MatrixOps` protocol on a tape, over an arithmetic given by
    the subclass: ``_mm`` (matrix product), ``_mul`` (entrywise product), ``_reduce`` (normal form) and
    ``_lift`` (an array of numbers into a value)."""

    def __init__(self):
        self.nodes: list[Node] = []

    # -- arithmetic, given by the subclass ------------------------------------------
    def _mm(self, a, b):
        raise NotImplementedError

    def _mul(self, a, b):
        raise NotImplementedError

    def _reduce(self, a):
        raise NotImplementedError

    def _lift(self, value):
        raise NotImplementedError

    # -- recording ------------------------------------------------------------------
    def _record(self, value, parents, backward):
        node = Node(value, parents, backward, needs_grad=any(p.needs_grad for p in parents))
        self.nodes.append(node)
        return node

    def leaf(self, value) -> Node:
        """A differentiable input (a parameter block), shape ``(1, rows, cols)``."""
        node = Node(self._lift(value))
        self.nodes.append(node)
        return node

    def constant(self, value) -> Node:
        """A non-differentiable input (the samples), shape ``(S, rows, cols)``."""
        node = Node(self._lift(value), needs_grad=False)
        self.nodes.append(node)
        return node

    # -- the MatrixOps protocol --------------------------------------------------
    def matmul(self, a: Node, b: Node) -> Node:
        def backward(g):
            return (
                self._mm(g, np.swapaxes(b.value, -1, -2)) if a.needs_grad else None,
                self._mm(np.swapaxes(a.value, -1, -2), g) if b.needs_grad else None,
            )

        return self._record(self._mm(a.value, b.value), (a, b), backward)

    def add(self, a: Node, b: Node) -> Node:
        if a.shape != b.shape:
            raise ValueError(f"add: shapes {a.shape} and {b.shape} differ")
        return self._record(self._reduce(a.value + b.value), (a, b), lambda g: (g, g))

    def power(self, a: Node, r: int) -> Node:
        if r == 1:
            return self._record(a.value, (a,), lambda g: (g,))
        below = a.value  # a^(r-1)
        for _ in range(r - 2):
            below = self._mul(below, a.value)
        derivative = self._reduce(r * below)
        return self._record(self._mul(below, a.value), (a,), lambda g: (self._mul(g, derivative),))

    def transpose(self, a: Node) -> Node:
        return self._record(np.swapaxes(a.value, -1, -2), (a,), lambda g: (np.swapaxes(g, -1, -2),))

    def conv_matrix(self, w: Node, n_out: int, n_in: int, stride: int) -> Node:
        """The ``n_out x n_in`` matrix with entry ``(j, stride j + m) = w_m`` (valid convolution)."""
        k = w.shape[1]
        rows = np.repeat(np.arange(n_out), k)
        taps = np.tile(np.arange(k), n_out)
        cols = stride * rows + taps
        value = np.zeros(w.value.shape[:-2] + (n_out, n_in))
        value[..., rows, cols] = w.value[..., 0, taps]

        def backward(g):
            picked = g[..., rows, cols].reshape(g.shape[:-2] + (n_out, k))
            return (self._reduce(picked.sum(axis=-2, keepdims=True)),)

        return self._record(value, (w,), backward)

    def circulant(self, w: Node, n: int) -> Node:
        """The ``n x n`` matrix with entry ``(g, h) = w_((g - h) mod n)`` (cyclic convolution by ``w``)."""
        taps = circulant_taps(n)
        value = w.value[..., 0, taps]

        def backward(g):
            summed = np.zeros(g.shape[:-2] + (1, n))
            for k in range(n):
                summed[..., 0, k] = g[..., taps == k].sum(axis=-1)
            return (self._reduce(summed),)

        return self._record(value, (w,), backward)

    def _one_like(self, value):
        """The constant 1 in the shape of ``value``."""
        return np.ones_like(value)

    def _scalar(self, c: int) -> float:
        """An integer coefficient in the tape's arithmetic (reduced mod ``p`` first where there is one)."""
        p = getattr(self, "p", None)
        return float(int(c) % p) if p else float(c)

    def polynomial(self, a: Node, coefficients) -> Node:
        """``sum_i coefficients[i] a^i`` entrywise."""
        one = self._one_like(a.value)
        powers = [one, a.value]
        for _ in range(len(coefficients) - 2):
            powers.append(self._mul(powers[-1], a.value))
        value = self._reduce(sum(self._reduce(self._scalar(c) * powers[i]) for i, c in enumerate(coefficients) if c))
        derivative = self._reduce(sum(self._reduce(self._scalar(i * c) * powers[i - 1])
                                      for i, c in enumerate(coefficients) if c and i))
        return self._record(value, (a,), lambda g: (self._mul(g, derivative),))

    # -- differentiation -----------------------------------------------------------
    def backward(self, output: Node, seed: np.ndarray) -> None:
        """One reverse sweep from ``output`` with adjoint ``seed`` (shape ``(..., batch, rows, cols)``); every
        node's ``adjoint`` is then broadcast to the seed's leading axes."""
        lead = seed.shape[:-2]
        for node in self.nodes:
            node.adjoint = None
        output.adjoint = seed
        for node in reversed(self.nodes):
            if node.adjoint is None or node.backward is None:
                continue
            for parent, contribution in zip(node.parents, node.backward(node.adjoint)):
                if contribution is None or not parent.needs_grad:
                    continue
                contribution = np.broadcast_to(contribution, lead + parent.shape)
                parent.adjoint = contribution if parent.adjoint is None else self._reduce(parent.adjoint + contribution)

    def leaf_adjoints(self, leaves: list[Node], lead: tuple) -> list[np.ndarray]:
        """The adjoints of ``leaves`` after :meth:`backward`, shape ``lead + leaf shape`` (zero if unreached)."""
        return [np.zeros(lead + leaf.shape) if leaf.adjoint is None else np.broadcast_to(leaf.adjoint, lead + leaf.shape)
                for leaf in leaves]


class ModPTape(Tape):
    """Matrix operations mod ``p < 2^20``, exact in ``float64``."""

    def __init__(self, p: int):
        if not 2 < p < MAX_PRIME:
            raise ValueError(f"the evaluation backend needs a prime below 2^20, got {p}")
        super().__init__()
        self.p = p

    def _mm(self, a, b):
        """Exact ``a @ b mod p`` for arrays of residues (chunked inner dimension)."""
        k = a.shape[-1]
        if k <= _CHUNK:
            return np.matmul(a, b) % self.p
        total = None
        for start in range(0, k, _CHUNK):
            part = np.matmul(a[..., start : start + _CHUNK], b[..., start : start + _CHUNK, :]) % self.p
            total = part if total is None else (total + part) % self.p
        return total

    def _mul(self, a, b):
        return (a * b) % self.p

    def _reduce(self, a):
        return a % self.p

    def _lift(self, value):
        return np.asarray(value, dtype=np.float64) % self.p

    def jacobian(self, output: Node, leaves: list[Node]) -> np.ndarray:
        """Rows: (output entry, sample) pairs; columns: the entries of ``leaves`` in order.

        Returns an ``int64`` array of residues mod ``p``.
        """
        batch = output.value.shape[0]
        rows, cols = output.shape
        outputs = rows * cols
        seed = np.zeros((outputs, batch, rows, cols))
        for r in range(outputs):
            seed[r, :, r // cols, r % cols] = 1.0
        self.backward(output, seed)
        blocks = [adjoint.reshape(outputs * batch, -1) for adjoint in self.leaf_adjoints(leaves, (outputs, batch))]
        return (np.concatenate(blocks, axis=1) % self.p).astype(np.int64)


class RealTape(Tape):
    """Matrix operations in floating point (``float64``), for gradient flows.

    EXAMPLES::

        >>> tape = RealTape()
        >>> A = tape.leaf(np.array([[[2.0, 3.0]]]))
        >>> y = tape.power(tape.matmul(A, tape.constant(np.array([[[1.0], [4.0]]]))), 2)
        >>> float(y.value[0, 0, 0]), tape.gradient(y, [A], np.ones((1, 1, 1)))[0].tolist()
        (196.0, [[28.0, 112.0]])
    """

    def _mm(self, a, b):
        return np.matmul(a, b)

    def _mul(self, a, b):
        return a * b

    def _reduce(self, a):
        return a

    def _lift(self, value):
        return np.asarray(value, dtype=np.float64)

    def gradient(self, output: Node, leaves: list[Node], seed: np.ndarray) -> list[np.ndarray]:
        """``sum over samples of <seed, d output / d leaf>``: one array of each leaf's shape."""
        batch = output.value.shape[0]
        self.backward(output, np.broadcast_to(seed, (1, batch) + output.shape))
        return [adjoint[0].sum(axis=0) for adjoint in self.leaf_adjoints(leaves, (1, batch))]


@functools.lru_cache(maxsize=None)
def subset_pairs(variables: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The products of a jet in ``variables`` nilpotent variables: every ``(S, T, S - T)`` with ``T`` a subset of
    ``S`` (bit masks), sorted by ``S``, and the start of each ``S`` in that order.

    EXAMPLES::

        >>> [a.tolist() for a in subset_pairs(1)]
        [[0, 1, 1], [0, 0, 1], [0, 1, 0], [0, 1]]
    """
    triples = [(s, t, s ^ t) for s in range(2**variables) for t in range(2**variables) if t & s == t]
    whole, part, rest = (np.array(column, dtype=np.int64) for column in zip(*triples))
    starts = np.searchsorted(whole, np.arange(2**variables))
    return whole, part, rest, starts


class JetTape(Tape):
    """Matrix operations mod ``p`` on *jets*: truncated Taylor polynomials in ``m`` nilpotent variables
    ``e_1, ..., e_m`` with ``e_i^2 = 0``, stored as a leading axis of ``2^m`` coefficients (the bit mask of a
    coefficient names its monomial). A product of jets is the subset convolution of their coefficients,
    so a network run on a jet of parameters ``theta + e_1 v_1 + ...`` gives its mixed first-order
    derivatives in the directions ``v_i`` exactly.

    EXAMPLES::

        >>> tape = JetTape(101, 1)
        >>> a = tape.leaf(np.array([[[[3.0]]], [[[1.0]]]]))        # 3 + e
        >>> y = tape.power(a, 2)                                   # 9 + 6 e
        >>> y.value.reshape(-1).tolist()
        [9.0, 6.0]
    """

    def __init__(self, p: int, variables: int):
        if not 2 < p < MAX_PRIME:
            raise ValueError(f"the jet backend needs a prime below 2^20, got {p}")
        super().__init__()
        self.p = p
        self.size = 2**variables
        self.whole, self.part, self.rest, self.starts = subset_pairs(variables)

    def _convolve(self, product, a, b):
        terms = product(a[self.part], b[self.rest]) % self.p
        return np.add.reduceat(terms, self.starts, axis=0) % self.p

    def _mm(self, a, b):
        if a.shape[-1] > _CHUNK:
            raise ValueError(f"jet products support inner dimensions up to {_CHUNK}, got {a.shape[-1]}")
        return self._convolve(np.matmul, a, b)

    def _mul(self, a, b):
        return self._convolve(np.multiply, a, b)

    def _reduce(self, a):
        return a % self.p

    def _lift(self, value):
        """Numbers as a constant jet."""
        value = np.asarray(value, dtype=np.float64) % self.p
        jet = np.zeros((self.size,) + value.shape)
        jet[0] = value
        return jet

    def _one_like(self, value):
        one = np.zeros_like(value)
        one[0] = 1
        return one

    def leaf(self, value) -> Node:
        """A differentiable jet input: coefficients of shape ``(2^m, 1, rows, cols)``."""
        node = Node(np.asarray(value, dtype=np.float64) % self.p)
        self.nodes.append(node)
        return node

    def gradient(self, output: Node, leaves: list[Node], seed: np.ndarray) -> list[np.ndarray]:
        """The jet of ``sum over samples of <seed, d output / d leaf>`` (``seed``: numbers of the output's
        shape per sample): one array of shape ``(2^m,) + leaf shape`` per leaf."""
        batch = output.value.shape[1]
        jet_seed = np.zeros((self.size, batch) + output.shape)
        jet_seed[0] = seed
        self.backward(output, jet_seed)
        return [adjoint.sum(axis=1) % self.p for adjoint in self.leaf_adjoints(leaves, (self.size, batch))]


def run_network(tape: Tape, param, blocks: dict, samples: np.ndarray) -> tuple[list[Node], Node]:
    """``param.network`` on ``tape``: the leaves of the parameter blocks (``blocks``: name -> the value the
    tape's ``leaf`` takes), in block order, and the output node for ``samples``."""
    leaves = [tape.leaf(blocks[b.name]) for b in param.blocks]
    out = param.network(tape, {b.name: leaf for b, leaf in zip(param.blocks, leaves)}, tape.constant(samples))
    return leaves, out


def evaluate_network(param, weights: dict, samples: np.ndarray, p: int, *, with_jacobian: bool = True):
    """Run ``param.network`` mod ``p`` at ``weights`` (block arrays) on ``samples``.

    INPUT:

    - ``param``: a :class:`~pipeline.architectures.base.Parametrization`;
    - ``weights``: block name -> integer array of the block's shape;
    - ``samples``: integer array of shape ``(S,) + param.input_shape``;
    - ``p``: a prime below ``2^20``.

    OUTPUT: ``(values, jacobian)``; ``values`` of shape ``(S,) + output_shape``,
    ``jacobian`` with ``n_outputs * S`` rows and ``param.params`` columns (or None).

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> m = parametrization("linear_w2-1-1")
        >>> values, J = evaluate_network(m, {"W1": np.array([[2, 3]]), "W2": np.array([[5]])},
        ...                              np.array([[[1], [1]]]), 101)
        >>> int(values[0, 0, 0]), J.tolist()
        (25, [[5, 5, 5]])
    """
    tape = ModPTape(p)
    leaves, out = run_network(tape, param, {name: np.asarray(w)[None, :, :] for name, w in weights.items()}, samples)
    values = out.value.astype(np.int64)
    if not with_jacobian:
        return values, None
    return values, tape.jacobian(out, leaves)


def evaluate_many(param, weight_batches: dict, samples: np.ndarray, p: int, chunk_entries: int = 2 * 10**6):
    """Run ``param.network`` mod ``p`` for ``W`` weight points at once (no Jacobian).

    ``weight_batches`` maps each block name to an integer array of shape ``(W, rows, cols)``;
    the result has shape ``(W, S) + output_shape``. Weight points go through the forward pass
    together (numpy broadcasting), in chunks of about ``chunk_entries / S`` points.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> m = parametrization("linear_w2-1-1")
        >>> many = {"W1": np.array([[[2, 3]], [[1, 1]]]), "W2": np.array([[[5]], [[7]]])}
        >>> evaluate_many(m, many, np.array([[[1], [1]]]), 101)[:, 0, 0, 0].tolist()
        [25, 14]
    """
    count = len(next(iter(weight_batches.values())))
    step = max(1, chunk_entries // max(1, len(samples)))
    parts = []
    for start in range(0, count, step):
        chunk = {name: np.asarray(batch[start : start + step])[:, None, :, :] for name, batch in weight_batches.items()}
        _, out = run_network(ModPTape(p), param, chunk, samples)
        parts.append(np.broadcast_to(out.value, (min(step, count - start), len(samples)) + out.shape))
    return np.concatenate(parts).astype(np.int64)


def gradient_at_jet(param, theta_jet: np.ndarray, samples: np.ndarray, seed: np.ndarray, p: int) -> np.ndarray:
    """The gradient field of ``g(theta) = sum_s <seed_s, f_theta(x_s)>`` at a jet of parameters, mod ``p``.

    ``theta_jet`` has shape ``(2^m, N)`` (jet coefficients of the flat parameter vector), ``samples``
    shape ``(S,) + input_shape``, ``seed`` shape ``(S,) + output_shape``; the result has shape ``(2^m, N)``.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> m = parametrization("linear_w2-1-1")                  # f = W2 W1 x
        >>> jet = np.array([[2, 3, 5], [1, 0, 0]])                # theta + e (1, 0, 0)
        >>> gradient_at_jet(m, jet, np.array([[[1], [1]]]), np.array([[[1]]]), 101).tolist()
        [[5, 5, 5], [0, 0, 1]]
    """
    size = theta_jet.shape[0]
    tape = JetTape(p, size.bit_length() - 1)
    blocks = {name: block[:, None] for name, block in param.split(theta_jet).items()}  # (2^m, 1, rows, cols)
    leaves, out = run_network(tape, param, blocks, samples)
    grads = tape.gradient(out, leaves, seed)
    return np.concatenate([g.reshape(size, -1) for g in grads], axis=1).astype(np.int64)
