"""Conservation laws of gradient flow: how many, which, and whether they hold along a flow.

A function ``h`` of the weights is conserved along every gradient flow of every loss that
factors through the network (``L(theta) = l(mu(theta))``) exactly when its gradient is
orthogonal to the gradients of all coordinate functions of ``mu``. Marcotte, Gribonval and
Peyre (NeurIPS 2023) show that, near a generic point, the number of independent conserved
functions is ``N - dim Lie(W)(theta)``, where ``W`` is spanned by the gradient fields
``grad mu_i`` and ``Lie(W)(theta)`` is the span at ``theta`` of all their iterated brackets.

``count`` (certificate ``modular``)
    At a random point ``theta0`` of ``GF(p)^N`` (``p`` a random prime in ``[2^19, 2^20)``):
    level 1 is the row space of the Jacobian of the network on ``m + 2`` random samples
    (``m`` monomials per output; evaluation is then injective on the span, so the rows span
    the same fields as ``grad mu``); level ``k`` adds right-nested brackets
    ``[Y_1, [Y_2, ..., Y_k]](theta0)`` of random combinations ``Y = grad <u, F>`` of the
    generating fields, drawn until two in a row add nothing. The trace stops when a level
    adds nothing (then every longer bracket lies in it near a generic point), and
    ``count = N - dim``. Two primes and two seeds; the record keeps the dimension per level.

``jets`` (the default)
    A bracket is evaluated at ``theta0`` without expanding anything: ``[Y, Z](theta) =
    DZ(theta) Y(theta) - DY(theta) Z(theta)``, and each directional derivative is one more
    nilpotent variable in a truncated Taylor expansion mod ``p`` of the network's gradient
    (:class:`~pipeline.engines.modp.JetTape`). A bracket of ``k`` fields costs ``2k - 1``
    reverse sweeps on jets of ``2^(k-1)`` coefficients.

``symbolic``
    The same random brackets, computed as polynomial vector fields over ``GF(p)`` in Sage and
    evaluated at ``theta0`` (the plain way; for cross-checks and the benchmark).

``explicit`` laws
    The known symmetry Lie algebra of the architecture (:attr:`Parametrization.symmetry_tangents`)
    acts by linear vector fields ``theta |-> A theta``; every symmetric ``A`` in its span gives
    the quadratic law ``h = theta^T A theta`` (its gradient ``2 A theta`` is tangent to the orbit,
    hence orthogonal to every coordinate gradient). Each law is checked conserved at the random
    points of the count (``J (A theta0) = 0`` mod ``p``); ``explicit`` is the number of
    independent checked laws; ``complete`` says whether they are all the laws.

``flow`` (certificate ``numerical``)
    The gradient flow of the squared loss on random data from a random start, integrated by
    SciPy's DOP853 with the stated tolerances; the largest relative drift of each explicit law
    is reported next to the relative change of the loss.

EXAMPLES::

    >>> from pipeline.architectures import parametrization
    >>> v = conservation(parametrization("linear_w2-2-2"), seed=1, flow=False)
    >>> v["count"], v["levels"], v["explicit"], v["complete"]
    (3, [4, 5, 5], 3, True)
    >>> v["laws"][0]
    'W1_1_1^2 + W1_1_2^2 - W2_1_1^2 - W2_2_1^2'
"""

from __future__ import annotations

import numpy as np

from pipeline.algebra.modular import EVALUATION_PRIME_RANGE, choose_prime, random_residues
from pipeline.engines.modp import evaluate_network, gradient_at_jet
from pipeline.errors import InvariantTooLarge, lookup
from pipeline.invariants.methods.dimension import monomials_per_output

#: Misses in a row after which a level is taken as complete.
MISSES = 2

#: Levels after which a trace that still grows is reported unstabilized.
MAX_LEVEL = 10

#: Above this many parameters the count is not attempted (jets of ``N`` columns, ``N`` brackets per level).
PARAMS_LIMIT = 2000

#: Above this many entries the symmetry generators are not formed as matrices.
GENERATOR_LIMIT = 5 * 10**7

#: Laws written out in the record (all are counted and checked).
LAWS_SHOWN = 40

#: The flow: solver, tolerances, time span, data points, scale of the random start.
FLOW = {"solver": "scipy.integrate.solve_ivp DOP853", "rtol": 1e-10, "atol": 1e-12, "time": 1.0,
        "data_points": 8, "start_scale": 0.5, "trace_points": 25}


# -- linear algebra mod p -----------------------------------------------------------------------
class EchelonBasis:
    """A row-reduced basis mod ``p`` that grows one vector at a time.

    EXAMPLES::

        >>> basis = EchelonBasis(3, 7)
        >>> basis.add(np.array([1, 2, 3])), basis.add(np.array([2, 4, 6])), basis.add(np.array([0, 0, 1]))
        (True, False, True)
        >>> basis.rank
        2
    """

    def __init__(self, columns: int, p: int):
        self.p = p
        self.rows = np.zeros((0, columns), dtype=np.int64)
        self.pivots: list[int] = []

    @property
    def rank(self) -> int:
        return len(self.pivots)

    def reduce(self, vector) -> np.ndarray:
        vector = np.asarray(vector, dtype=np.int64) % self.p
        if not self.pivots:
            return vector
        return (vector - vector[self.pivots] @ self.rows % self.p) % self.p

    def add(self, vector) -> bool:
        """Add ``vector``; ``True`` when it was outside the span."""
        rest = self.reduce(vector)
        nonzero = np.flatnonzero(rest)
        if nonzero.size == 0:
            return False
        pivot = int(nonzero[0])
        rest = rest * pow(int(rest[pivot]), -1, self.p) % self.p
        self.rows = (self.rows - np.outer(self.rows[:, pivot], rest) % self.p) % self.p
        self.rows = np.vstack([self.rows, rest])
        self.pivots.append(pivot)
        return True


def row_space(matrix_rows: np.ndarray, p: int) -> EchelonBasis:
    """An :class:`EchelonBasis` of the rows of an integer matrix (reduced echelon form by Sage)."""
    from sage.all import GF, matrix

    rows = np.asarray(matrix_rows, dtype=np.int64) % p
    echelon = matrix(GF(p), rows.shape[0], rows.shape[1], rows.ravel().tolist()).echelon_form()
    basis = EchelonBasis(rows.shape[1], p)
    pivots = list(echelon.pivots())
    if pivots:
        basis.rows = np.array(echelon.matrix_from_rows(range(len(pivots))).list(), dtype=np.int64).reshape(len(pivots), -1)
        basis.pivots = [int(c) for c in pivots]
    return basis


# -- brackets ---------------------------------------------------------------------------------
def _with_variable(theta_jet: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """``theta + e direction`` for a new nilpotent variable ``e`` (the highest bit)."""
    return np.concatenate([theta_jet, direction], axis=0)


def nested_bracket_jets(param, seeds: list, theta: np.ndarray, samples: np.ndarray, p: int) -> np.ndarray:
    """``[Y_1, [Y_2, ..., Y_k]]`` at the jet ``theta`` (shape ``(2^m, N)``), ``Y_i = grad <seeds[i], F>``.

    ``[Y, Z] = DZ Y - DY Z``: the derivative of ``Z`` along ``Y(theta)`` is the coefficient of a new
    variable ``e`` in ``Z(theta + e Y(theta))``, and the same for ``Y`` along ``Z(theta)``.
    """
    field = lambda seed, point: gradient_at_jet(param, point, samples, seed, p)  # noqa: E731
    if len(seeds) == 1:
        return field(seeds[0], theta)
    size = theta.shape[0]
    first = field(seeds[0], theta)
    inner = nested_bracket_jets(param, seeds[1:], _with_variable(theta, first), samples, p)
    value, along_first = inner[:size], inner[size:]
    first_along_value = field(seeds[0], _with_variable(theta, value))[size:]
    return (along_first - first_along_value) % p


class SymbolicFields:
    """The generating fields as polynomial vector fields over ``GF(p)`` (the plain way, for cross-checks)."""

    def __init__(self, param, samples: np.ndarray, p: int):
        from sage.all import GF, matrix

        from pipeline.algebra.modular import polynomial_ring
        from pipeline.algebra.symbolic import SageOps

        self.ring = polynomial_ring(GF(p), param.parameter_names)
        gens, weights, start = self.ring.gens(), {}, 0
        for block in param.blocks:
            weights[block.name] = matrix(self.ring, block.rows, block.cols, gens[start : start + block.size])
            start += block.size
        ops = SageOps(self.ring)
        self.outputs = [param.network(ops, weights, matrix(self.ring, [[int(v) for v in row] for row in sample])).list()
                        for sample in samples]
        self.gens = gens

    def field(self, seed: np.ndarray) -> list:
        g = sum(int(c) * f for out, row in zip(self.outputs, seed) for f, c in zip(out, np.ravel(row)))
        return [g.derivative(t) for t in self.gens]

    def bracket(self, Y: list, Z: list) -> list:
        return [sum(Y[j] * Z[i].derivative(t) - Z[j] * Y[i].derivative(t) for j, t in enumerate(self.gens))
                for i in range(len(Y))]

    def nested(self, seeds: list, theta0: np.ndarray) -> np.ndarray:
        result = self.field(seeds[-1])
        for seed in reversed(seeds[:-1]):
            result = self.bracket(self.field(seed), result)
        point = [int(v) for v in theta0]
        return np.array([int(f(point)) if f != 0 else 0 for f in result], dtype=np.int64)


def lie_trace(param, p: int, rng: np.random.Generator, method: str = "jets") -> dict:
    """The dimension of the trace at a random point of the Lie algebra generated by the gradient fields.

    OUTPUT: ``point``, ``samples`` (the inputs), ``jacobian`` (its rows: level 1), ``levels``
    (cumulative dimension per level), ``brackets`` (drawn per level from level 2), ``stable``.
    """
    N = param.params
    theta0 = random_residues(rng, p, N)
    samples = random_residues(rng, p, (monomials_per_output(param) + 2,) + param.input_shape)
    _, J = evaluate_network(param, param.split(theta0), samples, p)
    basis = row_space(J, p)
    levels, drawn = [basis.rank], []
    symbolic = SymbolicFields(param, samples, p) if method == "symbolic" else None
    seed_shape = (len(samples),) + param.output_shape
    stable = basis.rank in (0, N)
    level = 1
    while not stable and level < MAX_LEVEL:
        level += 1
        misses, count = 0, 0
        while misses < MISSES and basis.rank < N:
            seeds = [random_residues(rng, p, seed_shape) for _ in range(level)]
            if symbolic is not None:
                vector = symbolic.nested(seeds, theta0)
            else:
                vector = nested_bracket_jets(param, seeds, theta0[None, :], samples, p)[0]
            count += 1
            misses = 0 if basis.add(vector) else misses + 1
        drawn.append(count)
        stable = basis.rank == levels[-1] or basis.rank == N
        levels.append(basis.rank)
    return {"point": theta0, "samples": samples, "jacobian": J, "levels": levels, "brackets": drawn,
            "stable": stable}


# -- explicit laws ------------------------------------------------------------------------------
def _lift(residues: np.ndarray, p: int) -> np.ndarray:
    residues = np.asarray(residues, dtype=np.int64) % p
    return np.where(residues > p // 2, residues - p, residues)


def symmetry_generators(param, p: int, rng: np.random.Generator) -> list[np.ndarray] | None:
    """The matrices ``A`` of the known symmetry generators ``theta |-> A theta`` (integers), or None when
    a generator is not linear in ``theta`` (then it gives no quadratic law this way)."""
    N = param.params
    if param.symmetry_group_dim * N * N > GENERATOR_LIMIT:
        raise InvariantTooLarge(f"the symmetry generators of {param.slug} would have "
                                f"{param.symmetry_group_dim * N * N:.1e} entries (limit {GENERATOR_LIMIT:.0e})")
    columns = [param.tangent_matrix(param.split(np.eye(N, dtype=np.int64)[j]), p) for j in range(N)]
    if not columns or columns[0].shape[0] == 0:
        return []
    generators = [_lift(np.stack([c[k] for c in columns], axis=1), p) for k in range(columns[0].shape[0])]
    x, y = random_residues(rng, p, N), random_residues(rng, p, N)
    at = lambda v: param.tangent_matrix(param.split(v % p), p)  # noqa: E731
    expected = np.stack([A @ ((x + 3 * y) % p) % p for A in generators])
    if not (np.array_equal(expected, at(x + 3 * y)) and np.array_equal((at(x) + 3 * at(y)) % p, at(x + 3 * y))):
        return None
    return generators


def symmetric_span(generators: list[np.ndarray]) -> tuple[list, int]:
    """A basis (integer matrices, primitive) of the symmetric matrices in the span of ``generators``, and
    the dimension of the span."""
    from sage.all import QQ, matrix

    if not generators:
        return [], 0
    N = generators[0].shape[0]
    upper = np.triu_indices(N, 1)
    span = matrix(QQ, [A.ravel().tolist() for A in generators]).rank()
    antisymmetric = matrix(QQ, [(A - A.T)[upper].tolist() for A in generators]).transpose()
    symmetric = [sum(QQ(ci) * matrix(QQ, A.tolist()) for ci, A in zip(c, generators) if ci)
                 for c in antisymmetric.right_kernel_matrix(basis="echelon").rows()]
    flat = matrix(QQ, [S.list() for S in symmetric]) if symmetric else None
    if flat is not None and flat.rank() < len(symmetric):  # dependent generators: a basis of the image instead
        rows = [row for row in flat.echelon_form().rows() if row]
        symmetric = [matrix(QQ, N, N, list(row)) for row in rows]
    laws = []
    for S in symmetric:
        denominator = S.denominator()
        integral = np.array((S * denominator).list(), dtype=object).reshape(N, N).astype(np.int64)
        content = np.gcd.reduce(np.abs(integral[integral != 0])) if integral.any() else 1
        laws.append(integral // content)
    return laws, int(span)


def law_polynomial(S: np.ndarray, names: list[str]) -> str:
    """``theta^T S theta`` in the parameter names, leading coefficient positive.

    EXAMPLES::

        >>> law_polynomial(np.array([[1, 0], [0, -2]]), ["u", "v"])
        'u^2 - 2*v^2'
    """
    from sage.all import QQ, gcd

    from pipeline.algebra.modular import polynomial_ring

    used = sorted(set(np.flatnonzero(S.any(axis=0))) | set(np.flatnonzero(S.any(axis=1))))
    ring = polynomial_ring(QQ, [names[i] for i in used])
    gens = dict(zip(used, ring.gens()))
    polynomial = sum(int(S[a, b]) * gens[a] * gens[b] for a in used for b in used if S[a, b])
    content = gcd([int(c) for c in polynomial.coefficients()])
    return str(polynomial / (content if polynomial.lc() > 0 else -content))


# -- the flow -------------------------------------------------------------------------------------
def loss_and_gradient(param, theta: np.ndarray, inputs: np.ndarray, targets: np.ndarray):
    """Half the squared loss of the network at ``theta`` on ``(inputs, targets)`` and its gradient (floats)."""
    from pipeline.engines.modp import RealTape, run_network

    tape = RealTape()
    leaves, out = run_network(tape, param, {name: block[None] for name, block in param.split(theta).items()}, inputs)
    residual = out.value - targets
    grads = tape.gradient(out, leaves, residual)
    return 0.5 * float((residual**2).sum()), np.concatenate([g.reshape(-1) for g in grads])


def watch_flow(param, laws: list[np.ndarray], seed: int) -> dict:
    """Integrate the gradient flow of the squared loss on random data and follow the laws and the loss."""
    from scipy.integrate import solve_ivp

    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(FLOW["data_points"],) + param.input_shape)
    targets = rng.normal(size=(FLOW["data_points"],) + param.output_shape)
    start = FLOW["start_scale"] * rng.normal(size=param.params)
    times = np.linspace(0.0, FLOW["time"], FLOW["trace_points"])
    solution = solve_ivp(lambda t, theta: -loss_and_gradient(param, theta, inputs, targets)[1], (0.0, FLOW["time"]),
                         start, method="DOP853", rtol=FLOW["rtol"], atol=FLOW["atol"], t_eval=times)
    if not solution.success:
        return {**FLOW, "success": False, "message": solution.message}
    path = solution.y.T
    losses = [loss_and_gradient(param, theta, inputs, targets)[0] for theta in path]
    values = np.array([[theta @ S @ theta for S in laws] for theta in path])
    scales = np.array([np.abs(S).sum() for S in laws]) * float(start @ start) / param.params
    drifts = (np.abs(values - values[0]) / scales).max(axis=0) if laws else np.zeros(0)
    return {
        **FLOW, "success": True, "seed": seed, "evaluations": int(solution.nfev),
        "max_law_drift": float(drifts.max()) if laws else None,
        "law_drifts": [float(d) for d in drifts[:LAWS_SHOWN]],
        "loss_change": abs(losses[-1] - losses[0]) / losses[0],
        "trace": {"time": times.tolist(), "loss": losses, "laws": values[:, :4].T.tolist()},
    }


# -- the invariant ------------------------------------------------------------------------------
METHODS = ("jets", "symbolic")


def _finding(count, explicit, without_law) -> tuple[bool | None, str]:
    notes = []
    if without_law:
        notes.append(f"{without_law} symmetry generator{'s give' if without_law > 1 else ' gives'} no law "
                     "(antisymmetric part of the symmetry algebra)")
    if count is None or explicit is None:
        return None, "; ".join(["undetermined: " + ("the trace did not stabilize" if count is None
                                                      else "the symmetry generators are not linear")] + notes)
    if explicit == count:
        return True, "; ".join(["every law is a quadratic law of a known symmetry"] + notes)
    if explicit < count:
        return False, "; ".join([f"{count - explicit} conserved quantit{'ies' if count - explicit > 1 else 'y'} "
                                 "that no known symmetry explains"] + notes)
    return None, "; ".join([f"inconsistent: {explicit} independent explicit laws but a count of {count}"] + notes)


def conservation(param, method: str = "auto", seed: int = 0, runs: int = 2, flow: bool = True) -> dict:
    """Return the conservation record value of ``param`` (module docstring).

    OUTPUT: ``count``, ``levels`` (dimension of the trace per level, of the run with the larger trace),
    ``dim`` (level 1),
    ``explicit``, ``complete``, ``finding``, ``laws`` (the first :data:`LAWS_SHOWN`), ``flow``,
    and the primes, seeds and per-run counts.
    """
    method = "jets" if method == "auto" else method
    lookup(dict.fromkeys(METHODS), method, "conservation method")
    N = param.params
    if N > PARAMS_LIMIT:
        raise InvariantTooLarge(f"{param.slug} has {N} parameters; the conservation count reaches {PARAMS_LIMIT}")
    traces, primes = [], []
    for i in range(runs):
        rng = np.random.default_rng(seed + i)
        p = choose_prime(rng, *EVALUATION_PRIME_RANGE)
        traces.append(lie_trace(param, p, rng, method))
        primes.append(p)
    counts = [N - t["levels"][-1] if t["stable"] else None for t in traces]
    # a rank mod p never exceeds the generic rank: the run with the larger trace is the one to keep
    best = max(traces, key=lambda t: t["levels"][-1])
    count = None if None in counts else min(counts)

    rng = np.random.default_rng(seed)
    generators = symmetry_generators(param, primes[0], rng)
    explicit, laws, conserved, without_law = None, [], None, 0
    if generators is not None:
        laws, span = symmetric_span(generators)
        without_law = span - len(laws)
        conserved = [all(not (t["jacobian"] @ (S @ t["point"] % p) % p).any() for t, p in zip(traces, primes))
                     for S in laws]
        kept = [S for S, ok in zip(laws, conserved) if ok]
        gradients = EchelonBasis(N, primes[0])
        explicit = sum(gradients.add(S @ traces[0]["point"] % primes[0]) for S in kept)
    complete, finding = _finding(count, explicit, without_law)
    names = param.parameter_names
    return {
        "count": count,
        "params": N,
        "dim": max(t["levels"][0] for t in traces),
        "trace_dim": best["levels"][-1],
        "levels": best["levels"],
        "brackets": best["brackets"],
        "stable": all(t["stable"] for t in traces),
        "explicit": explicit,
        "complete": complete,
        "finding": finding,
        "laws": [law_polynomial(S, names) for S in laws[:LAWS_SHOWN]],
        "laws_total": len(laws),
        "laws_conserved": None if conserved is None else sum(conserved),
        "generators_without_law": without_law,
        "flow": watch_flow(param, [S for S, ok in zip(laws, conserved or []) if ok], seed) if flow and laws else None,
        "method": method,
        "counts": counts,
        "primes": primes,
        "seeds": [seed + i for i in range(runs)],
        "agree": len(set(counts)) == 1,
    }
