"""Result records: one JSON object per architecture and invariant.

Fields (``docs/records.md``): ``arch``, ``invariant``, ``status`` (``ok``,
``timeout``, ``error``), ``message``, ``value``, ``method``, ``certificate``,
``seconds``, ``seed``, ``versions``. Records are written atomically, so an
interrupted run never leaves half a file.

EXAMPLES::

    >>> r = make_record("linear_w2-1-2", "dimension", status="timeout", message="over 1 s", seed=0)
    >>> r["status"], r["value"], sorted(r["versions"])[:3]
    ('timeout', None, ['git_commit', 'git_dirty', 'macaulay2'])
"""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
import tempfile
from pathlib import Path

import pipeline

STATUSES = ("ok", "timeout", "error")
REPO = Path(__file__).resolve().parents[2]


def _git(repo: Path, *args) -> str | None:
    """The output of ``git -C repo args``, or ``None`` when git fails or is missing."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=20)
        return done.stdout.strip() if done.returncode == 0 else None
    except OSError:
        return None


def code_changed(repo: Path = REPO) -> bool | None:
    """Whether tracked files of ``repo`` outside ``results/`` differ from its commit (``None``: not a git
    checkout). The results folder holds published records and tables: output, not code."""
    status = _git(repo, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results")
    return bool(status) if status is not None else None


@functools.lru_cache(maxsize=1)
def versions() -> dict:
    """Versions of everything a number depends on (computed once per process)."""
    from pipeline.engines.m2 import m2_version, msolve_version
    from pipeline.errors import BackendError

    def safe(fn):
        try:
            return fn()
        except BackendError as exc:
            return f"unavailable: {exc}"

    try:
        import sage.version

        sage_version = sage.version.version
    except ImportError:  # pragma: no cover - passagemath is a dependency
        sage_version = None
    return {
        "pipeline": pipeline.__version__,
        "git_commit": _git(REPO, "rev-parse", "HEAD"),
        "git_dirty": code_changed(),
        "passagemath": sage_version,
        "macaulay2": safe(m2_version),
        "msolve": safe(msolve_version),
        "python": platform.python_version(),
    }


def make_record(arch, invariant, *, status="ok", value=None, method=None, certificate=None,
                seconds=None, seed=None, message=None, extra=None) -> dict:
    """Return a result record (a plain dictionary, JSON-ready)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
    record = {
        "arch": str(arch),
        "invariant": invariant,
        "status": status,
        "message": message,
        "value": value,
        "method": method,
        "certificate": certificate,
        "seconds": None if seconds is None else round(float(seconds), 3),
        "seed": seed,
        "versions": versions(),
    }
    if extra:
        record.update(extra)
    return record


def budget_fallbacks(record: dict) -> list[dict]:
    """The ``attempts`` of ``record``'s auto chain that ran out of time before the method that gave the record:
    non-empty when the outcome depends on the budget (on a less busy machine an earlier method may have
    answered, with another value or certificate). Records written before ``budget_dependent`` existed are
    read the same way.

    EXAMPLES::

        >>> budget_fallbacks({"attempts": [{"method": "singular", "status": "timeout"},
        ...                                {"method": "subnetworks", "status": "ok"}]})
        [{'method': 'singular', 'status': 'timeout'}]
        >>> budget_fallbacks({"attempts": [{"method": "witness", "status": "ok"}]}), budget_fallbacks({})
        ([], [])
    """
    attempts = record.get("attempts") or []
    return [attempt for attempt in attempts[:-1] if attempt.get("status") == "timeout"]


#: The JSON Schema of a record (docs/records.md); an ok record's value also follows its invariant's spec.
RECORD_SCHEMA = json.loads((Path(__file__).with_name("record.schema.json")).read_text())


def schema_problem(record: dict) -> str | None:
    """What in ``record`` breaks the record contract (:data:`RECORD_SCHEMA` and, for an ``ok`` record, the
    invariant's value schema), in one line; None if nothing does.

    EXAMPLES::

        >>> schema_problem({"arch": "linear_w2-1-2"})
        "'invariant' is a required property"
        >>> r = make_record("linear_w2-1-2", "dimension", value={"dim": 3}, method="symbolic",
        ...                 certificate={"kind": "modular"}, seconds=1.0, seed=1)
        >>> schema_problem(r)
        "value: 'ambient_dim' is a required property"
    """
    from pipeline.invariants import SPECS

    problem = _first_violation(_validator(None), record)
    if problem is not None:
        return problem
    if record["invariant"] not in SPECS:
        return f"unknown invariant {record['invariant']!r}; valid names: {', '.join(sorted(SPECS))}"
    if record["status"] == "ok":
        return _first_violation(_validator(record["invariant"]), record["value"], "value")
    return None


@functools.lru_cache(maxsize=None)
def _validator(invariant: str | None):
    """The compiled validator of the record schema (``None``) or of ``invariant``'s value schema, made once."""
    import jsonschema

    from pipeline.invariants import SPECS

    return jsonschema.Draft202012Validator(RECORD_SCHEMA if invariant is None else SPECS[invariant].value_schema)


def _first_violation(validator, instance, name: str = "") -> str | None:
    """The most relevant violation of ``instance`` (called ``name``), as ``where: what`` (``what`` alone at the
    top of an unnamed instance); None if there is none."""
    import jsonschema

    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is None:
        return None
    where = ".".join(str(part) for part in ([name] if name else []) + list(error.absolute_path))
    return f"{where}: {error.message}" if where else error.message


def write_record(record: dict, path) -> Path:
    """Write ``record`` to ``path`` atomically (temporary file, then rename), after checking it against the
    record contract (:func:`schema_problem`): a record that breaks it raises
    :class:`~pipeline.errors.RecordError` and nothing is written.

    The temporary file ``.<name>.<random>.tmp`` sits in the same folder (a rename within one file
    system is atomic), so concurrent writers of one record and a writer killed at any moment leave
    ``path`` absent or complete, never partial (``tests/test_atomic_records.py``); a writer that fails
    removes its temporary file, and one killed by SIGKILL leaves only that hidden ``.tmp`` file,
    which no ``*.json`` pattern matches.

    EXAMPLES::

        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> r = make_record("linear_w2-1-2", "dimension", status="timeout", message="over 1 s", seed=0,
        ...                 extra={"reason": "budget"})
        >>> write_record(r, folder / "dimension.json").name, sorted(p.name for p in folder.iterdir())
        ('dimension.json', ['dimension.json'])
    """
    from pipeline.errors import RecordError

    problem = schema_problem(record)
    if problem is not None:
        raise RecordError(f"refusing to write a record that breaks the record contract ({problem}): {path}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(record, handle, indent=2, sort_keys=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())  # the rename below never publishes a file whose bytes are not yet on disk
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


#: The fields every record read back must have (the tables need them).
REQUIRED = ("arch", "invariant", "status", "value")


def _redo(path: Path) -> str:
    """How to get a good record at ``path`` again: Snakemake, or the command line for ``<slug>/<invariant>.json``."""
    again = "delete it and rerun 'make results' (Snakemake recomputes it)"
    if path.suffix == ".json" and "_" in path.parent.name:
        again += (f", or recompute it with 'neuromanifold compute {path.parent.name} --invariants {path.stem} "
                  f"--out {path.parent.parent}'")
    return again


def read_record(path, validate: bool = True) -> dict:
    """The record in the JSON file ``path``; raise :class:`~pipeline.errors.RecordError` naming the file and the fix.

    A file that is missing, unreadable, truncated or corrupt (not JSON), not a JSON object, or
    without the fields of :data:`REQUIRED` (or with an unknown ``status``) is refused; so is, with
    ``validate`` (the default; else call :func:`check_record`), one that breaks the record contract.

    EXAMPLES::

        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "linear_w2-1-2" / "dimension.json"
        >>> path.parent.mkdir()
        >>> _ = path.write_text('{"arch": "linear_w2-1-2", "invariant": "dimen')
        >>> read_record(path)
        Traceback (most recent call last):
        ...
        pipeline.errors.RecordError: record .../linear_w2-1-2/dimension.json is not valid JSON (truncated or corrupt: Unterminated string starting at: line 1 column 40); delete it and rerun 'make results' (Snakemake recomputes it), or recompute it with 'neuromanifold compute linear_w2-1-2 --invariants dimension --out ...'
    """
    from pipeline.errors import RecordError

    path = Path(path)
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise RecordError(f"record {path} does not exist; check the path, or compute it: "
                          f"{_redo(path).replace('delete it and rerun', 'rerun')}") from None
    except IsADirectoryError:
        raise RecordError(f"record {path} is a directory, not a record file; give the .json files inside it "
                          f"(e.g. {path}/*.json)") from None
    except UnicodeDecodeError as exc:
        raise RecordError(f"record {path} is not text (corrupt: {exc.reason} at byte {exc.start}); "
                          f"{_redo(path)}") from None
    except OSError as exc:
        raise RecordError(f"record {path} cannot be read ({exc.strerror}); check its permissions") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"record {path} is not valid JSON (truncated or corrupt: {exc.msg}: line {exc.lineno} "
                          f"column {exc.colno}); {_redo(path)}") from None
    if not isinstance(record, dict):
        raise RecordError(f"record {path} holds a JSON {type(record).__name__}, not a record object; {_redo(path)}")
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        raise RecordError(f"record {path} lacks the field{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                          f"(a record has {', '.join(REQUIRED)}); {_redo(path)}")
    if record["status"] not in STATUSES:
        raise RecordError(f"record {path} has status {record['status']!r}, not one of {', '.join(STATUSES)}; "
                          f"{_redo(path)}")
    if not isinstance(record["arch"], str) or not isinstance(record["invariant"], str):
        raise RecordError(f"record {path}: arch and invariant must be strings; {_redo(path)}")
    if record["status"] == "ok" and not isinstance(record["value"], dict):
        raise RecordError(f"record {path} has status ok but no value object; {_redo(path)}")
    if validate:
        check_record(record, path)
    return record


def check_record(record: dict, path) -> dict:
    """``record`` if it keeps the record contract (:func:`schema_problem`); else raise
    :class:`~pipeline.errors.RecordError` naming the file ``path``, the problem and the fix."""
    from pipeline.errors import RecordError

    problem = schema_problem(record)
    if problem is not None:
        raise RecordError(f"record {path} breaks the record contract ({problem}); {_redo(Path(path))}")
    return record
