"""Faults: a sweep killed midway resumes without recomputing (and leaves no Macaulay2 behind), and jobs out of
budget are retried with more."""

import json
import os
import signal
import subprocess
import time

import yaml
from conftest import BIN, REPO

SNAKEMAKE = str(BIN / "snakemake")


def command(workdir, config, *args):
    return [SNAKEMAKE, "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir),
            "--workflow-profile", str(REPO / "workflow" / "profiles" / "default"), "--configfile", str(config), *args]


def m2_processes() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if b"M2-binary" in handle.read():
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def test_sweep_killed_midway_resumes_without_recomputing(tmp_path):
    slugs = ["linear_w2-1-2", "linear_w3-1-3", "linear_w2-2-2", "linear_w3-2-3", "linear_w2-1-3"]
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump({"sweeps": [{"name": "m2", "slugs": slugs}], "invariants": ["dimension"],
                                      "methods": {"dimension": "numerical"}, "timeout": 120, "seed": 1}))
    records = tmp_path / "results" / "invariants"
    before = set(m2_processes())
    run = subprocess.Popen(command(tmp_path, config, "--cores", "1"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    deadline, running = time.monotonic() + 300, []
    while time.monotonic() < deadline:
        finished = list(records.glob("*/dimension.json"))
        running = [pid for pid in m2_processes() if pid not in before]
        if finished and running:  # one record written, Macaulay2 busy on the next
            os.killpg(run.pid, signal.SIGKILL)  # Snakemake and its job process; Macaulay2 runs in a session of its own
            break
        time.sleep(0.1)
    run.wait(timeout=60)
    assert running, "never saw a finished record while Macaulay2 was running"
    # nobody kills Macaulay2 by hand: it dies with the job that started it
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and set(running) & set(m2_processes()):
        time.sleep(0.2)
    assert not set(running) & set(m2_processes()), "Macaulay2 outlived its killed job"
    finished = {p: (p.stat().st_mtime_ns, json.loads(p.read_text())) for p in records.glob("*/dimension.json")}
    assert 1 <= len(finished) < len(slugs)
    assert all(record["status"] == "ok" for _, record in finished.values())  # nothing half-written

    subprocess.run(command(tmp_path, config, "--unlock"), capture_output=True, timeout=120)
    done = subprocess.run(command(tmp_path, config, "--cores", "2"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    after = {p: p.stat().st_mtime_ns for p in records.glob("*/dimension.json")}
    assert len(after) == len(slugs)
    assert all(after[p] == mtime for p, (mtime, _) in finished.items())  # finished jobs were not rerun
    assert all(json.loads(p.read_text())["status"] == "ok" for p in after)
    assert (tmp_path / "results" / "tables" / "dimension.csv").exists()


def test_job_out_of_budget_is_retried_with_more_then_recorded(tmp_path):
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump({
        "sweeps": [{"name": "big", "slugs": ["attn_d3-3-3-3_a3-3-3_t4"]}], "invariants": ["dimension"],
        "methods": {"dimension": "symbolic"}, "timeout": 2, "retries": 1, "seed": 1}))
    done = subprocess.run(command(tmp_path, config, "--cores", "1"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads((tmp_path / "results" / "invariants" / "attn_d3-3-3-3_a3-3-3_t4" / "dimension.json").read_text())
    assert record["status"] == "timeout" and record["attempt"] == 2
    assert "budget of 4" in record["message"]  # the second attempt had twice the budget
    # Snakemake replaces the failed attempt's log; its profile (show-failed-logs) printed it
    assert "attempt 1 ran out of resources" in done.stdout + done.stderr


def _orphaned_singulars() -> set[int]:
    """Singular processes that are children of init or of this process (an orphan goes to one of them);
    those of other programs running on the machine are not counted."""
    from pipeline.engines.processes import children_of

    pids = {int(pid) for pid in subprocess.run(["pgrep", "-f", "Singular"], capture_output=True, text=True).stdout.split()}
    return pids & (children_of(1) | children_of(os.getpid()))


def test_a_killed_computation_leaves_no_singular_behind():
    """Sage's pexpect Singular runs in a session of its own; when a computation is killed for its
    budget, the Singular it started must not survive it (the caller adopts and kills orphans)."""
    from pipeline.engines.processes import call_with_budget

    def busy_in_singular():
        from sage.all import singular

        singular.eval("int i; for (i = 0; i < 2000000000; i++) { }")

    before = _orphaned_singulars()
    status, _ = call_with_budget(busy_in_singular, seconds=8)
    assert status == "timeout"
    assert _orphaned_singulars() - before == set()
