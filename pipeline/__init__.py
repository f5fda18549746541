"""neuromanifold: invariants of neuromanifolds of polynomial neural networks.

Layers, from the bottom; each imports only its own layer and those below
(``tests/test_layers.py`` checks it, and that there is no import cycle):

- :mod:`pipeline.errors`: the one exception hierarchy;
- the model: :mod:`pipeline.layers` (one module per layer kind), :mod:`pipeline.spec` (slugs <->
  :class:`~pipeline.spec.Architecture`) and :mod:`pipeline.architectures` (Architecture -> layer list ->
  :class:`~pipeline.architectures.base.Parametrization`);
- :mod:`pipeline.algebra`: pure algebra over QQ and GF(p) (no clock, processes or files);
- :mod:`pipeline.engines`: Macaulay2, msolve, point counting, mod-p evaluation, budgets, process control;
- :mod:`pipeline.invariants`: one spec module per invariant, the mathematics in ``invariants/methods``;
- :mod:`pipeline.execution`: jobs under a budget, records and their contract, sweep configurations;
- :mod:`pipeline.reporting`: tables, figures, the summary page, the published results;
- the interfaces: :mod:`pipeline.cli`, :mod:`pipeline.notebook_kernel`.
"""

__version__ = "0.1.0"

import logging as _logging

# A library configures no logging: the entry points do (pipeline.execution.logs).
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
