"""The real Macaulay2 binary: located, versioned, driven through files; its package tests pass."""

import subprocess
import time
from pathlib import Path

import pytest

from pipeline.architectures import parametrization
from pipeline.engines import m2
from pipeline.errors import BackendError, BudgetExceeded
from pipeline.invariants.methods.dimension import dimension


def test_binary_found_and_versioned():
    path, source = m2.find_binary("M2")
    assert path.is_file()
    assert source in ("environment variable M2", "passagemath", "PATH")
    assert m2.m2_version().count(".") >= 1
    assert m2.msolve_version()


def test_env_variable_wins_and_bad_value_is_explained(monkeypatch, tmp_path):
    real, _ = m2.find_binary("M2")
    monkeypatch.setenv("M2", str(real))
    assert m2.find_binary("M2") == (real, "environment variable M2")
    monkeypatch.setenv("M2", str(tmp_path / "no-such-M2"))
    with pytest.raises(BackendError, match="is not an executable file; unset M2 or install it"):
        m2.find_binary("M2")


def test_broken_binary_is_explained(monkeypatch, tmp_path):
    fake = tmp_path / "M2"
    fake.write_text("#!/bin/sh\necho 'broken' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("M2", str(fake))
    with pytest.raises(BackendError, match="exited with 3: broken"):
        m2.m2_version()


def test_script_round_trip_and_timeout():
    assert m2.run_m2_script("version", {})["version"] == m2.m2_version()
    job = {"nvars": 2, "polynomials": ["t_0", "t_1"], "seed": 1}
    assert m2.run_m2_script("image_dimension", job)["dim"] == 2
    with pytest.raises(BudgetExceeded):
        m2.run_m2_script("image_dimension", job, timeout=0.01)


def test_macaulay2_dies_with_a_job_out_of_budget(tmp_path):
    """M2 runs in its own session (its timeout kills its process group); when the job around it is
    killed for its budget, M2 must die too instead of keeping a core busy."""
    from pipeline.engines.processes import call_with_budget

    started = tmp_path / "pid"
    assert m2.run_m2_script("sleep", {"seconds": 1, "started": str(started)})["slept"] == 1
    started.unlink()
    status, _ = call_with_budget(m2.run_m2_script, ("sleep", {"seconds": 60, "started": str(started)}, 120), seconds=8)
    assert status == "timeout"
    assert started.is_file(), "M2 had not started within the budget: nothing was tested"
    pid = int(started.read_text())
    for _ in range(50):
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), f"Macaulay2 (pid {pid}) outlived its job"


def test_macaulay2_takes_the_rest_of_the_job_budget_as_its_limit(tmp_path):
    """Without an explicit timeout, M2 stops a little before the job's budget runs out and the job
    reports a ``timeout`` itself (an inner limit shorter than the job's once ended long jobs early,
    as errors)."""
    from pipeline.engines.processes import call_with_budget

    started = tmp_path / "pid"
    status, message = call_with_budget(m2.run_m2_script, ("sleep", {"seconds": 60, "started": str(started)}), seconds=6)
    assert started.is_file(), "M2 had not started within the budget: nothing was tested"
    assert (status, message.split(":")[0]) == ("timeout", "BudgetExceeded"), message
    assert "exceeded 5.7 s" in message, message


def test_script_failure_is_a_backend_error():
    with pytest.raises(BackendError, match="failed"):
        m2.run_m2_script("image_dimension", {"nvars": 1, "polynomials": ["t_0 +* 2"], "seed": 1})


def test_package_tests_pass(tmp_path):
    """The TEST blocks of m2/Neuromanifold.m2 (run by Macaulay2's own `check`)."""
    script = tmp_path / "check.m2"
    script.write_text(f'needsPackage("Neuromanifold", FileName => "{m2.M2_DIR}/Neuromanifold.m2"); check "Neuromanifold";')
    done = subprocess.run([str(m2.m2_binary()), "--script", str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("slug", ["linear_w3-2-3", "mlp_w3-2-1_r2", "cnn_k3-2_s1-1_r2", "attn_d2-1_a2_t2",
                                  "attn_d2-1_a1_t2", "linear_w4-3-2-4"])
def test_numerical_implicitization_agrees(slug):
    """An independent method (homotopy-free numerical rank in Macaulay2) gives the same dimension."""
    param = parametrization(slug)
    assert dimension(param, method="numerical", seed=1)["dim"] == dimension(param, method="symbolic", seed=1)["dim"]
