"""What every layer kind gives: parameter blocks, a forward pass, and handles for its symmetries.

A network is a list of layers on a stream of ``width x tokens`` matrices. A layer with parameters
says how a linear change of frame of its output stream (``output_handle``) or of its input stream
(``input_handle``) is absorbed by its parameters; :mod:`pipeline.layers.interfaces` composes the two
handles on either side of an activation into the known symmetries between two layers. A layer's own
symmetries (an attention head's ``GL(a)``) come from ``internal_*``.

A :class:`Handle` is *linear* (any ``g`` in ``GL(k)`` is absorbed: dense and attention layers),
*scalar* (only ``c * identity``: one-channel convolutions) or *cyclic* (scalars and the cyclic
shifts: group convolutions). ``neurons`` marks the handles whose coordinates are neurons that
can be removed (a subnetwork).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from pipeline.errors import SlugError


@dataclass(frozen=True)
class Block:
    """A named parameter matrix of shape ``rows x cols``."""

    name: str
    rows: int
    cols: int

    @property
    def size(self) -> int:
        return self.rows * self.cols

    def entry_names(self) -> list[list[str]]:
        """Names of the entries, 1-based: ``W1_2_3``; vectors use one index (``w1_2``).

        EXAMPLES::

            >>> Block("W1", 2, 2).entry_names()
            [['W1_1_1', 'W1_1_2'], ['W1_2_1', 'W1_2_2']]
            >>> Block("w1", 1, 3).entry_names()
            [['w1_1', 'w1_2', 'w1_3']]
        """
        if self.rows == 1:
            return [[f"{self.name}_{j + 1}" for j in range(self.cols)]]
        if self.cols == 1:
            return [[f"{self.name}_{i + 1}"] for i in range(self.rows)]
        return [[f"{self.name}_{i + 1}_{j + 1}" for j in range(self.cols)] for i in range(self.rows)]


@dataclass(frozen=True)
class Handle:
    """The parameter blocks through which a layer absorbs a change of frame of one of its streams.

    ``rows``: blocks multiplied on the left (a change of the output frame); ``cols``: blocks
    multiplied on the right (a change of the input frame); ``kind``: see the module docstring.
    """

    kind: str
    width: int
    rows: tuple[str, ...] = ()
    cols: tuple[str, ...] = ()
    neurons: bool = False

    def _as_matrix(self, M) -> bool:
        """Whether ``M`` acts as a matrix: a linear handle given a ``k x k`` element (a ``1 x 1`` one, as
        between a dense layer and a convolution, is a scalar: ``c`` times the identity)."""
        rows = M.nrows() if hasattr(M, "nrows") else np.shape(M)[0]
        return self.kind == "linear" and rows == self.width

    # -- the group action (Sage matrices) ----------------------------------------
    def act(self, weights: dict, M) -> dict:
        """``B -> M B`` on the row blocks and ``B -> B M`` on the column blocks (``M[0, 0] B`` if not linear)."""
        out, matrix = dict(weights), self._as_matrix(M)
        for name in self.rows:
            out[name] = M * out[name] if matrix else M[0, 0] * out[name]
        for name in self.cols:
            out[name] = out[name] * M if matrix else M[0, 0] * out[name]
        return out

    # -- its Lie algebra at a point (numpy, mod p) ---------------------------------
    def tangent(self, weights: dict, E: np.ndarray, p: int) -> dict:
        """The derivative of :meth:`act` at the identity in the direction ``E``, at ``weights``."""
        out, matrix = {}, self._as_matrix(E)
        for name in self.rows:
            out[name] = (E @ weights[name] if matrix else E[0, 0] * weights[name]) % p
        for name in self.cols:
            out[name] = (weights[name] @ E if matrix else E[0, 0] * weights[name]) % p
        return out

    # -- discrete symmetries (numpy) -------------------------------------------
    def permute(self, weights: dict, order) -> dict:
        """Reorder the coordinates of the stream (rows of the row blocks, columns of the column blocks)."""
        out = dict(weights)
        for name in self.rows:
            out[name] = weights[name][list(order), :]
        for name in self.cols:
            out[name] = weights[name][:, list(order)]
        return out

    def negate(self, weights: dict, signs) -> dict:
        """Multiply coordinate ``j`` of the stream by ``signs[j]`` (one sign for a scalar handle)."""
        out = dict(weights)
        signs = np.asarray(signs)
        for name in self.rows:
            out[name] = weights[name] * (signs[:, None] if self.kind == "linear" else signs[0])
        for name in self.cols:
            out[name] = weights[name] * (signs[None, :] if self.kind == "linear" else signs[0])
        return out

    def shift(self, weights: dict, steps: int) -> dict:
        """Cyclic filters: ``w -> roll(w, steps)`` on the row blocks, ``roll(w, -steps)`` on the column blocks."""
        out = dict(weights)
        for name in self.rows:
            out[name] = np.roll(weights[name], steps, axis=-1)
        for name in self.cols:
            out[name] = np.roll(weights[name], -steps, axis=-1)
        return out

    def zero_coordinates(self, coordinates: set[int], shapes: dict) -> dict:
        """Zero pattern that removes the given coordinates of the stream; ``shapes``: block name -> ``(rows, cols)``."""
        zeros = {}
        for name in self.rows:
            zeros[name] = [(j, c) for j in sorted(coordinates) for c in range(shapes[name][1])]
        for name in self.cols:
            zeros[name] = [(r, j) for r in range(shapes[name][0]) for j in sorted(coordinates)]
        return zeros


class Layer:
    """A layer kind: a frozen dataclass with the methods below (the defaults fit a parameter-free layer).

    ``key``: the layer's name in network files and in ``net_`` slugs; ``token``/``from_token``: its
    part of a ``net_`` slug; ``from_yaml``: its entry of a network file; ``json_schema``: that entry's
    schema.
    """

    key: ClassVar[str] = ""
    json_schema: ClassVar[dict] = {}
    has_parameters: ClassVar[bool] = True

    # -- names -----------------------------------------------------------------
    def token(self) -> str:
        raise NotImplementedError

    @classmethod
    def from_token(cls, text: str, slug: str) -> "Layer | None":
        """The layer a slug token names, or None if the token is not of this kind."""
        raise NotImplementedError

    @classmethod
    def from_yaml(cls, value, where: str) -> "Layer":
        raise NotImplementedError

    # -- shapes ------------------------------------------------------------------
    def output_width(self, width: int, tokens: int, where: str) -> int:
        """The stream width after the layer; raise :class:`SlugError` (naming ``where``) if it does not fit."""
        return width

    def blocks(self, index: int, width: int) -> list[Block]:
        return []

    def forward(self, ops, weights: dict, h, index: int, width: int):
        return h

    def degree(self, d: int) -> int:
        return d

    def homogeneous(self, flag: bool) -> bool:
        return flag

    # -- symmetries ------------------------------------------------------------------
    def output_handle(self, index: int, width: int) -> Handle | None:
        return None

    def input_handle(self, index: int, width: int) -> Handle | None:
        return None

    def internal_symmetries(self, index: int, width: int) -> list:
        """The layer's own continuous symmetries: :class:`pipeline.layers.interfaces.Symmetry` objects."""
        return []

    def internal_sites(self, index: int, width: int) -> list:
        """The layer's own discrete symmetries: :class:`pipeline.layers.interfaces.Site` objects."""
        return []

    def internal_strata(self, index: int, width: int) -> list:
        """The layer's own subnetwork loci: ``(label, zero pattern)`` pairs."""
        return []


def fail(where: str, problem: str) -> SlugError:
    return SlugError(f"{where}: {problem}")


def positive_int(value, what: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(where, f"{what} must be a positive integer, got {value!r}")
    return value
