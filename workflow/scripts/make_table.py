"""Snakemake adapter: records of one invariant -> CSV, Markdown, LaTeX and provenance.

A bad record (corrupt, truncated, of another invariant or another configuration) stops the
rule with one line naming the file and the fix, in the log and on Snakemake's screen; no
table file is written (:func:`pipeline.reporting.tables.write_tables` checks everything first).
"""
import sys

from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.errors import NeuromanifoldError  # noqa: E402
from pipeline.reporting.tables import write_tables  # noqa: E402

try:
    write_tables(
        snakemake.params.invariant,  # noqa: F821
        list(snakemake.input),  # noqa: F821
        snakemake.output.csv[: -len(".csv")],  # noqa: F821
        config_hash=snakemake.params.config_hash,  # noqa: F821
    )
except NeuromanifoldError as exc:
    line = "neuromanifold: error: " + " ".join(str(exc).split())
    log.error(line)
    print(line, file=sys.__stderr__, flush=True)  # and on Snakemake's screen
    sys.exit(1)
