# Aggregation: records -> tables. Cheap, so local; failed and timed-out jobs
# appear as rows with their status.


localrules:
    table,
    degree_plot,
    critical_plot,
    summary,


rule table:
    input:
        lambda wc: records_of(TABLES[wc.table]),
    output:
        csv="results/tables/{table}.csv",
        md="results/tables/{table}.md",
        tex="results/tables/{table}.tex",
        meta="results/tables/{table}.meta.json",
    log:
        "results/logs/tables/{table}.log",
    params:
        config_hash=CONFIG_HASH,
        invariant=lambda wc: TABLES[wc.table],
    script:
        "../scripts/make_table.py"


rule degree_plot:
    input:
        "results/tables/degree.csv",
    output:
        "results/tables/degree.png",
    log:
        "results/logs/tables/degree_plot.log",
    script:
        "../scripts/plot_degree.py"


rule critical_plot:
    input:
        "results/tables/{table}.csv",
    output:
        "results/tables/{table}.png",
    wildcard_constraints:
        table="critical_real|voronoi",
    log:
        "results/logs/tables/{table}_plot.log",
    script:
        "../scripts/plot_critical.py"


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
