"""The project's index on disk: `.smlint_cache/` in the project folder, like ruff's `.ruff_cache/`.

When only part of a project is checked (one file under pre-commit, a folder), the cross-artifact rules need
the index entries (`smlint.index`) of the project's other files. They are kept here between runs, so a
one-file run reads and parses only the files that changed since the last run, and decodes only the facts of
the rules the files it checks take part in (`index.ProjectFacts`).

- One file per smlint version and rule set: `.smlint_cache/<version>/index-<fingerprint>.jsonl`. The
  fingerprint covers the repository rules' checks, the FHIR linkId map, the limits and the agency's clause
  families, so a change to any of them starts a new index.
- The file is JSON lines (ASCII): a header, then one section per repository rule and one `@shared` section.
  The header names each file's record, keyed by its path in the project: its size and modification time,
  the digest of its content, its configured kind (`kinds` globs) and the rules it has facts for (and, for a
  vendor file that names export files, their size and time: its facts include theirs); and where
  each section lies (offsets after the header line). A rule's section maps each file to its entries' facts
  for that rule; a fact value that several rules of one file keep alike (the form skeleton every intake
  clause rule keeps) is stored once, in that file's list in `@shared`, and named by its place there.
- A file whose size or time changed is hashed again, and parsed again only if its content changed. Only the
  header and the sections a run asks for are decoded; a write re-encodes only the sections whose files
  changed and copies the others as they were.
- A record holds facts, never values: selector matches, field names, pointers and spans, digests of
  reference texts, reference numbers (`checks/repository.py`). Tests plant client identifiers and check
  that no cache file holds them. Nor does it hold artifacts' names: a finding that names another artifact
  (a vendor the policy's promise fails on) whose facts came from a record reads that one file again for its
  name (`ProjectCache._name_of`), so the message is the same whether the cache was warm or cold.
- Writes are atomic (a temporary file renamed over the index), so concurrent runs never see half a file;
  the last writer wins and every version is complete. A broken or foreign index is ignored, and a section
  that does not decode (or whose digest does not match) is rebuilt by parsing the files that had facts in
  it. A failed write (a read-only checkout) only means the next run parses again.
- The folder holds a `.gitignore` (`*`) and a `CACHEDIR.TAG`, so git and backup tools leave it alone.
  `smlint clean` removes it; `--no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from smlint import __version__
from smlint.discovery import Target, may_be_policy
from smlint.formats.exports import named_export_files
from smlint.fsutil import atomic_write
from smlint.index import Entry, Found, ProjectFacts
from smlint.loader import JSON_SUFFIXES, Limits, LoadResult, load_bytes
from smlint.model import Rule
from smlint.naming import artifact_name

CACHE_DIR = ".smlint_cache"
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by smlint.\n"
FORMAT = 6  # 3: prose places carry their label; 4: member_of records an unrecorded reference; 5: JSON lines,
# a header and one section per rule; 6: a YAML form's skeleton reads the details its clauses' text names, and a
# Markdown policy's fact tables give its lists
SHARED = "@shared"  # the section of fact values several rules of one file keep alike

_NOT_NORMAL = re.compile(r"(^|/)\.\.?(/|$)|//")  # a path that `os.path.abspath` would change
Indexer = Callable[[LoadResult], list[Entry]]
# a file's record in the header: size, modification time (ns), content digest, configured kind, rule numbers,
# and for a vendor file naming export files, their path, size and modification time (its facts include theirs)
Record = list[Any]


def fingerprint(rules: Sequence[Rule], link_ids: Mapping[str, Any], limits: Limits, clauses: str = "") -> str:
    """What the index entries depend on besides the files: the repository rules, the linkId map, the limits
    and the agency's clause families (`clausedirs.digest`: how a prose policy's facts are read)."""
    material = json.dumps({"format": FORMAT, "version": __version__,
                           "rules": [[rule.id, rule.check] for rule in rules],
                           "link_ids": link_ids, "limits": [limits.max_bytes, limits.max_depth, limits.max_nodes,
                                                             limits.max_value_chars], "clauses": clauses},
                          sort_keys=True, default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def _stamp(root: Path, name: str) -> list[Any]:
    """An export file's name (relative to the project folder, as record keys are), size and modification time
    (-1 when it cannot be read), as a record keeps them: a project copied or moved elsewhere keeps its meaning."""
    try:
        status = (root / name).stat()
    except OSError:
        return [name, -1, -1]
    return [name, status.st_size, status.st_mtime_ns]


def _unchanged(root: Path, exports: Any) -> bool:
    """Whether the export files a record lists are as they were (a record that cannot be read is not)."""
    if not isinstance(exports, list):
        return False
    for entry in exports:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)):
            return False
        if _stamp(root, entry[0]) != entry:
            return False
    return True


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _section_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("ascii"), digest_size=8).hexdigest()


class ProjectCache:
    """The index of one project for one rule set: the header read at start, sections decoded when asked
    for, files that changed parsed again, written once (`save`)."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = root
        self._prefix = os.path.join(os.path.abspath(root), "")  # noqa: PTH100,PTH118 - strings: one per file
        self.folder = root / CACHE_DIR
        self.file = self.folder / __version__ / f"index-{key}.jsonl"
        self.records: dict[str, Any] = {}  # key -> Record, checked when its file is (`_check`)
        self._rules: list[str] = []  # the rule ids the records' rule numbers stand for
        self._number: dict[str, int] = {}
        self._body = ""  # the old file after its header line: sections are decoded from it when asked for
        self._sections: dict[str, tuple[int, int, str]] = {}  # name -> start, end, digest
        self._decoded: dict[str, dict[str, Any] | None] = {}  # None: broken (rebuilt from the files)
        self._fresh: dict[str, list[Entry]] = {}  # files parsed in this run, by key
        self._names: dict[str, list[tuple[str, str]]] = {}  # (kind, name) of each artifact of a file read for names
        self._dropped: set[str] = set()  # keys whose stored facts are stale (changed, gone or broken)
        self._was: dict[str, list[int]] = {}  # a dropped key's rule numbers, as its record had them
        self._rebuilt: set[str] = set()  # broken sections, rebuilt from the files
        self._targets: dict[str, Target] = {}  # this run's files, by key, in the order joins see them
        self._position: dict[str, int] = {}
        self._limits: Limits | None = None
        self._indexer: Indexer | None = None
        self.changed = False
        self._read()

    def key(self, file: Path | str) -> str:
        """`file` relative to the project folder, in POSIX form."""
        name = str(file)
        if os.sep != "/" or not name.startswith(self._prefix) \
                or (("/." in name or "//" in name) and _NOT_NORMAL.search(name) is not None):
            name = os.path.abspath(file)  # noqa: PTH100 - a string, no syscall, for thousands of files
        name = name[len(self._prefix):] if name.startswith(self._prefix) else os.path.relpath(name, self.root)
        return name.replace(os.sep, "/")

    # -- reading -------------------------------------------------------------------------------------

    def _read(self) -> None:
        try:
            text = self.file.read_text(encoding="ascii")
        except (OSError, ValueError):
            return
        head, _, body = text.partition("\n")
        try:
            header = json.loads(head)
        except ValueError:
            return
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return
        files, sections, rules = header.get("files"), header.get("sections"), header.get("rules")
        if not isinstance(files, dict) or not isinstance(sections, dict) or not isinstance(rules, list) \
                or not all(isinstance(r, str) for r in rules):
            return
        for name, where in sections.items():
            if isinstance(where, list) and len(where) == 3 and isinstance(where[0], int) \
                    and isinstance(where[1], int) and isinstance(where[2], str) and 0 <= where[0] <= where[1]:
                self._sections[name] = (where[0], where[1], where[2])
        self._rules = list(rules)
        self._number = {rule: i for i, rule in enumerate(rules)}
        self.records = files
        self._body = body

    def _rule_number(self, rule_id: str) -> int:
        number = self._number.get(rule_id)
        if number is None:
            number = self._number[rule_id] = len(self._rules)
            self._rules.append(rule_id)
        return number

    def section(self, name: str) -> dict[str, Any] | None:
        """A section as stored (file key -> value), decoded on first use; None when it is missing or broken."""
        if name not in self._decoded:
            self._decoded[name] = self._decode(name)
        return self._decoded[name]

    def _decode(self, name: str) -> dict[str, Any] | None:
        where = self._sections.get(name)
        if where is None:
            return None
        text = self._body[where[0]:where[1]]
        if _section_digest(text) != where[2]:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def context(self, targets: Sequence[Target], limits: Limits, indexer: Indexer) -> ProjectFacts:
        """The facts of `targets` (the project's other files): files unchanged since the last run are read
        from their records when a rule asks for them; the others are parsed now, except a walked Markdown
        file that does not say it is a policy (`discovery.may_be_policy`), which is recorded as having no
        facts without being parsed (so an unchanged one is not even opened again)."""
        self._limits, self._indexer = limits, indexer
        files: list[tuple[str, str]] = []
        for target in targets:
            key = self.key(target.path)
            self._targets[key] = target
            if self._check(key, target):
                self._position[key] = len(files)
                files.append((key, target.display))
        return ProjectFacts(files, self._facts_of, name_of=self._name_of)

    def _check(self, key: str, target: Target) -> bool:
        """Whether `target` has a record, made valid now (parsed again when its content changed)."""
        try:
            status = os.stat(target.path)  # noqa: PTH116 - a string: one per file of the project
        except OSError:
            return self._forget(key)
        if not stat.S_ISREG(status.st_mode):
            return self._forget(key)
        record = self.records.get(key)
        if record is not None and not (type(record) is list and len(record) in (5, 6)):
            self._forget(key)  # its fields are compared below; its rule numbers are checked when used (`_valid`)
            record = None
        kind = target.kind or ""
        if record is not None and len(record) == 6 and not _unchanged(self.root, record[5]):
            record = None  # an export file it names changed: its facts are read again (`_parse`)
        if record is not None and record[3] == kind and record[0] == status.st_size \
                and record[1] == status.st_mtime_ns:
            return True
        if status.st_size > self._limits_given().max_bytes:
            return self._forget(key)
        if target.kind is None and not target.explicit and not may_be_policy(target.path):
            self._record(key, [status.st_size, status.st_mtime_ns, "", kind], [])  # not an artifact: no facts
            return True
        try:
            with open(target.path, "rb") as handle:  # noqa: PTH123 - a string: one per changed file
                raw = handle.read(self._limits_given().max_bytes + 1)
        except OSError:
            return self._forget(key)
        digest = _digest(raw)
        if record is not None and record[3] == kind and record[2] == digest:
            record[0], record[1] = status.st_size, status.st_mtime_ns  # touched, not changed
            self.changed = True
            return True
        self._parse(key, raw, target, [status.st_size, status.st_mtime_ns, digest, kind])
        return True

    def _valid(self, record: Any) -> bool:
        return (isinstance(record, list) and len(record) in (5, 6) and isinstance(record[0], int)
                and isinstance(record[1], int) and isinstance(record[2], str) and isinstance(record[3], str)
                and isinstance(record[4], list)
                and all(isinstance(i, int) and 0 <= i < len(self._rules) for i in record[4]))

    def _parse(self, key: str, raw: bytes, target: Target, record: Record) -> list[Entry]:
        result = self._load(raw, target)
        assert self._indexer is not None
        found = self._indexer(result)
        # a vendor file's facts include those of the export files it names: their size and time are kept too
        exports = [_stamp(self.root, self.key(path)) for path in named_export_files(result, target.file)]
        self._record(key, record, found, exports)
        return found

    def _record(self, key: str, record: Record, found: list[Entry], exports: list[list[Any]] | None = None) -> None:
        """`key`'s new record and entries (parsed in this run): its stored facts are stale. `exports`: the
        export files its facts also come from (path, size, modification time), kept as the record's sixth
        field and compared at the next run."""
        self._drop(key)
        self._fresh[key] = found
        self.records[key] = [*record, sorted({self._rule_number(rule) for entry in found for rule in entry.facts}),
                             *([exports] if exports else [])]
        self.changed = True

    def _limits_given(self) -> Limits:
        assert self._limits is not None
        return self._limits

    def _forget(self, key: str) -> bool:
        if key in self.records:
            self._drop(key)
            del self.records[key]
            self.changed = True
        return False

    def _drop(self, key: str) -> None:
        """The stored facts of `key` are stale: the sections it had facts in are written again."""
        if key not in self._dropped:
            self._dropped.add(key)
            record = self.records.get(key)
            self._was[key] = list(record[4]) if record is not None and self._valid(record) else []

    def _facts_of(self, rule_id: str) -> list[tuple[str, Found]]:
        """This run's files' entries (kind, facts, name) for `rule_id`, each with its file's key, in the order
        of the files: from this run's parse or the stored section; a section that does not read back is
        rebuilt by parsing its files again."""
        found = self._stored(rule_id)
        if found is None:
            self._rebuild(rule_id)
            found = []
        position = self._position
        found.extend((position[key], key, (e.kind, e.facts[rule_id], e.name))  # named as freshly indexed ones are
                     for key, fresh in self._fresh.items() if key in position for e in fresh if rule_id in e.facts)
        found.sort(key=_first)  # stable: a file's entries stay in their order
        return [(key, entry) for _, key, entry in found]

    def _stored(self, rule_id: str) -> list[tuple[int, str, Found]] | None:
        """The stored entries (kind, facts, no name) of `rule_id` of this run's files that were not parsed
        again, each with the file's place and key; None when the section is broken."""
        if rule_id not in self._sections or rule_id in self._rebuilt:
            return []
        data = self.section(rule_id)
        if data is None:
            return None
        position, fresh = self._position, self._fresh
        try:
            return [(position[key], key, entry) for key, stored in data.items() if key in position and key not in fresh
                    for entry in _unpack_entries(stored, self._shared_of, key)]
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            self._decoded[rule_id] = None
            return None

    def _shared_of(self, key: str) -> list[Any]:
        shared = self.section(SHARED)
        values = shared.get(key) if shared is not None else None
        if not isinstance(values, list):
            raise KeyError("no shared values")
        return values

    def _intact(self, name: str) -> bool:
        """Whether a stored section is as it was written (its digest matches), without decoding it."""
        if self._decoded.get(name, True) is None:
            return False
        start, end, digest = self._sections[name]
        return _section_digest(self._body[start:end]) == digest

    def _rebuild(self, rule_id: str) -> None:
        """Parse again every file whose record says it has facts for `rule_id` (its section is broken)."""
        self._rebuilt.add(rule_id)
        self._decoded[rule_id] = None
        number = self._number.get(rule_id)
        for key, record in list(self.records.items()):
            if key not in self._fresh and (not self._valid(record) or number in record[4]):
                self._reparse(key)

    def _name_of(self, key: str, kind: str) -> str:
        """The name of the artifact of `kind` in the file `key` (`naming.artifact_name`), for a finding that names
        it: a record keeps no names, so the file is read again, once a run, only when a finding names it. ""
        when it names none, or more than one artifact of that kind with different names."""
        if key not in self._names:
            self._names[key] = self._names_in(key)
        names = {name for found_kind, name in self._names[key] if found_kind == kind}
        return names.pop() if len(names) == 1 else ""

    def _names_in(self, key: str) -> list[tuple[str, str]]:
        fresh = self._fresh.get(key)
        if fresh is not None:
            return [(entry.kind, entry.name) for entry in fresh]
        target = self._targets.get(key)
        if target is None:
            return []
        try:
            with open(target.path, "rb") as handle:  # noqa: PTH123 - a string, like _reparse
                raw = handle.read(self._limits_given().max_bytes + 1)
        except OSError:
            return []
        result = self._load(raw, target)
        return [(doc.kind or "", artifact_name(doc.kind, doc.data)) for doc in result.documents]

    def _load(self, raw: bytes, target: Target) -> LoadResult:
        return load_bytes(raw, target.display, self._limits_given(),
                          is_json=os.path.splitext(target.path)[1].lower() in JSON_SUFFIXES,  # noqa: PTH122
                          default_kind=target.kind)

    def _reparse(self, key: str) -> None:
        target = self._targets.get(key)
        if target is None:  # not among this run's files: parsed when a run next needs it
            self._forget(key)
            return
        try:
            with open(target.path, "rb") as handle:  # noqa: PTH123 - a string: one per changed file
                raw = handle.read(self._limits_given().max_bytes + 1)
        except OSError:
            self._forget(key)
            self._fresh[key] = []
            return
        record = self.records[key]
        self._parse(key, raw, target, [record[0], record[1], _digest(raw), record[3]])

    # -- writing -------------------------------------------------------------------------------------

    def keep_only(self, named: Sequence[Path]) -> None:
        """Forget the records of files that are neither this run's files (`context`) nor `named` (the files
        the run checks itself): they are no longer in the project."""
        wanted = {self.key(f) for f in named}
        for key in [key for key in self.records if key not in self._targets and key not in wanted]:
            self._forget(key)

    def save(self) -> None:
        """Write the index if it changed (atomically); a failure only costs the next run a parse. Sections
        no changed file had or has facts in are copied as they were."""
        if not self.changed:
            return
        text = self._encode()
        try:
            self._prepare()
            atomic_write(self.file, text)
        except OSError:
            return

    def _encode(self) -> str:
        for name in list(self._sections):  # a broken section is rebuilt from its files before anything is written
            if name != SHARED and name not in self._rebuilt and not self._intact(name):
                self._rebuild(name)
        for key in [key for key, record in self.records.items() if not self._valid(record)]:
            self._forget(key)  # records no file of this run checked, as read: kept only when well formed
        touched = {self._rules[i] for key in self._dropped for i in self._was.get(key, ())}
        touched.update(rule for entries in self._fresh.values() for e in entries for rule in e.facts)
        names = sorted({self._rules[i] for record in self.records.values() for i in record[4]})
        fresh_shared: dict[str, list[Any]] = {}
        fresh_facts: dict[str, dict[str, list[list[Any]]]] = {}  # rule -> key -> stored entries
        for key, entries in self._fresh.items():
            if key not in self.records:
                continue
            packed, values = pack_entries(entries)
            if values:
                fresh_shared[key] = values
            for rule_id, stored in packed.items():
                fresh_facts.setdefault(rule_id, {})[key] = stored
        sections: list[tuple[str, str]] = []
        for name in names:
            if name not in touched and name in self._sections and name not in self._rebuilt:
                start, end, _ = self._sections[name]
                sections.append((name, self._body[start:end]))
                continue
            old = self.section(name) if name in self._sections and name not in self._rebuilt else None
            merged = {k: v for k, v in (old or {}).items() if k not in self._dropped and k in self.records}
            merged.update(fresh_facts.get(name, {}))
            sections.append((name, _dumps(merged)))
        old_shared = (self.section(SHARED) if SHARED in self._sections else None) or {}
        shared = {k: v for k, v in old_shared.items() if k not in self._dropped and k in self.records}
        shared.update(fresh_shared)
        sections.append((SHARED, _dumps(shared)))
        return self._join(names, sections)

    def _join(self, names: Sequence[str], sections: Sequence[tuple[str, str]]) -> str:
        number = {self._number[name]: i for i, name in enumerate(names)}
        files = {key: [*record[:4], [number[i] for i in record[4]], *record[5:]]
                 for key, record in self.records.items()}
        return index_text(names, files, sections)

    def _prepare(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# Automatically created by smlint.\n*\n"), ("CACHEDIR.TAG", TAG)):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")


def index_text(rules: Sequence[str], files: Mapping[str, Record], sections: Sequence[tuple[str, str]]) -> str:
    """An index file: the header (`rules` named by number in the records of `files`, and where each section
    lies, with its digest), then each section's text (JSON) on a line of its own."""
    places: dict[str, list[Any]] = {}
    offset = 0
    for name, text in sections:
        places[name] = [offset, offset + len(text), _section_digest(text)]
        offset += len(text) + 1
    header = _dumps({"format": FORMAT, "rules": list(rules), "files": dict(sorted(files.items())),
                     "sections": places})
    return header + "\n" + "".join(text + "\n" for _, text in sections)


def read_index(file: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """An index file's header and every section decoded (to look inside one; runs decode what they need)."""
    head, _, body = file.read_text(encoding="ascii").partition("\n")
    header = json.loads(head)
    return header, {name: json.loads(body[start:end]) for name, (start, end, _) in header["sections"].items()}


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def pack_entries(entries: Sequence[Entry]) -> tuple[dict[str, list[list[Any]]], list[Any]]:
    """A file's entries as stored: for each rule, its entries' `[kind, facts, refs]`; and the file's shared
    values. A fact value (a mapping or a list) that two or more rules of the file record alike (the form
    skeleton every intake clause rule keeps, say) is stored once in the shared list, and each rule's facts
    name it in `refs` (fact name -> place in the list); other values stay in the rule's own facts."""
    texts: dict[str, int] = {}
    for entry in entries:
        for found in entry.facts.values():
            for value in found.values():
                if isinstance(value, (dict, list)) and value:
                    text = _dumps(value)
                    texts[text] = texts.get(text, 0) + 1
    shared: list[Any] = []
    place: dict[str, int] = {}
    stored: dict[str, list[list[Any]]] = {}
    for entry in entries:
        for rule_id, found in entry.facts.items():
            own: dict[str, Any] = {}
            refs: dict[str, int] = {}
            for name, value in found.items():
                text = _dumps(value) if isinstance(value, (dict, list)) and value else ""
                if text and texts[text] > 1:
                    if text not in place:
                        place[text] = len(shared)
                        shared.append(value)
                    refs[name] = place[text]
                else:
                    own[name] = value
            stored.setdefault(rule_id, []).append([entry.kind, own, refs])
    return stored, shared


def _unpack_entries(stored: Any, shared_of: Callable[[str], list[Any]], key: str) -> list[Found]:
    """A rule's stored entries of one file, as (kind, facts, name); shared values are one object each. A
    cached entry has no name (`Entry.name`): it is named by its file."""
    if not isinstance(stored, list):
        raise TypeError("not entries")
    out: list[Found] = []
    for kind, own, refs in stored:
        if not isinstance(kind, str) or not isinstance(own, dict) or not isinstance(refs, dict):
            raise TypeError("not an entry")
        if refs:
            shared = shared_of(key)
            own = {**own, **{name: shared[_index(i)] for name, i in refs.items()}}
        out.append((kind, own, ""))
    return out


def _first(item: tuple[int, str, Found]) -> int:
    return item[0]


def _index(value: Any) -> int:
    if not isinstance(value, int) or value < 0:
        raise IndexError("not a shared value")
    return value


def clean(folders: Sequence[Path]) -> list[Path]:
    """Remove every smlint cache folder in and below `folders` (only folders smlint tagged); the removed."""
    removed = []
    for folder in folders:
        for dirpath, dirnames, _ in os.walk(folder, followlinks=False):
            if CACHE_DIR in dirnames:
                cache = Path(dirpath, CACHE_DIR)
                if (cache / "CACHEDIR.TAG").is_file():
                    shutil.rmtree(cache)
                    removed.append(cache)
            dirnames[:] = [d for d in dirnames if d != CACHE_DIR and d != ".git"]
    return removed
