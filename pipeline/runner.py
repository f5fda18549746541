"""Run one invariant on one architecture under a wall-clock limit; always return a record.

The computation runs in a forked child process in its own process group; when
the budget runs out the whole group (including any Macaulay2 or msolve child)
is killed and a ``timeout`` record is returned. Backends inside the job take the
rest of its budget as their own limit (:mod:`pipeline.budget`); one that runs out
(:class:`~pipeline.errors.BudgetExceeded`) also gives a ``timeout`` record. Any
other exception in the child becomes an ``error`` record with the message. Bad input (an unknown slug, invariant or
method) is rejected *before* anything runs, by raising
:class:`~pipeline.errors.NeuromanifoldError`.

EXAMPLES::

    >>> r = compute_record("linear_w3-1-3", "dimension", seed=1, timeout=60)
    >>> r["status"], r["value"]["dim"], r["certificate"]["kind"]
    ('ok', 5, 'modular')
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
import traceback
from pathlib import Path

from pipeline import budget
from pipeline.architectures import parametrization
from pipeline.errors import BudgetExceeded, NeuromanifoldError, UnknownNameError, lookup
from pipeline.invariants import AUTO_CHAINS, INVARIANTS, check_options
from pipeline.records import make_record
from pipeline.spec import parse_slug


def check_request(slug: str, invariant: str, method: str = "auto", options: dict | None = None):
    """Validate a request (slug, invariant, method and options); return ``(architecture, function, certificate)``."""
    arch = parse_slug(slug)
    function, methods, certificate = lookup(INVARIANTS, invariant, "invariant")
    if method not in methods:
        raise UnknownNameError(f"unknown method {method!r} for {invariant}; valid names: {', '.join(methods)}")
    check_options(invariant, options)
    return arch, function, certificate


_PARENT_SESSIONS = []


def forget_parent_interfaces():
    """In a forked child: detach the parent's pexpect sessions (Sage's Singular interface and
    friends), so the child starts its own instead of talking to the parent's process.

    The parent's session objects are kept referenced: finalizing them here would close
    the shared terminal and signal the parent's Singular, which then never answers the parent.
    """
    import gc

    from sage.interfaces.expect import Expect

    for interface in gc.get_objects():
        if isinstance(interface, Expect) and interface._expect is not None:
            _PARENT_SESSIONS.append(interface._expect)
            interface._expect = None


def _children_of(pid: int) -> set[int]:
    """The pids whose parent is ``pid`` (Linux ``/proc``; empty elsewhere)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def _adopt_orphans() -> None:
    """Make this process the reaper of its orphaned descendants (Linux ``PR_SET_CHILD_SUBREAPER``).

    A killed computation leaves behind the programs it started in sessions of their own
    (Sage's pexpect Singular); they then become children of this process instead of init,
    and :func:`_kill_orphans` ends them.
    """
    from pipeline.backends.m2 import LIBC_PRCTL

    if LIBC_PRCTL is not None:
        LIBC_PRCTL(36, 1)  # 36 = PR_SET_CHILD_SUBREAPER


def _kill_orphans(known: set[int]) -> None:
    """SIGKILL and reap the children of this process that it did not have before (``known``)."""
    for orphan in _children_of(os.getpid()) - known:
        try:
            os.kill(orphan, signal.SIGKILL)
            os.waitpid(orphan, 0)
        except (ProcessLookupError, ChildProcessError, PermissionError):
            pass


def call_with_budget(function, args=(), seconds: float = 60):
    """``(status, value or message)`` of ``function(*args)`` run in a forked child for at most ``seconds``.

    For an optional part of an invariant that may not finish: the caller records the status.
    A plain ``os.fork`` (the job itself runs in a daemonic process, which may not use multiprocessing).

    EXAMPLES::

        >>> call_with_budget(sum, ([1, 2, 3],), seconds=30)
        ('ok', 6)
        >>> call_with_budget(time.sleep, (5,), seconds=0.5)[0]
        'timeout'
    """
    import pickle
    import select

    _adopt_orphans()
    known = _children_of(os.getpid())
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's code
        try:
            os.close(read_end)
            os.setpgrp()
            forget_parent_interfaces()  # the child must not talk to (and kill) the parent's Singular session
            budget.start_job(min(seconds, budget.seconds_left(default=seconds)))
            try:
                outcome = ("ok", function(*args))
            except BudgetExceeded as exc:
                outcome = ("timeout", f"{type(exc).__name__}: {exc}")
            except BaseException as exc:  # noqa: BLE001 - reported to the caller
                outcome = ("error", f"{type(exc).__name__}: {exc}")
            with os.fdopen(write_end, "wb") as handle:
                pickle.dump(outcome, handle)
        finally:
            os._exit(0)
    os.close(write_end)
    deadline, chunks = time.monotonic() + seconds, []
    with os.fdopen(read_end, "rb") as handle:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([handle], [], [], remaining)[0]:
                break
            chunk = os.read(handle.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    os.waitpid(pid, 0)
    _kill_orphans(known)
    if time.monotonic() >= deadline and not chunks:
        return ("timeout", f"no result within {seconds} s")
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a truncated result
        return ("error", "the computation died without a complete result")


def _child(conn, arch, function, method, seed, timeout, memory_mb, options):
    os.setpgrp()
    forget_parent_interfaces()
    budget.start_job(timeout)
    if memory_mb:
        limit = int(memory_mb) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        value = function(parametrization(arch), method=method, seed=seed, **options)
        conn.send(("ok", value, None))
    except MemoryError:
        conn.send(("error", None, f"out of memory (limit {memory_mb} MB)"))
    except BudgetExceeded as exc:  # an inner limit (a backend's) ran out: the budget is spent
        conn.send(("timeout", None, f"{type(exc).__name__}: {exc}"))
    except NeuromanifoldError as exc:
        conn.send(("error", None, f"{type(exc).__name__}: {exc}"))
    except Exception as exc:  # noqa: BLE001 - any failure becomes a record
        conn.send(("error", None, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
    finally:
        conn.close()


def compute_record(slug: str, invariant: str, *, method: str = "auto", seed: int = 0,
                   timeout: float = 600, memory_mb: int | None = None, options: dict | None = None) -> dict:
    """Compute ``invariant`` of ``slug`` within ``timeout`` seconds; return the record.

    With ``method="auto"`` and a chain in :data:`~pipeline.invariants.AUTO_CHAINS`, the
    methods are tried in order until one gives ``ok``; each gets half of the remaining
    budget (the last one all of it), and the record lists the ``attempts``.
    """
    check_request(slug, invariant, method, options)
    options = check_options(invariant, options)
    chain = AUTO_CHAINS.get(invariant) if method == "auto" else None
    if not chain:
        return _compute_once(slug, invariant, method, seed, timeout, memory_mb, options)
    start, attempts, record = time.monotonic(), [], None
    for position, name in enumerate(chain):
        remaining = timeout - (time.monotonic() - start)
        if remaining <= 0:
            break
        share = remaining if position == len(chain) - 1 else remaining / 2
        record = _compute_once(slug, invariant, name, seed, share, memory_mb, options)
        attempts.append({"method": name, "status": record["status"], "seconds": record["seconds"],
                         "message": record["message"]})
        if record["status"] == "ok":
            break
    record["attempts"] = attempts
    record["seconds"] = round(time.monotonic() - start, 3)
    if record["status"] != "ok":
        record["message"] = "; ".join(f"{a['method']}: {a['status']} ({a['message']})" for a in attempts)
    return record


def _compute_once(slug, invariant, method, seed, timeout, memory_mb, options):
    arch, function, certificate = check_request(slug, invariant, method, options)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _adopt_orphans()
    known = _children_of(os.getpid())
    start = time.monotonic()
    child = context.Process(target=_child, args=(sender, arch, function, method, seed, timeout, memory_mb, options), daemon=True)
    child.start()
    sender.close()
    outcome = None
    if receiver.poll(timeout):
        try:
            outcome = receiver.recv()
        except EOFError:
            outcome = None
    seconds = time.monotonic() - start
    if child.is_alive():
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    child.join()
    _kill_orphans(known)
    extra = {"options": options} if options else None
    if outcome is None and seconds >= timeout:
        return make_record(arch, invariant, status="timeout", method=method, seconds=seconds, seed=seed,
                           message=f"no result within the budget of {timeout} s", extra=extra)
    if outcome is None:
        return make_record(arch, invariant, status="error", method=method, seconds=seconds, seed=seed,
                           message=f"the computation died (exit code {child.exitcode}) without a result", extra=extra)
    status, value, message = outcome
    if status != "ok":
        return make_record(arch, invariant, status=status, method=method, seconds=seconds, seed=seed, message=message,
                           extra=extra)
    return make_record(arch, invariant, value=value, method=value.get("method", method),
                       certificate=certificate(value), seconds=seconds, seed=seed, extra=extra)
