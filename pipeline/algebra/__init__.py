"""Pure algebra over ``QQ`` and ``GF(p)``: the lowest layer above the model.

Functions on Sage polynomials, rings and matrices and on numpy arrays mod ``p``: primes and
random points (:mod:`~pipeline.algebra.modular`), expansion of a parametrization into its
coordinate polynomials and their Jacobians (:mod:`~pipeline.algebra.symbolic`), gauge fixing
(:mod:`~pipeline.algebra.gauge`), slices and linear eliminations (:mod:`~pipeline.algebra.slices`),
counting standard monomials (:mod:`~pipeline.algebra.counting`). No clock, no processes, no files:
what needs a time limit or an external program lives in :mod:`pipeline.engines`.
"""
