"""Architecture families: ``Architecture -> Parametrization``.

EXAMPLES::

    >>> parametrization("linear_w3-2-3").params
    12
"""

from pipeline.architectures import attention, cnn, linear, mlp
from pipeline.architectures.base import Block, Parametrization
from pipeline.errors import lookup
from pipeline.spec import Architecture, parse_slug

FAMILY_MODULES = {"linear": linear, "mlp": mlp, "cnn": cnn, "attn": attention}


def parametrization(arch: Architecture | str) -> Parametrization:
    """Return the parametrization of an architecture or slug."""
    if isinstance(arch, str):
        arch = parse_slug(arch)
    return lookup(FAMILY_MODULES, arch.family, "family").parametrize(arch)


__all__ = ["Block", "Parametrization", "parametrization"]
