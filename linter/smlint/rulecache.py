"""The index of the built-in rules: their parsed data as one JSON file shipped beside them.

Parsing the built-in rule files with their examples costs about 30 ms for a hundred rules, a fifth of a
one-file check, while reading their data back from one JSON file costs about one millisecond. The YAML
files stay the source of truth: `rules/index.json` is generated from them (`python -m smlint.rulecache`),
a test fails when it is out of date, and it is used only while its key matches smlint's version and every
rule file's name, size and CRC-32 (zlib: importing hashlib alone would cost more than the check). An
edited, added or removed rule file is therefore parsed afresh, and a rule problem is always reported from
the YAML with its exact line. smlint never writes the index while checking: nothing is written at run
time except the files a user names.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from smlint import __version__
from smlint.fsutil import atomic_write
from smlint.loader import load_file
from smlint.resources import data_dir

FORMAT = 1
INDEX_NAME = "index.json"


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a folder (built-in or custom), in name order."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def builtin_rules_dir() -> Path:
    return data_dir("rules")


def builtin_rule_files() -> list[Path]:
    return rule_files(builtin_rules_dir())


def plain_data(path: Path) -> Any | None:
    """A rule file's plain data, or None when it has a problem (for the index)."""
    result = load_file(path, str(path))
    return result.documents[0].data if not result.problems and len(result.documents) == 1 else None


def _key(files: Sequence[Path]) -> str:
    parts = [f"{FORMAT} {__version__}"]
    for path in files:
        content = path.read_bytes()
        parts.append(f"{path.name} {len(content)} {zlib.crc32(content):08x}")
    return "\n".join(parts)


def read_index(files: Sequence[Path]) -> list[Any] | None:
    """The rule files' parsed data from the index beside them, or None when it is missing or stale."""
    if not files:
        return None
    try:
        stored = json.loads((files[0].parent / INDEX_NAME).read_text(encoding="utf-8"))
        if isinstance(stored, dict) and stored.get("key") == _key(files) and isinstance(stored.get("rules"), list):
            return list(stored["rules"])
    except (OSError, ValueError):
        pass
    return None


def index_text(files: Sequence[Path], parse: Callable[[Path], Any | None]) -> str:
    """The index for `files`; `parse` gives each file's plain data (None for a file with a problem)."""
    data = [parse(path) for path in files]
    broken = [path.name for path, item in zip(files, data, strict=True) if item is None]
    if broken:
        raise ValueError(f"cannot index rule files with problems: {', '.join(broken)}")
    return json.dumps({"key": _key(files), "rules": data}, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    """Regenerate `rules/index.json` from the built-in rule files (for developers)."""
    files = builtin_rule_files()
    atomic_write(files[0].parent / INDEX_NAME, index_text(files, plain_data))
    print(f"indexed {len(files)} rule files in {files[0].parent / INDEX_NAME}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
