# Dimension over grids (config "batches") and minimal-filling searches (config "searches").
# A batch is cut into shards of shard_size architectures; each shard is one job that computes
# every dimension in one process (worker processes forked once), so a cluster run spreads a
# grid over nodes through the SLURM profile. The table of a batch gathers its shards.


rule batch_shard:
    output:
        directory("results/batches/{batch}/shard-{index}"),
    log:
        "results/logs/batches/{batch}/shard-{index}.log",
    params:
        slugs=lambda wc: batch_shard_slugs(wc.batch, int(wc.index)),
        span=lambda wc: BATCH_SPAN[wc.batch],
        seed=config["seed"],
    threads: 2
    resources:
        runtime=lambda wc: cluster_runtime_minutes(3600, 1),
    script:
        "../scripts/compute_batch.py"


rule batch_table:
    input:
        lambda wc: [f"results/batches/{wc.batch}/shard-{index}" for index in range(len(BATCHES[wc.batch]))],
    output:
        csv="results/tables/batch_{batch}.csv",
        md="results/tables/batch_{batch}.md",
        tex="results/tables/batch_{batch}.tex",
        meta="results/tables/batch_{batch}.meta.json",
    log:
        "results/logs/tables/batch_{batch}.log",
    params:
        config_hash=CONFIG_HASH,
    script:
        "../scripts/make_batch_table.py"


rule filling_search:
    output:
        csv="results/tables/filling_{search}.csv",
        md="results/tables/filling_{search}.md",
        tex="results/tables/filling_{search}.tex",
        meta="results/tables/filling_{search}.meta.json",
        png="results/tables/filling_{search}.png",
    log:
        "results/logs/tables/filling_{search}.log",
    params:
        search=lambda wc: SEARCHES[wc.search],
        seed=config["seed"],
    threads: 2
    script:
        "../scripts/run_search.py"
