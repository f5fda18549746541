"""Snakemake adapter: every table and figure -> results/summary.html."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.reporting.summary import write_summary  # noqa: E402

write_summary(snakemake.input.tables, snakemake.input.figures, snakemake.output[0])  # noqa: F821
