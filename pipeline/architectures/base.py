"""The parametrization record shared by every family.

A :class:`Parametrization` describes the polynomial map ``mu : theta |-> f_theta``
without committing to a backend: the family gives

- the parameter blocks (named matrices) and the input shape;
- ``network(ops, weights, X)``, the forward pass written against a tiny set of
  matrix operations (:class:`MatrixOps`), so that the *same* definition is run
  symbolically in Sage (coordinate polynomials) and numerically over ``GF(p)``
  with reverse-mode differentiation (evaluation-based Jacobians);
- ``group_factors`` and ``act(weights, group)``: the known continuous symmetry
  group as a product of ``GL(n)`` factors and its polynomial action (each factor
  given with its inverse, so the action needs no division), and the order of the
  known discrete symmetries modulo it (``discrete_order``);
- ``symmetry_tangents(weights, p)``: the infinitesimal generators of the known
  continuous symmetry group, evaluated at a parameter point (vectors tangent to
  the fiber), whose rank at a random point is the generic orbit dimension;
- closed forms for the parameter count, the ambient dimension (number of
  monomial coefficients of the output) and the degree in the inputs.

Function-space coordinates are the coefficients of every output entry in the
monomial basis of the input entries.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from math import comb
from typing import Callable, Protocol

import numpy as np

from pipeline.layers.base import Block  # noqa: F401 (re-exported: the blocks of a parametrization)


class MatrixOps(Protocol):
    """The operations a forward pass may use; implemented symbolically and mod p."""

    def matmul(self, a, b): ...

    def add(self, a, b): ...

    def power(self, a, r: int): ...

    def transpose(self, a): ...

    def conv_matrix(self, w, n_out: int, n_in: int, stride: int): ...

    def circulant(self, w, n: int): ...

    def polynomial(self, a, coefficients): ...


Tangent = dict  # block name -> numpy array of the block's shape


@dataclass(frozen=True)
class Parametrization:
    """The polynomial parametrization of one architecture (see the module docstring)."""

    arch: object
    blocks: tuple[Block, ...]
    input_shape: tuple[int, int]
    output_shape: tuple[int, int]
    degree: int
    homogeneous: bool
    network: Callable = field(repr=False)
    symmetry_tangents: Callable = field(repr=False)
    symmetry_group: str = ""
    symmetry_group_dim: int = 0
    conventions: str = field(default="", repr=False)
    group_factors: tuple = ()  # ((name, n), ...): the known continuous group is the product of GL(n)
    act: Callable | None = field(default=None, repr=False)  # act(weights, group) with group[name] = (g, g^-1)
    # () -> the order of the known discrete symmetries modulo the continuous group (None: 1); a function, so
    # that a wide layer's factorial is computed only when used (``discrete_order``)
    discrete_order_of: Callable | None = field(default=None, repr=False)
    discrete_group: str = "trivial"
    discrete_images: Callable | None = field(default=None, repr=False)  # weights -> all images (numpy)
    strata: tuple = ()  # ((label, subnetwork slug or None, {block: [(row, col), ...] set to zero}), ...)
    subnetwork_slug: Callable | None = field(default=None, repr=False)  # zero pattern -> slug of the subnetwork or None

    @property
    def slug(self) -> str:
        return self.arch.slug

    @functools.cached_property
    def discrete_order(self) -> int:
        """Order of the known discrete symmetries modulo the continuous group (1 if none)."""
        return 1 if self.discrete_order_of is None else self.discrete_order_of()

    @property
    def params(self) -> int:
        """Number of parameters ``N``."""
        return sum(b.size for b in self.blocks)

    @property
    def parameter_names(self) -> list[str]:
        """Entry names, block by block, row-major: the order of every parameter vector."""
        return [name for b in self.blocks for row in b.entry_names() for name in row]

    @property
    def n_inputs(self) -> int:
        return self.input_shape[0] * self.input_shape[1]

    @property
    def n_outputs(self) -> int:
        return self.output_shape[0] * self.output_shape[1]

    @property
    def input_names(self) -> list[list[str]]:
        rows, cols = self.input_shape
        if cols == 1:
            return [[f"x{i + 1}"] for i in range(rows)]
        return [[f"x{i + 1}_{j + 1}" for j in range(cols)] for i in range(rows)]

    @property
    def ambient_dim(self) -> int:
        """Outputs times the number of monomials of the output degree (``<=`` it with biases)."""
        n, d = self.n_inputs, self.degree
        monomials = comb(n + d - 1, d) if self.homogeneous else comb(n + d, d)
        return self.n_outputs * monomials

    def split(self, vector) -> dict:
        """Cut a flat parameter vector into the blocks (numpy arrays); leading axes are kept, so a stack of
        vectors of shape ``(..., N)`` gives blocks of shape ``(..., rows, cols)``.

        EXAMPLES::

            >>> from pipeline.architectures import parametrization
            >>> m = parametrization("linear_w2-1-1")
            >>> {name: block.shape for name, block in m.split(np.zeros((4, 3))).items()}
            {'W1': (4, 1, 2), 'W2': (4, 1, 1)}
        """
        vector = np.asarray(vector)
        out, start = {}, 0
        for b in self.blocks:
            out[b.name] = vector[..., start : start + b.size].reshape(vector.shape[:-1] + (b.rows, b.cols))
            start += b.size
        return out

    def flatten(self, blocks: dict) -> np.ndarray:
        """Inverse of :meth:`split`; missing blocks are zero."""
        parts = []
        for b in self.blocks:
            value = blocks.get(b.name)
            parts.append(np.zeros(b.size, dtype=np.int64) if value is None else np.asarray(value).reshape(-1))
        return np.concatenate(parts)

    def tangent_matrix(self, weights: dict, p: int) -> np.ndarray:
        """Rows: the symmetry generators at ``weights``, flattened, reduced mod ``p``."""
        rows = [self.flatten(t) % p for t in self.symmetry_tangents(weights, p)]
        if not rows:
            return np.zeros((0, self.params), dtype=np.int64)
        return np.vstack(rows).astype(np.int64)


def zero_rows(zeros: dict, block: "Block") -> set[int]:
    """Rows of ``block`` that a zero pattern sets entirely to zero."""
    entries = set(map(tuple, zeros.get(block.name, ())))
    return {i for i in range(block.rows) if all((i, j) in entries for j in range(block.cols))}


def zero_cols(zeros: dict, block: "Block") -> set[int]:
    """Columns of ``block`` that a zero pattern sets entirely to zero."""
    entries = set(map(tuple, zeros.get(block.name, ())))
    return {j for j in range(block.cols) if all((i, j) in entries for i in range(block.rows))}


def merge_zeros(*patterns: dict) -> dict:
    """The union of zero patterns (``{block: [(row, col), ...]}``), entries sorted."""
    merged: dict = {}
    for pattern in patterns:
        for name, entries in pattern.items():
            merged.setdefault(name, set()).update(map(tuple, entries))
    return {name: sorted(entries) for name, entries in merged.items()}


def subnetworks(param: "Parametrization", max_combined: int = 2) -> list[tuple[str, str | None, dict]]:
    """Subnetwork loci: every stratum of the family and every union of up to ``max_combined`` of them.

    Each is ``(label, slug of the subnetwork or None, zero pattern)``; unions whose pattern
    repeats an earlier one are dropped.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> [slug for _, slug, _ in subnetworks(parametrization("linear_w4-3-2-4"))]
        ['linear_w4-2-2-4', 'linear_w4-3-1-4', 'linear_w4-2-1-4']
    """
    from itertools import combinations

    seen, out = set(), []
    for size in range(1, max_combined + 1):
        for combo in combinations(param.strata, size):
            zeros = merge_zeros(*(z for _, _, z in combo))
            key = tuple(sorted((name, tuple(entries)) for name, entries in zeros.items()))
            if key in seen:
                continue
            seen.add(key)
            label = " + ".join(label for label, _, _ in combo)
            slug = param.subnetwork_slug(zeros) if param.subnetwork_slug else (combo[0][1] if size == 1 else None)
            if slug is not None and not _valid_slug(slug):
                slug = None
            out.append((label, slug, zeros))
    return out


def _valid_slug(slug: str) -> bool:
    from pipeline.errors import SlugError
    from pipeline.spec import parse_slug

    try:
        parse_slug(slug)
    except SlugError:
        return False
    return True
