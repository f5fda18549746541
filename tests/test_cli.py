"""The console script, as a user runs it."""

import json
import subprocess

from conftest import BIN

from pipeline.execution.runner import compute_record

CLI = str(BIN / "neuromanifold")


def run(*args, timeout=300):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def test_compute_prints_json_lines_with_design_fields(tmp_path):
    done = run("compute", "linear_w4-2-3", "--invariants", "dimension", "--seed", "3", "--json",
               "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    for field in ("arch", "invariant", "status", "value", "method", "certificate", "seconds", "seed", "versions"):
        assert field in record
    assert record["status"] == "ok" and record["seed"] == 3
    assert record["value"]["dim"] == 2 * (4 + 3 - 2)
    assert record["certificate"]["kind"] == "modular" and len(record["certificate"]["primes"]) == 2
    for tool in ("passagemath", "macaulay2", "msolve", "git_commit"):
        assert tool in record["versions"]
    assert json.loads((tmp_path / "linear_w4-2-3" / "dimension.json").read_text())["value"] == record["value"]


def test_bad_slug_exits_nonzero_with_message_and_writes_nothing(tmp_path):
    done = run("compute", "linear_w4-x-3", "--json", "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "slug 'linear_w4-x-3'" in done.stderr and "e.g. linear_w4-2-3" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_invariant_rejected_before_any_work(tmp_path):
    done = run("compute", "linear_w4-2-3", "--invariants", "dimension,volume", "--out", str(tmp_path))
    assert done.returncode == 1
    assert "unknown invariant 'volume'; valid names: conservation, critical_real, degree, dimension, ed_degree, fiber, implicit" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_timeout_is_a_record_not_a_crash():
    done = run("compute", "attn_d3-3-3-3_a3-3-3_t4", "--method", "symbolic", "--timeout", "2", "--json")
    assert done.returncode == 3
    record = json.loads(done.stdout)
    assert record["status"] == "timeout" and record["value"] is None
    assert "2.0 s" in record["message"]


def test_failure_in_computation_is_an_error_record(monkeypatch):
    monkeypatch.setenv("M2", "/nonexistent/M2")
    record = compute_record("linear_w2-1-2", "dimension", method="numerical", timeout=60)
    assert record["status"] == "error"
    assert "M2=/nonexistent/M2 is not an executable file" in record["message"]


def test_parse_and_doctor():
    done = run("parse", "cnn_k3-2_s1-1_r2")
    assert done.returncode == 0 and json.loads(done.stdout)["params"] == 5
    done = run("doctor")
    assert done.returncode == 0 and "M2:" in done.stdout and "msolve:" in done.stdout


def test_help_names_the_valid_choices():
    done = run("compute", "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for name in ("critical_real", "voronoi", "dimension: auto, symbolic, evaluation, numerical", "bombieri-weyl",
                 "degree: auto, witness, hilbert, monodromy, homotopy"):
        assert name in text, name


def test_usage_error_is_one_line_and_exit_1():
    done = run("compute", "linear_w2-1-2", "--timeout", "0")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "neuromanifold: error: argument --timeout: must be a positive number of seconds, got '0'; e.g. --timeout 60; "
        "see 'neuromanifold compute --help'"]


def test_version_answers_with_the_version():
    import pipeline

    done = run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"neuromanifold {pipeline.__version__}\n", "")
