"""What the Markdown and Word readers share: a policy document as a list of located text blocks.

A reader (`markdown.py`, `wordprocessing.py`) turns a file into `Block`s in reading order: each heading,
paragraph, list item and table row with where it stands and the headings above it. The clause reader
(`smlint.clauses`) then turns the blocks into the facts a YAML policy records. Nothing here imports a
parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from smlint.model import Span
from smlint.records import record
from smlint.redact import scrub

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
ROW = "row"


@record
class Block:
    """One heading, paragraph, list item or table row of a prose document.

    `path` is the heading path above the block (for a heading: its parents and itself). `where` says, for a
    Word document, which paragraph or table cell the block is ("paragraph 12", "table 1, row 2"), since
    a Word file has no lines; it is empty for Markdown. `anchors` are the concepts an author pinned to
    the block (`<!-- smlint: clause=NAME -->` just above it in Markdown)."""

    kind: str
    text: str
    span: Span
    path: tuple[str, ...] = ()
    level: int = 0
    where: str = ""
    anchors: tuple[str, ...] = ()

    @property
    def heading_path(self) -> str:
        return " > ".join(self.path)


@lru_cache(maxsize=4096)
def label(block: Block) -> str:
    """How a message names where a block is: its heading path (and, in Word, the paragraph or cell). The
    headings come from the user's file: each passes the redaction boundary (`redact.scrub`) on its own, so
    that a heading about clients does not mask the headings beside it."""
    parts = [block.where] if block.where else []
    if block.path:
        path = " > ".join(scrub(heading) for heading in block.path)
        parts.append(f"under '{path}'" if block.kind != HEADING else f"heading '{path}'")
    return ", ".join(parts)


def heading_stack(stack: Sequence[tuple[int, str]], level: int, text: str) -> list[tuple[int, str]]:
    """The headings open after a heading of `level`: those above it, then itself."""
    kept = [entry for entry in stack if entry[0] < level]
    kept.append((level, text))
    return kept


# Concepts an author pins to a block: `<!-- smlint: clause=NAME[,NAME] -->` above it in Markdown, a Word
# comment whose whole text is `smlint: clause=NAME[,NAME]`
_ANCHOR = re.compile(r"<!--\s*smlint\s*:\s*clause\s*=\s*([!A-Za-z0-9_,\s-]+?)\s*-->", re.IGNORECASE)
_PIN_TEXT = re.compile(r"^\s*smlint\s*:\s*clause\s*=\s*([!A-Za-z0-9_,\s-]+?)\s*$", re.IGNORECASE)


def pinned_names(comment: str) -> list[str]:
    """Concept names pinned by a Word comment whose whole text is `smlint: clause=NAME[,NAME]`."""
    match = _PIN_TEXT.match(comment)
    return [part.strip() for part in match.group(1).split(",") if part.strip()] if match else []


def anchor_names(html: str) -> list[str]:
    """Concept names pinned by `<!-- smlint: clause=NAME[,NAME] -->` comments in an HTML block."""
    names: list[str] = []
    for match in _ANCHOR.finditer(html):
        names.extend(part.strip() for part in match.group(1).split(",") if part.strip())
    return names
