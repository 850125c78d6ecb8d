"""Masks what could identify a person in text that smlint itself shows: parser messages that quote a
key, and the source lines that ``--show-source`` prints.

`redact` is the generic pass used everywhere: in every number-like token of more than four digits all
digits but the last four become ``*`` (``078-05-1120`` -> ``***-**-1120``), and e-mail addresses are
masked except for ``@`` and dots. `mask` hides one matched span the same way, letters included; the
client-data check uses it for exactly what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBER = re.compile(r"\+?\(?\d[\d().\-/ ]{2,30}\d")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
KEEP_DIGITS = 4


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
    """Mask e-mail addresses and long numbers (SSNs, phone and record numbers, dates) in `text`."""
    text = _EMAIL.sub(lambda m: mask(m.group(0)), text)
    return _NUMBER.sub(_mask_number, text)


def redact_pointer(pointer: str) -> str:
    """A JSON Pointer with each key redacted; list indices (short runs of digits) stay as they are."""
    return "/".join(part if part.isdigit() and len(part) <= 6 else redact(part) for part in pointer.split("/"))


FIELD_LIKE = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$-]{0,63}")


def key_name(key: str, hidden: str = "a key (its text is not shown)") -> str:
    """A key as a message may quote it: field-like keys ('texting_consent', 'camelCase') are shown;
    anything else (a mis-indented note such as 'Jane Doe' turned into a key) is replaced by `hidden`."""
    return f"'{key}'" if FIELD_LIKE.fullmatch(key) else hidden
