"""Invariants: ``Parametrization -> value dictionary`` (pure mathematics, no file I/O).

``INVARIANTS`` maps an invariant name to ``(function, methods, certificate)``;
``certificate(value)`` returns the record's certificate for a computed value.
``OPTIONS`` lists the keyword options an invariant takes besides ``method`` and ``seed``
(:func:`check_options` validates them before anything runs).

EXAMPLES::

    >>> check_options("ed_degree", {"metric": "coefficient"})
    {'metric': 'coefficient'}
    >>> check_options("ed_degree", {"metric": "frobenius"})
    Traceback (most recent call last):
    ...
    pipeline.errors.UnknownNameError: unknown metric 'frobenius' for ed_degree; valid names: generic, coefficient, bombieri-weyl, data
    >>> check_options("dimension", {"metric": "generic"})
    Traceback (most recent call last):
    ...
    pipeline.errors.UnknownNameError: dimension takes no option 'metric'; options by invariant: ed_degree: metric, data_size; critical_real: metric, samples; voronoi: metric, samples
"""

from pipeline.errors import UnknownNameError
from pipeline.invariants import critical as _critical
from pipeline.invariants import real_critical as _real_critical
from pipeline.invariants.dimension import METHODS as DIMENSION_METHODS
from pipeline.invariants.dimension import dimension
from pipeline.invariants import degree as _degree
from pipeline.invariants import implicit as _implicit
from pipeline.invariants import singular as _singular
from pipeline.invariants.fiber import METHODS as FIBER_METHODS
from pipeline.invariants.fiber import fiber
from pipeline.zerodim import counting_description


def _dimension_certificate(value):
    if value["method"] == "numerical":
        return {"kind": "numerical", "tool": value["tool"], "seeds": value["seeds"]}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": len(value["primes"]), "agree": value["agree"]}


def _fiber_certificate(value):
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "counting": counting_description(value["method"])}


def _implicit_certificate(value):
    if value["field"] == "QQ":
        return {"kind": "exact", "field": "QQ", "seeds": value["seeds"],
                "note": "elimination over QQ; the random point only chooses the gauge and is checked by a rank"}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"]}


def _singular_certificate(value):
    if value.get("complete") is False:
        return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1, "complete": False,
                "note": "Jacobian rank of the implicit ideal (exact over QQ) at random GF(p)-points of the subnetwork "
                        "images; components that are no subnetwork image are not searched for"}
    return {"kind": "modular", "primes": value["primes"], "seeds": value["seeds"], "runs": 1,
            "note": "random slices, generator mix and points over GF(p); the implicit ideal itself is exact over QQ"}


INVARIANTS = {
    "dimension": (dimension, ("auto",) + tuple(DIMENSION_METHODS), _dimension_certificate),
    "fiber": (fiber, FIBER_METHODS, _fiber_certificate),
    "implicit": (_implicit.implicit, _implicit.METHODS, _implicit_certificate),
    "degree": (_degree.degree, ("auto",) + tuple(_degree.METHODS), _degree.certificate),
    "singular": (_singular.singular, _singular.METHODS, _singular_certificate),
    "ed_degree": (_critical.ed_degree, _critical.METHODS, _critical.certificate),
    "critical_real": (_real_critical.critical_real, _real_critical.METHODS, _real_critical.certificate),
    "voronoi": (_real_critical.voronoi, _real_critical.METHODS, _real_critical.certificate),
}


def _positive_int(name):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UnknownNameError(f"option {name} must be a positive integer, got {value!r}")
        return value
    return check


def _one_of(name, invariant, names):
    def check(value):
        if value not in names:
            raise UnknownNameError(f"unknown {name} {value!r} for {invariant}; valid names: {', '.join(names)}")
        return value
    return check


#: ``{invariant: {option: validator}}``; a validator returns the value or raises with a message.
OPTIONS = {
    "ed_degree": {"metric": _one_of("metric", "ed_degree", _critical.METRICS), "data_size": _positive_int("data_size")},
    "critical_real": {"metric": _one_of("metric", "critical_real", _critical.METRICS), "samples": _positive_int("samples")},
    "voronoi": {"metric": _one_of("metric", "voronoi", _critical.METRICS), "samples": _positive_int("samples")},
}


def check_options(invariant: str, options: dict | None) -> dict:
    """Validate ``options`` for ``invariant``; return them (``None`` values dropped)."""
    valid = OPTIONS.get(invariant, {})
    checked = {}
    for name, value in (options or {}).items():
        if value is None:
            continue
        if name not in valid:
            listing = "; ".join(f"{inv}: {', '.join(opts)}" for inv, opts in OPTIONS.items())
            raise UnknownNameError(f"{invariant} takes no option {name!r}; options by invariant: {listing}")
        checked[name] = valid[name](value)
    return checked

#: ``auto`` tries these methods in order, each with part of the remaining budget (see the runner).
AUTO_CHAINS = {"degree": _degree.AUTO_CHAIN, "singular": _singular.AUTO_CHAIN, "ed_degree": _critical.AUTO_CHAIN}

__all__ = ["INVARIANTS", "AUTO_CHAINS", "OPTIONS", "check_options", "dimension", "fiber"]
