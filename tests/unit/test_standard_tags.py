"""Read what is written: a standard tag whose value does not fit it is SM000 at its line (the value stays
text, never a default such as False), and keys are compared as YAML 1.2 values for duplicates."""

from __future__ import annotations

import pytest

from smlint.loader import load_text

MEANING = {"!!bool": "true or false", "!!int": "a whole number", "!!float": "a number",
           "!!timestamp": "a date or time"}
TAGGED = {"!!bool .NaN": "!!bool", "!!bool yes": "!!bool", "!!bool 0b_0": "!!bool", "!!bool maybe": "!!bool",
          "!!int 1e3": "!!int",
          "!!int twelve": "!!int", "!!float x": "!!float", "!!timestamp soon": "!!timestamp",
          "!!timestamp 2026-13": "!!timestamp"}


@pytest.mark.parametrize(("value", "tag"), sorted(TAGGED.items()))
def test_a_value_that_does_not_fit_its_tag_is_sm000_at_its_line_and_stays_text(value: str, tag: str) -> None:
    result = load_text(f"kind: vendor\nname: Zoom\nflag: {value}\n", "v.yaml")
    assert [(p.rule, p.span.line, p.span.column, p.pointer) for p in result.problems] == [("SM000", 3, 7, "/flag")]
    assert result.problems[0].message == (f"this value is tagged {tag} but is not {MEANING[tag]}, so it is read "
                                          "as text; fix the value or remove the tag")
    assert result.documents[0].data["flag"] == value.split(" ", 1)[1]


@pytest.mark.parametrize(("value", "expected"), [
    ("!!bool true", True), ("!!bool FALSE", False), ("!!int 0x1F", 31), ("!!int -12", -12), ("!!float 1e3", 1000.0),
    ("!!timestamp 2026-03-01", "2026-03-01"), ("!!timestamp 2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z"),
    ("1:20", "1:20"),  # an untagged value is never judged against a tag
])
def test_values_that_fit_load_without_a_problem(value: str, expected: object) -> None:
    result = load_text(f"flag: {value}\n", "v.yaml")
    assert result.problems == ()
    assert result.documents[0].data["flag"] == expected


@pytest.mark.parametrize(("first", "second"), [("true", "TRUE"), ("false", "False"), ("1", "0x1"), ("null", "~"),
                                               ("1.0", "1.00")])
def test_keys_equal_as_yaml_values_are_duplicates(first: str, second: str) -> None:
    result = load_text(f"{first}: a\n{second}: b\n", "v.yaml")
    assert [(p.rule, p.span.line, p.span.column) for p in result.problems] == [("SM000", 2, 1)]
    assert result.problems[0].message.startswith("duplicate key")
    assert list(result.documents[0].data.values()) == ["a"]


def test_text_keys_that_only_look_alike_are_not_duplicates() -> None:
    result = load_text('"true": a\ntrue_value: b\nTrue_: c\n', "v.yaml")
    assert result.problems == ()
