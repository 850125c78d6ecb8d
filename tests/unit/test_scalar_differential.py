"""Differential: the lean composer's scalar resolution (plain text, numbers, booleans, null) against
ruamel.yaml's own safe loader (YAML 1.2), on plain scalars built from the pieces YAML resolves.
Dates are left out on purpose: smlint keeps them as text (docs/security.md)."""

from __future__ import annotations

import io
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from smlint.loader import load_text

_pieces = st.sampled_from(["0", "1", "7", "12", "-", "+", ".", "e", "E", "x", "o", "b", "_", "inf", "nan", "Inf",
                           "NaN", "true", "True", "TRUE", "false", "null", "Null", "~", "yes", "on", "0x", "0o",
                           "a", "f", "9"])
_plain = st.lists(_pieces, min_size=1, max_size=5).map("".join)


def _ruamel(text: str) -> object:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


@settings(max_examples=300, deadline=None)
@given(value=_plain)
def test_plain_scalars_resolve_as_ruamel_resolves_them(value: str) -> None:
    text = f"v: {value}\n"
    try:
        expected = _ruamel(text)["v"]
    except Exception:  # not a plain scalar in YAML (a leading '-', say): nothing to compare
        return
    result = load_text(text, "v.yaml")
    if result.problems:
        return
    got = result.documents[0].data["v"]
    if isinstance(expected, float) and isinstance(got, float) and math.isnan(expected):
        assert math.isnan(got)
        return
    assert (type(got), got) == (type(expected), expected), value
