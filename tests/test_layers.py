"""The package's layers, checked: every import (function-level ones included) points to the same
layer or one below, and no two modules import each other, even through others.

Layers, from the bottom: errors; the model (layer kinds, slugs and architectures); pure algebra; engines
(Macaulay2, msolve, point counting, mod-p evaluation, budgets, process control); invariants
(specs and their methods); execution (runner, records, config checks); reporting (tables,
figures, summary); the interfaces (CLI, notebook kernel).
"""

import ast
from pathlib import Path

from conftest import REPO

#: (layer, module-name prefixes), bottom first; a module's layer is that of its longest prefix.
LAYERS = [
    ("errors", ("pipeline", "pipeline.errors")),
    ("model", ("pipeline.layers", "pipeline.spec", "pipeline.architectures")),
    ("algebra", ("pipeline.algebra",)),
    ("engines", ("pipeline.engines",)),
    ("invariants", ("pipeline.invariants",)),
    ("execution", ("pipeline.execution",)),
    ("reporting", ("pipeline.reporting",)),
    ("interfaces", ("pipeline.cli", "pipeline.notebook_kernel")),
]


def layer_of(module: str) -> int:
    best, layer = -1, None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, layer = len(prefix), index
    assert layer is not None, f"{module} is in no layer: add it to LAYERS"
    return layer


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every pipeline module that ``path`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("pipeline")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            for alias in node.names:  # "from pipeline.x import y": y may be a module itself
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (REPO / (candidate.replace(".", "/") + ".py")).exists()
                          or (REPO / candidate.replace(".", "/") / "__init__.py").exists() else node.module)
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in (REPO / "pipeline").rglob("*.py")}


def test_every_import_points_down_or_sideways():
    upward = []
    for module, imported in graph().items():
        for target in imported:
            if layer_of(target) > layer_of(module):
                upward.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                              f"({LAYERS[layer_of(target)][0]})")
    assert not upward, "\n".join(sorted(upward))


def test_no_import_cycles():
    edges = {module: {t for t in targets if t != module} for module, targets in graph().items()}
    # a package imports nothing of its own modules except through them; ignore package -> submodule edges
    # only where the package is what the submodule imports (the package's face)
    state, cycles = {}, []

    def visit(module, stack):
        state[module] = "active"
        for target in edges.get(module, ()):
            if state.get(target) == "active":
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_layers_are_folders_a_newcomer_can_see():
    for folder in ("algebra", "engines", "invariants", "invariants/methods"):
        assert (REPO / "pipeline" / folder / "__init__.py").is_file(), folder
