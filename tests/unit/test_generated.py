"""The parts of the checkout generated from declarations in the code (`python -m smlint.generate`): the rule
schema's check branches and the checks tables in the docs. A test fails when one is stale, as the rule index
does; and every check's declaration is complete enough to generate them from."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from smlint.checks import CHECKS
from smlint.checks.params import declared_params
from smlint.generate import PARTS, ROOT, _between, main, run
from tests.conftest import ROOT as CHECKOUT


def test_the_generated_parts_are_up_to_date() -> None:
    assert ROOT == CHECKOUT
    assert run(write=False) == [], "run: python -m smlint.generate --write"


def test_without_write_it_lists_stale_files_and_writes_nothing(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == "every generated file is current\n"
    for part in PARTS:
        (tmp_path / part.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part.path).write_text((ROOT / part.path).read_text(encoding="utf-8"), encoding="utf-8")
    table = tmp_path / "docs" / "custom-rules.md"
    edited = table.read_text(encoding="utf-8").replace("| `pattern` | artifact |", "| `pattern` | join |")
    table.write_text(edited, encoding="utf-8")
    assert run(PARTS, write=False, root=tmp_path) == ["docs/custom-rules.md"]
    assert table.read_text(encoding="utf-8") == edited
    assert run(PARTS, write=True, root=tmp_path) == ["docs/custom-rules.md"]
    assert table.read_text(encoding="utf-8") == (ROOT / "docs" / "custom-rules.md").read_text(encoding="utf-8")


def test_the_rule_schema_names_exactly_the_declared_checks() -> None:
    schema = json.loads((ROOT / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
    check = schema["$defs"]["check"]
    assert check["properties"]["type"]["enum"] == list(CHECKS)
    branches = {b["if"]["properties"]["type"]["const"]: b["then"] for b in check["allOf"]}
    assert list(branches) == list(CHECKS)
    # an artifact check takes `when` (the engine tests it); a join does not; required parameters are required
    assert "when" in branches["pattern"]["properties"] and "when" not in branches["member_of"]["properties"]
    assert branches["pattern"]["required"] == ["path", "regex"]
    assert "required" not in branches["fhir_mapped"]
    # a rule-level value a check reads (all_satisfy's `unknown`) is not a parameter of `check:`
    assert "unknown" not in branches["all_satisfy"]["properties"]


def test_every_declaration_is_complete() -> None:
    for name, spec in CHECKS.items():
        assert spec.params.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
        assert spec.summary, f"check {name} has no docstring"
        assert "field" in spec.variables or spec.scope == "tool", name
        for f, declared in declared_params(spec.params):
            assert declared.description.strip(), f"{name}.{f.name} has no description"
        assert len(declared_params(spec.params)) == len(dataclasses.fields(spec.params)), name
        runs = spec.artifact if spec.scope == "artifact" else spec.repository
        assert (runs is not None) == (spec.scope != "tool"), name
        assert (spec.index is not None) == (spec.scope == "repository"), name


def test_a_table_without_its_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"markers <!-- checks:start --> \.\.\. <!-- checks:end --> not found"):
        _between("checks", lambda: ["x"], "here")("# a page without the markers\n")


def test_a_table_keeps_the_text_around_it() -> None:
    text = "before\n<!-- t:start -->\nold\nrows\n<!-- t:end -->\nafter\n"
    note = "<!-- generated from here: edit there, then run python -m smlint.generate --write -->"
    expected = f"before\n<!-- t:start -->\n{note}\nnew\n<!-- t:end -->\nafter\n"
    assert _between("t", lambda: ["new"], "here")(text) == expected
