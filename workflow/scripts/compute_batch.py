"""Snakemake adapter: one shard of a batch -> one dimension record per architecture, in one process."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pathlib import Path  # noqa: E402

from pipeline.execution.batch import batch_records  # noqa: E402
from pipeline.execution.records import write_record  # noqa: E402

out = Path(snakemake.output[0])  # noqa: F821
records = batch_records(snakemake.params.slugs, seed=snakemake.params.seed, workers=snakemake.threads,  # noqa: F821
                        span=snakemake.params.span)  # noqa: F821
for record in records:
    write_record(record, out / record["arch"] / "dimension.json")
log.info("%d records, %d not ok", len(records), sum(r["status"] != "ok" for r in records))
