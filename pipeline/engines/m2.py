"""Find and drive the Macaulay2 and msolve binaries (through files, never the screen).

``M2`` is looked up in this order: the environment variable ``M2``; the binary
that ``passagemath-macaulay2`` installs (``site-packages/sage_wheels/bin/M2``);
``M2`` on ``PATH``. Scripts run as ``M2 --script m2/scripts/<name>.m2 in.json
out.json`` with a wall-clock limit; Macaulay2's stderr goes to the caller's log.

EXAMPLES::

    >>> m2_version()[:2]
    '1.'
    >>> result = run_m2_script("version", {})
    >>> result["version"] == m2_version()
    True
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import site
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from pipeline.engines.budget import seconds_left
from pipeline.engines.processes import (
    exit_description,
    kill_group,
    memory_limit_mb,
    memory_message,
    out_of_memory,
    preexec_die_with_parent,
)
from pipeline.errors import BackendError, BudgetExceeded, OutOfMemory

log = logging.getLogger(__name__)

M2_DIR = Path(__file__).resolve().parents[2] / "m2"

_FIX = (
    "install it with 'make install' (passagemath-macaulay2 ships M2), or point the "
    "environment variable M2 at a working Macaulay2 binary"
)


def _site_binary(name: str) -> Path | None:
    roots = list(site.getsitepackages()) + [site.getusersitepackages()]
    roots += [p for p in sys.path if p.endswith("site-packages")]
    for root in roots:
        candidate = Path(root) / "sage_wheels" / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


#: The external programs the pipeline runs: environment variable, binary name, what it is, version flag.
BINARIES = (("M2", "M2", "Macaulay2", "--version"), ("MSOLVE", "msolve", "msolve", "-V"))


def executable_problem(path: Path) -> str | None:
    """Why ``path`` cannot be run as a program (``'does not exist'``, ``'is not an executable file'``), or ``None``.

    EXAMPLES::

        >>> executable_problem(Path(sys.executable)), executable_problem(Path("/nonexistent/M2"))
        (None, 'does not exist')
        >>> executable_problem(Path(__file__))
        'is not an executable file'
    """
    if not path.exists():
        return "does not exist"
    if not path.is_file() or not os.access(path, os.X_OK):
        return "is not an executable file"
    return None


def find_binary(name: str) -> tuple[Path, str]:
    """Return ``(path, source)`` of ``name`` (``M2`` or ``msolve``); raise :class:`BackendError`."""
    env_var = next(variable for variable, binary, _, _ in BINARIES if binary == name)
    value = os.environ.get(env_var)
    if value:
        path = Path(value)
        if executable_problem(path) is None:
            return path, f"environment variable {env_var}"
        raise BackendError(f"{env_var}={value} is not an executable file; unset {env_var} or {_FIX}")
    bundled = _site_binary(name)
    if bundled is not None:
        return bundled, "passagemath"
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path), "PATH"
    raise BackendError(f"{name} not found (no {env_var} variable, no passagemath binary, nothing on PATH); {_FIX}")


@functools.lru_cache(maxsize=None)
def _version(path: str, flag: str) -> str:
    try:
        done = subprocess.run([path, flag], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackendError(f"{path} {flag} failed ({exc}); {_FIX}") from exc
    text = (done.stdout or done.stderr).strip()
    if done.returncode != 0 or not text:
        raise BackendError(f"{path} {flag} exited with {done.returncode}: {done.stderr.strip()[-500:]}; {_FIX}")
    return text.splitlines()[0].strip()


def m2_binary() -> Path:
    return find_binary("M2")[0]


def binary_version(name: str) -> str:
    """The version string of the binary ``name`` (``M2`` or ``msolve``) that the pipeline uses."""
    flag = next(flag for _, binary, _, flag in BINARIES if binary == name)
    return _version(str(find_binary(name)[0]), flag)


def m2_version() -> str:
    """The version string of the Macaulay2 binary that the pipeline uses."""
    return binary_version("M2")


def msolve_version() -> str:
    """The version string of the msolve binary that the pipeline uses."""
    return binary_version("msolve")


def run_contained(command: list[str], name: str, timeout: float | None, **popen) -> tuple[int, str, str]:
    """``(returncode, stdout, stderr)`` of a backend program that cannot outlive its job.

    The program runs in a session of its own, so that the limit below kills it with all it
    started, and with a parent-death signal, so that it dies with the process that started it
    (:mod:`pipeline.engines.processes`). After ``timeout`` seconds (``None``: no limit) its
    process group is killed and :class:`BudgetExceeded` is raised, naming ``name``. A program that
    dies for want of memory (:func:`~pipeline.engines.processes.out_of_memory`: it inherits the job's
    address-space limit) raises :class:`~pipeline.errors.OutOfMemory`, naming the limit.

    EXAMPLES::

        >>> run_contained(["echo", "hi"], "echo", timeout=10)
        (0, 'hi\\n', '')
        >>> run_contained(["sleep", "5"], "sleep", timeout=0.2)
        Traceback (most recent call last):
        ...
        pipeline.errors.BudgetExceeded: sleep exceeded 0.2 s
    """
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=preexec_die_with_parent(), **popen)
    log.debug("%s: started (pid %d, limit %s)", name, proc.pid, "none" if timeout is None else f"{timeout:.4g} s")
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        proc.communicate()
        log.debug("%s: killed at its limit of %.4g s", name, timeout)
        raise BudgetExceeded(f"{name} exceeded {timeout:.4g} s") from None
    except BaseException:
        kill_group(proc.pid)
        proc.communicate()
        raise
    log.debug("%s: %s after %.2f s", name, exit_description(proc.returncode), time.monotonic() - start)
    if out_of_memory(proc.returncode, stderr + stdout, memory_limit_mb()):
        raise OutOfMemory(memory_message(memory_limit_mb(), f"{name}: {exit_description(proc.returncode)}"))
    return proc.returncode, stdout, stderr


def run_m2_script(name: str, job: dict, timeout: float | None = None, log=None) -> dict:
    """Run ``m2/scripts/<name>.m2`` on the JSON ``job``; return its JSON result.

    Raises :class:`BudgetExceeded` after ``timeout`` seconds (default: what is left of the
    job's budget, :func:`pipeline.engines.budget.seconds_left`, or 600 s outside a job; the M2 process
    group is killed) and :class:`BackendError` when M2 fails or writes no result.
    """
    if timeout is None:
        timeout = seconds_left(default=600)
    script = M2_DIR / "scripts" / f"{name}.m2"
    if not script.is_file():
        raise BackendError(f"no Macaulay2 script {script}")
    with tempfile.TemporaryDirectory(prefix="nm-m2-") as tmp:
        job_path, out_path = Path(tmp) / "in.json", Path(tmp) / "out.json"
        job_path.write_text(json.dumps(job))
        env = dict(os.environ, NEUROMANIFOLD_M2_DIR=str(M2_DIR))
        returncode, stdout, stderr = run_contained(
            [str(m2_binary()), "--script", str(script), str(job_path), str(out_path)],
            f"Macaulay2 script {name}", timeout, env=env, cwd=tmp)
        if log is not None:
            log.write(stdout + stderr)
        if returncode != 0 or not out_path.is_file():
            text = (stderr or "") + (stdout or "")
            errors = [line for line in text.splitlines() if "error" in line and "back trace" not in line]
            tail = "\n".join(errors[-5:]) if errors else text.strip()[-2000:]
            raise BackendError(f"Macaulay2 script {name} failed ({exit_description(returncode)}): {tail}")
        return json.loads(out_path.read_text())


def m2_polynomials(polynomials, ring) -> list[str]:
    """``polynomials`` of ``ring`` as strings in ``t_0 .. t_(n-1)`` (M2 reads ``_`` in ``W1_2`` as a subscript).

    EXAMPLES::

        >>> from sage.all import QQ
        >>> from pipeline.algebra.modular import polynomial_ring
        >>> R = polynomial_ring(QQ, ["W1_1", "W2_1"])
        >>> m2_polynomials([R.gen(0) * R.gen(1) - 1], R)
        ['t_0*t_1 - 1']
    """
    from pipeline.algebra.modular import polynomial_ring

    renamed = polynomial_ring(ring.base_ring(), [f"t_{i}" for i in range(ring.ngens())])
    return [str(renamed(f.dict())) for f in polynomials]


def from_m2_polynomials(strings, ring) -> list:
    """Polynomials written in ``t_0 .. t_(n-1)`` (by Macaulay2 or msolve) back in ``ring``: the inverse of
    :func:`m2_polynomials`.

    EXAMPLES::

        >>> from sage.all import QQ
        >>> from pipeline.algebra.modular import polynomial_ring
        >>> R = polynomial_ring(QQ, ["W1_1", "W2_1"])
        >>> from_m2_polynomials(["t_0*t_1 - 1", "2*t_1^2"], R)
        [W1_1*W2_1 - 1, 2*W2_1^2]
    """
    K, n = ring.base_ring(), ring.ngens()
    return [ring({exponents: K(c.numerator) / K(c.denominator) for exponents, c in _terms(text, n).items()})
            for text in strings]


def _terms(text: str, nvars: int) -> dict:
    """``{exponent vector: rational coefficient}`` of a polynomial written in ``t_0 .. t_(n-1)``.

    A plain term-by-term reading: Sage's own parser of polynomial strings recurses once per
    term and overflows Python's stack on the long polynomials of a Groebner basis.

    EXAMPLES::

        >>> _terms("-t_0^2*t_1 + 3*t_1 - 3*t_1 - 2/3", 2)
        {(2, 1): Fraction(-1, 1), (0, 1): Fraction(0, 1), (0, 0): Fraction(-2, 3)}
    """
    terms: dict = {}
    for term in text.replace(" ", "").replace("\n", "").replace("-", "+-").split("+"):
        if not term:
            continue
        coefficient, exponents = Fraction(1), [0] * nvars
        for factor in term.split("*"):
            if factor.startswith("-"):
                coefficient, factor = -coefficient, factor[1:]
            if factor.startswith("t_"):
                name, _, power = factor.partition("^")
                exponents[int(name[2:])] += int(power or 1)
            elif factor:
                coefficient *= Fraction(factor)
        key = tuple(exponents)
        terms[key] = terms.get(key, 0) + coefficient
    return terms


def coordinates_job(coords, **extra) -> dict:
    """A JSON job with the coordinate polynomials renamed ``t_0 .. t_(n-1)``.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> from pipeline.algebra.symbolic import expand
        >>> coordinates_job(expand(parametrization("linear_w2-1-1")), seed=1)
        {'nvars': 3, 'polynomials': ['t_0*t_2', 't_1*t_2'], 'seed': 1}
    """
    return {"nvars": coords.ring.ngens(), "polynomials": m2_polynomials(coords.polynomials, coords.ring), **extra}
