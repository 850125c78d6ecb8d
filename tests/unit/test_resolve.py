"""`document.resolve` parses each pointer once per run (`_resolver`) and gives, for any data, the same
(concrete pointer, value) pairs whether it is asked for the first time or again; `checks.artifact.field_name`
is kept per pointer too."""

from __future__ import annotations

from typing import Any

import pytest

from smlint.checks.artifact import field_name
from smlint.document import MISSING, resolve

DATA: dict[str, Any] = {
    "kind": "vendor",
    "a/b": {"c~d": 1},
    "list": [{"x": 1}, {"x": None}, {"y": 2}, "text"],
    "nested": {"one": {"two": [0, [1, 2]]}},
    "": {"": "empty key"},
    "falsy": {"zero": 0, "none": None, "empty": "", "no": False},
}
CASES: dict[str, list[tuple[str, Any]]] = {
    "": [("", DATA)],
    "/kind": [("/kind", "vendor")],
    "/a~1b/c~0d": [("/a~1b/c~0d", 1)],
    "/list/1/x": [("/list/1/x", None)],
    "/list/9/x": [],
    "/list/x": [],
    "/list/*/x": [("/list/0/x", 1), ("/list/1/x", None)],
    "/list/*": [("/list/0", {"x": 1}), ("/list/1", {"x": None}), ("/list/2", {"y": 2}), ("/list/3", "text")],
    "/nested/one/two/1/0": [("/nested/one/two/1/0", 1)],
    "/nested/*/two/*/1": [("/nested/one/two/1/1", 2)],
    "/*/": [("//", "empty key")],
    "//": [("//", "empty key")],
    "/falsy/*": [("/falsy/zero", 0), ("/falsy/none", None), ("/falsy/empty", ""), ("/falsy/no", False)],
    "/falsy/none": [("/falsy/none", None)],
    "/kind/0": [],
    "/missing/*": [],
}


@pytest.mark.parametrize("pointer", sorted(CASES))
def test_every_match_with_its_concrete_pointer_first_time_and_again(pointer: str) -> None:
    assert list(resolve(DATA, pointer)) == CASES[pointer]
    assert list(resolve(DATA, pointer)) == CASES[pointer]  # the parsed pointer, kept, on the same data
    assert list(resolve({"other": 1}, pointer)) == ([("", {"other": 1})] if pointer == "" else [])


def test_a_value_that_is_not_there_is_no_match_and_a_null_is_one() -> None:
    assert list(resolve({"a": None}, "/a")) == [("/a", None)]
    assert list(resolve({"a": {}}, "/a/b")) == []
    assert MISSING not in [value for _, value in resolve(DATA, "/list/*/x")]


def test_a_pointer_without_a_leading_slash_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        list(resolve(DATA, "kind"))


def test_field_names_skip_list_indexes_and_are_kept_per_pointer() -> None:
    assert field_name("/list/1/x") == "x"
    assert field_name("/list/3") == "list"
    assert field_name("/a~1b/c~0d") == "c~d"
    assert field_name("/0/1") == "document"
    assert field_name("") == "document"
    assert field_name.cache_info().currsize > 0  # type: ignore[attr-defined]
