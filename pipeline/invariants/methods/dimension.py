"""Dimension of the neuromanifold: generic rank of the Jacobian of ``mu``.

Two methods, each run with two primes and two seeds (certificate ``modular``):

``symbolic``
    expand the coordinate polynomials in Sage and evaluate their Jacobian at a
    random point of ``GF(p)^N``, ``p`` a random prime in ``[2^30, 2^31)``;
``numerical``
    Macaulay2's ``numericalImageDim`` (NumericalImplicitization) on the expanded
    coordinates, an independent check (certificate ``numerical``);
``evaluation``
    never expand: evaluate ``theta |-> (f_theta(x_1), ..., f_theta(x_S))`` at random
    samples ``x_s`` and differentiate in reverse mode mod ``p`` (a random prime in
    ``[2^19, 2^20)``). With ``S >= min(N, m)`` generic samples, ``m`` the number of
    monomials of one output, evaluation is injective on the projection of the
    tangent space to every output (its dimension is at most ``min(N, m)``), hence on
    the tangent space, so the rank equals the dimension for generic choices.

A rank mod ``p`` at any point is at most the generic rank over ``QQ``, so the
reported ``dim`` (the larger of the two ranks) is a lower bound that equals the
dimension unless both random choices were special (probability about ``dim/p`` each).

The expected dimension is ``params`` minus the dimension of the generic orbit of
the known symmetry group (the rank of its Lie-algebra tangents at the same random
point), capped by the span dimension (or the ambient one); ``defect`` is
``expected_dim - dim``.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> v = dimension(parametrization("linear_w4-2-3"), method="symbolic", seed=1)
    >>> v["dim"], v["expected_dim"], v["params"], v["span_dim"], v["defect"]
    (10, 10, 14, 12, 0)
    >>> dimension(parametrization("attn_d2-1_a2_t2"), method="evaluation", seed=1)["dim"]
    5
"""

from __future__ import annotations

import numpy as np

from pipeline.algebra.modular import (
    EVALUATION_PRIME_RANGE,
    SYMBOLIC_PRIME_RANGE,
    choose_prime,
    random_residues,
    rank_mod_p,
)
from pipeline.engines.modp import evaluate_many, evaluate_network
from pipeline.errors import InvariantTooLarge, lookup

#: Above this size the span dimension is not computed by the evaluation method.
SPAN_LIMIT = 3000

#: Above this many entries the symmetry tangent matrix is not formed.
TANGENT_LIMIT = 4 * 10**7

#: Above this many entries the evaluation Jacobian is not formed (about 8 bytes each, several copies).
JACOBIAN_LIMIT = 10**8


#: Calibration of :func:`estimated_seconds` on the reference machine (2 cores): seconds per term of the
#: expansion (both runs), per multiply-add of the evaluation method, and the start-up costs.
COST_MODEL = {"sage_import": 1.2, "per_term": 4e-5, "per_multiply_add": 4e-8, "evaluation_start": 0.05}


def estimated_seconds(param, runs: int = 2) -> dict:
    """Estimated wall-clock seconds of the ``symbolic`` and ``evaluation`` methods on ``param``.

    ``symbolic``: importing Sage (counted always, so that the choice does not depend on what the
    process imported before) plus a cost per term of the
    expansion (:func:`~pipeline.algebra.cost.expansion_terms`, an upper bound); ``evaluation``: a
    cost per multiply-add of the forward and backward passes on the samples, of the span's
    evaluations and of the ranks (:func:`~pipeline.algebra.cost.evaluation_work`).

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> cost = estimated_seconds(parametrization("mlp_w2-4-3-4-4-1_r2"))
        >>> cost["evaluation"] < 1 < cost["symbolic"]
        True
    """
    from pipeline.algebra.cost import evaluation_work, expansion_terms

    model = COST_MODEL
    symbolic = model["sage_import"] + model["per_term"] * expansion_terms(param) * (1 + param.params / 100)
    S, N, forward = samples_needed(param), param.params, evaluation_work(param)
    span = (param.ambient_dim + 2) * (monomials_per_output(param) + 2) * forward if param.ambient_dim <= SPAN_LIMIT else 0
    rank = S * param.n_outputs * N * min(S * param.n_outputs, N)
    evaluation = model["evaluation_start"] + model["per_multiply_add"] * runs * (3 * S * forward + span + rank / 10)
    return {"symbolic": float(f"{symbolic:.3g}"), "evaluation": float(f"{evaluation:.3g}")}


def choose_method(param) -> tuple[str, dict]:
    """The method of lower :func:`estimated_seconds`, and the estimates.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> choose_method(parametrization("mlp_w2-7-3-5-6-4-1_r2"))[0], choose_method(parametrization("linear_w3-2-3"))[0]
        ('evaluation', 'evaluation')
    """
    estimates = estimated_seconds(param)
    return min(estimates, key=estimates.get), estimates


def symmetry_rank(param, weights: dict, p: int):
    """Rank mod ``p`` of the symmetry tangents at ``weights`` and how it was obtained."""
    if param.symmetry_group_dim * param.params > TANGENT_LIMIT:
        return None, f"not computed: tangent matrix over {TANGENT_LIMIT:.0e} entries"
    rng = np.random.default_rng(p)
    return rank_mod_p(param.tangent_matrix(weights, p), p, rng), "rank of Lie-algebra tangents at the random point"


def _symbolic_run(param, rng, p, state):
    from pipeline.algebra.symbolic import expand, jacobian_at

    if "coords" not in state:
        state["coords"] = expand(param)
        state["table"] = state["coords"].term_table()
    coords, table = state["coords"], state["table"]
    point = random_residues(rng, p, param.params)
    rank = rank_mod_p(jacobian_at(coords, point, p, table), p) if coords.polynomials else 0
    exponents, coefficients, rows = table
    span = _span_rank(exponents, coefficients, rows, len(coords.polynomials), p)
    return rank, span, point, {"coordinates": len(coords.polynomials)}


def _span_rank(exponents, coefficients, rows, n_coords, p):
    from sage.all import GF, matrix

    from pipeline.algebra.symbolic import residues

    if n_coords == 0:
        return 0
    columns = {}
    entries = {}
    for exp, c, row in zip(map(tuple, exponents), residues(coefficients, p), rows):
        col = columns.setdefault(exp, len(columns))
        entries[(int(row), col)] = int(c)
    return int(matrix(GF(p), n_coords, len(columns), entries, sparse=True).rank())


def monomials_per_output(param) -> int:
    return param.ambient_dim // param.n_outputs


def samples_needed(param) -> int:
    """Number of sample inputs for the evaluation method: ``min(N, m) + 2`` (module docstring).

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> samples_needed(parametrization("linear_w50-100-100-50"))
        52
    """
    return min(param.params, monomials_per_output(param)) + 2


def _evaluation_run(param, rng, p, state):
    point = random_residues(rng, p, param.params)
    weights = param.split(point)
    S = samples_needed(param)
    entries = S * param.n_outputs * param.params
    if entries > JACOBIAN_LIMIT:
        raise InvariantTooLarge(
            f"the evaluation Jacobian of {param.slug} would have {entries:.2e} entries (limit {JACOBIAN_LIMIT:.0e}); "
            "choose a smaller architecture"
        )
    samples = random_residues(rng, p, (S,) + param.input_shape)
    _, J = evaluate_network(param, weights, samples, p)
    rank = rank_mod_p(J, p, rng)
    span = None
    if param.ambient_dim <= SPAN_LIMIT and state.get("span", True):
        span = _evaluation_span(param, rng, p)
    return rank, span, point, {"samples": S}


def jacobian_rank(param, seed: int = 0, runs: int = 2) -> dict:
    """Only the dimension, by the evaluation method (no span, no symmetries): the fast path of searches.

    The same random choices as :func:`dimension` with ``method="evaluation"``, so the same ``dim``.

    EXAMPLES::

        >>> from pipeline.architectures import parametrization
        >>> jacobian_rank(parametrization("mlp_w2-3-4-5-4-6-4-1_r2"), seed=1)["dim"]   # filling: 65 = ambient
        65
    """
    ranks, primes = [], []
    for i in range(runs):
        rng = np.random.default_rng(seed + i)
        p = choose_prime(rng, *EVALUATION_PRIME_RANGE)
        ranks.append(_evaluation_run(param, rng, p, {"span": False})[0])
        primes.append(p)
    return {"dim": max(ranks), "ranks": ranks, "primes": primes, "seeds": [seed + i for i in range(runs)],
            "agree": len(set(ranks)) == 1}


def _evaluation_span(param, rng, p):
    """Rank of ``[f_theta_i(x_s)]`` over ``ambient + 2`` random points and ``m + 2`` samples.

    ``m + 2`` generic samples make evaluation injective on all forms of the output
    degree, so the rank is the dimension of the span of the image.
    """
    count = param.ambient_dim + 2
    samples = random_residues(rng, p, (monomials_per_output(param) + 2,) + param.input_shape)
    points = random_residues(rng, p, (count, param.params))
    values = evaluate_many(param, param.split(points), samples, p)
    return rank_mod_p(values.reshape(count, -1), p, rng)


METHODS = {
    "symbolic": (_symbolic_run, SYMBOLIC_PRIME_RANGE),
    "evaluation": (_evaluation_run, EVALUATION_PRIME_RANGE),
    "numerical": (None, None),
}


def numerical_dimension(param, seed: int = 0, timeout: float | None = None) -> dict:
    """Dimension by Macaulay2's ``numericalImageDim`` (floating point, random point seeded by ``seed``)."""
    from pipeline.algebra.symbolic import expand
    from pipeline.engines.m2 import coordinates_job, run_m2_script

    result = run_m2_script("image_dimension", coordinates_job(expand(param), seed=seed), timeout=timeout)
    return {
        "dim": int(result["dim"]),
        "expected_dim": None,
        "ambient_dim": param.ambient_dim,
        "span_dim": None,
        "params": param.params,
        "defect": None,
        "method": "numerical",
        "tool": "Macaulay2 NumericalImplicitization numericalImageDim",
        "seeds": [seed],
        "tolerances": "numericalImageDim defaults",
    }


def dimension(param, method: str = "auto", seed: int = 0, runs: int = 2, span: bool = True) -> dict:
    """Return the dimension record value of the neuromanifold of ``param``.

    INPUT:

    - ``param``: a :class:`~pipeline.architectures.base.Parametrization`;
    - ``method``: ``symbolic``, ``evaluation`` or ``auto`` (:func:`choose_method`: the lower estimated
      cost; the estimates are recorded in ``cost_estimates``);
    - ``seed``: run ``i`` uses ``numpy.random.default_rng(seed + i)``;
    - ``runs``: number of independent primes and points (two by default);
    - ``span``: with ``False``, the evaluation method skips the span dimension (``span_dim`` null, the
      expected dimension capped by the ambient one): the fast path of batches.

    OUTPUT: a dictionary with ``dim``, ``expected_dim``, ``ambient_dim``,
    ``span_dim``, ``params``, ``defect``, ``symmetry_dim``, the per-run ranks, the
    primes and whether the runs agree.
    """
    choice = {}
    if method == "auto":
        method, estimates = choose_method(param)
        choice = {"cost_estimates": estimates, "method_choice": "auto: the lower estimated cost (seconds)"}
    lookup(METHODS, method, "dimension method")
    if method == "numerical":
        return numerical_dimension(param, seed=seed)
    run, (low, high) = METHODS[method]
    state, ranks, spans, sym_ranks, primes, details = {"span": span}, [], [], [], [], {}
    sym_method = None
    for i in range(runs):
        rng = np.random.default_rng(seed + i)
        p = choose_prime(rng, low, high)
        rank, span, point, details = run(param, rng, p, state)
        sym_p = choose_prime(rng, *EVALUATION_PRIME_RANGE)
        sym_rank, sym_method = symmetry_rank(param, param.split(point % sym_p), sym_p)
        ranks.append(rank)
        spans.append(span)
        sym_ranks.append(sym_rank)
        primes.append(p)
    dim = max(ranks)
    span_dim = None if any(s is None for s in spans) else max(spans)
    symmetry_dim = None if None in sym_ranks else min(sym_ranks)
    cap = span_dim if span_dim is not None else param.ambient_dim
    expected = None if symmetry_dim is None else min(param.params - symmetry_dim, cap)
    return {
        "dim": dim,
        "expected_dim": expected,
        "ambient_dim": param.ambient_dim,
        "span_dim": span_dim,
        "params": param.params,
        "defect": None if expected is None else expected - dim,
        "symmetry_dim": symmetry_dim,
        "symmetry_group": param.symmetry_group,
        "symmetry_group_dim": param.symmetry_group_dim,
        "symmetry_dim_method": sym_method,
        "method": method,
        "ranks": ranks,
        "primes": primes,
        "seeds": [seed + i for i in range(runs)],
        "agree": len(set(ranks)) == 1 and len(set(spans)) == 1,
        **details,
        **choice,
    }
