"""An agency's own rules (examples/custom-rules): loaded from the configuration's rules_dirs, validated
like the built-in ones, run by `smlint test-rules`, and a bad rule file stops the run with its location."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, TODAY, run_cli

CUSTOM = EXAMPLES / "custom-rules"


@pytest.fixture
def agency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "agency"
    shutil.copytree(CUSTOM, root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    return root


def findings(*args: str) -> list[tuple[str, int, int, str]]:
    result = run_cli("check", "--today", TODAY, "--format", "json", *args)
    return [(f["path"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)["findings"]]


def test_the_crisis_line_rule_runs_from_the_configuration(agency: Path) -> None:
    assert [f for f in findings() if f[3] == "RFS101"] == [("intake/video-intake.yaml", 41, 5, "RFS101")]
    result = run_cli("check", "--today", TODAY, "--select", "RFS", "--format", "concise")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (
        1, "intake/video-intake.yaml:41:5: RFS101 [error] the form offers telehealth but its contingency clause "
           "gives no crisis line number ('text')")


def test_adding_a_crisis_line_fixes_the_form(agency: Path) -> None:
    form = agency / "intake" / "video-intake.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace(
        "at the number you give below.", "at the number you give below. In a crisis call 988."), encoding="utf-8")
    assert run_cli("check", "--today", TODAY, "--select", "RFS101").exit_code == 0


def test_test_rules_picks_up_the_configurations_rules_dirs(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = run_cli("test-rules").stdout.splitlines()[-1]
    monkeypatch.chdir(ROOT)
    builtin = run_cli("test-rules").stdout.splitlines()[-1]
    passed = int(builtin.split()[0])
    assert here == f"{passed + 5} passed, 0 failed"  # RFS101 has two failing and three passing examples
    assert run_cli("test-rules", str(agency / "rules")).stdout.splitlines()[-1] == here


def test_rules_and_explain_list_the_agency_rule(agency: Path) -> None:
    listed = {r["id"]: r for r in json.loads(run_cli("rules", "--format", "json").stdout)}
    assert listed["RFS101"]["builtin"] is False
    assert listed["RFS101"]["name"] == "telehealth-intake-crisis-line"
    assert run_cli("explain", "telehealth-intake-crisis-line").stdout.startswith(
        "RFS101 telehealth-intake-crisis-line [error]\nTelehealth intake forms give a crisis line number\n")


def test_a_failing_example_fails_test_rules(agency: Path) -> None:
    rule = agency / "rules" / "rfs101-telehealth-intake-crisis-line.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("call or text 988 at any hour", "call us"), "utf-8")
    result = run_cli("test-rules")
    assert result.exit_code == 1
    assert (f"FAIL RFS101 telehealth-intake-crisis-line pass[0]: expected no finding, got 1 "
            f"(rules/{rule.name})") in result.stdout.splitlines()


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("type: assert", "type: asserts", "25:3", "invalid rule: 'type' must be one of: assert, assert_all, "
                                              "client_identifiers, deadline, each, fhir_mapped, forbidden_words, "
                                              "pattern, profile_agrees, required, text_matches, all_satisfy, compare, "
                                              "form_reference, form_set, member_of, requires_any, tool\n"),
    ("crisis line number ('{field}')", "crisis line number for {client}", "29:1",
     "message uses {client}, which this check does not provide (use {field})"),
    ("severity: error", "severity: error\nseverity: warning", "8:1", "duplicate key 'severity'"),
])
def test_a_bad_rule_file_exits_2_with_its_file_and_line(agency: Path, old: str, new: str, where: str,
                                                        message: str) -> None:
    rule = agency / "rules" / "rfs101-telehealth-intake-crisis-line.yaml"
    text = rule.read_text(encoding="utf-8")
    assert old in text
    rule.write_text(text.replace(old, new), encoding="utf-8")
    for command in (("check", "--today", TODAY), ("test-rules",)):
        result = run_cli(*command)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"smlint: error: rules/{rule.name}:{where}: {message}")
