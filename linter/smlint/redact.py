"""The redaction boundary: `scrub` is the one function every string from a user's files or settings
passes before smlint shows it (values, keys, comments, suppression reasons, waiver reasons and owners,
titles, organisation names, globs, custom-rule message variables, JSON Pointers, source lines).

What `scrub` masks (docs/security.md, "Never echo client data"):
- everything the client-data detectors of the SM5xx rules find (``identifiers.py``: SSNs, dates
  of birth near a name, record numbers, phone numbers, e-mails and street addresses near a person, names
  after "client", "patient", "guardian" or a courtesy title), letters and digits alike;
- when the text mentions a person ("client", "mother", ...) or a detector found something in it, every
  capitalised word pair and courtesy-title name as well;
- in any case every e-mail address, and every number-like token of more than four digits down to its
  last four digits (``078-05-1120`` -> ``***-**-1120``).
Masking keeps separators, so the shape still shows. A key (``what="key"``) that is not field-like
(``texting_consent`` is, ``Jane Doe`` is not) is masked whole; a pointer (``what="pointer"``) is
scrubbed key by key, list indices kept. File names are not passed through `scrub`: they are shown as
they are, so that a finding can be found (see docs/security.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Literal

from smlint.identifiers import all_spans, date_spans, mentions_person, name_spans

_NUMBER = re.compile(r"\+?\(?\d[\d().\-/ ]{2,30}\d")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
KEEP_DIGITS = 4

What = Literal["text", "key", "pointer"]


def scrub(text: str, what: What = "text", *, names: bool = False, today: date | None = None) -> str:
    """`text` from a user's files or settings, safe to show: see the module's docstring. `names` masks
    capitalised word pairs even when nothing else in the text points at a person; `today` is the day
    dates of birth are judged on (default: today)."""
    if what == "pointer":
        return "/".join(part if part.isdigit() and len(part) <= 6 else _scrub_key(part) for part in text.split("/"))
    if what == "key":
        return _scrub_key(text)
    return _scrub_text(text, names, today or date.today())


def holds_client_data(text: str, today: date | None = None) -> bool:
    """Whether a client-data detector finds anything in `text` (a suppression reason, a waiver owner)."""
    return bool(all_spans(text, today or date.today()))


def _scrub_text(text: str, names: bool, today: date) -> str:
    if not text:
        return text
    spans = all_spans(text, today)
    if names or spans or mentions_person(text):
        spans += name_spans(text) + date_spans(text)
    return redact(mask_spans(text, spans))


@lru_cache(maxsize=4096)  # the same keys recur in every file of a kind
def _scrub_key(key: str) -> str:
    """A key or one segment of a pointer (escaped as `~0`/`~1`): field-like names keep their letters."""
    plain = key.replace("~1", "/").replace("~0", "~")
    shown = redact(plain) if FIELD_LIKE.fullmatch(plain) else mask(plain)
    return shown.replace("~", "~0").replace("/", "~1") if shown != plain else key


def mask(text: str) -> str:
    """Hide every letter and every digit but the last four; keep separators so the shape shows."""
    digits = sum(ch.isdigit() for ch in text)
    keep_from = digits - KEEP_DIGITS if digits > KEEP_DIGITS else digits
    out: list[str] = []
    seen = 0
    for ch in text:
        if ch.isdigit():
            out.append(ch if seen >= keep_from else "*")
            seen += 1
        elif ch.isalpha():
            out.append("*")
        else:
            out.append(ch)
    return "".join(out)


def mask_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each (start, end) span masked."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = mask(text[start:end])
    return "".join(chars)


def _mask_number(match: re.Match[str]) -> str:
    token = match.group(0)
    if sum(ch.isdigit() for ch in token) <= KEEP_DIGITS:  # years, small counts, already-masked tails
        return token
    return mask(token)


def redact(text: str) -> str:
    """Mask e-mail addresses and long numbers (SSNs, phone and record numbers, dates) in `text`: the part
    of `scrub` that needs no detector. Call `scrub` for anything from a user's files."""
    text = _EMAIL.sub(lambda m: mask(m.group(0)), text)
    return _NUMBER.sub(_mask_number, text)


@lru_cache(maxsize=4096)  # the same pointers recur in every file of a kind: index places, findings
def redact_pointer(pointer: str) -> str:
    """A JSON Pointer, scrubbed key by key (`scrub(pointer, "pointer")`)."""
    return scrub(pointer, "pointer")


FIELD_LIKE = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$-]{0,63}")


def key_name(key: str, hidden: str = "a key (its text is not shown)") -> str:
    """A key as a message may quote it: field-like keys ('texting_consent', 'camelCase') are shown,
    scrubbed; anything else (a mis-indented note such as 'Jane Doe' turned into a key) is replaced by
    `hidden`."""
    return f"'{_scrub_key(key)}'" if FIELD_LIKE.fullmatch(key) else hidden
