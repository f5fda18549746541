# Aggregation: records -> tables. Cheap, so local; failed and timed-out jobs
# appear as rows with their status. Tables and figures are marked for
# `snakemake --report results/report.html`, each with its caption (workflow/report/).


localrules:
    table,
    comparison_table,
    degree_plot,
    critical_plot,
    conservation_plot,
    summary,


rule table:
    input:
        lambda wc: records_of(TABLES[wc.table]),
    output:
        csv=report(
            "results/tables/{table}.csv",
            caption="../report/table.rst",
            category="Tables",
            labels={"table": "{table}"},
        ),
        md="results/tables/{table}.md",
        tex="results/tables/{table}.tex",
        meta="results/tables/{table}.meta.json",
    log:
        "results/logs/tables/{table}.log",
    params:
        config_hash=CONFIG_HASH,
        invariant=lambda wc: TABLES[wc.table],
        caption=lambda wc: caption_rst(TABLES[wc.table]),
    script:
        "../scripts/make_table.py"


rule degree_plot:
    input:
        "results/tables/degree.csv",
    output:
        report(
            "results/tables/degree.png",
            caption="../report/figure.rst",
            category="Figures",
            labels={"figure": "degree"},
        ),
    log:
        "results/logs/tables/degree_plot.log",
    params:
        caption=FIGURE_CAPTIONS["degree"],
    script:
        "../scripts/plot_degree.py"


rule critical_plot:
    input:
        "results/tables/{table}.csv",
    output:
        report(
            "results/tables/{table}.png",
            caption="../report/figure.rst",
            category="Figures",
            labels={"figure": "{table}"},
        ),
    wildcard_constraints:
        table="critical_real|voronoi",
    log:
        "results/logs/tables/{table}_plot.log",
    params:
        caption=lambda wc: FIGURE_CAPTIONS[wc.table],
    script:
        "../scripts/plot_critical.py"


rule conservation_plot:
    input:
        lambda wc: records_of("conservation"),
    output:
        report(
            "results/tables/conservation.png",
            caption="../report/figure.rst",
            category="Figures",
            labels={"figure": "conservation"},
        ),
    log:
        "results/logs/tables/conservation_plot.log",
    params:
        caption=FIGURE_CAPTIONS["conservation"],
    script:
        "../scripts/plot_conservation.py"


rule comparison_table:
    input:
        lambda wc: [f"results/invariants/{slug}/{inv}.json" for slug, inv in JOBS
                    if inv in COMPARISON_INVARIANTS and slug in COMPARISON_SLUGS],
    output:
        csv="results/tables/comparison.csv",
        md="results/tables/comparison.md",
        tex="results/tables/comparison.tex",
        meta="results/tables/comparison.meta.json",
    log:
        "results/logs/tables/comparison.log",
    params:
        pairs=COMPARISON_PAIRS,
        config_hash=CONFIG_HASH,
    script:
        "../scripts/make_comparison.py"


rule summary:
    input:
        tables=lambda wc: [f"results/tables/{table}.csv" for table in sorted(TABLES)],
        metas=lambda wc: [f"results/tables/{table}.meta.json" for table in sorted(TABLES)],
        figures=lambda wc: [path for path in get_final_output() if path.endswith(".png")],
    output:
        "results/summary.html",
    log:
        "results/logs/tables/summary.log",
    script:
        "../scripts/make_summary.py"
