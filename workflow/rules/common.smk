# Config validation and the helpers that name the workflow's outputs.
import hashlib
import json
import sys

from snakemake.utils import validate

from pipeline.engines.budget import cluster_runtime_minutes
from pipeline.errors import ConfigError
from pipeline.execution.batch import grid_slugs, shards
from pipeline.execution.config import check_config, job_settings, schema_error
from pipeline.invariants import SPECS
from pipeline.reporting.comparison import INVARIANTS as COMPARISON_INVARIANTS
from pipeline.reporting.plots import FIGURE_CAPTIONS
from pipeline.reporting.tables import caption_rst

if schema_error(config):  # one line that says what is wrong and how to fix it
    raise ConfigError(schema_error(config))
validate(config, schema="../schemas/config.schema.yaml")  # fills the schema's defaults
CONFIG_SOURCES = [str(path) for path in workflow.overwrite_configfiles] or ["config/config.yaml"]
print(f"neuromanifold: sweep settings from {', '.join(CONFIG_SOURCES)} (nothing else merged in; "
      "unnamed settings take the defaults of workflow/schemas/config.schema.yaml)", file=sys.stderr)
JOBS = job_settings(check_config(config))  # {(slug, invariant): settings}; a bad config stops here
CONFIG_HASH = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]

TABLES = {SPECS[inv].table: inv for _, inv in JOBS}  # table name -> invariant

# Batches: name -> the [start, stop) of each shard of its grid; searches: name -> settings.
BATCH_SLUGS = {b["name"]: grid_slugs(b["grid"]) for b in config.get("batches", [])}
BATCHES = {b["name"]: shards(len(BATCH_SLUGS[b["name"]]), b.get("shard_size", 500)) for b in config.get("batches", [])}
BATCH_SPAN = {b["name"]: b.get("span", False) for b in config.get("batches", [])}
SEARCHES = {s["name"]: s for s in config.get("searches", [])}

# The comparison table (config "comparison"): its pairs, their slugs and the invariants it reads.
COMPARISON_PAIRS = config.get("comparison", {}).get("pairs", [])
COMPARISON_SLUGS = {pair[role] for pair in COMPARISON_PAIRS for role in ("plain", "variant")}


def batch_shard_slugs(batch, index):
    start, stop = BATCHES[batch][index]
    return BATCH_SLUGS[batch][start:stop]


wildcard_constraints:
    slug=r"[a-z]+_[a-z0-9_-]+",
    invariant=r"[a-z_]+",
    table="|".join(sorted(TABLES)) or "no-table",
    batch=r"[A-Za-z0-9_-]+",
    search=r"[A-Za-z0-9_-]+",
    index=r"\d+",


def records_of(invariant):
    """Record paths of one invariant, in config order, with those its spec joins (degree: implicit)."""
    wanted = {invariant, *SPECS[invariant].joins}
    return [f"results/invariants/{slug}/{inv}.json" for slug, inv in JOBS if inv in wanted]


def job_setting(name):
    """A params function: the job's ``method``, ``timeout`` or ``options`` from its sweep."""
    return lambda wc: JOBS[(wc.slug, wc.invariant)][name]


def get_final_output():
    """Every table of every configured invariant, and the figures of those tables that have one."""
    outputs = [f"results/tables/{table}.{ext}" for table in sorted(TABLES) for ext in ("csv", "md", "tex", "meta.json")]
    outputs += [f"results/tables/{table}.png" for table in sorted(TABLES) if table in FIGURE_CAPTIONS]
    outputs += [f"results/tables/batch_{name}.{ext}" for name in BATCHES for ext in ("csv", "md", "tex", "meta.json")]
    outputs += [f"results/tables/filling_{name}.{ext}" for name in SEARCHES
                for ext in ("csv", "md", "tex", "meta.json", "png")]
    if COMPARISON_PAIRS:
        outputs += [f"results/tables/comparison.{ext}" for ext in ("csv", "md", "tex", "meta.json")]
    return outputs
