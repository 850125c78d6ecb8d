"""A plain JSON file's positions are found pointer by pointer when asked (`jsonreader.PointerMarks`): each
answer is exactly the line and column the whole-text scan (`read_marks`) gives, whatever is asked first,
and a pointer the text has no value at is a miss, as in the scan's table."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smlint.jsonreader import PointerMarks, read_marks
from smlint.loader import DEFAULT_LIMITS, load_text

ROOT = Path(__file__).resolve().parents[2]
LIMITS = (DEFAULT_LIMITS.max_depth, DEFAULT_LIMITS.max_nodes, DEFAULT_LIMITS.max_value_chars)

TEXTS = {
    "escapes in keys and values": r'{"say \"hi\"": "a\/b", "caf\u00e9": "caf\u00e9", "nl": "a\nb", "k\\": 1}',
    "unicode columns": '{"emoji": "😀😀", "after": "x",\n "k": ["é", {"ü": 1, "z": "😀"}], "last": true}',
    "unicode line breaks": '{"line\\u2028sep": "a\u2028b", "next": [1,\n2], "nel": "x\x85y", "end": [3]}',
    "nested arrays": '[[1, [2, [3, []]]], [], [{"a": [[{"b": null}]]}], "x"]',
    "empty containers": '{"a": {}, "b": [], "c": [{}, []], "d": ""}',
    "pointer escapes": '{"a/b": 1, "c~d": {"e/f~g": 2, "~1": [3]}, "": {"": 4}, "~0": 5}',
    "tabs, CR and blank lines": '{\t"a" :\t1 ,\r\n "b":\r[ 2 , { "c" : [ ] } ]\r\n\n}\n\n',
    "a lone CR between tokens": '{"a": 1,\r"b": {"c":\r2}}',
    "numbers": '{"n": [0, -0, 7, -12, 1.5, -0.25, 1e3, 1E+3, 2.5e-3, 1e400, 123456789012345678901234567890]}',
    "scalar document": '  "just text"  ',
    "one number": "\n42\n",
    "long lines": json.dumps({f"field_{i}": {"v": list(range(i % 5)), "t": "é" * i} for i in range(40)}, indent=2),
}
MISSES = ["/nope", "/a/zz", "/0/x/y", "a", "/~2", "/-1", "/01", "/a~2", "/n/99", "/n/00", "/emoji/0", "//x"]


def _same_as_the_scan(text: str, seed: int) -> None:
    table = read_marks(text, *LIMITS)
    marks = PointerMarks(text, *LIMITS)
    pointers = [*table, *MISSES]
    random.Random(seed).shuffle(pointers)
    assert [marks.get(pointer) for pointer in pointers] == [table.get(pointer) for pointer in pointers]


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_pointer_has_the_marks_the_whole_scan_gives(name: str, seed: int) -> None:
    _same_as_the_scan(TEXTS[name], seed)


def test_a_few_known_places() -> None:
    marks = PointerMarks(TEXTS["unicode columns"], *LIMITS)
    assert marks.get("/after") == (1, 26, 1, 29, 1, 17, 1, 24)  # two emoji are two columns, as libyaml counts
    assert marks.get("/k/1/z") == (2, 27, 2, 30, 2, 22, 2, 25)
    assert marks.get("/k/0") == (2, 8, 2, 11)  # a list item has no key
    marks = PointerMarks(TEXTS["unicode line breaks"], *LIMITS)
    assert marks.get("/next/1")[:2] == (3, 1)  # type: ignore[index]  # the raw U+2028 in a string starts a line
    assert marks.get("/end/0")[:2] == (4, 13)  # type: ignore[index]  # and so does the raw U+0085
    marks = PointerMarks(TEXTS["pointer escapes"], *LIMITS)
    assert marks.get("/c~0d/e~1f~0g") == (1, 29, 1, 30, 1, 20, 1, 27)
    assert marks.get("/c~d") is None and marks.get("/a/b") is None  # unescaped segments are other pointers
    assert marks.get("//") == (1, 53, 1, 54, 1, 49, 1, 51)


def test_the_example_exports_and_questionnaires() -> None:
    files = sorted((ROOT / "examples").rglob("*.json"))
    assert len(files) >= 15
    for seed, path in enumerate(files):
        _same_as_the_scan(path.read_text(encoding="utf-8").replace("\r\n", "\n"), seed)


_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(max_size=6)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(alphabet="ab/~é😀\u2028\x85\"\\ ", max_size=4), inner, max_size=4), max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(data=_values, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 0, 2, "\t"]),
       separators=st.sampled_from([(",", ":"), (", ", ": "), (" ,\r", " :\t")]), seed=st.integers(0, 9))
def test_any_json_text_gives_the_same_marks(data: object, ensure_ascii: bool, indent: object,
                                            separators: tuple[str, str], seed: int) -> None:
    text = json.dumps(data, ensure_ascii=ensure_ascii, indent=indent, separators=separators)  # type: ignore[arg-type]
    _same_as_the_scan(text, seed)


def test_the_loader_finds_a_plain_files_positions_pointer_by_pointer() -> None:
    text = TEXTS["long lines"].replace("{", '{"kind": "vendor", ', 1)
    doc = load_text(text, "v.json", is_json=True).documents[0]
    positions = doc.positions
    assert positions._marks is None  # type: ignore[attr-defined]
    span, exists = doc.locate("/field_39/v/3")
    assert exists and (span.line, span.column, span.end_line, span.end_column) == (270, 7, 270, 8)
    span, exists = doc.locate("/field_7/missing")
    assert not exists and (span.line, span.column) == (46, 3)  # the key of the mapping that lacks it
    assert positions._marks is None  # type: ignore[attr-defined]  # no whole scan for a few pointers
    assert "/field_7/t" in positions and "/field_7/x" not in positions
    assert positions["/field_39/t"].value.line == 272
    with pytest.raises(KeyError):
        positions["/field_40"]
    copy = pickle.loads(pickle.dumps(doc))  # the text travels, not what was found
    assert copy.positions._marks is None  # type: ignore[attr-defined]
    assert dict(copy.positions.table()) == read_marks(text, *LIMITS) == {p: positions.table()[p] for p in positions}
    assert len(positions) == len(read_marks(text, *LIMITS))


def test_a_file_with_a_duplicate_key_is_scanned_whole_and_keeps_the_first() -> None:
    text = '{"kind": "vendor", "name": "A", "nested": {"x": [1]},\n "name": "B", "nested": {"y": 2}}'
    result = load_text(text, "v.json", is_json=True)
    positions = result.documents[0].positions
    assert positions._marks is not None  # type: ignore[attr-defined]  # read at once, to report the duplicates
    assert positions["/name"].value.column == 28 and positions["/nested/x/0"].value.column == 50
    assert "/nested/y" not in positions
    assert [(p.span.line, p.span.column, p.pointer) for p in result.problems] == [(2, 2, "/name"), (2, 15, "/nested")]
