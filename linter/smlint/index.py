"""The project index: what cross-artifact rules need from each artifact, not the artifact itself.

Each document (and each view derived from it) gives one `Entry`: its path and kind, and for each repository
rule the facts that rule's join needs (see `checks/repository.py`): which selectors it matches, where a finding
would point, digests of reference texts and reference numbers. Entries are small, hold no text of the file,
and can be cached between runs (`smlint.cache`); the joins run on entries only, so a run keeps entries of
the project's other files, never their documents.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from smlint.checks import CHECKS
from smlint.checks.base import IndexFacts
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


class IndexPlan:
    """The repository rules of a run, and for each kind of document the rules whose `index` can give it
    facts (`CheckSpec.index_kinds`; a check that names none is tried on every kind), worked out once per
    kind: most rules join a few kinds, so a document is not handed to the index of every rule."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._kinds: list[tuple[str, IndexFacts, Any, frozenset[str] | None]] = []
        for rule in self.rules:
            spec = CHECKS[rule.check["type"]]
            if spec.index is not None:
                kinds = None if spec.index_kinds is None else frozenset(spec.index_kinds(rule.params))
                self._kinds.append((rule.id, spec.index, rule.params, kinds))
        self._by_kind: dict[str, tuple[tuple[str, IndexFacts, Any], ...]] = {}

    def for_kind(self, kind: str) -> tuple[tuple[str, IndexFacts, Any], ...]:
        """(rule id, its index, its parameters) for each rule that may have facts for a document of `kind`,
        in the order of the rules."""
        found = self._by_kind.get(kind)
        if found is None:
            found = self._by_kind[kind] = tuple((rule_id, index, params) for rule_id, index, params, kinds
                                                in self._kinds if kinds is None or kind in kinds)
        return found


def extract(doc: Document, plan: IndexPlan) -> Entry | None:
    """The facts of `doc` for the plan's rules (repository rules), or None when no rule needs anything from it."""
    if doc.kind is None:
        return None
    facts: dict[str, Mapping[str, Any]] = {}
    for rule_id, index, params in plan.for_kind(doc.kind):
        found = index(doc, params)
        if found:
            facts[rule_id] = found
    return Entry(doc.path, doc.kind, facts, artifact_name(doc.kind, doc.data)) if facts else None


def extract_all(docs: Iterable[Document], plan: IndexPlan) -> list[Entry]:
    return [entry for doc in docs if (entry := extract(doc, plan)) is not None]


# a file's entry for one rule: its kind, its facts for that rule, and its name (`Entry.name`)
Found = tuple[str, Mapping[str, Any], str]
# for a rule: the entries that have facts for it, each with its file's key, in the order of the files
FactsOf = Callable[[str], Sequence[tuple[str, Found]]]
# the names of a file's artifacts (`naming.artifact_name`), by its key and an entry's kind: for an entry read from
# the project cache, which keeps facts and never names
NameOf = Callable[[str, str], str]


class Joined(NamedTuple):
    """One entry's facts for one rule, as that rule's join reads them (`ProjectFacts.concerning`)."""

    path: str  # the file, as shown
    kind: str
    facts: Mapping[str, Any]  # for that rule only
    name: str = ""  # `Entry.name`


class ProjectFacts:
    """The index of a project's other files (those a run reads only as context), asked rule by rule: a run
    needs the facts of a rule only when a file it checks takes part in that rule's joins, so the project
    cache (`smlint.cache`) decodes only those rules' facts, and no entry is built for the others."""

    def __init__(self, files: Sequence[tuple[str, str]], facts_of: FactsOf, left_out: frozenset[str] = frozenset(),
                 name_of: NameOf | None = None):
        self.files = tuple(files)  # (key, display path), in the order joins see them
        self._facts_of = facts_of
        self._left_out = left_out  # keys of files the run checks itself (their own entries are used)
        self._display = dict(self.files)
        self._name_of = name_of

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
        return ProjectFacts(self.files, self._facts_of, self._left_out | keys, self._name_of) if keys else self

    def name(self, entry: Joined) -> str:
        """`entry`'s artifact name when it has none (it was read from the project cache), so that a finding names
        another artifact alike whether its facts came from the cache or from a parse; "" if it gives none."""
        if entry.name or self._name_of is None:
            return entry.name
        key = next((key for key, display in self.files if display == entry.path), None)
        return self._name_of(key, entry.kind) if key is not None else ""

    def concerning(self, rule_id: str) -> list[Joined]:
        """The entries that have facts for `rule_id`, with those facts, file by file."""
        display, left_out = self._display, self._left_out
        return [Joined(display[key], kind, facts, name)
                for key, (kind, facts, name) in self._facts_of(rule_id) if key not in left_out]


NO_FACTS = ProjectFacts((), lambda rule_id: ())


class PackedEntries:
    """The index entries of the files a run checks, kept compact while the run goes on (`pipeline.py`) and
    read back one rule at a time while the joins run (`facts`). A file added again (a vendor file checked
    again with its exports' facts) replaces its entries and keeps its place.

    Memory needs packing only in large runs: the entries are held as they are until they hold `HOLD` facts
    (one per rule an entry has facts for: about six a file, so a few thousand files); from then on they are
    packed, those held first included, `CHUNK` entries of one kind at a time (`_Chunk`): each rule's facts
    apart, so that a rule's join unpacks only its own, and a value several rules of an entry hold alike (the
    form skeleton of the intake clause rules) apart from them, packed once and unpacked once. A large run
    then holds compressed bytes (about 300 bytes a file) instead of objects (about 3.5 KB)."""

    CHUNK = 64  # entries per packed chunk: few left unpacked, little overhead per chunk
    HOLD = 20_000  # facts held unpacked before packing starts (a few MB)

    def __init__(self) -> None:
        self._position: dict[str, int] = {}  # path -> place among the files (the first time it was added)
        self._generation: dict[str, int] = {}  # path -> how many times it was added, less one
        self._kinds: dict[str, _Kept] = {}  # each kind's entries
        self._facts = 0  # how many facts were added, until packing starts
        self._packing = False

    def add(self, path: str, entries: Sequence[Entry]) -> None:
        """The entries of the file shown as `path` (its documents' entries all have that path)."""
        generation = self._generation[path] = self._generation.get(path, -1) + 1
        position = self._position.setdefault(path, len(self._position))
        for entry in entries:
            kept = self._kinds.get(entry.kind)
            if kept is None:
                kept = self._kinds[entry.kind] = _Kept(entry.kind, self.CHUNK)
            kept.add((position, generation, path, entry.name), entry.facts, self._packing)
            self._facts += len(entry.facts)
        if not self._packing and self._facts >= self.HOLD:  # from now on, pack: what is held first
            self._packing = True
            for kept in self._kinds.values():
                kept.pack()

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
        generation = self._generation
        current = [(place, path, found) for kept in self._kinds.values() if rule_id in kept.rules
                   for (place, added, path, _), found in kept.facts_of(rule_id) if generation[path] == added]
        # by file, a file added again in its first place; within a file, kind by kind (each kind's entries in
        # the order they were added); the golden outputs did not change when entries were first kept by kind
        current.sort(key=_first)
        return [(path, found) for _, path, found in current]


# where an entry belongs: its file's place among the files and how many times that file was added before,
# its file's path, and its name (`Entry.name`)
_Where = tuple[int, int, str, str]


def _first(item: tuple[int, str, Found]) -> int:
    return item[0]


class _Kept:
    """One kind's entries, in the order they were added: held as they are until `pack`, then packed `size`
    at a time."""

    def __init__(self, kind: str, size: int) -> None:
        self.kind = kind
        self.rules: set[str] = set()  # the rules any of its entries has facts for
        self._size = size
        self._chunks: list[_Chunk] = []
        self._where: list[_Where] = []  # not packed yet
        self._facts: list[Mapping[str, Mapping[str, Any]]] = []  # by rule id, beside `_where`

    def add(self, where: _Where, facts: Mapping[str, Mapping[str, Any]], packing: bool) -> None:
        self.rules.update(facts)
        self._where.append(where)
        self._facts.append(facts)
        if packing and len(self._where) >= self._size:
            self._chunks.append(_Chunk(self._where, self._facts))
            self._where, self._facts = [], []

    def pack(self) -> None:
        """Pack what is held, but for a last part smaller than a chunk."""
        whole = len(self._where) - len(self._where) % self._size
        self._chunks.extend(_Chunk(self._where[start:start + self._size], self._facts[start:start + self._size])
                            for start in range(0, whole, self._size))
        del self._where[:whole], self._facts[:whole]

    def facts_of(self, rule_id: str) -> Iterator[tuple[_Where, Found]]:
        """Each entry that has facts for `rule_id`, with them, in the order they were added."""
        kind = self.kind
        for chunk in self._chunks:
            for where, found in chunk.facts_of(rule_id):
                yield where, (kind, found, where[3])
        for where, facts in zip(self._where, self._facts, strict=True):
            if rule_id in facts:
                yield where, (kind, facts[rule_id], where[3])


class _Chunk:
    """A few entries of one kind, packed: each rule's facts with `marshal`, compressed, apart from the other
    rules'; the values several rules of one entry hold alike (the same object), packed once beside them."""

    def __init__(self, where: Sequence[_Where], facts: Sequence[Mapping[str, Mapping[str, Any]]]) -> None:
        self.where = tuple(where)
        shared: list[Any] = []
        columns: dict[str, list[tuple[Any, ...]]] = {}
        for number, found in enumerate(facts):
            held = _held_alike(found)
            for rule_id, own in found.items():
                refs = {}
                for name, value in own.items():
                    index = held.get(id(value))
                    if index is not None:
                        if index < 0:
                            index = held[id(value)] = len(shared)
                            shared.append(value)
                        refs[name] = index
                if refs:
                    own = {name: None if name in refs else value for name, value in own.items()}
                    columns.setdefault(rule_id, []).append((number, own, refs))
                else:
                    columns.setdefault(rule_id, []).append((number, own))
        self._columns = {rule_id: _pack(column) for rule_id, column in columns.items()}
        self._shared = _pack(shared) if shared else None
        self._opened: list[Any] | None = None  # the shared values, once unpacked

    def facts_of(self, rule_id: str) -> Iterator[tuple[_Where, Mapping[str, Any]]]:
        """One rule's facts. The shared values are unpacked at the first read that needs them and kept for the
        other rules' reads: each read hands its join every entry's facts, skeletons included, so dropping
        them after a read would lower no peak and unpack them again for each rule."""
        column = self._columns.get(rule_id)
        if column is None:
            return
        for number, own, *refs in _unpack(column):
            if refs:
                if self._opened is None:
                    self._opened = _unpack(self._shared)
                for name, index in refs[0].items():
                    own[name] = self._opened[index]
            yield self.where[number], own


def _held_alike(facts: Mapping[str, Mapping[str, Any]]) -> dict[int, int]:
    """The ids of the mappings and lists that several rules of an entry hold (the same object), each with -1."""
    seen: set[int] = set()
    alike: dict[int, int] = {}
    for found in facts.values():
        for value in found.values():
            if type(value) is dict or type(value) is list:
                if id(value) in seen:
                    alike[id(value)] = -1
                else:
                    seen.add(id(value))
    return alike


def _pack(items: list[Any]) -> Any:
    try:
        return zlib.compress(marshal.dumps(items), 1)  # facts repeat: a ninth of the bytes
    except ValueError:  # a value marshal does not know (no built-in check makes one): kept as it is
        return items


def _unpack(chunk: Any) -> list[Any]:
    return marshal.loads(zlib.decompress(chunk)) if isinstance(chunk, bytes) else chunk  # type: ignore[no-any-return]
