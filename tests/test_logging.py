"""Progress and diagnostics go through :mod:`logging`: quiet by default, ``-v`` for each job, ``-vv`` for
each backend program, and the job's log file in a sweep (``pipeline.execution.logs``)."""

import ast
import json
import subprocess
from pathlib import Path

from conftest import BIN

CLI = str(BIN / "neuromanifold")
PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"


def run(*args, timeout=300):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def test_the_command_line_is_quiet_by_default_and_says_each_job_with_v():
    quiet = run("compute", "linear_w2-1-2", "--seed", "1")
    assert quiet.returncode == 0 and quiet.stderr == ""
    loud = run("compute", "linear_w2-1-2", "--seed", "1", "-v")
    assert loud.returncode == 0, loud.stderr
    # the same result line (but for its seconds): the progress is on standard error
    assert loud.stdout.split("[")[0] == quiet.stdout.split("[")[0] != ""
    lines = loud.stderr.splitlines()
    assert any(line.endswith("INFO pipeline.execution.runner: linear_w2-1-2 dimension: method auto, budget 600 s, "
                             "seed 1") for line in lines), loud.stderr
    assert any("linear_w2-1-2 dimension: ok in " in line for line in lines), loud.stderr
    assert not any(" DEBUG " in line for line in lines)


def test_vv_names_each_backend_program_and_the_auto_chain_says_its_fallbacks():
    # degree's auto chain gives witness half of the 1 s budget: too little, so it moves on to hilbert
    done = run("compute", "linear_w3-2-3", "--invariants", "degree", "--timeout", "1", "--json", "-vv")
    record = json.loads(done.stdout)
    tried = [attempt["method"] for attempt in record["attempts"]]
    assert tried[0] == "witness" and record["attempts"][0]["status"] == "timeout"
    assert f"linear_w3-2-3 degree: method witness gave timeout; the auto chain tries {tried[1]} next" in done.stderr
    done = run("compute", "linear_w2-1-2", "--invariants", "degree", "--method", "witness", "-vv")
    assert done.returncode == 0, done.stderr
    assert "DEBUG pipeline.engines.m2: msolve: started (pid " in done.stderr
    assert "DEBUG pipeline.engines.m2: msolve: exit 0 after " in done.stderr


def test_the_package_prints_nothing_but_through_the_command_line():
    """Every other module reports progress by logging (a ``print`` would reach a Snakemake job's screen)."""
    printing = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "cli.py":
            continue
        tree = ast.parse(path.read_text())
        main_blocks = [node for node in tree.body if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)]
        allowed = {id(n) for block in main_blocks for n in ast.walk(block)}
        printing += [f"{path.relative_to(PIPELINE)}:{node.lineno}" for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
                     and id(node) not in allowed]
    assert printing == []
