"""Run one invariant on one architecture under a wall-clock limit; always return a record.

The computation runs in a forked child process in its own process group; when
the budget runs out the whole group (including any Macaulay2 or msolve child)
is killed and a ``timeout`` record is returned. Backends inside the job take the
rest of its budget as their own limit (:mod:`pipeline.engines.budget`); one that runs out
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

import logging
import multiprocessing
import os
import resource
import time
import traceback

from pipeline.architectures import parametrization
from pipeline.engines.processes import (
    become_subreaper,
    children_of,
    enter_contained_child,
    SINGULAR_MEMORY_HALT,
    exit_description,
    kill_group,
    kill_orphans,
    memory_message,
    out_of_memory,
)
from pipeline.errors import BudgetExceeded, ConfigError, NeuromanifoldError, OutOfMemory, UnknownNameError
from pipeline.execution.records import budget_fallbacks, make_record, schema_problem
from pipeline.invariants import check_options, spec_of
from pipeline.spec import parse_slug

log = logging.getLogger(__name__)


def check_request(slug: str, invariant: str, method: str = "auto", options: dict | None = None):
    """Validate a request (slug, invariant, method and options); return ``(architecture, function, certificate)``."""
    arch = parse_slug(slug)
    spec = spec_of(invariant)
    if method not in spec.methods:
        raise UnknownNameError(f"unknown method {method!r} for {invariant}; valid names: {', '.join(spec.methods)}")
    check_data_size(arch, check_options(invariant, options))
    return arch, spec.compute, spec.certificate


def check_data_size(arch, options: dict) -> None:
    """Refuse a ``data_size`` option that cannot work, before anything runs: without the ``data`` metric
    (it would be ignored), or fewer training inputs than each output has coefficients (the squared error
    on them is then a degenerate form: each input sees one value per output).

    EXAMPLES::

        >>> check_data_size(parse_slug("mlp_w2-2-1_r2"), {"metric": "data", "data_size": 3})
        >>> check_data_size(parse_slug("mlp_w2-2-1_r2"), {"metric": "data", "data_size": 1})
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: --data-size 1 is too few training inputs for mlp_w2-2-1_r2: each output has 3 coefficients, and fewer inputs than that make the squared error degenerate; give at least 3, e.g. --data-size 6 (the default)
        >>> check_data_size(parse_slug("mlp_w2-2-1_r2"), {"data_size": 5})
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: --data-size applies to the data metric only, not to 'generic'; add --metric data (metric: data in a configuration) or drop --data-size
    """
    from pipeline.spec import format_slug, size_of

    data_size = options.get("data_size")
    if data_size is None:
        return
    metric = options.get("metric", "generic")
    if metric != "data":
        raise ConfigError(f"--data-size applies to the data metric only, not to {metric!r}; add --metric data "
                          "(metric: data in a configuration) or drop --data-size")
    sizes = size_of(arch)
    if sizes["ambient_dim"] is None:
        return
    need = sizes["ambient_dim"] // sizes["n_outputs"]
    if data_size < need:
        raise ConfigError(f"--data-size {data_size} is too few training inputs for {format_slug(arch)}: each output "
                          f"has {need} coefficients, and fewer inputs than that make the squared error degenerate; "
                          f"give at least {need}, e.g. --data-size {2 * need} (the default)")


def _child(conn, parent, arch, function, method, seed, timeout, memory_mb, options):
    os.dup2(2, 1)  # stdout is the record stream: what the computation or a backend writes on fd 1 goes to stderr
    enter_contained_child(parent, timeout)
    if memory_mb:
        limit = int(memory_mb) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        value = function(parametrization(arch), method=method, seed=seed, **options)
        conn.send(("ok", value, None, None))
    except MemoryError:
        conn.send(("error", None, memory_message(memory_mb, "MemoryError in Python"), "memory"))
    except OutOfMemory as exc:  # a backend program died of the limit; the message names it and the limit
        conn.send(("error", None, str(exc), "memory"))
    except BudgetExceeded as exc:  # an inner limit (a backend's) ran out: the budget is spent
        conn.send(("timeout", None, f"{type(exc).__name__}: {exc}", "budget"))
    except Exception as exc:  # noqa: BLE001 - any failure becomes a record
        text = f"{type(exc).__name__}: {exc}"
        if out_of_memory(1, text):  # e.g. a library that no longer fits the address space: failed to map segment
            conn.send(("error", None, memory_message(memory_mb, text[:300]), "memory"))
        elif isinstance(exc, NeuromanifoldError):
            conn.send(("error", None, text, "failure"))
        else:
            conn.send(("error", None, f"{text}\n{traceback.format_exc(limit=5)}", "failure"))
    finally:
        conn.close()


def compute_record(slug: str, invariant: str, *, method: str = "auto", seed: int = 0,
                   timeout: float = 600, memory_mb: int | None = None, options: dict | None = None) -> dict:
    """Compute ``invariant`` of ``slug`` within ``timeout`` seconds; return the record.

    With ``method="auto"`` and an ``auto_chain`` in the invariant's spec, the
    methods are tried in order until one gives ``ok``; each gets half of the remaining
    budget (the last one all of it), and the record lists the ``attempts`` (with each one's ``budget``).
    A record whose outcome depends on the budget, a ``timeout`` or a chain that fell back after an
    earlier method timed out, says so with ``budget_dependent: true``.
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
    chain = spec_of(invariant).auto_chain if method == "auto" else ()
    if not chain:
        return _mark_budget_dependent(_compute_once(slug, invariant, method, seed, timeout, memory_mb, options))
    start, attempts, record = time.monotonic(), [], None
    for position, name in enumerate(chain):
        remaining = timeout - (time.monotonic() - start)
        if remaining <= 0:
            break
        share = remaining if position == len(chain) - 1 else remaining / 2
        record = _compute_once(slug, invariant, name, seed, share, memory_mb, options)
        attempts.append({"method": name, "status": record["status"], "seconds": record["seconds"],
                         "message": record["message"], "budget": round(share, 3)})
        if record["status"] == "ok":
            break
        if position < len(chain) - 1:
            log.info("%s %s: method %s gave %s; the auto chain tries %s next", slug, invariant, name,
                     record["status"], chain[position + 1])
    record["attempts"] = attempts
    record["seconds"] = round(time.monotonic() - start, 3)
    if record["status"] != "ok":
        record["message"] = "; ".join(f"{a['method']}: {a['status']} ({a['message']})" for a in attempts)
    return _mark_budget_dependent(record)


def _mark_budget_dependent(record: dict) -> dict:
    """``record`` with ``budget_dependent: true`` if its outcome depends on the time budget (and so on how
    busy the machine was): it is a ``timeout``, or an auto chain fell back because an earlier method ran
    out of its share (:func:`~pipeline.execution.records.budget_fallbacks`). Other records get no field."""
    if record["status"] == "timeout" or budget_fallbacks(record):
        record["budget_dependent"] = True
    return record


def _compute_once(slug, invariant, method, seed, timeout, memory_mb, options):
    arch, function, certificate = check_request(slug, invariant, method, options)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    become_subreaper()
    known = children_of(os.getpid())
    log.info("%s %s: method %s, budget %.4g s, seed %s%s", slug, invariant, method, timeout, seed,
             f", memory limit {memory_mb} MB" if memory_mb else "")
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
    record = _record_of(arch, invariant, method, seed, timeout, options, outcome, seconds, child.exitcode, certificate,
                        memory_mb)
    log.info("%s %s: %s in %.2f s (method %s)%s", slug, invariant, record["status"], seconds, record["method"],
             f": {record['message'].splitlines()[0]}" if record["message"] else "")
    return record


def _record_of(arch, invariant, method, seed, timeout, options, outcome, seconds, exitcode, certificate,
               memory_mb=None) -> dict:
    """The record of one finished attempt: its ``outcome`` from the child (``None``: it sent none).

    A child that died without a result died of memory (``reason: memory``) when it exited with
    Singular's ``halt 14`` (libSingular runs in the child) or, under a memory limit, crashed
    (:func:`~pipeline.engines.processes.out_of_memory`).
    """
    extra = {"options": options} if options else {}
    if outcome is None and seconds >= timeout:
        return make_record(arch, invariant, status="timeout", method=method, seconds=seconds, seed=seed,
                           message=f"no result within the budget of {timeout} s", extra={**extra, "reason": "budget"})
    if outcome is None and (exitcode == SINGULAR_MEMORY_HALT or out_of_memory(exitcode or 0, "", memory_mb)):
        detail = ("exit 14: Singular's halt when an allocation fails" if exitcode == SINGULAR_MEMORY_HALT
                  else exit_description(exitcode))
        return make_record(arch, invariant, status="error", method=method, seconds=seconds, seed=seed,
                           message=f"the computation died without a result: {memory_message(memory_mb, detail)}",
                           extra={**extra, "reason": "memory"})
    if outcome is None:
        died = exit_description(exitcode if exitcode is not None else 0)
        return make_record(arch, invariant, status="error", method=method, seconds=seconds, seed=seed,
                           message=f"the computation died ({died}) without a result",
                           extra={**extra, "reason": "signal" if (exitcode or 0) < 0 else "failure"})
    status, value, message, reason = outcome
    if status != "ok":
        return make_record(arch, invariant, status=status, method=method, seconds=seconds, seed=seed, message=message,
                           extra={**extra, "reason": reason})
    record = make_record(arch, invariant, value=value, method=value.get("method", method),
                         certificate=certificate(value), seconds=seconds, seed=seed, extra=extra or None)
    problem = schema_problem(record)
    if problem is not None:  # a bug of the invariant, not of the user: an error record that says so
        log.error("%s %s: the computed value breaks the record contract (%s)", record["arch"], invariant, problem)
        return make_record(arch, invariant, status="error", method=method, seconds=seconds, seed=seed,
                           message=f"the computed value breaks the record contract ({problem})",
                           extra={**extra, "reason": "failure"})
    return record
