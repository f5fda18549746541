# Aggregation: records -> tables. Cheap, so local; failed and timed-out jobs
# appear as rows with their status.


localrules:
    table,
    degree_plot,


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
