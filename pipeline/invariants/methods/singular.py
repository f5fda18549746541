"""Singular locus of the neurovariety: its components, their subnetworks, types and real position.

ALGORITHM (over ``GF(p)``, ``p`` a random prime in ``[2^28, 2^29)`` chosen by the seed):

1. The implicit ideal ``I`` in the span coordinates ``c1 .. cs`` (:mod:`pipeline.invariants.methods.implicit`,
   exact over ``QQ``), reduced mod ``p``; ``c = s - dim`` is its codimension. ``I = 0``: the
   neurovariety is a linear space, smooth, with no singular component.
2. Slice by ``k >= 1`` random affine hyperplanes (none passes through the cone's vertex).
   For a cone, ``k = 1`` is a dehomogenization and loses nothing; by Bertini, ``k > 1`` keeps
   every component of dimension ``> k``, each as an irreducible variety of dimension
   ``dim - k`` with the same degree and the same multiplicity of the neurovariety along it.
   ``k`` is the smallest number for which the Jacobian criterion has at most ``max_minors``
   minors; ``searched_from_dim`` in the value says which dimensions were searched.
3. Jacobian criterion on the slice: ``I_L`` plus the ``c x c`` minors of its Jacobian, whose
   generators are first mixed down to the number of variables by a random matrix (for a
   generic mix the rank stays ``c`` at every smooth point); minors and a Groebner basis by
   Singular. On slices of dimension ``d <= 2`` instead ``d + 1`` random combinations
   ``det(B J C)`` of the minors, with the Groebner basis by msolve (same zero set; see
   :func:`jacobian_ideal`). Points on a slice with ``k > 1`` (components of dimension ``k``)
   count as components only when subnetwork images explain all of them
   (:func:`group_points_by_subnetwork`). Minimal primes by Singular's ``minAssGTZ`` (``singular``) or Macaulay2's
   ``minimalPrimes`` (``macaulay2``), each with its dimension and degree from that system;
   ``auto`` tries Singular, then the subnetwork test of step 4' (see :data:`AUTO_CHAIN`).
4. Per component: a ``GF(p)``-point ``x`` (from a random complementary slice); the
   multiplicity of the neurovariety at ``x`` (:func:`multiplicity_along`: the intersection number
   at ``x`` of a random curve section through ``x`` with a random hyperplane through ``x``, by
   msolve); where a standard basis in a local order finishes, also the tangent cone's degree
   (``tangent_cone_degree``, the same number) and its number of components
   (``tangent_cone_components``, an upper bound for the local branches seen by it).
4'. The subnetwork test (:func:`verified_subnetwork_images`): the Jacobian of ``I`` at a random
   point of each subnetwork image (step 6); the singular images that lie in no larger singular
   one are components (``found_by: subnetwork test``), with their degree from a witness count on
   the subnetwork's map (:func:`locus_degree`). It fills in the dimensions below
   ``searched_from_dim``, and is the whole of method ``subnetworks`` (the fallback of ``auto``
   where the criterion runs out): sound, but blind to singular components that are no
   subnetwork image, so such values say ``complete: false`` and ``searched_from_dim: None``.
5. The cone point (the origin) is singular on every cone that is not a linear space: type
   ``vertex``, multiplicity the degree of the neurovariety.
6. Subnetwork: every subnetwork locus of the family and every union of two
   (:func:`pipeline.architectures.base.subnetworks`) is mapped into the same coordinates;
   its image closure ``Z`` (elimination after gauge fixing) labels the component ``C`` when
   ``dim Z = dim C`` and ``Z`` cut by the same slice equals ``C``'s prime (ideal equality).
7. Type: the fiber of the gauged parametrization over ``x``. Positive-dimensional or not
   reduced (more points with multiplicity than without), or the Jacobian of the
   parametrization drops rank on the labelling subnetwork locus: ``critical`` (``x`` is a
   critical value: cusp-like, a candidate for the boundary of the real picture). Reduced
   with more points than over a general point: ``fiber`` (several smooth branches meet:
   node-like). Empty in the slice, and empty without any gauge (a Groebner basis in all the
   parameters, :func:`ungauged_fiber_is_empty`): ``closure`` (``x`` is a limit of the image, not
   in it); empty in the slice only: ``undetermined``. Otherwise ``undetermined`` (several
   subnetwork loci mapping onto the component are recorded in ``type_note``, not taken as
   proof). The counts are in ``fiber_points``.
   Independently, the critical locus of the gauged parametrization (components in the slice,
   the dimensions of their images, gauge artifacts flagged) and the membership of ``x`` in its
   image, the branch locus (:mod:`pipeline.invariants.methods.branch`, for slices with at most
   ``MAX_FREE_PARAMETERS`` parameters, under ``critical_locus_seconds``): ``critical_value_in_slice``
   per component, ``critical_locus`` in the value. Membership is a second, independent proof of
   ``critical`` (a critical preimage in the slice also makes the gauged fiber non-reduced or
   positive-dimensional); non-membership proves nothing (the slice misses orbits where a gauge
   block drops rank, and undetermined or artifact components do not count).
8. Real position (lightning attention, hypersurface case; see :func:`real_position`).

Certificate ``modular``: one prime, recorded with the seed; the slices, mixes and points
are random over ``GF(p)``, so the result holds outside a set of small probability.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> v = singular(parametrization("linear_w3-2-3"), seed=1)
    >>> [(c["dim"], c["degree"], c["multiplicity"], c["subnetwork"], c["type"]) for c in v["components"]]
    [(5, 6, 2, 'linear_w3-1-3', 'critical'), (0, 1, 3, None, 'vertex')]
"""

from __future__ import annotations

from math import comb, factorial

import numpy as np
from sage.all import GF, jacobian

from pipeline.algebra.gauge import gauge_polynomials, homogeneous_weights, span_basis
from pipeline.algebra.modular import GROEBNER_PRIME_RANGE, choose_prime, polynomial_ring
from pipeline.algebra.slices import rational_point, restrict_to_slice
from pipeline.algebra.symbolic import Coordinates, expand
from pipeline.architectures.base import subnetworks
from pipeline.errors import InvariantTooLarge, lookup
from pipeline.invariants.methods.implicit import eliminate_sage, implicit_ideal

#: Seconds for the critical locus of the parametrization and the branch membership of the components.
CRITICAL_LOCUS_SECONDS = 20

#: Seconds for the multiplicity at one point (:func:`multiplicity_along`: 2 s on the cnn ``2-2-2``,
#: over 4 min on the cnn ``4-3``, whose 501 generators are dense on the curve section), and again for
#: its tangent cone (a standard basis in a local order: 4 s on the cnn ``k3-2`` slice at one of its
#: singular points, more than a minute at the other).
MULTIPLICITY_SECONDS = 10

#: At most this many c x c minors in the Jacobian criterion (more slices are taken otherwise):
#: for quadratic generators (linear Jacobian entries) and for higher degrees, where each minor costs more.
MAX_MINORS = {2: 20000, "higher": 1500}

#: The compressed Jacobian criterion (:func:`jacobian_ideal`) only where its determinants (degree ``D``)
#: on the ``d``-dimensional slice have ``D^d`` at most this. Measured with msolve: ``D^d = 225``
#: (cnn ``k3-2``, ``d = 2``) 1 s; 324 (lightning attention ``d2-2_a1_t3``) 13 s; 512 (linear
#: ``4-3-2-4``, ``d = 3``) 100 s; 3375 (cnn ``k3-2``, ``d = 3``) over 5 min; and on the linear ``3-1-3``
#: (``d = 4``, 256) no basis in 5 min, where the 4900 minors take a second: only ``d <= 2``.
COMPRESSED_BEZOUT_LIMIT = 400
COMPRESSED_MAX_DIM = 2


# -- small pure helpers ---------------------------------------------------------------------


def minors_count(generators: int, variables: int, codim: int) -> int:
    """Number of ``codim x codim`` minors after mixing the generators down to ``variables`` rows.

    EXAMPLES::

        >>> minors_count(29, 9, 5), minors_count(1, 9, 1)
        (15876, 9)
    """
    rows = min(generators, variables)
    return comb(rows, codim) * comb(variables, codim)


def slices_needed(generators: int, span_dim: int, codim: int, dim: int, max_minors: int):
    """The smallest number ``k`` of affine slices (``1 <= k < dim``) within ``max_minors``, or None."""
    for k in range(1, max(dim, 2)):
        if minors_count(generators, span_dim - k, codim) <= max_minors:
            return k
    return None


def ideal_degree(ideal) -> int:
    """Degree of the (projective closure of the) variety of ``ideal``: points on a generic complementary slice."""
    ring = ideal.ring()
    d = ideal.dimension()
    if d <= 0:
        return int(ideal.vector_space_dimension()) if d == 0 else 0
    K = ring.base_ring()
    forms = [sum(K.random_element() * v for v in ring.gens()) + K.random_element() for _ in range(d)]
    return int((ideal + ring.ideal(forms)).vector_space_dimension())


def homogeneous_degree(ideal) -> int:
    """Degree of a homogeneous ideal (of its projective variety; 1 for the origin)."""
    d = ideal.dimension()
    if d == 0:
        return 1 if ideal.vector_space_dimension() > 0 else 0
    hp = ideal.hilbert_polynomial()
    return int(hp.leading_coefficient() * factorial(d - 1))


def lowest_form(f):
    """The homogeneous part of lowest degree of a polynomial."""
    low = min(m.degree() for m in f.monomials())
    return sum(c * m for c, m in zip(f.coefficients(), f.monomials()) if m.degree() == low)


def tangent_cone(generators, point):
    """Generators of the tangent cone at ``point`` (a standard basis in a local order, lowest forms)."""
    ring = generators[0].parent()
    local = polynomial_ring(ring.base_ring(), ring.variable_names(), order="negdegrevlex")
    shift = [local.gen(i) + point[i] for i in range(ring.ngens())]
    moved = [f(*shift) for f in generators]
    basis = local.ideal(moved).groebner_basis()
    cone_ring = polynomial_ring(ring.base_ring(), ring.variable_names(), order="degrevlex")
    return cone_ring.ideal([cone_ring(lowest_form(g)) for g in basis if g != 0])


def multiplicity_at(generators, point) -> tuple[int, int]:
    """``(multiplicity, number of components of the tangent cone)`` of ``V(generators)`` at ``point``.

    EXAMPLES::

        >>> from sage.all import GF, PolynomialRing
        >>> R = PolynomialRing(GF(101), "x,y"); x, y = R.gens()
        >>> multiplicity_at([y**2 - x**2 - x**3], [0, 0])     # a node
        (2, 2)
        >>> multiplicity_at([y**2 - x**3], [0, 0])            # a cusp
        (2, 1)
    """
    cone = tangent_cone(list(generators), point)
    return homogeneous_degree(cone), len(cone.minimal_associated_primes())


def curve_multiplicity(generators, point, rng) -> int:
    """Multiplicity at ``point`` of the curve ``C = V(generators)`` (reduced and irreducible near it).

    A random hyperplane ``H`` through the point meets ``C`` there with intersection number the
    multiplicity: the points of ``C cap H`` (with multiplicity) minus those with ``l != 0`` for a
    random linear form ``l`` vanishing at the point. First ``C``'s ideal is saturated by another such
    form (``u l' - 1``, ``u`` eliminated), which removes a component supported at the point (an
    embedded point would add to the count) and no other. All three by msolve; a local standard
    basis for the tangent cone (:func:`multiplicity_at`) took minutes on the same curves.

    EXAMPLES::

        >>> import numpy as np
        >>> from sage.all import GF, PolynomialRing
        >>> R = PolynomialRing(GF(32003), "x,y"); x, y = R.gens()
        >>> rng = np.random.default_rng(1)
        >>> [curve_multiplicity([f], [0, 0], rng) for f in (y**2 - x**2 - x**3, y**2 - x**3, y - x**2, y**3 - x**5)]
        [2, 2, 1, 3]
        >>> curve_multiplicity([x * (y**2 - x**3), y * (y**2 - x**3)], [0, 0], rng)  # the cusp, an embedded point
        2
    """
    from pipeline.engines.msolve import eliminate
    from pipeline.engines.points import count_points

    ring = generators[0].parent()
    K = ring.base_ring()
    p = int(K.characteristic())
    names = list(ring.variable_names())
    extended = polynomial_ring(K, names + ["u_away"], order="degrevlex")
    x, u = extended.gens()[:-1], extended.gens()[-1]

    def through_point():
        return sum(K(int(a)) * (v - K(c)) for a, v, c in zip(rng.integers(1, p, len(x)), x, point))

    lift = ring.hom(list(x), extended)
    curve = eliminate([lift(g) for g in generators] + [u * through_point() - 1], [u])
    section = curve + [through_point()]
    drop_u = extended.hom(list(ring.gens()) + [ring(0)], ring)  # the section's polynomials are free of u
    return count_points([drop_u(f) for f in section], "msolve") - count_points(section + [u * through_point() - 1],
                                                                                "msolve")


def multiplicity_along(I, x, dim, rng) -> int:
    """Multiplicity of ``V(I)`` (prime, of dimension ``dim``) at the point ``x``: :func:`curve_multiplicity`
    on its section by ``dim - 1`` random hyperplanes through ``x``, a curve with the same multiplicity
    there (a general linear section through a point keeps the multiplicity)."""
    if dim <= 1:
        return curve_multiplicity(list(I.gens()), list(x), rng)
    through = AffineSlice(I.ring(), dim - 1, rng, through=x)
    return curve_multiplicity(sliced_generators(I, through), list(x)[: I.ring().ngens() - (dim - 1)], rng)


# -- the slice --------------------------------------------------------------------------------


class AffineSlice:
    """The last ``k`` span coordinates as random affine functions of the first ``s - k`` (optionally
    vanishing at a given point ``through``: random hyperplanes through it)."""

    def __init__(self, ring, k, rng, through=None):
        self.big = ring
        K = ring.base_ring()
        p = int(K.characteristic())
        s = ring.ngens()
        self.k = k
        self.small = polynomial_ring(K, list(ring.variable_names()[: s - k]), order="degrevlex")
        self.A = [[K(int(v)) for v in rng.integers(1, p, s - k)] for _ in range(k)]
        self.b = [K(int(v)) for v in rng.integers(1, p, k)]
        if through is not None:  # random hyperplanes through the point ``through`` (full coordinates)
            self.b = [K(through[s - k + i]) - sum(a * K(v) for a, v in zip(row, through)) for i, row in enumerate(self.A)]
        y = self.small.gens()
        images = list(y) + [sum(a * v for a, v in zip(row, y)) + b for row, b in zip(self.A, self.b)]
        self.restrict = ring.hom(images, self.small)

    def lift(self, point):
        """Full coordinates of a point of the slice."""
        return list(point) + [sum(a * v for a, v in zip(row, point)) + b for row, b in zip(self.A, self.b)]


def sliced_generators(ideal, slice_):
    gens = [slice_.restrict(g) for g in ideal.gens()]
    return [g for g in gens if g != 0]


def random_matrix_mod_p(field, rows: int, cols: int, rng):
    """A matrix over ``field = GF(p)`` with entries drawn from ``rng`` (reproducible by the seed)."""
    from sage.all import matrix

    p = int(field.characteristic())
    return matrix(field, rows, cols, [field(int(v)) for v in rng.integers(0, p, rows * cols)])


def jacobian_ideal(generators, codim, dim, rng, compressed=None):
    """A Groebner basis of an ideal with the zero set of ``I`` plus the ``codim x codim`` minors of its Jacobian.

    ``I`` (generated by ``generators``) is prime of dimension ``dim``. Two ways:

    - all minors (``compressed=False``): the Jacobian's rows (generators) are first mixed down
      to the number ``N`` of variables by a random matrix when there are more of them (a generic
      mix keeps the rank at every point of ``V(I)``); minors reduced modulo ``I`` by Singular's
      ``minor``, the Groebner basis by Singular;
    - compressed (``compressed=True``): ``dim + 1`` determinants ``det(B_i J C_i)`` with random
      ``B_i`` (``codim x generators``) and ``C_i`` (``N x codim``), each reduced modulo ``I``, and
      the Groebner basis by msolve (F4). By Cauchy-Binet each determinant is a combination of
      the minors, so all vanish on the singular locus. At a smooth point ``x`` the pairs with
      ``det(B J(x) C) = 0`` form a hypersurface of the pairs, so the pairs that vanish at some
      smooth point of the ``dim``-dimensional ``V(I)`` have dimension at most ``dim`` less than
      ``dim + 1`` pairs: ``dim + 1`` random pairs leave no smooth point. Same zero set, and on
      the cnn ``k3-2`` slice 2 s instead of 80 s (3 determinants instead of 441 minors).

    The first ``dim`` determinants alone cut ``V(I)`` in up to ``D^dim deg V(I)`` points (``D`` their
    degree), through which the Groebner basis must go before the last one removes them, so
    ``compressed=None`` takes the compressed way only on slices of dimension at most
    ``COMPRESSED_MAX_DIM`` with ``D^dim <= COMPRESSED_BEZOUT_LIMIT`` and fewer determinants than minors.

    EXAMPLES::

        >>> import numpy as np
        >>> from sage.all import GF
        >>> from pipeline.algebra.modular import polynomial_ring
        >>> R = polynomial_ring(GF(32003), ["x", "y", "z"])
        >>> x, y, z = R.gens()
        >>> rng = np.random.default_rng(1)
        >>> umbrella = [x**2 - y**2*z]              # Whitney's umbrella, singular along the z-axis
        >>> basis = jacobian_ideal(umbrella, 1, 2, rng, compressed=True)
        >>> R.ideal(basis).radical() == R.ideal([x, y]) == R.ideal(jacobian_ideal(umbrella, 1, 2, rng, compressed=False)).radical()
        True
    """
    from sage.libs.singular.function import singular_function

    ring = generators[0].parent()
    K = ring.base_ring()
    n = ring.ngens()
    J = jacobian(generators, ring.gens())
    if compressed is None:
        degree = codim * (max(g.degree() for g in generators) - 1)
        compressed = (dim <= COMPRESSED_MAX_DIM and dim + 1 < minors_count(J.nrows(), n, codim)
                      and degree**dim <= COMPRESSED_BEZOUT_LIMIT)
    base = ring.ideal(generators)
    standard = ring.ideal(base.groebner_basis())
    minor = singular_function("minor")

    def minors_mod_I(matrix_):
        matrix_.set_immutable()  # Singular's attributes are keyed by hashable arguments
        # reduced modulo I; "isSB" tells Singular the ideal is a standard basis (else it warns on stdout)
        return [m for m in minor(matrix_, codim, standard, attributes={standard: {"isSB": 1}}) if m != 0]

    if not compressed:
        if J.nrows() > n:
            J = random_matrix_mod_p(K, n, J.nrows(), rng) * J
        return list((base + ring.ideal(minors_mod_I(J))).groebner_basis())
    from pipeline.engines.msolve import groebner_basis

    determinants = []
    for _ in range(dim + 1):
        B, C = random_matrix_mod_p(K, codim, J.nrows(), rng), random_matrix_mod_p(K, n, codim, rng)
        determinants += minors_mod_I(B * J * C)
    return groebner_basis(list(standard.gens()) + determinants)


def singular_primes_sage(basis, rng):
    """Minimal primes of the ideal of ``basis``, with (dim, degree), by Singular (``minAssGTZ``)."""
    ring = basis[0].parent()
    primes = ring.ideal(basis).minimal_associated_primes()
    return [(int(P.dimension()), ideal_degree(P), P) for P in primes]


def singular_primes_macaulay2(basis, rng, timeout=None):
    """Minimal primes of the ideal of ``basis``, with (dim, degree), by Macaulay2 (``minimalPrimes``)."""
    from pipeline.engines.m2 import from_m2_polynomials, m2_polynomials, run_m2_script

    ring = basis[0].parent()
    job = {"nvars": ring.ngens(), "characteristic": int(ring.characteristic()), "codim": 0,
           "polynomials": m2_polynomials(basis, ring), "seed": int(rng.integers(1, 2**31))}
    result = run_m2_script("singular_locus", job, timeout=timeout)
    return [(int(prime["dim"]), int(prime["degree"]), ring.ideal(from_m2_polynomials(prime["generators"], ring)))
            for prime in result["primes"]]


BACKENDS = {"singular": singular_primes_sage, "macaulay2": singular_primes_macaulay2}
#: The method that skips the Jacobian criterion and tests the subnetwork images one by one
#: (:func:`add_subnetwork_components`): fast, but it cannot see a singular component that is no
#: subnetwork image, so its records say ``complete: false``.
SUBNETWORK_METHOD = "subnetworks"
METHODS = ("auto",) + tuple(BACKENDS) + (SUBNETWORK_METHOD,)
#: ``auto`` in the runner: the Jacobian criterion with Singular, and where it runs out of its half of
#: the budget, the subnetwork test (an incomplete but sound answer). Macaulay2 only when asked for
#: (``macaulay2``; the cross-check of the minimal primes): where Singular runs out it did too in the
#: default sweep (linear ``4-3-2-4``: in 74 s, complete only from dimension 9, it finds the vertex;
#: the subnetwork test finds the rank <= 1 component in 1 s).
AUTO_CHAIN = ("singular", SUBNETWORK_METHOD)

#: Seconds for the degree of one subnetwork component (:func:`locus_degree`) and for its few generators.
SUBNETWORK_DEGREE_SECONDS = 20


# -- subnetworks, fibers, types ------------------------------------------------------------------


def subnetwork_images(param, coords, basis, generic_rank, rng, p):
    """One dict per subnetwork locus: ``label``, ``slug``, ``dim`` of its image, its ``zeros`` (parameter
    indices), its restricted basis coordinates ``polys`` over ``free_ring``, the Jacobian ``rank_drop``
    of ``mu`` on it, and ``ideal`` (its image closure, computed on demand by :func:`subnetwork_ideal`).
    """
    from pipeline.algebra.modular import (
        EVALUATION_PRIME_RANGE,
        random_residues,
        rank_mod_p,
    )
    from pipeline.algebra.symbolic import jacobian_at
    from pipeline.invariants.methods.fiber import rank_on_locus

    field = coords.ring.base_ring()
    evaluation_prime = choose_prime(rng, *EVALUATION_PRIME_RANGE)
    index = {name: i for i, name in enumerate(param.parameter_names)}
    out = []
    for label, slug, zeros in subnetworks(param):
        positions = {index[_entry_name(param, block, row, col)]: 0 for block, entries in zeros.items()
                     for row, col in entries}
        free_ring, polys = restrict_to_slice([coords.polynomials[i] for i in basis], positions, field)
        live = [f for f in polys if f != 0]
        if not live or free_ring.is_field():
            continue
        sub = Coordinates(free_ring, [""] * len(live), live)
        sub_dim = rank_mod_p(jacobian_at(sub, random_residues(rng, p, free_ring.ngens()), p), p)
        drop = generic_rank - rank_on_locus(param, zeros, rng, evaluation_prime)
        out.append({"label": label, "slug": slug, "dim": sub_dim, "zeros": positions, "polys": polys,
                    "free_ring": free_ring, "rank_drop": drop, "ideal": None})
    return out


def _entry_name(param, block_name, row, col):
    block = next(b for b in param.blocks if b.name == block_name)
    return block.entry_names()[row][col]


def subnetwork_ideal(entry, target_ring, rng, p):
    """The ideal of the image closure of a subnetwork locus, in the span coordinates (cached in ``entry``)."""
    if entry["ideal"] is not None:
        return entry["ideal"]
    live = [i for i, f in enumerate(entry["polys"]) if f != 0]
    zero_coords = [target_ring.gen(i) for i in range(target_ring.ngens()) if i not in live]
    ring = entry["free_ring"]
    coords = Coordinates(ring, [""] * len(live), [ring(entry["polys"][i]) for i in live])
    free_ring, images, _, dim, _ = gauge_polynomials(coords, list(range(len(live))), rng, p)
    # the image fills the span of its live coordinates: nothing to eliminate
    gens = [] if dim == len(live) else eliminate_sage(free_ring, images, homogeneous_weights(images))
    if gens:
        to_target = gens[0].parent().hom([target_ring.gen(i) for i in live], target_ring)
        gens = [to_target(g) for g in gens]
    entry["ideal"] = target_ring.ideal(gens + zero_coords)
    return entry["ideal"]


def random_point_of(entry, rng, p) -> list:
    """A random ``GF(p)``-point of a subnetwork image, in the span coordinates: its map at random weights."""
    K = GF(p)
    weights = [K(int(v)) for v in rng.integers(1, p, entry["free_ring"].ngens())]
    return [K(f(*weights)) if f != 0 else K(0) for f in entry["polys"]]


def in_subnetwork_image(entry, point) -> bool:
    """Whether ``point`` (span coordinates) has a preimage on the subnetwork locus ``entry``."""
    equations = [f - v for f, v in zip(entry["polys"], point)]
    equations = [e for e in equations if e != 0]
    if any(e.is_constant() for e in equations):
        return False
    return not equations or entry["free_ring"].ideal(equations).dimension() >= 0


def locus_degree(entry, rng, p) -> int:
    """Degree of a subnetwork image (its closure's projective closure): the witness count of
    :func:`pipeline.invariants.methods.degree.witness_count` on the subnetwork's map."""
    from pipeline.invariants.methods.degree import witness_count

    live = [i for i, f in enumerate(entry["polys"]) if f != 0]
    ring = entry["free_ring"]
    coords = Coordinates(ring, [""] * len(live), [ring(entry["polys"][i]) for i in live])
    return witness_count(coords, list(range(len(live))), rng, GF(p), name=entry["label"])["degree"]


def verified_subnetwork_images(I, candidates, codim, rng, p):
    """The subnetwork images along which ``V(I)`` is singular, maximal among them, equal images grouped.

    Each candidate image ``Z`` is irreducible (the image of a parameter space); at a random point
    ``z`` of ``Z`` the Jacobian of ``I`` has rank below ``codim`` exactly when (outside a set of small
    probability) ``Z`` lies in the singular locus. Going down in dimension, a singular ``Z`` joins an
    earlier group when its random point is in that group's image (the same component when the
    dimensions agree, contained in a larger one otherwise, and then no component).

    Returns ``(groups, tested)``: groups of ``dim``, ``loci`` (candidate entries) and ``point``;
    ``tested`` has one line per candidate (``label``, ``dim``, ``jacobian_rank``, ``singular``, ``contained_in``).
    """
    from pipeline.errors import BackendError

    ring = I.ring()
    K = ring.base_ring()
    J = jacobian(list(I.gens()), ring.gens())
    groups, tested = [], []
    for entry in sorted(candidates, key=lambda e: -e["dim"]):
        z = random_point_of(entry, rng, p)
        if any(g(*z) != 0 for g in I.gens()):
            raise BackendError(f"a point of the subnetwork locus {entry['label']!r} is not on the neurovariety")
        rank = int(J.apply_map(lambda f: f(*z), K).rank())
        line = {"label": entry["label"], "slug": entry["slug"], "dim": entry["dim"], "jacobian_rank": rank,
                "singular": rank < codim, "contained_in": None}
        tested.append(line)
        if rank >= codim:
            continue
        home = next((g for g in groups if in_subnetwork_image(g["loci"][0], z)), None)
        if home is None:
            groups.append({"dim": entry["dim"], "loci": [entry], "point": z})
        elif home["dim"] == entry["dim"]:
            home["loci"].append(entry)
        else:
            line["contained_in"] = home["loci"][0]["label"]
    return groups, tested


def add_subnetwork_components(add_component, I, groups, rng, p):
    """Each group of :func:`verified_subnetwork_images` a component (``found_by: subnetwork test``).

    Degree by :func:`locus_degree` and a few generators of the image's ideal, each under
    ``SUBNETWORK_DEGREE_SECONDS``; a part that runs out leaves its field None and says why in
    ``degree_status`` or ``generators_status``.
    """
    from pipeline.engines.processes import call_with_budget

    ring = I.ring()
    for group in groups:
        entry, z = group["loci"][0], group["point"]
        extra = {"found_by": "subnetwork test"}
        status, degree = call_with_budget(locus_degree, (entry, rng, p), seconds=SUBNETWORK_DEGREE_SECONDS)
        if status != "ok":
            degree, extra["degree_status"] = None, f"{status}: {degree}"
        status, generators = call_with_budget(lambda entry=entry: _few_generators(subnetwork_ideal(entry, ring, rng, p)),
                                              seconds=SUBNETWORK_DEGREE_SECONDS)
        if status != "ok":
            generators, extra["generators_status"] = [], f"{status}: {generators}"
        add_component(group["dim"], degree, generators, z, group["loci"], **extra)


def fiber_type(free_ring, images, x, generic_points):
    """``(type, fiber_points)`` from the gauged fiber over the span point ``x``."""
    K = free_ring.base_ring() if hasattr(free_ring, "base_ring") else None
    equations = [f - K(v) for f, v in zip(images, x)]
    equations = [e for e in equations if e != 0]
    if not equations:
        return "critical", {"dim": free_ring.ngens(), "points": None, "distinct": None, "generic": generic_points}
    if any(e.is_constant() for e in equations):
        return "closure", {"dim": -1, "points": 0, "distinct": 0, "generic": generic_points}
    F = free_ring.ideal(equations)
    d = F.dimension()
    if d < 0:
        return "closure", {"dim": -1, "points": 0, "distinct": 0, "generic": generic_points}
    if d > 0:
        return "critical", {"dim": int(d), "points": None, "distinct": None, "generic": generic_points}
    points = int(F.vector_space_dimension())
    distinct = int(F.radical().vector_space_dimension())
    evidence = {"dim": 0, "points": points, "distinct": distinct, "generic": generic_points}
    if points > distinct:
        return "critical", evidence
    if distinct > generic_points:
        return "fiber", evidence
    return "undetermined", evidence


def ungauged_fiber_is_empty(coords, basis, x) -> bool:
    """Whether no parameter point at all maps to the span point ``x`` (a Groebner basis over the algebraic
    closure of ``GF(p)``, every parameter free): the proof that ``x`` is only a limit of the image."""
    K = coords.ring.base_ring()
    equations = [coords.polynomials[b] - K(int(v)) for b, v in zip(basis, x)]
    return coords.ring.ideal(equations).dimension() < 0


def generic_fiber_points(free_ring, images, rng, p):
    """Points of the gauged fiber over the image of a random point of the slice (the general count)."""
    K = GF(p)
    point = [K(int(v)) for v in rng.integers(1, p, free_ring.ngens())]
    x = [f(*point) for f in images]
    return fiber_type(free_ring, images, x, 0)[1]["distinct"]


# -- the invariant -----------------------------------------------------------------------------


def singular(param, method: str = "auto", seed: int = 0, max_minors: int | None = None,
             real: bool | None = None, critical_locus_seconds: float = CRITICAL_LOCUS_SECONDS,
             multiplicity_seconds: float = MULTIPLICITY_SECONDS) -> dict:
    """The ``singular`` record value: ``components`` (see the module docstring) and how they were found.

    ``real``: decide the real position of each component (default: for lightning attention).
    ``critical_locus_seconds``: the budget of the critical locus and branch membership (step 7).
    ``multiplicity_seconds``: the budget of each multiplicity and of each tangent cone (step 4; over
    it, ``multiplicity`` is None and ``multiplicity_status`` says why, or ``tangent_cone_status``).
    """
    backend = "singular" if method == "auto" else method
    find_primes = None if backend == SUBNETWORK_METHOD else lookup(BACKENDS, backend, "singular backend")
    rng = np.random.default_rng(seed + 4241)
    p = choose_prime(rng, *GROEBNER_PRIME_RANGE)
    K = GF(p)
    ideal_qq, details = implicit_ideal(param, "singular", seed, "rational")
    s, dim = details["span_dim"], details["dim"]
    codim = s - dim
    value = {"method": backend, "primes": [p], "seeds": [seed], "span_dim": s, "dim": dim, "codim": codim,
             "implicit_generators": len(ideal_qq.gens()) if not ideal_qq.is_zero() else 0,
             "coordinates": details["coordinates"], "components": []}
    if ideal_qq.is_zero():
        value.update(slices=0, searched_from_dim=0, minors=0, complete=True,
                     note="the neurovariety is a linear space: smooth everywhere")
        return value
    ring = polynomial_ring(K, [f"c{i + 1}" for i in range(s)], order="degrevlex")
    I = ring.ideal([ring(g) for g in ideal_qq.gens()])
    homogeneous = all(g.is_homogeneous() for g in I.gens())
    m = len(I.gens())
    if find_primes is not None:
        limit = max_minors or MAX_MINORS[2 if max(g.degree() for g in I.gens()) <= 2 else "higher"]
        k = slices_needed(m, s, codim, dim, limit)
        if k is None:
            raise InvariantTooLarge(
                f"the Jacobian criterion for {param.slug} needs more than {limit} minors of size {codim} "
                f"even on a curve section ({m} generators, {s} coordinates); method {SUBNETWORK_METHOD!r} "
                f"tests the subnetwork images instead")
        slice_ = AffineSlice(ring, k, rng)
        gens_L = sliced_generators(I, slice_)
        basis_L = jacobian_ideal(gens_L, codim, dim - k, rng)
        primes = [] if basis_L == [1] else find_primes(basis_L, rng)
        value.update(slices=k, minors=minors_count(m, s - k, codim),
                     searched_from_dim=0 if (k == 1 and homogeneous) else k + 1)

    coords = expand(param, base_ring=K)
    basis = span_basis(coords)
    free_ring, images, _, _, gauge_values = gauge_polynomials(coords, basis, rng, p)
    generic_points = generic_fiber_points(free_ring, images, rng, p)
    value["generic_fiber_points"] = generic_points
    candidates = subnetwork_images(param, coords, basis, dim, rng, p)
    real = param.arch.family == "attn" if real is None else real

    sample_points = []  # (component, a general point of it in the span coordinates)
    found_loci = []  # the subnetwork loci of the components found so far

    def add_component(component_dim, degree, generators, x, loci, local=None, **extra):
        """``x``: a general point (span coordinates) or None; ``local``: ``(generators, point)`` of a
        slice through ``x``, for the multiplicity."""
        component = {"dim": component_dim, "degree": degree, "generators": generators,
                     "multiplicity": None, "tangent_cone_components": None, "subnetwork": None,
                     "subnetwork_label": None, "type": None, "fiber_points": None, "real_position": None,
                     "found_by": "jacobian criterion"}
        component.update(extra)
        found_loci.extend(loci)
        from pipeline.engines.processes import call_with_budget

        if x is not None:
            status, outcome = call_with_budget(multiplicity_along, (I, x, dim, rng), seconds=multiplicity_seconds)
            component["multiplicity"] = outcome if status == "ok" else None
            if status != "ok":
                component["multiplicity_status"] = f"{status}: {outcome}"
        if local is not None:
            status, outcome = call_with_budget(multiplicity_at, local, seconds=multiplicity_seconds)
            if status == "ok":
                component["tangent_cone_degree"], component["tangent_cone_components"] = outcome
                if component["multiplicity"] is None:
                    component["multiplicity"] = outcome[0]
                    component.pop("multiplicity_status", None)
            else:
                component["tangent_cone_status"] = f"{status}: {outcome}"
        label = loci[0] if loci else None
        if label is not None:
            component["subnetwork"], component["subnetwork_label"] = label["slug"], label["label"]
            component["subnetwork_loci"] = [entry["label"] for entry in loci]
        kind, evidence = ("undetermined", None)
        if x is not None:
            kind, evidence = fiber_type(free_ring, images, x, generic_points)
            sample_points.append((component, [int(v) for v in x]))
        if kind == "closure":  # empty in the gauge slice: verified without the gauge, or undetermined
            status, empty = call_with_budget(ungauged_fiber_is_empty, (coords, basis, x), seconds=multiplicity_seconds)
            evidence["ungauged_fiber_empty"] = empty if status == "ok" else None
            if status != "ok" or not empty:
                kind = "undetermined"
                evidence["note"] = ("the gauge slice misses the preimages of the point; the full fiber is not empty"
                                    if status == "ok" else f"the full fiber's emptiness was not decided ({status})")
        component["fiber_points"] = evidence
        component["type"] = component_type(kind, loci)
        if component["type"] == "undetermined" and len(loci) >= 2:
            component["type_note"] = (f"{len(loci)} subnetwork loci map onto it, but the gauged fiber over its general "
                                      "point shows no more reduced points than a general fiber: not verified as fiber")
        component["critical_value_in_slice"] = None
        if real:
            from pipeline.invariants.methods.real_position import real_position

            component["real_position"] = real_position(param, ideal_qq, label, seed)
        value["components"].append(component)

    def add_prime(component_dim, degree, P, y, loci):
        """A component found as the prime ``P`` on the slice, with a point ``y`` of it there (or None)."""
        x = None if y is None else slice_.lift(y)
        add_component(component_dim, degree, _few_generators(P), x, loci, None if y is None else (gens_L, y))

    if find_primes is None:
        groups, tested = verified_subnetwork_images(I, candidates, codim, rng, p)
        value.update(slices=0, minors=0, searched_from_dim=None, subnetworks_tested=tested,
                     note="singular subnetwork images only (Jacobian rank of the implicit ideal at a random point of "
                          "each): a singular component that is no subnetwork image is not searched for")
        add_subnetwork_components(add_component, I, groups, rng, p)
    else:
        points = []  # (degree, prime) of the points that components of dimension k leave on the slice
        for prime_dim, prime_degree, P in primes:
            if prime_dim < 0 or P.is_one():
                continue  # the slice misses the singular locus: only the vertex is singular
            if prime_dim == 0 and k > 1:
                points.append((prime_degree, P))
                continue
            add_prime(prime_dim + k, prime_degree, P, rational_point(P, rng),
                      _labels(candidates, prime_dim + k, P, slice_, ring, rng, p))
        if points:
            groups, unassigned = group_points_by_subnetwork(candidates, k, points, slice_, ring, rng, p)
            for group in groups:
                members = (rational_point(points[i][1], rng) for i in group["members"])
                add_prime(k, group["degree"], group["ideal"], next((y for y in members if y is not None), None),
                          group["loci"])
            value["unassigned_singular_points"] = unassigned
            if unassigned == 0:
                value["searched_from_dim"] = k
        if value["searched_from_dim"] > 0:  # below it, the subnetwork images that are singular
            groups, tested = verified_subnetwork_images(I, candidates, codim, rng, p)
            below = [group for group in groups if group["dim"] < value["searched_from_dim"]
                     and not any(in_subnetwork_image(entry, group["point"]) for entry in found_loci)]
            value["subnetworks_tested"] = tested
            add_subnetwork_components(add_component, I, below, rng, p)
    value["complete"] = value["searched_from_dim"] == 0

    value["critical_locus"] = branch_locus(param, coords, free_ring, images, gauge_values, dim, sample_points,
                                           seed, critical_locus_seconds)
    for component, _ in sample_points:
        if component["critical_value_in_slice"]:
            component["type"] = "critical"

    if homogeneous:
        value["components"].append({
            "dim": 0, "degree": 1, "generators": [str(v) for v in ring.gens()], "multiplicity": homogeneous_degree(I),
            "tangent_cone_components": None, "subnetwork": None, "subnetwork_label": "all weights zero",
            "type": "vertex", "fiber_points": None, "real_position": "vertex" if real else None,
            "found_by": "cone vertex"})
    value["components"].sort(key=lambda c: (-c["dim"], c["degree"]))
    return value


def branch_locus(param, coords, free_ring, images, gauge_values, dim, sample_points, seed, seconds) -> dict:
    """The ``critical_locus`` entry of the value, and ``critical_value_in_slice`` of each sampled component.

    Runs :mod:`pipeline.invariants.methods.branch` in a forked child under ``seconds``; a timeout or a
    failure is reported in ``status`` and leaves the types of step 7 as they are. ``True`` for a
    component proves its general point a critical value; ``False`` says only that the gauge slice
    has no critical point over it on a component that counts: a slice fixes a block of weights to
    an invertible matrix, so it misses the orbits where that block drops rank (lightning attention
    with a smaller key dimension), and the type then rests on the Jacobian rank on the subnetwork
    locus (step 7).
    """
    from pipeline.engines.processes import call_with_budget
    from pipeline.invariants.methods.branch import (
        MAX_FREE_PARAMETERS,
        critical_components,
        on_branch,
    )

    n = 0 if free_ring.is_field() else free_ring.ngens()
    if n != dim or n > MAX_FREE_PARAMETERS:
        reason = (f"{n} free parameters in the gauge slice, more than {MAX_FREE_PARAMETERS}" if n > MAX_FREE_PARAMETERS
                  else f"the gauge slice has {n} free parameters for an image of dimension {dim}")
        return {"status": "skipped", "note": reason, "components": None}
    names = free_ring.variable_names()
    K = free_ring.base_ring()
    full_jacobian = jacobian(coords.polynomials, coords.ring.gens())

    def full_rank_at(point):
        theta = [K(gauge_values[i]) if i in gauge_values else K(point[names.index(name)])
                 for i, name in enumerate(param.parameter_names)]
        return full_jacobian.apply_map(lambda entry: entry(*theta), K).rank() == dim

    def compute():
        rng = np.random.default_rng(seed + 7919)
        components = critical_components(free_ring, images, dim, rng, full_rank_at)
        flags = [on_branch(components, images, y) for _, y in sample_points]
        plain = [{key: entry[key] for key in ("dim", "image_dim", "gauge_artifact", "generators")}
                 for entry in components]
        return plain, flags

    status, outcome = call_with_budget(compute, seconds=seconds)
    if status != "ok":
        return {"status": status, "note": outcome, "components": None}
    plain, flags = outcome
    for (component, _), flag in zip(sample_points, flags):
        component["critical_value_in_slice"] = flag
    return {"status": "ok", "components": plain,
            "note": "components of the critical locus of the gauged parametrization (affine dimension in "
                    "the gauge slice) and the dimension of their images, the branch locus"}


def _few_generators(P, count=4):
    gens = sorted(P.gens(), key=lambda g: (g.degree(), str(g)))
    return [str(g) for g in gens[:count]]


def _sliced_subnetwork_ideal(entry, slice_, ring, rng, p):
    """The image closure of a subnetwork locus (:func:`subnetwork_ideal`) cut by the slice."""
    Z = subnetwork_ideal(entry, ring, rng, p)
    return slice_.small.ideal(sliced_generators(Z, slice_) or [slice_.small(0)])


def _labels(candidates, component_dim, P, slice_, ring, rng, p):
    """The subnetwork loci whose image closure is the component (ideal equality on the slice)."""
    # a generic slice of a prime of dimension > k stays prime
    return [entry for entry in candidates
            if entry["dim"] == component_dim and _sliced_subnetwork_ideal(entry, slice_, ring, rng, p) == P]


def group_points_by_subnetwork(candidates, k, points, slice_, ring, rng, p):
    """Components of dimension ``k`` from the points they leave on a slice by ``k`` hyperplanes.

    Points alone do not say which lie on one component. A subnetwork image ``Z`` of dimension
    ``k`` all of whose ``deg Z`` slice points are among the singular ``points`` (0-dimensional
    primes, with their degrees) is a component: its general points are singular, and it lies in
    no larger component, whose slice would be positive-dimensional. Two different ``k``-dimensional
    varieties share no point on a generic slice, so each point counts once. Returns the groups
    (``ideal`` of ``Z`` on the slice, ``degree``, ``loci``, indices of their ``members``) and the
    number of points no subnetwork explains.
    """
    groups, covered = [], set()
    for entry in candidates:
        if entry["dim"] != k:
            continue
        Z_L = _sliced_subnetwork_ideal(entry, slice_, ring, rng, p)
        if Z_L.dimension() != 0:
            continue
        same = next((group for group in groups if group["ideal"] == Z_L), None)
        if same is not None:
            same["loci"].append(entry)
            continue
        degree = int(Z_L.vector_space_dimension())
        members = [i for i, (_, P) in enumerate(points) if all(P.reduce(g) == 0 for g in Z_L.gens())]
        if degree > 0 and sum(points[i][0] for i in members) == degree:
            groups.append({"ideal": Z_L, "degree": degree, "loci": [entry], "members": members})
            covered.update(members)
    return groups, sum(d for i, (d, _) in enumerate(points) if i not in covered)


def component_type(fiber_kind: str, loci: list) -> str:
    """The type of a component from the gauged fiber's verdict and the subnetwork loci mapping onto it.

    The Jacobian of ``mu`` dropping rank on a locus that maps onto the component makes it
    ``critical`` (computed: the rank on the locus). Otherwise the gauged fiber's own verdict:
    ``fiber`` only when it counts more reduced points than over a general point. Several loci
    mapping onto the component are recorded but prove nothing by themselves, so they leave the
    type ``undetermined``.

    EXAMPLES::

        >>> component_type("undetermined", [{"rank_drop": 0}, {"rank_drop": 0}])
        'undetermined'
        >>> component_type("fiber", [{"rank_drop": 2}])
        'critical'
    """
    if any(entry["rank_drop"] > 0 for entry in loci) or fiber_kind == "critical":
        return "critical"
    return fiber_kind


__all__ = ["singular", "METHODS", "multiplicity_at", "slices_needed"]
