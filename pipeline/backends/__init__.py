"""Backends: Sage in process (:mod:`~pipeline.backends.symbolic`), numeric
mod-p evaluation (:mod:`~pipeline.backends.modp`) and the Macaulay2 binary
(:mod:`~pipeline.backends.m2`)."""
