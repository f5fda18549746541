"""neuromanifold: invariants of neuromanifolds of polynomial neural networks.

Layers (pure mathematics inside, I/O at the edges):

- :mod:`pipeline.spec`: architecture slugs <-> :class:`~pipeline.spec.Architecture`;
- :mod:`pipeline.architectures`: Architecture -> :class:`~pipeline.architectures.base.Parametrization`;
- :mod:`pipeline.invariants`: Parametrization -> value dictionaries (no file I/O);
- :mod:`pipeline.execution.records`, :mod:`pipeline.execution.runner`: result records, time limits, versions;
- :mod:`pipeline.reporting.tables`: records -> CSV, Markdown and LaTeX tables;
- :mod:`pipeline.engines.m2`: the Macaulay2 binary, driven through files.
"""

__version__ = "0.1.0"
