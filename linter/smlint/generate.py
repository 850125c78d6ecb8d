"""Regenerate the parts of the checkout that are derived from declarations in the code (for developers).

    python -m smlint.generate           # rewrite every generated part that is stale
    python -m smlint.generate --check   # only say which are stale (exit 1), as tests/unit/test_generated.py does

Each entry of `GENERATORS` rewrites one part of one file from one source of truth:

- ``schemas/rule.schema.json``, ``$defs/check``: the closed set of check types and each one's parameters,
  from the checks' declarations (`smlint.checks`);
- ``docs/custom-rules.md`` and ``docs/architecture.md``: the checks tables, between the lines
  ``<!-- generated: NAME (python -m smlint.generate) -->`` and ``<!-- end generated: NAME -->``.

Everything else in those files is written by hand and left as it is. The built-in rules' start-up index has
its own command (`python -m smlint.rulecache`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smlint.checks import CHECKS, CheckSpec
from smlint.checks.params import NOT_GIVEN, check_schema, declared_params

COMMAND = "python -m smlint.generate"


@dataclass(frozen=True)
class Generator:
    """One generated part: the file it lives in (relative to the checkout) and how to rewrite its text."""

    path: str
    rewrite: Callable[[str], str]


def checkout() -> Path:
    """The checkout whose files are generated: the one this package is imported from (linter/smlint/)."""
    return Path(__file__).resolve().parents[2]


# -- JSON schemas ---------------------------------------------------------------------------------


def json_text(data: Any) -> str:
    """A schema file's text as the checkout writes them: two-space indents, UTF-8, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def schema_def(name: str, make: Callable[[], Any]) -> Callable[[str], str]:
    """A rewrite of a schema file that replaces its `$defs/<name>` (keeping its place among the others)."""

    def rewrite(text: str) -> str:
        schema = json.loads(text)
        schema["$defs"][name] = make()
        return json_text(schema)

    return rewrite


# -- Markdown blocks ------------------------------------------------------------------------------


def block(name: str, make: Callable[[], str]) -> Callable[[str], str]:
    """A rewrite of a Markdown file that replaces what stands between the markers of block `name`."""
    begin = f"<!-- generated: {name} ({COMMAND}) -->"
    end = f"<!-- end generated: {name} -->"
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.DOTALL)

    def rewrite(text: str) -> str:
        if begin not in text or end not in text:
            raise ValueError(f"the markers of the generated block '{name}' are missing: {begin} ... {end}")
        body = make().rstrip("\n")
        return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text, count=1)

    return rewrite


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _parameters(spec: CheckSpec) -> str:
    names = ["`when`"] if spec.scope == "artifact" else []
    for f, declared in declared_params(spec.params):
        if not declared.from_rule:
            names.append(f"**`{f.name}`**" if f.default is NOT_GIVEN else f"`{f.name}`")
    return ", ".join(names) or "none"


def _variables(spec: CheckSpec) -> str:
    shown = ", ".join(f"`{{{v}}}`" for v in sorted(spec.variables)) or "none"
    if spec.variants:
        shown += "; outcomes " + ", ".join(f"`{v}`" for v in sorted(spec.variants))
    return shown


def checks_table() -> str:
    """The checks a rule can name, for rule writers (docs/custom-rules.md)."""
    rows = ["| Check | Scope | Parameters (**required**) | Message variables | What it does |",
            "|---|---|---|---|---|"]
    for spec in CHECKS.values():
        rows.append(f"| `{spec.name}` | {spec.scope} | {_parameters(spec)} | {_variables(spec)} | "
                    f"{_cell(spec.summary)} |")
    return "\n".join(rows) + "\n"


def checks_code_table() -> str:
    """Where each check is written, for contributors (docs/architecture.md)."""
    rows = ["| Check | Scope | Written in | Parameters dataclass | Reads facts three-valued (`unknown:`) |",
            "|---|---|---|---|---|"]
    for spec in CHECKS.values():
        function = spec.artifact or spec.repository
        where = (f"`{function.__module__.removeprefix('smlint.')}.{function.__name__}`" if function is not None
                 else "a stage of the pipeline")
        three_valued = "yes" if spec.judges_facts else ""
        rows.append(f"| `{spec.name}` | {spec.scope} | {where} | `{spec.params.__name__}` | {three_valued} |")
    return "\n".join(rows) + "\n"


GENERATORS: list[Generator] = [
    Generator("schemas/rule.schema.json", schema_def("check", lambda: check_schema(CHECKS))),
    Generator("docs/custom-rules.md", block("checks", checks_table)),
    Generator("docs/architecture.md", block("checks", checks_code_table)),
]


def stale(root: Path, generators: Sequence[Generator] = ()) -> list[tuple[Path, str]]:
    """The files whose generated parts are out of date, each with the text it should have."""
    found: dict[Path, str] = {}
    for generator in generators or GENERATORS:
        path = root / generator.path
        current = found.get(path) or path.read_text(encoding="utf-8")
        found[path] = generator.rewrite(current)
    return [(path, text) for path, text in found.items() if path.read_text(encoding="utf-8") != text]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smlint.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only list the stale files (exit 1 if any)")
    args = parser.parse_args(argv)
    root = checkout()
    outdated = stale(root)
    for path, text in outdated:
        if args.check:
            print(f"stale: {path.relative_to(root)}")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"regenerated {path.relative_to(root)}")
    if not outdated:
        print("every generated part is up to date")
    return 1 if args.check and outdated else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
