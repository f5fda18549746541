"""Progress and diagnostics, through the standard :mod:`logging` module.

Every module writes to ``logging.getLogger(__name__)`` (loggers under ``pipeline``) and configures
nothing; the entry points choose where the lines go and how many:

- the command line: standard error, warnings only, ``-v`` adds progress (each job: method, budget,
  outcome; each fallback of an auto chain), ``-vv`` adds each backend program (Macaulay2, msolve) started
  and ended;
- a Snakemake job: its log file ``results/logs/...``, with progress.

EXAMPLES::

    >>> import io, logging
    >>> stream = io.StringIO()
    >>> configure_logging(1, stream)
    >>> logging.getLogger("pipeline.execution.runner").info("linear_w2-1-2 dimension: ok in 0.2 s")
    >>> logging.getLogger("pipeline.engines.m2").debug("started M2")    # -vv only
    >>> stream.getvalue().splitlines()[0].split(" ", 2)[2]    # after the date and time
    'INFO pipeline.execution.runner: linear_w2-1-2 dimension: ok in 0.2 s'
    >>> len(stream.getvalue().splitlines())
    1
    >>> configure_logging(0, stream)    # back to warnings only
"""

from __future__ import annotations

import logging
import sys

#: ``-v`` count -> level of the ``pipeline`` logger.
LEVELS = (logging.WARNING, logging.INFO, logging.DEBUG)

#: One line per event: time, level, module, message.
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_HANDLER_NAME = "neuromanifold"


def configure_logging(verbosity: int, stream) -> None:
    """Send the ``pipeline`` loggers' lines at the level of ``verbosity`` (0 warnings, 1 progress,
    2 and more backend calls) to ``stream``, replacing what an earlier call set up."""
    logger = logging.getLogger("pipeline")
    for handler in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(LEVELS[min(max(verbosity, 0), len(LEVELS) - 1)])
    logger.propagate = False


def log_job_to(path, mode: str = "w") -> logging.Logger:
    """In a Snakemake job: standard error (warnings, tracebacks) and the progress lines go to the job's
    log file ``path`` (``mode`` ``"a"`` keeps the lines of earlier attempts); return the workflow's logger."""
    sys.stderr = open(path, mode)  # noqa: SIM115 - the job's stderr until it exits
    configure_logging(1, sys.stderr)
    return logging.getLogger("pipeline.workflow")
