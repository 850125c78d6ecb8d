"""The project index: what cross-artifact rules need from each artifact, not the artifact itself.

Each document (and each view derived from it) gives one `Entry`: its path and kind, and for each repository
rule the facts that rule's join needs (see `checks/repository.py`): which selectors it matches, where a finding
would point, digests of reference texts and reference numbers. Entries are small, hold no text of the file,
and can be cached between runs (`smlint.cache`); the joins run on entries only, so a run keeps entries of
the project's other files, never their documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smlint.checks import CHECKS
from smlint.document import Document
from smlint.model import Rule
from smlint.naming import artifact_name


@dataclass(frozen=True)
class Entry:
    """One document's facts, by repository rule id."""

    path: str
    kind: str
    facts: Mapping[str, Mapping[str, Any]]
    # the artifact's own name, redacted (`naming.artifact_name`), to name it in other artifacts' findings;
    # never cached (a cached entry has none, and is named by its file)
    name: str = ""


def repository_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rule for rule in rules if rule.scope == "repository" and rule.check.get("type") != "tool")


def extract(doc: Document, rules: Sequence[Rule]) -> Entry | None:
    """The facts of `doc` for `rules` (repository rules), or None when no rule needs anything from it."""
    if doc.kind is None:
        return None
    facts: dict[str, Mapping[str, Any]] = {}
    for rule in rules:
        index = CHECKS[rule.check["type"]].index
        found = index(doc, rule.params) if index is not None else None
        if found:
            facts[rule.id] = found
    return Entry(doc.path, doc.kind, facts, artifact_name(doc.kind, doc.data)) if facts else None


def extract_all(docs: Iterable[Document], rules: Sequence[Rule]) -> list[Entry]:
    return [entry for doc in docs if (entry := extract(doc, rules)) is not None]
