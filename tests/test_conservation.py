"""The conservation invariant against independent truths.

- Two-layer linear nets ``x |-> W2 W1 x`` with hidden width ``r`` have exactly ``r(r+1)/2``
  independent laws, the entries of ``W1 W1^T - W2^T W2`` (Marcotte, Gribonval, Peyre 2023).
- A shallow ``x^r`` MLP has one law per hidden neuron, ``||w_in||^2 - r ||w_out||^2``.
- The brackets by truncated Taylor arithmetic equal, vector for vector, the brackets of the
  expanded polynomial vector fields (an independent computation in Sage).
- Two different primes give the same count; the explicit laws stay constant along an integrated
  gradient flow to the solver's tolerance while the loss moves.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.algebra.modular import random_residues
from pipeline.architectures import parametrization
from pipeline.invariants.methods.conservation import (
    FLOW,
    SymbolicFields,
    conservation,
    loss_and_gradient,
    nested_bracket_jets,
    symmetric_span,
    watch_flow,
)


@pytest.mark.parametrize("n, r, m", [(2, 1, 2), (2, 2, 2), (2, 3, 2), (3, 2, 3), (4, 3, 2), (3, 4, 3)])
def test_two_layer_linear_nets_have_r_r_plus_1_over_2_laws(n, r, m):
    value = conservation(parametrization(f"linear_w{n}-{r}-{m}"), seed=3, flow=False)
    assert value["count"] == r * (r + 1) // 2
    assert value["explicit"] == value["count"] and value["complete"] is True
    k = min(r, n, m)
    assert value["dim"] == k * (n + m - k)  # matrices of rank k, the first level of the trace


@pytest.mark.parametrize("slug, hidden, r", [("mlp_w2-2-1_r2", 2, 2), ("mlp_w2-3-1_r3", 3, 3),
                                             ("mlp_w3-2-1_r2", 2, 2), ("mlp_w2-3-2_r2", 3, 2)])
def test_shallow_power_nets_have_one_law_per_hidden_neuron(slug, hidden, r):
    value = conservation(parametrization(slug), seed=2, flow=False)
    assert value["count"] == hidden and value["explicit"] == hidden
    assert all(f"- {r}*W2_" in law for law in value["laws"])


def test_the_largest_target_meets_its_closed_form_within_a_minute():
    """``linear_w10-5-10``: 100 parameters, 15 laws; the count and the check of every law."""
    import time

    start = time.monotonic()
    value = conservation(parametrization("linear_w10-5-10"), seed=1, flow=False)
    assert time.monotonic() - start < 60
    assert value["count"] == 15 and value["explicit"] == 15 and value["laws_conserved"] == 15


@pytest.mark.parametrize("slug", ["mlp_w2-2-1_r3", "attn_d2-1_a2_t2", "cnn_k2-2_s1-1_r2", "mlp_w2-2-1_r2_bias"])
def test_jet_brackets_equal_the_brackets_of_the_expanded_fields(slug):
    param, p = parametrization(slug), 999983
    rng = np.random.default_rng(5)
    theta = random_residues(rng, p, param.params)
    samples = random_residues(rng, p, (param.ambient_dim // param.n_outputs + 2,) + param.input_shape)
    symbolic = SymbolicFields(param, samples, p)
    for length in (1, 2, 3):
        seeds = [random_residues(rng, p, (len(samples),) + param.output_shape) for _ in range(length)]
        jets = nested_bracket_jets(param, seeds, theta[None, :], samples, p)[0]
        assert jets.any()
        assert np.array_equal(jets % p, symbolic.nested(seeds, theta) % p)


@pytest.mark.parametrize("slug", ["linear_w3-2-3", "mlp_w2-2-2-1_r2", "attn_d2-1_a2_t2", "cnn_k2-2-2_s1-1-1_r2"])
def test_the_two_methods_and_two_primes_agree(slug):
    param = parametrization(slug)
    jets, symbolic = (conservation(param, method=m, seed=4, flow=False) for m in ("jets", "symbolic"))
    assert jets["agree"] and len(set(jets["primes"])) == 2
    assert jets["count"] == symbolic["count"] and jets["levels"] == symbolic["levels"]


@pytest.mark.parametrize("slug", ["linear_w3-2-3", "mlp_w2-2-1_r3", "cnn_k3-3_s2-1_r3", "attn_d2-2-2_a1-1_t2"])
def test_explicit_laws_hold_along_the_flow_while_the_loss_moves(slug):
    flow = conservation(parametrization(slug), seed=1)["flow"]
    assert flow["success"]
    assert flow["max_law_drift"] < 1e3 * FLOW["rtol"]
    assert flow["loss_change"] > 1e-2  # the flow went somewhere: the drift is small against a real change


def test_a_quantity_that_is_not_a_law_drifts():
    """The drift check is not vacuous: ``||theta||^2`` (not conserved) drifts in the same measurement."""
    param = parametrization("linear_w3-2-3")
    flow = watch_flow(param, [np.eye(param.params, dtype=np.int64)], seed=1)
    assert flow["success"] and flow["max_law_drift"] > 1e-3


def test_dependent_generators_give_each_law_once():
    A, B = np.array([[1, 0], [0, -2]]), np.array([[0, 1], [-1, 0]])
    laws, span = symmetric_span([A, 2 * A, B])
    assert span == 2 and len(laws) == 1 and np.array_equal(laws[0], A)


def test_loss_gradient_matches_finite_differences():
    param = parametrization("mlp_w2-2-1_r2_bias")
    rng = np.random.default_rng(1)
    inputs, targets, theta = rng.normal(size=(5, 2, 1)), rng.normal(size=(5, 1, 1)), rng.normal(size=param.params)
    _, gradient = loss_and_gradient(param, theta, inputs, targets)
    step = 1e-6
    numeric = [(loss_and_gradient(param, theta + step * e, inputs, targets)[0]
                - loss_and_gradient(param, theta - step * e, inputs, targets)[0]) / (2 * step)
               for e in np.eye(param.params)]
    assert np.allclose(gradient, numeric, rtol=1e-6, atol=1e-8)
