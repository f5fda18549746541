"""Run one invariant on one architecture under a wall-clock limit; always return a record.

The computation runs in a forked child process in its own process group; when
the budget runs out the whole group (including any Macaulay2 or msolve child)
is killed and a ``timeout`` record is returned. An exception in the child becomes
an ``error`` record with the message. Bad input (an unknown slug, invariant or
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

from pipeline.architectures import parametrization
from pipeline.errors import NeuromanifoldError, UnknownNameError, lookup
from pipeline.invariants import AUTO_CHAINS, INVARIANTS
from pipeline.records import make_record
from pipeline.spec import parse_slug


def check_request(slug: str, invariant: str, method: str = "auto"):
    """Validate a request; return ``(architecture, function, certificate)``."""
    arch = parse_slug(slug)
    function, methods, certificate = lookup(INVARIANTS, invariant, "invariant")
    if method not in methods:
        raise UnknownNameError(f"unknown method {method!r} for {invariant}; valid names: {', '.join(methods)}")
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


def _child(conn, arch, function, method, seed, memory_mb):
    os.setpgrp()
    forget_parent_interfaces()
    if memory_mb:
        limit = int(memory_mb) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        value = function(parametrization(arch), method=method, seed=seed)
        conn.send(("ok", value, None))
    except MemoryError:
        conn.send(("error", None, f"out of memory (limit {memory_mb} MB)"))
    except NeuromanifoldError as exc:
        conn.send(("error", None, f"{type(exc).__name__}: {exc}"))
    except Exception as exc:  # noqa: BLE001 - any failure becomes a record
        conn.send(("error", None, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
    finally:
        conn.close()


def compute_record(slug: str, invariant: str, *, method: str = "auto", seed: int = 0,
                   timeout: float = 600, memory_mb: int | None = None) -> dict:
    """Compute ``invariant`` of ``slug`` within ``timeout`` seconds; return the record.

    With ``method="auto"`` and a chain in :data:`~pipeline.invariants.AUTO_CHAINS`, the
    methods are tried in order until one gives ``ok``; each gets half of the remaining
    budget (the last one all of it), and the record lists the ``attempts``.
    """
    check_request(slug, invariant, method)
    chain = AUTO_CHAINS.get(invariant) if method == "auto" else None
    if not chain:
        return _compute_once(slug, invariant, method, seed, timeout, memory_mb)
    start, attempts, record = time.monotonic(), [], None
    for position, name in enumerate(chain):
        remaining = timeout - (time.monotonic() - start)
        if remaining <= 0:
            break
        budget = remaining if position == len(chain) - 1 else remaining / 2
        record = _compute_once(slug, invariant, name, seed, budget, memory_mb)
        attempts.append({"method": name, "status": record["status"], "seconds": record["seconds"],
                         "message": record["message"]})
        if record["status"] == "ok":
            break
    record["attempts"] = attempts
    record["seconds"] = round(time.monotonic() - start, 3)
    if record["status"] != "ok":
        record["message"] = "; ".join(f"{a['method']}: {a['status']} ({a['message']})" for a in attempts)
    return record


def _compute_once(slug, invariant, method, seed, timeout, memory_mb):
    arch, function, certificate = check_request(slug, invariant, method)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    start = time.monotonic()
    child = context.Process(target=_child, args=(sender, arch, function, method, seed, memory_mb), daemon=True)
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
    if outcome is None and seconds >= timeout:
        return make_record(arch, invariant, status="timeout", method=method, seconds=seconds, seed=seed,
                           message=f"no result within the budget of {timeout} s")
    if outcome is None:
        return make_record(arch, invariant, status="error", method=method, seconds=seconds, seed=seed,
                           message=f"the computation died (exit code {child.exitcode}) without a result")
    status, value, message = outcome
    if status != "ok":
        return make_record(arch, invariant, status=status, method=method, seconds=seconds, seed=seed, message=message)
    return make_record(arch, invariant, value=value, method=value.get("method", method),
                       certificate=certificate(value), seconds=seconds, seed=seed)
