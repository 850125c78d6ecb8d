"""Files to documents: each file is read (within the size limit) and sent to its reader by its name.

YAML and JSON go to `yamljson.py`, Markdown and Word policies to `prose.py`, saved website pages to
`formats/website.py`. Every problem (an unreadable file, a folder that cannot be listed, a file over the
size limit, an unexpected error in a reader) becomes a located `Problem`; nothing raises out of this
module.

Lazy-import boundary (start-up speed): `prose.py` (and through it the clause catalogue, markdown-it-py and
python-docx) and `formats/website.py` (the HTML parser) are imported when the first file of theirs is read,
so a check of YAML files loads none of them. Neither imports this module, so the deferred import hides no
cycle (the layering test checks it).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from smlint.kinds import BY_NAME, WEBSITE_PAGE
from smlint.kinds import NAMES as KNOWN_KINDS
from smlint.model import Span
from smlint.toolrules import LIMIT_RULE, PARSE_RULE
from smlint.yamljson import (
    DEFAULT_LIMITS,
    JSON_SUFFIXES,
    YAML_SUFFIXES,
    Limits,
    LoadResult,
    Problem,
    decode,
    detect_kind,
    read_text,
    unrecognised_kind,
)

__all__ = ["DEFAULT_LIMITS", "HTML_SUFFIXES", "JSON_SUFFIXES", "KNOWN_KINDS", "MARKDOWN_SUFFIXES", "PROSE_SUFFIXES",
           "WORD_SUFFIXES", "YAML_SUFFIXES", "Limits", "LoadResult", "Problem", "decode", "detect_kind", "load_bytes",
           "load_file", "load_text", "may_hold_directive", "unrecognised_kind"]

MARKDOWN_SUFFIXES = (".md", ".markdown")  # policies with front matter (prose.py); other Markdown is skipped
WORD_SUFFIXES = (".docx",)  # Word policies (prose.py)
PROSE_SUFFIXES = MARKDOWN_SUFFIXES + WORD_SUFFIXES
HTML_SUFFIXES = BY_NAME[WEBSITE_PAGE].suffixes  # saved pages of the practice's website (formats/website.py)


# Every inline directive, well formed or not, is a comment that starts `# smlint:` (suppress.py)
_DIRECTIVE_HINT = re.compile(r"#[^\S\n]*smlint[^\S\n]*:", re.IGNORECASE)


def may_hold_directive(result: LoadResult) -> bool:
    """Whether a file could hold an inline suppression directive: a YAML file (JSON has no comments)
    with a comment that starts `# smlint:`."""
    path = result.path.lower()
    if path.endswith(MARKDOWN_SUFFIXES):
        return "<!--" in result.text and "smlint" in result.text.lower()
    return not path.endswith(JSON_SUFFIXES) and _DIRECTIVE_HINT.search(result.text) is not None


def load_file(file: Path | str, display: str, limits: Limits = DEFAULT_LIMITS,
              default_kind: str | None = None) -> LoadResult:
    """Read and parse one file; every failure is a `Problem`, never an exception. `file` may be a string
    (a walk's path: no `Path` is made for it).

    `default_kind` (from the configuration's `kinds` globs) is the kind of a mapping that does not
    declare one of its own."""
    try:
        status = os.stat(file)  # noqa: PTH116 - a string or a Path
        if stat.S_ISDIR(status.st_mode):  # a folder the walk could not list (discovery._walk)
            return _unlisted(Path(file), display)
        if not stat.S_ISREG(status.st_mode):  # a named pipe or device would block the read, or never end
            return _failed(display, "not a regular file (a named pipe, device or socket); not read")
        size = status.st_size
        if size > limits.max_bytes:
            return _too_big(display, size, limits)
        with open(file, "rb") as handle:  # noqa: PTH123 - read at most one byte past the cap: it may grow meanwhile
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        return _failed(display, f"cannot read file: {exc.strerror or exc.__class__.__name__}")
    suffix = os.path.splitext(file)[1].lower()  # noqa: PTH122 - `Path.suffix`, of a string
    return load_bytes(raw, display, limits, is_json=suffix in JSON_SUFFIXES, default_kind=default_kind)


def load_bytes(raw: bytes, display: str, limits: Limits = DEFAULT_LIMITS, *, is_json: bool = False,
               default_kind: str | None = None) -> LoadResult:
    if len(raw) > limits.max_bytes:
        return _too_big(display, len(raw), limits)
    try:
        if display.lower().endswith(WORD_SUFFIXES):
            from smlint.prose import load_docx

            return load_docx(raw, display, limits, default_kind)
        text_or_problem = decode(raw)
        if isinstance(text_or_problem, Problem):
            return LoadResult(display, (), (text_or_problem,))
        return load_text(text_or_problem, display, limits, is_json=is_json, default_kind=default_kind)
    except Exception as exc:  # a last guard: one odd file must never stop the run
        return _failed(display, f"file could not be read ({exc.__class__.__name__}); please report this")


def _unlisted(folder: Path, display: str) -> LoadResult:
    try:
        next(folder.iterdir(), None)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
    else:
        reason = "it could not be listed"
    return _failed(display, f"this folder cannot be read ({reason}), so no file in it was checked")


def _failed(display: str, message: str, rule: str = PARSE_RULE) -> LoadResult:
    return LoadResult(display, (), (Problem(Span(1, 1, 1, 1), message, rule=rule),))


def _too_big(display: str, size: int, limits: Limits) -> LoadResult:
    return _failed(display, f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; not parsed "
                            "(raise limits.max_file_bytes in the configuration if it is genuine)", LIMIT_RULE)


def load_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS, *, is_json: bool = False,
              default_kind: str | None = None) -> LoadResult:
    """A file's text, read by the reader its name calls for (YAML or JSON unless it names another)."""
    if display.lower().endswith(MARKDOWN_SUFFIXES):
        from smlint.prose import load_markdown

        return load_markdown(text, display, limits, default_kind)
    if display.lower().endswith(HTML_SUFFIXES):
        from smlint.formats.website import read_page

        return LoadResult(display, (read_page(text, display),), (), text)
    return read_text(text, display, limits, is_json=is_json, default_kind=default_kind)
