"""Snakemake adapter: a minimal-filling search -> its tables and figure."""
from pipeline.execution.logs import log_job_to

log = log_job_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from pipeline.execution.batch import filling_search  # noqa: E402
from pipeline.reporting.filling import write_filling_tables  # noqa: E402

search = snakemake.params.search  # noqa: F821
result = filling_search(search["input"], search["output"], search["r"],
                        range(search["depth"][0], search["depth"][1] + 1), search["max_width"],
                        seed=snakemake.params.seed, workers=snakemake.threads)  # noqa: F821
write_filling_tables(result, snakemake.output.csv[: -len(".csv")])  # noqa: F821
log.info("minimal filling: %s; %d computed in %s s", result["minimal"], result["computed"], result["seconds"])
