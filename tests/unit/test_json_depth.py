"""The JSON reader measures depth from brackets outside strings, and agrees with the YAML event walk (an oracle)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from smlint.loader import Limits, Problem, load_text
from smlint.yamljson import _measure

LIMITS = Limits(max_depth=4)

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab:,\n', max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(alphabet='[{"\\x', max_size=3),
                                                                      children, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([None, 1]))
def test_bracket_depth_agrees_with_the_event_walk(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert _depth_problem(text) == _measure(text, LIMITS)


def _depth_problem(text: str) -> Problem | None:
    result = load_text(text, "f.json", LIMITS, is_json=True)
    return next((p for p in result.problems if p.rule == "SM002"), None)


def test_a_too_deep_json_file_is_reported_where_the_cap_is_crossed() -> None:
    text = '{"a": {"b": "[[[[[[", "c": [[[{"d": 1}]]]}}'
    result = load_text(text, "deep.json", LIMITS, is_json=True)
    assert result.documents == ()
    assert [(p.span.line, p.span.column, p.message) for p in result.problems] == [
        (1, 30, "nesting is deeper than the limit of 4 levels; not parsed")]  # the third [ of "c"
    assert load_text('{"a": {"b": "[[[[[[[[", "c": [1]}}', "ok.json", LIMITS, is_json=True).problems == ()
