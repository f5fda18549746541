"""Snakemake adapter: the records of the comparison pairs -> results/tables/comparison.*"""
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 - injected by Snakemake

from pipeline.errors import NeuromanifoldError  # noqa: E402
from pipeline.reporting.comparison import write_comparison  # noqa: E402

try:
    write_comparison(snakemake.params.pairs, list(snakemake.input),  # noqa: F821
                     snakemake.output.csv[: -len(".csv")], config_hash=snakemake.params.config_hash)  # noqa: F821
except NeuromanifoldError as exc:
    line = "neuromanifold: error: " + " ".join(str(exc).split())
    for stream in (sys.stderr, sys.__stderr__):
        print(line, file=stream, flush=True)
    sys.exit(1)
