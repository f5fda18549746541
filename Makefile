# neuromanifold: the two commands a fresh machine needs.
#   make results   create .venv if missing, install, run the default sweep (all local cores) and publish
#                  it into results/default/ (committed: records, tables, figures, PROVENANCE.md)
#   make test      create .venv if missing, install, run the test suite (slow cases excluded)
# Other targets: make report (snakemake --report of the last sweep), make install, make test-slow,
# make benchmarks, make clean-results.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CORES  ?= all

.PHONY: results report test test-slow install benchmarks clean-results

results: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) --workflow-profile workflow/profiles/default
	$(BIN)/python -m pipeline.reporting.publish results results/default

report: $(STAMP)
	$(BIN)/snakemake --workflow-profile workflow/profiles/default --report results/report.html

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/dimension.py
	$(BIN)/python benchmarks/degree.py
	$(BIN)/python benchmarks/ed_degree.py
	$(BIN)/python benchmarks/singular.py
	$(BIN)/python benchmarks/conservation.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/reach.py
	if command -v phc >/dev/null; then $(BIN)/python benchmarks/trackers.py; \
	else echo "benchmarks/trackers.py skipped: phc not found (apt-get install phcpack)"; fi
	$(BIN)/python benchmarks/render.py

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required: set PYTHON=/path/to/python3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e .
	@# PHCpack (phc) is optional: installed from Debian when missing and we are root, never a failure
	@command -v phc >/dev/null || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && apt-get install -y phcpack; } \
	  || echo "phc not installed (optional, for pipeline.engines.phc): run 'apt-get install phcpack' as root, or set PHC=/path/to/phc"
	touch $(STAMP)

clean-results:
	rm -rf results/invariants results/tables results/logs results/benchmarks .snakemake
