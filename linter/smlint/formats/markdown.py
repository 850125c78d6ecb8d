"""Markdown policies: YAML front matter for the metadata, the policy's text below it.

The front matter is the block between a first line `---` and the next line `---` (or `...`); it is read
by smlint's own YAML loader with the file's line numbers, so a problem in it is reported where it is.
The text is parsed by markdown-it-py (CommonMark with tables), imported here on first use; every
heading, paragraph, list item and table row becomes a `Block` with its line and column.

An HTML comment `<!-- smlint: clause=NAME -->` on its own pins the next block to a concept of the clause
catalogue (`!NAME` pins it as contradicting the concept); `<!-- smlint: disable=... -->` comments are
suppressions, read by `suppress.py` from the file's lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from smlint.formats.facttables import FactTable, fact_table
from smlint.formats.prose import HEADING, ITEM, PARAGRAPH, ROW, Block, anchor_names, heading_stack
from smlint.model import Span
from smlint.records import record

_FENCE = "---"
_ENDS = ("---", "...")


@record
class FrontMatter:
    """The front matter's text as a YAML document with the file's line numbers (lines outside it blank),
    the number of lines it spans (0 when there is none), and whether it is left open."""

    yaml: str
    lines: int
    unclosed: bool = False


def front_matter(text: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return FrontMatter("", 0)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _ENDS:
            return FrontMatter("\n" + "\n".join(lines[1:index]) + "\n", index + 1)
    return FrontMatter("", len(lines), unclosed=True)


def body(text: str, skip: int) -> str:
    """The text with its first `skip` lines (the front matter) blanked, so that line numbers stay true."""
    if not skip:
        return text
    lines = text.split("\n")
    return "\n" * skip + "\n".join(lines[skip:])


def blocks(text: str) -> list[Block]:
    """Every heading, paragraph, list item and table row of a Markdown text, in order, located (the rows
    of a fact table are not clauses: `blocks_and_facts` gives them as facts)."""
    return blocks_and_facts(text)[0]


def blocks_and_facts(text: str) -> tuple[list[Block], list[FactTable]]:
    """The blocks of a Markdown text, and the fact tables it keeps (approved vendors, licence roster, client
    states: `facttables.py`), each row at its line."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    walker = _Walker(text.split("\n"))
    found = list(walker.walk(tokens))
    return found, walker.facts


class _Walker:
    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.stack: list[tuple[int, str]] = []
        self.pins: list[str] = []
        self.facts: list[FactTable] = []

    def walk(self, tokens: Sequence[Any]) -> Iterator[Block]:
        item_at: list[tuple[int, int]] = []  # the open list items' start lines and marker columns
        row: list[str] = []
        table: list[tuple[Block, list[str]]] = []  # the open table's rows, with their cells
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "list_item_open":
                item_at.append(self._start(token.map[0]))
            elif kind == "list_item_close":
                item_at.pop()
            elif kind == "html_block":
                self._pin(token.content)
            elif kind == "table_open":
                table = []
            elif kind == "tr_open":
                row = []
            elif kind == "tr_close":
                table.append((self._block(ROW, " | ".join(row), token_map=tokens_map(tokens, i)), row))
            elif kind == "table_close":
                yield from self._table(table)
            elif kind == "inline":
                yield from self._inline(tokens, i, item_at, row)

    def _table(self, table: list[tuple[Block, list[str]]]) -> Iterator[Block]:
        """A table's rows as clauses, unless its header makes it a fact table (docs/formats.md)."""
        facts = fact_table([(block.span.line, cells) for block, cells in table])
        if facts is not None and facts.value:
            self.facts.append(facts)
            return
        for block, _ in table:
            yield block

    def _inline(self, tokens: Sequence[Any], i: int, item_at: list[tuple[int, int]],
                row: list[str]) -> Iterator[Block]:
        token, opener = tokens[i], tokens[i - 1].type
        text = plain(token)
        if opener == "heading_open":
            level = int(tokens[i - 1].tag[1:])
            self.stack = heading_stack(self.stack, level, text)
            yield self._block(HEADING, text, token.map, level=level)
        elif opener in ("th_open", "td_open"):
            row.append(text)
        elif opener == "paragraph_open" and text:
            if item_at and tokens[i - 1].map[0] == item_at[-1][0]:  # the item's first paragraph: at its marker
                yield self._block(ITEM, text, token.map, start=item_at[-1])
            else:
                yield self._block(PARAGRAPH, text, token.map)

    def _start(self, line: int) -> tuple[int, int]:
        source = self.lines[line] if line < len(self.lines) else ""
        return line, len(source) - len(source.lstrip(" \t>")) + 1

    def _block(self, kind: str, text: str, token_map: Sequence[int], level: int = 0,
               start: tuple[int, int] | None = None) -> Block:
        first, column = start if start is not None else self._start(token_map[0])
        last = max(token_map[1] - 1, first)
        end_column = len(self.lines[last]) + 1 if last < len(self.lines) else 1
        anchors, self.pins = tuple(self.pins), []
        path = tuple(text for _, text in self.stack)
        return Block(kind, text, Span(first + 1, column, last + 1, end_column), path, level, anchors=anchors)

    def _pin(self, html: str) -> None:
        self.pins.extend(anchor_names(html))


def tokens_map(tokens: Sequence[Any], close: int) -> Sequence[int]:
    """The source lines of the table row that closes at `close`."""
    for j in range(close, -1, -1):
        if tokens[j].type == "tr_open":
            return list(tokens[j].map or (0, 1))
    return [0, 1]


def plain(token: Any) -> str:
    """An inline token's text without Markdown markup: emphasis dropped, code kept, line breaks as spaces,
    inline HTML left out."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())
