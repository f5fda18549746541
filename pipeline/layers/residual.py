"""Residual block ``x |-> x + V sigma(U x)`` on ``R^d`` (``U`` of size ``h x d``, ``V`` of size ``d x h``).

A block is equivariant (``x -> g x`` with ``U -> U g^-1``, ``V -> g V``), but the identity branch
keeps it from absorbing a change of frame on one side only, so no symmetry is declared across
a block: a dense layer on each side of one shares a ``GL(d)`` that the composition does not
know yet (the fiber then reports those directions as unexplained). In the ``res`` family the
input and output frames are fixed, so nothing is missing there. Inside, ``U`` and ``V`` meet at ``h`` hidden neurons through ``sigma``, with the symmetries of a
dense-activation-dense interface (:func:`pipeline.layers.interfaces.between`). Slug token
``res<h>p<c0>-...-<cr>``; in a network file ``residual: {hidden: 2, activation: [0, 0, 1]}``.

EXAMPLES::

    >>> block = Residual(2, Activation.monomial(2))
    >>> block.token(), [b.name for b in block.blocks(1, 3)], block.degree(1)
    ('res2p0-0-1', ['U1', 'V1'], 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layers.activation import COEFFICIENTS, Activation, parse_coefficients
from pipeline.layers.base import Block, Handle, Layer, fail, positive_int
from pipeline.layers.interfaces import between


@dataclass(frozen=True)
class Residual(Layer):
    hidden: int
    activation: Activation
    key = "residual"
    json_schema = {"type": "object", "additionalProperties": False, "required": ["hidden", "activation"],
                   "properties": {"hidden": {"type": "integer", "minimum": 1},
                                  "activation": Activation.json_schema}}

    def token(self):
        return f"res{self.hidden}{self.activation.token()}"

    @classmethod
    def from_token(cls, text, slug):
        match = re.fullmatch(rf"res([1-9][0-9]*)p({COEFFICIENTS})", text)
        if match is None:
            return None
        return cls(int(match[1]), Activation(parse_coefficients(match[2])))

    @classmethod
    def from_yaml(cls, value, where):
        if not isinstance(value, dict):
            raise fail(where, f"residual needs {{hidden: h, activation: [c0, ..., cr]}}, got {value!r}")
        return cls(positive_int(value.get("hidden"), "hidden width", where),
                   Activation.from_yaml(value.get("activation"), where))

    def blocks(self, index, width):
        return [Block(f"U{index}", self.hidden, width), Block(f"V{index}", width, self.hidden)]

    def forward(self, ops, weights, h, index, width):
        inner = self.activation.forward(ops, weights, ops.matmul(weights[f"U{index}"], h), index, width)
        return ops.add(h, ops.matmul(weights[f"V{index}"], inner))

    def degree(self, d):
        return d * self.activation.order

    def homogeneous(self, flag):
        return flag and self.activation.is_linear

    def hidden_handles(self, index):
        return (Handle("linear", self.hidden, rows=(f"U{index}",), neurons=True),
                Handle("linear", self.hidden, cols=(f"V{index}",), neurons=True))

    def internal_symmetries(self, index, width):
        continuous, _ = between(*self.hidden_handles(index), self.activation, f"r{index}")
        return [continuous] if continuous else []

    def internal_sites(self, index, width):
        return between(*self.hidden_handles(index), self.activation, f"r{index}")[1]

    def internal_strata(self, index, width):
        if self.hidden < 2:
            return []
        zeros = {f"U{index}": [(self.hidden - 1, c) for c in range(width)],
                 f"V{index}": [(r, self.hidden - 1) for r in range(width)]}
        return [(f"block {index}: hidden width {self.hidden} -> {self.hidden - 1}", zeros)]
