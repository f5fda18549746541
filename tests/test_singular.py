"""Singular loci against closed forms, theorems, and each other (Macaulay2 vs Singular)."""

import json
import subprocess
from math import factorial

import pytest
from conftest import BIN

from pipeline.architectures import parametrization
from pipeline.invariants.methods.implicit import implicit_ideal
from pipeline.invariants.methods.real_position import unreached_share
from pipeline.invariants.methods.singular import singular
from pipeline.reporting.tables import table_rows


def determinantal(m: int, n: int, r: int) -> tuple[int, int]:
    """(dimension, degree) of the m x n matrices of rank <= r (Harris, Example 19.10)."""
    dim = r * (m + n - r)
    numerator, denominator = 1, 1
    for i in range(n - r):
        numerator *= factorial(i) * factorial(m + i)
        denominator *= factorial(r + i) * factorial(m - r + i)
    return dim, numerator // denominator


def non_vertex(value):
    return [c for c in value["components"] if c["type"] != "vertex"]


def test_determinantal_formula():
    assert determinantal(3, 3, 2) == (8, 3) and determinantal(3, 3, 1) == (5, 6) and determinantal(3, 4, 2) == (10, 6)


@pytest.mark.parametrize("slug,m,n,r", [
    ("linear_w3-2-3", 3, 3, 2), ("linear_w4-2-3", 3, 4, 2), ("linear_w3-2-4", 4, 3, 2),
    ("linear_w4-3-4", 4, 4, 3), ("linear_w3-2-2-3", 3, 3, 2), ("linear_w2-1-3", 3, 2, 1),
    ("linear_w3-1-3", 3, 3, 1),
])
def test_linear_singular_locus_is_the_narrower_bottleneck(slug, m, n, r):
    # Singular's minAssGTZ needs minutes on the 4 x 4 determinant's locus, Macaulay2 a second
    value = singular(parametrization(slug), method="macaulay2" if slug == "linear_w4-3-4" else "singular", seed=1)
    assert value["searched_from_dim"] == 0  # complete: every component found
    components = non_vertex(value)
    vertex = [c for c in value["components"] if c["type"] == "vertex"]
    assert len(vertex) == 1 and vertex[0]["multiplicity"] == determinantal(m, n, r)[1]
    if r == 1:  # rank <= 0 is the origin: only the vertex
        assert components == []
        return
    (component,) = components
    assert (component["dim"], component["degree"]) == determinantal(m, n, r - 1)
    # a subnetwork with one bottleneck narrowed to r - 1 (any of them, for several bottlenecks)
    widths = [int(w) for w in slug.split("_w")[1].split("-")]
    sub = [int(w) for w in component["subnetwork"].split("_w")[1].split("-")]
    assert sub[0] == widths[0] and sub[-1] == widths[-1] and min(sub) == r - 1
    assert sum(a != b for a, b in zip(sub, widths)) == 1
    assert component["type"] == "critical"
    if slug in ("linear_w3-2-3", "linear_w4-3-4"):  # hypersurface: a determinant, double along rank r - 1
        assert component["multiplicity"] == 2


@pytest.mark.parametrize("slug,m,n,r", [("linear_w3-2-3", 3, 3, 2), ("linear_w4-2-3", 3, 4, 2),
                                         ("linear_w3-2-2-3", 3, 3, 2), ("linear_w2-1-3", 3, 2, 1)])
def test_linear_branch_locus_is_the_rank_deficient_matrices(slug, m, n, r):
    """(W_L, ..., W_1) |-> W_L ... W_1 is critical exactly where the product has rank < r, and every
    matrix of rank < r is a critical value: the image of the critical locus is the determinantal
    variety of rank <= r - 1, and the singular component (that variety) consists of critical values."""
    value = singular(parametrization(slug), seed=2, real=False)
    locus = value["critical_locus"]
    assert locus["status"] == "ok", locus
    genuine = [c for c in locus["components"] if c["gauge_artifact"] is False]
    assert genuine and max(c["image_dim"] for c in genuine) == determinantal(m, n, r - 1)[0]
    for component in non_vertex(value):
        assert component["critical_value_in_slice"] is True and component["type"] == "critical"


def assert_regular_meeting_of_loci(component):
    """A node in the sense of Shahverdi-Marchetti-Kohn (subnetwork loci meeting, mu regular there): never
    ``critical``; ``fiber`` only when the gauged fiber shows the extra points, else ``undetermined`` with the
    loci recorded (their meeting alone is not taken as proof)."""
    assert component["type"] in ("fiber", "undetermined"), component
    if component["type"] == "undetermined":
        assert len(component["subnetwork_loci"]) >= 2 and "not verified" in component["type_note"]
    else:
        evidence = component["fiber_points"]
        assert evidence["distinct"] > evidence["generic"] and evidence["points"] == evidence["distinct"]


def test_node_of_a_polynomial_cnn_is_not_a_critical_value():
    """The singular line of cnn_k2-2_s1-1_r2 is a node (two regular branches, Shahverdi-Marchetti-Kohn):
    its general point has no critical preimage, and the critical locus maps to lower dimension."""
    value = singular(parametrization("cnn_k2-2_s1-1_r2"), seed=2, real=False)
    (component,) = non_vertex(value)
    assert component["critical_value_in_slice"] is False
    assert_regular_meeting_of_loci(component)
    assert value["critical_locus"]["status"] == "ok"
    assert all(c["image_dim"] < component["dim"] for c in value["critical_locus"]["components"])


def test_attention_singular_locus_and_its_real_position():
    param = parametrization("attn_d2-1_a2_t2")
    value = singular(param, seed=1)
    (component,) = non_vertex(value)
    assert component["dim"] == 4 and value["dim"] == 5
    assert component["subnetwork"] == "attn_d2-1_a1_t2"
    real = component["real_position"]
    assert real["position"] in ("boundary", "interior", "mixed") and real["samples"] >= 2
    # cross-check by independent sampling: real points of the closure on random lines, with and
    # without real preimages. A boundary inside the closure needs unreached real points.
    ideal, _ = implicit_ideal(param, "singular", 1, "rational")
    share = unreached_share(param, ideal, seed=2, lines=8)
    assert share["real_points"] > 0
    if real["position"] == "interior":
        assert share["unreached"] == 0
    else:
        assert share["unreached"] > 0


@pytest.mark.parametrize("slug", ["cnn_k2-2_s1-1_r2", "cnn_k2-2_s2-1_r2"])
def test_polynomial_cnn_singularities_are_subnetworks(slug):
    """Shahverdi-Marchetti-Kohn 2025: the singular points are subnetworks (node type, mu regular there)."""
    value = singular(parametrization(slug), seed=1)
    assert value["searched_from_dim"] == 0
    components = non_vertex(value)
    if slug == "cnn_k2-2_s1-1_r2":  # overlapping filters: (w1 on x1 x2, w2 on x2 x3) meet on the x2^2 line
        assert [(c["dim"], c["degree"]) for c in components] == [(1, 1)]
    for component in components:
        assert component["subnetwork"] is not None
        assert_regular_meeting_of_loci(component)


def test_components_left_as_points_on_the_slice_are_subnetworks():
    """cnn k3-2 (two slices): the singular points on the slice are all explained by subnetwork images
    (Shahverdi-Marchetti-Kohn 2025), so the search is complete from dimension 2 on."""
    value = singular(parametrization("cnn_k3-2_s1-1_r2"), seed=0, real=False)
    assert value["slices"] == 2 and value["unassigned_singular_points"] == 0 and value["searched_from_dim"] == 2
    components = non_vertex(value)
    assert components and all(c["dim"] == 2 and c["subnetwork"] is not None for c in components)
    for component in components:  # two subnetwork loci meet: a node, verified or undetermined
        assert_regular_meeting_of_loci(component)


# default-sweep architectures with singular components (and one linear space); Macaulay2's minimalPrimes needs
# minutes on linear 4-2-3 (Singular: seconds), so that one runs with the slow tests
SWEEP_SAMPLE = ["linear_w2-1-2", "linear_w3-2-3", pytest.param("linear_w4-2-3", marks=pytest.mark.slow),
                "linear_w3-2-2-3", "mlp_w3-2-1_r2", "cnn_k2-2_s1-1_r2", "cnn_k2-2_s2-1_r1", "attn_d2-1_a2_t2",
                "attn_d2-1_a1_t2", "mlp_w2-2-1_r2"]


@pytest.mark.parametrize("slug", SWEEP_SAMPLE)
def test_macaulay2_and_singular_agree(slug):
    """Same slice and prime (same seed), minimal primes by the two systems: same (dim, degree)."""
    m2 = singular(parametrization(slug), method="macaulay2", seed=3, real=False)
    sage = singular(parametrization(slug), method="singular", seed=3, real=False)
    key = lambda v: sorted((c["dim"], c["degree"]) for c in v["components"])  # noqa: E731
    assert key(m2) == key(sage)


# slices of dimension 2 or 3 (the compressed way's reach), each meeting the singular locus
@pytest.mark.parametrize("slug,k", [("linear_w3-2-3", 5), ("linear_w3-2-2-3", 5), ("linear_w2-1-3", 1),
                                    ("cnn_k2-2_s1-1_r2", 1), ("cnn_k2-2_s2-1_r2", 1),
                                    pytest.param("cnn_k3-2_s1-1_r2", 2, marks=pytest.mark.slow),  # all minors: 90 s
                                    ("attn_d2-1_a1_t2", 1)])
def test_compressed_jacobian_criterion_has_the_minimal_primes_of_all_minors(slug, k):
    """d + 1 determinants det(B J C) (msolve) and all minors (Singular): the same minimal primes, as ideals."""
    import numpy as np
    from sage.all import GF

    from pipeline.algebra.modular import polynomial_ring
    from pipeline.invariants.methods.singular import AffineSlice, jacobian_ideal, sliced_generators

    ideal_qq, details = implicit_ideal(parametrization(slug), "singular", 1, "rational")
    s, dim = details["span_dim"], details["dim"]
    ring = polynomial_ring(GF(1000003), [f"c{i + 1}" for i in range(s)])
    rng = np.random.default_rng(5)
    slice_ = AffineSlice(ring, k, rng)
    generators = sliced_generators(ring.ideal([ring(g) for g in ideal_qq.gens()]), slice_)
    primes = {}
    for compressed in (True, False):
        basis = jacobian_ideal(generators, s - dim, dim - k, rng, compressed=compressed)
        primes[compressed] = slice_.small.ideal(basis).minimal_associated_primes()
    assert primes[True], "every one of these has a singular point on the slice"
    assert len(primes[True]) == len(primes[False])
    assert all(any(P == Q for Q in primes[False]) for P in primes[True])


def test_linear_space_has_no_singular_component():
    value = singular(parametrization("mlp_w2-2-1_r2"), seed=1)
    assert value["components"] == [] and "linear space" in value["note"]


def test_cli_prints_components_and_table_has_a_row_each(tmp_path):
    done = subprocess.run([str(BIN / "neuromanifold"), "compute", "linear_w3-2-3", "--invariants", "singular",
                           "--json", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    record = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
    components = record["value"]["components"]
    for component in components:
        assert {"dim", "degree", "multiplicity", "subnetwork", "type", "real_position"} <= set(component)
    assert {c["type"] for c in components} == {"critical", "vertex"}
    rows = table_rows("singular", [record])
    assert len(rows) == len(components) and rows[0]["subnetwork"] == "linear_w3-1-3"


# -- the subnetwork test (method "subnetworks", and below searched_from_dim) ---------------------------------


@pytest.mark.parametrize("slug,m,n,r", [
    ("linear_w3-2-3", 3, 3, 2), ("linear_w4-2-3", 3, 4, 2), ("linear_w3-2-2-3", 3, 3, 2),
    ("linear_w4-3-2-4", 4, 4, 2), ("linear_w5-3-5", 5, 5, 3),  # the last two: beyond the Jacobian criterion at 60 s
])
def test_subnetwork_test_finds_the_rank_deficient_matrices(slug, m, n, r):
    """Rank <= r - 1 inside rank <= r: dimension and degree (Harris 19.10); the multiplicity along it is that of
    the rank <= 1 matrices of size (m - r + 1) x (n - r + 1) at their vertex (the local product structure)."""
    value = singular(parametrization(slug), method="subnetworks", seed=2)
    assert value["complete"] is False and value["searched_from_dim"] is None
    (component,) = non_vertex(value)
    assert (component["dim"], component["degree"]) == determinantal(m, n, r - 1)
    assert component["multiplicity"] == determinantal(m - r + 1, n - r + 1, 1)[1]
    assert component["found_by"] == "subnetwork test" and component["type"] == "critical"
    assert min(int(w) for w in component["subnetwork"].split("_w")[1].split("-")) == r - 1
    # the wider subnetworks (rank r again) were tested and found smooth
    assert all(t["singular"] == (t["jacobian_rank"] < m * n - determinantal(m, n, r)[0])
               for t in value["subnetworks_tested"])


@pytest.mark.parametrize("slug", ["linear_w3-2-3", "linear_w4-2-3", "cnn_k2-2_s1-1_r2", "cnn_k2-2_s2-1_r2"])
def test_subnetwork_test_agrees_with_the_jacobian_criterion(slug):
    """Where the criterion is complete and every component is a subnetwork image, the subnetwork test finds the
    same components: degree by a witness count against the minimal prime's, multiplicity by an intersection
    count on a curve section against the tangent cone's degree."""
    criterion = singular(parametrization(slug), method="singular", seed=4, real=False)
    tested = singular(parametrization(slug), method="subnetworks", seed=4, real=False)
    assert criterion["complete"] and all(c["subnetwork"] for c in non_vertex(criterion))
    key = lambda v: sorted((c["dim"], c["degree"], c["multiplicity"], c["subnetwork"], c["type"])  # noqa: E731
                           for c in v["components"])
    assert key(criterion) == key(tested)
    for component in non_vertex(criterion):  # the two multiplicities on the same component
        assert component["tangent_cone_degree"] == component["multiplicity"]


def test_auto_falls_back_to_the_subnetwork_test(tmp_path):
    """linear 4-3-2-4: the Jacobian criterion runs out of its half of a 20 s budget, the subnetwork test answers."""
    from pipeline.execution.runner import compute_record

    record = compute_record("linear_w4-3-2-4", "singular", timeout=20)
    assert [(a["method"], a["status"]) for a in record["attempts"]] == [("singular", "timeout"), ("subnetworks", "ok")]
    assert record["status"] == "ok" and record["certificate"]["complete"] is False
    rows = table_rows("singular", [record])
    assert [(row["component_dim"], row["found_by"], row["searched_from_dim"]) for row in rows] == [
        (7, "subnetwork test", ""), (0, "cone vertex", "")]
