"""The project's index on disk: `.smlint_cache/` in the project folder, like ruff's `.ruff_cache/`.

When only part of a project is checked (one file under pre-commit, a folder), the cross-artifact rules need
the index entries (`smlint.index`) of the project's other files. They are kept here between runs, so a
one-file run reads and parses only the files that changed since the last run.

- One JSON file per smlint version and rule set: `.smlint_cache/<version>/index-<fingerprint>.json`. The
  fingerprint covers the repository rules' checks, the FHIR linkId map and the limits, so a change to any
  of them starts a new index.
- Each file's record is keyed by its path in the project, its size and modification time, and the digest
  of its content: a file whose size or time changed is hashed again, and parsed again only if its content
  changed. Its configured kind (`kinds` globs) must match too.
- A record holds facts, never values: selector matches, field names, pointers and spans, digests of
  reference texts, reference numbers (`checks/repository.py`). Tests plant client identifiers and check
  that no cache file holds them.
- Writes are atomic (a temporary file renamed over the index), so concurrent runs never see half a file;
  the last writer wins and every version is complete. A broken or foreign index is ignored. A failed write
  (a read-only checkout) only means the next run parses again.
- The folder holds a `.gitignore` (`*`) and a `CACHEDIR.TAG`, so git and backup tools leave it alone.
  `smlint clean` removes it; `--no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from smlint import __version__
from smlint.discovery import Target
from smlint.fsutil import atomic_write
from smlint.index import Entry
from smlint.loader import JSON_SUFFIXES, Limits, LoadResult, load_bytes
from smlint.model import Rule

CACHE_DIR = ".smlint_cache"
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by smlint.\n"
FORMAT = 4  # 3: places in prose policies carry their label; 4: member_of records an unrecorded reference

Indexer = Callable[[LoadResult], list[Entry]]


def fingerprint(rules: Sequence[Rule], link_ids: Mapping[str, Any], limits: Limits, clauses: str = "") -> str:
    """What the index entries depend on besides the files: the repository rules, the linkId map, the limits
    and the agency's clause families (`clausedirs.digest`: how a prose policy's facts are read)."""
    material = json.dumps({"format": FORMAT, "version": __version__,
                           "rules": [[rule.id, rule.check] for rule in rules],
                           "link_ids": link_ids, "limits": [limits.max_bytes, limits.max_depth, limits.max_nodes,
                                                             limits.max_value_chars], "clauses": clauses},
                          sort_keys=True, default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class ProjectCache:
    """The index of one project for one rule set: records read at start, updated, written once at the end."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = root
        self._prefix = os.path.join(os.path.abspath(root), "")  # noqa: PTH100,PTH118 - strings: one per file
        self.folder = root / CACHE_DIR
        self.file = self.folder / __version__ / f"index-{key}.json"
        self.records: dict[str, dict[str, Any]] = self._read()
        self.changed = False

    def key(self, file: Path) -> str:
        """`file` relative to the project folder, in POSIX form."""
        name = os.path.abspath(file)  # noqa: PTH100 - a string, no syscall, for thousands of files
        name = name[len(self._prefix):] if name.startswith(self._prefix) else os.path.relpath(name, self.root)
        return name.replace(os.sep, "/")

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
            return {}
        return {k: v for k, v in data["files"].items() if isinstance(k, str) and _valid(v)}

    def entries(self, target: Target, limits: Limits, indexer: Indexer) -> list[Entry]:
        """The entries of `target`: from its record when the file is unchanged, else parsed and recorded."""
        key = self.key(target.file)
        try:
            status = target.file.stat()
        except OSError:
            return []
        if not stat.S_ISREG(status.st_mode):
            return []
        record = self.records.get(key)
        kind = target.kind or ""
        if record is not None and record["kind"] == kind and record["size"] == status.st_size \
                and record["mtime_ns"] == status.st_mtime_ns:
            known = _entries(record, target.display)
            if known is not None:
                return known
            record = None
        if status.st_size > limits.max_bytes:
            return []
        try:
            with target.file.open("rb") as handle:
                raw = handle.read(limits.max_bytes + 1)
        except OSError:
            return []
        digest = _digest(raw)
        known = _entries(record, target.display) if record is not None and record["kind"] == kind \
            and record["hash"] == digest else None
        if record is not None and known is not None:
            self.records[key] = {**record, "size": status.st_size, "mtime_ns": status.st_mtime_ns}
            self.changed = True
            return known
        result = load_bytes(raw, target.display, limits, is_json=target.file.suffix.lower() in JSON_SUFFIXES,
                            default_kind=target.kind)
        found = indexer(result)
        self.records[key] = {"size": status.st_size, "mtime_ns": status.st_mtime_ns, "hash": digest, "kind": kind,
                             **pack(found)}
        self.changed = True
        return found

    def keep_only(self, files: Sequence[Path]) -> None:
        """Forget the records of files that are no longer in the project."""
        wanted = {self.key(f) for f in files}
        stale = [key for key in self.records if key not in wanted]
        for key in stale:
            del self.records[key]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        """Write the index if it changed (atomically); a failure only costs the next run a parse."""
        if not self.changed:
            return
        try:
            self._prepare()
            atomic_write(self.file, json.dumps({"format": FORMAT, "files": self.records}, sort_keys=True,
                                               separators=(",", ":")))
        except OSError:
            return

    def _prepare(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# Automatically created by smlint.\n*\n"), ("CACHEDIR.TAG", TAG)):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")


def pack(entries: Sequence[Entry]) -> dict[str, Any]:
    """A file's entries as stored: a fact value (a mapping or a list) that several rules of the file record
    alike (the form skeleton every intake clause rule keeps, say) is stored once, in `shared`, and each
    rule's facts name it in `refs` (rule id -> fact name -> index in `shared`)."""
    shared: list[Any] = []
    seen: dict[str, int] = {}
    stored: list[list[Any]] = []
    for entry in entries:
        facts: dict[str, dict[str, Any]] = {}
        refs: dict[str, dict[str, int]] = {}
        for rule_id, found in entry.facts.items():
            own: dict[str, Any] = {}
            for name, value in found.items():
                if isinstance(value, (dict, list)) and value:
                    text = json.dumps(value, sort_keys=True, default=str)
                    if text not in seen:
                        seen[text] = len(shared)
                        shared.append(value)
                    refs.setdefault(rule_id, {})[name] = seen[text]
                else:
                    own[name] = value
            facts[rule_id] = own
        stored.append([entry.kind, facts, refs])
    return {"entries": stored, "shared": shared}


def _valid(record: Any) -> bool:
    """The record's frame; its entries are checked when they are read (`unpack`), for the files used."""
    return (isinstance(record, dict) and isinstance(record.get("size"), int)
            and isinstance(record.get("mtime_ns"), int) and isinstance(record.get("hash"), str)
            and isinstance(record.get("kind"), str) and isinstance(record.get("entries"), list)
            and isinstance(record.get("shared"), list))


def _entries(record: Mapping[str, Any], display: str) -> list[Entry] | None:
    """The record's entries, or None when they are not what `pack` writes (a broken cache: parse again)."""
    try:
        return unpack(record, display)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
        return None


def unpack(record: Mapping[str, Any], display: str) -> list[Entry]:
    """The entries `pack` stored, for the file shown as `display`; shared values are one object each."""
    shared = record["shared"]
    entries = []
    for kind, stored, refs in record["entries"]:
        if not isinstance(kind, str) or not isinstance(stored, dict) or not isinstance(refs, dict):
            raise TypeError("not an entry")
        facts: dict[str, Mapping[str, Any]] = {}
        for rule_id, own in stored.items():
            if not isinstance(own, dict):
                raise TypeError("not facts")
            named = refs.get(rule_id)
            facts[rule_id] = {**own, **{name: shared[_index(i)] for name, i in named.items()}} if named else own
        if any(rule_id not in stored for rule_id in refs):
            raise KeyError("refs without facts")
        entries.append(Entry(display, kind, facts))
    return entries


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
