# neuromanifold: Snakemake workflow (a table of contents; the rules live in workflow/rules).
#
# Path grammar, used by every rule:
#   results/invariants/<slug>/<invariant>.json    one result record per job
#   results/logs/invariants/<slug>/<invariant>.log
#   results/benchmarks/invariants/<slug>/<invariant>.tsv
#   results/tables/<table>.{csv,md,tex,meta.json}, results/tables/<table>.png
#   results/summary.html                           every table and figure on one page
#   results/report.html                            snakemake --report (make report)
#
# Run: make results   (or: .venv/bin/snakemake --cores all)
# Another sweep: .venv/bin/snakemake --cores all --configfile my-config.yaml
#   A --configfile replaces config/config.yaml: the sweep gets exactly the settings it names,
#   and the schema's defaults (workflow/schemas/config.schema.yaml) for the rest, never the
#   default sweep's budgets or methods. Each record carries its job's effective "settings".

from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")


if not workflow.overwrite_configfiles:  # no --configfile: the default sweep
    configfile: str(Path(workflow.basedir) / "config" / "config.yaml")


# `snakemake --report results/report.html`: this description, then every table and
# figure with its caption (workflow/report/*.rst).
report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/invariants.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/batches.smk"


rule all:
    input:
        get_final_output(),
        "results/summary.html",
    default_target: True
