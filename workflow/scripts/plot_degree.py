"""Snakemake adapter: degree table -> scatter plot of degree against parameters per family."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.reporting.plots import plot_degree_against_params  # noqa: E402

plot_degree_against_params(snakemake.input[0], snakemake.output[0])  # noqa: F821
