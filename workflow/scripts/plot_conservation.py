"""Snakemake adapter: conservation records -> the figure of laws and loss along the gradient flows."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.reporting.plots import plot_conservation_flows  # noqa: E402

plot_conservation_flows(snakemake.input, snakemake.output[0])  # noqa: F821
