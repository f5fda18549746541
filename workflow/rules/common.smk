# Config validation and the helpers that name the workflow's outputs.
import hashlib
import json

from snakemake.utils import validate

from pipeline.plots import FIGURE_CAPTIONS
from pipeline.tables import TABLE_NAMES, caption_rst
from pipeline.workflow import check_config, job_settings

validate(config, schema="../schemas/config.schema.yaml")
JOBS = job_settings(check_config(config))  # {(slug, invariant): settings}; a bad config stops here
CONFIG_HASH = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]

TABLES = {TABLE_NAMES[inv]: inv for _, inv in JOBS}  # table name -> invariant


wildcard_constraints:
    slug=r"[a-z]+_[a-z0-9_-]+",
    invariant=r"[a-z_]+",
    table=r"[a-z_]+",


def records_of(invariant):
    """Record paths of one invariant, in config order; the degree table also reads implicit records."""
    wanted = {invariant, "implicit"} if invariant == "degree" else {invariant}
    return [f"results/invariants/{slug}/{inv}.json" for slug, inv in JOBS if inv in wanted]


def job_setting(name):
    """A params function: the job's ``method``, ``timeout`` or ``options`` from its sweep."""
    return lambda wc: JOBS[(wc.slug, wc.invariant)][name]


def get_final_output():
    """Every table of every configured invariant."""
    outputs = [f"results/tables/{table}.{ext}" for table in sorted(TABLES) for ext in ("csv", "md", "tex", "meta.json")]
    if "degree" in TABLES:
        outputs.append("results/tables/degree.png")
    outputs += [f"results/tables/{table}.png" for table in ("critical_real", "voronoi") if table in TABLES]
    return outputs
