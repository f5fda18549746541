"""The mathematics of the invariants: each module holds the methods of one invariant (or helpers
of one), imported by the invariant's spec module in :mod:`pipeline.invariants` when it computes.

They use the pure algebra (:mod:`pipeline.algebra`) and the engines (:mod:`pipeline.engines`),
and import Sage at the top, which is why the specs, which the workflow and the CLI read without
computing, do not import them until they are called.
"""
