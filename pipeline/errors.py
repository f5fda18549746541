"""The one exception hierarchy of the pipeline.

Every message says what is wrong and what to change. Command-line entry points
catch :class:`NeuromanifoldError`, print its message and exit non-zero.

EXAMPLES::

    >>> from pipeline.errors import SlugError, NeuromanifoldError
    >>> issubclass(SlugError, NeuromanifoldError)
    True
"""


class NeuromanifoldError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class SlugError(NeuromanifoldError, ValueError):
    """An architecture slug that cannot be parsed or names an impossible network."""


class NetworkFileError(SlugError):
    """A network file (YAML list of layers) that cannot be read or names no network."""


class ConfigError(NeuromanifoldError, ValueError):
    """A sweep configuration that does not validate."""


class UnknownNameError(NeuromanifoldError, KeyError):
    """An unknown invariant, method or backend name; the message lists the valid ones."""

    def __str__(self):  # KeyError would quote the message
        return str(self.args[0])


class RecordError(NeuromanifoldError, ValueError):
    """A result record file that cannot be read, is incomplete, or does not belong where it is used."""


class BackendError(NeuromanifoldError, RuntimeError):
    """An external backend (Macaulay2, msolve) is missing or failed."""


class OutOfMemory(BackendError):
    """A backend program (Macaulay2, msolve) died of the memory limit of its job."""


class InvariantTooLarge(NeuromanifoldError):
    """A method refuses an architecture beyond the sizes it can hold in memory."""


class BudgetExceeded(NeuromanifoldError):
    """A computation ran out of its wall-clock budget."""


def lookup(table, name, what):
    """Return ``table[name]``, or raise :class:`UnknownNameError` listing the valid names.

    EXAMPLES::

        >>> lookup({"a": 1, "b": 2}, "a", "method")
        1
        >>> lookup({"a": 1, "b": 2}, "c", "method")
        Traceback (most recent call last):
        ...
        pipeline.errors.UnknownNameError: unknown method 'c'; valid names: a, b
    """
    try:
        return table[name]
    except KeyError:
        raise UnknownNameError(
            f"unknown {what} {name!r}; valid names: {', '.join(sorted(table))}"
        ) from None
