"""Process control: every process a job starts ends when the job ends, however it ends.

A job is a tree: the job process (the CLI, or the Snakemake job's script), the forked
compute child (:mod:`pipeline.runner`), its budgeted sub-steps (``call_with_budget``), and
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

import os
import signal
from pathlib import Path

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
    for orphan in children_of(os.getpid()) - known:
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
