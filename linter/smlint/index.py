"""The project index: what cross-artifact rules need from each artifact, not the artifact itself.

Each document (and each view derived from it) gives one `Entry`: its path and kind, and for each repository
rule the facts that rule's join needs (see `checks/repository.py`): which selectors it matches, where a finding
would point, digests of reference texts and reference numbers. Entries are small, hold no text of the file,
and can be cached between runs (`smlint.cache`); the joins run on entries only, so a run keeps entries of
the project's other files, never their documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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
        found = index(doc, rule.check) if index is not None else None
        if found:
            facts[rule.id] = found
    return Entry(doc.path, doc.kind, facts, artifact_name(doc.kind, doc.data)) if facts else None


def extract_all(docs: Iterable[Document], rules: Sequence[Rule]) -> list[Entry]:
    return [entry for doc in docs if (entry := extract(doc, rules)) is not None]


# a file's entry for one rule: its kind, its facts for that rule, and its name (`Entry.name`)
Found = tuple[str, Mapping[str, Any], str]
# for a rule: the entries that have facts for it, each with its file's key, in the order of the files
FactsOf = Callable[[str], Sequence[tuple[str, Found]]]


class ProjectFacts:
    """The index of a project's other files (those a run reads only as context), asked rule by rule: a run
    needs the facts of a rule only when a file it checks takes part in that rule's joins, so the project
    cache (`smlint.cache`) decodes only those rules' facts, and no entry is built for the others."""

    def __init__(self, files: Sequence[tuple[str, str]], facts_of: FactsOf, left_out: frozenset[str] = frozenset()):
        self.files = tuple(files)  # (key, display path), in the order joins see them
        self._facts_of = facts_of
        self._left_out = left_out  # keys of files the run checks itself (their own entries are used)
        self._display = dict(self.files)

    @classmethod
    def of_entries(cls, entries: Sequence[Entry]) -> ProjectFacts:
        """Entries already in memory (a run without the cache), keyed by their paths."""
        paths = list(dict.fromkeys(entry.path for entry in entries))

        def facts_of(rule_id: str) -> list[tuple[str, Found]]:
            return [(e.path, (e.kind, e.facts[rule_id], e.name)) for e in entries if rule_id in e.facts]

        return cls([(path, path) for path in paths], facts_of)

    @property
    def paths(self) -> list[str]:
        return [display for key, display in self.files if key not in self._left_out]

    def without(self, paths: Iterable[str]) -> ProjectFacts:
        """The same facts less the files shown as `paths` (files the run checks itself)."""
        dropped = set(paths)
        keys = frozenset(key for key, display in self.files if display in dropped)
        return ProjectFacts(self.files, self._facts_of, self._left_out | keys) if keys else self

    def concerning(self, rule_id: str) -> list[Entry]:
        """The entries that have facts for `rule_id`, each holding those facts only, in file order."""
        display, left_out = self._display, self._left_out
        return [Entry(display[key], kind, {rule_id: facts}, name)
                for key, (kind, facts, name) in self._facts_of(rule_id) if key not in left_out]


NO_FACTS = ProjectFacts((), lambda rule_id: ())
