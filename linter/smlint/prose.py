"""Prose policies (Markdown, Word) to `LoadResult`s: the same `kind: policy` document a YAML policy gives.

The metadata (organisation, version, effective, last_reviewed, review_interval_months, approved_by, ...)
comes from the Markdown front matter or the Word document-control table and properties; the `sections`
come from the clause reader (`smlint.clauses`). Each field's position is the clause that gave it, and its
label (heading path, Word paragraph or cell) goes into the message of every finding about it. Imported
by the loader only for `.md`, `.markdown` and `.docx` files, so YAML-only runs never load it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from smlint.clauses import (
    CONTRADICTION_RULE,
    FRONT_MATTER_RULE,
    NOTHING_READ_RULE,
    STALE_RULE,
    PolicyFacts,
    contradictions,
    policy_sections,
    read,
)
from smlint.document import Document, Positions, join
from smlint.formats.facttables import put_table
from smlint.formats.prose import Block, label
from smlint.kinds import INTAKE_FORM, POLICY, VENDOR
from smlint.model import Span
from smlint.redact import scrub
from smlint.toolrules import PARSE_RULE, SHAPE_RULE
from smlint.yamljson import Limits, LoadResult, Problem, read_text


def load_markdown(text: str, display: str, limits: Limits, default_kind: str | None = None) -> LoadResult:
    """A Markdown file: a policy when its front matter says `kind: policy` (or the configuration's `kinds`
    globs make it one); any other Markdown file (a README) gives no document and no finding."""
    from smlint.formats.markdown import blocks_and_facts, body, front_matter

    fm = front_matter(text)
    if fm.unclosed:
        if default_kind == POLICY or _mentions_kind(text):
            return LoadResult(display, (), (Problem(Span(1, 1, 1, 4), "the front matter that starts on line 1 is "
                                                    "never closed: end it with a line '---'"),), text)
        return LoadResult(display, (), ())
    meta: Any = {}
    meta_positions: Mapping[str, tuple[int, ...]] = {}
    problems: list[Problem] = []
    if fm.lines:
        parsed = read_text(fm.yaml, "front-matter.yaml", limits)
        if parsed.problems and (default_kind == POLICY or _mentions_kind(fm.yaml)):
            return LoadResult(display, (), parsed.problems, text)
        if parsed.problems or not parsed.documents:
            return LoadResult(display, (), ())
        meta = parsed.documents[0].data
        positions = parsed.documents[0].positions
        meta_positions = positions.table() if isinstance(positions, Positions) else {}
    kind = meta.get("kind", default_kind) if isinstance(meta, dict) else default_kind
    if kind != POLICY:
        if isinstance(meta, dict) and kind in (INTAKE_FORM, VENDOR):
            span = _span(meta_positions.get("/kind"))
            problems.append(Problem(span, f"only policies can be written in Markdown; write this {kind} as YAML",
                                    "/kind", SHAPE_RULE))
            return LoadResult(display, (), tuple(problems), text)
        return LoadResult(display, (), ())
    if not isinstance(meta, dict):
        return LoadResult(display, (), (Problem(_span(meta_positions.get("")), "the front matter must be a mapping "
                                                "of fields (organisation: ..., version: ...)", rule=PARSE_RULE),),
                          text)
    found, tables = blocks_and_facts(body(text, fm.lines))
    if tables:  # the lists its fact tables keep, where the front matter does not give them
        meta_positions = dict(meta_positions)
        for table in tables:
            put_table(meta, meta_positions, table)
    document, more = policy_document(display, meta, meta_positions, found, limits, top=Span(1, 1, 1, 4))
    return LoadResult(display, (document,), (*problems, *more), text)


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown text below its front matter (for `smlint explain-policy`)."""
    from smlint.formats.markdown import blocks, body, front_matter

    fm = front_matter(text)
    return [] if fm.unclosed else blocks(body(text, fm.lines))


def _mentions_kind(text: str) -> bool:
    return "kind" in text


def _span(marks: Sequence[int] | None) -> Span:
    if not marks:
        return Span(1, 1, 1, 1)
    return Span(marks[0], marks[1], marks[2], marks[3])


def policy_document(display: str, meta: dict[str, Any], meta_positions: Mapping[str, tuple[int, ...]],
                    blocks: Sequence[Block], limits: Limits, top: Span,
                    meta_labels: Mapping[str, str] | None = None) -> tuple[Document, list[Problem]]:
    """The policy `Document` of a prose file, and the problems only prose has (clauses that contradict each
    other, front matter that contradicts the text, nothing recognised). `meta_labels` name where a Word
    file's metadata and fact-table entries stand ("table 1, row 5")."""
    reading = read(blocks)
    facts = policy_sections(reading, limits.max_value_chars)
    problems = [_contradiction(established, contradicted) for established, contradicted in contradictions(reading)]
    problems.extend(_unknown_anchor(block, name) for block, name in reading.unknown_anchors)
    problems.extend(Problem(block.span, f"this clause relies on {item.title}; {item.advice}"
                            + (f" ({label(block)})" if label(block) else ""), rule=STALE_RULE)
                    for block, item in reading.stale)
    data: dict[str, Any] = {"kind": POLICY, **meta}
    sections = meta.get("sections")
    problems.extend(_merge(sections if isinstance(sections, dict) else None, facts, meta_positions))
    if isinstance(sections, dict):
        merged = _deep_merge(facts.sections, sections)
        data["sections"] = merged
    elif sections is None:
        data["sections"] = facts.sections
    if not reading.facts and not reading.section_heading:
        problems.append(Problem(_first(blocks, top), "no clause of this policy was recognised, so its rules judge "
                                "it as recording nothing; check that it is the policy, or pin clauses with "
                                "<!-- smlint: clause=NAME --> comments (docs/clause-catalogue.md)",
                                rule=NOTHING_READ_RULE))
    marks = dict(meta_positions)
    labels: dict[str, str] = dict(meta_labels or {})
    if blocks and blocks[0].where:  # Word: what no clause holds is reported at the top, paragraph 1
        labels.setdefault("/sections", label(blocks[0]))
    first = _first(blocks, top)
    marks.setdefault("", _marks(top))
    if "/sections" not in marks:
        marks["/sections"] = _marks(first) + _marks(first)
    for pointer, block in facts.where.items():
        if pointer not in marks:
            marks[pointer] = _marks(block.span) + _marks(block.span)
            labels[pointer] = label(block)
            if pointer.count("/") == 2:
                marks.setdefault(pointer + "/text", marks[pointer])
    return Document(display, POLICY, data, Positions(marks), labels=labels), problems


def _deep_merge(read_facts: Mapping[str, Any], stated: Mapping[str, Any]) -> dict[str, Any]:
    """The text's facts with the front matter's on top, mapping by mapping: a front-matter
    `review_response: {procedure: ...}` keeps what the text says about the other review_response fields."""
    merged = dict(read_facts)
    for key, value in stated.items():
        below = merged.get(key)
        merged[key] = _deep_merge(below, value) if isinstance(value, dict) and isinstance(below, dict) else value
    return merged


def _first(blocks: Sequence[Block], top: Span) -> Span:
    return blocks[0].span if blocks else top


def _marks(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def _contradiction(established: Any, contradicted: Any) -> Problem:
    first, second = established.block, contradicted.block
    where = f"line {first.span.line}" if not first.where else scrub(first.where)  # headings are the user's text
    return Problem(second.span, f"this clause contradicts the one at {where} on '{established.concept.title}'; "
                                "the policy is read as allowing it until one of them is changed"
                                + (f" ({scrub(label(second))})" if label(second) else ""),
                   join(["sections", *established.concept.field.split("/")[2:]]), CONTRADICTION_RULE)


def _unknown_anchor(block: Block, name: str) -> Problem:
    return Problem(block.span, f"a clause comment names '{scrub(name, 'key')}', which is not a concept of the clause "
                               "catalogue; `smlint explain-policy` lists the names", rule=PARSE_RULE)


def _merge(sections: Mapping[str, Any] | None, facts: PolicyFacts,
           positions: Mapping[str, tuple[int, ...]]) -> list[Problem]:
    """Front-matter `sections` facts that the text contradicts (the front matter's value is kept): yes/no
    answers, numbers and dates that both give, field by field, nested mappings included. Words the text
    states in its own way (a procedure, a role) are not compared."""
    if not sections:
        return []
    return [_front_matter_differs(pointer, positions, facts) for pointer in _differing(["sections"], sections,
                                                                                     facts.sections)]


def _differing(path: list[str], stated: Mapping[str, Any], read_facts: Any) -> list[str]:
    if not isinstance(read_facts, Mapping):
        return []
    out = []
    for name, value in stated.items():
        if name == "text" or name not in read_facts:
            continue
        said = read_facts[name]
        if isinstance(value, Mapping):
            out.extend(_differing([*path, name], value, said))
        elif _comparable(value) and _comparable(said) and value != said:
            out.append(join([*path, name]))
    return out


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _comparable(value: Any) -> bool:
    return isinstance(value, (bool, int, float)) or (isinstance(value, str) and bool(_ISO_DATE.fullmatch(value)))


def _front_matter_differs(pointer: str, positions: Mapping[str, tuple[int, ...]], facts: PolicyFacts) -> Problem:
    block = facts.where.get(pointer)
    return Problem(_span(positions.get(pointer)), "the front matter records this field differently from the "
                   "policy's text" + (f" (the clause at line {block.span.line})" if block else ""),
                   pointer, FRONT_MATTER_RULE)


def load_docx(raw: bytes, display: str, limits: Limits, default_kind: str | None = None) -> LoadResult:
    """A Word policy (see `wordprocessing.py`)."""
    from smlint.formats.wordprocessing import read_docx

    found = read_docx(raw, limits)
    if found.problem is not None:
        return LoadResult(display, (), (found.problem,))
    meta = dict(found.meta)
    kind = meta.get("kind", default_kind)
    if kind != POLICY:
        return LoadResult(display, (), ())
    document, more = policy_document(display, meta, found.meta_positions, found.blocks, limits,
                                     top=Span(1, 1, 1, 1), meta_labels=found.meta_labels)
    return LoadResult(display, (document,), tuple(more))


def docx_blocks(raw: bytes, limits: Limits) -> tuple[list[Block], Problem | None]:
    from smlint.formats.wordprocessing import read_docx

    found = read_docx(raw, limits)
    return list(found.blocks), found.problem
