"""msolve, driven through files: degrevlex Groebner bases over ``GF(p)``, or just their leading ideals.

Counting the points of a zero-dimensional system needs only the leading monomials
of its Groebner basis (the standard monomials are the rest). ``msolve -g 1``
computes the reduced degrevlex basis with F4 and prints just those monomials, so
nothing of size ``degree x basis`` crosses the pipe and nothing is parsed back into
polynomials (through Sage's interface, which prints and re-reads the whole basis and
recomputes it in Singular for ``vdim``, the same count took 7 s instead of 0.6 s on
lightning attention ``attn_d3-1_a2_t2``, 108 points).

EXAMPLES::

    >>> from sage.all import GF
    >>> from pipeline.algebra.modular import polynomial_ring
    >>> R = polynomial_ring(GF(101), ["x", "y"])
    >>> x, y = R.gens()
    >>> leading_exponents([x**2 - 2, y**3 - x])
    [(2, 0), (0, 3)]
    >>> leading_exponents([x, x - 1])                  # the unit ideal
    [(0, 0)]
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from pipeline.engines.budget import seconds_left
from pipeline.engines.m2 import find_binary, from_m2_polynomials, m2_polynomials, run_contained
from pipeline.engines.processes import exit_description
from pipeline.errors import BackendError

#: msolve's threads: its linear algebra uses them; the machines of this project have 2 cores.
THREADS = max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))

#: msolve's linear algebra in F4: 44 is its probabilistic sparse linearization (random linear
#: combinations of rows, over primes ``p > 2^28`` wrong with probability about ``1/p`` per
#: reduction), 4.5x faster than the exact default (2) on the witness system of the linear net
#: ``6 -> 3 -> 6`` (20 s instead of 90 s, the same leading ideal). Counts are ``modular``
#: certificates either way; tests compare them with Singular and Macaulay2.
LINEAR_ALGEBRA = 44

_BASIS = re.compile(r"#---\s*\[(.*)\]\s*:", re.S)


def parse_leading_monomials(text: str, nvars: int) -> list[tuple[int, ...]]:
    """Exponent vectors of the monomials in msolve's ``-g 1`` output (variables ``t_0 .. t_(n-1)``).

    EXAMPLES::

        >>> parse_leading_monomials("#---\\n[t_1^1,\\nt_0^2*t_1^1]:\\n", 2)
        [(0, 1), (2, 1)]
        >>> parse_leading_monomials("#---\\n[1]:\\n", 2)
        [(0, 0)]
    """
    found = _BASIS.search(text)
    if found is None:
        raise BackendError(f"msolve printed no leading ideal: {text.strip()[-500:]}")
    exponents = []
    for term in found.group(1).split(","):
        vector = [0] * nvars
        for factor in term.strip().split("*"):
            if factor in ("1", ""):
                continue
            name, _, power = factor.partition("^")
            vector[int(name.removeprefix("t_"))] += int(power or 1)
        exponents.append(tuple(vector))
    return exponents


def _run_msolve(polynomials, flags: list[str], threads: int, linear_algebra: int) -> tuple[str, list[str]]:
    """msolve's standard output on ``polynomials`` (over ``GF(p)``, ``p < 2^31``) and the variable names used.

    msolve runs contained like Macaulay2 (:func:`~pipeline.engines.m2.run_contained`): in a session
    of its own, dying with its caller, limited to what is left of the job's budget (no limit
    outside a job); running out raises :class:`~pipeline.errors.BudgetExceeded`.
    """
    ring = polynomials[0].parent()
    p = int(ring.characteristic())
    if not 0 < p < 2**31:
        raise BackendError(f"msolve works over prime fields GF(p) with p < 2^31, not characteristic {p}")
    names = [f"t_{i}" for i in range(ring.ngens())]
    with tempfile.TemporaryDirectory(prefix="nm-msolve-") as tmp:
        source = Path(tmp) / "in.ms"
        lines = [",".join(names), str(p)] + [",\n".join(f.replace(" ", "") for f in m2_polynomials(polynomials, ring))]
        source.write_text("\n".join(lines) + "\n")
        command = [str(find_binary("msolve")[0]), "-f", str(source), *flags, "-t", str(threads),
                   "-l", str(linear_algebra)]
        returncode, stdout, stderr = run_contained(command, "msolve", seconds_left(default=None))
    if returncode != 0:
        raise BackendError(f"msolve failed ({exit_description(returncode)}): {(stderr or stdout).strip()[-500:]}")
    return stdout, names


def leading_exponents(polynomials, threads: int = THREADS, linear_algebra: int = LINEAR_ALGEBRA) -> list[tuple[int, ...]]:
    """Leading exponents of the reduced degrevlex Groebner basis of ``polynomials`` over ``GF(p)``, ``p < 2^31``."""
    text, names = _run_msolve(polynomials, ["-g", "1"], threads, linear_algebra)
    return parse_leading_monomials(text, len(names))


def groebner_basis(polynomials, threads: int = THREADS, linear_algebra: int = LINEAR_ALGEBRA) -> list:
    """The reduced degrevlex Groebner basis of ``polynomials`` over ``GF(p)`` by msolve's F4 (``-g 2``).

    Any dimension: msolve's Groebner bases need no zero-dimensionality. The polynomials come
    back in the ring of the input.

    EXAMPLES::

        >>> from sage.all import GF
        >>> from pipeline.algebra.modular import polynomial_ring
        >>> R = polynomial_ring(GF(101), ["x", "y", "z"])
        >>> x, y, z = R.gens()
        >>> groebner_basis([x*y - z, x*z - y])                # sorted by leading monomial
        [x*z - y, y^2 - z^2, x*y - z]
        >>> groebner_basis([x, x - 1])
        [1]
    """
    text, _ = _run_msolve(polynomials, ["-g", "2"], threads, linear_algebra)
    found = _BASIS.search(text)
    if found is None:
        raise BackendError(f"msolve printed no Groebner basis: {text.strip()[-500:]}")
    terms = [term.strip() for term in found.group(1).split(",") if term.strip()]
    return sorted(from_m2_polynomials(terms, polynomials[0].parent()), key=lambda f: f.lm())


def eliminate(polynomials, eliminated, threads: int = THREADS, linear_algebra: int = LINEAR_ALGEBRA) -> list:
    """Generators of the elimination ideal: ``(polynomials)`` intersected with the polynomials free of the
    variables ``eliminated`` (of the polynomials' ring), from msolve's Groebner basis for the block
    order (the eliminated variables first, degrevlex within each block; ``-e``).

    EXAMPLES::

        >>> from sage.all import GF
        >>> from pipeline.algebra.modular import polynomial_ring
        >>> R = polynomial_ring(GF(101), ["x", "y", "t"])
        >>> x, y, t = R.gens()
        >>> eliminate([x - t**2, y - t**3], [t])               # the cuspidal cubic
        [x^3 - y^2]
    """
    from pipeline.algebra.modular import polynomial_ring

    ring = polynomials[0].parent()
    first = [str(v) for v in eliminated]
    ordered = polynomial_ring(ring.base_ring(), first + [n for n in ring.variable_names() if n not in first],
                              order="degrevlex")
    to_ordered = ring.hom([ordered(n) for n in ring.variable_names()], ordered)
    text, _ = _run_msolve([to_ordered(f) for f in polynomials], ["-e", str(len(first)), "-g", "2"], threads,
                          linear_algebra)
    found = _BASIS.search(text)
    if found is None:
        raise BackendError(f"msolve printed no Groebner basis: {text.strip()[-500:]}")
    back = ordered.hom([ring(n) for n in ordered.variable_names()], ring)
    gone = set(ordered.gens()[: len(first)])
    basis = from_m2_polynomials([term.strip() for term in found.group(1).split(",") if term.strip()], ordered)
    return [back(f) for f in basis if not gone & set(f.variables())]
