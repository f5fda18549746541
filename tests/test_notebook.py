"""The example notebook, executed by nbclient on the real Macaulay2 kernel, on records the pipeline computes."""

import json
import os
import re
import subprocess
from fractions import Fraction
from math import comb, prod

import nbformat
import pytest
from conftest import BIN, REPO
from nbclient import NotebookClient

from pipeline.engines.m2 import m2_version
from pipeline.notebook_kernel import CONFIG_NAME, KERNEL_NAME, configured_m2

CLI = str(BIN / "neuromanifold")
NOTEBOOK = REPO / "notebooks" / "explore_neurovariety.ipynb"


def run(*args, timeout=300):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def rank_locus_dim(m, n, r):
    """Affine dimension of the m x n matrices of rank <= r."""
    return r * (m + n - r)


def rank_locus_degree(m, n, r):
    """Degree of the m x n matrices of rank <= r (Harris, Algebraic Geometry, Example 19.10)."""
    return int(prod(Fraction(comb(m + i, r), comb(r + i, r)) for i in range(n - r)))


def output_text(cell) -> str:
    """The plain text a reader sees under a code cell: streams, displays and the result."""
    parts = [out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", "")
             for out in cell.outputs]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    out = tmp_path_factory.mktemp("records")
    done = run("compute", "linear_w3-2-3", "--invariants", "implicit,degree,singular", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out / "linear_w3-2-3"


@pytest.fixture(scope="module")
def kernel_prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    done = run("kernel", "install", "--prefix", str(prefix))
    assert done.returncode == 0, done.stderr
    assert f"installed kernel {KERNEL_NAME}" in done.stdout
    return prefix


def test_kernel_install_names_the_pipelines_m2(kernel_prefix):
    directory = kernel_prefix / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = json.loads((directory / "kernel.json").read_text())
    assert spec["argv"][1:3] == ["-m", "m2_kernel"]
    assert spec["env"] == {"M2JK_CONFIG": str(directory / CONFIG_NAME)}
    done = run("doctor")
    assert f"M2: {configured_m2(directory / CONFIG_NAME)} " in done.stdout


def test_kernel_install_bad_prefix_exits_1_with_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = run("kernel", "install", "--prefix", str(blocker))
    assert done.returncode == 1 and done.stdout == ""
    assert f"cannot create the kernel directory {blocker}/share/jupyter/kernels/{KERNEL_NAME}" in done.stderr


@pytest.fixture(scope="module")
def executed(records, kernel_prefix, tmp_path_factory):
    """The notebook run on the implicit record of linear_w3-2-3, with a decoy ``M2`` first on ``PATH``."""
    decoy = tmp_path_factory.mktemp("decoy-bin")
    (decoy / "M2").write_text("#!/bin/sh\necho 'decoy M2: the kernel must not run me' >&2\nexit 1\n")
    (decoy / "M2").chmod(0o755)
    env = {
        "NEUROMANIFOLD_RECORD": str(records / "implicit.json"),
        "JUPYTER_PATH": str(kernel_prefix / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("jupyter-runtime")),
        "PATH": f"{decoy}{os.pathsep}{os.environ['PATH']}",
    }
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert notebook.metadata.kernelspec.name == KERNEL_NAME
    with pytest.MonkeyPatch.context() as patch:  # the kernel inherits this process's environment
        for name, value in env.items():
            patch.setenv(name, value)
        NotebookClient(notebook, timeout=60, startup_timeout=60,
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook


def test_notebook_runs_the_pipelines_m2_without_errors(executed):
    assert executed.metadata.language_info.version == m2_version()
    texts = [output_text(cell) for cell in executed.cells if cell.cell_type == "code"]
    assert all(texts), "every code cell shows something"
    assert not [text for text in texts if "error" in text], texts
    assert f"kernel runs Macaulay2 {m2_version()}" in texts[0]


def test_notebook_matches_records_and_closed_forms(executed, records):
    text = "\n".join(output_text(cell) for cell in executed.cells if cell.cell_type == "code")
    implicit = json.loads((records / "implicit.json").read_text())["value"]
    degree = json.loads((records / "degree.json").read_text())["value"]["degree"]
    dim_v, degree_v = rank_locus_dim(3, 3, 2), rank_locus_degree(3, 3, 2)
    assert (dim_v, degree_v) == (8, 3) == (implicit["dim"], degree)
    assert f"dim V = {dim_v} (record: {dim_v}, agree)" in text
    assert f"degree V = {degree_v} (record: {degree_v}, agree)" in text
    assert "1 + T + T" in text and "(1 - T)" in text  # Hilbert series (1 + T + T^2)/(1 - T)^8
    components = re.findall(r"component: dim (\d+), degree (\d+)", text)
    assert components == [(str(rank_locus_dim(3, 3, 1)), str(rank_locus_degree(3, 3, 1)))] == [("5", "6")]
    assert "every component in singular.json: true" in text
    points = re.findall(r"on V (\w+), Jacobian rank (\d+), (\w+)", text)
    assert points == [("true", "1", "smooth")] * 3
    assert "a random point of the ambient space is on V: false" in text
