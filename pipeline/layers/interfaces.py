"""The known symmetries between two layers, from their handles and the activation between them.

Between a layer whose output frame absorbs ``g`` (``left``) and one whose input frame absorbs
``g^-1`` (``right``), with an activation ``sigma`` or none between them (``k`` neurons):

===========================  ===================================  ===================================
``sigma``                    continuous part                      discrete part (modulo it)
===========================  ===================================  ===================================
none, or ``c x``             ``GL(k)`` (both linear), else         cyclic shifts (both cyclic)
                             ``C^*`` (``c``, ``c^-1``)
monomial ``c x^r``, r >= 2   ``(C^*)^k`` neuron rescalings         ``S_k`` (both linear); cyclic shifts
                             (``c``, ``c^-r``); ``C^*`` if scalar
any other polynomial         none                                 ``S_k``; sign flips if ``sigma`` is odd
                                                                  (both sides) or even (left side);
                                                                  cyclic shifts
===========================  ===================================  ===================================

This is what is *known*, not always all there is: two group convolutions without an activation
compose to one circulant, whose factorizations form a larger group (the units of the group
algebra) than the one scalar declared here; the fiber invariant then reports the difference.

A :class:`Symmetry` is a continuous factor (its group coordinates, action and Lie algebra); a
:class:`Site` is a finite group of symmetries, enumerated; the known discrete group is the product
of the sites (:func:`enumerate_images`).

EXAMPLES::

    >>> from pipeline.layers.activation import Activation
    >>> left, right = Handle("linear", 3, rows=("W1",)), Handle("linear", 3, cols=("W2",))
    >>> continuous, sites = between(left, right, Activation.monomial(2), "1")
    >>> continuous.label, continuous.dim, [s.label for s in sites]
    ('hidden-neuron rescalings', 3, ['S_3'])
    >>> continuous, sites = between(left, right, Activation((0, 1, 0, 1)), "1")   # x + x^3: odd
    >>> continuous, [(s.label, s.order) for s in sites]
    (None, [('S_3', 6), ('(Z_2)^3', 8)])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations, product
from math import factorial
from typing import Callable

import numpy as np

from pipeline.layers.base import Handle

#: Order in which the continuous factors are named in a group's label.
CATEGORIES = ("heads-gl", "heads", "gl", "neurons", "filters")
_CATEGORY_WORDS = {"heads": "", "neurons": "hidden-neuron rescalings ", "filters": "filter rescalings "}


@dataclass(frozen=True)
class Symmetry:
    """A continuous factor of the known group: ``factors`` ``((name, n), ...)`` of ``GL(n)`` copies,
    ``act(weights, group)`` (Sage) and ``tangents(weights, p)`` (numpy, mod p)."""

    category: str
    label: str
    dim: int
    factors: tuple
    act: Callable = field(repr=False)
    tangents: Callable = field(repr=False)


@dataclass(frozen=True)
class Site:
    """A finite group of known symmetries, all of whose elements ``images(weights)`` lists."""

    category: str
    label: str
    order: int
    images: Callable = field(repr=False)


def merge_tangents(*parts: dict, p: int) -> dict:
    out: dict = {}
    for part in parts:
        for name, value in part.items():
            out[name] = value % p if name not in out else (out[name] + value) % p
    return out


def elementary_matrices(k: int):
    """The basis ``E_ab`` of the Lie algebra of ``GL(k)``, row by row.

    EXAMPLES::

        >>> [E.tolist() for E in elementary_matrices(1)]
        [[[1]]]
    """
    for a in range(k):
        for b in range(k):
            E = np.zeros((k, k), dtype=np.int64)
            E[a, b] = 1
            yield E


def general_linear(left: Handle, right: Handle, name: str) -> Symmetry:
    """``GL(k)``: ``g`` on the left handle, ``g^-1`` on the right one."""
    k = left.width

    def act(weights, group):
        g, h = group[name]
        return right.act(left.act(weights, g), h)

    def tangents(weights, p):
        return [merge_tangents(left.tangent(weights, E, p), right.tangent(weights, -E, p), p=p)
                for E in elementary_matrices(k)]

    return Symmetry("gl", f"GL({k})", k * k, ((name, k),), act, tangents)


def rescalings(left: Handle, right: Handle, name: str, r: int) -> Symmetry:
    """One ``c`` per neuron (``c`` on the left, ``c^-r`` on the right), or one for a scalar handle."""
    if left.kind != "linear" or right.kind != "linear":
        def act(weights, group):
            g, h = group[name]
            return right.act(left.act(weights, g), h**r)

        def tangents(weights, p):
            one = np.ones((1, 1), dtype=np.int64)
            return [merge_tangents(left.tangent(weights, one, p), right.tangent(weights, -r * one, p), p=p)]

        return Symmetry("filters", "(C^*)", 1, ((name, 1),), act, tangents)
    k = left.width
    names = [f"{name}_{j + 1}" for j in range(k)]

    def act_torus(weights, group):
        from sage.all import diagonal_matrix

        g = diagonal_matrix([group[n][0][0, 0] for n in names])
        h = diagonal_matrix([group[n][1][0, 0] ** r for n in names])
        return right.act(left.act(weights, g), h)

    def tangents_torus(weights, p):
        out = []
        for j in range(k):
            E = np.zeros((k, k), dtype=np.int64)
            E[j, j] = 1
            out.append(merge_tangents(left.tangent(weights, E, p), right.tangent(weights, -r * E, p), p=p))
        return out

    return Symmetry("neurons", "hidden-neuron rescalings", k, tuple((n, 1) for n in names), act_torus, tangents_torus)


def neuron_permutations(left: Handle, right: Handle) -> Site:
    k = left.width
    return Site("perm", f"S_{k}", factorial(k),
                lambda w: [right.permute(left.permute(w, order), order) for order in permutations(range(k))])


def sign_flips(left: Handle, right: Handle, both: bool) -> Site:
    linear = left.kind == "linear" and right.kind == "linear"
    k = left.width if linear else 1

    def images(weights):
        out = []
        for signs in product((1, -1), repeat=k):
            image = left.negate(weights, signs)
            out.append(right.negate(image, signs) if both else image)
        return out

    return Site("signs", f"(Z_2)^{k}" if linear else "Z_2", 2**k, images)


def cyclic_shifts(left: Handle, right: Handle) -> Site:
    n = left.width
    return Site("shifts", f"C_{n}", n, lambda w: [right.shift(left.shift(w, s), s) for s in range(n)])


def between(left: Handle, right: Handle, sigma, name: str) -> tuple[Symmetry | None, list[Site]]:
    """The continuous factor (or None) and the discrete sites between two handles (module docstring)."""
    linear = left.kind == "linear" and right.kind == "linear"
    shifts = [cyclic_shifts(left, right)] if left.kind == right.kind == "cyclic" and left.width > 1 else []
    if sigma is None or sigma.is_linear:
        continuous = general_linear(left, right, f"g{name}") if linear else rescalings(left, right, f"c{name}", 1)
        return continuous, shifts
    perms = [neuron_permutations(left, right)] if linear else []
    if sigma.is_monomial:
        return rescalings(left, right, f"c{name}", sigma.order), perms + shifts
    signs = [sign_flips(left, right, both=sigma.parity == "odd")] if sigma.parity else []
    return None, perms + signs + shifts


def enumerate_images(weights: dict, sites: list[Site]) -> list[dict]:
    """Every image of ``weights`` under the product of the sites (the first site varies slowest)."""
    images = [weights]
    for site in sites:
        images = [image for w in images for image in site.images(w)]
    return images


def group_label(symmetries: list[Symmetry]) -> str:
    """``GL(2) x (C^*)^1 x GL(3)``-style name of the continuous group, factors grouped by category.

    EXAMPLES::

        >>> left, right = Handle("linear", 2, rows=("W1",)), Handle("linear", 2, cols=("W2",))
        >>> group_label([general_linear(left, right, "g1"), general_linear(left, right, "g2")])
        'GL(2) x GL(2)'
        >>> group_label([])
        'trivial'
    """
    parts = []
    for category in CATEGORIES:
        members = [s for s in symmetries if s.category == category]
        if not members:
            continue
        if category in _CATEGORY_WORDS:
            parts.append(f"{_CATEGORY_WORDS[category]}(C^*)^{sum(s.dim for s in members)}")
        else:
            parts += [s.label for s in members]
    return " x ".join(parts) or "trivial"


def discrete_label(sites: list[Site]) -> str:
    """Name of the known discrete group (neuron permutations first)."""
    perms = [s.label for s in sites if s.category == "perm"]
    parts = [" x ".join(perms) + " (hidden-neuron permutations)"] if perms else []
    words = {"signs": "sign flips", "shifts": "cyclic shifts", "heads": "head permutations"}
    for category, word in words.items():
        members = [s.label for s in sites if s.category == category]
        if members:
            parts.append(" x ".join(members) + f" ({word})")
    return " x ".join(parts) or "trivial"
