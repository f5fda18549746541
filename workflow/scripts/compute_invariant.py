"""Snakemake adapter: compute one invariant of one architecture, write its record."""
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 - injected by Snakemake

from pipeline.records import write_record  # noqa: E402
from pipeline.runner import compute_record  # noqa: E402

record = compute_record(
    snakemake.wildcards.slug,  # noqa: F821
    snakemake.wildcards.invariant,  # noqa: F821
    method=snakemake.params.method,  # noqa: F821
    seed=snakemake.params.seed,  # noqa: F821
    timeout=snakemake.params.timeout,  # noqa: F821
    memory_mb=snakemake.params.memory_mb,  # noqa: F821
    options=snakemake.params.options,  # noqa: F821
)
print(f"{record['arch']} {record['invariant']}: {record['status']} {record.get('message') or ''}", file=sys.stderr)
write_record(record, snakemake.output[0])  # noqa: F821
