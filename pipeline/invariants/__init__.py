"""Invariants: ``Parametrization -> value dictionary`` (pure mathematics, no file I/O).

``INVARIANTS`` maps an invariant name to ``(function, methods, certificate)``;
``certificate(value)`` returns the record's certificate for a computed value.
"""

from pipeline.invariants.dimension import METHODS as DIMENSION_METHODS
from pipeline.invariants.dimension import dimension


def _dimension_certificate(value):
    if value["method"] == "numerical":
        return {"kind": "numerical", "tool": value["tool"], "seeds": value["seeds"]}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": len(value["primes"]), "agree": value["agree"]}


INVARIANTS = {
    "dimension": (dimension, ("auto",) + tuple(DIMENSION_METHODS), _dimension_certificate),
}

__all__ = ["INVARIANTS", "dimension"]
