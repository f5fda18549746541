"""Reproducible under load: a published value does not depend on how busy the machine was.

A tiny sweep runs twice through the real runner, once on a quiet machine and once while busy
loops occupy every core; the records must agree in everything but timings (status, value,
method, certificate, the methods an auto chain tried) and so must their table rows. Where an
outcome still depends on the budget the record says so (``budget_dependent``) and the table's
``method`` cell names the method that timed out.
"""

import os
import subprocess
import sys

from pipeline.execution.records import schema_problem
from pipeline.execution.runner import compute_record
from pipeline.reporting.tables import table_rows

SLUGS = ("linear_w2-1-2", "linear_w3-2-3", "mlp_w2-2-1_r2")
INVARIANTS = ("dimension", "degree", "singular")


def sweep() -> dict:
    return {(slug, invariant): compute_record(slug, invariant, seed=1, timeout=120)
            for slug in SLUGS for invariant in INVARIANTS}


def outcome(record: dict) -> dict:
    """What a published table shows of ``record``: everything but timings and host facts."""
    return {"status": record["status"], "value": record["value"], "method": record["method"],
            "certificate": record["certificate"], "budget_dependent": record.get("budget_dependent", False),
            "attempts": [(a["method"], a["status"]) for a in record.get("attempts", [])],
            "rows": [{k: v for k, v in row.items() if k != "seconds"}
                     for row in table_rows(record["invariant"], [record])]}


def busy_loops(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def test_a_sweep_under_cpu_load_gives_the_same_records_and_tables():
    quiet = sweep()
    loops = busy_loops(os.cpu_count() or 2)
    try:
        loaded = sweep()
        assert all(loop.poll() is None for loop in loops), "the busy loops stopped: the second sweep was not loaded"
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    dependent = sorted(f"{slug} {invariant} ({run})" for run, records in (("quiet", quiet), ("loaded", loaded))
                       for (slug, invariant), record in records.items() if record.get("budget_dependent"))
    assert not dependent, f"records whose outcome depends on the time budget: {', '.join(dependent)}"
    assert all(record["status"] == "ok" for record in quiet.values()), {k: r["message"] for k, r in quiet.items()}
    for key in quiet:
        assert outcome(quiet[key]) == outcome(loaded[key]), key


def test_a_chain_that_fell_back_after_a_timeout_says_its_value_depends_on_the_budget():
    """degree's chain gives witness half of a 1 s budget; on linear 6-3-6 (degree 980) it needs seconds, so it times
    out and the chain falls back (to hilbert, or on to monodromy): the record says the outcome depends on the
    budget, and so does the table."""
    record = compute_record("linear_w6-3-6", "degree", seed=1, timeout=1.0)
    assert record["attempts"][0]["method"] == "witness" and record["attempts"][0]["status"] == "timeout", record
    assert record["attempts"][0]["budget"] == 0.5
    assert record["budget_dependent"] is True
    assert schema_problem(record) is None
    [row] = table_rows("degree", [record])
    if record["status"] == "ok":
        assert row["method"] == f"{record['method']} (after witness timed out)" or \
            row["method"] == f"{record['method']} (after witness and hilbert timed out)", row["method"]
    else:
        assert record["status"] == "timeout" and row["status"] == "timeout"
    # a record that needed no fallback says nothing about the budget, and neither does its table row
    plain = compute_record("linear_w2-1-2", "degree", seed=1, timeout=120)
    assert "budget_dependent" not in plain and table_rows("degree", [plain])[0]["method"] == plain["method"]
