"""`smlint rules`, `explain` and `test-rules`, and the rule files' own examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smlint.registry import load_ruleset
from smlint.ruletest import run_rule
from tests.conftest import Run

RULESET = load_ruleset(validate_builtin=True)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_examples(rule: object) -> None:
    outcomes = list(run_rule(rule, RULESET))  # type: ignore[arg-type]
    assert outcomes, "every rule needs examples"
    assert {o.expectation for o in outcomes} == {"pass", "fail"}
    failures = [f"{o.label}: got {[(f.rule, f.line, f.message) for f in o.findings]}" for o in outcomes if not o.ok]
    assert failures == []


def test_rules_json_has_full_metadata(run: Run) -> None:
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids)
    assert {"SM000", "SM001", "SM101", "SM301", "SM302", "SM304", "SM401"} <= set(ids)
    for rule in rules:
        assert set(rule) >= {"id", "name", "title", "severity", "kinds", "scope", "tips", "citations",
                             "rationale", "remediation", "help_uri"}
        assert rule["citations"], rule["id"]
    cited = [r for r in rules if not r["id"].startswith("SM0")]
    assert len(cited) >= 12
    assert sum(1 for r in cited if r["scope"] == "repository") >= 2


def test_explain_by_id_and_name(run: Run) -> None:
    by_id = run("explain", "SM304")
    by_name = run("explain", "payment-descriptor-reveals-therapy")
    assert by_id.exit_code == by_name.exit_code == 0
    assert by_id.stdout == by_name.stdout
    for part in ("Why it matters:", "How to fix:", "Citations:", "Failing example:", "Passing example:",
                 "statement_descriptor: RIVERBEND THERAPY"):
        assert part in by_id.stdout
    lines = by_id.stdout.splitlines()
    assert lines[1:3] == ["Payment statement descriptor does not reveal therapy",
                          "Reported as: Payment statement descriptor reveals therapy"]
    assert ("  Also: 10 Tips for Social Workers using Social Media and Technology, tip 9: the practice's name may "
            "appear on bank statements") in lines
    # every place it points at exists in an installed copy: the rule file ships with smlint
    (rule_file,) = [line.removeprefix("Rule file: ") for line in lines if line.startswith("Rule file: ")]
    assert Path(rule_file).is_file() and Path(rule_file).name == "sm304-payment-descriptor-reveals-therapy.yaml"
    assert "All rules: `smlint rules --format markdown` prints the catalogue (docs/rules.md in smlint's source)." \
        in lines
    assert not any(line.startswith("More: docs/") for line in lines)


def test_explain_unknown_rule_exits_2(run: Run) -> None:
    result = run("explain", "SM999")
    assert result.exit_code == 2
    assert "unknown rule 'SM999'" in result.stderr


def test_test_rules_command_counts(run: Run) -> None:
    result = run("test-rules")
    assert result.exit_code == 0
    total = sum(len(r.pass_examples) + len(r.fail_examples) for r in RULESET.rules)
    assert result.stdout.splitlines()[-1] == f"{total} passed, 0 failed"


def write_rule(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "custom.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CUSTOM = """\
id: RFS100
name: crisis-line-in-telehealth-intake
title: Telehealth intake forms give a crisis line
severity: error
kinds: [intake-form]
scope: artifact
tips: [10]
citations: {nasw_code: ["1.15"]}
rationale: Clients in crisis between sessions need a number to call.
remediation: Add an other_clauses entry with id crisis-line.
unknown: violation
check:
  type: assert
  when: {path: /services, contains: telehealth}
  at: [/other_clauses, /services]
  expect: {path: /other_clauses/*/id, equals: crisis-line}
message: "the telehealth intake form does not give a crisis line"
examples:
  fail:
    - document: {kind: intake-form, services: [telehealth]}
  pass:
    - document: {kind: intake-form, services: [telehealth], other_clauses: [{id: crisis-line, text: Call 988.}]}
"""


def test_custom_rules_dir_runs_its_examples(run: Run, tmp_path: Path) -> None:
    write_rule(tmp_path / "rules", CUSTOM)
    result = run("test-rules", str(tmp_path / "rules"), "-v")
    assert result.exit_code == 0
    assert "ok   RFS100 crisis-line-in-telehealth-intake fail[0]" in result.stdout


def test_custom_rule_with_a_wrong_example_fails_test_rules(run: Run, tmp_path: Path) -> None:
    # The pass example offers telehealth without the crisis-line clause, so the rule finds it: a broken example.
    broken = CUSTOM.replace("other_clauses: [{id: crisis-line, text: Call 988.}]", "other_clauses: []")
    write_rule(tmp_path / "rules", broken)
    result = run("test-rules", str(tmp_path / "rules"))
    assert result.exit_code == 1
    total = sum(len(r.pass_examples) + len(r.fail_examples) for r in RULESET.rules) + 2
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{total - 1} passed, 1 failed"
    assert lines[:-1] == [f"FAIL RFS100 crisis-line-in-telehealth-intake pass[0]: expected no finding, got 1 "
                          f"({tmp_path / 'rules' / 'custom.yaml'})"]


def test_bad_rule_file_exits_2_with_file_and_line(run: Run, tmp_path: Path) -> None:
    path = write_rule(tmp_path / "rules", CUSTOM.replace("severity: error", "severity: fatal"))
    result = run("rules", "--rules-dir", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"smlint: error: {path}:4:1: invalid rule: 'severity' must be one of")


def test_rule_with_unknown_placeholder_is_rejected(run: Run, tmp_path: Path) -> None:
    path = write_rule(tmp_path / "rules", CUSTOM.replace("does not give a crisis line", "lacks {value}"))
    result = run("rules", "--rules-dir", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert f"{path}:17:1: message uses {{value}}, which this check does not provide" in result.stderr


def test_rule_with_catastrophic_regex_is_rejected(run: Run, tmp_path: Path) -> None:
    text = CUSTOM.replace("{path: /other_clauses/*/id, equals: crisis-line}", "{path: /title, matches: '(?=(a+))\\1b'}")
    write_rule(tmp_path / "rules", text)
    result = run("rules", "--rules-dir", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert "regular expression rejected: RE2, smlint's linear-time engine, cannot run it" in result.stderr


def test_duplicate_rule_id_is_rejected(run: Run, tmp_path: Path) -> None:
    write_rule(tmp_path / "rules", CUSTOM.replace("id: RFS100", "id: SM101"))
    result = run("rules", "--rules-dir", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert "rule SM101 is already defined" in result.stderr
