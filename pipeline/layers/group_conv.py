"""Convolution over the cyclic group ``C_n`` with a full filter: ``(w * h)_g = sum_k w_k h_(g - k mod n)``.

Equivariant ``R^n -> R^n`` (Hendi-Persson-Larfors 2026). Its frames absorb scalars and the cyclic
shifts (``w -> roll(w, s)`` on one side, ``roll(w, -s)`` on the other: circulants commute with
shifts, and an entrywise activation does too). Slug token ``gconv``; in a network file ``gconv: {}``.

EXAMPLES::

    >>> GroupConv().token(), [b.cols for b in GroupConv().blocks(2, 4)]
    ('gconv', [4])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.layers.base import Block, Handle, Layer, fail


def circulant_taps(n: int) -> np.ndarray:
    """The tap of each entry of the ``n x n`` circulant: ``(g - h) mod n`` at ``(g, h)``, the convention of
    every implementation of ``circulant`` (symbolic, mod ``p``, term counts).

    EXAMPLES::

        >>> circulant_taps(3).tolist()
        [[0, 2, 1], [1, 0, 2], [2, 1, 0]]
    """
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return (rows - cols) % n


@dataclass(frozen=True)
class GroupConv(Layer):
    key = "gconv"
    json_schema = {"type": "object", "additionalProperties": False, "properties": {},
                   "description": "a full cyclic filter on the current width"}

    def token(self):
        return "gconv"

    @classmethod
    def from_token(cls, text, slug):
        return cls() if text == "gconv" else None

    @classmethod
    def from_yaml(cls, value, where):
        if value not in ({}, None):
            raise fail(where, f"gconv takes no settings (write gconv: {{}}), got {value!r}")
        return cls()

    def blocks(self, index, width):
        return [Block(f"w{index}", 1, width)]

    def forward(self, ops, weights, h, index, width):
        return ops.matmul(ops.circulant(weights[f"w{index}"], width), h)

    def output_handle(self, index, width):
        return Handle("cyclic", width, rows=(f"w{index}",))

    def input_handle(self, index, width):
        return Handle("cyclic", width, cols=(f"w{index}",))
