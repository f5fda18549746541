"""Architecture slugs: one string names an architecture everywhere.

Grammar (see ``docs/slugs.md``), integers are positive and written without
leading zeros, lists are separated by ``-``:

=====================  ======================================  ===========================
family                 slug                                    meaning
=====================  ======================================  ===========================
linear dense           ``linear_w4-2-3``                       widths k0..kL, input first
polynomial MLP         ``mlp_w2-3-2_r2``, ``mlp_w2-3-2_r2_bias``  widths, exponent r >= 2, biases
polynomial CNN         ``cnn_k3-2_s1-1_r2``                    filter sizes, strides, exponent
linear CNN             ``cnn_k3-2_s1-1_r1``                    the r = 1 case
lightning attention    ``attn_d2-1_a2_t2``, ``attn_d2-2-2_a1-1_t3``  dims d0..dL, key dims a1..aL, tokens t
=====================  ======================================  ===========================

Parsing is strict and ``format_slug(parse_slug(s)) == s`` for every valid slug.

EXAMPLES::

    >>> a = parse_slug("mlp_w2-3-2_r2_bias")
    >>> a
    MLP(widths=(2, 3, 2), r=2, bias=True, poly=())
    >>> a.slug
    'mlp_w2-3-2_r2_bias'
    >>> parse_slug("attn_d2-2-2_a1-1_t3").layers
    2
    >>> parse_slug("cnn_k3-2_s1_r2")
    Traceback (most recent call last):
    ...
    pipeline.errors.SlugError: slug 'cnn_k3-2_s1_r2': 2 filter sizes but 1 strides; give one stride per layer, e.g. cnn_k3-2_s1-1_r2
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipeline.errors import SlugError
from pipeline.layers.activation import (
    COEFFICIENTS,
    Activation,
    format_coefficients,
    parse_coefficients,
)

FAMILIES = ("linear", "mlp", "cnn", "attn", "res", "gcnn", "net")

#: Slug examples of each family, for ``neuromanifold list`` and the error messages' hints.
FAMILY_EXAMPLES = {
    "linear": "linear_w4-2-3 (widths, input first)",
    "mlp": "mlp_w2-3-2_r2, mlp_w2-3-2_r2_bias (widths, activation x^r, optional biases)",
    "cnn": "cnn_k3-2_s1-1_r2 (1-D, filter sizes, strides, exponent; r1: linear CNN)",
    "attn": "attn_d2-1_a2_t2, attn_d2-2-2_a1-1_t3, attn_d3-1_a2_t2_h2 (embedding dims, key dims, tokens, heads)",
    "res": "res_d2_h2-1_r2, res_d2_h1_p0-1-1 (residual blocks on R^d, hidden widths, activation)",
    "gcnn": "gcnn_c4_l2_r2 (L cyclic-group convolutions on R^n, activation)",
    "net": "net_i3_dense2_p0-0-1_dense1 (any list of layers, as written by a network file)",
}

#: The activation part of mlp, cnn, res and gcnn slugs: ``_r<r>`` (x^r) or ``_p<c0>-..-<cr>`` (``m3`` = -3).
ACTIVATION_HELP = "_r<r> for x^r or _p<c0>-<c1>-..-<cr> for c0 + c1 x + ... + cr x^r (m3 for -3)"

#: Sizes beyond which a slug is refused at once (:func:`check_size`), far above anything the
#: methods can compute (the largest network of the default sweep, the tests and the benchmarks
#: has 20,000 parameters, degree 27 and 1.4e10 coordinates), so only absurd inputs are refused:
#:
#: - ``params``: the evaluation method's Jacobian alone has at least ``3 * params`` entries per
#:   output and is refused above 1e8 entries;
#: - ``degree`` of the output polynomials: the modular methods work over primes from about
#:   ``2^19``, and a polynomial identity of degree ``d`` fails at a random point with probability
#:   up to ``d / p`` (for ``d >= p`` evaluation cannot tell polynomials apart at all);
#: - ``ambient_dim``: the number of coordinates (monomial coefficients of the outputs).
#:
#: Grids (``batch``) and searches (``search filling``) also obey, besides these limits on their
#: largest architecture (:func:`pipeline.execution.batch.check_box`):
#:
#: - ``width_vectors``: the number of hidden-width vectors of a grid or search box;
#: - ``hidden_width``: the largest hidden width of a grid or search box (the search walks every
#:   width sum of its box, one step each, whatever the limits above).
SIZE_LIMITS = {"params": 10**7, "degree": 10**4, "ambient_dim": 10**30, "width_vectors": 5 * 10**6,
               "hidden_width": 1000}

_INT = r"[1-9][0-9]*"
_INTS = rf"{_INT}(?:-{_INT})*"


class Architecture:
    """Base class of the architecture records; subclasses are frozen dataclasses."""

    family: str = ""

    @property
    def slug(self) -> str:
        return format_slug(self)

    def __str__(self) -> str:
        return self.slug


@dataclass(frozen=True, repr=True)
class LinearNet(Architecture):
    """Linear dense network ``x |-> W_L ... W_1 x`` with widths ``k0 (input), ..., kL``."""

    widths: tuple[int, ...]
    family = "linear"

    @property
    def layers(self) -> int:
        return len(self.widths) - 1


@dataclass(frozen=True, repr=True)
class MLP(Architecture):
    """Polynomial MLP ``x |-> W_L s(... s(W_1 x))`` with ``s(z) = z^r`` (affine layers with ``bias``);
    with ``poly`` (coefficients ``c0..cr``, slug ``_p``) ``s(z) = c0 + c1 z + ... + cr z^r``."""

    widths: tuple[int, ...]
    r: int
    bias: bool = False
    poly: tuple[int, ...] = ()
    family = "mlp"

    @property
    def layers(self) -> int:
        return len(self.widths) - 1


@dataclass(frozen=True, repr=True)
class CNN(Architecture):
    """1-D one-channel convolutional network with filter sizes, strides and exponent ``r``."""

    filters: tuple[int, ...]
    strides: tuple[int, ...]
    r: int
    poly: tuple[int, ...] = ()
    family = "cnn"

    @property
    def layers(self) -> int:
        return len(self.filters)


@dataclass(frozen=True, repr=True)
class Attention(Architecture):
    """Lightning self-attention, layers ``X |-> V X X^T K^T Q X``; dims ``d0..dL``, key dims ``a1..aL``, ``t`` tokens."""

    dims: tuple[int, ...]
    keys: tuple[int, ...]
    tokens: int
    heads: tuple[int, ...] = ()  # heads per layer (slug _h); () is one head per layer, without _h
    family = "attn"

    @property
    def layers(self) -> int:
        return len(self.keys)

    @property
    def head_counts(self) -> tuple[int, ...]:
        return self.heads or (1,) * self.layers


@dataclass(frozen=True, repr=True)
class Residual(Architecture):
    """Residual blocks ``x |-> x + V_i s(U_i x)`` on ``R^d``, ``U_i`` of size ``h_i x d``; ``s`` as in :class:`MLP`."""

    dim: int
    hidden: tuple[int, ...]
    r: int
    poly: tuple[int, ...] = ()
    family = "res"

    @property
    def layers(self) -> int:
        return len(self.hidden)


@dataclass(frozen=True, repr=True)
class GroupCNN(Architecture):
    """``L`` convolutions over the cyclic group ``C_n`` on ``R^n`` (full filters), ``s`` after all but the last."""

    n: int
    layers: int
    r: int
    poly: tuple[int, ...] = ()
    family = "gcnn"


@dataclass(frozen=True, repr=True)
class Network(Architecture):
    """Any list of layers (:mod:`pipeline.layers`) on an input of ``input`` rows and ``tokens`` columns."""

    input: int
    layers: tuple
    tokens: int = 1
    family = "net"

    def placed(self) -> list[tuple[int, int, object]]:
        """``(position, index, layer)`` of every layer with parameters: ``index`` counts them from 1 (the
        number in their block names)."""
        out = []
        for position, layer in enumerate(self.layers):
            if layer.has_parameters:
                out.append((position, len(out) + 1, layer))
        return out


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("-"))


def _fail(slug: str, problem: str) -> SlugError:
    return SlugError(f"slug {slug!r}: {problem}")


_SIGMA = rf"_(?:r(?P<r>{_INT})|p(?P<p>{COEFFICIENTS}))"

_PATTERNS = {
    "linear": (re.compile(rf"linear_w(?P<w>{_INTS})"), "linear_w4-2-3"),
    "mlp": (re.compile(rf"mlp_w(?P<w>{_INTS}){_SIGMA}(?P<bias>_bias)?"),
            "mlp_w2-3-2_r2, mlp_w2-3-2_r2_bias or mlp_w3-2-1_p0-1-1"),
    "cnn": (re.compile(rf"cnn_k(?P<k>{_INTS})_s(?P<s>{_INTS}){_SIGMA}"), "cnn_k3-2_s1-1_r2 or cnn_k2-2_s1-1_p0-1-1"),
    "attn": (re.compile(rf"attn_d(?P<d>{_INTS})_a(?P<a>{_INTS})_t(?P<t>{_INT})(?:_h(?P<h>{_INTS}))?"),
             "attn_d2-1_a2_t2 or attn_d2-2-1_a1-1_t2_h2-2"),
    "res": (re.compile(rf"res_d(?P<d>{_INT})_h(?P<h>{_INTS}){_SIGMA}"), "res_d2_h2-1_r2 or res_d2_h1_p0-1-1"),
    "gcnn": (re.compile(rf"gcnn_c(?P<n>{_INT})_l(?P<l>{_INT}){_SIGMA}"), "gcnn_c4_l2_r2"),
    "net": (re.compile(rf"net_i(?P<i>{_INT})(?:t(?P<t>[2-9]|[1-9][0-9]+))?(?P<layers>(?:_[a-z0-9-]+)+)"),
            "net_i3_dense2_p0-0-1_dense1, or net_i2t2_attn1a2 with t<tokens> for two or more tokens"),
}


def _sigma(groups: dict) -> tuple[int, tuple[int, ...]]:
    """``(r, poly)`` from the activation part of a slug: ``poly`` is ``()`` for ``_r``."""
    if groups["r"] is not None:
        return int(groups["r"]), ()
    poly = parse_coefficients(groups["p"])
    return len(poly) - 1, poly


def _network_from_slug(slug: str, groups: dict) -> "Network":
    from pipeline.layers import layer_from_token  # the registry: every layer kind

    layers = tuple(layer_from_token(token, slug) for token in groups["layers"][1:].split("_"))
    return Network(int(groups["i"]), layers, int(groups["t"] or 1))


def parse_slug(slug: str) -> Architecture:
    """Return the architecture named by ``slug``; raise :class:`SlugError` naming the bad part.

    INPUT: ``slug``, a string of the grammar in the module docstring.

    OUTPUT: a :class:`LinearNet`, :class:`MLP`, :class:`CNN`, :class:`Attention`, :class:`Residual`,
    :class:`GroupCNN` or :class:`Network`.

    EXAMPLES::

        >>> parse_slug("linear_w4-2-3")
        LinearNet(widths=(4, 2, 3))
        >>> parse_slug("cnn_k3-2_s1-1_r1")
        CNN(filters=(3, 2), strides=(1, 1), r=1, poly=())
        >>> parse_slug("relu_w2-2")
        Traceback (most recent call last):
        ...
        pipeline.errors.SlugError: slug 'relu_w2-2': unknown family 'relu'; valid families: linear, mlp, cnn, attn, res, gcnn, net
        >>> parse_slug("linear_w4-0-3")
        Traceback (most recent call last):
        ...
        pipeline.errors.SlugError: slug 'linear_w4-0-3': does not match the linear grammar; widths, strides and exponents are positive integers without leading zeros, separated by '-', e.g. linear_w4-2-3
    """
    if not isinstance(slug, str):
        raise SlugError(f"slug {slug!r}: a slug is a string such as 'linear_w4-2-3'")
    if slug.lower().endswith((".yaml", ".yml")) or "/" in slug:
        raise _fail(slug, "a network file is not a slug; neuromanifold compute and the sweeps' files: entries read "
                          "network files (pipeline.architectures.files), or name the architecture by its slug")
    family = slug.split("_", 1)[0]
    if family not in _PATTERNS:
        raise _fail(slug, f"unknown family {family!r}; valid families: {', '.join(FAMILIES)}")
    pattern, example = _PATTERNS[family]
    match = pattern.fullmatch(slug)
    if match is None:
        raise _fail(
            slug,
            f"does not match the {family} grammar; widths, strides and exponents are positive "
            f"integers without leading zeros, separated by '-'"
            + (f", and the activation is {ACTIVATION_HELP}" if family in ("mlp", "cnn", "res", "gcnn") else "")
            + f", e.g. {example}",
        )
    groups = match.groupdict()
    r, poly = _sigma(groups) if "r" in groups else (None, ())
    try:
        if family == "linear":
            arch = LinearNet(_ints(groups["w"]))
        elif family == "mlp":
            arch = MLP(_ints(groups["w"]), r, groups["bias"] is not None, poly)
        elif family == "cnn":
            arch = CNN(_ints(groups["k"]), _ints(groups["s"]), r, poly)
        elif family == "attn":
            arch = Attention(_ints(groups["d"]), _ints(groups["a"]), int(groups["t"]),
                             _ints(groups["h"]) if groups["h"] else ())
        elif family == "res":
            arch = Residual(int(groups["d"]), _ints(groups["h"]), r, poly)
        elif family == "gcnn":
            arch = GroupCNN(int(groups["n"]), int(groups["l"]), r, poly)
        else:
            arch = _network_from_slug(slug, groups)
    except SlugError as error:  # a layer's own complaint, named by the slug
        message = str(error)
        raise _fail(slug, message.split(": ", 1)[1] if message.startswith(("activation", "slug")) else message) from None
    check_architecture(arch, slug)
    return arch


def check_architecture(arch: Architecture, slug: str | None = None) -> None:
    """Raise :class:`SlugError` if ``arch`` is not a meaningful network.

    EXAMPLES::

        >>> check_architecture(MLP((2, 3), 1))
        Traceback (most recent call last):
        ...
        pipeline.errors.SlugError: slug 'mlp_w2-3_r1': activation exponent r = 1 makes the MLP linear; use the linear family (e.g. linear_w2-3) or r >= 2
    """
    name = slug if slug is not None else format_slug(arch)
    if isinstance(arch, (LinearNet, MLP)):
        if len(arch.widths) < 2:
            raise _fail(name, "needs at least two widths (input and output), e.g. w3-2")
        if any(w < 1 for w in arch.widths):
            raise _fail(name, "widths must be positive")
    if isinstance(arch, (MLP, CNN, Residual, GroupCNN)) and arch.poly and arch.poly[-1] == 0:
        raise _fail(name, f"the last activation coefficient c{len(arch.poly) - 1} is 0; the last coefficient sets the "
                          "degree r of sigma and must be nonzero (drop trailing zeros), e.g. _p0-1-1 for x + x^2")
    if isinstance(arch, (MLP, CNN, Residual, GroupCNN)) and arch.poly and len(arch.poly) < 2:
        raise _fail(name, "a constant activation makes the network constant; give c0-c1-..-cr with r >= 1")
    if isinstance(arch, MLP) and arch.r < 2 and arch.poly:
        raise _fail(name, "an activation of degree 1 (c0 + c1 x) makes the MLP affine; use the linear family "
                          f"(e.g. linear_w{'-'.join(map(str, arch.widths))}) or an activation of degree >= 2")
    if isinstance(arch, MLP) and arch.r < 2:
        raise _fail(
            name,
            "activation exponent r = 1 makes the MLP linear; use the linear family "
            f"(e.g. linear_w{'-'.join(map(str, arch.widths))}) or r >= 2",
        )
    if isinstance(arch, CNN):
        if len(arch.filters) != len(arch.strides):
            raise _fail(
                name,
                f"{len(arch.filters)} filter sizes but {len(arch.strides)} strides; give one stride "
                "per layer, e.g. cnn_k3-2_s1-1_r2",
            )
        if any(k < 1 for k in arch.filters) or any(s < 1 for s in arch.strides) or arch.r < 1:
            raise _fail(name, "filter sizes, strides and r must be positive")
    if isinstance(arch, Attention):
        if len(arch.dims) != len(arch.keys) + 1:
            raise _fail(
                name,
                f"{len(arch.dims)} embedding dims but {len(arch.keys)} key dims; an L-layer net has "
                "L + 1 dims d0..dL and L key dims a1..aL, e.g. attn_d2-2-1_a1-1_t2",
            )
        if arch.tokens < 1:
            raise _fail(name, "the number of tokens t must be positive")
        if arch.heads and len(arch.heads) != len(arch.keys):
            raise _fail(name, f"{len(arch.heads)} head counts but {len(arch.keys)} layers; give one head count per "
                              "layer, e.g. attn_d2-2-1_a1-1_t2_h2-2")
    if isinstance(arch, GroupCNN) and arch.n < 2:
        raise _fail(name, "the cyclic group C_n needs n >= 2 (n = 1 is a scalar network), e.g. gcnn_c4_l2_r2")
    if isinstance(arch, Network):
        check_layers(arch, name)
    check_size(arch, name)


def check_layers(net: "Network", name: str) -> list[int]:
    """The stream widths ``input, after layer 1, ...`` of a layer list; raise :class:`SlugError` if it is no network.

    EXAMPLES::

        >>> from pipeline.layers import Activation, Dense
        >>> check_layers(Network(3, (Dense(2), Activation((0, 0, 1)), Dense(1))), "net")
        [3, 2, 2, 1]
        >>> check_layers(Network(3, (Activation((0, 0, 1)), Activation((0, 1)), Dense(1))), "net")
        Traceback (most recent call last):
        ...
        pipeline.errors.SlugError: slug 'net': layers 1 and 2 are both activations; write their composition as one activation
    """
    if net.input < 1 or net.tokens < 1:
        raise _fail(name, "the input width and the number of tokens must be positive")
    if not any(layer.has_parameters for layer in net.layers):
        raise _fail(name, "a network needs at least one layer with parameters (dense, conv, gconv, attention, residual)")
    widths = [net.input]
    for position, layer in enumerate(net.layers, start=1):
        if position > 1 and not layer.has_parameters and not net.layers[position - 2].has_parameters:
            raise _fail(name, f"layers {position - 1} and {position} are both activations; write their composition "
                              "as one activation")
        try:
            widths.append(layer.output_width(widths[-1], net.tokens, f"layer {position} ({layer.token()})"))
        except SlugError as error:
            raise _fail(name, str(error)) from None
    return widths


def _capped_power(base: int, exponent: int, cap: int) -> int | None:
    """``base ** exponent``, or ``None`` if it exceeds ``cap`` (never forms a huge number)."""
    value = 1
    for _ in range(exponent):
        value *= base
        if value > cap:
            return None
    return value


def _binomial(top: int, bottom: int) -> int | None:
    """``comb(top, bottom)`` when that is cheap (few factors), else ``None``."""
    if min(bottom, top - bottom) <= 10**5:
        return math.comb(top, bottom)
    return None


def size_of(arch: Architecture) -> dict:
    """Closed forms of the sizes of ``arch``, computed without building anything.

    ``params``, ``n_inputs``, ``n_outputs``, ``degree`` (``None`` if above the degree limit of
    :data:`SIZE_LIMITS`, with ``degree_text`` saying what it is) and ``ambient_dim`` (the
    number of coordinates; ``None`` if too costly to count). They agree with
    :class:`~pipeline.architectures.base.Parametrization` (``tests/test_spec.py``).

    EXAMPLES::

        >>> size_of(parse_slug("attn_d2-1_a2_t2"))["ambient_dim"]
        40
        >>> s = size_of(MLP((2, 2, 1), 10**12))
        >>> s["degree"], s["degree_text"], s["ambient_dim"]
        (None, '1000000000000', 1000000000001)
    """
    cap = SIZE_LIMITS["degree"]
    if isinstance(arch, LinearNet):
        params = sum(a * b for a, b in zip(arch.widths, arch.widths[1:]))
        n_inputs, n_outputs, base, exponent, homogeneous = arch.widths[0], arch.widths[-1], 1, 0, True
    elif isinstance(arch, MLP):
        params = sum(a * b for a, b in zip(arch.widths, arch.widths[1:]))
        params += sum(arch.widths[1:]) if arch.bias else 0
        n_inputs, n_outputs, base, exponent = arch.widths[0], arch.widths[-1], arch.r, arch.layers - 1
        homogeneous = not arch.bias and _monomial(arch.poly)
    elif isinstance(arch, CNN):
        length = 1
        for k, s in zip(reversed(arch.filters), reversed(arch.strides)):
            length = s * (length - 1) + k
        params, n_inputs, n_outputs = sum(arch.filters), length, 1
        base, exponent, homogeneous = arch.r, arch.layers - 1, _monomial(arch.poly)
    elif isinstance(arch, Attention):
        d, a, h = arch.dims, arch.keys, arch.head_counts
        params = sum(h[i] * (2 * a[i] * d[i] + d[i + 1] * d[i]) for i in range(arch.layers))
        n_inputs, n_outputs = d[0] * arch.tokens, d[-1] * arch.tokens
        base, exponent, homogeneous = 3, arch.layers, True
    elif isinstance(arch, Residual):
        params, n_inputs, n_outputs = sum(2 * h * arch.dim for h in arch.hidden), arch.dim, arch.dim
        base, exponent, homogeneous = arch.r, arch.layers, arch.r == 1 and _monomial(arch.poly)
    elif isinstance(arch, GroupCNN):
        params, n_inputs, n_outputs = arch.layers * arch.n, arch.n, arch.n
        base, exponent, homogeneous = arch.r, arch.layers - 1, _monomial(arch.poly)
    elif isinstance(arch, Network):
        widths = check_layers(arch, "network")
        params = sum(b.size for position, index, layer in arch.placed() for b in layer.blocks(index, widths[position]))
        n_inputs, n_outputs = arch.input * arch.tokens, widths[-1] * arch.tokens
        base, homogeneous = 1, True
        for layer in arch.layers:
            base, homogeneous = layer.degree(base), layer.homogeneous(homogeneous)
        exponent = 1
    else:
        raise TypeError(f"not an architecture: {arch!r}")
    degree = _capped_power(base, exponent, cap)
    if degree is not None:
        degree_text = str(degree)
    elif exponent * math.log10(base) < 40:
        degree_text = str(base**exponent)
    else:
        degree_text = f"{base}^{exponent}"
    ambient = None
    if degree is not None or exponent * math.log10(base) < 40:
        d = base**exponent
        monomials = _binomial(n_inputs + d - 1, d) if homogeneous else _binomial(n_inputs + d, d)
        ambient = None if monomials is None else n_outputs * monomials
    return {"params": params, "n_inputs": n_inputs, "n_outputs": n_outputs, "degree": degree,
            "degree_text": degree_text, "ambient_dim": ambient}


def _monomial(poly: tuple[int, ...]) -> bool:
    """Whether an activation (``()``: ``x^r``) is a monomial ``c x^r``."""
    return not poly or Activation(poly).is_monomial


def _count(n: int) -> str:
    """A count for a message: exact with thousands separators up to 10^12, else ``1.23e45``.

    EXAMPLES::

        >>> _count(12345), _count(10**40 + 7)
        ('12,345', '1.00e40')
    """
    if n < 10**12:
        return f"{n:,}"
    digits = str(n)
    return f"{digits[0]}.{digits[1:3]}e{len(digits) - 1}"


def check_size(arch: Architecture, slug: str | None = None) -> None:
    """Raise :class:`SlugError` if ``arch`` exceeds :data:`SIZE_LIMITS` (parameters, degree, coordinates).

    Costs microseconds: nothing is built or expanded, so an absurd slug is refused at once.

    EXAMPLES::

        >>> check_size(MLP((2, 2, 1), 999999999999))
        Traceback (most recent call last):
        ...
        pipeline.errors.SlugError: slug 'mlp_w2-2-1_r999999999999': too large to compute: its output polynomials have degree 999999999999, above the limit 10,000 (sizes: 6 parameters, degree 999999999999, 1.00e12 coordinates); use a smaller exponent r or fewer layers (the limits, far above what any method here computes, are in docs/bad-input.md)
    """
    name = slug if slug is not None else format_slug(arch)
    size = size_of(arch)
    ambient = "astronomically many" if size["ambient_dim"] is None else _count(size["ambient_dim"])
    sizes = f"{_count(size['params'])} parameters, degree {size['degree_text']}, {ambient} coordinates"
    if size["params"] > SIZE_LIMITS["params"]:
        problem = f"{_count(size['params'])} parameters, above the limit {_count(SIZE_LIMITS['params'])}"
        advice = "use smaller widths, filters or key dimensions, or fewer layers"
    elif size["degree"] is None:
        problem = (f"its output polynomials have degree {size['degree_text']}, above the limit "
                   f"{_count(SIZE_LIMITS['degree'])}")
        advice = "use a smaller exponent r or fewer layers"
    elif size["ambient_dim"] is None or size["ambient_dim"] > SIZE_LIMITS["ambient_dim"]:
        problem = (f"{ambient} coordinates (monomial coefficients of the outputs), above the limit "
                   f"{_count(SIZE_LIMITS['ambient_dim'])}")
        advice = "use fewer inputs (first width, tokens, or smaller CNN filters and strides), fewer outputs or a lower degree"
    else:
        return
    raise _fail(name, f"too large to compute: {problem} (sizes: {sizes}); {advice} (the limits, far above "
                      "what any method here computes, are in docs/bad-input.md)")


def _sigma_part(arch) -> str:
    if not arch.poly:
        return f"_r{arch.r}"
    return "_p" + format_coefficients(arch.poly)


def format_slug(arch: Architecture) -> str:
    """Return the slug of ``arch``; the inverse of :func:`parse_slug`.

    EXAMPLES::

        >>> format_slug(Attention((2, 1), (2,), 2))
        'attn_d2-1_a2_t2'
    """

    def dash(values):
        return "-".join(str(v) for v in values)

    if isinstance(arch, LinearNet):
        return f"linear_w{dash(arch.widths)}"
    if isinstance(arch, MLP):
        return f"mlp_w{dash(arch.widths)}{_sigma_part(arch)}" + ("_bias" if arch.bias else "")
    if isinstance(arch, CNN):
        return f"cnn_k{dash(arch.filters)}_s{dash(arch.strides)}{_sigma_part(arch)}"
    if isinstance(arch, Attention):
        heads = f"_h{dash(arch.heads)}" if arch.heads else ""
        return f"attn_d{dash(arch.dims)}_a{dash(arch.keys)}_t{arch.tokens}{heads}"
    if isinstance(arch, Residual):
        return f"res_d{arch.dim}_h{dash(arch.hidden)}{_sigma_part(arch)}"
    if isinstance(arch, GroupCNN):
        return f"gcnn_c{arch.n}_l{arch.layers}{_sigma_part(arch)}"
    if isinstance(arch, Network):
        tokens = f"t{arch.tokens}" if arch.tokens > 1 else ""
        return f"net_i{arch.input}{tokens}_" + "_".join(layer.token() for layer in arch.layers)
    raise TypeError(f"not an architecture: {arch!r}")
