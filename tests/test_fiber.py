"""Generic fibers: dimension, symmetries, finite counts against closed forms and each other."""

from math import factorial, prod

import numpy as np
import pytest
from sage.all import GF, matrix

from pipeline.algebra.symbolic import SageOps, expand, jacobian_at
from pipeline.architectures import parametrization
from pipeline.invariants.methods.dimension import dimension
from pipeline.invariants.methods.fiber import fiber

SMALL = ["linear_w2-1-2", "linear_w3-2-3", "linear_w2-3-2", "linear_w4-3-2-4", "mlp_w2-2-1_r2", "mlp_w2-2-1_r3",
         "mlp_w3-2-1_r3", "mlp_w2-2-1_r2_bias", "cnn_k2-2_s1-1_r2", "cnn_k3-2_s2-1_r3", "cnn_k2-2_s1-1_r1",
         "attn_d2-1_a2_t2", "attn_d2-1_a1_t2", "attn_d3-2_a2_t2", "attn_d2-2_a1_t3"]


@pytest.mark.parametrize("slug", SMALL)
def test_fiber_dimension_is_params_minus_dimension(slug):
    param = parametrization(slug)
    value = fiber(param, seed=3)
    assert value["dim"] == param.params - dimension(param, seed=17)["dim"]
    assert value["symmetry_tangents_in_kernel"]


@pytest.mark.parametrize("widths", [(2, 1, 2), (3, 2, 3), (4, 2, 3), (3, 2, 2, 3), (5, 3, 4)])
def test_linear_fiber_is_one_gl_orbit(widths):
    value = fiber(parametrization("linear_w" + "-".join(map(str, widths))), seed=5)
    assert value["symmetries_span"]
    assert value["finite_count"] == value["explained"] == 1
    assert value["only_known_symmetries"]


def test_lightning_attention_fiber_fully_explained():
    value = fiber(parametrization("attn_d2-1_a2_t2"), seed=7)
    assert value["dim"] == 5 and value["symmetries_span"]
    assert value["finite_count"] == value["explained"] == 1
    assert value["only_known_symmetries"] and value["witness"] is None


@pytest.mark.parametrize("slug", ["cnn_k2-2_s1-1_r2", "cnn_k3-2_s1-1_r2", "cnn_k2-3_s1-1_r3", "cnn_k3-3_s2-1_r3",
                                  "cnn_k2-2-2_s1-1-1_r2", "cnn_k2-2_s1-1_r3"])
def test_polynomial_cnn_fibers_are_rescalings(slug):
    """Shahverdi-Marchetti-Kohn (2025): for r > 1 the generic fiber is the rescaling orbit."""
    value = fiber(parametrization(slug), seed=2)
    assert value["finite_count"] is not None
    assert value["finite_count"] == value["explained"]
    assert value["only_known_symmetries"]


@pytest.mark.parametrize("filters", [(3, 2), (2, 2, 2), (3, 3), (2, 3, 2)])
def test_linear_cnn_fiber_counts_factorizations(filters):
    """r = 1, strides 1: the end-to-end polynomial (degree D = sum(k_i - 1), distinct roots) factors
    into factors of degrees k_i - 1 in D! / prod (k_i - 1)! ways; rescalings explain one of them."""
    slug = f"cnn_k{'-'.join(map(str, filters))}_s{'-'.join('1' for _ in filters)}_r1"
    value = fiber(parametrization(slug), seed=4)
    degrees = [k - 1 for k in filters]
    assert value["finite_count"] == factorial(sum(degrees)) // prod(factorial(d) for d in degrees)
    assert value["explained"] == 1


@pytest.mark.parametrize("widths", [(2, 2, 1), (3, 2, 1), (3, 3, 1), (2, 2, 2), (4, 2, 2)])
def test_cubic_mlp_fiber_is_permutations(widths):
    value = fiber(parametrization(f"mlp_w{'-'.join(map(str, widths))}_r3"), seed=6)
    assert value["symmetries_span"]
    assert value["explained"] == factorial(widths[1])
    assert value["finite_count"] == value["explained"]


@pytest.mark.parametrize("slug", ["mlp_w2-2-1_r2", "mlp_w3-2-1_r2", "mlp_w2-3-2_r2"])
def test_quadratic_mlp_has_hidden_orthogonal_symmetry(slug):
    """x |-> sum c_j (l_j x)^2 is invariant under the orthogonal group of diag(c): a continuous
    symmetry beyond rescalings. The witness is a fiber tangent outside the known algebra."""
    param = parametrization(slug)
    value = fiber(param, seed=8)
    assert not value["symmetries_span"] and not value["only_known_symmetries"]
    assert value["witness"]["kind"] == "tangent"
    p, theta0 = value["primes"][0], np.array(value["point"])
    K = GF(p)
    vector = matrix(K, [[int(v)] for v in value["witness"]["vector"]])
    J = jacobian_at(expand(param, base_ring=K), theta0, p)
    assert (matrix(K, J.tolist()) * vector).is_zero()  # tangent to the fiber
    T = matrix(K, param.tangent_matrix(param.split(theta0), p).tolist())
    assert T.stack(vector.transpose()).rank() == T.rank() + 1  # not a known symmetry


def _network_at(param, theta, X, field):
    blocks = param.split(np.array(theta, dtype=object))
    weights = {b.name: matrix(field, b.rows, b.cols, [int(v) for v in blocks[b.name].reshape(-1)])
               for b in param.blocks}
    return param.network(SageOps(field), weights, matrix(field, X.tolist()))


def test_unexplained_attention_point_is_in_the_fiber():
    """d' = a = 1: <VX, KX> QX is symmetric in V and K, a hidden discrete symmetry; the witness
    point computes the same function as theta0 (checked on random inputs) and differs from it."""
    param = parametrization("attn_d2-1_a1_t2")
    value = fiber(param, seed=2)
    assert value["finite_count"] == 2 and value["explained"] == 1
    witness = value["witness"]["point"]
    assert witness is not None and witness != value["point"]
    K = GF(value["primes"][0])
    for X in np.random.default_rng(1).integers(1, 10**6, size=(3,) + param.input_shape):
        assert _network_at(param, witness, X, K) == _network_at(param, value["point"], X, K)


def test_counting_backends_agree():
    for slug in ["cnn_k3-2_s1-1_r1", "attn_d2-1_a1_t2", "mlp_w2-2-1_r3"]:
        counts = {b: fiber(parametrization(slug), method=b, seed=9)["finite_count"]
                  for b in ("singular", "msolve", "macaulay2")}
        assert len(set(counts.values())) == 1, (slug, counts)


def test_msolve_leading_ideal_count_equals_singular_vdim():
    """The msolve backend counts standard monomials of msolve's leading ideal; Singular's and
    Macaulay2's counts come from their own Groebner bases. Random dense systems, with
    multiplicities, with a positive-dimensional and an empty zero set."""
    from pipeline.algebra.modular import polynomial_ring
    from pipeline.engines.points import count_points

    rng = np.random.default_rng(3)
    K = GF(1000003)
    R = polynomial_ring(K, ["a", "b", "c", "d"])
    a, b, c, d = R.gens()
    monomials = [m for m in (R.gens() + tuple(u * v for u in R.gens() for v in R.gens()))]

    def random_quadric():
        return sum(K(int(rng.integers(1, 1000003))) * m for m in monomials) + K(int(rng.integers(1, 1000003)))

    systems = [[random_quadric() for _ in range(4)],
               [random_quadric() for _ in range(3)] + [(a - 1) ** 3],
               [a ** 2, b ** 3 - a * c, c ** 2 - d, d ** 2 + a * b],
               [random_quadric() for _ in range(3)],
               [a * b - 1, a * b - 2, c, d]]
    counts = [tuple(count_points(s, b) for b in ("singular", "msolve", "macaulay2")) for s in systems]
    assert all(len(set(c)) == 1 for c in counts), counts
    assert counts[0][0] == 16 and counts[3][0] is None and counts[4][0] == 0


@pytest.mark.parametrize("widths", [(3, 2, 3), (4, 2, 3), (5, 3, 4), (4, 3, 4)])
def test_bottleneck_neuron_stratum_rank(widths):
    """Removing a bottleneck neuron: the differential of (W1, W2) |-> W2 W1 at a pair of rank r - 1
    has rank (r - 1)(k0 + k2 - r + 1) (column space and row space of dimension r - 1)."""
    r = widths[1]
    value = fiber(parametrization("linear_w" + "-".join(map(str, widths))), seed=1)
    (stratum,) = value["jacobian_strata"]
    assert stratum["rank"] == (r - 1) * (widths[0] + widths[2] - r + 1)
    assert stratum["drop"] == value["image_dim"] - stratum["rank"] > 0
    assert stratum["subnetwork"] == f"linear_w{widths[0]}-{r - 1}-{widths[2]}"


def test_attention_smaller_key_dimension_is_critical():
    value = fiber(parametrization("attn_d2-1_a2_t2"), seed=1)
    (stratum,) = value["jacobian_strata"]
    assert stratum["subnetwork"] == "attn_d2-1_a1_t2" and stratum["drop"] > 0
