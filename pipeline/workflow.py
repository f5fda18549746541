"""Semantic checks of a sweep configuration (after its JSON-schema validation).

A sweep may override the top-level ``invariants``, ``methods``, ``options`` (keyword
options of an invariant, e.g. ``{ed_degree: {metric: coefficient}}``), ``timeout`` and
``timeouts`` (budgets per invariant, e.g. ``{degree: 600}``). A job's budget is the first
of: the sweep's ``timeouts``, the sweep's ``timeout``, the top-level ``timeouts``, the
top-level ``timeout``. One job is one ``(slug, invariant)`` pair, so a pair listed in two
sweeps with different settings is an error.

EXAMPLES::

    >>> cfg = {"sweeps": [{"name": "lin", "slugs": ["linear_w2-1-2"]}], "invariants": ["dimension"], "timeout": 60}
    >>> job_settings(check_config(cfg))
    {('linear_w2-1-2', 'dimension'): {'method': 'auto', 'timeout': 60, 'options': {}}}
    >>> cfg["timeouts"] = {"dimension": 600}
    >>> job_settings(check_config(cfg))[("linear_w2-1-2", "dimension")]["timeout"]
    600
    >>> check_config({"sweeps": [{"name": "lin", "slugs": ["linear_w2-x"]}]})
    Traceback (most recent call last):
    ...
    pipeline.errors.ConfigError: config sweep 'lin': slug 'linear_w2-x': does not match the linear grammar; widths, strides and exponents are positive integers without leading zeros, separated by '-', e.g. linear_w4-2-3
"""

from __future__ import annotations

from pipeline.errors import ConfigError, NeuromanifoldError
from pipeline.invariants import INVARIANTS, check_options
from pipeline.spec import parse_slug

DEFAULT_TIMEOUT = 300


def _check_methods(methods: dict, where: str) -> None:
    for invariant, method in methods.items():
        if invariant not in INVARIANTS:
            raise ConfigError(f"{where} methods: unknown invariant {invariant!r}; valid names: {', '.join(sorted(INVARIANTS))}")
        valid = INVARIANTS[invariant][1]
        if method not in valid:
            raise ConfigError(f"{where} methods: unknown method {method!r} for {invariant}; valid names: {', '.join(valid)}")


def _check_options(options: dict, where: str) -> None:
    for invariant, values in options.items():
        if invariant not in INVARIANTS:
            raise ConfigError(f"{where} options: unknown invariant {invariant!r}; valid names: {', '.join(sorted(INVARIANTS))}")
        try:
            check_options(invariant, values)
        except NeuromanifoldError as exc:
            raise ConfigError(f"{where} options: {exc}") from None


def _check_timeouts(timeouts: dict, where: str) -> None:
    for invariant in timeouts:
        if invariant not in INVARIANTS:
            raise ConfigError(f"{where} timeouts: unknown invariant {invariant!r}; valid names: {', '.join(sorted(INVARIANTS))}")


def job_timeout(config: dict, sweep: dict, invariant: str) -> float:
    """The budget of one job: sweep ``timeouts``, sweep ``timeout``, top-level ``timeouts``, top-level ``timeout``."""
    for source, key in ((sweep, "timeouts"), (sweep, "timeout"), (config, "timeouts"), (config, "timeout")):
        value = source.get(key)
        if isinstance(value, dict):
            value = value.get(invariant)
        if value is not None:
            return value
    return DEFAULT_TIMEOUT


def check_config(config: dict) -> dict:
    """Raise :class:`ConfigError` naming the first bad slug, invariant, method or option; return ``config``."""
    _check_methods(config.get("methods", {}), "config")
    _check_options(config.get("options", {}), "config")
    _check_timeouts(config.get("timeouts", {}), "config")
    for sweep in config["sweeps"]:
        where = f"config sweep {sweep['name']!r}"
        for slug in sweep["slugs"]:
            try:
                parse_slug(slug)
            except NeuromanifoldError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        for invariant in sweep.get("invariants", config.get("invariants", ["dimension"])):
            if invariant not in INVARIANTS:
                raise ConfigError(
                    f"{where}: unknown invariant {invariant!r}; valid names: {', '.join(sorted(INVARIANTS))}"
                )
        _check_methods(sweep.get("methods", {}), where)
        _check_options(sweep.get("options", {}), where)
        _check_timeouts(sweep.get("timeouts", {}), where)
    job_settings(config)  # raises on conflicting duplicates
    return config


def job_settings(config: dict) -> dict:
    """``{(slug, invariant): {"method": ..., "timeout": ..., "options": {...}}}`` in config order."""
    jobs: dict = {}
    for sweep in config["sweeps"]:
        methods = {**config.get("methods", {}), **sweep.get("methods", {})}
        options = {**config.get("options", {}), **sweep.get("options", {})}
        for slug in sweep["slugs"]:
            for invariant in sweep.get("invariants", config.get("invariants", ["dimension"])):
                settings = {"method": methods.get(invariant, "auto"), "timeout": job_timeout(config, sweep, invariant),
                            "options": dict(options.get(invariant, {}))}
                previous = jobs.setdefault((slug, invariant), settings)
                if previous != settings:
                    raise ConfigError(
                        f"config sweep {sweep['name']!r}: {slug} {invariant} is also in an earlier sweep with "
                        f"other settings ({previous} vs {settings}); list it once or use the same settings"
                    )
    return jobs


def jobs_of(config: dict) -> list[tuple[str, str]]:
    """The ``(slug, invariant)`` jobs of a checked config, in order, without repeats."""
    return list(job_settings(config))
