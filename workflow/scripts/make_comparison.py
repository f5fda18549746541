"""Snakemake adapter: the records of the comparison pairs -> results/tables/comparison.*"""
import sys

from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.errors import NeuromanifoldError  # noqa: E402
from pipeline.reporting.comparison import write_comparison  # noqa: E402

try:
    write_comparison(snakemake.params.pairs, list(snakemake.input),  # noqa: F821
                     snakemake.output.csv[: -len(".csv")], config_hash=snakemake.params.config_hash)  # noqa: F821
except NeuromanifoldError as exc:
    line = "neuromanifold: error: " + " ".join(str(exc).split())
    log.error(line)
    print(line, file=sys.__stderr__, flush=True)  # and on Snakemake's screen
    sys.exit(1)
