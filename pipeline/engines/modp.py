"""Evaluation and reverse-mode differentiation of a network over ``GF(p)``.

Nothing is expanded symbolically: the forward pass of a family
(:attr:`Parametrization.network`) runs on batches of numeric matrices mod ``p``,
recorded on a tape, and one backward sweep gives the Jacobian of
``theta |-> (f_theta(x_1), ..., f_theta(x_S))`` at a parameter point.

Arithmetic is exact: values are integers in ``[0, p)`` stored as ``float64``, the
prime is below ``2^20``, so a product is below ``2^40`` and an inner product of up
to ``2^13`` terms is below ``2^53``; longer inner products are cut into chunks.
Values carry a leading batch axis (1 for weights, ``S`` for inputs); adjoints a
further leading axis over the ``R`` output entries.

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

import numpy as np

MAX_PRIME = 2**20
_CHUNK = 2**13


class Node:
    """A value on the tape: ``value`` of shape ``(batch, rows, cols)``."""

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


class ModPTape:
    """Matrix operations mod ``p`` (the :class:`~pipeline.architectures.base.MatrixOps` protocol)."""

    def __init__(self, p: int):
        if not 2 < p < MAX_PRIME:
            raise ValueError(f"the evaluation backend needs a prime below 2^20, got {p}")
        self.p = p
        self.nodes: list[Node] = []

    # -- arithmetic ---------------------------------------------------------------
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

    def _record(self, value, parents, backward):
        node = Node(value, parents, backward, needs_grad=any(p.needs_grad for p in parents))
        self.nodes.append(node)
        return node

    def leaf(self, value) -> Node:
        """A differentiable input (a parameter block), shape ``(1, rows, cols)``."""
        node = Node(np.asarray(value, dtype=np.float64) % self.p)
        self.nodes.append(node)
        return node

    def constant(self, value) -> Node:
        """A non-differentiable input (the samples), shape ``(S, rows, cols)``."""
        node = Node(np.asarray(value, dtype=np.float64) % self.p, needs_grad=False)
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
        return self._record((a.value + b.value) % self.p, (a, b), lambda g: (g, g))

    def power(self, a: Node, r: int) -> Node:
        value = np.ones_like(a.value)
        for _ in range(r - 1):
            value = (value * a.value) % self.p
        derivative = (r * value) % self.p  # r a^(r-1)
        return self._record((value * a.value) % self.p, (a,), lambda g: ((g * derivative) % self.p,))

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
            return (picked.sum(axis=-2, keepdims=True) % self.p,)

        return self._record(value, (w,), backward)

    # -- differentiation -----------------------------------------------------------
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
        for node in self.nodes:
            node.adjoint = None
        output.adjoint = seed
        for node in reversed(self.nodes):
            if node.adjoint is None or node.backward is None:
                continue
            for parent, contribution in zip(node.parents, node.backward(node.adjoint)):
                if contribution is None or not parent.needs_grad:
                    continue
                contribution = np.broadcast_to(contribution, (outputs, batch) + parent.shape)
                parent.adjoint = contribution if parent.adjoint is None else (parent.adjoint + contribution) % self.p
        blocks = []
        for leaf in leaves:
            adjoint = leaf.adjoint if leaf.adjoint is not None else np.zeros((outputs, batch) + leaf.shape)
            blocks.append(np.broadcast_to(adjoint, (outputs, batch) + leaf.shape).reshape(outputs * batch, -1))
        return (np.concatenate(blocks, axis=1) % self.p).astype(np.int64)


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
    leaves = [tape.leaf(np.asarray(weights[b.name])[None, :, :]) for b in param.blocks]
    nodes = {b.name: leaf for b, leaf in zip(param.blocks, leaves)}
    out = param.network(tape, nodes, tape.constant(samples))
    values = out.value.astype(np.int64)
    if not with_jacobian:
        return values, None
    return values, tape.jacobian(out, leaves)
