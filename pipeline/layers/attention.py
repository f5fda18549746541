"""Lightning self-attention layer with ``H`` heads: ``X |-> sum_h V_h X X^T K_h^T Q_h X``.

``X`` is ``d x t`` (``d`` the stream width, ``t`` tokens); head ``h`` has ``Q_h, K_h`` of size
``a x d`` and ``V_h`` of size ``d' x d`` (Henry-Marchetti-Kohn 2025; several heads: their sum).
Cubic in ``X``. Its output frame absorbs any ``g`` (``V_h -> g V_h``), its input frame any ``g^-1``
(``Q_h, K_h, V_h -> (.) g^-1``, since ``X X^T`` becomes ``g X X^T g^T``). Each head has its own
``GL(a)`` (``Q -> A Q``, ``K -> A^-T K``) and rescaling (``V -> s V``, ``Q -> Q / s``); equal heads can
be permuted. Slug token ``attn<d'>a<a>`` (``attn<d'>a<a>h<H>`` with ``H > 1`` heads); in a network
file ``attention: {dim: 1, keys: 2, heads: 2}``.

EXAMPLES::

    >>> [b.name for b in Attention(1, 2).blocks(1, 2)]
    ['Q1', 'K1', 'V1']
    >>> [b.name for b in Attention(1, 2, heads=2).blocks(1, 2)][:4]
    ['Q1h1', 'K1h1', 'V1h1', 'Q1h2']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import permutations
from math import factorial

from pipeline.layers.base import Block, Handle, Layer, fail, positive_int
from pipeline.layers.interfaces import Site, Symmetry, elementary_matrices


@dataclass(frozen=True)
class Attention(Layer):
    dim: int
    keys: int
    heads: int = 1
    key = "attention"
    json_schema = {"type": "object", "additionalProperties": False, "required": ["dim", "keys"],
                   "properties": {"dim": {"type": "integer", "minimum": 1}, "keys": {"type": "integer", "minimum": 1},
                                  "heads": {"type": "integer", "minimum": 1}}}

    def token(self):
        return f"attn{self.dim}a{self.keys}" + (f"h{self.heads}" if self.heads > 1 else "")

    @classmethod
    def from_token(cls, text, slug):
        match = re.fullmatch(r"attn([1-9][0-9]*)a([1-9][0-9]*)(?:h([2-9]|[1-9][0-9]+))?", text)  # one head: no h
        if match is None:
            return None
        return cls(int(match[1]), int(match[2]), int(match[3] or 1))

    @classmethod
    def from_yaml(cls, value, where):
        if not isinstance(value, dict):
            raise fail(where, f"attention needs {{dim: d, keys: a, heads: H}}, got {value!r}")
        return cls(positive_int(value.get("dim"), "attention dim", where),
                   positive_int(value.get("keys"), "key dim", where),
                   positive_int(value.get("heads", 1), "number of heads", where))

    def head_names(self, index):
        """``(Q, K, V)`` block names of each head."""
        if self.heads == 1:
            return [(f"Q{index}", f"K{index}", f"V{index}")]
        return [(f"Q{index}h{j}", f"K{index}h{j}", f"V{index}h{j}") for j in range(1, self.heads + 1)]

    def output_width(self, width, tokens, where):
        return self.dim

    def blocks(self, index, width):
        return [Block(name, rows, width) for names in self.head_names(index)
                for name, rows in zip(names, (self.keys, self.keys, self.dim))]

    def forward(self, ops, weights, X, index, width):
        gram = ops.matmul(X, ops.transpose(X))
        out = None
        for q, k, v in self.head_names(index):
            attention = ops.matmul(ops.transpose(weights[k]), weights[q])
            head = ops.matmul(ops.matmul(weights[v], gram), ops.matmul(attention, X))
            out = head if out is None else ops.add(out, head)
        return out

    def degree(self, d):
        return 3 * d

    def output_handle(self, index, width):
        return Handle("linear", self.dim, rows=tuple(v for _, _, v in self.head_names(index)))

    def input_handle(self, index, width):
        return Handle("linear", width, cols=tuple(name for names in self.head_names(index) for name in names))

    def internal_symmetries(self, index, width):
        out = []
        for j, (q, k, v) in enumerate(self.head_names(index)):
            suffix = "" if self.heads == 1 else f"h{j + 1}"
            out += [key_frames(q, k, self.keys, f"A{index}{suffix}"), head_rescaling(q, v, f"s{index}{suffix}")]
        return out

    def internal_sites(self, index, width):
        if self.heads < 2:
            return []
        names = self.head_names(index)

        def images(weights):
            out = []
            for order in permutations(range(self.heads)):
                image = dict(weights)
                for target, source in zip(names, order):
                    for t, s in zip(target, names[source]):
                        image[t] = weights[s]
                out.append(image)
            return out

        return [Site("heads", f"S_{self.heads}", factorial(self.heads), images)]

    def internal_strata(self, index, width):
        """A head's last key dimension removed (its rows of ``Q`` and ``K`` zero)."""
        out = []
        for j, (q, k, _) in enumerate(self.head_names(index)):
            where = f"layer {index}" + ("" if self.heads == 1 else f" head {j + 1}")
            zeros = {q: [(self.keys - 1, c) for c in range(width)], k: [(self.keys - 1, c) for c in range(width)]}
            out.append((f"{where}: key dim {self.keys} -> {self.keys - 1}", zeros))
        return out


def key_frames(q: str, k: str, a: int, name: str) -> Symmetry:
    """``GL(a)`` on a head's keys: ``Q -> A Q``, ``K -> A^-T K``."""

    def act(weights, group):
        A, A_inv = group[name]
        return dict(weights, **{q: A * weights[q], k: A_inv.transpose() * weights[k]})

    def tangents(weights, p):
        return [{q: (E @ weights[q]) % p, k: (-E.T @ weights[k]) % p} for E in elementary_matrices(a)]

    return Symmetry("heads-gl", f"GL({a})", a * a, ((name, a),), act, tangents)


def head_rescaling(q: str, v: str, name: str) -> Symmetry:
    """``V -> s V``, ``Q -> Q / s``."""

    def act(weights, group):
        s, s_inv = group[name]
        return dict(weights, **{v: s[0, 0] * weights[v], q: s_inv[0, 0] * weights[q]})

    def tangents(weights, p):
        return [{v: weights[v] % p, q: (-weights[q]) % p}]

    return Symmetry("heads", "(C^*)", 1, ((name, 1),), act, tangents)
