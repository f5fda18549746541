"""Architectures: ``Architecture -> Parametrization``, every one a composition of layers.

Each family module says how its slugs are shorthands for layer lists (``to_network``) and
recognizes its layer lists (``from_network``); :mod:`pipeline.architectures.network` composes
any layer list; :mod:`pipeline.architectures.files` reads network files.

EXAMPLES::

    >>> parametrization("linear_w3-2-3").params
    12
    >>> from pipeline.spec import parse_slug
    >>> name_network(parse_slug("net_i2_dense2_p0-0-1_dense1"))
    'mlp_w2-2-1_r2'
"""

from dataclasses import replace

from pipeline.architectures import attention, cnn, gcnn, linear, mlp, residual
from pipeline.architectures.base import Block, Parametrization
from pipeline.architectures.network import compose
from pipeline.errors import lookup
from pipeline.spec import Architecture, Network, parse_slug

FAMILY_MODULES = {"linear": linear, "mlp": mlp, "cnn": cnn, "attn": attention, "res": residual, "gcnn": gcnn}


def parametrization(arch: Architecture | str) -> Parametrization:
    """Return the parametrization of an architecture or slug."""
    if isinstance(arch, str):
        arch = parse_slug(arch)
    if isinstance(arch, Network):
        param = compose(arch)
    else:
        param = lookup(FAMILY_MODULES, arch.family, "family").parametrize(arch)
    return _family_names(param)


def _family_names(param: Parametrization) -> Parametrization:
    """``param`` with its subnetworks named by their family slugs instead of ``net_`` slugs."""
    namer = param.subnetwork_slug

    def renamed(slug):
        return name_network(parse_slug(slug)) if slug and slug.startswith("net_") else slug

    strata = tuple((label, renamed(slug), zeros) for label, slug, zeros in param.strata)
    return replace(param, strata=strata, subnetwork_slug=lambda zeros: renamed(namer(zeros)))


def canonical_architecture(net: Network) -> Architecture:
    """The family architecture a layer list is (its shortest name), else the layer list itself."""
    for module in FAMILY_MODULES.values():
        arch = module.from_network(net)
        if arch is not None:
            return arch
    return net


def name_network(net: Network) -> str:
    """The slug of a layer list: its family's if it has one, else its ``net_`` slug."""
    return canonical_architecture(net).slug


__all__ = ["Block", "Parametrization", "canonical_architecture", "name_network", "parametrization"]
