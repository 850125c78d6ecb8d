"""Files kept in step with smlint's registries: regenerate them, or list the ones that are stale.

    python -m smlint.generate --write    # rewrite every generated part from the registries
    python -m smlint.generate            # list the stale files (exit 1 when any is), writing nothing

A developer's tool, run in a checkout (it finds the files beside `linter/`); smlint never runs it while
checking. Each `Part` is one file and a function from its current text to its text as the registries
say it should be; only the generated region of a file changes (a schema's enum, a rule's `kinds:` line,
a Markdown table between `<!-- name:start -->` and `<!-- name:end -->` markers). The test suite fails
on a stale file (tests/unit/test_generated.py), as it does for the rule index.

What is generated from the kinds registry (`smlint.kinds`):

- `schemas/rule.schema.json` `$defs/kind` (every kind a rule may name), `schemas/config.schema.json`
  `kinds` values (the kinds a glob may give), `schemas/vendor.schema.json` `$defs/export-entry` `format` (the
  exports a vendor's `export:` entry may name);
- the `kinds:` of SM000 and SM001 in `rules/sm000-tool.yaml` (they apply to every kind), and with it the
  rule index `rules/index.json` (`smlint.rulecache`);
- the kind tables: README.md (smlint's own artifacts), docs/formats.md (the real formats) and
  docs/architecture.md (every kind, every field of its record).

What is generated from the checks' declarations (`smlint.checks`, see docs/architecture.md#checks):

- `schemas/rule.schema.json` `$defs/check`: the closed set of check types, and for each its parameters
  (`if`/`then` branches), from each check's parameters dataclass;
- the checks tables: docs/custom-rules.md (for rule writers: parameters, message variables, what each does)
  and docs/architecture.md (for contributors: where each is written).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from smlint import kinds
from smlint.checks import CHECKS, CheckSpec
from smlint.checks.params import NOT_GIVEN, check_schema, declared_params
from smlint.fsutil import atomic_write
from smlint.kinds import ARTIFACT, KINDS, Kind
from smlint.records import record
from smlint.rulecache import builtin_rule_files, index_text, plain_data

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout: linter/smlint/generate.py
EVERY_KIND_RULES = ("SM000", "SM001")  # reading and schema validation apply to every kind
KINDS_SOURCE = "linter/smlint/kinds.py"
CHECKS_SOURCE = "the checks' declarations in linter/smlint/checks/"
WIDTH = 120  # ruff's line length, for the YAML lists


@record
class Part:
    """One generated file: its path in the checkout and how its text follows from the registries."""

    path: str
    render: Callable[[str], str]


# -- JSON schemas -------------------------------------------------------------------------------------


def _json_enum(pointer: Sequence[str], values: Callable[[], Sequence[str]]) -> Callable[[str], str]:
    def render(text: str) -> str:
        data = json.loads(text)
        node: Any = data
        for key in pointer:
            node = node[key]
        node["enum"] = list(values())
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    return render


def _json_def(name: str, value: Callable[[], Any]) -> Callable[[str], str]:
    """A schema's `$defs/<name>` replaced (in its place among the others)."""

    def render(text: str) -> str:
        data = json.loads(text)
        data["$defs"][name] = value()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    return render


# -- rule files ---------------------------------------------------------------------------------------


def _yaml_list(indent: str, key: str, items: Sequence[str]) -> str:
    """`key: [a, b, ...]` at `indent`, wrapped under its first item to stay within `WIDTH`."""
    head = f"{indent}{key}: ["
    lines: list[str] = []
    line = head
    for position, item in enumerate(items):
        word = item + ("]" if position == len(items) - 1 else ",")
        if line not in (head, " " * len(head)) and len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = " " * len(head)
        line += word if line in (head, " " * len(head)) else " " + word
    lines.append(line)
    return "\n".join(lines)


def _rule_kinds(rule_ids: Sequence[str], values: Callable[[], Sequence[str]]) -> Callable[[str], str]:
    def render(text: str) -> str:
        for rule_id in rule_ids:
            start = re.search(rf"^(\s*)- id: {re.escape(rule_id)}\s*$", text, re.MULTILINE)
            if start is None:
                raise ValueError(f"rule {rule_id} not found")
            found = re.compile(r"^(\s*)kinds: \[[^\]]*\]", re.MULTILINE).search(text, start.end())
            if found is None:
                raise ValueError(f"rule {rule_id} has no `kinds: [...]`")
            text = text[:found.start()] + _yaml_list(found.group(1), "kinds", values()) + text[found.end():]
        return text

    return render


def _rule_index(text: str) -> str:
    return index_text(builtin_rule_files(), plain_data)


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


def readme_rows() -> list[str]:
    """README.md: smlint's own artifacts."""
    rows = ["| kind | what it describes | schema |", "|---|---|---|"]
    for kind in KINDS:
        if kind.origin == ARTIFACT:
            rows.append(f"| `{kind.name}` | {_cell(kind.describes)} | "
                        f"[`schemas/{kind.schema}`](schemas/{kind.schema}) |")
    return rows


def formats_rows() -> list[str]:
    """docs/formats.md: the real formats, as they come out of other systems."""
    rows = ["| format | kind in findings and rules | recognised by | schema |", "|---|---|---|---|"]
    for kind in KINDS:
        if kind.origin != ARTIFACT:
            also = "".join(f", plus an `{view}` view" for view in kind.views if view in kinds.BY_NAME)
            rows.append(f"| {_cell(kind.describes)} | `{kind.name}`{also} | {_cell(kind.recognised_by)} | "
                        f"[`{kind.name}`](../schemas/{kind.schema}) |")
    return rows


def recognised(kind: Kind) -> str:
    """How a file is read as `kind`, in short (docs/architecture.md)."""
    ways = ["`kind:`"]
    if kind.shape:
        ways.append("shape (`shapes.py`)")
    if kind.export:
        ways.append("a vendor's `export.format`")
    if kind.suffixes:
        ways.append("file name (" + ", ".join(f"`{suffix}`" for suffix in kind.suffixes) + ")")
    if kind.by_config:
        ways.append("configuration `kinds` globs")
    return ", ".join(ways)


def architecture_rows() -> list[str]:
    """docs/architecture.md: every kind with every field of its record."""
    rows = ["| kind | from | recognised by | views | names itself by | label in reports | schema |",
            "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        views = ", ".join(f"`{view}`" for view in kind.views) or "none"
        name_field = f"`{kind.name_field}`" if kind.name_field else "none"
        rows.append(f"| `{kind.name}` | {kind.origin} | {recognised(kind)} | {views} | {name_field} | "
                    f"{_cell(kind.label)} | [`{kind.schema}`](../schemas/{kind.schema}) |")
    return rows


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


PARTS: tuple[Part, ...] = (
    Part("schemas/rule.schema.json", _json_enum(("$defs", "kind"), lambda: kinds.NAMES)),
    Part("schemas/config.schema.json",
         _json_enum(("properties", "kinds", "additionalProperties"), lambda: kinds.CONFIG_KINDS)),
    Part("schemas/vendor.schema.json",
         _json_enum(("$defs", "export-entry", "properties", "format"), lambda: kinds.EXPORT_KINDS)),
    Part("rules/sm000-tool.yaml", _rule_kinds(EVERY_KIND_RULES, lambda: kinds.NAMES)),
    Part("rules/index.json", _rule_index),  # after the rule files it indexes
    Part("README.md", _between("kinds-artifacts", readme_rows, KINDS_SOURCE)),
    Part("docs/formats.md", _between("kinds-formats", formats_rows, KINDS_SOURCE)),
    Part("docs/architecture.md", _between("kinds", architecture_rows, KINDS_SOURCE)),
    Part("schemas/rule.schema.json", _json_def("check", lambda: check_schema(CHECKS))),
    Part("docs/custom-rules.md", _between("checks", checks_rows, CHECKS_SOURCE)),
    Part("docs/architecture.md", _between("checks", checks_code_rows, CHECKS_SOURCE)),
)


def run(parts: Sequence[Part] = PARTS, *, write: bool, root: Path = ROOT) -> list[str]:
    """The parts whose file differs from what the registries say (rewritten first when `write`)."""
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
