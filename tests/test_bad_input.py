"""Bad input, as a table: every row is refused at once with one clear line, and nothing is lost.

``ROWS`` is the table (``docs/bad-input.md`` lists it; a test keeps the two in sync). A row is
``(id, kind, input, expected substrings, environment)``:

- ``cli``: ``input`` is the argument list of the installed ``neuromanifold`` console script,
  with ``{tmp}``, ``{out}``, ``{records}``, ``{readonly}`` standing for the paths of the
  fixture ``tree``; it must exit 1 with empty stdout and exactly one stderr line that starts
  with ``neuromanifold: error:``, holds no traceback and contains every expected substring
  (what is wrong and what to do), and must leave the whole tree byte-identical (no partial
  file, every finished record and table still there);
- ``config``: ``input`` is a sweep configuration given to :func:`pipeline.execution.config.check_config`
  (the JSON schema of ``workflow/schemas/config.schema.yaml``, then the meaning), which must raise
  :class:`~pipeline.errors.ConfigError` with one line holding the substrings;
- ``snakemake``: ``input`` is the text of a config file (``None``: a missing file) given to a
  real ``snakemake -n --configfile``, or a config with result files and Snakemake arguments
  for a real run; it must exit 1, print the substrings and write no record or table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLI = str(BIN / "neuromanifold")
SNAKEMAKE = str(BIN / "snakemake")

SWEEP = [{"name": "lin", "slugs": ["linear_w2-1-2"]}]
RECORD = {"arch": "linear_w2-1-2", "invariant": "dimension", "status": "ok", "message": None,
          "value": {"dim": 3, "params": 4, "ambient_dim": 4, "span_dim": 4, "expected_dim": 3, "defect": 0,
                    "method": "symbolic", "seeds": [0]},
          "method": "symbolic", "certificate": {"kind": "modular", "primes": [7]},
          "seconds": 0.1, "seed": 0, "versions": {}, "config_hash": "0123456789abcdef"}
FIX = "delete it and rerun 'make results'"


def cli(row_id, argv, *expected, env=None):
    return (row_id, "cli", argv, expected, env or {})


def config(row_id, cfg, *expected):
    return (row_id, "config", cfg, expected, {})


def snakemake(row_id, text, *expected):
    return (row_id, "snakemake", text, expected, {})


C = ["compute", "linear_w2-1-2"]
O = ["--out", "{out}"]
T = ["table", "dimension"]
P = ["--out-prefix", "{out}/tables/dimension"]

ROWS = [
    # --- the command line: usage errors (argparse), exit 1 like every bad input ---
    cli("usage-unknown-subcommand", ["comput", "linear_w2-1-2"], "invalid choice: 'comput'", "'compute'", "--help"),
    cli("usage-no-subcommand", [], "required: COMMAND", "see 'neuromanifold --help'"),
    cli("usage-missing-slug", ["compute", *O], "required: slug", "see 'neuromanifold compute --help'"),
    cli("usage-unknown-option", [*C, "--timeoutt", "5", *O], "unknown option --timeoutt; did you mean --timeout?",
        "see 'neuromanifold compute --help'"),
    cli("usage-misspelled-help", ["compute", "--hlep"], "unknown option --hlep; did you mean --help?",
        "see 'neuromanifold compute --help'"),
    cli("usage-abbreviated-option", [*C, "--time", "5", *O], "unknown option --time; did you mean --timeout?"),
    cli("usage-repeated-option", [*C, "--invariants", "dimension", "--invariants", "fiber", *O],
        "argument --invariants: given twice ('dimension', then 'fiber'); give it once"),
    cli("usage-repeated-number", [*C, "--timeout", "5", "--timeout", "10", *O],
        "argument --timeout: given twice (5.0, then 10.0); give it once"),
    cli("usage-repeated-out-prefix", [*T, "{records}/linear_w2-1-2/dimension.json", *P, "--out-prefix", "{tmp}/t"],
        "argument --out-prefix: given twice", "give it once"),
    cli("usage-seed-not-a-number", [*C, "--seed", "x", *O], "--seed", "'x'", "whole number >= 0", "e.g. --seed 0"),
    cli("usage-kernel-action", ["kernel", "remove"], "invalid choice: 'remove'", "'install'"),
    cli("usage-table-no-prefix", [*T, "{records}/linear_w2-1-2/dimension.json"], "required: --out-prefix",
        "table --help"),
    # --- numbers out of range ---
    cli("timeout-zero", [*C, "--timeout", "0", *O], "--timeout", "positive number of seconds", "e.g. --timeout 60"),
    cli("timeout-negative", [*C, "--timeout", "-5", *O], "--timeout", "'-5'", "e.g. --timeout 60"),
    cli("timeout-not-finite", [*C, "--timeout", "inf", *O], "--timeout", "'inf'", "positive number of seconds"),
    cli("memory-zero", [*C, "--memory-mb", "0", *O], "--memory-mb", "positive whole number of MB", "e.g. --memory-mb"),
    cli("seed-negative", [*C, "--seed", "-1", *O], "--seed", "'-1'", "whole number >= 0"),
    cli("samples-zero", [*C, "--invariants", "critical_real", "--samples", "0", *O], "--samples",
        "option samples must be a positive integer, got 0", "e.g. --samples 20"),
    cli("data-size-negative", [*C, "--invariants", "ed_degree", "--data-size", "-3", *O], "--data-size",
        "option data_size must be a positive integer, got -3", "e.g. --data-size 20"),
    cli("data-size-too-small", [*C, "--invariants", "ed_degree", "--metric", "data", "--data-size", "1", *O],
        "--data-size 1 is too few training inputs for linear_w2-1-2", "give at least 2, e.g. --data-size 4"),
    cli("data-size-without-data-metric", [*C, "--invariants", "ed_degree", "--data-size", "5", *O],
        "--data-size applies to the data metric only", "add --metric data"),
    # --- slugs ---
    cli("slug-grammar", ["compute", "linear_w4-x-3", *O], "slug 'linear_w4-x-3'", "does not match the linear grammar",
        "e.g. linear_w4-2-3"),
    cli("slug-unknown-family", ["compute", "relu_w2-2", *O], "unknown family 'relu'", "valid families: linear, mlp"),
    cli("slug-linear-mlp", ["parse", "mlp_w2-3_r1"], "r = 1 makes the MLP linear", "use the linear family"),
    cli("slug-cnn-strides", ["compute", "cnn_k3-2_s1_r2", *O], "2 filter sizes but 1 strides",
        "give one stride per layer"),
    cli("slug-absurd-degree", ["compute", "mlp_w2-2-1_r999999999999", *O], "degree 999999999999",
        "limit 10,000", "use a smaller exponent r"),
    cli("slug-absurd-params", ["compute", "linear_w100000-100000", *O], "10,000,000,000 parameters",
        "limit 10,000,000", "use smaller widths"),
    cli("slug-absurd-coordinates", ["compute", "attn_d20-20-20-20_a1-1-1_t10", *O], "1.32e37 coordinates",
        "limit 1.00e30", "use fewer inputs"),
    cli("parse-absurd-coordinates", ["parse", "cnn_k2-2_s99999999999999999999-1_r3"], "1.66e59 coordinates",
        "smaller CNN filters and strides"),
    # --- YAML network files (docs/networks.md) ---
    cli("network-file-missing", ["compute", "nets/missing.yaml", *O], "network file nets/missing.yaml: cannot read it",
        "give the path of a YAML network file"),
    cli("network-file-schema", ["parse", "{tmp}/net.yml"], "network file {tmp}/net.yml: layers[3]: 2 is not of type",
        "the format is in docs/networks.md"),
    cli("network-file-not-yaml", ["compute", "{tmp}/broken.yaml", *O], "not valid YAML at line", "docs/networks.md"),
    cli("network-file-unknown-layer", ["compute", "{tmp}/unknown.yaml", *O], "'dens' is not one of ['dense'",
        "docs/networks.md"),
    cli("network-file-filter-too-long", ["compute", "{tmp}/conv.yaml", *O], "layer 1 (conv3s1)",
        "does not fit a signal of length 2"),
    cli("network-file-constant-activation", ["compute", "{tmp}/constant.yaml", *O], "layer 2: activation [0, 0]",
        "a constant activation makes the network constant"),
    cli("network-file-absurd-size", ["compute", "{tmp}/big.yaml", *O], "network file {tmp}/big.yaml: too large to compute",
        "10,000,200,000 parameters, above the limit 10,000,000", "use smaller widths"),
    cli("network-file-python-tag", ["compute", "{tmp}/evil.yaml", *O],
        "the YAML tag '!!python/object/apply:os.system' at line 2 is not allowed", "remove it"),
    # --- new slugs ---
    cli("slug-activation-trailing-zero", ["compute", "mlp_w2-2-1_p0-1-0", *O], "last activation coefficient c2 is 0",
        "drop trailing zeros"),
    cli("slug-activation-bad-coefficient", ["compute", "mlp_w2-2-1_p0--1", *O], "does not match the mlp grammar",
        "(m3 for -3)"),
    cli("slug-heads-per-layer", ["compute", "attn_d2-2-1_a1-1_t2_h2", *O], "1 head counts but 2 layers",
        "one head count per layer"),
    cli("slug-gcnn-trivial-group", ["compute", "gcnn_c1_l2_r2", *O], "needs n >= 2"),
    cli("slug-net-unknown-layer", ["compute", "net_i2_relu_dense1", *O], "unknown layer 'relu'",
        "e.g. net_i3_dense2_p0-0-1_dense1"),
    cli("slug-net-two-activations", ["compute", "net_i2_dense2_p0-0-1_p0-1-1_dense1", *O],
        "layers 2 and 3 are both activations", "write their composition as one activation"),
    # --- names and options (the invariant registry, hence Sage, is imported for these) ---
    cli("invariant-unknown", [*C, "--invariants", "dimension,volume", *O], "unknown invariant 'volume'",
        "valid names: conservation, critical_real, degree, dimension"),
    cli("invariants-empty", [*C, "--invariants", ",", *O], "--invariants is empty", "e.g. --invariants dimension"),
    cli("invariants-empty-entry", [*C, "--invariants", "dimension,,fiber", *O],
        "--invariants 'dimension,,fiber' has an empty entry", "separate the names by single commas"),
    cli("invariants-trailing-comma", [*C, "--invariants", "dimension,", *O], "--invariants 'dimension,' has an empty entry",
        "e.g. --invariants dimension,fiber"),
    cli("invariants-repeated", [*C, "--invariants", "dimension,dimension", *O], "names dimension more than once",
        "list each invariant once"),
    cli("method-unknown", [*C, "--method", "magic", *O], "unknown method 'magic' for dimension",
        "valid names: auto, symbolic, evaluation, numerical"),
    cli("metric-unknown", [*C, "--invariants", "ed_degree", "--metric", "frobenius", *O],
        "unknown metric 'frobenius' for ed_degree", "valid names: generic, coefficient"),
    cli("option-unused", [*C, "--metric", "generic", *O], "--metric applies to none of the invariants dimension",
        "options by invariant: ed_degree: metric"),
    # --- the output folder ---
    cli("out-is-a-file", [*C, "--out", "{tmp}/notes.txt"], "--out {tmp}/notes.txt is not a folder",
        "give a folder"),
    cli("out-read-only", [*C, "--out", "{readonly}"], "cannot write in {readonly}", "give a writable folder"),
    cli("out-slug-is-a-file", ["compute", "mlp_w2-2-1_r2", *O], "{out}/mlp_w2-2-1_r2 is a file",
        "move it away or give another --out folder"),
    cli("out-empty", [*C, "--out", ""], "--out is empty", "give a folder, e.g. results/mine"),
    cli("out-system-folder", [*C, "--out", "/proc/foo"], "--out /proc/foo: cannot write in /proc",
        "give a writable folder ("),
    # --- the environment: Macaulay2 and msolve binaries ---
    cli("m2-missing", [*C, "--method", "numerical", *O], "environment variable M2=/nonexistent/M2: does not exist",
        "unset M2", "point it at a working Macaulay2 binary", env={"M2": "/nonexistent/M2"}),
    cli("m2-not-executable", [*C, "--method", "numerical", *O], "M2={tmp}/notes.txt: is not an executable file",
        "unset M2", env={"M2": "{tmp}/notes.txt"}),
    cli("m2-broken", ["doctor"], "M2=/bin/false: the binary fails its version probe '/bin/false --version'",
        "unset M2", env={"M2": "/bin/false"}),
    cli("msolve-broken", [*C, "--invariants", "fiber", "--method", "msolve", *O],
        "MSOLVE=/bin/false: the binary fails its version probe '/bin/false -V'", "unset MSOLVE",
        "point it at a working msolve binary", env={"MSOLVE": "/bin/false"}),
    # --- the results tree: records given to the tables ---
    cli("record-truncated", [*T, "{records}/truncated/dimension.json", *P],
        "record {records}/truncated/dimension.json is not valid JSON (truncated or corrupt", FIX),
    cli("record-empty", [*T, "{records}/empty/dimension.json", *P], "empty/dimension.json is not valid JSON", FIX),
    cli("record-corrupt-bytes", [*T, "{records}/binary/dimension.json", *P],
        "binary/dimension.json is not text (corrupt", FIX),
    cli("record-not-an-object", [*T, "{records}/list/dimension.json", *P], "holds a JSON list, not a record", FIX),
    cli("record-missing-keys", [*T, "{records}/partial/dimension.json", *P], "lacks the fields status, value", FIX),
    cli("record-bad-status", [*T, "{records}/finished/dimension.json", *P], "has status 'finished'", FIX),
    cli("record-missing-file", [*T, "{records}/linear_w9-9/dimension.json", *P],
        "linear_w9-9/dimension.json does not exist", "check the path"),
    cli("record-other-invariant", [*T, "{records}/linear_w2-1-2/fiber.json", *P],
        "is a fiber record, not a dimension record", "give the table only records of dimension"),
    cli("record-other-config", [*T, "{records}/linear_w2-1-2/dimension.json", *P, "--config-hash", "feedfacefeedface"],
        "is from another configuration (config_hash 0123456789abcdef, this sweep's is feedfacefeedface)", FIX),
    cli("record-value-fields", ["table", "implicit", "{records}/linear_w2-1-2/implicit.json",
                                "--out-prefix", "{out}/tables/implicit"],
        "breaks the record contract (value: 'field' is a required property)", FIX),
    cli("table-unknown-invariant", ["table", "volume", "{records}/linear_w2-1-2/dimension.json", *P],
        "unknown invariant 'volume'", "valid names: conservation, critical_real"),
    cli("table-prefix-unwritable", [*T, "{records}/linear_w2-1-2/dimension.json", "--out-prefix",
                                    "{readonly}/tables/dimension"], "{readonly}/tables", "writable --out-prefix"),
    cli("table-prefix-is-a-folder", [*T, "{records}/linear_w2-1-2/dimension.json", "--out-prefix", "{out}/tables/"],
        "--out-prefix '{out}/tables/' ends with '/', a folder", "written beside it as {out}/tables.csv",
        "e.g. --out-prefix {out}/tables/dimension"),
    cli("table-prefix-empty", [*T, "{records}/linear_w2-1-2/dimension.json", "--out-prefix", ""],
        "--out-prefix is empty", "give a file prefix"),
    # --- batches and searches ---
    cli("batch-bad-range", ["batch", "--family", "mlp", "--input", "2", "--output", "1", "--depth", "6-2", "--width",
                            "1-3", "--r", "2", *O], "argument --depth", "1 <= low <= high", "e.g. 2-6"),
    cli("batch-unknown-family", ["batch", "--family", "cnn", "--input", "2", "--output", "1", "--depth", "2-3",
                                 "--width", "1-3", *O], "family must be one of mlp, linear, got 'cnn'"),
    cli("batch-mlp-without-r", ["batch", "--family", "mlp", "--input", "2", "--output", "1", "--depth", "2-3",
                                "--width", "1-3", *O], "r must be a positive whole number", "e.g. r: 2"),
    cli("batch-huge-grid", ["batch", "--family", "mlp", "--input", "2", "--output", "1", "--depth", "2-12",
                            "--width", "1-9", "--r", "2", *O], "width vectors (limit 5e+06)", "narrow its depth"),
    cli("search-depth-one", ["search", "filling", "--input", "2", "--output", "1", "--r", "2", "--depth", "1-3",
                             "--max-width", "3"], "needs depth >= 2", "e.g. --depth 2-6"),
    cli("search-huge-box", ["search", "filling", "--input", "2", "--output", "1", "--r", "2", "--depth", "2-9",
                            "--max-width", "9"], "width vectors (limit 5e+06)", "lower the largest depth"),
    cli("batch-table-empty", ["batch", "--family", "linear", "--input", "2", "--output", "1", "--depth", "2-3",
                              "--width", "1-2", "--table", "", *O], "--table is empty", "give a file prefix"),
    cli("search-prefix-is-a-folder", ["search", "filling", "--input", "2", "--output", "1", "--r", "2", "--depth",
                                      "2-3", "--max-width", "3", "--out-prefix", "{out}/"],
        "--out-prefix '{out}/' ends with '/', a folder", "give a file prefix inside the folder"),
    cli("search-absurd-width", ["search", "filling", "--input", "2", "--output", "1", "--r", "2", "--depth", "2-2",
                                "--max-width", "1000000"], "reaches hidden width 1,000,000, above the limit 1,000",
        "or compute wider architectures one by one"),
    cli("search-absurd-degree", ["search", "filling", "--input", "2", "--output", "1", "--r", "1000", "--depth", "2-4",
                                 "--max-width", "3"], "the search box's largest architecture: slug 'mlp_w2-3-3-3-1_r1000'",
        "degree 1000000000, above the limit 10,000", "use a smaller exponent r"),
    cli("batch-absurd-width", ["batch", "--family", "linear", "--input", "2", "--output", "1", "--depth", "2-2",
                               "--width", "1-5000", *O], "the grid reaches hidden width 5,000, above the limit 1,000",
        "narrow its depth or width range"),
    cli("batch-absurd-params", ["batch", "--family", "linear", "--input", "10000000", "--output", "2", "--depth", "2-2",
                                "--width", "1-2", *O], "the grid's largest architecture: slug 'linear_w10000000-2-2'",
        "20,000,004 parameters, above the limit 10,000,000"),
    cli("batch-absurd-degree", ["batch", "--family", "mlp", "--input", "2", "--output", "1", "--depth", "2-5",
                                "--width", "1-2", "--r", "100", *O], "slug 'mlp_w2-2-2-2-2-1_r100'",
        "above the limit 10,000", "use a smaller exponent r"),
    config("config-search-absurd-width", {"sweeps": SWEEP, "searches": [{"name": "wide", "input": 2, "output": 1,
           "r": 2, "depth": [2, 2], "max_width": 1000000}]}, "config search 'wide'",
           "reaches hidden width 1,000,000, above the limit 1,000"),
    config("config-batch-absurd-degree", {"sweeps": SWEEP, "batches": [{"name": "deep", "grid": {"family": "mlp",
           "input": 2, "output": 1, "depth": [2, 5], "width": [1, 2], "r": 100}}]}, "config batch 'deep'",
           "the grid's largest architecture: slug 'mlp_w2-2-2-2-2-1_r100'", "above the limit 10,000"),
    config("config-batch-bad-grid", {"sweeps": SWEEP, "batches": [{"name": "b", "grid": {"family": "mlp", "input": 2,
           "output": 1, "depth": [2, 3], "width": [3, 1], "r": 2}}]}, "config batch 'b': grid: width must be a range",
           "e.g. width: [1, 4]"),
    config("config-search-linear", {"sweeps": SWEEP, "searches": [{"name": "s", "input": 2, "output": 1, "r": 1,
           "depth": [2, 3], "max_width": 3}]}, "config key searches[0].r: 1", "at least 2"),
    # --- sweep configurations: the schema ---
    config("config-negative-timeout", {"sweeps": SWEEP, "timeout": -5}, "config key timeout: -5",
           "give a positive number"),
    config("config-unknown-key", {"sweeps": SWEEP, "timout": 60}, "'timout' was unexpected",
           "remove it or correct its spelling; valid keys: batches, comparison, invariants"),
    config("config-wrong-type", {"sweeps": SWEEP, "seed": "one"}, "config key seed: 'one' is not of type 'integer'",
           "give a value of type integer"),
    config("config-no-sweeps", {"timeout": 60}, "'sweeps' is a required property", "add it"),
    config("config-sweep-name", {"sweeps": [{"name": "my sweep", "slugs": ["linear_w2-1-2"]}]},
           "config key sweeps[0].name", "use only letters, digits"),
    config("config-small-memory", {"sweeps": SWEEP, "memory_mb": 10}, "config key memory_mb: 10",
           "at least 256"),
    # --- sweep configurations: the meaning ---
    config("config-unknown-invariant", {"sweeps": SWEEP, "invariants": ["curvature"]},
           "unknown invariant 'curvature'", "valid names: conservation, critical_real"),
    config("config-unknown-method", {"sweeps": SWEEP, "methods": {"dimension": "magic"}},
           "unknown method 'magic' for dimension", "valid names: auto"),
    config("config-unknown-option", {"sweeps": SWEEP, "options": {"ed_degree": {"metric": "frobenius"}}},
           "unknown metric 'frobenius'", "valid names: generic"),
    config("config-bad-slug", {"sweeps": [{"name": "typo", "slugs": ["cnn_k3-2_s1_r2"]}]},
           "config sweep 'typo': slug 'cnn_k3-2_s1_r2'", "give one stride per layer"),
    config("config-absurd-slug", {"sweeps": [{"name": "big", "slugs": ["mlp_w2-2-1_r999999999999"]}]},
           "too large to compute", "use a smaller exponent r"),
    config("config-duplicate-job", {"sweeps": [{"name": "a", "slugs": ["linear_w2-1-2"], "timeout": 10},
                                               {"name": "b", "slugs": ["linear_w2-1-2"], "timeout": 20}]},
           "linear_w2-1-2 dimension is also in an earlier sweep", "list it once or use the same settings"),
    config("config-comparison-not-swept", {"sweeps": SWEEP, "comparison": {"pairs": [
        {"feature": "residual", "plain": "linear_w2-1-2", "variant": "res_d2_h1_r2"}]}},
           "config comparison pair 1 (residual), variant: res_d2_h1_r2 is in no sweep", "add it to a sweep's slugs"),
    config("config-comparison-bad-slug", {"sweeps": SWEEP, "comparison": {"pairs": [
        {"feature": "heads", "plain": "linear_w2-1-2", "variant": "attn_d2-1_a1_t2_h0"}]}},
           "config comparison pair 1 (heads), variant: slug 'attn_d2-1_a1_t2_h0'", "does not match the attn grammar"),
    config("config-network-file-missing", {"sweeps": [{"name": "nets", "files": ["nets/missing.yaml"]}]},
           "config sweep 'nets': network file nets/missing.yaml: cannot read it"),
    config("config-sweep-without-architectures", {"sweeps": [{"name": "empty"}]},
           "config key sweeps[0]: names no architecture", "a sweep needs slugs: [...] or files: [network files]"),
    config("config-network-file-suffix", {"sweeps": [{"name": "nets", "files": ["nets/net.txt"]}]},
           "config key sweeps[0].files[0]", "ending in .yaml or .yml"),
    # --- config files as Snakemake reads them (real runs; Snakemake decides the exit code: 1) ---
    snakemake("snakemake-missing-configfile", None, "No such file or directory", "missing.yaml"),
    snakemake("snakemake-invalid-yaml", "sweeps:\n  - name: a\n    slugs: [linear_w2-1-2\n",
              "Config file is not valid JSON or YAML"),
    snakemake("snakemake-absurd-slug", "sweeps:\n  - name: big\n    slugs: [mlp_w2-2-1_r999999999999]\n",
              "config sweep 'big': slug 'mlp_w2-2-1_r999999999999': too large to compute", "smaller exponent r"),
    # --- the results tree as the workflow's table rule reads it (workflow/scripts/make_table.py) ---
    snakemake("snakemake-table-truncated-record",
              {"config": "sweeps:\n  - name: a\n    slugs: [linear_w2-1-2]\n",
               "files": {"results/invariants/linear_w2-1-2/dimension.json": json.dumps(RECORD)[:70]},
               "args": ["results/tables/dimension.csv", "--cores", "1", "--allowed-rules", "table"]},
              "neuromanifold: error: record results/invariants/linear_w2-1-2/dimension.json is not valid JSON", FIX),
]


def write(path: Path, content) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2) + "\n")
    return path


@pytest.fixture
def tree(tmp_path):
    """A results tree with finished records and tables, bad records, and a folder nobody may write in."""
    out, records = tmp_path / "out", tmp_path / "records"
    write(out / "linear_w2-1-2" / "dimension.json", RECORD)  # a finished record that must survive
    write(out / "tables" / "dimension.csv", "arch,dim\nlinear_w2-1-2,2\n")  # a finished table
    write(out / "mlp_w2-2-1_r2", "not a folder\n")
    write(tmp_path / "notes.txt", "a plain file\n")
    write(tmp_path / "net.yml", "input: 2\nlayers: [2, 1, 2]\n")
    write(tmp_path / "broken.yaml", "input: 2\nlayers: [\n")
    write(tmp_path / "unknown.yaml", "input: 2\nlayers:\n  - dens: 3\n")
    write(tmp_path / "conv.yaml", "input: 2\nlayers:\n  - conv: {filter: 3}\n")
    write(tmp_path / "big.yaml", "input: 100000\nlayers:\n  - dense: 100000\n  - dense: 2\n")
    write(tmp_path / "evil.yaml", "input: 2\nlayers: !!python/object/apply:os.system ['touch {}']\n".format(
        tmp_path / "ran"))  # were the tag run, the snapshot would show the file 'ran'
    write(tmp_path / "constant.yaml", "input: 2\nlayers:\n  - dense: 2\n  - activation: [0, 0]\n  - dense: 1\n")
    write(records / "linear_w2-1-2" / "dimension.json", RECORD)
    write(records / "linear_w2-1-2" / "fiber.json", dict(RECORD, invariant="fiber"))
    write(records / "linear_w2-1-2" / "implicit.json", dict(RECORD, invariant="implicit", value={"dim": 2}))
    write(records / "truncated" / "dimension.json", json.dumps(RECORD)[:70])
    write(records / "empty" / "dimension.json", "")
    write(records / "binary" / "dimension.json", b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    write(records / "list" / "dimension.json", [RECORD])
    write(records / "partial" / "dimension.json", {"arch": "linear_w2-1-2", "invariant": "dimension"})
    write(records / "finished" / "dimension.json", dict(RECORD, status="finished"))
    if os.geteuid() == 0:  # root writes in any folder whose mode forbids it; sysfs refuses even root
        readonly = Path("/sys/kernel")
    else:
        readonly = tmp_path / "readonly"
        write(readonly / "linear_w2-1-2" / "dimension.json", RECORD)
        readonly.chmod(0o555)
    paths = {"tmp": str(tmp_path), "out": str(out), "records": str(records), "readonly": str(readonly)}
    yield tmp_path, paths
    if readonly.is_relative_to(tmp_path):
        readonly.chmod(0o755)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def fill(text: str, paths: dict) -> str:
    for key, value in paths.items():
        text = text.replace("{" + key + "}", value)
    return text


def run_cli(argv, env_extra, paths):
    env = {k: v for k, v in os.environ.items() if k not in ("M2", "MSOLVE")}
    env.update({k: fill(v, paths) for k, v in env_extra.items()})
    return subprocess.run([CLI, *(fill(a, paths) for a in argv)], capture_output=True, text=True, env=env,
                          timeout=120)


def run_snakemake(tmp_path, given):
    """Snakemake on a config text (``None``: a missing file), dry; or ``{"config", "files", "args"}``: a real run."""
    given = given if isinstance(given, dict) else {"config": given, "files": {}, "args": ["-n"]}
    configfile = tmp_path / "missing.yaml"
    if given["config"] is not None:
        configfile = write(tmp_path / "sweep.yaml", given["config"])
    for name, content in given["files"].items():
        write(tmp_path / "work" / name, content)
    command = [SNAKEMAKE, *given["args"], "--snakefile", str(REPO / "Snakefile"), "--directory", str(tmp_path / "work"),
               "--workflow-profile", str(REPO / "workflow" / "profiles" / "default"), "--configfile", str(configfile)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)


@pytest.mark.parametrize("row_id,kind,given,expected,env", ROWS, ids=[row[0] for row in ROWS])
def test_bad_input(tree, row_id, kind, given, expected, env):
    tmp_path, paths = tree
    expected = [fill(text, paths) for text in expected]
    if kind == "cli":
        before = snapshot(tmp_path)
        start = time.monotonic()
        done = run_cli(given, env, paths)
        seconds = time.monotonic() - start
        lines = done.stderr.splitlines()
        assert done.returncode == 1, done.stderr
        assert done.stdout == ""
        assert len(lines) == 1 and lines[0].startswith("neuromanifold: error: "), done.stderr
        assert "Traceback" not in done.stderr
        for text in expected:
            assert text in lines[0], (text, lines[0])
        assert snapshot(tmp_path) == before  # no partial file, no finished record or table lost
        assert seconds < 5, seconds  # refused up front, before any work
    elif kind == "config":
        from pipeline.errors import ConfigError
        from pipeline.execution.config import check_config

        with pytest.raises(ConfigError) as info:
            check_config(given)
        message = str(info.value)
        assert "\n" not in message and message
        for text in expected:
            assert text in message, (text, message)
    else:
        done = run_snakemake(tmp_path, given)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        for text in expected:
            assert text in output, (text, output)
        files = given["files"] if isinstance(given, dict) else {}
        results = tmp_path / "work" / "results"
        written = {str(p.relative_to(tmp_path / "work")) for p in results.rglob("*") if p.is_file()}
        assert written <= set(files) | {"results/logs/tables/dimension.log"}, written  # no table, no record
        for name, content in files.items():
            assert (tmp_path / "work" / name).read_text() == content  # the bad record is left for the user


def test_table_has_enough_rows_and_unique_ids():
    ids = [row[0] for row in ROWS]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)


def test_docs_list_every_row():
    """docs/bad-input.md lists the rows of this table, by id."""
    text = (REPO / "docs" / "bad-input.md").read_text()
    missing = [row[0] for row in ROWS if f"`{row[0]}`" not in text]
    assert not missing, missing


def test_refused_before_sage_is_imported():
    """Usage errors, slugs, numbers, --out and records are refused without importing Sage (well under a second)."""
    code = (
        "import sys\n"
        "from pipeline.cli import main\n"
        "for argv in (['comput'], ['compute', 'linear_w2-1-2', '--timeout', '0'], ['compute', 'linear_w4-x-3'],\n"
        "             ['compute', 'mlp_w2-2-1_r999999999999'], ['compute', 'linear_w2-1-2', '--out', '/dev/null'],\n"
        "             ['table', 'dimension', '/nonexistent/dimension.json', '--out-prefix', '/tmp/x']):\n"
        "    assert main(argv) == 1, argv\n"
        "print(sorted(m for m in sys.modules if m == 'sage' or m.startswith('sage.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_good_run_is_not_refused(tmp_path):
    """The checks refuse bad input only: a plain run into a new --out folder computes and writes its record."""
    done = subprocess.run([CLI, "compute", "linear_w2-1-2", "--seed", "0", "--timeout", "60", "--out",
                           str(tmp_path / "new" / "folder")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "new" / "folder" / "linear_w2-1-2" / "dimension.json").is_file()
