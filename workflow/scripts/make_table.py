"""Snakemake adapter: records of one invariant -> CSV, Markdown, LaTeX and provenance."""
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 - injected by Snakemake

from pipeline.tables import write_tables  # noqa: E402

write_tables(
    snakemake.params.invariant,  # noqa: F821
    list(snakemake.input),  # noqa: F821
    snakemake.output.csv[: -len(".csv")],  # noqa: F821
    config_hash=snakemake.params.config_hash,  # noqa: F821
)
