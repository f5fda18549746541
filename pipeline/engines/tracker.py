"""A path tracker that moves every path at once: parameter homotopies in numpy.

A *parameter system* is a square polynomial system ``F(x; q) = 0`` in ``n`` unknowns ``x``
whose parameters ``q`` it depends on affinely (the systems of :mod:`pipeline.engines.monodromy`:
``A c(x) = b`` and ``J(x)^T Q (u - c(x)) = 0``). It gives, at a batch of points, the values
and the Jacobian in ``x`` (:meth:`ParameterSystem.evaluate`) and the derivative in ``q`` along a
direction (:meth:`ParameterSystem.parameter_velocity`).

:func:`track` follows every path ``x(t)`` with ``F(x(t); q0 + t (q1 - q0)) = 0`` from ``t = 0``
to ``t = 1`` (each path may have its own ``q0`` and ``q1``): a fourth-order Runge-Kutta
predictor on the Davidenko equation ``F_x x' = -F_q (q1 - q0)``, then Newton's corrector at the
new ``t``; a step is accepted when Newton converges within three iterations and contracts, and
the predictor's error (the first
Newton update) is below ``predictor_error``, which keeps a path from jumping to a neighbour's;
each path's step size grows after three accepted steps and halves after a rejected one. Every
array operation acts on all live paths together (one batched ``numpy.linalg.solve`` per stage),
so the cost per path falls as the batch grows, and :func:`track_parallel` splits a batch
between processes (paths are independent).

A path *fails* when its step falls below ``min_step`` or it takes more than ``max_steps``
steps; its end point is then ``nan``. Generic complex parameters avoid the discriminant with
probability 1, so for the generic segments of a monodromy loop failures are rare, and the
caller decides what to do with them.

EXAMPLES::

    >>> class Circle:                       # x^2 + y^2 = q0, x - y = q1
    ...     n = 2
    ...     def evaluate(self, X, Q):
    ...         F = np.stack([X[:, 0]**2 + X[:, 1]**2 - Q[:, 0], X[:, 0] - X[:, 1] - Q[:, 1]], axis=1)
    ...         J = np.zeros((len(X), 2, 2), dtype=complex)
    ...         J[:, 0, 0], J[:, 0, 1], J[:, 1, 0], J[:, 1, 1] = 2 * X[:, 0], 2 * X[:, 1], 1, -1
    ...         return F, J
    ...     def parameter_velocity(self, X, Q, dQ):
    ...         return -dQ
    >>> start = np.array([[1.0, 0.0], [0.0, -1.0]], dtype=complex)     # solutions for q = (1, 1)
    >>> q0 = np.array([[1.0, 1.0]] * 2, dtype=complex)
    >>> q1 = np.array([[2.0, 0.0]] * 2, dtype=complex)                  # x = y = +-1
    >>> result = track(Circle(), start, q0, q1)
    >>> np.round(result.solutions.real, 10).tolist(), result.failed.tolist()
    ([[1.0, 1.0], [-1.0, -1.0]], [False, False])
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from pipeline.engines.processes import fork_map

log = logging.getLogger(__name__)


class ParameterSystem(Protocol):
    n: int

    def evaluate(self, X: np.ndarray, Q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(F (P, n), F_x (P, n, n))`` at points ``X (P, n)`` and parameters ``Q (P, k)``."""

    def parameter_velocity(self, X: np.ndarray, Q: np.ndarray, dQ: np.ndarray) -> np.ndarray:
        """``F_q dQ`` (``(P, n)``) at ``X`` and ``Q``. A system may also offer ``evaluate_with_velocity(X, Q, dQ)``
        returning ``(F, F_x, F_q dQ)`` from one evaluation; the tracker then uses it."""


@dataclass(frozen=True)
class TrackerSettings:
    """Step control of :func:`track`; the defaults suit the generic segments of a monodromy loop."""

    first_step: float = 0.1
    max_step: float = 1.0
    min_step: float = 1e-7
    max_steps: int = 1000
    newton_iterations: int = 3
    tolerance: float = 1e-9  # Newton's last update, relative to 1 + |x|
    contraction: float = 0.25  # the second Newton update at most this times the first
    predictor_error: float = 1e-3  # the first Newton update (the predictor's error), relative to 1 + |x|
    refine_iterations: int = 3  # Newton steps at t = 1
    grow_after: int = 3  # accepted steps in a row before the step doubles


@dataclass
class TrackResult:
    """End points of the paths (``nan`` rows where a path failed), with diagnostics per path."""

    solutions: np.ndarray
    failed: np.ndarray
    steps: np.ndarray
    residuals: np.ndarray
    newton_updates: np.ndarray  # the last refinement update at t = 1, relative


def _norm(V):
    return np.max(np.abs(V), axis=-1)


def _solve(A, b):
    """Batched ``A^-1 b``, with ``nan`` rows where ``A`` is singular (instead of an exception for the batch)."""
    try:
        return np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full(b.shape, np.nan, dtype=complex)
        for i in range(len(A)):
            try:
                out[i] = np.linalg.solve(A[i], b[i])
            except np.linalg.LinAlgError:
                pass
        return out


def _velocity(system, X, Q, dQ):
    if hasattr(system, "evaluate_with_velocity"):  # one evaluation for both
        _, Fx, v = system.evaluate_with_velocity(X, Q, dQ)
    else:
        _, Fx = system.evaluate(X, Q)
        v = system.parameter_velocity(X, Q, dQ)
    return -_solve(Fx, v)


def _newton(system, X, Q, iterations):
    """``(X after the iterations, relative update norms (P, iterations))``."""
    norms = np.zeros((len(X), iterations))
    for k in range(iterations):
        F, Fx = system.evaluate(X, Q)
        update = _solve(Fx, F)
        X = X - update
        norms[:, k] = _norm(update) / (1.0 + _norm(X))
    return X, norms


def track(system, start, Q0, Q1, settings: TrackerSettings = TrackerSettings()) -> TrackResult:
    """Track the rows of ``start`` (solutions at ``Q0``) to ``Q1``; all arrays have one row per path."""
    X = np.array(start, dtype=complex)
    Q0 = np.asarray(Q0, dtype=complex)
    dQ = np.asarray(Q1, dtype=complex) - Q0
    P = len(X)
    t = np.zeros(P)
    h = np.full(P, settings.first_step)
    streak = np.zeros(P, dtype=np.int64)
    steps = np.zeros(P, dtype=np.int64)
    failed = np.zeros(P, dtype=bool)
    live = np.ones(P, dtype=bool)
    while live.any():
        i = np.flatnonzero(live)
        x, ti, hi, q0, dq = X[i], t[i], np.minimum(h[i], 1.0 - t[i]), Q0[i], dQ[i]

        def q(s):
            return q0 + s[:, None] * dq

        k1 = _velocity(system, x, q(ti), dq)
        k2 = _velocity(system, x + 0.5 * hi[:, None] * k1, q(ti + 0.5 * hi), dq)
        k3 = _velocity(system, x + 0.5 * hi[:, None] * k2, q(ti + 0.5 * hi), dq)
        k4 = _velocity(system, x + hi[:, None] * k3, q(ti + hi), dq)
        predicted = x + (hi / 6.0)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        corrected, norms = _newton(system, predicted, q(ti + hi), settings.newton_iterations)
        converged = norms[:, -1] <= settings.tolerance
        contracting = norms[:, 1] <= settings.contraction * np.maximum(norms[:, 0], settings.tolerance)
        close = norms[:, 0] <= settings.predictor_error
        ok = converged & contracting & close & np.isfinite(corrected).all(axis=1)
        steps[i] += 1
        good, bad = i[ok], i[~ok]
        X[good] = corrected[ok]
        t[good] = np.where(hi[ok] >= 1.0 - ti[ok], 1.0, ti[ok] + hi[ok])
        streak[good] += 1
        grow = good[streak[good] >= settings.grow_after]
        h[grow] = np.minimum(2.0 * h[grow], settings.max_step)
        streak[grow] = 0
        h[bad] *= 0.5
        streak[bad] = 0
        done = good[t[good] >= 1.0]
        live[done] = False
        lost = i[(h[i] < settings.min_step) | (steps[i] >= settings.max_steps)]
        lost = lost[live[lost]]
        failed[lost] = True
        live[lost] = False
    keep = ~failed
    Qend = Q0 + dQ
    residuals = np.full(P, np.nan)
    updates = np.full(P, np.nan)
    if keep.any():
        refined, norms = _newton(system, X[keep], Qend[keep], settings.refine_iterations)
        X[keep] = refined
        updates[keep] = norms[:, -1]
        F, _ = system.evaluate(refined, Qend[keep])
        residuals[keep] = _norm(F)
    X[failed] = np.nan
    return TrackResult(X, failed, steps, residuals, updates)


def _track_chunk(arguments):
    system, start, Q0, Q1, settings = arguments
    return track(system, start, Q0, Q1, settings)


def track_parallel(system, start, Q0, Q1, settings: TrackerSettings = TrackerSettings(), workers: int = 1,
                   min_chunk: int = 64) -> TrackResult:
    """:func:`track` with the paths split into ``workers`` chunks tracked in forked processes."""
    from threadpoolctl import threadpool_limits

    P = len(start)
    parts = max(1, min(workers, P // min_chunk))
    with threadpool_limits(1):  # one BLAS thread a process: the processes are the parallelism (measured: two
        # workers with two OpenBLAS threads each were slower than one worker)
        if parts == 1:
            return track(system, start, Q0, Q1, settings)
        bounds = np.linspace(0, P, parts + 1).astype(int)
        chunks = [(system, start[a:b], Q0[a:b], Q1[a:b], settings) for a, b in zip(bounds[:-1], bounds[1:])]
        results = fork_map(_track_chunk, chunks)
    return TrackResult(*(np.concatenate([getattr(r, name) for r in results])
                         for name in ("solutions", "failed", "steps", "residuals", "newton_updates")))
