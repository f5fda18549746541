"""Snakemake adapter: every table and figure -> results/summary.html."""
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 - injected by Snakemake

from pipeline.reporting.summary import write_summary  # noqa: E402

write_summary(snakemake.input.tables, snakemake.input.figures, snakemake.output[0])  # noqa: F821
