"""Each invariant's spec and its methods module name the same methods: a method the spec offers (the CLI
flag, the config check) is one the module dispatches, and the other way round, without running any."""

from importlib import import_module

import pytest

from pipeline.invariants import SPECS


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_spec_offers_exactly_the_methods_its_module_dispatches(name):
    spec = SPECS[name]
    module = import_module(spec.compute.module)
    assert callable(getattr(module, spec.compute.function))
    assert set(spec.methods) - {"auto"} == set(module.METHODS) - {"auto"}, (spec.methods, module.METHODS)
