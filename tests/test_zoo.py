"""Networks as compositions of layers: the new families against theorems and independent methods,
the old slugs against the published records of the old code, network files against their slugs."""

import json

import pytest
from conftest import REPO

from pipeline.architectures import canonical_architecture, name_network, parametrization
from pipeline.architectures.files import read_network, slug_of_file
from pipeline.engines.modp import evaluate_network
from pipeline.invariants.methods.dimension import dimension
from pipeline.spec import parse_slug

PUBLISHED = REPO / "results" / "default" / "invariants"


def dim(slug, method="auto"):
    return dimension(parametrization(slug), method=method, seed=3)["dim"]


# -- the old slugs are shorthands for layer lists: records as before -------------------------------

def published(invariant):
    return [json.loads(path.read_text()) for path in sorted(PUBLISHED.glob(f"*/{invariant}.json"))]


@pytest.mark.parametrize("record", [r for r in published("dimension") if r["status"] == "ok"], ids=lambda r: r["arch"])
def test_every_default_architecture_keeps_its_published_dimension_record(record):
    """The published records were computed before the layers existed; the composed parametrization
    gives the same value with the same seed and method."""
    settings = record["settings"]
    again = dimension(parametrization(record["arch"]), method=settings["method"], seed=settings["seed"])
    assert again == record["value"]


@pytest.mark.parametrize("slug", ["linear_w4-3-2-4", "mlp_w2-3-2_r2_bias", "cnn_k3-2_s2-1_r3", "attn_d2-2-1_a1-1_t2"])
def test_a_family_slug_and_its_layer_list_are_the_same_map(slug):
    arch = parse_slug(slug)
    module_net = __import__(f"pipeline.architectures.{ {'attn': 'attention'}.get(arch.family, arch.family)}",
                            fromlist=["to_network"]).to_network(arch)
    assert name_network(module_net) == slug  # the layer list is recognized as the family's
    twin = parametrization(module_net.slug)  # the net_ slug: composed with no family at all
    family = parametrization(slug)
    assert twin.parameter_names == family.parameter_names
    assert (twin.symmetry_group_dim, twin.discrete_order, twin.degree) == (
        family.symmetry_group_dim, family.discrete_order, family.degree)
    import numpy as np

    rng = np.random.default_rng(0)
    p = 1000003
    weights = family.split(rng.integers(0, p, family.params))
    samples = rng.integers(0, p, (4,) + family.input_shape)
    a, Ja = evaluate_network(family, weights, samples, p)
    b, Jb = evaluate_network(twin, weights, samples, p)
    assert (a == b).all() and (Ja == Jb).all()


# -- theorems and closed forms --------------------------------------------------------------------

@pytest.mark.parametrize("n,L,r", [(3, 2, 2), (4, 2, 2), (3, 3, 2), (5, 2, 3)])
def test_cyclic_group_cnn_dimension_is_L_times_n_minus_one_plus_one(n, L, r):
    """Hendi-Persson-Larfors 2026: polynomial cyclic-group CNNs have dimension L (n - 1) + 1."""
    assert dim(f"gcnn_c{n}_l{L}_r{r}") == L * (n - 1) + 1


@pytest.mark.parametrize("slug", ["cnn_k2-2_s1-1_p0-1-1", "cnn_k3-2_s1-1_p1-1-1", "cnn_k2-2_s1-1_p0-1-0-1"])
def test_cnn_with_a_generic_activation_is_generically_one_to_one(slug):
    """Shahverdi-Marchetti-Kohn 2025 (arXiv 2505.11846): with a generic polynomial activation the CNN
    parametrization is generically one-to-one, so the dimension is the number of filter taps."""
    assert dim(slug) == parametrization(slug).params


@pytest.mark.parametrize("slug", ["mlp_w2-2-1_p0-1-1-1", "mlp_w3-2-1_p1-0-1-1", "mlp_w2-2-2_p0-1-0-1"])
def test_mlp_with_a_generic_cubic_activation_is_finitely_identifiable(slug):
    """Same paper: for a sufficiently generic activation the generic fiber is finite, so dim = params
    (here below the ambient dimension); the finite fiber is the known permutations and sign flips."""
    param = parametrization(slug)
    assert param.params < param.ambient_dim
    assert dim(slug) == param.params


def test_multi_head_attention_with_one_head_is_the_single_head_network():
    for slug in ("attn_d2-1_a2_t2", "attn_d2-2-1_a1-1_t2"):
        one_head = slug + "_h" + "-".join("1" for _ in parse_slug(slug).keys)
        a, b = parametrization(slug), parametrization(one_head)
        assert a.parameter_names == b.parameter_names and a.symmetry_group == b.symmetry_group
        assert dimension(a, seed=1) == dimension(b, seed=1)


def test_residual_block_with_one_hidden_neuron_is_a_translate_of_the_plain_image():
    """x + V s(U x) with one hidden neuron: the image of x |-> V s(U x) (mlp_w2-1-2), translated by the
    identity, so the same dimension and degree (of the projective closure)."""
    from pipeline.invariants.methods.degree import degree

    for r in (2, 3):
        residual, plain = parametrization(f"res_d2_h1_r{r}"), parametrization(f"mlp_w2-1-2_r{r}")
        assert dimension(residual, seed=1)["dim"] == dimension(plain, seed=1)["dim"]
        assert degree(residual, seed=1)["degree"] == degree(plain, seed=1)["degree"]


@pytest.mark.parametrize("slug", ["gcnn_c3_l2_r2", "res_d2_h2_r2", "mlp_w2-2-1_p0-1-1-1", "attn_d2-1_a1_t2_h2"])
def test_dimension_methods_agree_on_the_new_families(slug):
    assert dim(slug, "symbolic") == dim(slug, "evaluation")


@pytest.mark.parametrize("slug", ["gcnn_c3_l2_r2", "res_d2_h1_r3", "mlp_w2-2-1_p0-1-0-1"])
def test_fiber_backends_agree_and_the_composed_symmetries_explain_the_fiber(slug):
    from pipeline.invariants.methods.fiber import fiber

    values = [fiber(parametrization(slug), method=backend, seed=2) for backend in ("singular", "msolve")]
    assert values[0]["finite_count"] == values[1]["finite_count"] == values[0]["explained"]
    assert all(v["only_known_symmetries"] is True for v in values)


def test_cyclic_shifts_are_the_discrete_symmetries_of_a_group_cnn():
    from pipeline.invariants.methods.fiber import fiber

    value = fiber(parametrization("gcnn_c4_l2_r3"), seed=1)
    assert value["discrete_group"] == "C_4 (cyclic shifts)"
    assert value["finite_count"] == value["explained"] == 4 and value["only_known_symmetries"] is True


# -- network files ------------------------------------------------------------------------------

def test_a_network_file_and_its_slug_twin_give_the_same_values(tmp_path):
    path = tmp_path / "net.yaml"
    path.write_text("input: 2\nlayers:\n  - dense: 2\n  - activation: [0, 1, 0, 1]\n  - dense: 1\n")
    assert slug_of_file(path) == "mlp_w2-2-1_p0-1-0-1"
    from_file = dimension(parametrization(canonical_architecture(read_network(path))), seed=1)
    assert from_file == dimension(parametrization("mlp_w2-2-1_p0-1-0-1"), seed=1)


def test_a_network_no_family_covers_is_named_by_its_layer_list(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text("input: 2\nlayers:\n  - dense: 2\n  - activation: [0, 1, 1]\n"
                    "  - residual: {hidden: 1, activation: [0, 0, 1]}\n")
    slug = slug_of_file(path)
    assert slug == "net_i2_dense2_p0-1-1_res1p0-0-1"
    assert parse_slug(slug).slug == slug and parametrization(slug).params == 2 * 2 + 2 * 2
