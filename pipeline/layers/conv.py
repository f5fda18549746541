"""One-channel 1-D valid convolution with stride: ``(C_w h)_j = sum_m w_m h_(s j + m)``.

From a stream of length ``n`` it gives length ``(n - k) / s + 1`` (``k`` the filter size, ``s`` the
stride; ``n - k`` must be a multiple of ``s``). Its frames absorb only scalars (``w -> c w``).
Slug token ``conv<k>s<s>``; in a network file ``conv: {filter: 3, stride: 1}``.

EXAMPLES::

    >>> Conv(3, 2).output_width(7, 1, "here"), Conv(3, 2).token()
    (3, 'conv3s2')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layers.base import Block, Handle, Layer, fail, positive_int


@dataclass(frozen=True)
class Conv(Layer):
    filter: int
    stride: int = 1
    key = "conv"
    json_schema = {"type": "object", "additionalProperties": False, "required": ["filter"],
                   "properties": {"filter": {"type": "integer", "minimum": 1},
                                  "stride": {"type": "integer", "minimum": 1}}}

    def token(self):
        return f"conv{self.filter}s{self.stride}"

    @classmethod
    def from_token(cls, text, slug):
        match = re.fullmatch(r"conv([1-9][0-9]*)s([1-9][0-9]*)", text)
        return None if match is None else cls(int(match[1]), int(match[2]))

    @classmethod
    def from_yaml(cls, value, where):
        if not isinstance(value, dict):
            raise fail(where, f"conv needs {{filter: k, stride: s}}, got {value!r}")
        return cls(positive_int(value.get("filter"), "filter size", where),
                   positive_int(value.get("stride", 1), "stride", where))

    def output_width(self, width, tokens, where):
        if width < self.filter or (width - self.filter) % self.stride:
            raise fail(where, f"a filter of size {self.filter} with stride {self.stride} does not fit a signal of "
                              f"length {width} (need length = stride * (output - 1) + filter)")
        return (width - self.filter) // self.stride + 1

    def blocks(self, index, width):
        return [Block(f"w{index}", 1, self.filter)]

    def forward(self, ops, weights, h, index, width):
        n_out = self.output_width(width, 1, "conv")
        return ops.matmul(ops.conv_matrix(weights[f"w{index}"], n_out, width, self.stride), h)

    def output_handle(self, index, width):
        return Handle("scalar", 1, rows=(f"w{index}",))

    def input_handle(self, index, width):
        return Handle("scalar", 1, cols=(f"w{index}",))

    def internal_strata(self, index, width):
        """A zero first or last tap: a shorter filter (the signal shifts)."""
        if self.filter < 2:
            return []
        return [(f"filter {index}: first tap zero", {f"w{index}": [(0, 0)]}),
                (f"filter {index}: last tap zero", {f"w{index}": [(0, self.filter - 1)]})]
