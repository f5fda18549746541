"""Snakemake adapter: one shard of a batch -> one dimension record per architecture, in one process."""
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 - injected by Snakemake

from pathlib import Path  # noqa: E402

from pipeline.execution.batch import batch_records  # noqa: E402
from pipeline.execution.records import write_record  # noqa: E402

out = Path(snakemake.output[0])  # noqa: F821
records = batch_records(snakemake.params.slugs, seed=snakemake.params.seed, workers=snakemake.threads,  # noqa: F821
                        span=snakemake.params.span)  # noqa: F821
for record in records:
    write_record(record, out / record["arch"] / "dimension.json")
print(f"{len(records)} records, {sum(r['status'] != 'ok' for r in records)} not ok", file=sys.stderr)
