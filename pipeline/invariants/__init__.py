"""The invariants: one module each, declaring its :class:`~pipeline.invariants.spec.InvariantSpec`.

:data:`REGISTRY` names the modules, one line each; :data:`SPECS` maps an invariant's name to its
spec. Everything else (the runner, the config checks, the tables, the CLI) reads the specs.
Importing this package imports no Sage: each spec's ``compute`` imports its mathematics
(:mod:`pipeline.invariants.methods`) when called.

EXAMPLES::

    >>> sorted(SPECS)
    ['conservation', 'critical_real', 'degree', 'dimension', 'ed_degree', 'fiber', 'implicit', 'singular', 'voronoi']
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

from importlib import import_module

from pipeline.errors import UnknownNameError, lookup
from pipeline.invariants.spec import InvariantSpec

#: The invariant modules, in table order; a new invariant is a new module and one line here.
REGISTRY = (
    "pipeline.invariants.dimension",
    "pipeline.invariants.fiber",
    "pipeline.invariants.implicit",
    "pipeline.invariants.degree",
    "pipeline.invariants.singular",
    "pipeline.invariants.ed_degree",
    "pipeline.invariants.critical_real",
    "pipeline.invariants.voronoi",
    "pipeline.invariants.conservation",
)

#: ``{name: spec}`` of every registered invariant.
SPECS: dict[str, InvariantSpec] = {spec.name: spec for spec in (import_module(name).SPEC for name in REGISTRY)}

#: ``{invariant: {option: check}}``; a check returns the value or raises with a message.
OPTIONS = {name: {option.name: option.check for option in spec.options} for name, spec in SPECS.items() if spec.options}


def spec_of(name: str) -> InvariantSpec:
    """The spec of the invariant ``name``; an unknown name is refused with the valid ones."""
    return lookup(SPECS, name, "invariant")


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


__all__ = ["REGISTRY", "SPECS", "OPTIONS", "check_options", "spec_of"]
