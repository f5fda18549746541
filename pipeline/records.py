"""Result records: one JSON object per architecture and invariant.

Fields (``shared/DESIGN.md``): ``arch``, ``invariant``, ``status`` (``ok``,
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
REPO = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def versions() -> dict:
    """Versions of everything a number depends on (computed once per process)."""
    from pipeline.backends.m2 import m2_version, msolve_version
    from pipeline.errors import BackendError

    def git(*args):
        try:
            done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=20)
            return done.stdout.strip() if done.returncode == 0 else None
        except OSError:
            return None

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
    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "pipeline": pipeline.__version__,
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
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


def write_record(record: dict, path) -> Path:
    """Write ``record`` to ``path`` atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w") as handle:
        json.dump(record, handle, indent=2, sort_keys=False)
        handle.write("\n")
    os.replace(tmp, path)
    return path


def read_record(path) -> dict:
    with open(path) as handle:
        return json.load(handle)
