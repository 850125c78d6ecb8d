"""A JSON cache of the parsed built-in rule files, so that a one-file check does not parse every rule.

Parsing the built-in rule files with their examples costs about 30 ms for a hundred rules, a fifth of a
one-file check, while reading their data back from one JSON file costs about one millisecond. The
cache holds plain data only, and is used only when its key matches: smlint's version and every built-in
rule file's name, size and CRC-32 of its bytes (zlib: importing hashlib alone would cost more than the
check), so an edited, added or removed rule file is parsed afresh.
Any problem reading or writing the cache means parsing as usual; it is never an error.

Location: ``$SMLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/smlint``, else ``~/.cache/smlint``; one file per
rules folder. ``SMLINT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from smlint import __version__

FORMAT = 1


def cache_dir() -> Path | None:
    if os.environ.get("SMLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("SMLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "smlint"
    try:
        return Path.home() / ".cache" / "smlint"
    except RuntimeError:  # no home folder
        return None


def _key(files: Sequence[Path]) -> str:
    parts = [f"{FORMAT} {__version__}"]
    for path in files:
        content = path.read_bytes()
        parts.append(f"{path.name} {len(content)} {zlib.crc32(content):08x}")
    return "\n".join(parts)


def _cache_file(directory: Path, folder: Path) -> Path:
    return directory / f"rules-{zlib.crc32(str(folder.resolve()).encode()):08x}.json"


def rule_data(files: Sequence[Path], parse: Callable[[Path], Any | None]) -> list[Any] | None:
    """Each rule file's parsed data, from the cache when it is current, else from `parse` (stored for next
    time). None when the cache is off or `parse` reports a problem (returns None) for some file."""
    directory = cache_dir()
    if directory is None or not files:
        return None
    try:
        key = _key(files)
    except OSError:
        return None
    target = _cache_file(directory, files[0].parent)
    try:
        stored = json.loads(target.read_text(encoding="utf-8"))
        if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("rules"), list):
            return list(stored["rules"])
    except (OSError, ValueError):
        pass
    data = [parse(path) for path in files]
    if any(item is None for item in data):
        return None
    _store(target, {"key": key, "rules": data})
    return data


def _store(target: Path, content: dict[str, Any]) -> None:
    from smlint.fsutil import atomic_write

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, json.dumps(content, ensure_ascii=False, separators=(",", ":")))
    except (OSError, ValueError):
        pass
