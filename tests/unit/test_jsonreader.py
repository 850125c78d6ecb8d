"""The JSON reader gives exactly what the YAML route gives for JSON (data, marks, problems), or declines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smlint import loader
from smlint.loader import DEFAULT_LIMITS, Limits, LoadResult, load_text

SMALL = Limits(max_depth=4, max_nodes=40, max_value_chars=12)

READ = {
    "vendor": '{"kind": "vendor", "name": "Doxy.me",\n  "settings": {"recording": false, "retention_days": 30}}',
    "numbers": '[0, -0, 7, -12, 1.5, -0.25, 1e3, 1E+3, 2.5e-3, 1e400, 123456789012345678901234567890, 10.0]',
    "literals": '{"a": true, "b": false, "c": null, "d": [], "e": {}, "f": ""}',
    "escapes": r'{"quote": "say \"hi\"", "slash": "a\/b", "uni": "caf\u00e9", "nl": "a\nb"}',
    "wide": '{"emoji": "😀😀", "after": "x",\n "k": ["é", {"ü": 1}]}',
    "separators": '{"line\\u2028sep": "a\u2028b", "next": [1,\n2]}',
    "tabs and CR": '{\t"a" :\t1 ,\r\n "b":\r[ 2 ]\r\n}',
    "pointer escapes": '{"a/b": 1, "c~d": {"e/f~g": 2}, "": 3}',
    "duplicates": '{"kind": "vendor", "name": "A", "nested": {"x": 1},\n "name": "B", "nested": {"y": [2, 3]}, "z": 4}',
    "list of artifacts": '[{"kind": "vendor", "name": "A"}, {"kind": "policy"}]',
    "kind not text": '{"kind": ["vendor"], "name": "A"}',
    "scalar document": '"just text"',
    "fhir": '{"resourceType": "Questionnaire", "status": "active", "item": [{"linkId": "1", "text": "Consent?",'
            '\n  "type": "boolean"}]}',
}
SMALL_LIMITS = {
    "long text": '{"short": "ok", "long": "abcdefghijklmnopqrstuvwxyz", "longer": ["0123456789abcdefghij"]}',
}
DECLINED = {
    "syntax error": '{"a": 1,, "b": 2}',
    "trailing comma": '{"a": [1, 2,]}',
    "text after": '{"a": 1} {"b": 2}',
    "single quotes": "{'a': 1}",
    "control character": '{"a": "tab\there"}',
    "deep": '{"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}',
    "many values": json.dumps({"k": list(range(60))}),
    "long key": '{"abcdefghijklmnopqrstuvwxyz": 1, "abcdefghijklXYZ": 2}',  # cut keys may collide: YAML route
}


def _shape(result: LoadResult) -> Any:
    return ([(d.kind, d.data, dict(d.positions.table()), d.index) for d in result.documents], result.problems,
            result.text)


def _yaml_route(text: str, limits: Limits) -> LoadResult:
    return loader._load_yaml(text, "f.json", limits, is_json=True, default_kind=None)


@pytest.mark.parametrize("name", sorted(READ))
def test_the_reader_matches_the_yaml_route(name: str) -> None:
    text = READ[name]
    assert loader._read_json(text, "f.json", DEFAULT_LIMITS, None) is not None  # read, not declined
    assert _shape(load_text(text, "f.json", is_json=True)) == _shape(_yaml_route(text, DEFAULT_LIMITS))


@pytest.mark.parametrize("name", sorted(SMALL_LIMITS))
def test_the_reader_cuts_long_text_as_the_yaml_route_does(name: str) -> None:
    text = SMALL_LIMITS[name]
    ours = load_text(text, "f.json", SMALL, is_json=True)
    assert loader._read_json(text, "f.json", SMALL, None) is not None
    assert _shape(ours) == _shape(_yaml_route(text, SMALL))


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_the_reader_declines_what_it_does_not_expect(name: str) -> None:
    text = DECLINED[name]
    assert loader._read_json(text, "f.json", SMALL, None) is None
    assert load_text(text, "f.json", SMALL, is_json=True).problems  # the YAML route says what is wrong


def test_duplicate_keys_keep_the_first_value_and_its_marks() -> None:
    result = load_text(READ["duplicates"], "v.json", is_json=True)
    doc = result.documents[0]
    assert doc.data["name"] == "A" and doc.data["nested"] == {"x": 1} and doc.data["z"] == 4
    assert "/nested/y" not in doc.positions
    assert [(p.span.line, p.span.column, p.pointer) for p in result.problems] == [(2, 2, "/name"), (2, 15, "/nested")]


def test_columns_count_characters_and_lines_count_unicode_breaks() -> None:
    doc = load_text(READ["wide"], "w.json", is_json=True).documents[0]
    assert doc.positions["/after"].value.column == 26  # two emoji are two columns, as libyaml counts them
    doc = load_text(READ["separators"], "s.json", is_json=True).documents[0]
    assert doc.positions["/next/1"].value.line == 3  # the raw U+2028 inside a string starts a line for libyaml


def test_nan_is_declined_and_read_as_text_by_the_yaml_route() -> None:
    assert loader._read_json('{"a": NaN}', "f.json", DEFAULT_LIMITS, None) is None
    assert load_text('{"a": NaN}', "f.json", is_json=True).documents[0].data == {"a": "NaN"}


def test_a_surrogate_pair_escape_is_read_where_the_yaml_route_refused_it() -> None:
    text = r'{"kind": "vendor", "name": "Smile \ud83d\ude00"}'
    assert _yaml_route(text, DEFAULT_LIMITS).problems[0].message.startswith("YAML syntax error")
    result = load_text(text, "f.json", is_json=True)
    assert result.problems == () and result.documents[0].data["name"] == "Smile \U0001f600"


def test_plain_json_positions_are_read_only_when_asked_and_travel_unread() -> None:
    import pickle

    doc = load_text(READ["vendor"], "v.json", is_json=True).documents[0]
    assert doc.positions._marks is None  # type: ignore[attr-defined]  # nothing asked yet
    copy = pickle.loads(pickle.dumps(doc))
    assert copy.positions._marks is None  # the text travels, not the table
    assert doc.locate("/settings/retention_days") == copy.locate("/settings/retention_days")
    assert doc.positions._marks is not None  # type: ignore[attr-defined]
    assert doc.positions["/settings/retention_days"].value.line == 2


def test_json_with_a_duplicate_key_is_read_with_its_positions_at_once() -> None:
    doc = load_text(READ["duplicates"], "v.json", is_json=True).documents[0]
    assert doc.positions._marks is not None  # type: ignore[attr-defined]


def test_long_files_with_short_lines_are_read_lazily_and_long_lines_at_once() -> None:
    limits = Limits(max_value_chars=40)
    short_lines = "{\n" + ",\n".join(f'  "field_{i}": "value {i}"' for i in range(20)) + "\n}"
    assert len(short_lines) > 40
    lazy = load_text(short_lines, "f.json", limits, is_json=True).documents[0]
    assert lazy.positions._marks is None  # type: ignore[attr-defined]
    assert lazy.positions["/field_19"].value.line == 21
    one_line = json.dumps({"note": "x" * 50})
    result = load_text(one_line, "f.json", limits, is_json=True)
    assert result.documents[0].data == {"note": "x" * 40}
    assert [(p.rule, p.pointer) for p in result.problems] == [("SM002", "/note")]
    assert _shape(result) == _shape(_yaml_route(one_line, limits))


def test_deferred_positions_fall_back_to_the_yaml_route_if_the_reader_ever_declines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    doc = load_text(READ["vendor"], "v.json", is_json=True).documents[0]
    expected = _yaml_route(READ["vendor"], DEFAULT_LIMITS).documents[0].positions

    def decline(*args: Any) -> Any:
        raise loader.Unreadable("surprise")

    monkeypatch.setattr(loader, "read_marks", decline)
    assert dict(doc.positions.items()) == dict(expected.items())


LIMIT_CASES = [  # (text, limits, rule the YAML route reports): each must come out exactly as on that route
    ('{"kind": "vendor", "\\udc00": 1}', DEFAULT_LIMITS, "SM000"),  # half a surrogate pair, in a key
    ('{"kind": "vendor", "name": "\\ud800Zoom"}', DEFAULT_LIMITS, "SM000"),  # ... and in a value
    ("{" + ",".join(f'"{c}": 1' for c in "abcdefghijk") + "}", Limits(max_nodes=20), "SM002"),  # keys count
    ('{"a": {"b": {"c": {}}}}', Limits(max_depth=3), "SM002"),  # an empty container is a level too
    ('{"a": 12345678901}', Limits(max_value_chars=10), "SM002"),  # numbers are cut like text
    ('{"a": true}', Limits(max_value_chars=3), "SM002"),
]


@pytest.mark.parametrize(("text", "limits", "rule"), LIMIT_CASES)
def test_what_breaks_a_limit_or_cannot_be_printed_goes_the_yaml_route(text: str, limits: Limits, rule: str) -> None:
    assert loader._read_json(text, "f.json", limits, None) is None
    result = load_text(text, "f.json", limits, is_json=True)
    assert [p.rule for p in result.problems][:1] == [rule]
    assert _shape(result) == _shape(_yaml_route(text, limits))


def test_a_big_file_counts_keys_towards_the_value_limit() -> None:
    text = "{" + ",".join(f'"k{i}": {i}' for i in range(130_000)) + "}"  # 130,000 keys and values: 260,000
    result = load_text(text, "big.json", is_json=True)
    assert result.documents == ()
    assert [(p.rule, p.message) for p in result.problems] == [
        ("SM002", "document has more than 250,000 values; not checked")]


def test_half_a_surrogate_pair_is_reported_in_every_format(tmp_path: Path) -> None:
    import subprocess
    import sys

    from smlint.reporters import FORMATS

    (tmp_path / "v.json").write_text('{"kind": "vendor", "name": "\\ud800Zoom", "\\udc00": 1}', encoding="utf-8")
    for output_format in FORMATS:
        done = subprocess.run([sys.executable, "-m", "smlint", "check", "--format", output_format, "v.json"],
                              cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", check=False)
        assert (output_format, done.returncode, done.stderr) == (output_format, 1, "")
