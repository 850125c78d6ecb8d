"""Checks that look at one artifact at a time."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from smlint.checks import Context, Hit
from smlint.checks.conditions import Verdict, compile_regex, holds, judge, truthy
from smlint.document import MISSING, get, last_segment, parent, resolve
from smlint.model import Severity


def field_name(pointer: str) -> str:
    """The human name of the field a pointer ends in (list indices are skipped)."""
    current = pointer
    while current:
        segment = last_segment(current)
        if not segment.isdigit():
            return segment
        current = parent(current)
    return "document"


def choose_at(data: Any, at: str | list[str]) -> str:
    """The first pointer of `at` that exists in the data; else the last one (reported at its parent)."""
    if isinstance(at, str):
        return at
    for pointer in at:
        if get(data, pointer) is not MISSING:
            return pointer
    return at[-1]


def required(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """Each path in `paths` must be present and not empty. Reported at the mapping that lacks it.

    Variables: `field` (the missing field) and `section` (the mapping it belongs in).
    """
    if not holds(params.get("when"), data):
        return
    for path in params["paths"]:
        if not truthy(get(data, path)):
            yield Hit(path, {"field": field_name(path), "section": field_name(parent(path))})


def assert_(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """When `when` holds, `expect` must hold too; otherwise one finding at `at`.

    `at` is where the finding points: the field that is wrong, or, when it is absent, the mapping
    that should hold it. A list gives candidates; the first present one is used. Variables: `field`.
    `expect` is judged on three values: when the file does not record what it needs, the hit says which
    paths are missing and the rule's `unknown:` handling decides (variant `unknown`).
    """
    if holds(params.get("when"), data):
        hit = _expectation(data, params["expect"], choose_at(data, params["at"]))
        if hit is not None:
            yield hit


def assert_all(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """Several assertions under one rule: each entry of `asserts` is an `assert` of its own (`when`, `at`,
    `expect`) with a `name` saying what it is about, so that one rule can hold a family of like settings
    (every setting an account should lock) and its findings say which one failed. One finding per entry
    whose `expect` fails, judged on three values as in `assert`; a `when` beside `asserts` applies to all.
    Variables: `field`, `name` (the entry's, from the rule, never the file's).
    """
    if not holds(params.get("when"), data):
        return
    for entry in params["asserts"]:
        if not holds(entry.get("when"), data):
            continue
        hit = _expectation(data, entry["expect"], choose_at(data, entry["at"]))
        if hit is not None:
            yield Hit(hit.pointer, {**hit.variables, "name": entry["name"]}, hit.variant, missing=hit.missing,
                      absent_fails=hit.absent_fails)


def _expectation(data: Any, expect: Any, at: str) -> Hit | None:
    """The hit for an `expect` that is recorded false (or not recorded), else None."""
    judged = judge(expect, data)
    if judged.verdict is Verdict.TRUE:
        return None
    if judged.verdict is Verdict.FALSE:
        return Hit(at, {"field": field_name(at)})
    return Hit(at, {"field": field_name(at)}, "unknown", missing=judged.missing, absent_fails=not holds(expect, data))


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def _due(start: date, data: Any, params: Mapping[str, Any]) -> date:
    months = params.get("add_months", 0)
    interval_path = params.get("interval_path")
    if interval_path:
        interval = get(data, interval_path)
        if isinstance(interval, int) and not isinstance(interval, bool) and interval > 0:
            months = min(interval, months) if months else interval
    due = add_months(start, months)
    try:
        return due + timedelta(days=params.get("add_days", 0))
    except OverflowError:
        return date.max


def deadline(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """The date at `path`, plus `add_months` and `add_days`, is a deadline. A shorter interval in the
    document itself (the number of months at `interval_path`) brings it forward, never back.
    Past the deadline: a finding at the rule's severity. Within `warn_days` before it: a `due_soon`
    finding at warning severity, so that a repository does not turn red overnight.

    Missing or malformed dates are left to the schema and to `required` rules.
    Variables: `field`, `due` (YYYY-MM-DD), `days_overdue`, `days_left`.
    """
    if not holds(params.get("when"), data):
        return
    warn_days = int(params.get("warn_days", 0))
    look_ahead = max(warn_days, ctx.horizon_days)  # the report's calendar may look further than the rule warns
    for pointer, value in resolve(data, params["path"]):
        start = parse_date(value)
        if start is None:
            continue
        due = _due(start, data, params)
        field = field_name(pointer)
        if ctx.today > due:
            yield Hit(pointer, {"field": field, "due": due.isoformat(), "days_overdue": (ctx.today - due).days,
                                "days_left": 0}, due=due)
        elif look_ahead and (due - ctx.today).days <= look_ahead:
            yield Hit(pointer, {"field": field, "due": due.isoformat(), "days_overdue": 0,
                                "days_left": (due - ctx.today).days}, "due_soon", Severity.WARNING, due=due,
                      calendar_only=not (warn_days and (due - ctx.today).days <= warn_days))


def forbidden_words(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """The text at `path` must not contain any of `words` (case-insensitive). With `match: word`
    a word must stand alone; the default, `substring`, also catches THERAPY in THERAPEUTICS.
    `whole_words` always must stand alone (a word is letters and digits: `*`, spaces and punctuation end
    it): abbreviations such as THER or MH, which would otherwise match THERESA or MHK.

    Variables: `field`, `word` (the listed word that matched, from the rule, never the file's text).
    """
    if not holds(params.get("when"), data):
        return
    whole_word = params.get("match", "substring") == "word"
    for pointer, value in resolve(data, params["path"]):
        if not isinstance(value, str):
            continue
        word = _first_word(value, params["words"], whole_word)
        if word is None:
            word = _first_word(value, params.get("whole_words", []), True)
        if word is not None:
            yield Hit(pointer, {"field": field_name(pointer), "word": word})


def _first_word(text: str, words: list[str], whole_word: bool) -> str | None:
    folded = text.casefold()
    for word in words:
        needle = word.casefold()
        if whole_word:
            if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
                return word
        elif needle in folded:
            return word
    return None


def pattern(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """Each text at `path` must match `regex` (or, with `must_match: false`, must not).
    Matching is case-insensitive. Variables: `field`.
    """
    if not holds(params.get("when"), data):
        return
    regex = compile_regex(params["regex"])
    must_match = params.get("must_match", True)
    for pointer, value in resolve(data, params["path"]):
        if isinstance(value, str) and (regex.search(value) is not None) != must_match:
            yield Hit(pointer, {"field": field_name(pointer)})


def text_matches(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """Every text value anywhere in the document (or under `path`, default the whole document) that
    matches `regex` (case-insensitive) gives a finding at that value. Use it for markers that may
    appear in any field, such as placeholders. Variables: `field`.
    """
    from smlint.checks.client_data import text_items, values_of

    if not holds(params.get("when"), data):
        return
    regex = compile_regex(params["regex"])
    root = params.get("path", "")
    # the whole document shares the client-data rules' single walk of its text values
    items = text_items(get(data, root), root) if root else values_of(data).items
    for item in items:
        if regex.search(item.text) is not None:
            yield Hit(item.pointer, {"field": field_name(item.pointer)})


def each(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """Every value at `path` (a pointer or a list of them; `*` matches each item or key) that satisfies
    `where` must satisfy `expect`. Paths in `where` and `expect` are relative to that value (`""` is
    the value itself). One finding at each value that fails. Variables: `field`. `expect` is judged on
    three values, as in `assert` (missing paths are reported relative to the document).
    """
    if not holds(params.get("when"), data):
        return
    paths = params["path"] if isinstance(params["path"], list) else [params["path"]]
    for path in paths:
        for pointer, value in resolve(data, path):
            if holds(params.get("where"), value):
                hit = _expectation(value, params["expect"], pointer)
                if hit is not None:
                    yield Hit(pointer, hit.variables, hit.variant, missing=tuple(pointer + m for m in hit.missing),
                              absent_fails=hit.absent_fails)


def fhir_mapped(data: Any, params: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """A FHIR Questionnaire must have at least one item that stands for an intake-form clause, by an
    `urn:smlint:concept` code, the project's `fhir.link_ids` or the text match (docs/formats.md). A form
    where none does is not judged clause by clause (that would report every clause missing); it gets this
    one finding, at its `item` list (or `resourceType` without one). Variables: `field`.
    """
    from smlint.formats.fhir import read

    if not holds(params.get("when"), data) or read(data, ctx.fhir).mapped:
        return
    pointer = "/item" if isinstance(data, Mapping) and "item" in data else "/resourceType"
    yield Hit(pointer, {"field": field_name(pointer)})
