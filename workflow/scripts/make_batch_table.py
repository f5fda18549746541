"""Snakemake adapter: the shards of a batch -> its dimension table."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pathlib import Path  # noqa: E402

from pipeline.reporting.tables import write_tables  # noqa: E402

paths = sorted(path for shard in snakemake.input for path in Path(shard).glob("*/dimension.json"))  # noqa: F821
write_tables("dimension", paths, snakemake.output.csv[: -len(".csv")],  # noqa: F821
             config_hash=snakemake.params.config_hash)  # noqa: F821
