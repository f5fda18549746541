"""Solving a parametrized square system by monodromy, and the trace test that certifies it.

The setting (Duff, Hill, Jensen, Lee, Leykin, Sommerars, "Solving polynomial systems via
homotopy continuation and monodromy", IMA J. Numer. Anal. 2019): a system ``F(x; q) = 0``
whose parameters ``q`` enter affinely, and one start pair ``(x0, q0)`` (free: choose ``x0``,
solve for ``q0``, which is linear). Monodromy finds the other solutions at ``q0``:

- two *nodes*, ``q0`` and a random ``q1``, joined by ``edges``; an edge is the path
  ``q0 -> m -> q1`` through its own random complex point ``m`` (a generic path in parameter
  space, so it avoids the discriminant with probability 1). Edges of the gamma trick (arcs
  ``((1 - s) gamma q0 + s q1) / ((1 - s) gamma + s)``, one segment each) cost half as much, but they
  all lie in the complex line through ``q0`` and ``q1``, where a loop of two of them encloses only
  the branch points of one sector: on ``6 x 6`` rank-2 matrices (degree 1,764) twelve such edges
  closed at 1,758 solutions, while eleven edges through middle points found all of them;
- every known solution at a node is tracked along every edge once (:func:`~pipeline.engines.tracker.track`,
  all paths of a round at once); an end point that is new at its node joins the known ones and
  is tracked in the next round. Tracking along an edge is a bijection of the solutions at its
  two nodes, so two paths of one edge that end at the same point jumped: the later one is
  tracked again with smaller steps;
- the rounds stop when every edge's bijection is known for every known solution (the known
  set is closed under the loops the edges make); :func:`trace_test` then decides whether the
  set is complete, and a failed test adds an edge and goes on.

Every solution is tracked about once per edge, so the cost is linear in the number of
solutions (three edges: about three paths per solution).

The trace test (Sommese, Verschelde, Wampler; for images, Hauenstein-Sommese's pseudo-witness
sets): for a system ``A c(x) = b``, the points ``c(x)`` of a complete solution set are a witness
set of the image closure ``X`` on the affine slice ``A y = b``. Moving ``b`` along a line
``b + t v`` moves the slices in a parallel pencil, and the sum of a linear function of the points
is affine in ``t`` exactly when the set is complete (a missing point's own path is not affine).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from pipeline.algebra.numeric import PolynomialMap
from pipeline.engines.tracker import TrackerSettings, track_parallel
from pipeline.errors import BudgetExceeded

log = logging.getLogger(__name__)

#: Points closer than this (relative to ``1 + |x|``, in the max norm) are the same solution.
SAME_POINT = 1e-6
#: A trace test passes when its second difference is below this, relative to the mean size of a term.
TRACE_THRESHOLD = 1e-4


def random_complex(rng, shape):
    """Standard complex Gaussian entries."""
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


# ---------------------------------------------------------------- the two systems


@dataclass(frozen=True)
class GaugedMap:
    """A polynomial map of all ``N`` parameters, whose ``fixed`` ones (the gauge) are parameters of the
    systems rather than unknowns: a monodromy loop may move the gauge slice as well as the data,
    which mixes solutions that loops of the data alone reach rarely (those far out in one chart)."""

    coordinates: PolynomialMap
    free: np.ndarray
    fixed: np.ndarray

    @property
    def n(self) -> int:
        return len(self.free)

    def point(self, X, g):
        Z = np.empty((len(X), self.coordinates.n), dtype=complex)
        Z[:, self.free] = X
        Z[:, self.fixed] = g
        return Z


class Chart:
    """What the two systems share: parameters ``(a, data, g)`` (``a`` the coordinates of the ``turns``,
    empty without them) and the unknowns in the gauge's affine chart or, with a ``patch``, in a
    random projective one (the map homogenized of degree ``top`` by a last free variable ``z0``, the
    unknowns on ``patch . z = 1``, ``x = z[:-1] / z0``: a solution far out in the affine chart is an
    ordinary point there)."""

    @property
    def n(self) -> int:
        return self.map.n

    @property
    def _r(self) -> int:
        return 0 if self.turns is None else len(self.turns)

    def _unpack(self, Q):
        """``(a, data, g)`` from parameter rows: the turns, the data (``b`` or ``u``), the gauge values."""
        r, d = self._r, self._data_size
        return Q[:, :r], Q[:, r : r + d], Q[:, r + d :]

    def split(self, Q):
        _, data, g = self._unpack(Q)
        return data, g

    def parameters(self, data, g):
        """The parameter vector of ``data`` and gauge values ``g`` at the base (no turn, ``a = 0``)."""
        return np.concatenate([np.zeros(self._r), data, g])

    def evaluate(self, X, Q):
        """``(F, F_x)`` (the tracker's protocol; ``evaluate_with_velocity`` computes both at once)."""
        return self.evaluate_with_velocity(X, Q)[:2]

    def parameter_velocity(self, X, Q, dQ):
        return self.evaluate_with_velocity(X, Q, dQ)[2]

    def _z0_power(self, X, k):
        return X[:, -1] ** k if self.patch is not None else np.ones(len(X))

    def _with_patch(self, X, F, Fx):
        """``(F, Fx)`` with the chart's equation ``patch . z - 1`` appended (nothing in the affine chart)."""
        if self.patch is None:
            return F, Fx
        patch_row = np.broadcast_to(self.patch, (len(X), 1, self.n))
        return (np.concatenate([F, (X @ self.patch - 1.0)[:, None]], axis=1),
                np.concatenate([Fx, patch_row], axis=1))

    def _with_patch_velocity(self, out):
        return out if self.patch is None else np.concatenate([out, np.zeros((len(out), 1))], axis=1)

    def image(self, X, Q):
        """The image points ``c(x)`` of the unknowns ``X`` at parameters ``Q``."""
        values = self.map.coordinates.values(self.map.point(X, self.split(Q)[1]))
        return values / self._z0_power(X, self.top)[:, None]

    def start(self, x0):
        """The unknowns of the system at the affine point ``x0``."""
        if self.patch is None:
            return np.asarray(x0, dtype=complex)
        z = np.append(np.asarray(x0, dtype=complex), 1.0)
        return z / (z @ self.patch)


@dataclass(frozen=True)
class SliceSystem(Chart):
    """``A(a) c(x; g) - b = 0``: the points of the image on the affine slice ``A(a) y = b``,
    ``A(a) = A + sum_i a_i U_i``; parameters ``(a, b, g)`` (``a`` only when ``turns`` are given).

    Loops of ``b`` alone move the slice parallel to itself: its points at infinity (a center of
    projection) stay, and such loops permute few of the solutions (on ``5 x 5`` rank-2 matrices,
    three edges closed at 169 of 175 solutions and twelve edges at 174 with some seeds). The ``turns``
    ``U_i`` (random ``dim x s`` matrices; ``A`` enters affinely, so its coefficients can be
    parameters) let the loops turn the slice as well, and three edges closed on all 175. The base
    has ``a = 0``; the trace test moves ``b`` alone.
    """

    map: GaugedMap
    A: np.ndarray  # (dim, s): the slice at the base
    patch: np.ndarray | None = None
    top: int = 0
    turns: np.ndarray | None = None  # (r, dim, s)

    @property
    def _data_size(self) -> int:
        return self.A.shape[0]

    def shift(self, v):
        """A parameter direction that moves ``b`` by ``v`` and nothing else (the trace test's pencil)."""
        return np.concatenate([np.zeros(self._r), v, np.zeros(len(self.map.fixed))])

    def _slice(self, a):
        """``A(a)`` for each row of ``a``: ``(P, dim, s)`` (one shared matrix without turns)."""
        if self.turns is None:
            return self.A
        return self.A + np.tensordot(a, self.turns, axes=(1, 0))

    def evaluate_with_velocity(self, X, Q, dQ=None):
        """``(F, F_x, F_q dQ)`` from one evaluation of the map (the velocity None without ``dQ``)."""
        a, b, g = self._unpack(Q)
        values, J = self.map.coordinates.jacobian(self.map.point(X, g), with_values=True)
        A = self._slice(a)
        F = np.matmul(A, values[:, :, None])[:, :, 0] - b * self._z0_power(X, self.top)[:, None]
        Fx = np.matmul(A, J[:, :, self.map.free])
        if self.patch is not None:
            Fx[:, :, -1] -= self.top * b * self._z0_power(X, self.top - 1)[:, None]
        F, Fx = self._with_patch(X, F, Fx)
        if dQ is None:
            return F, Fx, None
        da, db, dg = self._unpack(dQ)
        moved = np.matmul(J[:, :, self.map.fixed], dg[:, :, None])  # (P, s, 1)
        out = np.matmul(A, moved)[:, :, 0]
        for i in range(self._r):
            out += da[:, i : i + 1] * (values @ self.turns[i].T)
        return F, Fx, self._with_patch_velocity(out - db * self._z0_power(X, self.top)[:, None])


@dataclass(frozen=True)
class CriticalSystem(Chart):
    """``J_x^T G (u - c(x; g)) = 0``: critical points of ``(u - c)^T G (u - c)``; parameters ``(u, g)``,
    and ``a`` with ``turns`` (the metric ``G + sum_i a_i V_i``: only for a generic metric, whose count
    nearby metrics share; a special one, such as Frobenius, has fewer critical points than its
    neighbours).

    With a ``patch``, as :class:`SliceSystem`: ``c`` homogenized of degree ``top`` in the free
    variables (the last one ``z0``), the equations ``J_x(z)^T G (u z0^top - c(z)) = 0`` and the chart
    ``patch . z = 1``.
    """

    map: GaugedMap
    G: np.ndarray  # (s, s), symmetric: the metric at the base
    patch: np.ndarray | None = None
    top: int = 0
    turns: np.ndarray | None = None  # (r, s, s) symmetric: loops move the metric to G + sum_i a_i V_i

    @property
    def _data_size(self) -> int:
        return self.G.shape[0]

    def _metric(self, a):
        """``G(a)``: one ``(s, s)`` matrix without turns, else one a path."""
        return self.G if self.turns is None else self.G + np.tensordot(a, self.turns, axes=(1, 0))

    @staticmethod
    def _times(v, G):
        """``v G`` row by row (``G`` shared or one a row)."""
        return v @ G if G.ndim == 2 else np.matmul(v[:, None, :], G)[:, 0, :]

    @property
    def _x(self):
        """Indices (in the map's variables) of the unknowns the equations differentiate by."""
        return self.map.free if self.patch is None else self.map.free[:-1]

    def evaluate_with_velocity(self, X, Q, dQ=None):
        """``(F, F_x, F_q dQ)`` from one evaluation of the map and its weighted Hessian."""
        a, u, g = self._unpack(Q)
        Z = self.map.point(X, g)
        values, J = self.map.coordinates.jacobian(Z, with_values=True)
        G = self._metric(a)
        z0_top = self._z0_power(X, self.top)[:, None]
        residual = u * z0_top - values
        r = self._times(residual, G)
        free, fixed, x = self.map.free, self.map.fixed, self._x
        Jx, Jall = J[:, :, x], J[:, :, free]
        H = self.map.coordinates.weighted_hessian(Z, r)[:, x]  # (P, n_x, N)
        F = np.matmul(r[:, None, :], Jx)[:, 0, :]
        Fx = H[:, :, free] - np.matmul(Jx.transpose(0, 2, 1), np.matmul(G, Jall))
        if self.patch is not None:
            JtGu = np.matmul(self._times(u, G)[:, None, :], Jx)[:, 0, :]
            Fx[:, :, -1] += self.top * self._z0_power(X, self.top - 1)[:, None] * JtGu
        F, Fx = self._with_patch(X, F, Fx)
        if dQ is None:
            return F, Fx, None
        da, du, dg = self._unpack(dQ)
        out = np.einsum("psk,ps->pk", Jx, self._times(du, G) * z0_top)
        if len(fixed):
            Jg_dg = np.einsum("psk,pk->ps", J[:, :, fixed], dg)
            out += np.einsum("pkl,pl->pk", H[:, :, fixed], dg) - np.einsum("psk,ps->pk", Jx, self._times(Jg_dg, G))
        for i in range(self._r):
            out += da[:, i : i + 1] * np.einsum("psk,ps->pk", Jx, residual @ self.turns[i])
        return F, Fx, self._with_patch_velocity(out)


# ---------------------------------------------------------------- bookkeeping


class PointSet:
    """Distinct points (rows), with look-up of the nearest known one."""

    def __init__(self, n: int):
        self.points = np.zeros((0, n), dtype=complex)
        self._tree = None

    def __len__(self):
        return len(self.points)

    def _rebuild(self):
        self._tree = cKDTree(np.hstack([self.points.real, self.points.imag])) if len(self.points) else None

    def find(self, X) -> np.ndarray:
        """Index of the known point equal to each row of ``X`` (``-1`` where none is)."""
        out = np.full(len(X), -1, dtype=np.int64)
        if self._tree is None or not len(X):
            return out
        scale = SAME_POINT * (1.0 + np.max(np.abs(X), axis=1))
        dist, idx = self._tree.query(np.hstack([X.real, X.imag]), p=np.inf)
        hit = dist <= scale
        out[hit] = idx[hit]
        return out

    def add(self, X) -> np.ndarray:
        """Indices of the rows of ``X``, adding the new ones (rows equal among themselves are added once).

        EXAMPLES::

            >>> points = PointSet(1)
            >>> points.add(np.array([[1.0], [2.0], [1.0 + 1e-9]])).tolist(), points.add(np.array([[2.0], [3.0]])).tolist()
            ([0, 1, 0], [1, 2])
        """
        out = self.find(X)
        new = np.flatnonzero(out < 0)
        if len(new):
            fresh = X[new]
            radius = SAME_POINT * (1.0 + np.max(np.abs(fresh)))
            tree = cKDTree(np.hstack([fresh.real, fresh.imag]))
            root = np.arange(len(new))
            for a, b in sorted(tree.query_pairs(radius, p=np.inf)):
                ra, rb = _root(root, a), _root(root, b)
                root[max(ra, rb)] = min(ra, rb)
            roots = np.array([_root(root, k) for k in range(len(new))])
            leaders, position = np.unique(roots, return_inverse=True)
            out[new] = len(self.points) + position
            self.points = np.vstack([self.points, fresh[leaders]])
            self._rebuild()
        return out


def _root(parent, k):
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


@dataclass
class MonodromyResult:
    """The solutions at the base parameters and how they were found."""

    solutions: np.ndarray
    base: np.ndarray
    edges: int
    rounds: int
    paths: int
    failed_paths: int
    jumps: int
    history: list = field(default_factory=list)  # known solutions at the base after each round
    seconds: float = 0.0


def solve_by_monodromy(system, x0, q0, rng, *, edges: int = 3, max_edges: int = 8, workers: int = 2,
                       deadline: float | None = None, settings: TrackerSettings = TrackerSettings(),
                       certify=None) -> tuple[MonodromyResult, dict | None]:
    """All solutions at ``q0`` reachable by monodromy from ``x0``, and the certificate ``certify`` gives.

    ``certify(solutions, base)`` (optional) returns a dict with a boolean ``complete`` (or ``stop``, if
    given); while it is False another edge is added (at most ``max_edges``). Raises :class:`BudgetExceeded` past
    ``deadline`` (``time.monotonic()``), with the count so far in the message.
    """
    started = time.monotonic()
    n = len(x0)
    q1 = random_complex(rng, q0.shape)
    nodes = [q0, q1]
    known = [PointSet(n), PointSet(n)]
    known[0].add(np.asarray(x0, dtype=complex)[None, :])
    middles: list = []
    maps: list = []  # per edge: [dict A->B, dict B->A]
    tries: dict = {}  # (edge, node, index) -> attempts
    history, paths, failed_paths, jumps, rounds = [], 0, 0, 0, 0
    closures: list = []  # known solutions at the base at each closure of the graph
    certificate = None

    def add_edge():
        middles.append(random_complex(rng, q0.shape))
        maps.append([{}, {}])

    for _ in range(edges):
        add_edge()
    while True:
        tasks = [(e, side, i) for e in range(len(middles)) for side in (0, 1)
                 for i in range(len(known[side])) if i not in maps[e][side] and tries.get((e, side, i), 0) < 3]
        forward_edges = {e for e, side, _ in tasks if side == 0}
        tasks = [t for t in tasks if t[1] == 0 or t[0] not in forward_edges]  # a new edge: from the base first
        if not tasks:
            grew = bool(closures) and len(known[0]) > closures[-1]
            closures.append(len(known[0]))
            if grew and len(middles) < max_edges:  # the last edge found more: another edge before any test
                add_edge()
                continue
            certificate = certify(known[0].points, q0) if certify else None
            if certificate is None or certificate.get("stop", certificate["complete"]) or len(middles) >= max_edges:
                break
            log.info("trace test failed with %d solutions (%s); adding edge %d", len(known[0]),
                     certificate.get("trace_residual"), len(middles) + 1)
            add_edge()
            continue
        if deadline is not None and time.monotonic() > deadline:
            raise BudgetExceeded(f"monodromy ran out of time with {len(known[0])} solutions known after "
                                 f"{rounds} rounds ({paths} paths)")
        rounds += 1
        E = np.array([t[0] for t in tasks])
        S = np.array([t[1] for t in tasks])
        I = np.array([t[2] for t in tasks])
        start = np.stack([known[s].points[i] for s, i in zip(S, I)])
        source = np.where(S[:, None] == 0, q0, q1)
        target = np.where(S[:, None] == 0, q1, q0)
        middle = np.stack([middles[e] for e in E])
        finer = np.array([tries.get(t, 0) for t in tasks])
        step = settings if finer.max() == 0 else TrackerSettings(
            **{**settings.__dict__, "max_step": settings.max_step / 4, "first_step": settings.first_step / 4})
        first = track_parallel(system, start, source, middle, step, workers)
        ok = ~first.failed
        end = np.full(start.shape, np.nan, dtype=complex)
        if ok.any():
            second = track_parallel(system, first.solutions[ok], middle[ok], target[ok], step, workers)
            end[ok] = second.solutions
            ok[np.flatnonzero(ok)[second.failed]] = False
        paths += len(tasks) + int((~first.failed).sum())
        failed_paths += int((~ok).sum())
        for task in tasks:
            tries[task] = tries.get(task, 0) + 1
        for side in (0, 1):
            chosen = np.flatnonzero(ok & (S == side))
            if not len(chosen):
                continue
            ids = known[1 - side].add(end[chosen])
            for k, j in zip(chosen, ids):
                e, i = int(E[k]), int(I[k])
                back = maps[e][1 - side]
                if int(j) in back and back[int(j)] != i:  # two paths of one edge met: a jump
                    jumps += 1
                    continue
                maps[e][side][i] = int(j)
                back[int(j)] = i
        history.append(len(known[0]))
        log.info("monodromy round %d: %d paths, %d solutions at the base, %d at the other node", rounds,
                 len(tasks), len(known[0]), len(known[1]))
    result = MonodromyResult(known[0].points, q0, len(middles), rounds, paths, failed_paths, jumps, history,
                             time.monotonic() - started)
    return result, certificate


# ---------------------------------------------------------------- the trace test


def trace_test(system: SliceSystem, solutions, base, rng, settings: TrackerSettings = TrackerSettings(),
               workers: int = 2) -> dict:
    """Whether the image points of ``solutions`` (at ``b = base``) are a complete witness set.

    Tracks them to ``base + v`` and ``base - v`` (``v`` random) and compares the linear trace
    ``s(t) = sum_k l(c(x_k(t)))`` with an affine function: ``s(1) + s(-1) - 2 s(0)``, relative to
    the mean size of one point's terms, must be below :data:`TRACE_THRESHOLD`. A path that fails
    makes the test inconclusive (``complete`` False, with the count).
    """
    ell = random_complex(rng, system.A.shape[1])
    moved = system.shift(random_complex(rng, system.A.shape[0]))  # b moves; the slice's direction and the gauge stay
    P = len(solutions)
    sums, sizes, failures = [], np.zeros(P), 0
    for t in (0.0, 1.0, -1.0):
        if t == 0.0:
            points = solutions
        else:
            res = track_parallel(system, solutions, np.repeat(base[None, :], P, 0),
                                 np.repeat((base + t * moved)[None, :], P, 0), settings, workers)
            failures += int(res.failed.sum())
            points = res.solutions
        terms = system.image(np.nan_to_num(points), np.repeat(base[None, :], P, 0)) @ ell
        sums.append(terms.sum())
        sizes += np.abs(terms) * (2.0 if t == 0.0 else 1.0)
    residual = float(abs(sums[1] + sums[2] - 2 * sums[0]) / max(sizes.mean(), 1e-300))
    return {"complete": failures == 0 and residual < TRACE_THRESHOLD, "trace_residual": residual,
            "trace_threshold": TRACE_THRESHOLD, "trace_failed_paths": failures}


def distinct_images(system, solutions, base) -> tuple[int, int]:
    """``(distinct image points, points per image)`` of the solutions at ``base``; the second is None if
    the images do not split into classes of one size (a numerical problem, or not a generic fiber)."""
    images = system.image(solutions, np.repeat(base[None, :], len(solutions), 0))
    scale = np.max(np.abs(images), axis=1, keepdims=True) + 1.0
    ids = PointSet(images.shape[1]).add(images / scale)
    counts = np.bincount(ids)
    size = int(counts[0]) if len(counts) and np.all(counts == counts[0]) else None
    return len(counts), size
