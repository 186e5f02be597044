"""The package's stages import only downward, and no module imports itself round a cycle.

Stages, lowest first: base, school, delivery, scenario, model, present, experiments, analysis,
faces.
The root package (``inclusion_sim/__init__.py``) is the public API and may import any stage; no
stage imports the root package. The graph is read from the source with `ast`, so lazy imports
inside functions and imports under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "inclusion_sim"
STAGES = ("base", "school", "delivery", "scenario", "model", "present", "experiments", "analysis",
          "faces")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path, modules: set[str]) -> list[tuple[str, bool]]:
    """(imported module of this package, is a runtime import) for every import in `path`."""
    tree = ast.parse(path.read_text())
    typing_only = _type_checking_lines(tree)
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "inclusion_sim":
                found.append((target, node.lineno not in typing_only))
    return found


def graph() -> dict[str, list[tuple[str, bool]]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_belongs_to_a_stage():
    loose = [m for m in graph() if m != "inclusion_sim" and stage_of(m) is None]
    assert not loose, f"modules outside the stage folders: {loose}"


def test_no_stage_imports_a_higher_stage_or_the_root_package():
    upward = []
    for module, targets in graph().items():
        here = stage_of(module)
        if here is None:
            continue
        for target, _ in targets:
            there = stage_of(target)
            if there is None:
                upward.append(f"{module} imports the root package ({target})")
            elif STAGES.index(there) > STAGES.index(here):
                upward.append(f"{module} ({here}) imports {target} ({there})")
    assert not upward, "\n".join(upward)


def test_no_import_cycles():
    runtime = {m: {t for t, at_runtime in ts if at_runtime} for m, ts in graph().items()}

    def close(target: str) -> str:
        # `from inclusion_sim.model import steps` names a module; a name inside a module does not
        while target not in runtime and "." in target:
            target = target.rsplit(".", 1)[0]
        return target

    edges = {m: {close(t) for t in ts} - {m} for m, ts in runtime.items()}
    # a package's __init__ importing its own submodules is how re-exports work, not a cycle
    for module in edges:
        edges[module] = {t for t in edges[module] if not t.startswith(module + ".")}
    cycles, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("source, expected", [
    ("from inclusion_sim.faces.plots import plot_run\n", "upward"),
    ("from inclusion_sim import run\n", "root"),
])
def test_the_checker_catches_an_upward_import(tmp_path, monkeypatch, source, expected):
    """The checks above are not vacuous: a model module importing a face is reported."""
    fake = PACKAGE / "model" / "mechanisms" / "therapy.py"
    original = fake.read_text()
    monkeypatch.setattr(Path, "read_text",
                        lambda self, *a, **k: (original + source) if self == fake
                        else Path.read_bytes(self).decode())
    with pytest.raises(AssertionError) as err:
        test_no_stage_imports_a_higher_stage_or_the_root_package()
    assert ("root package" if expected == "root" else "inclusion_sim.faces.plots") in str(err.value)
