# One job per architecture and invariant. Each job carries its own wall-clock
# budget (Snakemake has no per-rule time limit) and always writes a record:
# ok, timeout or error.


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
        timeout=job_setting("timeout"),
        memory_mb=config.get("memory_mb"),
        options=job_setting("options"),
    resources:
        runtime=lambda wc, attempt: int(JOBS[(wc.slug, wc.invariant)]["timeout"] / 60 * attempt) + 1,
    script:
        "../scripts/compute_invariant.py"
