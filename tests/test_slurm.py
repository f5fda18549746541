"""A real single-node SLURM cluster (started here) runs a small sweep through workflow/profiles/slurm.

A system test: it installs SLURM and munge and links /etc/slurm/slurm.conf, so it runs only with
NEUROMANIFOLD_SYSTEM_TESTS=1 (set by .ci/run) and skips otherwise, saying so."""

import csv
import subprocess

import pytest
import yaml
from conftest import BIN, REPO, skip_unless_system_tests
from slurm_cluster import completed_jobs, start_cluster, stop_cluster

SWEEP = {"sweeps": [{"name": "small", "slugs": ["linear_w2-1-2", "linear_w3-2-3", "mlp_w2-2-1_r2"]}],
         "invariants": ["dimension", "fiber"], "timeout": 60, "seed": 1}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    skip_unless_system_tests("the SLURM test (apt-get install slurm-wlm munge; /etc/slurm/slurm.conf)")
    running = start_cluster(tmp_path_factory.mktemp("slurm"))
    yield running
    stop_cluster(running)


def run_sweep(workdir, profile, env=None):
    config = workdir / "sweep.yaml"
    config.write_text(yaml.safe_dump(SWEEP))
    command = [str(BIN / "snakemake"), "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--workflow-profile", str(REPO / "workflow" / "profiles" / profile), "--configfile", str(config)]
    if profile == "default":
        command += ["--cores", "2"]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)


def table(workdir, name):
    with open(workdir / "results" / "tables" / f"{name}.csv") as handle:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)]


def test_sweep_through_sbatch_equals_the_local_run(cluster, tmp_path):
    remote, local = tmp_path / "slurm", tmp_path / "local"
    remote.mkdir()
    local.mkdir()
    done = run_sweep(remote, "slurm", env=cluster["env"])
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    # the cluster's job history: the 6 invariant jobs went through sbatch in groups of two, and completed
    jobs = [job for job in completed_jobs(cluster) if job.get("WorkDir") == str(remote)]
    assert len(jobs) == 3 and all(job["JobState"] == "COMPLETED" for job in jobs), jobs
    records = list((remote / "results" / "invariants").glob("*/*.json"))
    assert len(records) == 6
    assert run_sweep(local, "default").returncode == 0
    for name in ("dimension", "fibers"):
        assert table(remote, name) == table(local, name)
