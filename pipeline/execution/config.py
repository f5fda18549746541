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

from pathlib import Path

from pipeline.errors import ConfigError, NeuromanifoldError
from pipeline.invariants import SPECS, check_options
from pipeline.spec import parse_slug

DEFAULT_TIMEOUT = 300

#: The JSON schema of a sweep configuration (Snakemake validates with it first, and fills its defaults).
SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"

_SCHEMA_FIXES = {
    "exclusiveMinimum": "give a positive number",
    "minimum": "give a number at least {limit}",
    "type": "give a value of type {limit}",
    "minItems": "give at least one item",
    "pattern": "use only letters, digits, '_' and '-'",
    "required": "add it (e.g. sweeps: [{{name: lin, slugs: [linear_w2-1-2]}}])",
    "additionalProperties": "remove it or correct its spelling; valid keys: {keys}",
    "anyOf": "a sweep needs slugs: [...] or files: [network files] (or both)",
}


def _where(path) -> str:
    """A JSON path as config keys: ``sweeps[0].timeout``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def schema_error(config) -> str | None:
    """One line for the first violation of :data:`SCHEMA` by ``config``, saying where and what to do; None if valid.

    EXAMPLES::

        >>> schema_error({"sweeps": [{"name": "lin", "slugs": ["linear_w2-1-2"]}], "timeout": -5})
        'config key timeout: -5 is less than or equal to the minimum of 0; give a positive number (Wall-clock budget of one job, in seconds.)'
        >>> print(schema_error({"sweeps": [{"name": "lin", "slugs": ["linear_w2-1-2"]}], "timout": 60}))
        config: Additional properties are not allowed ('timout' was unexpected); remove it or correct its spelling; valid keys: batches, comparison, invariants, memory_mb, methods, options, retries, searches, seed, sweeps, timeout, timeouts
    """
    import jsonschema
    import yaml

    schema = yaml.safe_load(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is None:
        return None
    limit = error.validator_value
    if error.validator == "anyOf":
        error.message = "names no architecture"
    if error.validator == "type" and isinstance(limit, list):
        limit = " or ".join(map(str, limit))
    keys = ", ".join(sorted(error.schema.get("properties", {}))) if isinstance(error.schema, dict) else ""
    fix = _SCHEMA_FIXES.get(error.validator, "see workflow/schemas/config.schema.yaml").format(limit=limit, keys=keys)
    if error.validator == "pattern" and "yaml" in str(limit):
        fix = "give the path of a network file ending in .yaml or .yml (docs/networks.md)"
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if description and error.validator not in ("additionalProperties", "required"):
        fix += f" ({description})"
    where = _where(error.absolute_path)
    return f"config{' key ' + where if where else ''}: {error.message}; {fix}"


def _check_methods(methods: dict, where: str) -> None:
    for invariant, method in methods.items():
        if invariant not in SPECS:
            raise ConfigError(f"{where} methods: unknown invariant {invariant!r}; valid names: {', '.join(sorted(SPECS))}")
        valid = SPECS[invariant].methods
        if method not in valid:
            raise ConfigError(f"{where} methods: unknown method {method!r} for {invariant}; valid names: {', '.join(valid)}")


def _check_options(options: dict, where: str) -> None:
    for invariant, values in options.items():
        if invariant not in SPECS:
            raise ConfigError(f"{where} options: unknown invariant {invariant!r}; valid names: {', '.join(sorted(SPECS))}")
        try:
            check_options(invariant, values)
        except NeuromanifoldError as exc:
            raise ConfigError(f"{where} options: {exc}") from None


def _check_timeouts(timeouts: dict, where: str) -> None:
    for invariant in timeouts:
        if invariant not in SPECS:
            raise ConfigError(f"{where} timeouts: unknown invariant {invariant!r}; valid names: {', '.join(sorted(SPECS))}")


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
    """Raise :class:`ConfigError` naming the first bad key, slug, invariant, method or option; return ``config``.

    The schema (:func:`schema_error`) first, then the meaning: names that exist, slugs that
    parse and are not absurdly large, and no job listed twice with different settings.
    """
    problem = schema_error(config)
    if problem is not None:
        raise ConfigError(problem)
    _check_methods(config.get("methods", {}), "config")
    _check_options(config.get("options", {}), "config")
    _check_timeouts(config.get("timeouts", {}), "config")
    for sweep in config["sweeps"]:
        where = f"config sweep {sweep['name']!r}"
        try:
            for slug in sweep.get("slugs", []):
                parse_slug(slug)
            sweep_slugs(sweep)  # reads the network files
        except NeuromanifoldError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        for invariant in sweep.get("invariants", config.get("invariants", ["dimension"])):
            if invariant not in SPECS:
                raise ConfigError(
                    f"{where}: unknown invariant {invariant!r}; valid names: {', '.join(sorted(SPECS))}"
                )
        _check_methods(sweep.get("methods", {}), where)
        _check_options(sweep.get("options", {}), where)
        _check_timeouts(sweep.get("timeouts", {}), where)
    jobs = job_settings(config)  # raises on conflicting duplicates
    _check_batches(config)
    _check_comparison(config, {slug for slug, _ in jobs})
    return config


def _check_comparison(config: dict, slugs: set) -> None:
    """Every slug of a comparison pair parses and is in a sweep."""
    for number, pair in enumerate(config.get("comparison", {}).get("pairs", []), start=1):
        for role in ("plain", "variant"):
            where = f"config comparison pair {number} ({pair['feature']}), {role}"
            try:
                slug = parse_slug(pair[role]).slug
            except NeuromanifoldError as exc:
                raise ConfigError(f"{where}: {exc}") from None
            if slug not in slugs:
                raise ConfigError(f"{where}: {slug} is in no sweep; add it to a sweep's slugs or remove the pair")


def _check_batches(config: dict) -> None:
    """Grids that expand (:func:`~pipeline.execution.batch.grid_slugs`), searches that can run, names used once."""
    from pipeline.execution.batch import check_grid, check_search, grid_slugs

    for kind in ("batches", "searches"):
        names = [entry["name"] for entry in config.get(kind, [])]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ConfigError(f"config {kind}: the name {repeated[0]!r} is used twice; give each a name of its own")
    for batch in config.get("batches", []):
        where = f"config batch {batch['name']!r}"
        check_grid(batch["grid"], f"{where}: grid")
        try:
            slugs = grid_slugs(batch["grid"])
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not slugs:
            raise ConfigError(f"{where}: the grid has no architecture (every one is over max_params); widen it")
    for search in config.get("searches", []):
        if search["depth"][0] > search["depth"][1]:
            raise ConfigError(f"config search {search['name']!r}: depth must be [low, high] with low <= high, "
                              f"got {search['depth']}; e.g. depth: [2, 6]")
        try:
            check_search(search["input"], search["output"], search["r"], tuple(search["depth"]), search["max_width"])
        except ConfigError as exc:
            raise ConfigError(f"config search {search['name']!r}: {exc}") from None


def sweep_slugs(sweep: dict) -> list[str]:
    """The slugs of a sweep: its ``slugs``, then the slugs that name its network ``files``."""
    from pipeline.architectures.files import slug_of_file

    return list(sweep.get("slugs", [])) + [slug_of_file(path) for path in sweep.get("files", [])]


def job_settings(config: dict) -> dict:
    """``{(slug, invariant): {"method": ..., "timeout": ..., "options": {...}}}`` in config order."""
    jobs: dict = {}
    for sweep in config["sweeps"]:
        methods = {**config.get("methods", {}), **sweep.get("methods", {})}
        options = {**config.get("options", {}), **sweep.get("options", {})}
        for slug in sweep_slugs(sweep):
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
