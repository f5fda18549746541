"""Snakemake adapter: compute one invariant of one architecture, write its record.

An attempt that runs out of its budget (or memory) while retries remain exits with
status 1 and writes nothing, so Snakemake retries it with more; the last attempt
always writes the record (``timeout`` or ``error`` included), with ``attempt`` in it. The record's
``settings`` are the job's effective settings (method, seed, budget, memory limit, options).
"""
import sys

from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0], "a")  # noqa: F821 - injected by Snakemake

from pipeline.execution.records import write_record  # noqa: E402
from pipeline.execution.runner import compute_record  # noqa: E402

attempt = int(snakemake.resources.attempt)  # noqa: F821
record = compute_record(
    snakemake.wildcards.slug,  # noqa: F821
    snakemake.wildcards.invariant,  # noqa: F821
    method=snakemake.params.method,  # noqa: F821
    seed=snakemake.params.seed,  # noqa: F821
    timeout=snakemake.resources.budget_s,  # noqa: F821
    memory_mb=snakemake.resources.limit_mb or None,  # noqa: F821
    options=snakemake.params.options,  # noqa: F821
)
record["attempt"] = attempt
record["config_hash"] = snakemake.params.config_hash  # noqa: F821 - the sweep configuration's hash
log.info("attempt %d: %s %s: %s %s", attempt, record["arch"], record["invariant"], record["status"],
         record.get("message") or "")
out_of_resources = record.get("reason") in ("budget", "memory")  # a structured reason, set by the runner
if out_of_resources and attempt <= int(snakemake.params.retries):  # noqa: F821
    log.warning("attempt %d ran out of resources; Snakemake retries with more", attempt)
    sys.exit(1)
write_record(record, snakemake.output[0])  # noqa: F821
