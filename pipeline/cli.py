"""Command line: ``neuromanifold compute SLUG --invariants dimension --json``.

Subcommands:

- ``compute SLUG --invariants NAMES [--method M] [--seed N] [--timeout S] [--json] [--out DIR]
  [--metric NAME] [--data-size N] [--samples N]`` prints one result record per invariant (JSON Lines with ``--json``, a short
  summary otherwise) and, with ``--out``, writes ``DIR/<slug>/<invariant>.json``;
- ``parse SLUG``: the parsed architecture and its parametrization sizes;
- ``table INVARIANT RECORDS... --out-prefix PREFIX``: CSV, Markdown and LaTeX tables;
- ``doctor``: where Macaulay2 and msolve are and their versions;
- ``kernel install [--prefix DIR]``: the Macaulay2 Jupyter kernel ``neuromanifold-m2``, pinned to
  the pipeline's ``M2`` (see :mod:`pipeline.notebook_kernel`).

Exit codes: 0 all records ``ok``; 1 bad input (message on stderr, nothing
written); 3 some record is ``timeout`` or ``error`` (records still printed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.errors import NeuromanifoldError


def _compute(args) -> int:
    from pipeline.invariants import OPTIONS
    from pipeline.records import write_record
    from pipeline.runner import check_request, compute_record

    invariants = [name.strip() for name in args.invariants.split(",") if name.strip()]
    if not invariants:
        raise NeuromanifoldError("--invariants is empty; name at least one, e.g. --invariants dimension")
    given = {"metric": args.metric, "data_size": args.data_size, "samples": args.samples}
    given = {name: value for name, value in given.items() if value is not None}
    options = {invariant: {k: v for k, v in given.items() if k in OPTIONS.get(invariant, {})} for invariant in invariants}
    unused = set(given) - {k for opts in options.values() for k in opts}
    if unused:
        flags = ", ".join("--" + name.replace("_", "-") for name in sorted(unused))
        takers = "; ".join(f"{inv}: {', '.join(opts)}" for inv, opts in OPTIONS.items())
        raise NeuromanifoldError(f"{flags} applies to none of the invariants {', '.join(invariants)}; options by invariant: {takers}")
    for invariant in invariants:  # validate everything before computing anything
        check_request(args.slug, invariant, args.method, options[invariant])
    status = 0
    for invariant in invariants:
        record = compute_record(args.slug, invariant, method=args.method, seed=args.seed,
                                timeout=args.timeout, memory_mb=args.memory_mb, options=options[invariant])
        if args.out:
            write_record(record, Path(args.out) / args.slug / f"{invariant}.json")
        if args.json:
            print(json.dumps(record), flush=True)
        else:
            print(_summary(record), flush=True)
        if record["status"] != "ok":
            status = 3
    return status


def _summary(record) -> str:
    head = f"{record['arch']} {record['invariant']}: {record['status']}"
    if record["status"] != "ok":
        return f"{head} ({record['message']})"
    value = record["value"]
    keys = ("dim", "expected_dim", "span_dim", "params", "defect", "symmetry_dim", "finite_count", "explained",
            "only_known_symmetries", "degree", "metric", "ed_degree", "param_critical", "pure", "spurious")
    fields = ", ".join(f"{k}={value[k]}" for k in keys if k in value)
    return f"{head}, {fields} [{record['method']}, {record['certificate']['kind']}, {record['seconds']} s]"


def _parse(args) -> int:
    from pipeline.architectures import parametrization

    param = parametrization(args.slug)
    print(json.dumps({
        "arch": repr(param.arch), "slug": param.slug, "params": param.params,
        "ambient_dim": param.ambient_dim, "degree": param.degree, "input_shape": param.input_shape,
        "output_shape": param.output_shape, "symmetry_group": param.symmetry_group,
        "symmetry_group_dim": param.symmetry_group_dim,
    }))
    return 0


def _table(args) -> int:
    from pipeline.tables import write_tables

    for path in write_tables(args.invariant, args.records, args.out_prefix):  # noqa: B007
        print(path)
    return 0


def _doctor(args) -> int:
    from pipeline.backends.m2 import find_binary, m2_version, msolve_version

    for name, version in (("M2", m2_version), ("msolve", msolve_version)):
        path, source = find_binary(name)
        print(f"{name}: {path} (from {source}), version {version()}")
    return 0


def _kernel(args) -> int:
    from pipeline.notebook_kernel import CONFIG_NAME, configured_m2, install_kernel

    directory = install_kernel(args.prefix)
    print(f"installed kernel {directory.name} in {directory} (M2: {configured_m2(directory / CONFIG_NAME)})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neuromanifold", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    compute = sub.add_parser("compute", help="compute invariants of one architecture")
    compute.add_argument("slug", help="architecture slug, e.g. linear_w4-2-3")
    compute.add_argument("--invariants", default="dimension", help="comma-separated invariant names")
    compute.add_argument("--method", default="auto", help="method name (default: auto)")
    compute.add_argument("--seed", type=int, default=0, help="random seed (run i uses seed + i)")
    compute.add_argument("--timeout", type=float, default=600, help="wall-clock budget per invariant, seconds")
    compute.add_argument("--memory-mb", type=int, default=None, help="address-space limit per invariant, MB")
    compute.add_argument("--json", action="store_true", help="print JSON Lines records")
    compute.add_argument("--out", default=None, help="also write DIR/<slug>/<invariant>.json")
    compute.add_argument("--metric", default=None,
                         help="ed_degree, critical_real, voronoi: generic (default) | coefficient | bombieri-weyl | data")
    compute.add_argument("--data-size", type=int, default=None,
                         help="ed_degree with --metric data: number of training inputs (default: twice the monomials)")
    compute.add_argument("--samples", type=int, default=None,
                         help="critical_real, voronoi: number of random data points")
    compute.set_defaults(run=_compute)

    parse = sub.add_parser("parse", help="parse a slug and print its parametrization sizes")
    parse.add_argument("slug")
    parse.set_defaults(run=_parse)

    table = sub.add_parser("table", help="make CSV, Markdown and LaTeX tables from records")
    table.add_argument("invariant")
    table.add_argument("records", nargs="+")
    table.add_argument("--out-prefix", required=True, help="e.g. results/tables/dimension")
    table.set_defaults(run=_table)

    doctor = sub.add_parser("doctor", help="locate Macaulay2 and msolve and print their versions")
    doctor.set_defaults(run=_doctor)

    kernel = sub.add_parser("kernel", help="install the Macaulay2 Jupyter kernel that runs the pipeline's M2")
    kernel.add_argument("action", choices=["install"])
    kernel.add_argument("--prefix", default=None, help="install under DIR/share/jupyter/kernels (default: the virtualenv)")
    kernel.set_defaults(run=_kernel)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except NeuromanifoldError as exc:
        print(f"neuromanifold: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
