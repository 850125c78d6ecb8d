"""Files kept in step with smlint's declarations: regenerate them, or list the ones that are stale.

    python -m smlint.generate --write    # rewrite every generated part from the declarations
    python -m smlint.generate            # list the stale files (exit 1 when any is), writing nothing

A developer's tool, run in a checkout (it finds the files beside `linter/`); smlint never runs it while
checking. Each `Part` is one file and a function from its current text to its text as the declarations say
it should be; only the generated region of a file changes (a schema's definition, a Markdown table between
`<!-- name:start -->` and `<!-- name:end -->` markers). The test suite fails on a stale file
(tests/unit/test_generated.py), as it does for the rule index (`python -m smlint.rulecache`).

What is generated from the checks' declarations (`smlint.checks`, see docs/architecture.md#checks):

- `schemas/rule.schema.json` `$defs/check`: the closed set of check types, and for each its parameters
  (`if`/`then` branches), from each check's parameters dataclass;
- the checks tables: docs/custom-rules.md (for rule writers: parameters, message variables, what each does)
  and docs/architecture.md (for contributors: where each is written).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smlint.checks import CHECKS, CheckSpec
from smlint.checks.params import NOT_GIVEN, check_schema, declared_params

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout: linter/smlint/generate.py


@dataclass(frozen=True)
class Part:
    """One generated file: its path in the checkout and how its text follows from the declarations."""

    path: str
    render: Callable[[str], str]


# -- JSON schemas -------------------------------------------------------------------------------------


def _json_def(name: str, value: Callable[[], Any]) -> Callable[[str], str]:
    """A schema's `$defs/<name>` replaced (in its place among the others)."""

    def render(text: str) -> str:
        data = json.loads(text)
        data["$defs"][name] = value()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    return render


# -- Markdown tables ----------------------------------------------------------------------------------


def _between(name: str, rows: Callable[[], Sequence[str]], source: str) -> Callable[[str], str]:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"

    def render(text: str) -> str:
        first = text.find(start)
        last = text.find(end, first)
        if first < 0 or last < 0:
            raise ValueError(f"markers {start} ... {end} not found")
        note = f"<!-- generated from {source}: edit there, then run python -m smlint.generate --write -->"
        body = "\n".join([note, *rows()])
        return text[:first + len(start)] + "\n" + body + "\n" + text[last:]

    return render


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


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


def checks_rows() -> list[str]:
    """docs/custom-rules.md: the checks a rule can name, for rule writers."""
    rows = ["| check | scope | parameters (**required**) | message variables | what it does |",
            "|---|---|---|---|---|"]
    for spec in CHECKS.values():
        rows.append(f"| `{spec.name}` | {spec.scope} | {_parameters(spec)} | {_variables(spec)} | "
                    f"{_cell(spec.summary)} |")
    return rows


def checks_code_rows() -> list[str]:
    """docs/architecture.md: where each check is written, for contributors."""
    rows = ["| check | scope | written in | parameters dataclass | reads facts three-valued (`unknown:`) |",
            "|---|---|---|---|---|"]
    for spec in CHECKS.values():
        function = spec.artifact or spec.repository
        where = (f"`{function.__module__.removeprefix('smlint.')}.{function.__name__}`" if function is not None
                 else "a stage of the pipeline")
        rows.append(f"| `{spec.name}` | {spec.scope} | {where} | `{spec.params.__name__}` | "
                    f"{'yes' if spec.judges_facts else ''} |")
    return rows


CHECKS_SOURCE = "the checks' declarations in linter/smlint/checks/"

PARTS: tuple[Part, ...] = (
    Part("schemas/rule.schema.json", _json_def("check", lambda: check_schema(CHECKS))),
    Part("docs/custom-rules.md", _between("checks", checks_rows, CHECKS_SOURCE)),
    Part("docs/architecture.md", _between("checks", checks_code_rows, CHECKS_SOURCE)),
)


def run(parts: Sequence[Part] = PARTS, *, write: bool, root: Path = ROOT) -> list[str]:
    """The parts whose file differs from what the declarations say (rewritten first when `write`)."""
    from smlint.fsutil import atomic_write  # a developer's tool: smlint's checks never load this module

    stale = []
    for part in parts:
        path = root / part.path
        text = path.read_text(encoding="utf-8")
        wanted = part.render(text)
        if wanted != text:
            stale.append(part.path)
            if write:
                atomic_write(path, wanted)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    write = "--write" in args
    stale = run(write=write)
    for path in stale:
        print(f"{'rewrote' if write else 'stale'}: {path}")
    if not stale:
        print("every generated file is current")
    return 1 if stale and not write else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
