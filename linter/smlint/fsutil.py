"""The only way smlint writes files: atomically (write a temporary file beside the target, then rename),
so that an interrupted run never leaves a half-written report or baseline; and only to a destination
that is safe to replace (`destination`).

Destinations (`--output-file`, `--write-baseline`):
- absent, or an existing regular file: written by a temporary file and a rename;
- a symbolic link whose final target is an existing regular file: written *through* the link (the
  target is replaced atomically, the link stays a link); a link to nothing, to a folder, a pipe or a
  device is refused;
- a folder, a named pipe (FIFO), a device or a socket: refused;
- a file the user may not write (read-only): refused, although the folder would allow the rename;
- a new file in a folder the user may not write: the temporary file cannot be made, an error (exit 2);
- any file among the inputs (a checked file, the configuration, waivers, baseline or a rule file),
  whatever name reaches it (a relative path, a symbolic or a hard link): refused.
A refusal is a `SmlintError` (one line, exit 2) raised before anything is written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from smlint.errors import SmlintError


def destination(path: Path, inputs: Iterable[Path] = (), what: str = "the report") -> Path:
    """The path to write for `path` (a symbolic link's final target, else `path`), or a `SmlintError`
    saying why writing `what` there would damage something."""
    path = Path(path)
    try:
        own = path.lstat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise SmlintError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None
    target = path
    info = own
    if stat.S_ISLNK(own.st_mode):
        target = Path(os.path.realpath(path))
        try:
            info = target.stat()
        except OSError:
            raise SmlintError(f"refusing to write {what} to {path}: it is a symbolic link to nothing "
                              "(smlint writes through a link only to an existing regular file)") from None
    if not stat.S_ISREG(info.st_mode):
        raise SmlintError(f"refusing to write {what} to {path}: it is {_kind_of(info.st_mode)}, "
                          "not a regular file")
    if not os.access(target, os.W_OK):
        raise SmlintError(f"refusing to write {what} to {path}: the file is read-only")
    if (info.st_dev, info.st_ino) in _identities(inputs):
        raise SmlintError(f"refusing to write {what} to {path}: it is one of the files smlint reads "
                          "in this run; choose another file")
    return target


def _identities(paths: Iterable[Path]) -> set[tuple[int, int]]:
    found = set()
    for path in paths:
        try:
            info = Path(path).stat()
        except OSError:
            continue
        found.add((info.st_dev, info.st_ino))
    return found


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def atomic_write(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write `text` (bytes as they are, or a string's pieces one after the other) to a temporary file beside
    `path`, then rename it over `path`: readers see the old file or the new one, never half of one."""
    path = Path(path)
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, _mode_for(path))
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
                raw.flush()
                os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                for chunk in [text] if isinstance(text, str) else text:
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask (mkstemp's
    temporary file is private to the owner)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
