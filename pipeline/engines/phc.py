"""PHCpack's ``phc``, driven through files: homotopy continuation of given start solutions.

PHCpack is optional (``apt-get install phcpack`` as root, or the environment variable ``PHC``
naming a ``phc`` binary); nothing else in the pipeline needs it. ``phc`` is looked up in this
order: the environment variable ``PHC``; ``phc`` on ``PATH``.

:func:`track_parameter_homotopy` runs ``phc -p`` (polynomial continuation with a given start
system and start solutions) on files in a temporary directory. ``phc -p`` asks its questions
on standard input; they are answered from a file (:func:`menu_answers`) and nothing printed on
the screen is read: the end points come from the ``THE SOLUTIONS`` block of ``phc``'s output
file. The homotopy is PHCpack's artificial-parameter homotopy with relaxation power ``k = 1``,

    ``H(x, t) = gamma * (1 - t) * start(x) + t * target(x)``,   ``t`` from 0 to 1,

which, for a start and a target system of one family affine in its parameters
(``F(x) - b0`` and ``F(x) - b1``), is the parameter homotopy ``F(x) = b(t)`` along the complex
path ``b(t) = ((1 - t) gamma b0 + t b1) / ((1 - t) gamma + t)`` from ``b0`` to ``b1``.

EXAMPLES::

    >>> import numpy as np
    >>> result = track_parameter_homotopy(["x^2 - 1", "y - 2"], ["x^2 - 4", "y - 3"], ["x", "y"],
    ...                                   np.array([[1, 2], [-1, 2]]), gamma=0.6 + 0.8j)
    >>> np.round(result["solutions"], 8) + 0   # the start solutions' order
    array([[ 2.+0.j,  3.+0.j],
           [-2.+0.j,  3.+0.j]])
    >>> result["status"]
    ['regular', 'regular']
"""

from __future__ import annotations

import ast
import functools
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from pipeline.engines.budget import seconds_left
from pipeline.engines.m2 import executable_problem, run_contained
from pipeline.engines.processes import exit_description
from pipeline.errors import BackendError

log = logging.getLogger(__name__)

#: The optional program, as a row of :data:`pipeline.engines.m2.BINARIES`: environment variable,
#: binary name, what it is, version flag. It is not in that table: ``check_backends`` and
#: ``neuromanifold doctor`` must not fail when PHCpack is absent.
BINARY = ("PHC", "phc", "PHCpack", "--version")

#: How to get ``phc``: every "not found" message ends with this.
INSTALL = "install it with 'apt-get install phcpack' (as root), or set PHC=/path/to/phc"

#: ``phc`` options of the working precision: double, double double, quad double.
PRECISIONS = {1: "-p", 2: "-p2", 4: "-p4"}

#: An end point with PHCpack's estimate of the inverse condition number ``rco`` below this is
#: ``singular`` when ``phc`` does not say (with ``tasks > 1`` it prints no solution types).
SINGULAR_RCO = 1e-8

#: An end point larger than this (max norm) is ``diverged`` when ``phc`` does not say.
INFINITY = 1e8


def phc_binary() -> Path:
    """The ``phc`` binary: ``$PHC``, else ``phc`` on ``PATH``; raise :class:`BackendError` saying how to install it.

    EXAMPLES::

        >>> phc_binary().name
        'phc'
    """
    variable, name = BINARY[0], BINARY[1]
    value = os.environ.get(variable)
    if value:
        problem = executable_problem(Path(value))
        if problem is None:
            return Path(value)
        raise BackendError(f"{variable}={value} {problem}; unset {variable} or {INSTALL}")
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    raise BackendError(f"PHCpack's {name} not found (no {variable} variable, nothing on PATH); {INSTALL}")


@functools.lru_cache(maxsize=None)
def _version(path: str) -> str:
    try:
        done = subprocess.run([path, BINARY[3]], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackendError(f"{path} {BINARY[3]} failed ({exc}); {INSTALL}") from exc
    text = done.stdout.strip()
    if done.returncode != 0 or not text.startswith("PHC"):
        raise BackendError(f"{path} {BINARY[3]} exited with {done.returncode} and printed no PHCpack version "
                           f"({(done.stdout + done.stderr).strip()[-300:]!r}); {INSTALL}")
    return text.splitlines()[0].strip()


def phc_version() -> str:
    """The version line of the ``phc`` that :func:`phc_binary` finds (``phc --version``).

    EXAMPLES::

        >>> phc_version()[:5]
        'PHCv2'
    """
    return _version(str(phc_binary()))


def phc_status() -> str:
    """One line for ``neuromanifold doctor``: ``phc``'s path and version, or how to install it (never raises).

    EXAMPLES::

        >>> phc_status().startswith("phc: ")
        True
    """
    try:
        return f"phc: {phc_binary()} (optional), version {phc_version()}"
    except BackendError as exc:
        if os.environ.get(BINARY[0]):
            return f"phc: {exc} (optional: only the PHCpack homotopy engine needs it)"
        return "phc: not found; install with 'apt-get install phcpack' (root) or set PHC (optional)"


# ----------------------------------------------------------------------------------------------
# Writing PHCpack's input


def _number(value) -> str:
    """A Python number in PHCpack's syntax (shortest round-trip digits; ``i`` the imaginary unit).

    EXAMPLES::

        >>> _number(3), _number(2.5), _number(1e-5), _number(1 - 2j), _number(0.5j)
        ('3', '2.5', '1e-05', '(1.0-2.0*i)', '(0.0+0.5*i)')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, complex)):
        raise ValueError(f"not a number: {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(float(value))
    re_, im = float(value.real), float(value.imag)
    return f"({re_!r}{'-' if np.copysign(1.0, im) < 0 else '+'}{abs(im)!r}*i)"


def _short(text, limit: int = 120) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "..."


class _Translator:
    """Python/Sage polynomial syntax (``**`` or ``^``, ``j`` or ``I``) to PHCpack's, renaming the variables."""

    OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}

    def __init__(self, names: dict[str, str]):
        self.names = names

    def __call__(self, text: str) -> str:
        try:
            tree = ast.parse(str(text).replace("^", "**").strip(), mode="eval")
        except SyntaxError as exc:
            raise ValueError(f"cannot read the polynomial {_short(text)!r}: {exc.msg}") from None
        try:
            self.analyse(tree)
            return self.emit(tree.body)
        except ValueError as exc:
            raise ValueError(f"cannot translate the polynomial {_short(text)!r} for PHCpack: {exc}") from None

    def analyse(self, tree) -> None:
        """Check every name and node type; mark the nodes that hold no variable (numbers and ``I``, ``i``, ``j``).

        Iterative (children before parents: reversed breadth-first order), as the left-leaning
        sums of long polynomials are deeper than Python's recursion limit.
        """
        self.variable_nodes = set()
        for n in reversed(list(ast.walk(tree))):
            if isinstance(n, ast.Name):
                if n.id in self.names:
                    self.variable_nodes.add(id(n))
                elif n.id not in ("I", "i", "j"):  # Sage's and the usual imaginary unit, unless variables
                    raise ValueError(f"unknown name {n.id!r} (the variables are {', '.join(self.names)})")
            elif isinstance(n, ast.BinOp):
                if id(n.left) in self.variable_nodes or id(n.right) in self.variable_nodes:
                    self.variable_nodes.add(id(n))
            elif isinstance(n, ast.UnaryOp):
                if id(n.operand) in self.variable_nodes:
                    self.variable_nodes.add(id(n))
            elif not isinstance(n, (ast.Expression, ast.Constant, ast.operator, ast.unaryop, ast.expr_context)):
                raise ValueError(f"unsupported expression {_short(ast.unparse(n))!r}")

    def constant(self, node) -> bool:
        return id(node) not in self.variable_nodes

    def emit(self, node) -> str:
        if self.constant(node):  # a number, e.g. (1+2j) or 2.5*I: one PHCpack number
            try:
                value = eval(compile(ast.Expression(node), "<polynomial>", "eval"), {"__builtins__": {}},
                             {"I": 1j, "i": 1j, "j": 1j})
            except Exception as exc:
                raise ValueError(f"cannot evaluate the constant {ast.unparse(node)!r} ({exc})") from None
            if isinstance(value, complex) and value.imag == 0:
                value = value.real
            return _number(value)
        if isinstance(node, ast.Name):
            return self.names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.emit(node.operand)
            return f"(-{inner})" if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            terms = []  # a sum's left spine, walked without recursion: ((a + b) - c) + d
            while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and not self.constant(node):
                terms.append(("+" if isinstance(node.op, ast.Add) else "-") + self.emit(node.right))
                node = node.left
            return "(" + self.emit(node) + "".join(reversed(terms)) + ")"
        if isinstance(node, ast.BinOp) and type(node.op) in self.OPERATORS:
            if isinstance(node.op, ast.Div) and not self.constant(node.right):
                raise ValueError("division by a non-constant")
            return f"({self.emit(node.left)}{self.OPERATORS[type(node.op)]}{self.emit(node.right)})"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, int)
                    and not isinstance(exponent.value, bool) and exponent.value >= 0):
                raise ValueError("exponents must be integers >= 0")
            return f"({self.emit(node.left)})^{exponent.value}"
        raise ValueError(f"unsupported expression {_short(ast.unparse(node))!r}")


def phc_system(polynomials, variables) -> str:
    """A PHCpack system file: the count, then each polynomial ending in ``;``, in variables ``v0 .. v(n-1)``.

    The first polynomial starts with ``v0 - v0 + v1 - v1 ...`` so that PHCpack's symbol table
    holds every variable in the order of ``variables`` (PHCpack numbers the unknowns in the
    order they first appear).

    EXAMPLES::

        >>> print(phc_system(["2.5*x*y + (1+2j)*y - 3", "x**2 - I"], ["x", "y"]), end="")
        2 2
        v0 - v0 + v1 - v1 + (((2.5*v0)*v1)+((1.0+2.0*i)*v1)-3);
        ((v0)^2-(0.0+1.0*i));
        >>> phc_system(["x + z"], ["x"])
        Traceback (most recent call last):
        ...
        ValueError: cannot translate the polynomial 'x + z' for PHCpack: unknown name 'z' (the variables are x)
    """
    names = {str(name): f"v{k}" for k, name in enumerate(variables)}
    if len(names) != len(variables):
        raise ValueError(f"repeated variable names in {list(variables)}")
    translate = _Translator(names)
    lines = [translate(p) for p in polynomials]
    lines[0] = " + ".join(f"{v} - {v}" for v in names.values()) + " + " + lines[0]
    return f"{len(lines)} {len(names)}\n" + "".join(line + ";\n" for line in lines)


def phc_solutions(points) -> str:
    """Points (a ``P x n`` complex array) as a PHCpack solution list at ``t = 0`` in ``v0 .. v(n-1)``.

    EXAMPLES::

        >>> print(phc_solutions(np.array([[1, 2j]])), end="")
        1 2
        ===========================================================================
        solution 1 :
        t : 0.0 0.0
        m : 1
        the solution for t :
         v0 : 1.0 0.0
         v1 : 0.0 2.0
        == err :  0.000E+00 = rco :  1.000E+00 = res :  0.000E+00 ==
    """
    points = np.asarray(points, dtype=complex)
    blocks = [f"{points.shape[0]} {points.shape[1]}\n" + "=" * 75 + "\n"]
    for k, point in enumerate(points, start=1):
        coordinates = "".join(f" v{j} : {float(z.real)!r} {float(z.imag)!r}\n" for j, z in enumerate(point))
        blocks.append(f"solution {k} :\nt : 0.0 0.0\nm : 1\nthe solution for t :\n{coordinates}"
                      "== err :  0.000E+00 = rco :  1.000E+00 = res :  0.000E+00 ==\n")
    return "".join(blocks)


def menu_answers(gamma: complex, tasks: int = 1) -> str:
    """The answers to ``phc -p``'s questions, one a line, for the files ``target``, ``out``, ``start``, ``sols``.

    Without multitasking ``phc -p`` asks for: the target system's file, the output file, whether
    to write the solutions on a separate file (``n``), the start system's file, the start
    solutions' file; then the homotopy menu (``k 1``: relaxation power 1; ``a re im``: gamma;
    ``0``: done), the continuation parameters (``0``: keep them) and the intermediate output
    (``0``: none). With ``tasks > 1`` (``phc -p -tN``) the start system and its solutions come
    in one file (``start``, the solutions after ``THE SOLUTIONS :``), there is no question about a
    separate file, and the last question is whether to monitor the progress (``n``).

    EXAMPLES::

        >>> menu_answers(0.6 + 0.8j).split()
        ['target', 'out', 'n', 'start', 'sols', 'k', '1', 'a', '0.6', '0.8', '0', '0', '0']
        >>> menu_answers(1j, tasks=2).split()[:3], menu_answers(1j, tasks=2).split()[-3:]
        (['target', 'out', 'start'], ['0', '0', 'n'])
    """
    gamma = complex(gamma)
    homotopy = ["k", "1", "a", repr(float(gamma.real)), repr(float(gamma.imag)), "0"]
    if tasks > 1:
        lines = ["target", "out", "start", *homotopy, "0", "n"]
    else:
        lines = ["target", "out", "n", "start", "sols", *homotopy, "0", "0"]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------
# Reading PHCpack's output

_FLOAT = r"[-+]?\d+(?:\.\d*)?(?:[Ee][-+]?\d+)?"
_DIAGNOSTICS = re.compile(rf"==\s*err\s*:\s*({_FLOAT})\s*=\s*rco\s*:\s*({_FLOAT})\s*=\s*res\s*:\s*({_FLOAT})\s*(.*?)\s*==\s*$")


def _status(header: str, kind: str, t: complex, point: np.ndarray, rco: float) -> str:
    """One path's outcome from ``phc``'s words when it prints them, else from ``t``, the size and ``rco``."""
    kind, header = kind.strip(" =").lower(), header.lower()
    if "infinity" in kind or "infinity" in header:
        return "diverged"
    if "no solution" in kind or "failure" in header or abs(t.real - 1.0) > 1e-8:
        return "failed"
    if not np.all(np.isfinite(point)):
        return "failed"
    if np.max(np.abs(point), initial=0.0) > INFINITY:
        return "diverged"
    if "clustered" in kind:
        return "clustered"
    if "singular" in kind or "multiple" in kind:
        return "singular"
    if "regular" in kind or "single" in kind:
        return "regular"
    return "singular" if rco < SINGULAR_RCO else "regular"


def parse_solutions(text: str, nvars: int) -> dict:
    """The last ``THE SOLUTIONS`` block of a ``phc`` output file: points in ``v0 .. v(n-1)`` and diagnostics.

    Returns ``{"solutions", "status", "t", "multiplicity", "error", "rco", "residual"}`` (arrays in
    the order of the file). ``status`` of a path is ``regular``, ``singular`` (``rco`` small, or
    ``phc`` says singular or multiple), ``clustered`` (``phc`` found another path ending at the
    same point: a path may have jumped), ``diverged`` (at infinity) or ``failed`` (``phc``
    reports a failure, or the path stopped before ``t = 1``).

    EXAMPLES::

        >>> text = '''THE SOLUTIONS :
        ... 1 2
        ... =====
        ... solution 1 :    start residual :  2.220E-16   #iterations : 1   success
        ... t :  1.00000000000000E+00   0.00000000000000E+00
        ... m : 1
        ... the solution for t :
        ...  v1 :  3.0E+00   0.0E+00
        ...  v0 :  1.0E+00  -7.0E-01
        ... == err :  1.570E-16 = rco :  1.828E-01 = res :  2.220E-16 = complex regular ==
        ... '''
        >>> found = parse_solutions(text, 2)
        >>> found["solutions"], found["status"], found["rco"]
        (array([[1.-0.7j, 3.+0.j ]]), ['regular'], array([0.1828]))
    """
    start = text.rfind("THE SOLUTIONS :")
    if start < 0:
        raise BackendError("phc wrote no solutions (no 'THE SOLUTIONS :' in its output file)")
    lines = text[start:].splitlines()[1:]
    while lines and not lines[0].strip():
        lines.pop(0)
    try:
        count, width = (int(word) for word in lines[0].split()[:2])
    except (IndexError, ValueError):
        raise BackendError(f"phc's solution list starts with {lines[:1]!r}, not 'count dimension'") from None
    if width != nvars:
        raise BackendError(f"phc's solutions have {width} coordinates, expected {nvars}")
    solutions = np.full((count, nvars), np.nan, dtype=complex)
    found = {"status": [], "t": np.zeros(count, dtype=complex), "multiplicity": np.zeros(count, dtype=int),
             "error": np.full(count, np.nan), "rco": np.full(count, np.nan), "residual": np.full(count, np.nan)}
    k, i = -1, 1
    header = ""
    while i < len(lines) and k < count:
        line = lines[i].strip()
        i += 1
        if line.startswith("solution "):
            k, header = k + 1, line
        elif line.startswith("t :"):
            re_, im = line.split(":", 1)[1].split()[:2]
            found["t"][k] = complex(float(re_), float(im))
        elif line.startswith("m :"):
            found["multiplicity"][k] = int(line.split(":", 1)[1])
        elif line.startswith("the solution for t"):
            for _ in range(nvars):
                name, _, values = lines[i].partition(":")
                re_, im = values.split()[:2]
                solutions[k, int(name.strip()[1:])] = complex(float(re_), float(im))
                i += 1
        elif re.match(r"==\s*err", line):
            match = _DIAGNOSTICS.match(line)
            if match is None:
                raise BackendError(f"cannot read phc's line {line!r}")
            found["error"][k], found["rco"][k], found["residual"][k] = (float(g) for g in match.groups()[:3])
            # phc -p -tN puts another number in the imaginary part of t: only its real part is t
            found["status"].append(_status(header, match.group(4), complex(found["t"][k].real, 0.0),
                                           solutions[k], found["rco"][k]))
    if len(found["status"]) != count:
        raise BackendError(f"phc's output file lists {count} solutions but holds {len(found['status'])}")
    return {"solutions": solutions, **found}


# ----------------------------------------------------------------------------------------------
# Running phc


def track_parameter_homotopy(start_system, target_system, variables, start_solutions, timeout=None, gamma=None,
                             precision: int = 1, tasks: int = 1) -> dict:
    """Track ``start_solutions`` of ``start_system`` to ``target_system`` with ``phc -p``.

    ``start_system`` and ``target_system`` are lists of polynomial strings in Python or Sage
    syntax (``2.5*x0*x1 + (1.0+2.0j)*x2 - 3``, ``**`` or ``^``, ``j`` or ``I``) in the names
    ``variables``; ``start_solutions`` is a ``P x n`` complex array of solutions of
    ``start_system``. The homotopy is ``gamma (1 - t) start + t target`` (PHCpack's
    artificial-parameter homotopy with ``k = 1``): for two members ``F(x) - b0``, ``F(x) - b1`` of
    a family affine in its parameters it is a parameter homotopy. ``gamma``: a complex
    constant (default: random on the unit circle, returned).

    ``precision``: 1 (double, ``phc -p``), 2 (double double, ``-p2``) or 4 (quad double, ``-p4``);
    the end points are returned in double precision. ``tasks > 1`` runs ``phc -p -t<tasks>``
    (paths on that many threads). Raises :class:`~pipeline.errors.BudgetExceeded` after
    ``timeout`` seconds (default: what is left of the job's budget, or 600 s outside a job;
    ``phc`` is killed) and :class:`BackendError` when ``phc`` is missing or fails.

    Returns ``{"solutions": P x n complex array, in the order of start_solutions, "status": list
    of "regular" | "singular" | "clustered" | "diverged" | "failed" (:func:`parse_solutions`),
    "rco", "residual", "error": arrays of PHCpack's estimates (inverse condition number,
    residual, last Newton correction), "gamma", "seconds": phc's wall-clock time}``.

    EXAMPLES::

        >>> import numpy as np
        >>> start = ["x**2 + y**2 - 2", "x - y"]
        >>> target = ["x**2 + y**2 - (2+1j)", "x - y - 1"]
        >>> result = track_parameter_homotopy(start, target, ["x", "y"], np.array([[1, 1], [-1, -1]]))
        >>> x, y = result["solutions"].T
        >>> bool(np.allclose(x**2 + y**2 - (2+1j), 0) and np.allclose(x - y - 1, 0))
        True
        >>> track_parameter_homotopy(start, target, ["x", "y"], np.ones((1, 3)))
        Traceback (most recent call last):
        ...
        ValueError: start_solutions must be a P x 2 array (one column per variable), got shape (1, 3)
    """
    variables = [str(v) for v in variables]
    n = len(variables)
    points = np.atleast_2d(np.asarray(start_solutions, dtype=complex))
    if points.ndim != 2 or points.shape[1] != n:
        raise ValueError(f"start_solutions must be a P x {n} array (one column per variable), got shape "
                         f"{np.shape(start_solutions)}")
    if len(start_system) != n or len(target_system) != n:
        raise ValueError(f"phc -p needs square systems: {len(start_system)} start and {len(target_system)} target "
                         f"polynomials in {n} variables")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {sorted(PRECISIONS)} (double, double double, quad double)")
    if gamma is None:
        gamma = complex(np.exp(2j * np.pi * np.random.default_rng().random()))
    gamma = complex(gamma)
    if timeout is None:
        timeout = seconds_left(default=600)
    if points.shape[0] == 0:
        return {"solutions": points.copy(), "status": [], "rco": np.zeros(0), "residual": np.zeros(0),
                "error": np.zeros(0), "gamma": gamma, "seconds": 0.0}
    tasks = max(1, int(tasks))
    command = [str(phc_binary()), PRECISIONS[precision]] + ([f"-t{tasks}"] if tasks > 1 else [])
    with tempfile.TemporaryDirectory(prefix="nm-phc-") as tmp:
        folder = Path(tmp)
        (folder / "target").write_text(phc_system(target_system, variables))
        start_text = phc_system(start_system, variables)
        if tasks > 1:
            (folder / "start").write_text(start_text + "\nTHE SOLUTIONS :\n" + phc_solutions(points))
        else:
            (folder / "start").write_text(start_text)
            (folder / "sols").write_text(phc_solutions(points))
        (folder / "answers").write_text(menu_answers(gamma, tasks))
        began = time.monotonic()
        with open(folder / "answers") as answers:
            returncode, stdout, stderr = run_contained(command, "phc -p", timeout, stdin=answers, cwd=tmp)
        seconds = time.monotonic() - began
        output = folder / "out"
        text = output.read_text() if output.is_file() else ""
        if returncode != 0 or "THE SOLUTIONS :" not in text:
            tail = (stdout + stderr).strip()[-1500:]
            raise BackendError(f"phc -p failed ({exit_description(returncode)}): {tail}")
    found = parse_solutions(text, n)
    if found["solutions"].shape[0] != points.shape[0]:
        raise BackendError(f"phc -p returned {found['solutions'].shape[0]} end points for {points.shape[0]} paths")
    log.debug("phc -p: %d paths in %.2f s (%s)", points.shape[0], seconds,
              ", ".join(f"{s} {found['status'].count(s)}" for s in sorted(set(found["status"]))))
    return {"solutions": found["solutions"], "status": found["status"], "rco": found["rco"],
            "residual": found["residual"], "error": found["error"], "gamma": gamma, "seconds": seconds}
