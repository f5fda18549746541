"""Invariants: ``Parametrization -> value dictionary`` (pure mathematics, no file I/O).

``INVARIANTS`` maps an invariant name to ``(function, methods, certificate)``;
``certificate(value)`` returns the record's certificate for a computed value.
"""

from pipeline.invariants.dimension import METHODS as DIMENSION_METHODS
from pipeline.invariants.dimension import dimension
from pipeline.invariants import degree as _degree
from pipeline.invariants import implicit as _implicit
from pipeline.invariants import singular as _singular
from pipeline.invariants.fiber import METHODS as FIBER_METHODS
from pipeline.invariants.fiber import fiber


def _dimension_certificate(value):
    if value["method"] == "numerical":
        return {"kind": "numerical", "tool": value["tool"], "seeds": value["seeds"]}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": len(value["primes"]), "agree": value["agree"]}


def _fiber_certificate(value):
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "counting": f"zero-dimensional Groebner basis ({value['method']}), points with multiplicity"}


def _implicit_certificate(value):
    if value["field"] == "QQ":
        return {"kind": "exact", "field": "QQ", "seeds": value["seeds"],
                "note": "elimination over QQ; the random point only chooses the gauge and is checked by a rank"}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"]}


def _singular_certificate(value):
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "note": "random slices, generator mix and points over GF(p); the implicit ideal itself is exact over QQ"}


INVARIANTS = {
    "dimension": (dimension, ("auto",) + tuple(DIMENSION_METHODS), _dimension_certificate),
    "fiber": (fiber, FIBER_METHODS, _fiber_certificate),
    "implicit": (_implicit.implicit, _implicit.METHODS, _implicit_certificate),
    "degree": (_degree.degree, ("auto",) + tuple(_degree.METHODS), _degree.certificate),
    "singular": (_singular.singular, _singular.METHODS, _singular_certificate),
}

#: ``auto`` tries these methods in order, each with part of the remaining budget (see the runner).
AUTO_CHAINS = {"degree": _degree.AUTO_CHAIN, "singular": _singular.AUTO_CHAIN}

__all__ = ["INVARIANTS", "AUTO_CHAINS", "dimension", "fiber"]
