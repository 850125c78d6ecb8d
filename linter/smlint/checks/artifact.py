"""Checks that look at one artifact at a time.

Each declares itself (`artifact_check`) with its parameters dataclass; the engine has already tested the
rule's `when` on the document before a check is called.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from smlint.checks.base import CheckSpec, Context, Hit, artifact_check
from smlint.checks.client_data import text_items, values_of
from smlint.checks.conditions import Condition, Verdict, compile_regex, truthy
from smlint.checks.params import (
    AT,
    BOOLEAN,
    CONDITIONS,
    POINTER,
    POINTER_OR_POINTERS,
    POINTERS,
    REGEX,
    Kind,
    NoParams,
    ParamError,
    enum,
    integer,
    param,
    texts,
)
from smlint.document import MISSING, get, last_segment, parent, resolve
from smlint.formats.fhir import read
from smlint.model import Severity
from smlint.profile import TRAITS, key_name
from smlint.records import record


@lru_cache(maxsize=4096)
def field_name(pointer: str) -> str:
    """The human name of the field a pointer ends in (list indices are skipped); kept per pointer, as
    findings and index places name the same fields in every file."""
    current = pointer
    while current:
        segment = last_segment(current)
        if not segment.isdigit():
            return segment
        current = parent(current)
    return "document"


def choose_at(data: Any, at: str | Sequence[str]) -> str:
    """The first pointer of `at` that exists in the data; else the last one (reported at its parent)."""
    if isinstance(at, str):
        return at
    for pointer in at:
        if get(data, pointer) is not MISSING:
            return pointer
    return at[-1]


@record
class RequiredParams:
    """The parameters of the `required` check (a rule's `check:`)."""
    paths: tuple[str, ...] = param(POINTERS, "Fields that must be present and not empty; a finding at the mapping "
                                             "that lacks each.")


@artifact_check("required", RequiredParams, variables=["section"])
def required(data: Any, params: RequiredParams, ctx: Context) -> Iterator[Hit]:
    """Each path in `paths` must be present and not empty. Reported at the mapping that lacks it.

    Variables: `field` (the missing field) and `section` (the mapping it belongs in).
    """
    for path in params.paths:
        if not truthy(get(data, path)):
            yield Hit(path, {"field": field_name(path), "section": field_name(parent(path))})


@record
class AssertParams:
    """The parameters of the `assert` check (a rule's `check:`)."""
    at: str | tuple[str, ...] = param(AT, "Where each finding points: a pointer, or a list of pointers of which the "
                                          "first present one is used.")
    expect: Condition = param(CONDITIONS, "Condition that must hold whenever `when` holds; otherwise one finding "
                                          "at `at`.")


@artifact_check("assert", AssertParams, variants=["unknown"], judges_facts=True)
def assert_(data: Any, params: AssertParams, ctx: Context) -> Iterator[Hit]:
    """When `when` holds, `expect` must hold too; otherwise one finding at `at`.

    `at` is where the finding points: the field that is wrong, or, when it is absent, the mapping
    that should hold it. A list gives candidates; the first present one is used. Variables: `field`.
    `expect` is judged on three values: when the file does not record what it needs, the hit says which
    paths are missing and the rule's `unknown:` handling decides (variant `unknown`).
    """
    hit = _expectation(data, params.expect, choose_at(data, params.at))
    if hit is not None:
        yield hit


@record
class ProfileAgreesParams:
    """The parameters of the `profile_agrees` check (a rule's `check:`)."""
    path: str = param(POINTER, "Where the document records the trait, true or false.")
    trait: str = param(enum(*TRAITS), "The trait of the configuration's profile it must agree with.")


@artifact_check("profile_agrees", ProfileAgreesParams, variables=["recorded", "profile", "key"],
                variants=["unstated"])
def profile_agrees(data: Any, params: ProfileAgreesParams, ctx: Context) -> Iterator[Hit]:
    """The true or false the document records at `path` must agree with the configuration's profile
    (`trait`), which decides which rules run. Nothing recorded, or not a true or false: no finding.

    When the profile does not state the trait and only its default disagrees, the hit's variant is
    `unstated`. Variables: `field`, `recorded` and `profile` (true or false), `key` (the profile's key).
    """
    recorded = get(data, params.path)
    if not isinstance(recorded, bool):
        return
    expected = ctx.profile.has(params.trait)
    if recorded != expected:
        variant = "" if ctx.profile.states(params.trait) else "unstated"
        yield Hit(params.path, {"field": field_name(params.path), "recorded": str(recorded).lower(),
                                "profile": str(expected).lower(), "key": key_name(params.trait)}, variant)


@record
class Assertion:
    """One entry of `assert_all`: an `assert` of its own, with a name for its message."""

    name: str
    at: str | tuple[str, ...]
    expect: Condition
    when: Condition | None = None


def _read_assertions(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> tuple[Assertion, ...]:
    if not isinstance(value, list) or not value:
        raise ParamError(pointer, "'asserts' should be a list of assertions")
    found = []
    for i, entry in enumerate(value):
        at = f"{pointer}/{i}"
        if not isinstance(entry, Mapping):
            raise ParamError(at, "each assertion should be a mapping of fields")
        for key in entry:
            if key not in ("name", "at", "when", "expect"):
                raise ParamError(f"{at}/{key}", f"'{key}' is not a field of an assertion")
        for key in ("name", "at", "expect"):
            if key not in entry:
                raise ParamError(at, f"the assertion is missing the required field '{key}'")
        found.append(Assertion(name=POINTER.read(entry["name"], f"{at}/name", checks),
                               at=AT.read(entry["at"], f"{at}/at", checks),
                               expect=CONDITIONS.read(entry["expect"], f"{at}/expect", checks),
                               when=CONDITIONS.read(entry["when"], f"{at}/when", checks) if "when" in entry else None))
    return tuple(found)


ASSERTIONS = Kind({"type": "array", "minItems": 1, "items": {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1,
                 "description": "What the assertion is about, for the message (the variable `name`)."},
        "at": {"$ref": "#/$defs/at", "description": "Where its finding points: a pointer, or a list of pointers of "
                                                    "which the first present one is used."},
        "when": {"$ref": "#/$defs/conditions",
                 "description": "Condition on the document: the entry is judged only when it holds."},
        "expect": {"$ref": "#/$defs/conditions", "description": "Condition that must hold whenever the entry's "
                                                                "`when` holds; otherwise one finding at its `at`."},
    },
    "required": ["name", "at", "expect"],
    "additionalProperties": False}}, _read_assertions)


@record
class AssertAllParams:
    """The parameters of the `assert_all` check (a rule's `check:`)."""
    asserts: tuple[Assertion, ...] = param(ASSERTIONS, "Assertions judged one by one, each with its own finding.")


@artifact_check("assert_all", AssertAllParams, variables=["name"], variants=["unknown"], judges_facts=True)
def assert_all(data: Any, params: AssertAllParams, ctx: Context) -> Iterator[Hit]:
    """Several assertions under one rule: each entry of `asserts` is an `assert` of its own (`when`, `at`,
    `expect`) with a `name` saying what it is about; one finding per entry whose `expect` fails.

    One rule can so hold a family of like settings (every setting an account should lock) and its findings say
    which one failed. Each `expect` is judged on three values as in `assert`; the rule's `when` applies to all.
    Variables: `field`, `name` (the entry's, from the rule, never the file's).
    """
    for entry in params.asserts:
        if entry.when is not None and not entry.when(data):
            continue
        hit = _expectation(data, entry.expect, choose_at(data, entry.at))
        if hit is not None:
            yield Hit(hit.pointer, {**hit.variables, "name": entry.name}, hit.variant, missing=hit.missing,
                      absent_fails=hit.absent_fails)


def _expectation(data: Any, expect: Condition, at: str) -> Hit | None:
    """The hit for an `expect` that is recorded false (or not recorded), else None."""
    judged = expect.judge(data)
    if judged.verdict is Verdict.TRUE:
        return None
    if judged.verdict is Verdict.FALSE:
        return Hit(at, {"field": field_name(at)})
    return Hit(at, {"field": field_name(at)}, "unknown", missing=judged.missing, absent_fails=not expect(data))


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


def _due(start: date, data: Any, params: DeadlineParams) -> date:
    months = params.add_months
    interval_path = params.interval_path
    if interval_path:
        interval = get(data, interval_path)
        if isinstance(interval, int) and not isinstance(interval, bool) and interval > 0:
            months = min(interval, months) if months else interval
    due = add_months(start, months)
    try:
        return due + timedelta(days=params.add_days)
    except OverflowError:
        return date.max


@record
class DeadlineParams:
    """The parameters of the `deadline` check (a rule's `check:`)."""
    path: str = param(POINTER, "The date field (YYYY-MM-DD) the deadline counts from; '*' reads every match.")
    add_days: int = param(integer(minimum=0), "Days added to that date to give the due date.", 0)
    add_months: int = param(integer(minimum=0), "Months added to that date to give the due date (e.g. 12 for a "
                                                "yearly review).", 0)
    interval_path: str | None = param(POINTER, "A field of the document holding a number of months; when it is a "
                                               "positive whole number it sets the interval (the shorter of it and "
                                               "add_months).", None)
    warn_days: int = param(integer(minimum=0), "Days before the due date from which a `due_soon` warning is "
                                               "reported.", 0)


@artifact_check("deadline", DeadlineParams, variables=["due", "days_overdue", "days_left"], variants=["due_soon"])
def deadline(data: Any, params: DeadlineParams, ctx: Context) -> Iterator[Hit]:
    """The date at `path`, plus `add_months` and `add_days`, is a deadline. A shorter interval in the
    document itself (the number of months at `interval_path`) brings it forward, never back.
    Past the deadline: a finding at the rule's severity. Within `warn_days` before it: a `due_soon`
    finding at warning severity, so that a repository does not turn red overnight.

    Missing or malformed dates are left to the schema and to `required` rules.
    Variables: `field`, `due` (YYYY-MM-DD), `days_overdue`, `days_left`.
    """
    warn_days = params.warn_days
    look_ahead = max(warn_days, ctx.horizon_days)  # the report's calendar may look further than the rule warns
    for pointer, value in resolve(data, params.path):
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


@record
class ForbiddenWordsParams:
    """The parameters of the `forbidden_words` check (a rule's `check:`)."""
    path: str = param(POINTER, "The text that must not contain the words; '*' reads every match.")
    words: tuple[str, ...] = param(texts(min_items=1), "Words or phrases the text must not contain (case ignored); "
                                                       "the message may name the one found as {word}.")
    match: str = param(enum("substring", "word"), "substring (default): a word also matches inside a longer one "
                                                  "(THERAPY in THERAPEUTICS); word: only standing alone.",
                       "substring")
    whole_words: tuple[str, ...] = param(texts(), "Abbreviations and short stems that count only as a word of "
                                                  "their own (THER, COUNS, MH, BH), whatever `match` says, so that "
                                                  "THERESA or MHK are not read as THER or MH.", ())


@artifact_check("forbidden_words", ForbiddenWordsParams, variables=["word"])
def forbidden_words(data: Any, params: ForbiddenWordsParams, ctx: Context) -> Iterator[Hit]:
    """The text at `path` must not contain any of `words` (case-insensitive).

    With `match: word` a word must stand alone; the default, `substring`, also catches THERAPY in THERAPEUTICS.
    `whole_words` always must stand alone (a word is letters and digits: `*`, spaces and punctuation end
    it): abbreviations such as THER or MH, which would otherwise match THERESA or MHK.

    Variables: `field`, `word` (the listed word that matched, from the rule, never the file's text).
    """
    whole_word = params.match == "word"
    for pointer, value in resolve(data, params.path):
        if not isinstance(value, str):
            continue
        word = _first_word(value, params.words, whole_word)
        if word is None:
            word = _first_word(value, params.whole_words, True)
        if word is not None:
            yield Hit(pointer, {"field": field_name(pointer), "word": word})


def _first_word(text: str, words: Sequence[str], whole_word: bool) -> str | None:
    folded = text.casefold()
    for word in words:
        needle = word.casefold()
        if whole_word:
            if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
                return word
        elif needle in folded:
            return word
    return None


@record
class PatternParams:
    """The parameters of the `pattern` check (a rule's `check:`)."""
    path: str = param(POINTER, "The text the regular expression is tried on; '*' reads every match.")
    regex: str = param(REGEX, "Regular expression (RE2 syntax, case ignored).")
    must_match: bool = param(BOOLEAN, "true (default): a text that does not match is a finding; false: a text that "
                                      "matches is.", True)


@artifact_check("pattern", PatternParams)
def pattern(data: Any, params: PatternParams, ctx: Context) -> Iterator[Hit]:
    """Each text at `path` must match `regex` (or, with `must_match: false`, must not). Matching is
    case-insensitive.
    """
    regex = compile_regex(params.regex)
    must_match = params.must_match
    for pointer, value in resolve(data, params.path):
        if isinstance(value, str) and (regex.search(value) is not None) != must_match:
            yield Hit(pointer, {"field": field_name(pointer)})


@record
class TextMatchesParams:
    """The parameters of the `text_matches` check (a rule's `check:`)."""
    regex: str = param(REGEX, "Regular expression (RE2 syntax, case ignored); each text value it matches is a "
                              "finding.")
    path: str = param(POINTER, "Where to look (default: every text value of the document).", "")


@artifact_check("text_matches", TextMatchesParams)
def text_matches(data: Any, params: TextMatchesParams, ctx: Context) -> Iterator[Hit]:
    """Every text value anywhere in the document (or under `path`, default the whole document) that
    matches `regex` (case-insensitive) gives a finding at that value.

    Use it for markers that may appear in any field, such as placeholders.
    """
    regex = compile_regex(params.regex)
    root = params.path
    # the whole document shares the client-data rules' single walk of its text values
    items = text_items(get(data, root), root) if root else values_of(data).items
    for item in items:
        if regex.search(item.text) is not None:
            yield Hit(item.pointer, {"field": field_name(item.pointer)})


@record
class EachParams:
    """The parameters of the `each` check (a rule's `check:`)."""
    path: str | tuple[str, ...] = param(POINTER_OR_POINTERS, "The values to check: a pointer or a list of pointers "
                                                             "('*' matches each item or key).")
    expect: Condition = param(CONDITIONS, "Condition, relative to each value, that every selected value must meet; "
                                          "one finding at each that does not.")
    where: Condition | None = param(CONDITIONS, "Condition, relative to each value, selecting which values are "
                                                "checked.", None)
    at: str = param(POINTER, "Where each finding points, relative to the value (default: the value itself), so "
                             "that a rule selecting list items by one field reports the field it judges.", "")


@artifact_check("each", EachParams, variants=["unknown"], judges_facts=True)
def each(data: Any, params: EachParams, ctx: Context) -> Iterator[Hit]:
    """Every value at `path` (a pointer or a list of them; `*` matches each item or key) that satisfies
    `where` must satisfy `expect`; one finding at each value that fails.

    Paths in `where` and `expect` are relative to that value (`""` is the value itself). `expect` is judged
    on three values, as in `assert` (missing paths are reported relative to the document).
    """
    paths = (params.path,) if isinstance(params.path, str) else params.path
    where = params.where
    for path in paths:
        for pointer, value in resolve(data, path):
            if where is None or where(value):
                hit = _expectation(value, params.expect, pointer)
                if hit is not None:
                    yield Hit(pointer + params.at, hit.variables, hit.variant,
                              missing=tuple(pointer + m for m in hit.missing), absent_fails=hit.absent_fails)


@artifact_check("fhir_mapped", NoParams)
def fhir_mapped(data: Any, params: NoParams, ctx: Context) -> Iterator[Hit]:
    """A FHIR Questionnaire must have at least one item that stands for an intake-form clause; otherwise
    one finding at its `item` list (or `resourceType` without one).

    An item stands for a clause by an `urn:smlint:concept` code, the project's `fhir.link_ids` or the text
    match (docs/formats.md). A form where none does is not judged clause by clause (that would report every
    clause missing); it gets this one finding instead.
    """
    if read(data, ctx.fhir).mapped:
        return
    pointer = "/item" if isinstance(data, Mapping) and "item" in data else "/resourceType"
    yield Hit(pointer, {"field": field_name(pointer)})
