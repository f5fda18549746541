"""Containment: nothing a job started survives the job, however the job ends.

Each case starts a real ``neuromanifold compute`` (or a real Snakemake job) that keeps one
backend busy for minutes (Singular through Sage's pexpect, msolve, Macaulay2, or just the
forked compute child), waits until that backend runs, SIGKILLs the job process (no clean-up
is possible: the case of a cluster preemption or a killed sweep) and asserts that no process
of the job is left. Every process of the job is found by a tag in its environment, which all
descendants inherit, so a process that escaped its parent (re-parented to init) is found too.
"""

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import yaml
from conftest import BIN, REPO

TAG = "NEUROMANIFOLD_TEST_JOB_TAG"


def tagged_processes(tag: str) -> dict[int, str]:
    """``{pid: command line}`` of the live (not zombie) processes whose environment carries ``tag``."""
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if f"{TAG}={tag}".encode() not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
    return found


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def wait_until(condition, seconds: float, step: float = 0.2):
    """The first true value of ``condition()`` within ``seconds``, else None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def start_tagged(command, cwd=None):
    tag = uuid.uuid4().hex
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd,
                            env=dict(os.environ, **{TAG: tag}), start_new_session=True)
    return proc, tag


def backend_running(tag, program):
    return lambda: [pid for pid, cmd in tagged_processes(tag).items() if program in cmd]


def assert_nothing_left(tag):
    left = wait_until(lambda: not tagged_processes(tag) or None, seconds=15)
    survivors = tagged_processes(tag)
    for pid in survivors:  # do not leave them running for the rest of the suite
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert left and not survivors, f"processes of the killed job survived it: {survivors}"


#: (backend, program in the command line once it runs, compute arguments that keep it busy for minutes)
CASES = [
    ("singular", "sage_wheels/bin/Singular", ["linear_w4-3-4", "--invariants", "singular", "--method", "singular"]),
    ("msolve", "sage_wheels/bin/msolve", ["attn_d2-2-2_a1-1_t2", "--invariants", "degree", "--method", "witness"]),
    ("macaulay2", "M2-binary", ["attn_d2-2-2_a1-1_t2", "--invariants", "degree", "--method", "monodromy"]),
    ("compute child", "neuromanifold compute", ["attn_d3-3-3-3_a3-3-3_t4", "--invariants", "dimension",
                                                "--method", "symbolic"]),
]


@pytest.mark.parametrize("backend,program,arguments", CASES, ids=[case[0] for case in CASES])
def test_sigkill_of_the_cli_leaves_no_process_behind(backend, program, arguments):
    proc, tag = start_tagged([str(BIN / "neuromanifold"), "compute", *arguments, "--timeout", "3000"])
    try:
        if backend == "compute child":  # the forked child: a second process with the CLI's command line
            running = wait_until(lambda: len([p for p, cmd in tagged_processes(tag).items() if program in cmd]) >= 2, 60)
        else:
            running = wait_until(backend_running(tag, program), 120)
        assert running, f"{backend} never started: {tagged_processes(tag)}"
        time.sleep(1)  # let it get to work
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert_nothing_left(tag)


def test_sigkill_of_a_snakemake_job_leaves_no_process_behind(tmp_path):
    """The job process of a Snakemake run (the rule's script) is killed while Singular works for it."""
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump({"sweeps": [{"name": "busy", "slugs": ["linear_w4-3-4"]}],
                                      "invariants": ["singular"], "methods": {"singular": "singular"},
                                      "timeout": 3000, "seed": 1}))
    command = [str(BIN / "snakemake"), "--snakefile", str(REPO / "Snakefile"), "--directory", str(tmp_path),
               "--workflow-profile", str(REPO / "workflow" / "profiles" / "default"), "--configfile", str(config),
               "--cores", "1"]
    proc, tag = start_tagged(command)
    try:
        assert wait_until(backend_running(tag, "sage_wheels/bin/Singular"), 180), tagged_processes(tag)
        scripts = [pid for pid, cmd in tagged_processes(tag).items() if "compute_invariant" in cmd]
        jobs = [pid for pid in scripts if parent_of(pid) not in scripts]  # not the forked compute child
        assert len(jobs) == 1, tagged_processes(tag)
        os.kill(jobs[0], signal.SIGKILL)
        proc.wait(timeout=120)  # Snakemake sees the job fail and ends (keep-going, nothing else to do)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert_nothing_left(tag)
    assert not (tmp_path / "results" / "invariants" / "linear_w4-3-4" / "singular.json").exists()
