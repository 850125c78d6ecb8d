"""Word policies (.docx), read with python-docx (the `docx` extra), imported on first use.

A Word file has no lines. smlint numbers what a reader sees: every paragraph with text and every table
row, in document order, from 1; that number is the finding's `line` (column 1), and the message says
"paragraph N" or "table T, row R" with the heading path above it. Headings are paragraphs whose style is
"Title" or "Heading N"; list paragraphs ("List Bullet", "List Number", "List Paragraph") are list items.
A Word comment whose whole text is `smlint: clause=NAME` (or `clause=!NAME`) pins the paragraph or table
row it is attached to, as `<!-- smlint: clause=NAME -->` does in Markdown.

Metadata comes from a document-control table (two columns, Field | Value) before the first heading or
within the first five paragraphs, and from the document's properties (title, version, category,
keywords). The table wins where both give a field: it is what the approver signed. A Word file is a
policy when the table's "Document type" (or "Kind") row, or the properties' category or keywords, say
policy, or when the configuration's `kinds` globs make it one.

Before python-docx opens anything the archive is vetted (entries, declared sizes, compression ratio),
so a zip bomb is refused with an SM002 finding; a file that is not a Word document is an SM000 finding.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import field
from typing import Any

from smlint.formats.facttables import FactTable, fact_table, put_table
from smlint.formats.prose import HEADING, ITEM, PARAGRAPH, ROW, Block, heading_stack, pinned_names
from smlint.model import Span
from smlint.records import record
from smlint.toolrules import LIMIT_RULE, PARSE_RULE
from smlint.writtendates import iso_date
from smlint.yamljson import Limits, Problem

MAX_ENTRIES = 2_000
MAX_RATIO = 100  # uncompressed / compressed, for any entry over 1 MB
EXPANSION = 20  # the archive may unpack to at most this many times the file-size limit
INSTALL_HINT = "pip install 'smlint[docx]'"
CONTROL_ROWS = 5  # the document-control table must come within this many paragraphs of the start

_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list\b", re.IGNORECASE)


@record
class WordPolicy:
    blocks: tuple[Block, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    meta_positions: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    problem: Problem | None = None
    # where each metadata field and fact-table entry stands, as people find it ("table 1, row 5")
    meta_labels: Mapping[str, str] = field(default_factory=dict)


def read_docx(raw: bytes, limits: Limits) -> WordPolicy:
    """A .docx file's blocks and metadata, or the problem that stopped the reading (never raises)."""
    problem = vet_archive(raw, limits)
    if problem is not None:
        return WordPolicy(problem=problem)
    try:
        import docx
    except ImportError:
        return WordPolicy(problem=_problem("reading Word policies needs the python-docx package, which is not "
                                           f"installed: {INSTALL_HINT}"))
    try:
        document = docx.Document(io.BytesIO(raw))
        reader = _Reader()
        blocks, control = reader.read(document)
        meta, positions = metadata(control, document.core_properties, reader.facts)
        labels = {pointer: reader.rows[marks[0]] for pointer, marks in positions.items() if marks[0] in reader.rows}
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        return WordPolicy(problem=_problem(f"this is not a Word document smlint can read ({exc.__class__.__name__}); "
                                           "save it again from Word as .docx"))
    return WordPolicy(tuple(blocks), meta, positions, meta_labels=labels)


def vet_archive(raw: bytes, limits: Limits) -> Problem | None:
    """Refuse what is not a zip archive, and archives that would unpack to far more than they weigh."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        return _problem("this is not a Word document (.docx files are zip archives; this one is not); "
                        "save it from Word as .docx, not .doc")
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            return _problem(f"the Word file holds {len(entries):,} parts, over the limit of {MAX_ENTRIES:,}; "
                            "not read", LIMIT_RULE)
        total = sum(e.file_size for e in entries)
        cap = limits.max_bytes * EXPANSION
        if total > cap:
            return _problem(f"the Word file would unpack to {total:,} bytes, over the limit of {cap:,}; not read "
                            "(raise limits.max_file_bytes in the configuration if it is genuine)", LIMIT_RULE)
        for entry in entries:
            if entry.file_size > 1_000_000 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                return _problem("the Word file holds a part compressed more than 100 to 1 (a zip bomb?); not read",
                                LIMIT_RULE)
        if "word/document.xml" not in archive.namelist():
            return _problem("this zip archive is not a Word document (it has no word/document.xml)")
    return None


def _problem(message: str, rule: str = PARSE_RULE) -> Problem:
    return Problem(Span(1, 1, 1, 1), message, rule=rule)


class _Reader:
    """Numbers paragraphs and table rows and keeps the heading path."""

    def __init__(self) -> None:
        self.number = 0
        self.tables = 0
        self.stack: list[tuple[int, str]] = []
        self.blocks: list[Block] = []
        self.pins: dict[str, tuple[str, ...]] = {}  # comment id -> concepts it pins
        self.facts: list[FactTable] = []  # the approved vendors and licence roster tables
        self.rows: dict[int, str] = {}  # line -> "table T, row R", for every table row
        self.styles: dict[str, str] = {}

    def read(self, document: Any) -> tuple[list[Block], list[tuple[str, str, int]]]:
        from docx.table import Table

        self.pins = _comment_pins(document)
        # style id -> name, once: python-docx's `paragraph.style` scans every style of the document per call
        self.styles = {style.style_id: style.name or "" for style in document.styles}
        control: list[tuple[str, str, int]] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                before = sum(1 for b in self.blocks if b.kind != HEADING)
                rows = list(self._table(item))
                if not control and self._may_be_control(rows, before):  # metadata, not clauses
                    control = [(cells[0], cells[1], number) for number, cells in rows]
                    del self.blocks[len(self.blocks) - len(rows):]
                    continue
                table = fact_table(rows)
                if table is not None:  # a list of facts, not clauses
                    self.facts.append(table)
                    del self.blocks[len(self.blocks) - len(rows):]
                continue
            self._paragraph(item)
        return self.blocks, control

    def _may_be_control(self, rows: list[tuple[int, list[str]]], paragraphs_before: int) -> bool:
        """The first table, a Field | Value table near the top, with at least one field smlint knows."""
        return (self.tables == 1 and paragraphs_before <= CONTROL_ROWS and bool(rows)
                and all(len(c) == 2 for _, c in rows)
                and any(_field(cells[0]) is not None for _, cells in rows))

    def _paragraph(self, paragraph: Any) -> None:
        text = " ".join(paragraph.text.split())
        if not text:
            return
        self.number += 1
        style = self._style(paragraph)
        level = 1 if style.lower() == "title" else 0
        heading = _HEADING_STYLE.match(style)
        if heading:
            level = int(heading.group(1)) + 1  # below the Title
        span = Span(self.number, 1, self.number, 1)
        if level:
            self.stack = heading_stack(self.stack, level, text)
            self.blocks.append(Block(HEADING, text, span, self._path(), level, f"paragraph {self.number}"))
            return
        kind = ITEM if _LIST_STYLE.match(style) else PARAGRAPH
        self.blocks.append(Block(kind, text, span, self._path(), 0, f"paragraph {self.number}",
                                 self._anchors(paragraph._p)))

    def _style(self, paragraph: Any) -> str:
        """The name of a paragraph's style ("Heading 2", "List Bullet"); empty for the default style."""
        style_id = paragraph._p.style
        return self.styles.get(style_id, style_id) if style_id else ""

    def _anchors(self, element: Any) -> tuple[str, ...]:
        """The concepts pinned by `smlint: clause=NAME` comments anchored in a paragraph or table row."""
        if not self.pins:
            return ()
        ids = element.xpath(".//w:commentRangeStart/@w:id | .//w:commentReference/@w:id")
        return tuple(dict.fromkeys(name for i in ids for name in self.pins.get(str(i), ())))

    def _table(self, table: Any) -> Iterator[tuple[int, list[str]]]:
        self.tables += 1
        for index, row in enumerate(table.rows, 1):
            cells = _distinct_cells(row)
            if not any(cells):
                continue
            self.number += 1
            text = " | ".join(c for c in cells if c)
            where = f"table {self.tables}, row {index}"
            self.rows[self.number] = where
            self.blocks.append(Block(ROW, text, Span(self.number, 1, self.number, 1), self._path(), 0, where,
                                     self._anchors(row._tr)))
            yield self.number, cells

    def _path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)


def _comment_pins(document: Any) -> dict[str, tuple[str, ...]]:
    """Comment id -> concepts, for the document's comments whose text is `smlint: clause=NAME`."""
    try:
        comments = list(document.comments)
    except Exception:  # no comments part, or a python-docx without comment support
        return {}
    pins = {}
    for comment in comments:
        names = pinned_names(comment.text or "")
        if names:
            pins[str(comment.comment_id)] = tuple(names)
    return pins


def _distinct_cells(row: Any) -> list[str]:
    """A row's cell texts, a merged cell once."""
    seen: set[int] = set()
    cells = []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return cells


# -------------------------------------------------------------------------------------------- metadata

_FIELDS = {
    "organisation": "organisation", "organization": "organisation", "agency": "organisation",
    "practice": "organisation", "organisation name": "organisation", "organization name": "organisation",
    "title": "title", "document title": "title", "policy title": "title", "policy": "title",
    "version": "version", "version number": "version", "policy version": "version",
    "effective": "effective", "effective date": "effective", "effective from": "effective",
    "last reviewed": "last_reviewed", "last review": "last_reviewed", "last review date": "last_reviewed",
    "date last reviewed": "last_reviewed", "reviewed": "last_reviewed", "review date": "last_reviewed",
    "review interval": "review_interval_months", "review cycle": "review_interval_months",
    "review frequency": "review_interval_months", "review interval (months)": "review_interval_months",
    "approved by": "approved_by/name", "approver": "approved_by/name",
    "approver role": "approved_by/role", "approver's role": "approved_by/role", "role": "approved_by/role",
    "approval date": "approved_by/date", "date approved": "approved_by/date", "approved on": "approved_by/date",
    "owner": "owner", "policy owner": "owner", "document owner": "owner",
    "kind": "kind", "document type": "kind", "type": "kind", "document kind": "kind",
    "covered entity": "covered_entity", "hipaa covered entity": "covered_entity",
}
_MONTHS_IN = {"annual": 12, "annually": 12, "yearly": 12, "every year": 12, "12 months": 12, "biannual": 6,
              "every six months": 6, "every 6 months": 6, "6 months": 6, "quarterly": 3, "every two years": 24,
              "biennial": 24, "24 months": 24}
def metadata(control: list[tuple[str, str, int]], properties: Any,
             facts: Sequence[FactTable] = ()) -> tuple[dict[str, Any], dict[str, tuple[int, ...]]]:
    """The policy's metadata: the document-control table's rows first, the properties for what it lacks, and
    the lists its fact tables record (the first table of each kind)."""
    meta: dict[str, Any] = {}
    positions: dict[str, tuple[int, ...]] = {}
    for table in facts:
        put_table(meta, positions, table)
    for label, value, number in control:
        key = _field(label)
        if key is None or not value:
            continue
        parsed = _value(key, value)
        if parsed is None:
            continue
        if "/" in key:
            outer, inner = key.split("/")
            meta.setdefault(outer, {})[inner] = parsed
            positions.setdefault(f"/{outer}", (number, 1, number, 1) * 2)
        else:
            meta[key] = parsed
        positions[f"/{key}"] = (number, 1, number, 1) * 2
    _approver(meta)
    _from_properties(meta, properties)
    return meta, positions


def _field(label: str) -> str | None:
    return _FIELDS.get(" ".join(label.lower().rstrip(":").split()))


def _value(key: str, text: str) -> Any:
    if key == "kind":
        return "policy" if "policy" in text.lower() else text.strip().lower()
    if key in ("effective", "last_reviewed", "approved_by/date"):
        return iso_date(text)
    if key == "review_interval_months":
        lowered = " ".join(text.lower().split())
        if lowered in _MONTHS_IN:
            return _MONTHS_IN[lowered]
        digits = re.match(r"(\d{1,3})\b", lowered)
        return int(digits.group(1)) if digits else text
    if key == "covered_entity":
        lowered = text.strip().lower()
        return True if lowered in ("yes", "true", "y") else False if lowered in ("no", "false", "n") else text
    return text.strip()


def _approver(meta: dict[str, Any]) -> None:
    """"Approved by: Dana Ortiz, Clinical Director" gives the name and the role."""
    approved = meta.get("approved_by")
    if isinstance(approved, dict) and "role" not in approved and "," in approved.get("name", ""):
        name, role = approved["name"].split(",", 1)
        approved["name"], approved["role"] = name.strip(), role.strip()


def _from_properties(meta: dict[str, Any], properties: Any) -> None:
    title = (properties.title or "").strip()
    if title and "title" not in meta:
        meta["title"] = title
    version = (properties.version or "").strip()
    if version and "version" not in meta:
        meta["version"] = version
    tags = f"{properties.category or ''} {properties.keywords or ''}".lower()
    if "kind" not in meta and re.search(r"\bpolicy\b", tags):
        meta["kind"] = "policy"
