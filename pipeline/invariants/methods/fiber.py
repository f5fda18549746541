"""Generic fiber of the parametrization: dimension, symmetries, finite part, identifiability.

At a random point ``theta0`` of ``GF(p)^N`` (``p`` a random prime in ``[2^28, 2^29)``):

1. ``dim``: the fiber dimension ``N - rank J(theta0)`` (``J`` the Jacobian of ``mu``);
2. ``symmetry_dim``: the rank of the known Lie algebra's tangent vectors at ``theta0``
   (they are checked to lie in ``ker J``), and ``symmetries_span`` whether they span
   the fiber's tangent space;
3. ``finite_count``: after the gauge of :mod:`pipeline.algebra.gauge` (fix the pivot
   parameters of the tangent matrix at their values in ``theta0``), the number of
   points of ``mu^-1(mu(theta0))`` in the slice, over the algebraic closure, from a
   zero-dimensional Groebner basis (backend ``singular``, ``msolve`` or ``macaulay2``);
4. ``explained``: the number of those points that the known symmetries account for, the
   points ``g delta theta0`` in the slice (``g`` in the known continuous group, a product of
   ``GL(n)``, :attr:`Parametrization.act`; ``delta`` a known discrete symmetry). Counted image by
   image (:func:`explained_points`): for each distinct discrete image ``delta theta0``, the
   elements ``g`` that move it into the slice divided by those fixing it (zero-dimensional
   counts in the group's coordinates; the division is checked), summed, and divided by the
   number of images that lie on the orbit of ``theta0`` itself (checked too). When the group
   acts with positive-dimensional stabilizers the orbit points in the slice are counted
   directly instead: the group coordinates are eliminated (:func:`orbit_points_by_elimination`);
5. ``jacobian_strata``: the rank of the Jacobian at a random point of each subnetwork locus
   of the family (a hidden neuron removed, a filter tap zero, a key dimension dropped):
   where it drops, the locus lies in the critical locus of ``mu`` (shared with ``singular``);
6. ``only_known_symmetries``: ``True`` when the symmetries span and ``finite_count ==
   explained``; ``False`` only with a ``witness`` of what is unexplained (a fiber tangent vector
   outside the symmetry algebra, or the count of unexplained points and one of them when it is
   rational over ``GF(p)``); ``None`` (undecided) otherwise, with the reason in ``undecided``:
   a count that did not finish, a discrete group too large to enumerate, or a *shortfall*
   (``finite_count < explained``: fewer fiber points than symmetric images, which means a
   special point or a wrong count, reported as loudly as an excess).

Certificate ``modular``: one prime and one point, both recorded. Counts are with
multiplicity; the generic fiber is reduced in characteristic 0, so for all but finitely
many primes they are the numbers of points.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> v = fiber(parametrization("mlp_w2-2-1_r3"), seed=1)   # two cubic neurons: S_2 and rescalings
    >>> v["dim"], v["symmetry_dim"], v["finite_count"], v["explained"], v["only_known_symmetries"]
    (2, 2, 2, 2, True)
    >>> fiber(parametrization("mlp_w2-2-1_r2"), seed=1)["witness"]["kind"]   # quadratic: hidden O(2)
    'tangent'
    >>> v = fiber(parametrization("linear_w2-3-2"), seed=1)   # GL(3) with stabilizers: one orbit
    >>> v["explained_by"], v["finite_count"], v["explained"], v["only_known_symmetries"]
    ('elimination', 1, 1, True)
"""

from __future__ import annotations

import numpy as np
from sage.all import GF, identity_matrix, matrix

from pipeline.algebra.gauge import gauge_columns
from pipeline.algebra.modular import (
    GROEBNER_PRIME_RANGE,
    choose_prime,
    polynomial_ring,
    random_residues,
    rank_mod_p,
)
from pipeline.algebra.symbolic import expand, jacobian_at
from pipeline.engines.points import COUNT_BACKENDS, count_points, gauged_fiber_count
from pipeline.errors import lookup

METHODS = ("auto",) + tuple(COUNT_BACKENDS)


def _group_ring(param, field, extra=()):
    """The known group's coordinates (``g`` and its inverse ``h`` per factor, then the ``extra`` names):
    ``(ring, {factor: (g, h)}, relations g h = 1)``."""
    names = []
    for factor, n in param.group_factors:
        names += [f"{factor}_g_{i}_{j}" for i in range(n) for j in range(n)]
        names += [f"{factor}_h_{i}_{j}" for i in range(n) for j in range(n)]
    ring = polynomial_ring(field, names + list(extra), order="degrevlex")
    group, relations, position = {}, [], 0
    for factor, n in param.group_factors:
        g = matrix(ring, n, n, ring.gens()[position : position + n * n])
        h = matrix(ring, n, n, ring.gens()[position + n * n : position + 2 * n * n])
        position += 2 * n * n
        group[factor] = (g, h)
        relations += (g * h - identity_matrix(ring, n)).list()
    return ring, group, relations


def moved_point(param, theta, ring, group, field) -> list:
    """The coordinates of ``g theta`` (flat, block order) as polynomials in the group coordinates of ``ring``."""
    blocks = param.split(np.asarray(theta))
    weights = {b.name: matrix(ring, b.rows, b.cols, [field(int(v)) for v in blocks[b.name].reshape(-1)])
               for b in param.blocks}
    moved = param.act(weights, group)
    return [ring(entry) for b in param.blocks for entry in matrix(moved[b.name]).list()]


def group_orbit_equations(param, theta0, positions, targets, field):
    """Equations in the group coordinates for ``(g theta0)_i = targets[i]``, ``i`` in ``positions``."""
    ring, group, relations = _group_ring(param, field)
    flat = moved_point(param, theta0, ring, group, field)
    return relations + [flat[i] - field(int(targets[i])) for i in positions]


def count_group_elements(param, theta0, positions, targets, field, backend):
    """Number of known-group elements ``g`` with ``(g theta0)_i = targets[i]`` on ``positions``."""
    if not param.group_factors:
        agree = all(int(theta0[i]) % field.characteristic() == int(targets[i]) % field.characteristic()
                    for i in positions)
        return 1 if agree else 0
    return count_points(group_orbit_equations(param, theta0, positions, targets, field), backend)


def _unexplained_tangent(J, T, p):
    """A vector of ``ker J`` outside the row space of ``T`` (both over ``GF(p)``)."""
    K = GF(p)
    kernel = matrix(K, J.shape[0], J.shape[1], J.ravel().tolist()).right_kernel().basis_matrix()
    rows = matrix(K, T.shape[0], T.shape[1], T.ravel().tolist()) if T.shape[0] else matrix(K, 0, J.shape[1])
    base = rows.rank()
    for vector in kernel.rows():
        if rows.stack(vector).rank() > base:
            return [int(v) for v in vector]
    return None


def is_explained(param, theta0, theta1, field, backend) -> bool:
    """Whether ``theta1 = g delta theta0`` for a known continuous ``g`` and discrete ``delta``."""
    images = param.discrete_images(param.split(theta0)) if param.discrete_images else [param.split(theta0)]
    everything = range(param.params)
    for image in images:
        if count_group_elements(param, param.flatten(image), everything, theta1, field, backend):
            return True
    return False


#: Discrete images beyond which :func:`explained_points` does not enumerate (the verdict is then undecided).
MAX_DISCRETE_IMAGES = 48


def distinct_images(param, theta0) -> list[np.ndarray]:
    """The distinct vectors ``delta theta0`` over the known discrete symmetries ``delta`` (``theta0`` first)."""
    images = param.discrete_images(param.split(theta0)) if param.discrete_images else [param.split(theta0)]
    seen, out = set(), []
    for image in images:
        vector = np.array([int(v) for v in param.flatten(image)], dtype=object)
        key = tuple(vector)
        if key not in seen:
            seen.add(key)
            out.append(vector)
    return out


def explained_points(param, images, theta0, gauge, field, backend) -> dict:
    """The points ``g delta theta0`` in the gauge slice, counted image by image (module docstring, step 4).

    The known discrete symmetries form a group that normalizes the continuous one (permutations,
    sign flips and shifts of the frames the continuous group acts on), so every orbit of the
    continuous group holds the same number of discrete images; that number is the count of images
    on the orbit of ``theta0``, and the sum over the images divided by it counts each orbit once.

    Returns ``{"explained": count or None, "explained_by": "images", "images": [...], "undecided": reason}``;
    each entry of ``images`` has the group elements moving that image into the slice and its stabilizer.
    """
    p = field.characteristic()
    targets = np.array([int(v) % p for v in theta0], dtype=object)
    everything = range(param.params)
    rows, total, on_own_orbit = [], 0, 0

    def undecided(reason):
        return {"explained": None, "explained_by": "images", "images": rows, "undecided": reason}

    for image in images:
        in_slice = count_group_elements(param, image, gauge, targets, field, backend)
        stabilizer = count_group_elements(param, image, everything, image, field, backend)
        reaching = count_group_elements(param, image, everything, targets, field, backend)
        rows.append({"in_slice": in_slice, "stabilizer": stabilizer, "on_orbit_of_point": bool(reaching)})
        if in_slice is None or not stabilizer or reaching is None:
            return undecided("a group count is infinite (not zero-dimensional): the slice or the stabilizer "
                             "is not finite for this point")
        if in_slice % stabilizer:
            return undecided(f"group elements into the slice ({in_slice}) not a multiple of the stabilizer "
                             f"order ({stabilizer}): the counts are inconsistent")
        total += in_slice // stabilizer
        on_own_orbit += reaching > 0
    if total % on_own_orbit:
        return undecided(f"orbit points summed over the images ({total}) not a multiple of the images on the "
                         f"point's own orbit ({on_own_orbit}): the counts are inconsistent")
    return {"explained": total // on_own_orbit, "explained_by": "images", "images": rows, "undecided": None}


def orbit_points_by_elimination(param, images, theta0, gauge, field) -> dict:
    """The points ``g delta theta0`` in the gauge slice when the group has positive-dimensional stabilizers.

    For each distinct discrete image: the ideal in the group and free parameter coordinates of
    ``theta = g delta theta0``, ``theta`` in the slice, with the group coordinates eliminated; the
    count is the number of points of the intersection of these ideals (its radical's length).
    """
    free = [i for i in range(param.params) if i not in set(gauge)]
    ring, group, relations = _group_ring(param, field, extra=[f"t{i}" for i in free])
    group_vars = ring.gens()[: ring.ngens() - len(free)]
    theta_vars = dict(zip(free, ring.gens()[ring.ngens() - len(free):]))
    free_ring = polynomial_ring(field, [f"t{i}" for i in free], order="degrevlex")
    to_free = ring.hom([0] * len(group_vars) + list(free_ring.gens()), free_ring)
    total_ideal = None
    for image in images:
        flat = moved_point(param, image, ring, group, field)
        equations = list(relations) + [flat[i] - field(int(theta0[i])) for i in gauge]
        equations += [flat[i] - theta_vars[i] for i in free]
        eliminated = free_ring.ideal([to_free(f) for f in ring.ideal(equations).elimination_ideal(list(group_vars)).gens()])
        total_ideal = eliminated if total_ideal is None else total_ideal.intersection(eliminated)
    points = int(total_ideal.radical().vector_space_dimension()) if total_ideal.dimension() == 0 else None
    return {"explained": points, "explained_by": "elimination", "images": len(images),
            "undecided": None if points is not None else "the eliminated orbit ideal is not zero-dimensional"}


def rational_unexplained_point(param, equations, gauge, theta0, field, backend, limit=200):
    """A fiber point in the slice, rational over ``GF(p)``, that no known symmetry explains (or None)."""
    nonzero = [f for f in equations if f != 0]
    if not nonzero or not hasattr(nonzero[0], "parent"):
        return None
    ring = nonzero[0].parent()
    points = ring.ideal(nonzero).variety()
    free = [i for i in range(param.params) if i not in set(gauge)]
    for point in points[:limit]:
        theta1 = np.array(theta0, dtype=object)
        for index, gen in zip(free, ring.gens()):
            theta1[index] = int(point[gen])
        if not is_explained(param, theta0, theta1, field, backend):
            return [int(v) for v in theta1]
    return None


def rank_on_locus(param, zeros: dict, rng, p: int) -> int:
    """Jacobian rank of ``mu`` at a random point of the locus where the ``zeros`` entries vanish.

    Evaluation backend (no expansion): the network's reverse-mode Jacobian on random samples mod ``p``.
    """
    from pipeline.engines.modp import evaluate_network
    from pipeline.invariants.methods.dimension import samples_needed

    weights = param.split(random_residues(rng, p, param.params))
    for block, entries in zeros.items():
        for row, col in entries:
            weights[block][row, col] = 0
    samples = random_residues(rng, p, (samples_needed(param),) + param.input_shape)
    _, J = evaluate_network(param, weights, samples, p)
    return rank_mod_p(J, p, rng)


def jacobian_strata(param, generic_rank, seed=0) -> list[dict]:
    """Jacobian rank of ``mu`` at a random point of each subnetwork locus of the family.

    :func:`rank_on_locus` over a random prime below ``2^20``; ``drop`` is the generic rank minus
    the rank on the stratum (positive: the stratum lies in the critical locus of ``mu``).
    """
    from pipeline.algebra.modular import EVALUATION_PRIME_RANGE

    rng = np.random.default_rng(seed + 7919)
    p = choose_prime(rng, *EVALUATION_PRIME_RANGE)
    out = []
    for label, subnetwork, zeros in param.strata:
        rank = rank_on_locus(param, zeros, rng, p)
        out.append({"stratum": label, "subnetwork": subnetwork, "rank": rank, "drop": generic_rank - rank,
                    "prime": p})
    return out


def fiber(param, method: str = "auto", seed: int = 0) -> dict:
    """Return the fiber record value (see the module docstring).

    INPUT: ``param``; ``method``, the counting backend (``auto`` = ``singular``);
    ``seed`` for the prime and the point.
    """
    backend = "singular" if method == "auto" else method
    lookup(COUNT_BACKENDS, backend, "fiber method")
    rng = np.random.default_rng(seed)
    p = choose_prime(rng, *GROEBNER_PRIME_RANGE)
    K = GF(p)
    theta0 = random_residues(rng, p, param.params)
    coords = expand(param, base_ring=K)
    J = jacobian_at(coords, theta0, p)
    rank = rank_mod_p(J, p)
    fiber_dim = param.params - rank
    T = param.tangent_matrix(param.split(theta0), p)
    tangent_ok = not ((J.astype(object) @ T.T.astype(object)) % p).any() if T.size else True
    symmetry_dim = rank_mod_p(T, p) if T.size else 0
    spans = symmetry_dim == fiber_dim
    gauge = gauge_columns(param, theta0, p)
    value = {
        "dim": fiber_dim,
        "params": param.params,
        "image_dim": rank,
        "symmetry_group": param.symmetry_group,
        "symmetry_dim": symmetry_dim,
        "symmetry_tangents_in_kernel": tangent_ok,
        "symmetries_span": spans,
        "gauge": [param.parameter_names[i] for i in gauge],
        "finite_count": None,
        "discrete_group": param.discrete_group,
        "discrete_order": param.discrete_order,
        "explained": None,
        "explained_by": None,
        "only_known_symmetries": False,
        "undecided": None,
        "witness": None,
        "method": backend,
        "primes": [p],
        "seeds": [seed],
        "point": [int(v) for v in theta0],
        "jacobian_strata": jacobian_strata(param, rank, seed),
    }
    if not spans:
        value["witness"] = {
            "kind": "tangent",
            "note": "the fiber is larger than the orbit of the known symmetries: this tangent vector "
                    "of the fiber at the point is not in the span of the symmetry generators",
            "vector": _unexplained_tangent(J, T, p),
        }
        return value
    finite, equations = gauged_fiber_count(coords, theta0, gauge, K, backend)
    value["finite_count"] = finite
    images = distinct_images(param, theta0)
    finite_stabilizers = symmetry_dim == param.symmetry_group_dim
    if len(images) > MAX_DISCRETE_IMAGES:
        counted = {"explained": None, "explained_by": "images" if finite_stabilizers else "elimination",
                   "images": None,
                   "undecided": f"{len(images)} discrete images, above the {MAX_DISCRETE_IMAGES} this count enumerates"}
    elif finite_stabilizers:  # the continuous group acts with finite stabilizers
        counted = explained_points(param, images, theta0, gauge, K, backend)
    else:
        counted = orbit_points_by_elimination(param, images, theta0, gauge, K)
    value["explained_images"] = counted["images"]
    value["explained"], value["explained_by"] = counted["explained"], counted["explained_by"]
    explained = value["explained"]
    if finite is None or explained is None:
        value["only_known_symmetries"] = None
        value["undecided"] = counted["undecided"] or "the fiber points in the slice were not counted"
        return value
    if finite < explained:
        value["only_known_symmetries"] = None
        value["undecided"] = (f"shortfall: {finite} fiber points in the gauge slice but {explained} symmetric images of "
                              "the point there; the point is special or a count is wrong")
        return value
    value["only_known_symmetries"] = finite == explained
    if finite > explained:
        point = rational_unexplained_point(param, equations, gauge, theta0, K, backend)
        value["witness"] = {
            "kind": "points",
            "unexplained": finite - value["explained"],
            "note": "more fiber points in the gauge slice than the known symmetries give"
                    + ("" if point else "; none of them is rational over GF(p)"),
            "point": point,
            "point_blocks": None if point is None else
            {name: block.tolist() for name, block in param.split(np.array(point, dtype=object)).items()},
        }
    return value
