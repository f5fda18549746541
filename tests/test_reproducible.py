"""Reproducibility: the same config and seed give the same values in every record.

A small real sweep runs twice, in two folders; every record must be equal in everything but
timings and host facts (``seconds``, ``versions``), and so must the tables.
"""

import csv
import json
import subprocess

import yaml
from conftest import BIN, REPO

SWEEP = {"sweeps": [{"name": "small", "slugs": ["linear_w3-2-3", "mlp_w2-2-1_r2", "cnn_k3-2_s1-1_r2",
                                                "attn_d2-1_a2_t2"]}],
         "invariants": ["dimension", "fiber", "degree", "ed_degree"], "timeout": 120, "seed": 7}
HOST_FACTS = {"seconds", "versions"}


def sweep(workdir):
    config = workdir / "sweep.yaml"
    config.write_text(yaml.safe_dump(SWEEP))
    command = [str(BIN / "snakemake"), "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--workflow-profile", str(REPO / "workflow" / "profiles" / "default"), "--configfile", str(config),
               "--cores", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return {str(path.relative_to(workdir)): json.loads(path.read_text())
            for path in sorted((workdir / "results" / "invariants").glob("*/*.json"))}


def without_host_facts(record):
    kept = {key: value for key, value in record.items() if key not in HOST_FACTS}
    if "attempts" in kept:
        # a try's budget is what was left of the chain's: a timing too
        kept["attempts"] = [{k: v for k, v in attempt.items() if k not in ("seconds", "budget")}
                            for attempt in kept["attempts"]]
    return kept


def table(workdir, name):
    with open(workdir / "results" / "tables" / f"{name}.csv") as handle:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)]


def test_same_config_and_seed_give_the_same_records(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    one, two = sweep(first), sweep(second)
    assert len(one) == 16 and set(one) == set(two)
    assert all(record["status"] == "ok" for record in one.values()), {k: r["message"] for k, r in one.items()}
    for path in one:
        assert without_host_facts(one[path]) == without_host_facts(two[path]), path
    for name in ("dimension", "fibers", "degree", "critical"):
        assert table(first, name) == table(second, name), name
    # the effective settings of each job are in its record: the sweep's own, nothing inherited
    record = one["results/invariants/linear_w3-2-3/degree.json"]
    assert record["settings"] == {"method": "auto", "seed": 7, "timeout": 120, "memory_mb": None, "options": {}}


def test_a_record_calls_the_code_dirty_only_for_changes_outside_results(tmp_path):
    """git_dirty: the published results (results/) are output; a change there leaves the code clean."""
    import subprocess

    from pipeline.execution.records import code_changed

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                       check=True, capture_output=True)

    assert code_changed(tmp_path) is None  # not a git checkout
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "record.json").write_text("{}")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "start")
    assert code_changed(tmp_path) is False
    (tmp_path / "results" / "record.json").write_text('{"published": true}')
    assert code_changed(tmp_path) is False
    (tmp_path / "code.py").write_text("x = 2\n")
    assert code_changed(tmp_path) is True
