"""Entrywise polynomial activation ``sigma(x) = c0 + c1 x + ... + cr x^r`` (integer coefficients).

A monomial ``c x^r`` commutes with rescalings (``sigma(c y) = c^r sigma(y)``), any polynomial with
permutations of the neurons, an odd one with sign flips (``sigma(-y) = -sigma(y)``), and an even
one is blind to them (``sigma(-y) = sigma(y)``); :mod:`pipeline.layers.interfaces` turns this into the
symmetries between the layers on either side.

Slug token ``p<c0>-<c1>-...-<cr>`` (``m3`` is ``-3``); in a network file ``activation: [c0, ..., cr]``.

EXAMPLES::

    >>> s = Activation((0, 1, 1))          # x + x^2
    >>> s.token(), s.order, s.is_monomial, s.parity
    ('p0-1-1', 2, False, None)
    >>> Activation.monomial(3).token(), Activation((0, 1, 0, 2)).parity
    ('p0-0-0-1', 'odd')
    >>> Activation.from_token("p1-m2", "net_i1_p1-m2").coefficients
    (1, -2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layers.base import Layer, fail

_COEFFICIENT = r"(?:0|m?[1-9][0-9]*)"
COEFFICIENTS = rf"{_COEFFICIENT}(?:-{_COEFFICIENT})*"


def format_coefficients(coefficients) -> str:
    """``(0, -3, 1)`` -> ``'0-m3-1'``."""
    return "-".join(f"m{-c}" if c < 0 else str(c) for c in coefficients)


def parse_coefficients(text: str) -> tuple[int, ...]:
    """``'0-m3-1'`` -> ``(0, -3, 1)``."""
    return tuple(-int(part[1:]) if part.startswith("m") else int(part) for part in text.split("-"))


@dataclass(frozen=True)
class Activation(Layer):
    """``sigma(x) = sum_i coefficients[i] x^i`` entrywise."""

    coefficients: tuple[int, ...]
    key = "activation"
    has_parameters = False
    json_schema = {"type": "array", "items": {"type": "integer"}, "minItems": 2,
                   "description": "coefficients c0, c1, ..., cr of sigma(x) = c0 + c1 x + ... + cr x^r"}

    def __post_init__(self):
        if len(self.coefficients) < 2 or self.coefficients[-1] == 0:
            raise fail(f"activation {list(self.coefficients)}",
                       "give the coefficients c0, c1, ..., cr with cr != 0 and r >= 1 (a constant activation "
                       "makes the network constant), e.g. [0, 1, 1] for x + x^2")

    @classmethod
    def monomial(cls, r: int) -> "Activation":
        return cls((0,) * r + (1,))

    @property
    def order(self) -> int:
        """The degree ``r`` of ``sigma``."""
        return len(self.coefficients) - 1

    @property
    def is_monomial(self) -> bool:
        """Exactly one nonzero coefficient: ``sigma(x) = c x^r``."""
        return sum(1 for c in self.coefficients if c) == 1

    @property
    def is_power(self) -> bool:
        """``sigma(x) = x^r`` exactly (the ``_r`` slugs)."""
        return self.is_monomial and self.coefficients[-1] == 1

    @property
    def is_linear(self) -> bool:
        """``sigma(x) = c x``: it commutes with every change of frame."""
        return self.is_monomial and self.order == 1

    @property
    def parity(self) -> str | None:
        """``'odd'``, ``'even'`` or None (only for non-monomials: a monomial's signs are rescalings)."""
        if self.is_monomial:
            return None
        odd = all(c == 0 for i, c in enumerate(self.coefficients) if i % 2 == 0)
        even = all(c == 0 for i, c in enumerate(self.coefficients) if i % 2 == 1)
        return "odd" if odd else "even" if even else None

    def formula(self) -> str:
        """``sigma`` as text, e.g. ``x + x^2``."""
        terms = []
        for i, c in enumerate(self.coefficients):
            if c:
                power = "" if i == 0 else "x" if i == 1 else f"x^{i}"
                factor = str(c) if (i == 0 or abs(c) != 1) else ("-" if c < 0 else "")
                terms.append(f"{factor}{power}")
        return " + ".join(terms).replace("+ -", "- ")

    def token(self) -> str:
        return "p" + format_coefficients(self.coefficients)

    @classmethod
    def from_token(cls, text: str, slug: str):
        if not re.fullmatch(rf"p{COEFFICIENTS}", text):
            return None
        return cls(parse_coefficients(text[1:]))

    @classmethod
    def from_yaml(cls, value, where: str) -> "Activation":
        if not isinstance(value, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in value):
            raise fail(where, f"activation needs a list of integer coefficients [c0, c1, ..., cr], got {value!r}")
        return cls(tuple(value))

    def forward(self, ops, weights, h, index, width):
        if self.is_power:
            return ops.power(h, self.order)
        return ops.polynomial(h, self.coefficients)

    def degree(self, d: int) -> int:
        return d * self.order

    def homogeneous(self, flag: bool) -> bool:
        return flag and self.is_monomial
