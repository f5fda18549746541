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
import time
import traceback
from pathlib import Path

from pipeline import budget
from pipeline.backends.processes import (become_subreaper, children_of, contain_pexpect_children, die_with_parent,
                                          exit_description, kill_group, kill_orphans)
from pipeline.architectures import parametrization
from pipeline.errors import BudgetExceeded, ConfigError, NeuromanifoldError, UnknownNameError, lookup
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

    become_subreaper()
    known = children_of(os.getpid())
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's code
        try:
            die_with_parent(parent)
            os.close(read_end)
            os.setpgrp()
            forget_parent_interfaces()  # the child must not talk to (and kill) the parent's Singular session
            contain_pexpect_children()
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
    try:
        with os.fdopen(read_end, "rb") as handle:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([handle], [], [], remaining)[0]:
                    break
                chunk = os.read(handle.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:  # also on an exception here (the caller's own budget ran out): the child never outlives the call
        kill_group(pid)
        os.waitpid(pid, 0)
        kill_orphans(known)
    if time.monotonic() >= deadline and not chunks:
        return ("timeout", f"no result within {seconds} s")
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a truncated result
        return ("error", "the computation died without a complete result")


def _child(conn, parent, arch, function, method, seed, timeout, memory_mb, options):
    die_with_parent(parent)
    os.setpgrp()
    forget_parent_interfaces()
    contain_pexpect_children()
    budget.start_job(timeout)
    if memory_mb:
        limit = int(memory_mb) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        value = function(parametrization(arch), method=method, seed=seed, **options)
        conn.send(("ok", value, None, None))
    except MemoryError:
        conn.send(("error", None, f"out of memory (limit {memory_mb} MB)", "memory"))
    except BudgetExceeded as exc:  # an inner limit (a backend's) ran out: the budget is spent
        conn.send(("timeout", None, f"{type(exc).__name__}: {exc}", "budget"))
    except NeuromanifoldError as exc:
        conn.send(("error", None, f"{type(exc).__name__}: {exc}", "failure"))
    except Exception as exc:  # noqa: BLE001 - any failure becomes a record
        conn.send(("error", None, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}", "failure"))
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
    check_budget(timeout, memory_mb)
    settings = {"method": method, "seed": seed, "timeout": timeout, "memory_mb": memory_mb, "options": options}
    record = _compute_chain(slug, invariant, method, seed, timeout, memory_mb, options)
    record["settings"] = settings
    return record


def check_budget(timeout, memory_mb=None) -> None:
    """Raise :class:`~pipeline.errors.ConfigError` unless ``timeout`` (seconds) is positive and
    ``memory_mb`` is ``None`` or a positive whole number.

    EXAMPLES::

        >>> check_budget(60, None)
        >>> check_budget(0)
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: the time budget must be a positive number of seconds, got 0; e.g. 60
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ConfigError(f"the time budget must be a positive number of seconds, got {timeout!r}; e.g. 60")
    if memory_mb is not None and (isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or memory_mb < 1):
        raise ConfigError(f"the memory limit must be a positive number of MB, got {memory_mb!r}; e.g. 4000")


def _compute_chain(slug, invariant, method, seed, timeout, memory_mb, options):
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
    become_subreaper()
    known = children_of(os.getpid())
    start = time.monotonic()
    child = context.Process(target=_child, args=(sender, os.getpid(), arch, function, method, seed, timeout, memory_mb,
                                                 options), daemon=True)
    child.start()
    sender.close()
    outcome = None
    try:
        if receiver.poll(timeout):
            try:
                outcome = receiver.recv()
            except EOFError:
                outcome = None
    finally:  # also on SIGTERM or Ctrl-C of this process: nothing it started survives it
        seconds = time.monotonic() - start
        if child.is_alive():
            kill_group(child.pid)
        child.join()
        kill_orphans(known)
    extra = {"options": options} if options else {}
    if outcome is None and seconds >= timeout:
        return make_record(arch, invariant, status="timeout", method=method, seconds=seconds, seed=seed,
                           message=f"no result within the budget of {timeout} s", extra={**extra, "reason": "budget"})
    if outcome is None:
        died = exit_description(child.exitcode if child.exitcode is not None else 0)
        return make_record(arch, invariant, status="error", method=method, seconds=seconds, seed=seed,
                           message=f"the computation died ({died}) without a result",
                           extra={**extra, "reason": "signal" if (child.exitcode or 0) < 0 else "failure"})
    status, value, message, reason = outcome
    if status != "ok":
        return make_record(arch, invariant, status=status, method=method, seconds=seconds, seed=seed, message=message,
                           extra={**extra, "reason": reason})
    return make_record(arch, invariant, value=value, method=value.get("method", method),
                       certificate=certificate(value), seconds=seconds, seed=seed, extra=extra or None)
