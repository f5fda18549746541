"""Command line: ``neuromanifold compute SLUG --invariants dimension --json``.

Subcommands:

- ``compute SLUG --invariants NAMES [--method M] [--seed N] [--timeout S] [--json] [--out DIR]
  [--metric NAME] [--data-size N] [--samples N]`` prints one result record per invariant (JSON Lines with ``--json``, a short
  summary otherwise) and, with ``--out``, writes ``DIR/<slug>/<invariant>.json``;
- ``parse SLUG``: the parsed architecture and its parametrization sizes;
- ``table INVARIANT RECORDS... --out-prefix PREFIX``: CSV, Markdown and LaTeX tables;
- ``batch --family mlp --input 2 --output 1 --depth 2-8 --width 1-6 --r 2 [--max-params N] --out DIR
  [--table PREFIX] [--workers N]``: the dimension of every architecture of a grid in one process,
  one record each and one table;
- ``search filling --input 2 --output 1 --r 2 --depth 2-6 --max-width 6 --out-prefix PREFIX``: the
  minimal filling MLPs by depth, as tables and a figure;
- ``doctor``: where Macaulay2 and msolve are and their versions, and PHCpack's ``phc`` (optional: a line
  saying how to install it when it is missing, not a failure);
- ``kernel install [--prefix DIR]``: the Macaulay2 Jupyter kernel ``neuromanifold-m2``, pinned to
  the pipeline's ``M2`` (see :mod:`pipeline.notebook_kernel`).

Exit codes: 0 all records ``ok``; 1 bad input (one line ``neuromanifold: error: ...`` on
stderr saying what is wrong and what to do, nothing written): a usage error, a bad slug or
option, an absurdly large network, an unwritable ``--out``, a broken ``M2`` or ``MSOLVE``
binary, a bad record for ``table`` (the list: ``docs/bad-input.md``); 3 some record is
``timeout`` or ``error`` (records still printed).

Bad input is refused before anything is computed and, where possible, before Sage is
imported (usage errors, slugs, numbers, ``--out``, records take well under a second).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from pipeline.errors import BackendError, NeuromanifoldError
from pipeline.execution.logs import configure_logging


class UsageError(NeuromanifoldError):
    """A command line that argparse refuses (unknown subcommand, missing argument, bad number)."""


class _Once(argparse.Action):
    """Store an option's value, refusing a second one: a repeated option is never silently replaced."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = namespace.__dict__.setdefault("_given", {})
        if self.dest in given:
            parser.error(f"argument {option_string}: given twice ({given[self.dest]!r}, then {values!r}); "
                         f"give it once")
        given[self.dest] = values
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit 1 (bad input), not argparse's 2; options
    are never abbreviated (``--time`` is not ``--timeout``) and a repeated option is refused (:class:`_Once`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def add_argument(self, *names, **kwargs):
        if names and names[0].startswith("-") and kwargs.get("action") is None:
            kwargs["action"] = _Once
        return super().add_argument(*names, **kwargs)

    def error(self, message):
        raise UsageError(f"{message}; see '{self.prog} --help'")


def unknown_option(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """A one-line complaint about the first option of ``argv`` that its (sub)command does not take, with the
    closest valid option; ``None`` if every option is known. Checked before argparse parses, whose own
    message for ``compute --hlep`` would be about the missing slug.

    EXAMPLES::

        >>> parser = _Parser(prog="demo")
        >>> _ = parser.add_argument("--timeout")
        >>> unknown_option(parser, ["--timout", "5"])
        "unknown option --timout; did you mean --timeout? see 'demo --help'"
        >>> unknown_option(parser, ["--timeout=5"]) is None
        True
    """
    import difflib

    commands = next((action.choices for action in parser._actions
                     if isinstance(action, argparse._SubParsersAction)), {})
    current = parser
    for token in argv:
        if token == "--":
            break
        if not token.startswith("-") and current is parser:
            if token not in commands:
                return None  # argparse names the valid commands
            current = commands[token]
        elif token.startswith("--"):
            name = token.split("=", 1)[0]
            known = sorted(current._option_string_actions)
            if name not in known:
                close = difflib.get_close_matches(name, [k for k in known if k.startswith("--")], n=1, cutoff=0.5)
                hint = f"did you mean {close[0]}?" if close else f"valid options: {', '.join(known)};"
                return f"unknown option {name}; {hint} see '{current.prog} --help'"
    return None


def check_list(flag: str, text: str) -> list[str]:
    """The comma-separated names of ``text`` (given as ``flag``); an empty list or an empty entry is refused.

    EXAMPLES::

        >>> check_list("--invariants", "dimension, fiber")
        ['dimension', 'fiber']
        >>> check_list("--invariants", "dimension,,fiber")
        Traceback (most recent call last):
        ...
        pipeline.errors.NeuromanifoldError: --invariants 'dimension,,fiber' has an empty entry (a comma too many); separate the names by single commas, e.g. --invariants dimension,fiber
    """
    names = [name.strip() for name in text.split(",")]
    if not any(names):
        raise NeuromanifoldError(f"{flag} is empty; name at least one, e.g. {flag} dimension")
    if not all(names):
        raise NeuromanifoldError(f"{flag} {text!r} has an empty entry (a comma too many); separate the names by "
                                 f"single commas, e.g. {flag} dimension,fiber")
    return names


def check_path(flag: str, text: str | None, prefix: bool = False) -> None:
    """Refuse an empty path, and a file ``prefix`` that ends with a separator (a folder: the files would be
    written beside it, as ``DIR.csv``); ``None`` (not given) passes.

    EXAMPLES::

        >>> check_path("--out-prefix", "results/tables/", prefix=True)
        Traceback (most recent call last):
        ...
        pipeline.errors.NeuromanifoldError: --out-prefix 'results/tables/' ends with '/', a folder: the files would be written beside it as results/tables.csv; give a file prefix inside the folder, e.g. --out-prefix results/tables/dimension
    """
    if text is None:
        return
    if not text.strip():
        what = "a file prefix, e.g. results/tables/dimension" if prefix else "a folder, e.g. results/mine"
        raise NeuromanifoldError(f"{flag} is empty; give {what}")
    if prefix and text.endswith(("/", os.sep)):
        folder = text.rstrip("/" + os.sep) or "/"
        raise NeuromanifoldError(f"{flag} {text!r} ends with '/', a folder: the files would be written beside it as "
                                 f"{folder}.csv; give a file prefix inside the folder, e.g. {flag} {folder}/dimension")


def _number(kind, minimum: float, strict: bool, meaning: str, example: str):
    """An argparse type: ``kind`` (int or float) above ``minimum`` (``strict``) or at least it, finite."""

    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value < minimum or (strict and value == minimum):
            raise argparse.ArgumentTypeError(f"must be {meaning}, got {text!r}; e.g. {example}")
        return value

    convert.__name__ = kind.__name__
    return convert


_SECONDS = _number(float, 0, True, "a positive number of seconds", "--timeout 60")
_MEGABYTES = _number(int, 0, True, "a positive whole number of MB", "--memory-mb 4000")
_SEED = _number(int, 0, False, "a whole number >= 0", "--seed 0")
_WIDTH = _number(int, 0, True, "a positive whole number", "2")


def _option_type(option):
    """An argparse type for an invariant's option: read as the spec says (``parse``) and, for numbers, checked
    now by the spec's own check (names such as metrics are checked per invariant before computing)."""
    flag = "--" + option.name.replace("_", "-")

    def convert(text):
        try:
            value = option.parse(text)
        except ValueError:
            kind = {int: "an integer", float: "a number"}.get(option.parse, option.parse.__name__)
            raise argparse.ArgumentTypeError(f"option {option.name} must be {kind}, got {text!r}; "
                                             f"e.g. {flag} {option.example}") from None
        if option.parse is not str:
            try:
                option.check(value)
            except NeuromanifoldError as exc:
                raise argparse.ArgumentTypeError(f"{exc}; e.g. {flag} {option.example}") from None
        return value

    convert.__name__ = option.parse.__name__
    return convert


def invariant_options() -> dict:
    """``{option name: (Option, [invariants that take it])}`` over every invariant's spec, in spec order."""
    from pipeline.invariants import SPECS

    found: dict = {}
    for name, spec in SPECS.items():
        for option in spec.options:
            found.setdefault(option.name, (option, []))[1].append(name)
    return found


def check_backends() -> None:
    """Raise :class:`~pipeline.errors.BackendError` if ``M2`` or ``MSOLVE`` is set to a binary that does not work.

    The variable must name an executable file that answers its version probe. Unset
    variables are not checked (the pipeline then uses the binaries of passagemath).
    """
    from pipeline.engines.m2 import BINARIES, binary_version, executable_problem

    for variable, binary, what, flag in BINARIES:
        value = os.environ.get(variable)
        if not value:
            continue
        fix = (f"unset {variable} (the pipeline then uses the {what} that 'make install' installs) "
               f"or point it at a working {what} binary")
        problem = executable_problem(Path(value))
        if problem is not None:
            raise BackendError(f"environment variable {variable}={value}: {problem}; {fix}")
        try:
            binary_version(binary)
        except BackendError as exc:
            reason = " ".join(str(exc).split("; ")[0].split()).rstrip(":").removeprefix(f"{value} {flag} ")
            raise BackendError(f"environment variable {variable}={value}: the binary fails its version probe "
                               f"'{value} {flag}' ({reason[:200]}); {fix}") from None


def _writable_hint(folder: Path, exc: OSError) -> str:
    """How ``folder``, where writing failed with ``exc``, could become writable: ``chmod`` only if its mode is
    the obstacle and it is the user's to change (not root's refusal, not a system or read-only file system)."""
    import errno

    try:
        mine = folder.stat().st_uid == os.geteuid()
    except OSError:
        mine = False
    if exc.errno == errno.EACCES and mine and os.geteuid() != 0:
        return f", or make it writable (chmod u+w {folder})"
    if os.geteuid() == 0 or exc.errno == errno.EROFS:
        return f" ({folder} refuses even root: a read-only or system file system)"
    return f" ({folder} is not yours to make writable)"


def check_out(out: str, slug: str | None = None) -> None:
    """Raise :class:`NeuromanifoldError` unless ``out`` is (or can be made) a folder this process can write in."""
    check_path("--out", out)
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise NeuromanifoldError(f"--out {out} is not a folder; give a folder for the records (it is created if missing)")
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise NeuromanifoldError(f"--out {out}: {existing} is a file, not a folder; give another --out folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise NeuromanifoldError(f"--out {out}: cannot write in {existing} ({exc.strerror}); give a writable "
                                 f"folder{_writable_hint(existing, exc)}") from None
    if slug is not None and (path / slug).exists() and not (path / slug).is_dir():
        raise NeuromanifoldError(f"--out {out}: {path / slug} is a file, where the records of {slug} go; "
                                 "move it away or give another --out folder")


def resolve_architecture(text: str) -> str:
    """The slug of a command-line architecture: a slug (checked) or a network file (read, named by its slug).

    A ``net_`` slug whose layer list is a family's is filed under the family's slug, as a network file is.
    """
    from pipeline.architectures import name_network
    from pipeline.architectures.files import is_network_file, slug_of_file
    from pipeline.spec import Network, parse_slug

    if is_network_file(text):
        return slug_of_file(text)
    arch = parse_slug(text)
    return name_network(arch) if isinstance(arch, Network) else arch.slug


def _compute(args) -> int:
    invariants = check_list("--invariants", args.invariants)
    repeated = sorted({name for name in invariants if invariants.count(name) > 1})
    if repeated:
        raise NeuromanifoldError(f"--invariants names {', '.join(repeated)} more than once; list each invariant once")
    args.slug = resolve_architecture(args.slug)  # a bad slug or file is refused before Sage is imported
    if args.out is not None:
        check_out(args.out, args.slug)
    check_backends()

    from pipeline.execution.records import write_record
    from pipeline.execution.runner import check_request, compute_record
    from pipeline.invariants import OPTIONS

    given = {name: getattr(args, name) for name in invariant_options()}
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
        if args.out is not None:
            write_record(record, Path(args.out) / args.slug / f"{invariant}.json")
        if args.json:
            print(json.dumps(record), flush=True)
        else:
            print(_summary(record), flush=True)
        if record["status"] != "ok":
            status = 3
    return status


def _summary(record) -> str:
    """One line: the record's status and the fields its invariant's spec names (``summary_fields``)."""
    from pipeline.invariants import spec_of

    head = f"{record['arch']} {record['invariant']}: {record['status']}"
    if record["status"] != "ok":
        return f"{head} ({record['message']})"
    value = record["value"]
    fields = ", ".join(f"{k}={value[k]}" for k in spec_of(record["invariant"]).summary_fields if k in value)
    return f"{head}, {fields} [{record['method']}, {record['certificate']['kind']}, {record['seconds']} s]"


def _list(args) -> int:
    """Families with slug examples, invariants with their methods and options, metrics."""
    from pipeline.invariants import SPECS
    from pipeline.invariants.spec import METRICS
    from pipeline.spec import FAMILY_EXAMPLES

    print("families (slug examples; grammar: docs/slugs.md):")
    for family, examples in FAMILY_EXAMPLES.items():
        print(f"  {family:8s} {examples}")
    print("invariants (neuromanifold compute SLUG --invariants NAME[,NAME...] [--method METHOD]):")
    for name, spec in SPECS.items():
        print(f"  {name}: {spec.summary}")
        for method in spec.methods:
            print(f"      --method {method}: {spec.method_help.get(method, '')}".rstrip(": "))
        for option in spec.options:
            print(f"      --{option.name.replace('_', '-')}: {option.help}")
    print(f"metrics (--metric, for ed_degree, critical_real, voronoi): {', '.join(METRICS)}")
    return 0


def _parse(args) -> int:
    from pipeline.architectures import parametrization

    param = parametrization(resolve_architecture(args.slug))
    print(json.dumps({
        "arch": repr(param.arch), "slug": param.slug, "params": param.params,
        "ambient_dim": param.ambient_dim, "degree": param.degree, "input_shape": param.input_shape,
        "output_shape": param.output_shape, "symmetry_group": param.symmetry_group,
        "symmetry_group_dim": param.symmetry_group_dim,
    }))
    return 0


def _table(args) -> int:
    from pipeline.reporting.tables import write_tables

    check_path("--out-prefix", args.out_prefix, prefix=True)
    for path in write_tables(args.invariant, args.records, args.out_prefix, config_hash=args.config_hash):
        print(path)
    return 0


def _range(text):
    """An argparse type: ``4`` or ``2-8`` as ``(low, high)``, whole numbers, ``1 <= low <= high``."""
    parts = text.split("-")
    try:
        low, high = (int(parts[0]), int(parts[-1])) if len(parts) in (1, 2) else (None, None)
    except ValueError:
        low, high = None, None
    if low is None or not 1 <= low <= high:
        raise argparse.ArgumentTypeError(f"must be a whole number or a range low-high with 1 <= low <= high, "
                                         f"got {text!r}; e.g. 2-6")
    return low, high


def _batch(args) -> int:
    import time

    from pipeline.execution.batch import batch_records, grid_slugs

    check_path("--out", args.out)
    check_path("--table", args.table, prefix=True)
    grid = {"family": args.family, "input": args.input, "output": args.output, "depth": list(args.depth),
            "width": list(args.width), "max_params": args.max_params}
    if args.r is not None:
        grid["r"] = args.r
    slugs = grid_slugs(grid)  # a bad grid is refused here, before anything is computed
    if not slugs:
        raise NeuromanifoldError("the grid has no architecture (every one is over --max-params); widen it")
    check_out(args.out)
    from pipeline.execution.records import write_record
    from pipeline.reporting.tables import write_tables

    start = time.monotonic()
    records = batch_records(slugs, seed=args.seed, workers=args.workers, budget=args.timeout, span=args.span)
    seconds = time.monotonic() - start
    paths = []
    for record in records:
        path = Path(args.out) / record["arch"] / "dimension.json"
        write_record(record, path)
        paths.append(path)
    if args.table is not None:
        write_tables("dimension", paths, args.table)
    bad = sum(record["status"] != "ok" for record in records)
    print(f"{len(records)} architectures in {seconds:.1f} s ({len(records) / max(seconds, 1e-9):.0f} per second); "
          f"records under {args.out}" + (f", table {args.table}.csv" if args.table else "")
          + (f"; {bad} not ok" if bad else ""))
    return 3 if bad else 0


def _search(args) -> int:
    from pipeline.execution.batch import check_search, filling_search

    check_path("--out-prefix", args.out_prefix, prefix=True)
    check_search(args.input, args.output, args.r, args.depth, args.max_width)
    if args.out_prefix is not None:
        check_out(str(Path(args.out_prefix).parent))
    result = filling_search(args.input, args.output, args.r, range(args.depth[0], args.depth[1] + 1), args.max_width,
                            seed=args.seed, workers=args.workers)
    for depth, slugs in result["minimal"].items():
        rows = {row["arch"]: row for row in result["rows"]}
        listed = ", ".join(f"{slug} ({'unimodal' if rows[slug]['unimodal'] else 'not unimodal'})" for slug in slugs)
        print(f"depth {depth}: {listed or 'none within the widths searched'}")
    print(f"{result['computed']} architectures computed in {result['seconds']} s "
          f"(hidden widths 1 to {args.max_width}; skipped: {result['skipped']})")
    if args.out_prefix is not None:
        from pipeline.reporting.filling import write_filling_tables

        written = write_filling_tables(result, args.out_prefix)
        print("wrote " + ", ".join(str(path) for path in written))
    return 0


def _doctor(args) -> int:
    from pipeline.engines.m2 import BINARIES, binary_version, find_binary

    check_backends()
    for _, name, _, _ in BINARIES:
        path, source = find_binary(name)
        print(f"{name}: {path} (from {source}), version {binary_version(name)}")
    from pipeline.engines.phc import phc_status

    print(phc_status())  # optional: a line saying how to install it when missing, never a failure
    return 0


def _kernel(args) -> int:
    from pipeline.notebook_kernel import CONFIG_NAME, configured_m2, install_kernel

    directory = install_kernel(args.prefix)
    print(f"installed kernel {directory.name} in {directory} (M2: {configured_m2(directory / CONFIG_NAME)})")
    return 0


def _names() -> dict:
    """Valid invariant, method and metric names for the help texts, from the invariants' specs (no Sage)."""
    from pipeline.invariants import OPTIONS, SPECS
    from pipeline.invariants.spec import METRICS

    methods = "; ".join(f"{name}: {', '.join(spec.methods)}" for name, spec in SPECS.items())
    takers = "; ".join(f"{name}: {', '.join(opts)}" for name, opts in OPTIONS.items())
    return {"invariants": ", ".join(SPECS), "methods": methods, "metrics": " | ".join(METRICS), "options": takers}


def build_parser(names: dict | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``names`` (:func:`_names`) puts the valid names into the help texts."""
    names = names or _names()
    parser = _Parser(prog="neuromanifold", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"neuromanifold {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                help="compute, list, parse, table, batch, search, doctor or kernel")

    compute = sub.add_parser("compute", help="compute invariants of one architecture")
    compute.add_argument("slug", help="architecture slug, e.g. linear_w4-2-3, mlp_w2-3-2_r2, cnn_k3-2_s1-1_r2, "
                                      "attn_d2-1_a2_t2, res_d2_h2-1_r2, gcnn_c4_l2_r2, or a network file net.yaml "
                                      "(docs/networks.md)")
    compute.add_argument("--invariants", default="dimension",
                         help=f"comma-separated invariant names (default: dimension): {names['invariants']}")
    compute.add_argument("--method", default="auto", help=f"method name (default: auto); by invariant: {names['methods']}")
    compute.add_argument("--seed", type=_SEED, default=0, help="random seed >= 0 (run i uses seed + i)")
    compute.add_argument("--timeout", type=_SECONDS, default=600,
                         help="wall-clock budget per invariant, seconds (> 0, default 600)")
    compute.add_argument("--memory-mb", type=_MEGABYTES, default=None, help="address-space limit per invariant, MB (> 0)")
    compute.add_argument("--json", action="store_true", help="print JSON Lines records")
    compute.add_argument("--out", default=None, help="also write DIR/<slug>/<invariant>.json (DIR must be writable)")
    for name, (option, takers) in invariant_options().items():  # every invariant option, from the specs
        compute.add_argument("--" + name.replace("_", "-"), dest=name, type=_option_type(option), default=None,
                             help=f"{', '.join(takers)}: {option.help}")
    _verbosity_argument(compute)
    compute.set_defaults(run=_compute)

    listing = sub.add_parser("list", help="list the families (with slug examples), invariants, methods and metrics")
    listing.set_defaults(run=_list)

    parse = sub.add_parser("parse", help="parse a slug and print its parametrization sizes")
    parse.add_argument("slug", help="architecture slug, e.g. linear_w4-2-3, or a network file net.yaml")
    parse.set_defaults(run=_parse)

    table = sub.add_parser("table", help="make CSV, Markdown and LaTeX tables from records")
    table.add_argument("invariant", help=f"the table's invariant: {names['invariants']}")
    table.add_argument("records", nargs="+", help="record files <slug>/<invariant>.json (for degree also implicit ones)")
    table.add_argument("--out-prefix", required=True, help="e.g. results/tables/dimension")
    table.add_argument("--config-hash", default=None,
                       help="refuse records computed for another configuration (their config_hash differs)")
    _verbosity_argument(table)
    table.set_defaults(run=_table)

    batch = sub.add_parser("batch", help="dimension of every architecture of a grid, in one process")
    batch.add_argument("--family", required=True, help="mlp or linear")
    _grid_arguments(batch, r_required=False)
    batch.add_argument("--width", type=_range, required=True, help="hidden widths, a range, e.g. 1-6")
    batch.add_argument("--max-params", type=_WIDTH, default=None, help="leave out architectures with more parameters")
    batch.add_argument("--timeout", type=_SECONDS, default=3600, help="the batch's budget, recorded in the settings")
    batch.add_argument("--span", action="store_true",
                       help="also compute the span dimension (the records of 'compute'; slower on deep nets)")
    batch.add_argument("--out", required=True, help="write DIR/<slug>/dimension.json (DIR must be writable)")
    batch.add_argument("--table", default=None, help="also write the table PREFIX.{csv,md,tex,meta.json}")
    _verbosity_argument(batch)
    batch.set_defaults(run=_batch)

    search = sub.add_parser("search", help="search: 'filling' finds the minimal filling MLPs by depth")
    search.add_argument("kind", choices=["filling"])
    _grid_arguments(search, r_required=True)
    search.add_argument("--max-width", type=_WIDTH, required=True, help="largest hidden width searched, e.g. 6")
    search.add_argument("--out-prefix", default=None, help="write PREFIX.{csv,md,tex,meta.json,png}")
    _verbosity_argument(search)
    search.set_defaults(run=_search)

    doctor = sub.add_parser("doctor", help="locate Macaulay2 and msolve and print their versions")
    doctor.set_defaults(run=_doctor)

    kernel = sub.add_parser("kernel", help="install the Macaulay2 Jupyter kernel that runs the pipeline's M2")
    kernel.add_argument("action", choices=["install"])
    kernel.add_argument("--prefix", default=None, help="install under DIR/share/jupyter/kernels (default: the virtualenv)")
    kernel.set_defaults(run=_kernel)
    return parser


def _version() -> str:
    import pipeline

    return pipeline.__version__


def _verbosity_argument(parser) -> None:
    """``-v``: progress on standard error (each job, its budget and outcome); ``-vv``: also each backend program."""
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="progress on standard error: -v each job and fallback, -vv also each Macaulay2 or "
                             "msolve run (default: warnings only)")


def _grid_arguments(parser, r_required: bool) -> None:
    """The options that ``batch`` and ``search`` share: widths at the ends, depths, exponent, seed, workers."""
    parser.add_argument("--input", type=_WIDTH, required=True, help="input width, e.g. 2")
    parser.add_argument("--output", type=_WIDTH, required=True, help="output width, e.g. 1")
    parser.add_argument("--depth", type=_range, required=True, help="number of layers, a range, e.g. 2-6")
    parser.add_argument("--r", type=_WIDTH, required=r_required, default=None,
                        help="the activation's exponent, e.g. 2" + ("" if r_required else " (mlp only)"))
    parser.add_argument("--seed", type=_SEED, default=0, help="random seed >= 0 (run i uses seed + i)")
    parser.add_argument("--workers", type=_WIDTH, default=None, help="worker processes (default: the cores)")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser()
        problem = unknown_option(parser, argv)
        if problem is not None:
            raise UsageError(problem)
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # reported for the subcommand, whose help lists its options
            raise UsageError(f"unrecognized arguments: {' '.join(unknown)}; see 'neuromanifold {args.command} --help'")
        configure_logging(getattr(args, "verbose", 0), sys.stderr)
        return args.run(args)
    except NeuromanifoldError as exc:
        print(f"neuromanifold: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file the command reads or writes; records already written are kept
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"neuromanifold: error: {where}{_one_line(exc.strerror or exc)}; check the path and its permissions",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
