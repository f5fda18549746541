# Aggregation: records -> tables. Cheap, so local; failed and timed-out jobs
# appear as rows with their status.


localrules:
    table,


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
