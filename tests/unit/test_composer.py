"""The lean composer resolves tags exactly as ruamel's safe loader does (YAML 1.2), shares its tag
objects, and composes the same trees."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml.cyaml import CSafeLoader

from smlint.composer import SHARED_TAGS, compose_all, tag_text
from smlint.loader import load_text

SCALARS = ["", "~", "null", "Null", "NULL", "true", "True", "FALSE", "yes", "no", "on", "0", "-12", "+7", "0o17",
           "017", "0x1F", "0b101", "1_000", "3.14", "-.5", ".inf", "-.INF", ".nan", "1e3", "6.02e+23", "2026-03-01",
           "2026-03-01T10:00:00Z", "<<", "=", "plain text", "'quoted'", '"12"', "12:30", "1.2.3", "-x", "+"]


def _stock(text: str) -> list[Any]:
    loader = CSafeLoader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


def _tags(node: Any) -> list[str]:
    """Every node's tag text, depth first (keys before their values)."""
    found = [tag_text(node)]
    if node.id == "mapping":
        for key, value in node.value:
            found += _tags(key) + _tags(value)
    elif node.id == "sequence":
        for item in node.value:
            found += _tags(item)
    return found


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalar_tags_match_ruamel_safe_loader(scalar: str) -> None:
    text = f"value: {scalar}\nlist:\n  - {scalar or 'x'}\n"
    ours, = compose_all(text)
    stock, = _stock(text)
    # `=` and `!` resolve to ruamel's YAML 1.1 value/yaml tags; smlint reads them as the text they are
    as_text = {"tag:yaml.org,2002:value", "tag:yaml.org,2002:yaml"}
    expected = ["tag:yaml.org,2002:str" if t in as_text else t for t in _tags(stock)]
    assert _tags(ours) == expected
    assert len(expected) == 6


def test_resolved_tags_are_shared_objects() -> None:
    root, = compose_all("a: 1\nb: [x, y]\n")
    (_, one), (_, seq) = root.value
    assert id(root.ctag) in SHARED_TAGS and id(one.ctag) in SHARED_TAGS and id(seq.ctag) in SHARED_TAGS
    assert seq.value[0].ctag is seq.value[1].ctag


def test_marks_and_values_match_ruamel_safe_loader() -> None:
    text = "kind: policy\nitems:\n  - name: a\n    when: 2026-01-01\n---\n[1, {b: c}]\n"
    ours, stock = list(compose_all(text)), _stock(text)
    assert len(ours) == len(stock) == 2

    def shape(node: Any) -> Any:
        marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
        if node.id == "mapping":
            return marks, [(shape(k), shape(v)) for k, v in node.value]
        if node.id == "sequence":
            return marks, [shape(i) for i in node.value]
        return marks, node.value

    assert [shape(n) for n in ours] == [shape(n) for n in stock]


def test_plain_equals_sign_is_text_not_an_unknown_tag() -> None:
    result = load_text("kind: vendor\nname: '='\nnote: =\n", "v.yaml")
    assert result.problems == ()
    assert result.documents[0].data["note"] == "="


def test_explicit_tags_are_still_read_and_reported() -> None:
    result = load_text("a: !!str 12\nb: !python/object x\n", "t.yaml")
    assert result.documents[0].data["a"] == "12"
    assert [(p.span.line, p.span.column, p.pointer) for p in result.problems] == [(2, 4, "/b")]
