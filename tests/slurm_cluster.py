"""A real single-node SLURM cluster on this machine, for tests: Debian's slurm-wlm and munge.

:func:`start_cluster` installs the packages when missing (apt-get, as root), writes a
``slurm.conf`` for this host into a scratch folder, starts ``munged``, ``slurmctld`` and
``slurmd`` and waits until the node is idle; :func:`stop_cluster` stops them. Commands see
the cluster through ``SLURM_CONF``; job steps inside a job (``srun``) only find
``/etc/slurm/slurm.conf``, so that path is linked to the test's file while the cluster
runs (never over an existing configuration). The munge daemon is stopped again if the test started it. Completed jobs are logged by ``jobcomp/filetxt`` (no
accounting database needed), which is the history a test reads.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PACKAGES = ["slurm-wlm", "munge"]


def ensure_packages():
    if shutil.which("slurmctld") and shutil.which("munged"):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError(f"SLURM is missing; install it as root: apt-get install {' '.join(PACKAGES)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
    done = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES], env=env,
                          capture_output=True, text=True, timeout=1200)
    if done.returncode:
        raise RuntimeError(f"apt-get install {' '.join(PACKAGES)} failed: {done.stderr[-2000:]}")


def slurm_conf(folder: Path, host: str, cpus: int, memory_mb: int) -> str:
    return f"""ClusterName=neuromanifold-test
SlurmctldHost={host}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
MinJobAge=600
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={folder}/jobcomp.txt
NodeName={host} CPUs={cpus} RealMemory={memory_mb} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


def start_cluster(folder: Path) -> dict:
    """Start the daemons; return ``{"env": environment for SLURM commands, "processes": [...], ...}``."""
    ensure_packages()
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("state", "spool"):
        (folder / sub).mkdir(exist_ok=True)
    host = socket.gethostname().split(".")[0]
    memory_mb = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 * 0.8)
    conf = folder / "slurm.conf"
    conf.write_text(slurm_conf(folder, host, os.cpu_count() or 1, memory_mb))
    env = dict(os.environ, SLURM_CONF=str(conf))
    system_conf = Path("/etc/slurm/slurm.conf")
    if system_conf.is_symlink() and not system_conf.exists():  # left behind by a killed test run
        system_conf.unlink()
    if system_conf.exists() or system_conf.is_symlink():
        raise RuntimeError(f"{system_conf} exists: this machine has a SLURM configuration, and the test "
                           "starts its own single-node cluster; run the test on a machine without one")
    system_conf.parent.mkdir(parents=True, exist_ok=True)
    system_conf.symlink_to(conf)
    key = Path("/etc/munge/munge.key")
    if not key.exists():
        subprocess.run(["mungekey", "--create", "--force"], check=True, capture_output=True)
    for path in ("/run/munge", "/var/log/munge", "/var/lib/munge"):
        Path(path).mkdir(parents=True, exist_ok=True)
    munge_pid = Path("/run/munge/munged.pid")
    munge_was_running = munge_pid.exists() and Path(f"/proc/{munge_pid.read_text().strip()}").exists()
    subprocess.run(["munged", "--force"], capture_output=True)  # exits at once if already running
    processes = [subprocess.Popen(["slurmctld", "-D", "-c", "-f", str(conf)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True),
                 subprocess.Popen(["slurmd", "-D", "-f", str(conf)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)]
    cluster = {"env": env, "processes": processes, "folder": folder, "host": host, "link": system_conf,
               "munged": None if munge_was_running or not munge_pid.exists() else int(munge_pid.read_text().strip())}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = subprocess.run(["sinfo", "-h", "-o", "%t"], env=env, capture_output=True, text=True)
        if state.stdout.strip() in ("idle", "mix"):
            return cluster
        time.sleep(1)
    stop_cluster(cluster)
    logs = "\n".join((folder / name).read_text()[-1500:] for name in ("slurmctld.log", "slurmd.log")
                     if (folder / name).exists())
    raise RuntimeError(f"the SLURM node did not become idle within 120 s:\n{logs}")


def stop_cluster(cluster: dict):
    link = cluster.get("link")
    if link is not None and link.is_symlink():
        link.unlink()
    for process in cluster["processes"]:
        if process.poll() is None:
            process.terminate()
    for process in cluster["processes"]:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    if cluster.get("munged"):  # the munge daemon this test started (one that was running before is left alone)
        try:
            os.kill(cluster["munged"], signal.SIGTERM)
        except ProcessLookupError:
            pass


def completed_jobs(cluster: dict) -> list[dict]:
    """The jobcomp/filetxt history: one dict (``JobId``, ``JobName``, ``JobState``, ...) per finished job."""
    path = cluster["folder"] / "jobcomp.txt"
    if not path.exists():
        return []
    jobs = []
    for line in path.read_text().splitlines():
        fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
        jobs.append(fields)
    return jobs
