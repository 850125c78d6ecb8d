"""The import layering of linter/smlint/, enforced in CI (the README's test command runs this file).

Three checks, all counting imports inside functions as well as those at the top of a module:

- import-linter's contracts in pyproject.toml (`[tool.importlinter]`): no cycle among the modules of a
  package (`acyclic_siblings`), and the layers cli > app > gate > engine > checks > formats > model and the
  leaf modules (`layers`);
- a walk of every module's syntax tree here, which also counts the import a package's `__init__` makes of
  its own submodules, so that no cycle hides behind a package (import-linter does not see those edges).

A lazy import is kept only where start-up time needs it, at one of the boundaries the table of
docs/architecture.md ("Import layers") lists; the third check reads that table, fails on an import inside a
function that no row allows and on a row that no import uses. A lazy import still points down the layers.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "linter" / "smlint"


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists():
        pytest.fail("lint-imports is missing: install the dev extras (pip install -e '.[dev]')")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Which smlint modules each smlint module imports, wherever the import statement stands."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_through_a_package() -> None:
    graph = {"p": {"p.a"}, "p.a": {"p.b"}, "p.b": {"p"}, "q": {"p"}}
    assert cycles(graph) == [["p", "p.a", "p.b"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_contract_ignores_an_import() -> None:
    """A cycle is removed by fixing the structure (a leaf module, a record moved down), never by listing the
    import that closes it: the contracts hold for every import there is."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert [c["id"] for c in config["contracts"]] == ["acyclic", "layers"]
    assert [c["id"] for c in config["contracts"] if c.get("ignore_imports")] == []


def test_no_import_cycle_among_smlint_modules_counting_imports_inside_functions() -> None:
    assert cycles(import_graph()) == []


ARCHITECTURE = ROOT / "docs" / "architecture.md"


def lazy_imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) of every import statement inside a function of smlint.
    `from smlint import laws` counts as an import of `smlint.laws`."""
    modules = {module_name(path) for path in PACKAGE.rglob("*.py")}
    found: list[tuple[str, str, int]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        functions = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
        seen: set[int] = set()
        for function in functions:
            for node in ast.walk(function):
                if id(node) in seen or not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                seen.add(id(node))
                if isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                else:
                    base = node.module or ""
                    if node.level:
                        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                        base = ".".join([*anchor, base] if base else anchor)
                    submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
                    targets = submodules or [base]
                found.extend((name, target, node.lineno) for target in targets)
    return found


def boundaries() -> list[tuple[set[str], set[str]]]:
    """The rows of docs/architecture.md's table of start-up boundaries: (modules imported, importers);
    an empty set stands for "anything"."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("<!-- lazy-imports:start -->")[1].split("<!-- lazy-imports:end -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        imported, importers = line.split("|")[1:3]
        rows.append((set(re.findall(r"`([\w.]+)`", imported)), set(re.findall(r"`([\w.]+)`", importers))))
    return rows


def test_every_import_inside_a_function_is_at_a_named_start_up_boundary() -> None:
    rows = boundaries()
    assert len(rows) >= 10
    used = [False] * len(rows)
    outside = []
    for importer, imported, line in lazy_imports():
        allowed = [i for i, (names, importers) in enumerate(rows)
                   if (not names or imported in names) and importer in importers]
        if not allowed:
            outside.append(f"{importer}:{line} imports {imported}")
        for i in allowed:
            used[i] = True
    assert outside == [], "imports inside functions at no boundary of docs/architecture.md:\n" + "\n".join(outside)
    unused = [sorted(rows[i][0]) or "anything" for i, flag in enumerate(used) if not flag]
    assert unused == [], f"boundaries no import uses (stale rows of docs/architecture.md): {unused}"


def test_the_boundary_check_sees_imports_inside_functions_and_methods() -> None:
    imports = lazy_imports()
    assert ("smlint.loader", "smlint.prose", 0) in [(a, b, 0) for a, b, _ in imports]
    assert any(importer == "smlint.cli" for importer, _, _ in imports)
    assert not any(imported == "smlint.model" and importer == "smlint.engine" for importer, imported, _ in imports)


def test_only_the_reporters_import_a_module_by_name() -> None:
    """`importlib.import_module` hides an import from both checks: only `reporters.render` may use it (one
    module per output format, docs/architecture.md)."""
    users = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("import_module", "__import__"):
                    users.add(module_name(path))
    assert users == {"smlint.reporters"}
