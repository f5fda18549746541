"""The wall-clock budget of the job running in this process, for the backends inside it.

The runner starts each job in a child process and kills it when the job's budget is spent.
Backends that start programs of their own (Macaulay2) also need a limit; they take the time
left of the job's budget, so that an inner limit never ends a job before its budget does.
Outside a job (a script, a doctest) they fall back to their own default.

EXAMPLES::

    >>> from pipeline import budget
    >>> budget.seconds_left(default=600)
    600
    >>> budget.start_job(60)
    >>> 58.9 < budget.seconds_left(default=600) <= 59
    True
    >>> budget.start_job(None)
    >>> budget.seconds_left(default=600)
    600
"""

import time

_deadline: float | None = None


def start_job(seconds: float | None) -> None:
    """Record that the job in this process must end within ``seconds`` (``None``: no job).

    Inner limits end a little earlier (5%, at most one second), so that the job has time to
    report their ``timeout`` before the runner kills it.
    """
    global _deadline
    _deadline = None if seconds is None else time.monotonic() + seconds - min(1.0, 0.05 * seconds)


def seconds_left(default: float) -> float:
    """Seconds left of this process's job budget, or ``default`` outside a job."""
    if _deadline is None:
        return default
    return max(_deadline - time.monotonic(), 0.0)
