"""The fast validity check must agree with jsonschema on every document: examples, rule examples and
generated variants of them. A disagreement where the fast check says valid would hide SM001 findings."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smlint.fastschema import compile_schema, equal
from smlint.loader import KNOWN_KINDS, detect_kind, load_file
from smlint.registry import load_ruleset
from smlint.schema import quick_check, validator
from tests.conftest import COMPLIANT_POLICY_YAML, EXAMPLES, NONCOMPLIANT_POLICY_YAML


def jsonschema_valid(kind: str, data: Any) -> bool:
    return validator(kind).is_valid(data)


def fast_valid(kind: str, data: Any) -> bool:
    check = quick_check(kind)
    assert check is not None
    return check(data)


def example_documents() -> list[Any]:
    paths = sorted([*(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".json")), COMPLIANT_POLICY_YAML,
                    NONCOMPLIANT_POLICY_YAML])
    docs = [doc.data for path in paths for doc in load_file(path, str(path)).documents]
    for rule in load_ruleset():
        for example in (*rule.pass_examples, *rule.fail_examples):
            docs.extend(example.documents)
    unique = {json.dumps(doc, sort_keys=True, default=str): doc for doc in docs}  # examples repeat documents
    return list(unique.values())


DOCUMENTS = example_documents()


@pytest.mark.parametrize("kind", KNOWN_KINDS)
def test_every_artifact_schema_compiles_to_a_fast_check(kind: str) -> None:
    assert quick_check(kind) is not None


@pytest.mark.parametrize("kind", KNOWN_KINDS)
def test_fast_check_agrees_with_jsonschema_on_every_example(kind: str) -> None:
    verdicts = [(fast_valid(kind, doc), jsonschema_valid(kind, doc)) for doc in DOCUMENTS]
    assert all(fast == slow for fast, slow in verdicts)
    assert any(slow for _, slow in verdicts)  # the kind's own examples


def test_the_examples_hold_valid_and_invalid_documents_of_every_kind() -> None:
    for kind in KNOWN_KINDS:
        own = [doc for doc in DOCUMENTS if detect_kind(doc) == kind]
        assert own and any(jsonschema_valid(kind, doc) for doc in own), kind
    assert not all(jsonschema_valid(detect_kind(doc) or "policy", doc) for doc in DOCUMENTS)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 2.5, -1.5])
    | st.sampled_from(["", "x", "2026-01-15", "2026-02-30", "20260115", "2026-1-5", "signed", "voip", "policy",
                       "1.0", "https://example.org", "none", "vendor", "intake-form"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["a", "text", "kind"]),
                                                                      children, max_size=2),
    max_leaves=6,
)


def pointers(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from pointers(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from pointers(value, (*prefix, index))


def mutate(doc: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    if not path:
        return value if action == "replace" else doc
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = value
    elif isinstance(parent, dict):
        parent["unexpected_field"] = value
    return doc


REPLACEMENTS = (None, True, 0, -1, 1.5, "", "x", "2026-02-30", "20260115", "<FILL IN: a date>", [], [""], {},
                {"text": ""})


def test_fast_check_agrees_with_jsonschema_on_every_single_change_to_valid_documents() -> None:
    """Each valid example, with each value in turn deleted, replaced or given an unknown sibling."""
    compared = 0
    for doc in DOCUMENTS:
        kind = detect_kind(doc)
        if kind is None or not jsonschema_valid(kind, doc):
            continue
        for path in pointers(doc):
            variants = [mutate(doc, path, "delete", None), mutate(doc, path, "add", "x")]
            variants += [mutate(doc, path, "replace", value) for value in REPLACEMENTS]
            for variant in variants:
                assert fast_valid(kind, variant) == jsonschema_valid(kind, variant), (kind, path, variant)
                compared += 1
    assert compared > 1000


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_check_agrees_with_jsonschema_on_mutated_documents(data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(DOCUMENTS))
    path = data.draw(st.sampled_from(list(pointers(doc))))
    action = data.draw(st.sampled_from(["delete", "replace", "add"]))
    mutated = mutate(doc, path, action, data.draw(JSON_VALUES))
    for kind in KNOWN_KINDS:
        assert fast_valid(kind, mutated) == jsonschema_valid(kind, mutated), (kind, path, action)


def test_local_references_may_recurse() -> None:
    item = {"type": "object", "required": ["id"],
            "properties": {"item": {"type": "array", "items": {"$ref": "#/$defs/item"}}}}
    check = compile_schema({"$ref": "#/$defs/item", "$defs": {"item": item}})
    assert check is not None
    assert check({"id": 1, "item": [{"id": 2, "item": [{"id": 3}]}]})
    assert not check({"id": 1, "item": [{"id": 2, "item": [{"name": "no id"}]}]})


def test_json_equality_keeps_booleans_apart_from_numbers() -> None:
    assert equal(1, 1.0) and equal([1, "a"], [1.0, "a"]) and equal({"a": None}, {"a": None})
    assert not equal(True, 1) and not equal(0, False) and not equal([True], [1]) and not equal([], {})


def test_keyword_semantics_match_draft_2020_12() -> None:
    check = compile_schema({"type": "object", "required": ["n"], "additionalProperties": False,
                            "properties": {"n": {"type": "integer", "minimum": 1}, "d": {"format": "date"},
                                           "e": {"enum": [True, "x"]}}})
    assert check is not None
    assert check({"n": 2}) and check({"n": 2.0}) and check({"n": 1, "d": "2024-02-29", "e": True})
    assert not check({"n": True}) and not check({"n": 0}) and not check({"n": 2, "d": "2026-02-30"})
    assert not check({"n": 2, "e": 1}) and not check({"n": 2, "other": 1}) and not check({}) and not check([])


def test_a_keyword_it_does_not_know_leaves_the_verdict_to_jsonschema() -> None:
    assert compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}}) is None
    assert compile_schema({"$ref": "#/$defs/x"}) is None  # no such definition
    assert compile_schema({"$ref": "other.json#/x"}) is None
    assert compile_schema({"properties": {"a": {"type": "decimal"}}}) is None


def test_invalid_documents_are_still_explained_by_jsonschema() -> None:
    from smlint.schema import validate

    violations = validate("vendor", {"kind": "vendor", "name": "X", "category": "fax", "handles_client_data": True})
    assert [(v.pointer, v.message.split(":")[0]) for v in violations] == [("/category", "'category' must be one of")]


def config_documents() -> list[Any]:
    """The example agencies' configurations and one that sets the list settings a user may repeat by mistake."""
    docs = [doc.data for path in sorted(EXAMPLES.glob("*/.smlint.yaml"))
            for doc in load_file(path, str(path)).documents]
    docs.append({"select": ["ALL"], "ignore": ["SM305"], "laws": ["hipaa-2025-proposed"],
                 "profile": ["part2-program", "serves-minors"], "fail_on": "warning"})
    return docs


def test_the_configuration_schema_compiles_to_a_fast_check() -> None:
    """Every run validates its configuration: without a fast check, each one-file hook run imports jsonschema."""
    assert quick_check("config") is not None


def test_fast_check_agrees_with_jsonschema_on_every_single_change_to_configurations() -> None:
    docs = config_documents()
    assert all(jsonschema_valid("config", doc) for doc in docs)
    compared = 0
    for doc in docs:
        for path in pointers(doc):
            variants = [mutate(doc, path, "delete", None), mutate(doc, path, "add", "x")]
            variants += [mutate(doc, path, "replace", value) for value in REPLACEMENTS]
            target = doc
            for step in path:
                target = target[step]
            if isinstance(target, list) and target:  # a list with its first item repeated
                variants.append(mutate(doc, path, "replace", [*target, copy.deepcopy(target[0])]))
            for variant in variants:
                assert fast_valid("config", variant) == jsonschema_valid("config", variant), (path, variant)
                compared += 1
    assert compared > 100


def test_unique_items_uses_json_equality() -> None:
    check = compile_schema({"type": "array", "uniqueItems": True})
    assert check is not None and compile_schema({"uniqueItems": False}) is not None
    for items, unique in (([1, 2], True), ([1, 1.0], False), ([True, 1], True), ([{"a": 1}, {"a": 1}], False),
                          ([[1], [True]], True), ([], True), (["a", "A"], True), ([None, None], False)):
        assert check(items) is unique, items
        assert validator_for({"type": "array", "uniqueItems": True}).is_valid(items) is unique, items


def validator_for(schema: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema)


def test_a_one_file_check_of_valid_files_does_not_import_jsonschema(tmp_path: Path) -> None:
    """What pre-commit runs on one vendor file: its configuration and every artifact read are valid, so the
    fast checks decide and jsonschema (about 100 ms to import) is never loaded."""
    shutil.copytree(EXAMPLES / "compliant", tmp_path / "agency", ignore=shutil.ignore_patterns(".smlint_cache"))
    code = ("import sys; from smlint.cli import main; "
            "main(['check', 'vendors/doxy-me.yaml', '--today', '2026-03-01', '--no-cache']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'jsonschema'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "agency", capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines()[-2:] == ["All clear: 1 file(s) checked, no findings.", "[]"]


def test_fast_check_agrees_with_jsonschema_on_rule_files() -> None:
    """Custom rule files are validated by the fast check of the rule schema first: on every built-in rule it
    agrees with jsonschema, and on single changes to every fortieth of them (jsonschema is slow on rules)."""
    from smlint.rulecache import builtin_rule_files

    check, slow = quick_check("rule"), validator("rule")
    assert check is not None
    rules = [doc.data for path in builtin_rule_files() for doc in load_file(path, str(path)).documents]
    assert len(rules) > 200 and all(check(rule) and slow.is_valid(rule) for rule in rules)
    compared = 0
    for rule in rules[::40]:
        for path in pointers(rule):
            variants = [mutate(rule, path, "delete", None), mutate(rule, path, "add", "x"),
                        mutate(rule, path, "replace", None), mutate(rule, path, "replace", "")]
            for variant in variants:
                assert check(variant) == slow.is_valid(variant), (path, variant)
                compared += 1
    assert compared > 1000
