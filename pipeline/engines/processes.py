"""Process control: every process a job starts ends when the job ends, however it ends.

A job is a tree: the job process (the CLI, or the Snakemake job's script), the forked
compute child (:mod:`pipeline.execution.runner`), its budgeted sub-steps (``call_with_budget``), and
the programs they start (Macaulay2, msolve, Sage's pexpect Singular). The runner kills the
compute child's process group when the budget is spent, but Macaulay2, msolve and Singular
run in sessions of their own (so that their own limits can kill their whole group), and a job
process killed by SIGKILL (a cluster preemption, a killed sweep) cleans up nothing. So every
link of the tree asks the kernel for a *parent-death signal* (Linux ``PR_SET_PDEATHSIG``):
when its parent dies, it is killed too, and the death runs down the tree.

- :func:`die_with_parent` in a forked child, right after the fork;
- :func:`preexec_die_with_parent` as ``preexec_fn`` of ``subprocess.Popen`` (Macaulay2, msolve);
- :func:`contain_pexpect_children`: the same for programs that Sage starts through pexpect
  (Singular), installed in the compute child;
- :func:`become_subreaper` and :func:`kill_orphans`: a caller adopts what a killed child left
  behind and ends it (the guard for the budget's own kill, where the parent lives on).

Elsewhere than Linux there is no ``prctl``: the budget's kill of the process group is then the
only guard, and :data:`LIBC_PRCTL` is ``None``.

EXAMPLES::

    >>> import os, subprocess
    >>> done = subprocess.run(["true"], preexec_fn=preexec_die_with_parent())
    >>> done.returncode
    0
    >>> os.getpid() in children_of(os.getppid())
    True
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import time
from pathlib import Path

from pipeline.engines import budget
from pipeline.errors import BudgetExceeded

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _libc_prctl():
    """``prctl`` of the C library (Linux), looked up once: after a fork only calls are safe."""
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


#: ``prctl`` of the C library, or None (not Linux).
LIBC_PRCTL = _libc_prctl()


def die_with_parent(parent_pid: int) -> None:
    """In a new process: be killed (SIGKILL) when the parent dies; exit at once if it already has.

    ``parent_pid`` is the pid of the parent as the parent saw it before the fork: if the parent
    died between the fork and this call, the process has been re-parented already and no
    signal would ever come, so it kills itself.
    """
    if LIBC_PRCTL is None:
        return
    LIBC_PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGKILL)


def preexec_die_with_parent():
    """A ``preexec_fn`` for ``subprocess.Popen``: the program dies with the process that starts it."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)


def contain_pexpect_children() -> None:
    """Make every program that pexpect starts from now on in this process die with it.

    Sage's interfaces to Singular (``minAssGTZ`` behind ``minimal_associated_primes``) and
    others start their programs through ``pexpect.spawn`` in a session of their own; this adds
    the parent-death signal to their ``preexec_fn``. Idempotent.
    """
    import pexpect

    spawn = pexpect.spawn
    if getattr(spawn._spawnpty, "_dies_with_parent", False):
        return
    original = spawn._spawnpty

    def spawnpty(self, args, **kwargs):
        parent, inner = os.getpid(), kwargs.get("preexec_fn")

        def preexec():
            die_with_parent(parent)
            if inner is not None:
                inner()

        kwargs["preexec_fn"] = preexec
        return original(self, args, **kwargs)

    spawnpty._dies_with_parent = True
    spawn._spawnpty = spawnpty


def exit_description(returncode: int) -> str:
    """How a backend process ended, in words; a killing signal is named, with the likely cause.

    >>> exit_description(1)
    'exit 1'
    >>> exit_description(-9)
    'killed by SIGKILL (out of memory?)'
    >>> exit_description(-4).startswith('killed by SIGILL: this binary uses CPU instructions')
    True
    """
    if returncode >= 0:
        return f"exit {returncode}"
    name = signal.Signals(-returncode).name
    causes = {
        "SIGILL": ": this binary uses CPU instructions this machine lacks (seen: passagemath 10.8.12 and "
                  "10.8.13 wheels need AVX-512); install the pinned versions with 'make install', or point "
                  "the environment variable M2 or MSOLVE at a binary built for this CPU",
        "SIGKILL": " (out of memory?)",
        "SIGSEGV": " (a crash in the backend)",
    }
    return f"killed by {name}{causes.get(name, '')}"


#: The exit status of a process running libSingular in-process (the compute child) when an allocation
#: fails: Singular prints ``halt 14`` and exits with it.
SINGULAR_MEMORY_HALT = 14

#: What the backends print when an allocation fails (lower case): Singular, Macaulay2 (and its garbage
#: collector), C++ programs, Python, the dynamic loader (a library that no longer fits the address space).
MEMORY_SIGNS = ("halt 14", "no more memory", "cannot allocate memory", "failed to map segment", "out of memory",
                "std::bad_alloc", "memoryerror")

#: Crashes that, under an address-space limit, mean an allocation failed: msolve does not check its
#: allocations (it dies of SIGSEGV), Macaulay2 aborts when it cannot start a thread.
MEMORY_CRASHES = ("SIGSEGV", "SIGABRT", "SIGBUS")


def memory_limit_mb() -> int | None:
    """The address-space limit (``RLIMIT_AS``) of this process in MB, which the programs it starts inherit;
    ``None`` when there is none.

    >>> memory_limit_mb() is None or memory_limit_mb() > 0
    True
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft // 2**20


def out_of_memory(returncode: int, output: str = "", limit_mb: int | None = None) -> bool:
    """Whether a program that ended with ``returncode`` after printing ``output`` died for want of memory:
    it failed and printed a sign of :data:`MEMORY_SIGNS`, or, under an address-space limit of ``limit_mb``
    MB, it crashed with a signal of :data:`MEMORY_CRASHES`.

    >>> out_of_memory(14, "Singular error: no more memory\\nhalt 14")
    True
    >>> out_of_memory(1, "error: no method for adjacent objects"), out_of_memory(0, "out of memory")
    (False, False)
    >>> out_of_memory(-11), out_of_memory(-11, limit_mb=1400), out_of_memory(-9, limit_mb=1400)
    (False, True, False)
    """
    if returncode == 0:
        return False
    if any(sign in output.lower() for sign in MEMORY_SIGNS):
        return True
    return limit_mb is not None and returncode < 0 and signal.Signals(-returncode).name in MEMORY_CRASHES


def memory_message(limit_mb: int | None, detail: str) -> str:
    """The message of a record whose computation ran out of memory: the limit, what died, how to go on.

    >>> memory_message(1400, "exit 14: Singular could not allocate")
    'out of memory under the limit of 1400 MB (exit 14: Singular could not allocate); raise --memory-mb (memory_mb in a sweep configuration) or choose a smaller network'
    """
    if limit_mb is None:
        return f"out of memory, with no memory limit set ({detail}); choose a smaller network or a larger machine"
    return (f"out of memory under the limit of {limit_mb} MB ({detail}); raise --memory-mb (memory_mb in a sweep "
            "configuration) or choose a smaller network")


def children_of(pid: int) -> set[int]:
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


def become_subreaper() -> None:
    """Make this process the reaper of its orphaned descendants (Linux ``PR_SET_CHILD_SUBREAPER``).

    A killed child leaves behind the programs it started in sessions of their own; they then
    become children of this process instead of init, and :func:`kill_orphans` ends them.
    """
    if LIBC_PRCTL is not None:
        LIBC_PRCTL(PR_SET_CHILD_SUBREAPER, 1)


def kill_orphans(known: set[int]) -> None:
    """SIGKILL and reap the children of this process that it did not have before (``known``)."""
    orphans = sorted(children_of(os.getpid()) - known)
    if orphans:
        log.info("ending %d process(es) that a finished job left behind: %s", len(orphans), orphans)
    for orphan in orphans:
        try:
            os.kill(orphan, signal.SIGKILL)
            os.waitpid(orphan, 0)
        except (ProcessLookupError, ChildProcessError, PermissionError):
            pass


def kill_group(pid: int) -> None:
    """SIGKILL the process group led by ``pid``, if it still exists."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_PARENT_SESSIONS = []


def forget_parent_interfaces():
    """In a forked child: detach the parent's pexpect sessions (Sage's Singular interface and
    friends), so the child starts its own instead of talking to the parent's process.

    The parent's session objects are kept referenced: finalizing them here would close
    the shared terminal and signal the parent's Singular, which then never answers the parent.
    """
    import gc
    import sys

    if "sage.interfaces.expect" not in sys.modules:
        return  # the parent never imported Sage's interfaces, so it has no session to detach
    from sage.interfaces.expect import Expect

    for interface in gc.get_objects():
        if isinstance(interface, Expect) and interface._expect is not None:
            _PARENT_SESSIONS.append(interface._expect)
            interface._expect = None


def enter_contained_child(parent_pid: int, seconds: float) -> None:
    """In a child just forked from ``parent_pid`` to compute under ``seconds``: die with the parent, lead a
    process group of its own (which the parent kills when the time is up), start its own pexpect
    sessions (never the parent's) and make them die with it, and take ``seconds`` as its job budget."""
    die_with_parent(parent_pid)
    os.setpgrp()
    forget_parent_interfaces()  # the child must not talk to (and kill) the parent's Singular session
    contain_pexpect_children()
    budget.start_job(seconds)


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
            os.close(read_end)
            enter_contained_child(parent, min(seconds, budget.seconds_left(default=seconds)))
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


def fork_map(function, items: list) -> list:
    """``[function(item) for item in items]`` with every item but the last computed in a forked child.

    For work that splits into independent parts (the paths of a homotopy): the children share the
    parent's memory at the fork, die with it, and send their results back pickled through a pipe; a
    child that fails raises :class:`~pipeline.errors.BackendError` here. A plain ``os.fork`` (a job
    runs in a daemonic process, which may not use multiprocessing).

    EXAMPLES::

        >>> fork_map(sum, [[1, 2], [3, 4], [5]])
        [3, 7, 5]
    """
    import pickle

    from pipeline.errors import BackendError

    parent = os.getpid()
    children = []
    for item in items[:-1]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                die_with_parent(parent)
                try:
                    outcome = ("ok", function(item))
                except BaseException as exc:  # noqa: BLE001 - reported to the parent
                    outcome = ("error", f"{type(exc).__name__}: {exc}")
                with os.fdopen(write_end, "wb") as handle:
                    pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    pending = dict(children)
    try:
        last = function(items[-1]) if items else None
        results = []
        for pid, read_end in children:
            with os.fdopen(pending.pop(pid), "rb") as handle:
                data = handle.read()
            os.waitpid(pid, 0)
            status, value = pickle.loads(data) if data else ("error", "the child died without a result")
            if status != "ok":
                raise BackendError(f"a forked worker failed: {value}")
            results.append(value)
    finally:  # on an error (or the job's end) here: no child outlives the call
        for pid, read_end in pending.items():
            os.close(read_end)
            _kill_quietly(pid)
    return results + ([last] if items else [])


def _kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
