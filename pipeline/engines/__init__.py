"""Engines: the programs and arithmetic that do the heavy work, and the control of their processes.

Macaulay2 (:mod:`~pipeline.engines.m2`, through files), msolve (:mod:`~pipeline.engines.msolve`),
point counting with a named engine (:mod:`~pipeline.engines.points`: Singular in Sage, msolve,
Macaulay2), vectorized mod-``p`` evaluation of networks (:mod:`~pipeline.engines.modp`), the job's
time budget (:mod:`~pipeline.engines.budget`) and process containment and budgeted sub-steps
(:mod:`~pipeline.engines.processes`).
"""
