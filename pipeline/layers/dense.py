"""Dense layer ``h |-> W h`` (``W`` of size ``width x input width``), affine ``h |-> W h + b`` with a bias.

Its output frame absorbs any ``g`` (``W -> g W``, ``b -> g b``), its input frame any ``g^-1``
(``W -> W g^-1``); its coordinates are neurons. Slug token ``dense<width>`` (``dense<width>b`` with
a bias); in a network file ``dense: 2`` or ``dense: {width: 2, bias: true}``.

EXAMPLES::

    >>> layer = Dense(3, bias=True)
    >>> layer.token(), [b.name for b in layer.blocks(1, 2)]
    ('dense3b', ['W1', 'b1'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layers.base import Block, Handle, Layer, fail, positive_int


@dataclass(frozen=True)
class Dense(Layer):
    width: int
    bias: bool = False
    key = "dense"
    json_schema = {"oneOf": [
        {"type": "integer", "minimum": 1, "description": "output width"},
        {"type": "object", "additionalProperties": False, "required": ["width"],
         "properties": {"width": {"type": "integer", "minimum": 1}, "bias": {"type": "boolean"}}}]}

    def token(self) -> str:
        return f"dense{self.width}" + ("b" if self.bias else "")

    @classmethod
    def from_token(cls, text, slug):
        match = re.fullmatch(r"dense([1-9][0-9]*)(b?)", text)
        return None if match is None else cls(int(match[1]), match[2] == "b")

    @classmethod
    def from_yaml(cls, value, where):
        if isinstance(value, dict):
            return cls(positive_int(value.get("width"), "dense width", where), bool(value.get("bias", False)))
        return cls(positive_int(value, "dense width", where))

    def output_width(self, width, tokens, where):
        if self.bias and tokens > 1:
            raise fail(where, f"a dense layer with a bias needs one token (this network has {tokens}); "
                              "drop the bias or use tokens: 1")
        return self.width

    def blocks(self, index, width):
        out = [Block(f"W{index}", self.width, width)]
        return out + [Block(f"b{index}", self.width, 1)] if self.bias else out

    def forward(self, ops, weights, h, index, width):
        h = ops.matmul(weights[f"W{index}"], h)
        return ops.add(h, weights[f"b{index}"]) if self.bias else h

    def homogeneous(self, flag):
        return flag and not self.bias

    def output_handle(self, index, width):
        rows = (f"W{index}", f"b{index}") if self.bias else (f"W{index}",)
        return Handle("linear", self.width, rows=rows, neurons=True)

    def input_handle(self, index, width):
        return Handle("linear", width, cols=(f"W{index}",), neurons=True)
