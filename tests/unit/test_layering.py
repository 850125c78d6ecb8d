"""The import layering of linter/smlint/, enforced in CI (the README's test command runs this file).

Two checks, both counting imports inside functions as well as those at the top of a module:

- import-linter's contracts in pyproject.toml (`[tool.importlinter]`): no cycle among the modules of a
  package (`acyclic_siblings`), and the layers cli > app > gate > engine > checks > formats > model and the
  leaf modules (`layers`);
- a walk of every module's syntax tree here, which also counts the import a package's `__init__` makes of
  its own submodules, so that no cycle hides behind a package (import-linter does not see those edges).

A lazy import is kept only where start-up time needs it: it must still point down the layers.
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


def ignored_imports() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """The imports the acyclic contract in pyproject.toml lets stand for now (each goes with its cycle), as
    import-linter reads them: `*` stands for one module name, `**` for any number."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "acyclic_siblings"]
    def pattern(expression: str) -> re.Pattern[str]:
        parts = [".+" if part == "**" else "[^.]+" if part == "*" else re.escape(part)
                 for part in expression.strip().split(".")]
        return re.compile(r"\.".join(parts))

    return [(pattern(line.split("->")[0]), pattern(line.split("->")[1])) for line in contract.get("ignore_imports", ())]


def test_no_import_cycle_among_smlint_modules_counting_imports_inside_functions() -> None:
    graph = import_graph()
    ignored = ignored_imports()
    for importer in graph:
        graph[importer] = {imported for imported in graph[importer]
                           if not any(a.fullmatch(importer) and b.fullmatch(imported) for a, b in ignored)}
    assert cycles(graph) == []
