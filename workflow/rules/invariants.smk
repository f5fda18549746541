# One job per architecture and invariant. Each job carries its own wall-clock
# budget (Snakemake has no per-rule time limit) and always writes a record:
# ok, timeout or error. With config "retries: N", a job that runs out of time or
# memory exits without a record and Snakemake runs it again with the budget and the
# memory limit times the attempt number; the last attempt writes the record.


rule invariant:
    output:
        "results/invariants/{slug}/{invariant}.json",
    log:
        "results/logs/invariants/{slug}/{invariant}.log",
    benchmark:
        "results/benchmarks/invariants/{slug}/{invariant}.tsv"
    params:
        method=job_setting("method"),
        seed=config["seed"],
        options=job_setting("options"),
        retries=config.get("retries", 0),
        config_hash=CONFIG_HASH,
    retries: config.get("retries", 0)
    resources:
        # wall-clock budget of this attempt in seconds, grown with the attempt
        budget_s=lambda wc, attempt: JOBS[(wc.slug, wc.invariant)]["timeout"] * attempt,
        # SLURM's runtime (minutes): the budget rounded up, plus a margin for start-up and the record
        runtime=lambda wc, attempt: cluster_runtime_minutes(JOBS[(wc.slug, wc.invariant)]["timeout"], attempt),
        # address-space limit of the algebra (0: none), grown with the attempt
        limit_mb=lambda wc, attempt: (config.get("memory_mb") or 0) * attempt,
        attempt=lambda wc, attempt: attempt,
    script:
        "../scripts/compute_invariant.py"
