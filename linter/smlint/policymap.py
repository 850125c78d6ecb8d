"""`smlint explain-policy FILE`: how the clause reader read a Markdown or Word policy.

For each concept of the clause catalogue: established, contradicted or not found, and where (line and
column, heading path, and in Word the paragraph or table cell), with the clause's text passed through
the redaction boundary (`redact.scrub`) and shortened. Sections found by their headings are listed too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smlint import prose
from smlint.clauses import NOT_FOUND, Catalogue, Reading, current_catalogue, read
from smlint.errors import SmlintError
from smlint.formats.prose import Block, label
from smlint.loader import DEFAULT_LIMITS, MARKDOWN_SUFFIXES, WORD_SUFFIXES, Limits, decode
from smlint.records import record
from smlint.redact import scrub

SHOWN_CHARS = 90


@record
class Mapping:
    display: str
    reading: Reading
    catalogue: Catalogue


def map_policy(file: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> Mapping:
    """The reading of one prose policy; `SmlintError` (exit 2) when it cannot be read."""
    name = file.name.lower()
    if not name.endswith(MARKDOWN_SUFFIXES + WORD_SUFFIXES):
        raise SmlintError(f"{display}: explain-policy reads Markdown (.md) and Word (.docx) policies")
    try:
        size = file.stat().st_size
        if size > limits.max_bytes:
            raise SmlintError(f"{display}: file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; not read")
        raw = file.read_bytes()
    except OSError as exc:
        raise SmlintError(f"{display}: cannot read file: {exc.strerror or exc.__class__.__name__}") from None
    catalogue = current_catalogue()  # built-in, plus the agency's families (smlint.clausedirs)
    return Mapping(display, read(_blocks(raw, display, name, limits), catalogue), catalogue)


def _blocks(raw: bytes, display: str, name: str, limits: Limits) -> Sequence[Block]:
    if name.endswith(WORD_SUFFIXES):
        found, problem = prose.docx_blocks(raw, limits)
        if problem is not None:
            raise SmlintError(f"{display}:{problem.span.line}: {problem.message}")
        return found
    text = decode(raw)
    if not isinstance(text, str):
        raise SmlintError(f"{display}:{text.span.line}:{text.span.column}: {text.message}")
    return prose.markdown_blocks(text)


def _shown(raw: str) -> str:
    text = scrub(" ".join(raw.split()))
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1].rstrip() + "…"


def rows(mapping: Mapping) -> list[dict[str, Any]]:
    out = []
    for concept in mapping.catalogue.concepts:
        state = mapping.reading.state(concept.name)
        row: dict[str, Any] = {"concept": concept.name, "family": concept.family, "field": concept.field,
                               "title": concept.title, "state": state}
        fact = mapping.reading.decisive(concept.name)
        if fact is not None:
            where = fact.block
            row.update(line=where.span.line, column=where.span.column, where=label(where),
                       text=_shown(fact.sentence or where.text), pinned=fact.pinned)
            if isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool):
                row["value"] = fact.value
            elif isinstance(fact.value, str) and (fact.concept.date or fact.concept.value == "capture"):
                row["value"] = _shown(fact.value)  # a date, or the role or framework the clause names
        out.append(row)
    return out


def sections(mapping: Mapping) -> list[dict[str, Any]]:
    return [{"section": key, "line": block.span.line, "column": block.span.column, "heading": scrub(block.text)}
            for key, block in sorted(mapping.reading.section_heading.items(), key=lambda kv: kv[1].span.line)]


def render_json(mapping: Mapping) -> str:
    return json.dumps({"path": mapping.display, "sections": sections(mapping), "concepts": rows(mapping)},
                      indent=2, ensure_ascii=False) + "\n"


def render_text(mapping: Mapping) -> str:
    table = rows(mapping)
    found = [r for r in table if r["state"] != NOT_FOUND]
    contradicted = sum(1 for r in found if r["state"] == "contradicted")
    lines = [f"{mapping.display}: {len(found)} of {len(table)} concepts found "
             f"({len(found) - contradicted} established, {contradicted} contradicted, "
             f"{len(table) - len(found)} not found)", ""]
    heads = sections(mapping)
    lines.append("Sections by heading: " + (", ".join(f"{s['section']} (line {s['line']})" for s in heads)
                                            if heads else "none"))
    family = ""
    for row in sorted(table, key=lambda r: (r["family"], r["state"] == NOT_FOUND, r.get("line", 0))):
        if row["family"] != family:
            family = row["family"]
            lines.extend(["", f"{family}:"])
        if row["state"] == NOT_FOUND:
            lines.append(f"  {'not found':<13} {row['concept']}")
            continue
        value = f" = {row['value']}" if "value" in row else ""
        pinned = " (pinned)" if row["pinned"] else ""
        where = f" [{row['where']}]" if row["where"] else ""
        lines.append(f"  {row['state']:<13} {row['concept']}{value}  {row['line']}:{row['column']}{pinned}{where}")
        lines.append(f"  {'':<13} \"{row['text']}\"")
    return "\n".join(lines) + "\n"
