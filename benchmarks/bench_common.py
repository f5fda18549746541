"""What the benchmarks share: the command line, a budgeted call, the ratios, a table row of method
results, the JSON report.

The scripts run as ``.venv/bin/python benchmarks/<name>.py``, so this module is imported from
their folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from pipeline.engines.processes import call_with_budget


def budgeted(function, args, seconds: float) -> dict:
    """``function(*args)`` in a forked child under ``seconds`` (:func:`pipeline.execution.runner.call_with_budget`,
    which also ends the Macaulay2 and Singular processes a killed child leaves behind):
    ``status``, wall-clock ``seconds``, ``value`` (when ok) and ``message`` (otherwise)."""
    start = time.monotonic()
    status, outcome = call_with_budget(function, args, seconds=seconds)
    ok = status == "ok"
    return {"status": status, "seconds": round(time.monotonic() - start, 2), "value": outcome if ok else None,
            "message": None if ok else str(outcome)[:200]}


def benchmark_arguments(argv, doc: str, budget: float, out: str, cases=None) -> argparse.Namespace:
    """The common options: ``--budget`` seconds per method, ``--out`` for the JSON report and, when the
    script has default ``cases``, ``--cases`` (comma-separated slugs, kept as a string)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=budget)
    parser.add_argument("--out", default=out)
    if cases is not None:
        parser.add_argument("--cases", default=",".join(cases))
    return parser.parse_args(argv)


def ratios_over(results: dict, reference: str) -> dict:
    """Every other method's time over the ``reference`` method's, where both finished.

    EXAMPLES::

        >>> ratios_over({"a": {"status": "ok", "seconds": 2.0}, "b": {"status": "ok", "seconds": 6.0},
        ...              "c": {"status": "timeout", "seconds": 60.0}}, "a")
        {'b': 3.0}
    """
    ours = results[reference]
    if ours["status"] != "ok":
        return {}
    return {m: r["seconds"] / max(ours["seconds"], 1e-3) for m, r in results.items()
            if m != reference and r["status"] == "ok"}


def comparison_headline(what: str, rows: list[dict], ours: str, others: list[str], budget: float,
                        agree_key: str = "agree") -> str:
    """One sentence for the README from the measured rows: how many cases ``ours`` finishes within the
    budget, and for each other method how many it finishes and its median time over ours where both do.

    EXAMPLES::

        >>> rows = [{"results": {"a": {"status": "ok", "seconds": 1.0}, "b": {"status": "ok", "seconds": 4.0}},
        ...          "agree": True},
        ...         {"results": {"a": {"status": "ok", "seconds": 2.0}, "b": {"status": "timeout", "seconds": 60.0}},
        ...          "agree": True}]
        >>> comparison_headline("the degree", rows, "a", ["b"], 60)
        'the degree: `a` finishes 2 of 2 cases within 60 s (at most 2.0 s); `b` 1 of 2, 4.0x slower (median where both finish); the methods that finish agree on every case.'
    """
    n = len(rows)
    mine = [row["results"][ours] for row in rows if row["results"][ours]["status"] == "ok"]
    parts = [f"{what}: `{ours}` finishes {len(mine)} of {n} cases within {budget:.0f} s"
             + (f" (at most {max(r['seconds'] for r in mine):.1f} s)" if mine else "")]
    ratios = [ratios_over(row["results"], ours) for row in rows]
    for other in others:
        finished = sum(row["results"][other]["status"] == "ok" for row in rows)
        both = [r[other] for r in ratios if other in r]
        text = f"`{other}` {finished} of {n}"
        if both:
            median = statistics.median(both)
            text += (f", {median:.1f}x slower" if median >= 1 else f", {1 / median:.1f}x faster") + \
                " (median where both finish)"
        parts.append(text)
    disagreeing = sum(not row[agree_key] for row in rows)
    ending = ("the methods that finish agree on every case" if not disagreeing
              else f"the methods disagree on {disagreeing} case{'s' if disagreeing > 1 else ''} (see the rows)")
    return "; ".join(parts) + "; " + ending + "."


def method_row(slug: str, results: dict, value_key: str, ratios: dict, agree: bool, width: int) -> str:
    """One printed line: ``value/seconds`` (or ``status/seconds``) per method, the ratios, DISAGREE if so."""
    cells = [f"{r[value_key]}/{r['seconds']:.1f}s" if r["status"] == "ok" else f"{r['status']}/{r['seconds']:.0f}s"
             for r in results.values()]
    return (f"{slug:{width}} " + " ".join(f"{c:>{width - 2}}" for c in cells) + "   "
            + ", ".join(f"{m} {v:.1f}x" for m, v in ratios.items()) + ("" if agree else "  DISAGREE"))


def machine() -> dict:
    """Where and when a benchmark ran: cores, memory, processor, load, commit, date (part of every report)."""
    import datetime
    import os
    import platform
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"cores": len(os.sched_getaffinity(0)), "memory_gib": round(memory, 1), "cpu": cpu,
            "load_average_1min": round(os.getloadavg()[0], 2), "git_commit": commit.stdout.strip() or None,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def write_report(out, report: dict) -> Path:
    """Write the JSON report (creating its folder), with the :func:`machine` it ran on, and say where.
    ``benchmarks/render.py`` turns the reports into ``docs/benchmarks.md``."""
    report = {**report, "machine": machine()}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")
    return out
