"""The wall-clock budget of the job running in this process, for the backends inside it.

The runner starts each job in a child process and kills it when the job's budget is spent.
Backends that start programs of their own (Macaulay2) also need a limit; they take the time
left of the job's budget, so that an inner limit never ends a job before its budget does.
Outside a job (a script, a doctest) they fall back to their own default.

EXAMPLES::

    >>> from pipeline.engines import budget
    >>> budget.seconds_left(default=600)
    600
    >>> budget.start_job(60)
    >>> 58.9 < budget.seconds_left(default=600) <= 59
    True
    >>> budget.start_job(None)
    >>> budget.seconds_left(default=600)
    600
"""

import math
import time

_deadline: float | None = None


def start_job(seconds: float | None) -> None:
    """Record that the job in this process must end within ``seconds`` (``None``: no job).

    Inner limits end a little earlier (5%, at most one second), so that the job has time to
    report their ``timeout`` before the runner kills it.
    """
    global _deadline
    _deadline = None if seconds is None else time.monotonic() + seconds - min(1.0, 0.05 * seconds)


def seconds_left(default: float | None) -> float | None:
    """Seconds left of this process's job budget, or ``default`` outside a job (``None``: no limit)."""
    if _deadline is None:
        return default
    return max(_deadline - time.monotonic(), 0.0)


#: Minutes a cluster job needs beyond its budget: Python and Sage start-up, the Snakefile's parse,
#: the version probes of the record, writing it (measured: under 30 s on a loaded 2-core node).
STARTUP_MARGIN_MINUTES = 3


def cluster_runtime_minutes(budget_seconds: float, attempt: int = 1) -> int:
    """Whole minutes to ask a cluster for a job whose computation has ``budget_seconds`` per attempt.

    Rounded up, plus :data:`STARTUP_MARGIN_MINUTES`, so that the scheduler never kills a job
    before the pipeline's own limit has written its ``timeout`` record.

    EXAMPLES::

        >>> cluster_runtime_minutes(60), cluster_runtime_minutes(61), cluster_runtime_minutes(90, attempt=2)
        (4, 5, 6)
    """
    return math.ceil(budget_seconds * attempt / 60) + STARTUP_MARGIN_MINUTES
