"""stdout is the record stream, and a backend that dies of the memory limit gives ``reason: memory``.

Real backends killed by their limit: libSingular inside the compute child (it prints ``halt 14`` on
file descriptor 1 and exits 14), Macaulay2 (it aborts when it cannot start a thread) and msolve
(it does not check its allocations and dies of SIGSEGV).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "neuromanifold")
ENV = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def test_json_stdout_stays_json_lines_when_singular_dies_of_the_memory_limit(tmp_path):
    """Singular's ``halt 14`` goes to stderr, the record says memory and the limit (about 6 s here).

    1400 MB is just above what the compute child needs once Sage is loaded; the elimination for
    the 5 x 5 minors of 8 x 8 matrices outgrows it within seconds.
    """
    done = subprocess.run([CLI, "compute", "linear_w8-4-8", "--invariants", "implicit", "--method", "singular",
                           "--memory-mb", "1400", "--timeout", "120", "--json", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, env=ENV)
    assert done.returncode == 3, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout[:2000]
    record = json.loads(lines[0])
    assert "halt 14" in done.stderr  # Singular did print it, on the child's file descriptor 1
    assert (record["status"], record["reason"]) == ("error", "memory"), record["message"]
    assert "under the limit of 1400 MB" in record["message"] and "raise --memory-mb" in record["message"]
    written = json.loads((tmp_path / "linear_w8-4-8" / "implicit.json").read_text())
    assert written["reason"] == "memory"


def test_backend_programs_killed_by_the_memory_limit_raise_out_of_memory(tmp_path):
    """Macaulay2 under 400 MB and msolve under 60 MB of address space die at once; both name the limit."""
    source = tmp_path / "system.ms"
    source.write_text("x,y,z\n0\nx^2+y^2+z^2-1,\nx*y*z-1,\nx+y+z^3-2\n")
    code = (
        "import resource\n"
        "from pipeline.engines.m2 import find_binary, run_contained, run_m2_script\n"
        "from pipeline.errors import OutOfMemory\n"
        "def limited(mb, call):\n"
        "    resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, resource.RLIM_INFINITY))\n"
        "    try:\n"
        "        call()\n"
        "    except OutOfMemory as exc:\n"
        "        print(exc)\n"
        "    finally:\n"
        "        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
        "limited(400, lambda: run_m2_script('version', {}, timeout=60))\n"
        f"limited(60, lambda: run_contained([str(find_binary('msolve')[0]), '-f', {str(source)!r}], 'msolve', 60))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=ENV)
    assert done.returncode == 0, done.stderr
    m2, msolve = done.stdout.splitlines()
    assert m2.startswith("out of memory under the limit of 400 MB (Macaulay2 script version: killed by"), m2
    assert msolve.startswith("out of memory under the limit of 60 MB (msolve: killed by SIGSEGV"), msolve


def test_a_child_that_dies_without_a_result_is_classified():
    """Exit 14 (Singular's halt) is memory; a crash is memory only under a limit; other exits are failures."""
    from pipeline.execution.runner import _record_of

    def reason(exitcode, memory_mb):
        record = _record_of("linear_w2-1-2", "dimension", "auto", 0, 60, {}, None, 1.0, exitcode, None, memory_mb)
        return record["reason"], record["message"]

    assert reason(14, 2000)[0] == "memory" and "under the limit of 2000 MB" in reason(14, 2000)[1]
    assert reason(-11, 2000)[0] == "memory"
    assert reason(-11, None)[0] == "signal"
    assert reason(1, 2000) == ("failure", "the computation died (exit 1) without a result")
