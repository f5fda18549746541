"""Snakemake adapter: a minimal-filling search -> its tables and figure."""
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 - injected by Snakemake

from pipeline.execution.batch import filling_search  # noqa: E402
from pipeline.reporting.filling import write_filling_tables  # noqa: E402

search = snakemake.params.search  # noqa: F821
result = filling_search(search["input"], search["output"], search["r"],
                        range(search["depth"][0], search["depth"][1] + 1), search["max_width"],
                        seed=snakemake.params.seed, workers=snakemake.threads)  # noqa: F821
write_filling_tables(result, snakemake.output.csv[: -len(".csv")])  # noqa: F821
print(f"minimal filling: {result['minimal']}; {result['computed']} computed in {result['seconds']} s", file=sys.stderr)
