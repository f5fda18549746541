"""What an invariant is, in one object: :class:`InvariantSpec`.

Each invariant module of :mod:`pipeline.invariants` declares one ``SPEC``: how to compute it
(``compute``, which imports its mathematics only when called), its methods and the ``auto``
chain, its keyword options with their checks and help, its certificate, the JSON schema of its
value, and its table (file name, columns, caption, how a record's value becomes rows) and the
fields the CLI prints. The runner, the workflow, the tables, the CLI and the docs all read the
specs; nothing else lists invariants. Importing a spec imports no Sage.

EXAMPLES::

    >>> positive = positive_int("samples")
    >>> positive(20)
    20
    >>> positive(0)
    Traceback (most recent call last):
    ...
    pipeline.errors.UnknownNameError: option samples must be a positive integer, got 0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pipeline.errors import UnknownNameError

#: Columns every table has, filled from the record rather than its value.
RECORD_COLUMNS = ("arch", "family", "method", "certificate", "seconds", "status")


@dataclass(frozen=True)
class Option:
    """A keyword option of an invariant: its name, a check that returns the value or raises, help, how the
    command line reads it (``parse``: ``int`` or ``str``) and an example value for messages."""

    name: str
    check: Callable[[Any], Any]
    help: str
    parse: Callable[[str], Any] = str
    example: str = ""


@dataclass(frozen=True)
class InvariantSpec:
    """Everything the pipeline needs to know about one invariant.

    ``compute(param, method=..., seed=..., **options)`` returns the value dictionary;
    ``certificate(value)`` the record's certificate; ``table_rows(value, joined)`` the cells of the
    table rows of an ``ok`` record (``joined``: ``{invariant: record}`` of the same architecture
    for the invariants named in ``joins``); ``value_schema`` is the JSON schema of an ``ok``
    record's value (checked when a record is written and when it is read).
    """

    name: str
    summary: str
    compute: Callable[..., dict]
    methods: tuple[str, ...]
    certificate: Callable[[dict], dict]
    table: str
    columns: tuple[str, ...]
    caption: str
    value_schema: dict
    summary_fields: tuple[str, ...] = ()
    auto_chain: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    table_rows: Callable[[dict, dict], list[dict]] | None = None
    joins: tuple[str, ...] = ()
    method_help: dict = field(default_factory=dict)

    def option(self, name: str) -> Option:
        for option in self.options:
            if option.name == name:
                return option
        raise KeyError(name)

    def rows(self, value: dict, joined: dict) -> list[dict]:
        """The value cells of the table rows of an ``ok`` record (one row unless ``table_rows`` says more)."""
        if self.table_rows is not None:
            return self.table_rows(value, joined)
        return [value]


def compute_with(module: str, function: str) -> Callable[..., dict]:
    """A spec's ``compute``: ``module.function(param, method=..., seed=..., **options)``, the module imported
    only when called (the invariants' mathematics imports Sage; their specs must not).

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> compute = compute_with("pipeline.invariants.methods.dimension", "dimension")
        >>> compute(parametrization("linear_w2-1-2"), method="symbolic", seed=1)["dim"]
        3
    """
    def compute(param, method: str = "auto", seed: int = 0, **options) -> dict:
        from importlib import import_module

        return getattr(import_module(module), function)(param, method=method, seed=seed, **options)

    compute.__qualname__ = compute.__name__ = f"compute_{function}"
    compute.module, compute.function = module, function  # where the methods live (tests/test_invariant_specs.py)
    return compute


def positive_int(name: str) -> Callable[[Any], int]:
    """A check: ``value`` is a positive integer (not a bool)."""
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UnknownNameError(f"option {name} must be a positive integer, got {value!r}")
        return value
    return check


def one_of(name: str, invariant: str, names: tuple[str, ...]) -> Callable[[Any], str]:
    """A check: ``value`` is one of ``names``."""
    def check(value):
        if value not in names:
            raise UnknownNameError(f"unknown {name} {value!r} for {invariant}; valid names: {', '.join(names)}")
        return value
    return check


def value_schema(required: dict, optional: dict | None = None) -> dict:
    """A JSON schema of an object with the ``required`` properties (``{name: schema}``) and ``optional`` ones.

    EXAMPLES::

        >>> value_schema({"dim": INTEGER})["required"]
        ['dim']
    """
    return {"type": "object", "required": sorted(required), "properties": {**required, **(optional or {})}}


INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
LIST = {"type": "array"}
OBJECT = {"type": "object"}


def nullable(schema: dict) -> dict:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


#: Metrics of the critical-point invariants (ed_degree, critical_real, voronoi).
METRICS = ("generic", "coefficient", "bombieri-weyl", "data")
METRIC_HELP = "generic (default) | coefficient | bombieri-weyl | data"


def metric_option(invariant: str) -> Option:
    """The ``metric`` option of a critical-point invariant (ed_degree, critical_real, voronoi)."""
    return Option("metric", one_of("metric", invariant, METRICS), METRIC_HELP, str, "generic")


#: The ``samples`` option of the Monte Carlo invariants (critical_real, voronoi).
SAMPLES_OPTION = Option("samples", positive_int("samples"), "number of random data points", int, "20")


def compact_degrees(degrees) -> str:
    """Generator degrees as ``degree^count`` runs.

    EXAMPLES::

        >>> compact_degrees([2, 2, 3, 4, 4, 4])
        '2^2 3 4^3'
    """
    runs = []
    for d in sorted(set(degrees)):
        count = degrees.count(d)
        runs.append(f"{d}^{count}" if count > 1 else str(d))
    return " ".join(runs)
