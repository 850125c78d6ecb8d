"""Which agency clause families a run reads: the `clauses/` folder beside each custom rules folder.

An agency adds clause concepts of its own (docs/clause-catalogue.md) in `<rules_dir>/clauses/*.yaml`,
beside its custom rules. The run sets the folders of the files it is checking (`agency_families`), and the
clause reader (`smlint.clauses.current_catalogue`) reads the built-in catalogue plus those families. This
module imports nothing heavy, so that a run over YAML files never loads the clause reader.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

FOLDER = "clauses"

_ACTIVE: ContextVar[tuple[Path, ...]] = ContextVar("smlint_agency_clause_folders", default=())


def family_files(rules_dirs: Sequence[Path]) -> tuple[Path, ...]:
    """The agency's clause family files: `clauses/*.yaml` (and `.yml`) in each rules folder, in order."""
    found: list[Path] = []
    for directory in rules_dirs:
        folder = Path(directory) / FOLDER
        if folder.is_dir():
            found.extend(sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
    return tuple(found)


def active() -> tuple[Path, ...]:
    """The family files of the run in progress (none: the built-in catalogue alone)."""
    return _ACTIVE.get()


def use(rules_dirs: Sequence[Path]) -> None:
    """Set the run's families for good (a `--jobs` worker process, which checks one run's files only)."""
    _ACTIVE.set(family_files(rules_dirs))


@contextmanager
def agency_families(rules_dirs: Sequence[Path]) -> Iterator[None]:
    """Within the block, prose policies are read with the built-in catalogue plus these folders' families."""
    token = _ACTIVE.set(family_files(rules_dirs))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def digest(rules_dirs: Sequence[Path]) -> str:
    """What the families say, for the project cache's fingerprint (empty when there are none)."""
    files = family_files(rules_dirs)
    if not files:
        return ""
    hasher = hashlib.blake2b(digest_size=12)
    for file in files:
        hasher.update(str(file).encode("utf-8", "surrogatepass") + b"\0")
        try:
            hasher.update(file.read_bytes())
        except OSError:
            hasher.update(b"unreadable")
    return hasher.hexdigest()
