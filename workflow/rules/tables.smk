# Aggregation: records -> tables. Cheap, so local; failed and timed-out jobs
# appear as rows with their status.


localrules:
    table,


rule table:
    input:
        lambda wc: records_of(wc.invariant),
    output:
        csv="results/tables/{invariant}.csv",
        md="results/tables/{invariant}.md",
        tex="results/tables/{invariant}.tex",
        meta="results/tables/{invariant}.meta.json",
    log:
        "results/logs/tables/{invariant}.log",
    params:
        config_hash=CONFIG_HASH,
    script:
        "../scripts/make_table.py"
