"""JSON files are read only as JSON: the standard library's decoder gives the data, the JSON reader the
positions (the same as libyaml's marks for the same text, checked against the YAML route as an oracle)
and, for anything that is not JSON within the limits, a problem naming the line and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smlint import yamljson
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
REFUSED = {  # text, then (rule, line, column, message) of the one problem, with the SMALL limits
    "syntax error": ('{"a": 1,, "b": 2}', ("SM000", 1, 9, "JSON syntax error: Expecting property name enclosed in "
                                                         "double quotes")),
    "trailing comma": ('{"a": [1, 2,]}', ("SM000", 1, 13, "JSON syntax error: Expecting value")),
    "text after": ('{"a": 1}\n{"b": 2}', ("SM000", 2, 1, "JSON syntax error: Extra data")),
    "single quotes": ("{'a': 1}", ("SM000", 1, 2, "JSON syntax error: Expecting property name enclosed in "
                                                  "double quotes")),
    "control character": ('{"a": "tab\there"}', ("SM000", 1, 11, "JSON syntax error: Invalid control character at")),
    "bad escape in a key": ('{"\\x": 1}', ("SM000", 1, 3, "JSON syntax error: Invalid \\escape")),
    "empty": ("", ("SM000", 1, 1, "JSON syntax error: Expecting value")),
    "NaN": ('{"a": 1,\n "b": NaN}', ("SM000", 2, 7, "JSON syntax error: NaN and Infinity are not JSON values; write a "
                                                    "number, or text in quotes")),
    "-Infinity": ('[-Infinity]', ("SM000", 1, 2, "JSON syntax error: NaN and Infinity are not JSON values; write a "
                                                 "number, or text in quotes")),
    "deep": ('{"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}',
             ("SM002", 1, 25, "nesting is deeper than the limit of 4 levels; not parsed")),
    "an empty container is a level": ('{"a": {"b": {"c": {"d": {}}}}}',
                                      ("SM002", 1, 25, "nesting is deeper than the limit of 4 levels; not parsed")),
    "many values": (json.dumps({"k": list(range(60))}), ("SM002", 1, 146, "document has more than 40 values; not "
                                                                          "checked")),
    "long key": ('{"a": 1,\n "abcdefghijklmnopqrstuvwxyz": 1}',
                 ("SM002", 2, 2, "a key of 26 characters is over the limit of 12; not checked (raise "
                                 "limits.max_value_chars in the configuration if it is genuine)")),
    "long number": ('{"a": 12345678901234}', ("SM002", 1, 7, "a number of 14 characters is over the limit of 12; "
                                                             "not checked (raise limits.max_value_chars in the "
                                                             "configuration if it is genuine)")),
    "half a surrogate pair": ('{"a": "ok",\n "b": ["x", "\\ud800Zoom"]}',
                              ("SM000", 2, 13, "a \\u escape of half a surrogate pair (\\ud800-\\udfff) without its "
                                               "other half: no text can hold it; write the character itself, or "
                                               "both halves of the pair")),
    "half a surrogate pair in a key": ('{"a": 1, "\\udc00": 1}',
                                       ("SM000", 1, 10, "a \\u escape of half a surrogate pair (\\ud800-\\udfff) "
                                                        "without its other half: no text can hold it; write the "
                                                        "character itself, or both halves of the pair")),
}


def _shape(result: LoadResult) -> Any:
    return ([(d.kind, d.data, dict(d.positions.table()), d.index) for d in result.documents], result.problems,
            result.text)


def _yaml_route(text: str, limits: Limits) -> LoadResult:
    """The YAML composer on a JSON text: an oracle for positions in these tests, never used for .json files."""
    return yamljson._load_yaml(text, "f.json", limits, default_kind=None)


@pytest.fixture
def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any use of the YAML route (the composer, the event walk) fails the test."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a JSON file went the YAML route")

    for name in ("_load_yaml", "_compose_all", "parse_events", "_measure"):
        monkeypatch.setattr(yamljson, name, refuse)


@pytest.mark.parametrize("name", sorted(READ))
def test_the_reader_matches_the_yaml_route(name: str) -> None:
    text = READ[name]
    assert _shape(load_text(text, "f.json", is_json=True)) == _shape(_yaml_route(text, DEFAULT_LIMITS))


@pytest.mark.parametrize("name", sorted(SMALL_LIMITS))
def test_the_reader_cuts_long_text_as_the_yaml_route_does(name: str) -> None:
    text = SMALL_LIMITS[name]
    assert _shape(load_text(text, "f.json", SMALL, is_json=True)) == _shape(_yaml_route(text, SMALL))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_is_not_json_within_the_limits_is_one_located_problem(name: str, no_yaml: None) -> None:
    text, expected = REFUSED[name]
    result = load_text(text, "f.json", SMALL, is_json=True)
    assert result.documents == ()
    assert [(p.rule, p.span.line, p.span.column, p.message) for p in result.problems] == [expected]


VALID_JSON_THE_YAML_ROUTE_MISREAD = {  # text -> the data json.loads gives
    "tabs between tokens": '{\t"a":\t1,\t"b":\t[\t2\t]\t}',
    "a surrogate-pair escape": '{"a": "\\ud83d\\ude00"}',
    "raw U+FFFE": '{"a": "x\ufffey"}',
    "raw U+0085": '{"a": "x\x85y", "b": "\u2028"}',
    "escaped backslash before u": '{"a": "C:\\\\ud800"}',
    "long key": '{"' + "k" * 1100 + '": 1}',
    "break before a colon": '{"a"\n: 1}',
}


@pytest.mark.parametrize("name", sorted(VALID_JSON_THE_YAML_ROUTE_MISREAD))
def test_valid_json_loads_with_exactly_its_data(name: str, no_yaml: None) -> None:
    text = VALID_JSON_THE_YAML_ROUTE_MISREAD[name]
    result = load_text(text, "f.json", is_json=True)
    assert result.problems == ()
    assert result.documents[0].data == json.loads(text)
    assert dict(result.documents[0].positions.table())  # positions are read too


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
    assert doc.positions._marks is None  # type: ignore[attr-defined]  # found pointer by pointer (PointerMarks)
    assert doc.positions["/settings/retention_days"].value.line == 2
    assert dict(doc.positions.table())  # iterating asks for the whole table
    assert doc.positions._marks is not None  # type: ignore[attr-defined]


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


def test_a_big_file_counts_keys_towards_the_value_limit(no_yaml: None) -> None:
    text = "{" + ",".join(f'"k{i}": {i}' for i in range(130_000)) + "}"  # 130,000 keys and values: 260,000
    result = load_text(text, "big.json", is_json=True)
    assert result.documents == ()
    assert [(p.rule, p.message) for p in result.problems] == [
        ("SM002", "document has more than 250,000 values; not checked")]
    span = result.problems[0].span
    assert (span.line, span.column) == (1, 2_027_775)  # where the YAML event walk says too


def test_half_a_surrogate_pair_is_reported_in_every_format(tmp_path: Path) -> None:
    import subprocess
    import sys

    from smlint.reporters import FORMATS

    (tmp_path / "v.json").write_text('{"kind": "vendor", "name": "\\ud800Zoom", "\\udc00": 1}', encoding="utf-8")
    for output_format in FORMATS:
        done = subprocess.run([sys.executable, "-m", "smlint", "check", "--format", output_format, "v.json"],
                              cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", check=False)
        assert (output_format, done.returncode, done.stderr) == (output_format, 1, "")
