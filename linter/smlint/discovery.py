"""Paths on the command line to the files to check.

Files named explicitly are checked when smlint reads their kind of file (YAML, JSON, Markdown, Word);
any other file named is skipped with a note (`not_read`). Folders are walked for YAML, JSON,
Markdown and Word files, skipping hidden folders, virtual environments and vendored trees; symbolic links to
folders are not followed, so link loops cannot trap the walk. Output order is sorted and stable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smlint.config import has_tool_table
from smlint.errors import SmlintError
from smlint.loader import HTML_SUFFIXES, JSON_SUFFIXES, MARKDOWN_SUFFIXES, PROSE_SUFFIXES, YAML_SUFFIXES

SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "build", "dist"})
# Markdown and Word files are read too, and are artifacts only when they say they are policies (front
# matter `kind: policy`, a document-control table) or the configuration's `kinds` globs make them one
SUFFIXES = YAML_SUFFIXES + JSON_SUFFIXES + PROSE_SUFFIXES + HTML_SUFFIXES
SITE_FOLDERS = frozenset({"site", "website"})  # a walked HTML page is read below one of these (docs/formats.md)
CONFIG_NAMES = frozenset({".smlint.yaml", ".smlint.yml"})  # smlint's own settings, never artifacts


@dataclass(frozen=True, slots=True)
class Target:
    """A file to read. Its path is kept as a string (`path`) and made a `Path` when asked (`file`): a large
    project's run holds a target for each of thousands of files, and a `Path` object costs half a kilobyte."""

    path: str
    display: str
    explicit: bool = False
    kind: str | None = None  # from the configuration's `kinds` globs, for files that do not say
    content: bytes | None = None  # read from standard input (`-`): `path` is then the name it stands for

    @property
    def file(self) -> Path:
        return Path(self.path)


STDIN = "-"


def stdin_target(content: bytes, filename: str | None, root: Path) -> Target:
    """The document read from standard input, standing for `filename` (`--stdin-filename`): that name is
    shown in every report, decides JSON or YAML by its suffix and places the document in a project, whose
    configuration and other artifacts then apply as they would to the file itself. Without a name it is
    shown as `-` and belongs to the working folder's project."""
    if filename is None:
        return Target(str(root / STDIN), STDIN, explicit=True, content=content)
    path = Path(filename)
    return Target(str(path), display_path(path, root), explicit=True, content=content)


def not_read(paths: Sequence[str]) -> list[str]:
    """Files named on the command line that smlint does not read: their name does not end in a YAML, JSON,
    Markdown, Word or HTML suffix (`notes.txt`, `pyproject.toml`). They are skipped with a note rather than
    reported as broken YAML; walks only ever pick those suffixes anyway."""
    return [raw for raw in paths if raw != STDIN and Path(raw).suffix.lower() not in SUFFIXES
            and Path(raw).is_file()]


def display_path(path: Path, root: Path) -> str:
    """A path as users should see it: relative to the working folder when it lies below it.

    Bytes of a file name that are not valid UTF-8 are shown as ``\\xff`` escapes, so that every output
    format can print the name."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return _printable(path.as_posix())
    if rel.startswith(".."):
        return _printable(path.resolve().as_posix())
    return _printable(Path(rel).as_posix())


def _printable(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(paths: Sequence[str], root: Path, prune: Callable[[str], bool] | None = None,
             learn: Callable[[str, Collection[str]], None] | None = None) -> list[Target]:
    """The files to check, sorted by display path. Walks do not take files from a folder that `prune`
    accepts (the configuration's `exclude`, which also drops excluded files afterwards, in the app), nor go
    below it; `learn` is told each folder's names before `prune` is asked (`ProjectScopes.learn`)."""
    targets: dict[str, Target] = {}
    skipped = set(not_read(paths))
    for raw in paths:
        if raw in skipped:
            continue
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise SmlintError(f"{raw}: no such file or folder")
        if path.is_dir():
            base = display_path(path, root)  # once per folder: relpath cost about 40 µs for every file
            for file, relative in _walk(path, prune, learn):
                display = relative if base == "." else f"{base.rstrip('/')}/{relative}"
                targets.setdefault(display, Target(file, display))
        else:
            display = display_path(path, root)
            targets[display] = Target(str(path), display, explicit=True)
    return [targets[key] for key in sorted(targets)]


_HEAD_BYTES = 65_536


def may_be_policy(file: Path | str) -> bool:
    """Whether a walked file may hold an artifact: every YAML, JSON and Word file (a Word file's kind is
    in its document-control table, read when it is loaded), and a Markdown file whose front matter (in
    its first 64 KiB) names a `kind`. An unreadable Markdown file is kept, so that loading reports it.
    An HTML file is a page of the practice's website when a folder above it is named `site` or `website`
    (the `kinds` globs, or naming the file, reach pages kept elsewhere); other HTML is not read."""
    name = os.path.basename(file).lower()  # noqa: PTH119 - a string: one per file of a walk
    if name.endswith(HTML_SUFFIXES):
        return any(part.lower() in SITE_FOLDERS for part in Path(file).parent.parts)
    if not name.endswith(MARKDOWN_SUFFIXES):
        return True
    try:
        with Path(file).open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return True
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"---"):
        return False
    return b"kind" in head[3:].split(b"\n---", 1)[0]  # the front matter (all of the head if never closed)


def _walk(top: Path, prune: Callable[[str], bool] | None = None,
          learn: Callable[[str, Collection[str]], None] | None = None) -> Iterable[tuple[str, str]]:
    """Each YAML, JSON, Markdown, Word or HTML file below `top`, with its path relative to `top` in POSIX form.
    Folders are listed with `os.scandir`, whose entries know their type: a regular file or a link costs no
    `stat`. A folder below `top` is listed, its names given to `learn`, and then `prune` decides whether its
    files are taken (so that whether it starts a project is read from its listing, not asked of the system
    again); a folder that cannot be listed and is not pruned is a target, which loading reports."""
    prefix = len(str(top))
    unreadable: list[OSError] = []
    pending = [str(top)]
    while pending:
        dirpath = pending.pop()
        below_top = len(dirpath) > prefix
        try:
            with os.scandir(dirpath) as listing:
                entries = list(listing)
        except OSError as failed:
            if not (below_top and prune is not None and prune(dirpath)):
                unreadable.append(failed)
            continue
        if below_top:
            if learn is not None:
                learn(dirpath, [entry.name for entry in entries])
            if prune is not None and prune(dirpath):
                continue
        folders: list[str] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            if _is_dir(entry):
                if not _is_link(entry):  # links to folders are not followed
                    folders.append(entry.name)
            else:
                files.append(entry)
        folder = dirpath[prefix:].strip(os.sep).replace(os.sep, "/")
        for entry in sorted(files, key=lambda e: e.name):
            name = entry.name
            if not name.lower().endswith(SUFFIXES) or name in CONFIG_NAMES:
                continue
            if _is_file(entry):  # skip named pipes and devices (they block the read); broken links are reported
                yield entry.path, _printable(f"{folder}/{name}" if folder else name)
        below = [os.path.join(dirpath, name) for name in sorted(folders)  # noqa: PTH118 - strings: one per folder
                 if not name.startswith(".") and name not in SKIP_DIRS]
        pending.extend(reversed(below))  # depth first, in name order
    for error in unreadable:  # a folder that cannot be listed is a target: loading it reports SM000, not silence
        if error.filename is None:
            continue
        folder = os.fsdecode(error.filename)[prefix:].strip(os.sep).replace(os.sep, "/")
        yield os.fsdecode(error.filename), _printable(f"{folder}/" if folder else "./")


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a link, as os.walk does to sort names into folders and files
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file (through links), or a link to nothing (loading it reports the broken link)."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))  # noqa: PTH110
    except OSError:
        return True


PROJECT_MARKERS = (".smlint.yaml", ".smlint.yml", ".git")


def is_project_root(folder: Path | str) -> bool:
    """Whether `folder` starts a project: it holds a `.smlint.yaml`, `.smlint.yml`, `.git`, or a
    `pyproject.toml` with a `[tool.smlint]` table."""
    name = os.fspath(folder)
    # strings, not Path objects: this runs for every folder of a project walk
    if any(os.path.lexists(os.path.join(name, marker)) for marker in PROJECT_MARKERS):  # noqa: PTH118
        return True
    pyproject = os.path.join(name, "pyproject.toml")  # noqa: PTH118
    if not os.path.isfile(pyproject):  # noqa: PTH113
        return False
    return has_tool_table(Path(pyproject))


class ProjectScopes:
    """Which project each file belongs to, for the rules that join artifacts and for the settings each file
    is checked with: the nearest folder above it that `is_project_root`. Files with no such folder above
    them share one project (""). So one run over two agencies' folders (each with its own `.smlint.yaml`)
    never lets one agency's intake forms satisfy, or its vendors break, the other's rules."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._files: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        folder = os.path.dirname(path)  # noqa: PTH120 - a string key
        project = self._files.get(folder)  # every file of a folder, and each document and view, asks again
        if project is None:
            project = self._files[folder] = self.of_folder(Path(os.path.abspath(folder or ".")))  # noqa: PTH100
        return project

    def root(self, file: Path) -> Path | None:
        """The project folder of `file` (absolute), or None when no folder above it starts a project."""
        project = self.of_folder(Path(file).absolute().parent)
        return Path(project) if project else None

    def learn(self, folder: str, names: Collection[str]) -> None:
        """Whether `folder` (absolute) starts a project, from the names it holds (a walk has just listed
        them): the same answer as `is_project_root`, without asking the system again."""
        if folder in self._folders or not os.path.isabs(folder):  # noqa: PTH117 - a string key
            return
        if any(marker in names for marker in PROJECT_MARKERS):
            self._folders[folder] = folder
        elif "pyproject.toml" in names:
            self.of_folder(Path(folder))  # its [tool.smlint] table decides: read it
        else:
            parent = os.path.dirname(folder)  # noqa: PTH120 - a string key
            known = self._folders.get(parent)
            self._folders[folder] = known if known is not None else self.of_folder(Path(parent))

    def of_folder(self, folder: Path | str) -> str:
        """The project folder of `folder` (absolute: itself or the nearest above it) as a string, "" for none."""
        key = folder if isinstance(folder, str) else str(folder)
        known = self._folders.get(key)
        if known is not None:
            return known
        folder = Path(folder)
        if is_project_root(folder):
            project = key
        elif folder.parent == folder:
            project = ""
        else:
            project = self.of_folder(folder.parent)
        self._folders[key] = project
        return project
