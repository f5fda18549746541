"""Networks as compositions of layers: the new families against theorems and independent methods,
the old slugs against the published records of the old code, network files against their slugs."""

import json

import numpy as np
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


P = 1000003


def sigma(z, coefficients):
    return sum(c * z**i for i, c in enumerate(coefficients)) % P


def circulant(w):
    n = len(w)
    return np.array([[w[(g - h) % n] for h in range(n)] for g in range(n)], dtype=object)


def by_hand(slug, w, x):
    """The network written out from its definition (docs/slugs.md), with Python integers mod P."""
    arch = parse_slug(slug)
    coefficients = getattr(arch, "poly", ()) or (0,) * getattr(arch, "r", 1) + (1,)
    if arch.family == "mlp":
        h = x
        for i in range(1, arch.layers + 1):
            h = w[f"W{i}"].dot(h) + (w[f"b{i}"] if arch.bias else 0)
            h = sigma(h, coefficients) if i < arch.layers else h % P
        return h
    if arch.family == "attn":
        X = x
        for i, heads in enumerate(arch.head_counts, start=1):
            names = [("", )] if heads == 1 else [(f"h{j}",) for j in range(1, heads + 1)]
            X = sum(w[f"V{i}{s}"].dot(X).dot(X.T).dot(w[f"K{i}{s}"].T).dot(w[f"Q{i}{s}"]).dot(X)
                    for (s,) in names) % P
        return X
    if arch.family == "res":
        h = x
        for i in range(1, arch.layers + 1):
            h = (h + w[f"V{i}"].dot(sigma(w[f"U{i}"].dot(h), coefficients))) % P
        return h
    if arch.family == "gcnn":
        h = x
        for i in range(1, arch.layers + 1):
            h = circulant(w[f"w{i}"][0]).dot(h)
            h = sigma(h, coefficients) if i < arch.layers else h % P
        return h
    raise ValueError(slug)


@pytest.mark.parametrize("slug", ["mlp_w2-3-2_r2_bias", "mlp_w3-2-1_p1-m2-0-3", "attn_d2-2-1_a1-1_t2",
                                  "attn_d3-1_a2_t2_h2", "attn_d2-2-1_a2-1_t2_h3-2", "res_d3_h2-1_p0-1-1",
                                  "gcnn_c4_l3_r2", "gcnn_c3_l2_p1-1-1"])
def test_the_composed_network_is_the_network_of_its_definition(slug):
    """The layer composition against the networks written out by hand from their definitions."""
    param = parametrization(slug)
    rng = np.random.default_rng(7)
    weights = param.split(rng.integers(0, 1000, param.params))
    samples = rng.integers(0, 1000, (3,) + param.input_shape)
    values, _ = evaluate_network(param, weights, samples, P, with_jacobian=False)
    exact = {name: block.astype(object) for name, block in weights.items()}
    for sample, value in zip(samples, values):
        assert (by_hand(slug, exact, sample.astype(object)) % P == value).all()


@pytest.mark.parametrize("slug", ["linear_w4-3-2-4", "mlp_w2-3-2_r2_bias", "cnn_k3-2_s2-1_r3", "attn_d2-2-1_a1-1_t2",
                                  "res_d2_h2-1_r2", "gcnn_c3_l2_p0-1-1"])
def test_a_family_layer_list_is_recognized_and_its_net_slug_round_trips(slug):
    arch = parse_slug(slug)
    module = {"attn": "attention", "res": "residual"}.get(arch.family, arch.family)
    net = __import__(f"pipeline.architectures.{module}", fromlist=["to_network"]).to_network(arch)
    assert name_network(net) == slug and parse_slug(net.slug).slug == net.slug


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


def test_multi_head_attention_with_one_head_is_the_published_single_head_network():
    """``_h1`` against the records the single-head code published before heads existed."""
    for slug in ("attn_d2-1_a2_t2", "attn_d2-2-1_a1-1_t2"):
        one_head = slug + "_h" + "-".join("1" for _ in parse_slug(slug).keys)
        record = json.loads((PUBLISHED / slug / "dimension.json").read_text())
        again = dimension(parametrization(one_head), method=record["settings"]["method"], seed=record["settings"]["seed"])
        assert again == record["value"]


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


@pytest.mark.parametrize("slug", ["res_d2_h1_r2", "gcnn_c2_l2_r2", "mlp_w2-2-1_p1-0-1", "attn_d2-1_a1_t2_h2"])
def test_real_critical_points_of_the_new_families_are_among_the_complex_ones(slug):
    """critical_real and voronoi run on the new families; the real critical points on the full-rank real
    image of each data point are among the complex critical points, so at most the generic ED degree."""
    from pipeline.invariants.methods.critical import ed_degree
    from pipeline.invariants.methods.real_critical import critical_real, voronoi

    param = parametrization(slug)
    bound = ed_degree(param, seed=1)["ed_degree"]
    counts = critical_real(param, samples=3, seed=1)["counts"]
    assert len(counts) == 3 and all(0 <= count <= bound for count in counts)
    assert voronoi(param, samples=3, seed=1)["samples"] == 3


def test_a_new_layer_kind_is_one_class_and_one_registration(monkeypatch, tmp_path):
    """docs/networks.md#a-new-layer-kind: a tied linear layer ``h -> W^T W h`` (``W`` of size ``k x width``),
    written here as one Layer subclass and registered in LAYER_KINDS only, works in net_ slugs, network files
    and the invariants. Its image on R^3 with k = 2 is the symmetric 3 x 3 matrices of rank at most 2,
    of dimension 2 * 3 - 1 = 5."""
    import re
    from dataclasses import dataclass

    from pipeline.layers import LAYER_KINDS, Block, Layer

    @dataclass(frozen=True)
    class Tied(Layer):
        rank: int
        key = "tied"
        json_schema = {"type": "integer", "minimum": 1}

        def token(self):
            return f"tied{self.rank}"

        @classmethod
        def from_token(cls, text, slug):
            match = re.fullmatch(r"tied([1-9][0-9]*)", text)
            return None if match is None else cls(int(match[1]))

        @classmethod
        def from_yaml(cls, value, where):
            return cls(value)

        def blocks(self, index, width):
            return [Block(f"T{index}", self.rank, width)]

        def forward(self, ops, weights, h, index, width):
            W = weights[f"T{index}"]
            return ops.matmul(ops.transpose(W), ops.matmul(W, h))

    monkeypatch.setitem(LAYER_KINDS, "tied", Tied)
    assert dim("net_i3_tied2") == 5
    path = tmp_path / "tied.yaml"
    path.write_text("input: 3\nlayers:\n  - tied: 2\n")
    assert slug_of_file(path) == "net_i3_tied2"
    assert parse_slug("net_i3_tied2_p0-0-1_dense1").slug == "net_i3_tied2_p0-0-1_dense1"
