"""Dimension at search scale: grids of architectures in one process, and the minimal-filling search.

A *grid* names a family and ranges: ``{"family": "mlp", "input": 2, "output": 1, "depth": [2, 8],
"width": [1, 6], "r": 2, "max_params": 100}`` is every polynomial MLP ``x^2`` with two inputs,
one output, 2 to 8 layers (weight matrices), hidden widths from 1 to 6 and at most 100
parameters (``family: linear`` takes no ``r``). :func:`batch_records` computes the ``dimension``
record of each in worker processes forked once (no process start per architecture), with the
same method choice and random choices as ``neuromanifold compute SLUG --invariants dimension``.

:func:`filling_search` finds the *minimal filling* MLPs: filling means the dimension equals the
ambient dimension (every tuple of forms of the output degree is a limit of networks); minimal
means that lowering any one hidden width by 1 loses that. Dimension can only grow with a width
(a narrower net is the wider one with a neuron set to zero), so the filling architectures of a
depth form an up-set. The search walks each box of hidden widths in order of increasing total
width: a vector that dominates a known minimal filling one is filling and not minimal (no
computation); one whose parameter count minus its hidden widths is below the ambient dimension
is not filling (no computation); any other is computed, and if it fills it is minimal, since
every smaller vector came earlier and none of them filled (if the computation of a smaller one
failed, ``minimal`` is None: undecided). Minimal means minimal within the box.

EXAMPLES::

    >>> grid_slugs({"family": "mlp", "input": 2, "output": 1, "depth": [2, 3], "width": [1, 2], "r": 2})
    ['mlp_w2-1-1_r2', 'mlp_w2-2-1_r2', 'mlp_w2-1-1-1_r2', 'mlp_w2-1-2-1_r2', 'mlp_w2-2-1-1_r2', 'mlp_w2-2-2-1_r2']
    >>> unimodal((2, 3, 4, 5, 4, 6, 4, 1)), unimodal((2, 3, 3, 4, 4, 2, 1))
    (False, True)
"""

from __future__ import annotations

import itertools
import logging
import os
import time

import numpy as np

from pipeline.errors import ConfigError
from pipeline.spec import SIZE_LIMITS

log = logging.getLogger(__name__)

GRID_FAMILIES = ("mlp", "linear")
GRID_KEYS = ("family", "input", "output", "depth", "width", "r", "max_params")


def _positive(grid: dict, key: str, where: str) -> int:
    value = grid.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: {key} must be a positive whole number, got {value!r}; e.g. {key}: 2")
    return value


def _range(grid: dict, key: str, where: str, low: int) -> tuple[int, int]:
    value = grid.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or value[0] < low or value[0] > value[1]):
        raise ConfigError(f"{where}: {key} must be a range [low, high] of whole numbers with {low} <= low <= high, "
                          f"got {value!r}; e.g. {key}: [{low}, {low + 3}]")
    return int(value[0]), int(value[1])


def check_grid(grid, where: str = "grid") -> dict:
    """The grid with its defaults (``max_params``: none), or :class:`ConfigError` saying what is wrong.

    EXAMPLES::

        >>> check_grid({"family": "mlp", "input": 2, "output": 1, "depth": [2, 4], "width": [1, 3]})
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: grid: r must be a positive whole number, got None; e.g. r: 2
        >>> check_grid({"family": "cnn"})
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: grid: family must be one of mlp, linear, got 'cnn'
    """
    if not isinstance(grid, dict):
        raise ConfigError(f"{where} must be a mapping with keys {', '.join(GRID_KEYS)}, got {grid!r}")
    unknown = sorted(set(grid) - set(GRID_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(GRID_KEYS)}")
    if grid.get("family") not in GRID_FAMILIES:
        raise ConfigError(f"{where}: family must be one of {', '.join(GRID_FAMILIES)}, got {grid.get('family')!r}")
    checked = {"family": grid["family"], "input": _positive(grid, "input", where),
               "output": _positive(grid, "output", where), "depth": _range(grid, "depth", where, 1),
               "width": _range(grid, "width", where, 1), "max_params": grid.get("max_params")}
    if grid["family"] == "mlp":
        checked["r"] = _positive(grid, "r", where)
    elif "r" in grid:
        raise ConfigError(f"{where}: family linear takes no r; remove it")
    if checked["max_params"] is not None:
        checked["max_params"] = _positive(grid, "max_params", where)
    if checked["family"] == "mlp" and checked["depth"][0] < 2:
        raise ConfigError(f"{where}: an MLP needs depth >= 2 (an activation between two layers); e.g. depth: [2, 6]")
    return checked


def slug_of(family: str, widths, r: int | None = None) -> str:
    """``mlp_w2-3-1_r2`` or ``linear_w2-3-1`` (:func:`~pipeline.spec.format_slug`, the slug grammar's own)."""
    from pipeline.spec import MLP, LinearNet, format_slug

    return format_slug(MLP(tuple(widths), r) if family == "mlp" else LinearNet(tuple(widths)))


def params_of(widths) -> int:
    return sum(a * b for a, b in zip(widths, widths[1:]))


#: Largest number of width vectors a grid or a search box may have (``pipeline.spec.SIZE_LIMITS``).
BOX_LIMIT = SIZE_LIMITS["width_vectors"]


def _box_size(depths: tuple[int, int], widths: tuple[int, int]) -> int:
    return sum((widths[1] - widths[0] + 1) ** (depth - 1) for depth in range(depths[0], depths[1] + 1))


def check_box(what: str, family: str, ends: tuple[int, int], depths: tuple[int, int], widths: tuple[int, int],
              r: int | None, fix: str) -> None:
    """Refuse a grid or search box (``what``) over :data:`~pipeline.spec.SIZE_LIMITS` before anything is
    built: hidden widths above ``hidden_width``, more than ``width_vectors`` width vectors, or a largest
    architecture (deepest, widest) over the limits of a slug. ``fix`` says what to narrow.

    EXAMPLES::

        >>> check_box("the search box", "mlp", (2, 1), (2, 2), (1, 10**6), 2, "lower --max-width")
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: the search box reaches hidden width 1,000,000, above the limit 1,000; lower --max-width, or compute wider architectures one by one with 'neuromanifold compute SLUG' (the limits are in docs/bad-input.md)
        >>> check_box("the grid", "mlp", (2, 1), (2, 4), (1, 2), 100, "narrow it")
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: the grid's largest architecture: slug 'mlp_w2-2-2-2-1_r100': too large to compute: its output polynomials have degree 1000000, above the limit 10,000 (sizes: 14 parameters, degree 1000000, 1,000,001 coordinates); use a smaller exponent r or fewer layers (the limits, far above what any method here computes, are in docs/bad-input.md)
    """
    from pipeline.errors import SlugError
    from pipeline.spec import MLP, LinearNet, check_size

    if widths[1] > SIZE_LIMITS["hidden_width"]:
        raise ConfigError(f"{what} reaches hidden width {widths[1]:,}, above the limit {SIZE_LIMITS['hidden_width']:,}; "
                          f"{fix}, or compute wider architectures one by one with 'neuromanifold compute SLUG' "
                          "(the limits are in docs/bad-input.md)")
    size = _box_size(depths, widths)
    if size > BOX_LIMIT:
        raise ConfigError(f"{what} has {size:.2e} width vectors (limit {BOX_LIMIT:.0e}); {fix}, or split it into "
                          "several runs of fewer depths")
    hidden = (widths[1],) * (depths[1] - 1)
    largest = (MLP((ends[0], *hidden, ends[1]), r) if family == "mlp" else LinearNet((ends[0], *hidden, ends[1])))
    try:
        check_size(largest)
    except SlugError as exc:
        raise ConfigError(f"{what}'s largest architecture: {exc}") from None


def grid_slugs(grid: dict) -> list[str]:
    """The slugs of a grid: by depth, then hidden widths in lexicographic order, at most ``max_params``."""
    grid = check_grid(grid)
    check_box("the grid", grid["family"], (grid["input"], grid["output"]), grid["depth"], grid["width"],
              grid.get("r"), "narrow its depth or width range")
    slugs = []
    for depth in range(grid["depth"][0], grid["depth"][1] + 1):
        for hidden in itertools.product(range(grid["width"][0], grid["width"][1] + 1), repeat=depth - 1):
            widths = (grid["input"], *hidden, grid["output"])
            if grid["max_params"] is None or params_of(widths) <= grid["max_params"]:
                slugs.append(slug_of(grid["family"], widths, grid.get("r")))
    return slugs


def shards(count: int, size: int) -> list[tuple[int, int]]:
    """``[start, stop)`` of each shard of ``size`` items.

    EXAMPLES::

        >>> shards(5, 2)
        [(0, 2), (2, 4), (4, 5)]
    """
    return [(start, min(start + size, count)) for start in range(0, count, size)]


# -- computing ------------------------------------------------------------------------------------
def _worker_start(parent: int) -> None:
    from pipeline.engines.processes import die_with_parent

    die_with_parent(parent)


def _dimension_value(job):
    from pipeline.architectures import parametrization
    from pipeline.invariants.methods.dimension import dimension, jacobian_rank

    slug, seed, mode = job
    start = time.monotonic()
    try:
        param = parametrization(slug)
        if mode == "rank":
            value = jacobian_rank(param, seed=seed)
        else:
            value = dimension(param, method="auto", seed=seed, span=mode == "span")
        return slug, "ok", value, time.monotonic() - start
    except Exception as exc:  # noqa: BLE001 - a failure is a record, not the end of the batch
        return slug, "error", f"{type(exc).__name__}: {exc}", time.monotonic() - start


def map_dimensions(slugs: list[str], seed: int, workers: int | None = None, mode: str = "nospan") -> list[tuple]:
    """``(slug, status, value or message, seconds)`` per slug, computed by ``workers`` forked processes
    (default: the cores of this job), each started once and dying with this process. ``mode``: ``span``
    (the ``dimension`` value of the command line), ``nospan`` (the same without the span dimension) or
    ``rank`` (only the dimension: :func:`~pipeline.invariants.methods.dimension.jacobian_rank`)."""
    workers = workers or len(os.sched_getaffinity(0))
    jobs = [(slug, seed, mode) for slug in slugs]
    if jobs:
        log.info("dimensions (%s) of %d architectures on %d worker(s)", mode, len(jobs), min(workers, len(jobs)))
    if workers == 1 or len(jobs) < 2:
        return [_dimension_value(job) for job in jobs]
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        return pool.map(_dimension_value, jobs, chunksize=max(1, len(jobs) // (8 * workers)))


def batch_records(slugs: list[str], seed: int = 0, workers: int | None = None, budget: float = 3600,
                  span: bool = False) -> list[dict]:
    """The ``dimension`` record of every slug (method ``auto``, the random choices of ``neuromanifold compute
    SLUG``); without ``span`` the span dimension is skipped (null; the expected dimension is capped by the
    ambient one), which makes deep nets several times faster; with it the record is the command line's.
    ``budget`` (seconds, the batch's) is recorded in the settings."""
    from pipeline.execution.records import make_record
    from pipeline.invariants import SPECS

    spec = SPECS["dimension"]
    settings = {"method": "auto", "seed": seed, "timeout": budget, "memory_mb": None, "options": {},
                "batch": {"span": span}}
    records = []
    for slug, status, outcome, seconds in map_dimensions(slugs, seed, workers, "span" if span else "nospan"):
        if status == "ok":
            record = make_record(slug, "dimension", value=outcome, method=outcome["method"],
                                 certificate=spec.certificate(outcome), seconds=seconds, seed=seed)
        else:
            record = make_record(slug, "dimension", status="error", method="auto", seconds=seconds, seed=seed,
                                 message=outcome, extra={"reason": "failure"})
        record["settings"] = dict(settings)
        records.append(record)
    failed = [r["arch"] for r in records if r["status"] != "ok"]
    if failed:
        log.warning("%d of %d batch records are not ok: %s", len(failed), len(records), ", ".join(failed[:10]))
    return records


# -- the minimal-filling search -------------------------------------------------------------------
def ambient_of(input_width: int, output_width: int, depth: int, r: int) -> int:
    """Tuples of ``output_width`` forms of degree ``r^(depth-1)`` in ``input_width`` variables.

    EXAMPLES::

        >>> [ambient_of(2, 1, depth, 2) for depth in range(2, 9)]
        [3, 5, 9, 17, 33, 65, 129]
    """
    from pipeline.spec import MLP, size_of

    return size_of(MLP((input_width,) + (1,) * (depth - 1) + (output_width,), r))["ambient_dim"]


def parameter_bound(widths) -> int:
    """Parameters minus hidden neurons (each neuron's rescaling): an upper bound on the dimension.

    EXAMPLES::

        >>> parameter_bound((2, 3, 4, 5, 4, 6, 4, 1))
        84
    """
    return params_of(widths) - sum(widths[1:-1])


def unimodal(widths) -> bool:
    """Whether the widths (input and output included) weakly increase, then weakly decrease."""
    widths = list(widths)
    top = widths.index(max(widths))
    return all(a <= b for a, b in zip(widths[: top + 1], widths[1 : top + 1])) and all(
        a >= b for a, b in zip(widths[top:], widths[top + 1 :]))


def check_search(input_width: int, output_width: int, r: int, depths: tuple[int, int], max_width: int) -> None:
    """Refuse a search that cannot run: depth below 2, ``r`` below 2, or a box over the limits (:func:`check_box`).

    EXAMPLES::

        >>> check_search(2, 1, 2, (2, 9), 9)
        Traceback (most recent call last):
        ...
        pipeline.errors.ConfigError: the search box has 4.84e+07 width vectors (limit 5e+06); lower the largest depth or --max-width, or split it into several runs of fewer depths
    """
    if depths[0] < 2:
        raise ConfigError(f"a filling search needs depth >= 2 (an activation between two layers), got {depths[0]}; "
                          "e.g. --depth 2-6")
    if r < 2:
        raise ConfigError(f"a filling search needs r >= 2 (with r = 1 the net is linear), got {r}; e.g. --r 2")
    check_box("the search box", "mlp", (input_width, output_width), depths, (1, max_width), r,
              "lower the largest depth or --max-width")


def _box(depth: int, max_width: int) -> np.ndarray:
    """Every vector of ``depth - 1`` hidden widths in ``[1, max_width]``, sorted by sum, then lexicographically."""
    grids = np.meshgrid(*[np.arange(1, max_width + 1)] * (depth - 1), indexing="ij")
    vectors = np.stack([g.ravel() for g in grids], axis=1)
    order = np.lexsort(tuple(vectors[:, i] for i in reversed(range(depth - 1))) + (vectors.sum(axis=1),))
    return vectors[order]


def filling_search(input_width: int, output_width: int, r: int, depths, max_width: int, seed: int = 0,
                   workers: int | None = None) -> dict:
    """The minimal filling MLPs of each depth with hidden widths in ``[1, max_width]`` (module docstring).

    OUTPUT: ``rows`` (one per computed architecture: widths, parameters, ambient and expected
    dimension, ``dim``, ``defect``, ``filling``, ``minimal``, ``unimodal``), ``minimal`` (slugs by
    depth), the number of architectures skipped by each argument, and the seconds.

    EXAMPLES::

        >>> found = filling_search(2, 1, 2, [2, 3, 4], max_width=4, seed=1, workers=1)
        >>> found["minimal"]
        {2: ['mlp_w2-2-1_r2'], 3: ['mlp_w2-2-2-1_r2'], 4: ['mlp_w2-3-3-2-1_r2']}
    """
    start = time.monotonic()
    rows, minimal, skipped = [], {}, {"dominates_a_minimal": 0, "parameter_bound": 0}
    for depth in depths:
        ambient = ambient_of(input_width, output_width, depth, r)
        vectors = _box(depth, max_width)
        full = np.hstack([np.full((len(vectors), 1), input_width), vectors, np.full((len(vectors), 1), output_width)])
        bound = (full[:, :-1] * full[:, 1:]).sum(axis=1) - vectors.sum(axis=1)
        skipped["parameter_bound"] += int((bound < ambient).sum())
        live = bound >= ambient
        found = np.zeros((0, depth - 1), dtype=np.int64)
        failed = np.zeros((0, depth - 1), dtype=np.int64)  # vectors whose computation failed: not known to fill
        sums = vectors.sum(axis=1)
        for total in np.unique(sums[live]):
            group = vectors[live & (sums == total)]
            if len(found):
                dominated = (group[:, None, :] >= found[None, :, :]).all(axis=2).any(axis=1)
                skipped["dominates_a_minimal"] += int(dominated.sum())
                group = group[~dominated]
            slugs = [slug_of("mlp", (input_width, *hidden, output_width), r) for hidden in group.tolist()]
            for hidden, (slug, status, value, seconds) in zip(group.tolist(), map_dimensions(slugs, seed, workers, "rank")):
                widths = (input_width, *hidden, output_width)
                expected = min(parameter_bound(widths), ambient)
                dim = value["dim"] if status == "ok" else None
                fills = dim == ambient
                if status != "ok":
                    failed = np.vstack([failed, hidden])
                if not fills:
                    is_minimal = False
                elif (np.asarray(hidden) >= failed).all(axis=1).any():
                    is_minimal = None  # a smaller vector's computation failed: it might fill, so undecided
                else:
                    is_minimal = True
                if fills:
                    found = np.vstack([found, hidden])
                rows.append({"arch": slug, "depth": depth, "widths": "-".join(map(str, widths)),
                             "params": params_of(widths), "ambient_dim": ambient, "expected_dim": expected,
                             "dim": dim, "defect": None if dim is None else expected - dim,
                             "filling": None if dim is None else fills, "minimal": is_minimal,
                             "unimodal": unimodal(widths) if fills else None,
                             "agree": value["agree"] if status == "ok" else None,
                             "primes": value["primes"] if status == "ok" else None, "seconds": round(seconds, 4),
                             "status": status, "message": None if status == "ok" else value})
        minimal[depth] = [row["arch"] for row in rows if row["depth"] == depth and row["minimal"]]
        log.info("filling search, depth %d: minimal %s; %d architectures computed so far", depth,
                 ", ".join(minimal[depth]) or "none", len(rows))
    return {"rows": rows, "minimal": minimal, "skipped": skipped, "computed": len(rows),
            "seconds": round(time.monotonic() - start, 2),
            "search": {"input": input_width, "output": output_width, "r": r, "depths": list(depths),
                       "max_width": max_width, "seed": seed}}
