"""Differential: explicitly tagged scalars (`!!str`, `!!int`, `!!bool`, `!!float`, `!!null`, `!!timestamp`)
against ruamel.yaml's own safe loader. Where ruamel constructs a value, smlint has the same value (a
timestamp stays its text: smlint keeps dates as text); where ruamel refuses the value, smlint reports SM000
at it and keeps the text, never a default.

smlint is deliberately stricter in one way, YAML 1.2's: ruamel's constructors still take YAML 1.1 forms
that YAML 1.2 has no place for (`!!bool yes`/`on`/`y`, two signs such as `!!int +-9`, a sign after a base
prefix such as `!!int 0x-1`, a base prefix written twice such as `!!int 0x0x1`, digits that are not ASCII),
and smlint reports those as values that do not fit
their tag (`_yaml11_only` below)."""

from __future__ import annotations

import io
import math
import re
from datetime import date, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from smlint.loader import load_text

TAGS = ("str", "int", "bool", "float", "null", "timestamp")
_pieces = st.sampled_from(["0", "1", "7", "12", "31", "-", "+", ".", "e", "E", "x", "o", "b", "_", "inf", "nan", "Inf",
                           "NaN", ".inf", ".nan", "true", "True", "TRUE", "false", "no", "null", "~", "yes", "on",
                           "y", "0x", "0o", "0b", "a", "F", "9", ":", "2026", "1999", "-02", "-13", "-30", "-31", "T",
                           "t", " ", "10:00", ":59", ".5", "Z", "+01:00", "١"])
_values = st.lists(_pieces, min_size=1, max_size=6).map("".join).map(str.strip).filter(bool)
_YAML11_BOOL = {"y", "n", "yes", "no", "on", "off"}
# Two signs, a sign after a base prefix, or the base prefix written twice (`0x0x1`: ruamel strips one prefix and
# Python's int() accepts the second).
_TWO_SIGNS = re.compile(r"[-+]{2}|^[-+]?0([xob])(?:[-+]|0\1)", re.IGNORECASE)


def _ruamel(text: str) -> tuple[bool, object]:
    try:
        return True, YAML(typ="safe", pure=True).load(io.StringIO(text))["v"]
    except Exception:
        return False, None


def _yaml11_only(tag: str, value: str) -> bool:
    if tag == "bool":
        return value.lower() in _YAML11_BOOL
    if tag in ("int", "float"):
        return _TWO_SIGNS.search(value.replace("_", "")) is not None or not value.isascii()
    return False


def _same(got: object, expected: object) -> bool:
    if isinstance(got, float) and isinstance(expected, float) and math.isnan(expected):
        return math.isnan(got)
    return type(got) is type(expected) and got == expected


@settings(max_examples=400, deadline=None)
@given(tag=st.sampled_from(TAGS), value=_values)
@example(tag="int", value="+-9")
@example(tag="int", value="--9")
@example(tag="int", value="0x-1")
@example(tag="int", value="0x0x0")
@example(tag="int", value="0b0b1")
@example(tag="int", value="١٢")
@example(tag="bool", value="yes")
@example(tag="timestamp", value="2026-02-30")
@example(tag="timestamp", value="2026-13-01")
@example(tag="timestamp", value="2026-03-01 25:00:00")
def test_tagged_scalars_load_as_ruamel_constructs_them(tag: str, value: str) -> None:
    text = f"v: !!{tag} {value}\n"
    constructed, expected = _ruamel(text)
    result = load_text(text, "v.yaml")
    if not result.documents:  # not YAML at all (a ':' that starts a mapping, say): a syntax error either way
        assert not constructed and [p.rule for p in result.problems] == ["SM000"]
        return
    got = result.documents[0].data["v"]
    misfit = [(p.rule, p.span.line, p.pointer) for p in result.problems] == [("SM000", 1, "/v")]
    if not constructed or _yaml11_only(tag, value):
        assert misfit, (tag, value, got)
        assert got == value  # kept as written
        return
    assert result.problems == (), (tag, value)
    if tag == "timestamp":
        assert isinstance(expected, (date, datetime)) and got == value
    else:
        assert _same(got, expected), (tag, value, got, expected)
