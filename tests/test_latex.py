"""Every table's LaTeX compiles with pdflatex (Debian TeX; when missing, installed by the test set-up only
with the system tests enabled, otherwise skipped)."""

import os
import shutil
import subprocess

import pytest
from conftest import skip_unless_system_tests

from pipeline.execution.records import write_record
from pipeline.execution.runner import compute_record
from pipeline.invariants import SPECS
from pipeline.reporting.tables import write_tables

TEX_PACKAGES = ["texlive-latex-base", "texlive-latex-recommended"]  # pdflatex; booktabs


@pytest.fixture(scope="module")
def pdflatex():
    if shutil.which("pdflatex") is None:  # a pdflatex already there is used as it is
        skip_unless_system_tests(f"the LaTeX test without pdflatex (apt-get install {' '.join(TEX_PACKAGES)})")
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.fail("pdflatex is missing and cannot be installed here: run "
                        f"'apt-get install {' '.join(TEX_PACKAGES)}' as root")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
        done = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *TEX_PACKAGES], env=env,
                              capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, done.stderr[-2000:]
    return shutil.which("pdflatex")


OPTIONS = {"critical_real": {"samples": 3}, "voronoi": {"samples": 3}}


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    paths = []
    for invariant in SPECS:
        records = [compute_record("linear_w2-1-2", invariant, seed=1, timeout=120, options=OPTIONS.get(invariant)),
                   compute_record("linear_w3-2-3", invariant, seed=1, timeout=0.01, options=OPTIONS.get(invariant))]
        files = [write_record(r, folder / "records" / f"{i}-{invariant}.json") for i, r in enumerate(records)]
        assert records[0]["status"] == "ok" and records[1]["status"] == "timeout"
        paths.append(next(p for p in write_tables(invariant, files, folder / invariant) if p.suffix == ".tex"))
    return paths


def test_every_table_compiles_with_pdflatex(pdflatex, tables, tmp_path):
    body = "\n".join(rf"\input{{{path}}}" for path in tables)
    document = tmp_path / "tables.tex"
    document.write_text("\\documentclass{article}\n\\usepackage[margin=1cm,landscape]{geometry}\n"
                        "\\usepackage{booktabs}\n\\begin{document}\n" + body + "\n\\end{document}\n")
    done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", document.name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tmp_path / "tables.pdf").stat().st_size > 1000
    log = (tmp_path / "tables.log").read_text(errors="replace")
    assert "Undefined control sequence" not in log and "Output written on tables.pdf" in log
