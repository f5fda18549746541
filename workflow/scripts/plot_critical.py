"""Snakemake adapter: critical_real and voronoi tables -> their figures."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.reporting.plots import plot_real_counts, plot_voronoi_masses  # noqa: E402

PLOTS = {"critical_real": plot_real_counts, "voronoi": plot_voronoi_masses}
PLOTS[snakemake.wildcards.table](snakemake.input[0], snakemake.output[0])  # noqa: F821
