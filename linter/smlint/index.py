"""The project index: what cross-artifact rules need from each artifact, not the artifact itself.

Each document (and each view derived from it) gives one `Entry`: its path and kind, and for each repository
rule the facts that rule's join needs (see `checks/repository.py`): which selectors it matches, where a finding
would point, digests of reference texts and reference numbers. Entries are small, hold no text of the file,
and can be cached between runs (`smlint.cache`); the joins run on entries only, so a run keeps entries of
the project's other files, never their documents.
"""

from __future__ import annotations

import marshal
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smlint.checks import CHECKS
from smlint.document import Document
from smlint.model import Rule
from smlint.naming import artifact_name


@dataclass(frozen=True, slots=True)
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


class PackedEntries:
    """The index entries of the files a run checks, kept compact while the run goes on (`app.stream`): each
    rule's facts are packed with `marshal` and compressed in small chunks as files are added, and unpacked
    one rule at a time while the joins run (`facts`), so a large run holds compressed bytes, not objects,
    for the facts of every file it has read (about 300 bytes a file instead of 3.5 KB). A fact value that
    several rules of one entry hold alike (the form skeleton the intake clause rules share) is packed once,
    in chunks of its own, and unpacked once for each rule that reads it. A file added again (a vendor file
    checked again with its exports' facts) replaces its entries and keeps its place."""

    CHUNK = 64  # items per packed chunk: few left unpacked, little overhead per chunk

    def __init__(self) -> None:
        self._position: dict[str, int] = {}  # path -> place among the files (the first time it was added)
        self._generation: dict[str, int] = {}  # path -> how many times it was added, less one
        self._pending: dict[str, list[tuple[Any, ...]]] = {}  # rule id -> entries not packed yet
        self._packed: dict[str, list[Any]] = {}  # rule id -> chunks (bytes; a list when marshal refused it)
        self._shared = _Chunks(self.CHUNK)  # the values several rules of an entry hold alike

    def add(self, path: str, entries: Sequence[Entry]) -> None:
        """The entries of the file shown as `path` (its documents' entries all have that path)."""
        generation = self._generation[path] = self._generation.get(path, -1) + 1
        position = self._position.setdefault(path, len(self._position))
        for entry in entries:
            held = Counter(id(value) for found in entry.facts.values() for value in found.values()
                           if isinstance(value, (dict, list)))
            shared: dict[int, int] = {}
            for rule_id, found in entry.facts.items():
                own: dict[str, Any] = {}
                refs: dict[str, int] = {}
                for name, value in found.items():
                    if isinstance(value, (dict, list)) and held[id(value)] > 1:
                        if id(value) not in shared:
                            shared[id(value)] = self._shared.append(_interned(value))
                        own[name], refs[name] = None, shared[id(value)]  # the key keeps its place in the facts
                    else:
                        own[name] = _interned(value) if isinstance(value, dict) else value
                pending = self._pending.setdefault(rule_id, [])
                pending.append((position, generation, path, entry.kind, entry.name, own, refs))
                if len(pending) >= self.CHUNK:
                    self._packed.setdefault(rule_id, []).append(_pack(self._pending.pop(rule_id)))

    def reserve(self, path: str) -> None:
        """Give `path` its place among the files now; its entries are added later."""
        self._position.setdefault(path, len(self._position))
        self._generation.setdefault(path, -1)

    @property
    def paths(self) -> list[str]:
        return list(self._position)

    def facts(self) -> ProjectFacts:
        """The entries as `ProjectFacts`, each file keyed by its path."""
        return ProjectFacts([(path, path) for path in self._position], self._facts_of)

    def _facts_of(self, rule_id: str) -> list[tuple[str, Found]]:
        stored = [item for chunk in self._packed.get(rule_id, ()) for item in _unpack(chunk)]
        stored.extend(self._pending.get(rule_id, ()))
        current = [item for item in stored if self._generation[item[2]] == item[1]]
        current.sort(key=lambda item: item[0])  # stable: a file's entries stay in their order
        shared = self._shared.reader()
        return [(path, (kind, _with_shared(own, refs, shared), name)) for _, _, path, kind, name, own, refs in current]


def _interned(value: Any) -> Any:
    """`value` with the keys of its mappings interned: packed, each key is then written once and read back
    as the one string every file shares (a form skeleton's clause names, a rule's pointers)."""
    if isinstance(value, dict):
        return {sys.intern(k) if type(k) is str else k: _interned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interned(v) for v in value]
    return value


def _with_shared(own: dict[str, Any], refs: Mapping[str, int], shared: Callable[[int], Any]) -> Mapping[str, Any]:
    for name, index in refs.items():
        own[name] = shared(index)
    return own


def _pack(items: list[Any]) -> Any:
    try:
        return zlib.compress(marshal.dumps(items), 1)  # facts repeat: a ninth of the bytes
    except ValueError:  # a value marshal does not know (no built-in check makes one): kept as it is
        return items


def _unpack(chunk: Any) -> list[Any]:
    return marshal.loads(zlib.decompress(chunk)) if isinstance(chunk, bytes) else chunk  # type: ignore[no-any-return]


class _Chunks:
    """Values appended one by one and packed `size` at a time; read back by their number."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._packed: list[Any] = []
        self._pending: list[Any] = []

    def append(self, value: Any) -> int:
        self._pending.append(value)
        number = len(self._packed) * self._size + len(self._pending) - 1
        if len(self._pending) >= self._size:
            self._packed.append(_pack(self._pending))
            self._pending = []
        return number

    def reader(self) -> Callable[[int], Any]:
        """A function from a value's number to the value, unpacking each chunk once (for one rule's read)."""
        opened: dict[int, list[Any]] = {}

        def value(number: int) -> Any:
            chunk, place = divmod(number, self._size)
            if chunk == len(self._packed):
                return self._pending[place]
            if chunk not in opened:
                opened[chunk] = _unpack(self._packed[chunk])
            return opened[chunk][place]

        return value
