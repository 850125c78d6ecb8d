"""Facts the files leave out: SM030, one finding per artifact listing what to record.

A rule that reads a fact a file does not record (see `checks.conditions.judge`) and declares
``unknown: report`` (the default) makes no finding of its own. The engine collects what it needed as a
`Need` (the path it read, the rule) and, once the artifact's rules and the project's joins have run,
turns all of an artifact's needs into one SM030 finding at the artifact's top, worded as missing
information: "record whether this vendor encrypts the client information it stores (needed by SM316,
SM407)". The phrase for each path comes from the artifact's schema (``x-smlint-record``), so the same
fact reads the same whichever rule needs it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from smlint.model import Finding
from smlint.records import record
from smlint.schema import load_schema

RECORD_KEY = "x-smlint-record"


@record
class Need:
    """A fact a rule needed and the file does not record: a path of the artifact (rule text, never a
    value from the file) and the rule's id."""

    path: str
    rule: str


@dataclass(frozen=True, slots=True)
class NeedsFinding(Finding):
    """A partial SM030 finding: one artifact's needs found so far (merged by `merge`)."""

    needs: tuple[Need, ...] = ()


def top_pointer(data: Any) -> str:
    """Where an artifact-level finding points: the `kind:` key when there is one, else the document."""
    return "/kind" if isinstance(data, Mapping) and "kind" in data else ""


@cache
def _schema(kind: str) -> Mapping[str, Any] | None:
    try:
        return load_schema(kind)
    except OSError:
        return None


def phrase(kind: str, path: str) -> str:
    """How to ask for the value at `path` of a `kind` artifact: the schema's ``x-smlint-record`` text for
    that property, else the field's path."""
    schema = _schema(kind)
    node: Any = schema
    for segment in path.strip("/").split("/"):
        if not isinstance(node, Mapping):
            node = None
            break
        if segment.isdigit() and isinstance(node.get("items"), Mapping):  # a list item: its schema is `items`
            node = node["items"]
            continue
        properties = node.get("properties")
        node = properties.get(segment) if isinstance(properties, Mapping) else None
    if isinstance(node, Mapping) and isinstance(node.get(RECORD_KEY), str):
        return str(node[RECORD_KEY])
    return f"'{path.strip('/').replace('/', '.')}'"


def describe(kind: str, needs: Iterable[Need]) -> str:
    """The facts to record, each with the rules that need it, in the order first needed."""
    by_phrase: dict[str, list[str]] = defaultdict(list)
    for need in needs:
        rules = by_phrase[phrase(kind, need.path)]
        if need.rule not in rules:
            rules.append(need.rule)
    parts = [f"{text} (needed by {', '.join(sorted(rules))})" for text, rules in by_phrase.items()]
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def merge(findings: Sequence[Finding], template: str) -> list[Finding]:
    """The findings with every artifact's partial SM030 findings made into one, its message listing all
    the artifact's needs (`template` is SM030's message, with `{facts}`)."""
    partial: dict[tuple[str, int, int], list[NeedsFinding]] = defaultdict(list)
    out: list[Finding] = []
    for finding in findings:
        if isinstance(finding, NeedsFinding):
            partial[finding.path, finding.line, finding.column].append(finding)
        else:
            out.append(finding)
    for group in partial.values():
        first = group[0]
        needs = tuple(dict.fromkeys(need for f in group for need in f.needs))
        out.append(replace(first, needs=needs, message=template.format(facts=describe(first.kind, needs))))
    return out
