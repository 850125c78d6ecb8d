"""Client identifiers committed where they must not be (SM5xx): the `client_identifiers` check.

A policy repository holds the agency's rules, forms and vendor settings; it must never hold a client's
social security number, date of birth, record number, name or contact details. Each rule names one
detector and configures it from the rule file (`fields`, `exclude`, `known_fake`, `not_names`). The
detectors themselves (`ssn`, `date_of_birth`, `medical_record`, `contact`, `client_name`) live in the leaf
module `smlint/identifiers.py`, which the redaction boundary uses too; docs/security.md gives their limits.

Findings say only which field holds the identifier; the value is never part of a message.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from smlint.checks.base import Context, Hit, artifact_check
from smlint.checks.params import POINTER_GLOBS, enum, param, texts
from smlint.document import escape
from smlint.identifiers import DEFAULT_FAKE_SSNS, DETECTORS, DIGIT_OR_AT, TextItem, client_name
from smlint.records import record


@record
class ClientIdentifiersParams:
    """The parameters of the `client_identifiers` check (a rule's `check:`)."""
    detector: str = param(enum(*DETECTORS), "Which kind of client identifier to look for (docs/security.md "
                                            "describes each).")
    fields: tuple[str, ...] | None = param(texts(min_items=1), "Only look in text values under these keys "
                                                               "(free-text and example fields); default every text "
                                                               "value.", None)
    exclude: tuple[str, ...] = param(POINTER_GLOBS, "Pointers (with * wildcards) never searched, such as the "
                                                    "agency's own contact details.", ())
    known_fake: tuple[str, ...] = param(texts(item={"type": "string", "pattern": r"^\d{3}-\d{2}-\d{4}$"}),
                                        "Social security numbers that are well-known fakes and never reported.",
                                        DEFAULT_FAKE_SSNS)
    not_names: tuple[str, ...] = param(texts(), "Capitalised words that are never part of a person's name (titles, "
                                                "places, products).", ())



def text_items(data: Any, pointer: str = "") -> list[TextItem]:
    """Every text value with its key and its mapping's other fields, depth first in document order."""
    found: list[TextItem] = []
    _collect(data, pointer, "", {}, found)
    return found


def _collect(data: Any, pointer: str, key: str, siblings: Mapping[str, Any], found: list[TextItem]) -> None:
    if isinstance(data, str):
        found.append(TextItem(pointer, key, data, siblings))
    elif isinstance(data, dict):
        for name, value in data.items():
            name = str(name)
            segment = name if "/" not in name and "~" not in name else escape(name)
            _collect(value, f"{pointer}/{segment}", name, data, found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _collect(value, f"{pointer}/{index}", key, siblings, found)


@record
class TextValues:
    """A document's text values, walked once for all the client-data rules and `text_matches`: all of
    them, and those with a digit or an '@' (every detector but `client_name` needs one)."""

    items: tuple[TextItem, ...]
    with_digit_or_at: tuple[TextItem, ...]


_walked: list[tuple[Any, TextValues]] = []  # the last document walked, with its text values


def values_of(data: Any) -> TextValues:
    """`text_items` of a document, walked once for all the rules that read every text: the engine runs a
    document's rules one after another, so the last walk is kept (by identity; it keeps the document
    alive)."""
    if _walked and _walked[0][0] is data:
        return _walked[0][1]
    items = tuple(text_items(data))
    values = TextValues(items, tuple(item for item in items if DIGIT_OR_AT.search(item.text) is not None))
    _walked[:] = [(data, values)]
    return values


@cache
def _pointer_globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for a rule's `exclude` globs: each matches a pointer or anything below it."""
    alternatives = [fnmatch.translate(g) for p in patterns for g in (p, p.rstrip("/") + "/*")]
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


@cache
def _field_set(fields: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fields)


def find(data: Any, params: ClientIdentifiersParams, ctx: Context
         ) -> Iterator[tuple[TextItem, list[tuple[int, int]]]]:
    """Each text value in scope (under one of `fields`, not under an `exclude` glob) where the rule's
    detector finds something, with the spans it found."""
    detector = DETECTORS[params.detector]
    values = values_of(data)
    fields = params.fields
    wanted = None if fields is None else _field_set(fields)
    exclude = params.exclude
    excluded = _pointer_globs(exclude) if exclude else None
    for item in values.items if detector is client_name else values.with_digit_or_at:
        if wanted is not None and item.key not in wanted:
            continue
        if excluded is not None and excluded.match(item.pointer) is not None:
            continue
        spans = detector(item, params, ctx.today)
        if spans:
            yield item, spans


@artifact_check("client_identifiers", ClientIdentifiersParams)
def client_identifiers(data: Any, params: ClientIdentifiersParams, ctx: Context) -> Iterator[Hit]:
    """Text that looks like a client identifier, found by the named `detector` (``ssn``,
    ``date_of_birth``, ``medical_record``, ``contact``, ``client_name``; docs/security.md says what each
    looks for and its limits). One finding per text value, naming only its field.

    `fields` limits the search to values under those keys (free-text and example fields); `exclude` lists
    pointer globs that are never searched (the agency's own contact details); `known_fake` lists SSNs that
    are well-known fakes; `not_names` lists capitalised words that are not parts of a person's name.
    """
    for item, _ in find(data, params, ctx):
        yield Hit(item.pointer, {"field": item.key or "document"})
