from __future__ import annotations

import math

from smlint.document import get
from smlint.loader import load_bytes, load_text
from smlint.model import Span


def test_positions_are_one_based_for_keys_and_values() -> None:
    result = load_text("kind: vendor\nsettings:\n  live_streaming: true\n", "v.yaml")
    doc = result.documents[0]
    assert doc.kind == "vendor"
    pos = doc.positions["/settings/live_streaming"]
    assert pos.key == Span(3, 3, 3, 17)
    assert pos.value == Span(3, 19, 3, 23)
    assert doc.locate("/settings/live_streaming") == (Span(3, 3, 3, 23), True)


def test_missing_pointer_is_located_at_the_mapping_that_lacks_it() -> None:
    doc = load_text("kind: policy\nsections:\n  posting: {text: x}\n", "p.yaml").documents[0]
    span, found = doc.locate("/sections/texting/allowed")
    assert not found
    assert (span.line, span.column) == (2, 1)


def test_dates_stay_text_and_scalars_get_plain_types() -> None:
    doc = load_text("a: 2026-01-01\nb: 12\nc: 1.5\nd: true\ne: ~\nf: yes\ng: .nan\nh: 0x1F\n", "x.yaml").documents[0]
    assert doc.data["a"] == "2026-01-01"
    assert (doc.data["b"], doc.data["c"], doc.data["d"], doc.data["e"]) == (12, 1.5, True, None)
    assert doc.data["f"] == "yes"  # YAML 1.2: yes is text
    assert math.isnan(doc.data["g"])
    assert doc.data["h"] == 31


def test_duplicate_key_is_a_problem_and_the_first_value_stays() -> None:
    result = load_text("kind: vendor\nname: A\nname: B\n", "d.yaml")
    assert [(p.span.line, p.span.column, p.pointer) for p in result.problems] == [(3, 1, "/name")]
    assert "duplicate key 'name' (first defined on line 2)" in result.problems[0].message
    assert result.documents[0].data["name"] == "A"


def test_syntax_error_is_located_and_keeps_earlier_documents() -> None:
    result = load_text("kind: policy\n---\nkind: vendor\nname: [a\n", "m.yaml")
    assert len(result.documents) == 1
    assert len(result.problems) == 1
    assert result.problems[0].message.startswith("YAML syntax error:")
    assert result.problems[0].span.line == 5


def test_multi_document_yaml_gives_one_document_each() -> None:
    result = load_text("kind: vendor\nname: A\n---\nkind: vendor\nname: B\n", "m.yaml")
    assert [d.data["name"] for d in result.documents] == ["A", "B"]
    assert [d.index for d in result.documents] == [0, 1]
    assert result.documents[1].positions["/name"].key == Span(5, 1, 5, 5)


def test_python_tags_are_never_constructed() -> None:
    result = load_text("kind: vendor\nname: !!python/object/apply:os.system ['echo pwned']\n", "t.yaml")
    assert result.documents[0].data["name"] == ["echo pwned"]
    assert [p.pointer for p in result.problems] == ["/name"]
    assert "unsupported YAML tag" in result.problems[0].message


def test_json_syntax_error_is_located() -> None:
    result = load_bytes(b'{\n  "kind": "vendor",\n  "name": \n}\n', "v.json", is_json=True)
    assert result.documents == ()
    assert (result.problems[0].span.line, result.problems[0].span.column) == (4, 1)


def test_json_positions_and_bom_crlf() -> None:
    result = load_bytes(b'\xef\xbb\xbf{\r\n  "kind": "vendor",\r\n  "name": "Zoom"\r\n}\r\n', "v.json", is_json=True)
    doc = result.documents[0]
    assert get(doc.data, "/name") == "Zoom"
    assert doc.positions["/name"].key == Span(3, 3, 3, 9)


def test_binary_and_bad_encoding_are_problems() -> None:
    assert "NUL" in load_bytes(b"kind: x\x00\x01", "b.yaml").problems[0].message
    bad = load_bytes(b"kind: policy\nname: caf\xe9\n", "e.yaml").problems[0]
    assert (bad.span.line, bad.span.column) == (2, 10)
    assert "not valid UTF-8" in bad.message


def test_utf16_with_bom_is_decoded() -> None:
    result = load_bytes("kind: vendor\nname: Zoom\n".encode("utf-16"), "u.yaml")
    assert result.problems == ()
    assert result.documents[0].data == {"kind": "vendor", "name": "Zoom"}


def test_deep_nesting_is_refused_before_the_c_composer() -> None:
    result = load_text("[" * 50_000 + "]" * 50_000, "deep.yaml")
    assert result.documents == ()
    assert "nesting is deeper than the limit" in result.problems[0].message


def test_alias_expansion_is_capped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    result = load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert result.documents == ()
    assert "more than 250,000 values" in result.problems[0].message


def test_merge_keys_merge_without_overriding() -> None:
    doc = load_text("base: &b {a: 1, b: 2}\nthing:\n  <<: *b\n  b: 3\n", "m.yaml").documents[0]
    assert doc.data["thing"] == {"a": 1, "b": 3}


def test_complex_keys_are_problems() -> None:
    result = load_text("? [a, b]\n: 1\nkind: vendor\n", "c.yaml")
    assert result.documents[0].data == {"kind": "vendor"}
    assert "a key must be plain text" in result.problems[0].message


def test_keys_that_do_not_look_like_fields_are_not_quoted() -> None:
    result = load_text("kind: vendor\nJane Doe: 1\nJane Doe: 2\nname: a\nname: b\n", "d.yaml")
    assert [p.message for p in result.problems] == [
        "duplicate key (its text is not shown) (first defined on line 2); only one may stay",
        "duplicate key 'name' (first defined on line 4); only one may stay"]


def test_unknown_keys_that_do_not_look_like_fields_are_not_quoted() -> None:
    from smlint.schema import validate

    doc = load_text("kind: vendor\nname: A\ncategory: voip\nhandles_client_data: true\nJane Doe: 1\nnmae: x\n",
                    "v.yaml").documents[0]
    assert [v.message for v in validate("vendor", doc.data)] == [
        "a key (its text is not shown) is not a field smlint knows; check its spelling and indentation",
        "'nmae' is not a field smlint knows; check its spelling and indentation"]
