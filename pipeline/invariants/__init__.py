"""Invariants: ``Parametrization -> value dictionary`` (pure mathematics, no file I/O).

``INVARIANTS`` maps an invariant name to ``(function, methods, certificate)``;
``certificate(value)`` returns the record's certificate for a computed value.
"""

from pipeline.invariants.dimension import METHODS as DIMENSION_METHODS
from pipeline.invariants.dimension import dimension
from pipeline.invariants.fiber import METHODS as FIBER_METHODS
from pipeline.invariants.fiber import fiber


def _dimension_certificate(value):
    if value["method"] == "numerical":
        return {"kind": "numerical", "tool": value["tool"], "seeds": value["seeds"]}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": len(value["primes"]), "agree": value["agree"]}


def _fiber_certificate(value):
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "counting": f"zero-dimensional Groebner basis ({value['method']}), points with multiplicity"}


INVARIANTS = {
    "dimension": (dimension, ("auto",) + tuple(DIMENSION_METHODS), _dimension_certificate),
    "fiber": (fiber, FIBER_METHODS, _fiber_certificate),
}

__all__ = ["INVARIANTS", "dimension", "fiber"]
