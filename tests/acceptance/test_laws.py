"""Rules that know the status of their law: `rules/laws.json`, `--law`, the configuration's `laws` and
`profile`, `smlint rules --law/--status`, `smlint laws`, and the status in explain, SARIF and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smlint import laws
from smlint.registry import load_ruleset
from tests.conftest import Run

RULE = """\
id: {id}
name: {name}
title: A test rule relying on {law}
severity: error
kinds: [policy]
scope: artifact
tips: [7]
citations: {{other: ["test"]}}
laws: [{law}]
{extra}rationale: A rule used by the tests of law status, long enough to read as a rationale would.
remediation: Nothing to fix; this rule exists for the tests.
check:
  type: assert
  at: /organisation
  expect: {{path: /organisation, equals: never}}
message: "the rule of {law} fired"
examples:
  fail:
    - document: {{kind: policy, organisation: Someone}}
  pass:
    - document: {{kind: policy, organisation: never}}
"""
POLICY = "kind: policy\norganisation: Test Agency\n"


def _agency(tmp_path: Path, config: str = "") -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "proposed.yaml").write_text(RULE.format(id="TST100", name="proposed-rule", law="hipaa-2025-proposed",
                                                     extra=""), encoding="utf-8")
    (rules / "vacated.yaml").write_text(RULE.format(id="TST101", name="vacated-rule",
                                                    law="hipaa-reproductive-health-2024", extra=""), encoding="utf-8")
    (rules / "part2.yaml").write_text(RULE.format(id="TST102", name="part2-rule", law="part2-2024",
                                                  extra="profile: [part2-program]\n"), encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text("rules_dirs: [rules]\nselect: [TST]\n" + config, encoding="utf-8")
    return tmp_path


def _rules_fired(run: Run, agency: Path, *args: str) -> list[tuple[str, int]]:
    result = run("check", str(agency / "policy.yaml"), "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_registry_records_the_status_of_each_law() -> None:
    registry = laws.registry()
    assert registry["hipaa-2025-proposed"].status == "proposed"
    assert registry["hipaa-reproductive-health-2024"].status == "vacated"
    assert registry["covid-telehealth-discretion"].status == "superseded"
    assert dict(registry["part2-2024"].dates)["compliance_date"] == "2026-02-16"
    assert {law.status for law in registry.values()} <= set(laws.STATUSES)


def test_citations_imply_laws_when_a_rule_names_none() -> None:
    sm301 = load_ruleset().get("SM301")
    assert sm301 is not None
    assert sm301.laws == ("nasw-code", "hipaa-security-rule", "hipaa-privacy-rule")
    assert laws.implied({"hipaa": ["164.404(b)"]}) == ("hipaa-breach-rule",)


def test_proposed_law_rules_are_off_until_the_law_is_selected(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path)
    assert _rules_fired(run, agency) == []
    assert _rules_fired(run, agency, "--law", "hipaa-2025-proposed") == [("TST100", 2)]
    assert _rules_fired(run, agency, "--select", "TST100") == [("TST100", 2)]


def test_a_proposed_law_is_selected_by_its_id_like_a_rule(run: Run, tmp_path: Path) -> None:
    """`--select hipaa-2025-proposed` (the spelling of issue 15) selects the law's rules and switches them on."""
    agency = _agency(tmp_path)
    assert _rules_fired(run, agency, "--select", "hipaa-2025-proposed") == [("TST100", 2)]
    assert _rules_fired(run, agency, "--extend-select", "HIPAA-2025-proposed") == [("TST100", 2)]
    assert _rules_fired(run, agency, "--select", "TST,hipaa-2025-proposed", "--ignore", "TST100") == []


def test_configuration_selects_a_proposed_law_by_its_id(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path)
    (agency / ".smlint.yaml").write_text("rules_dirs: [rules]\nselect: [TST101, TST102, hipaa-2025-proposed]\n",
                                         encoding="utf-8")
    assert _rules_fired(run, agency) == [("TST100", 2)]


def test_a_vacated_law_cannot_be_selected_by_its_id(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path)
    result = run("check", str(agency), "--select", "hipaa-reproductive-health-2024")
    assert result.exit_code == 2
    assert result.stderr.startswith("smlint: error: --select: 'hipaa-reproductive-health-2024' is vacated (Vacated "
                                    "nationwide by Purl v. HHS")
    (agency / ".smlint.yaml").write_text("rules_dirs: [rules]\nextend_select:\n  - covid-telehealth-discretion\n",
                                         encoding="utf-8")
    result = run("check", str(agency))
    assert result.exit_code == 2
    assert ".smlint.yaml:3:5:" in result.stderr
    assert "'covid-telehealth-discretion' is superseded" in result.stderr


def test_configuration_selects_a_proposed_law(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, "laws: [hipaa-2025-proposed]\n")
    assert _rules_fired(run, agency) == [("TST100", 2)]


def test_vacated_law_cannot_be_selected(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path)
    result = run("check", str(agency), "--law", "hipaa-reproductive-health-2024")
    assert result.exit_code == 2
    assert "--law: 'hipaa-reproductive-health-2024' is vacated" in result.stderr
    assert "cannot be selected" in result.stderr
    result = run("check", str(agency), "--select", "TST101")
    assert result.exit_code == 2
    assert "TST101 cannot run: it relies on HIPAA Privacy Rule to Support Reproductive" in result.stderr


def test_vacated_law_in_configuration_is_located(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, "laws:\n  - covid-telehealth-discretion\n")
    result = run("check", str(agency))
    assert result.exit_code == 2
    assert ".smlint.yaml:4:5:" in result.stderr
    assert "'covid-telehealth-discretion' is superseded" in result.stderr


def test_unknown_law_is_an_error(run: Run, tmp_path: Path) -> None:
    result = run("check", str(_agency(tmp_path)), "--law", "hipaa-2030")
    assert result.exit_code == 2
    assert "'hipaa-2030' is not a law smlint knows" in result.stderr


def test_part2_profile_switches_its_rules_on(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path)
    assert _rules_fired(run, agency) == []
    (agency / ".smlint.yaml").write_text("rules_dirs: [rules]\nselect: [TST]\nprofile: [part2-program]\n",
                                         encoding="utf-8")
    assert _rules_fired(run, agency) == [("TST102", 2)]


def test_rule_naming_an_unknown_law_is_located(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "bad.yaml").write_text(RULE.format(id="TST103", name="bad-law", law="no-such-law", extra=""),
                                     encoding="utf-8")
    result = run("rules", "--rules-dir", str(folder))
    assert result.exit_code == 2
    assert "bad.yaml:9:8: unknown law 'no-such-law'" in result.stderr


def test_rules_filter_by_law_and_status(run: Run, tmp_path: Path) -> None:
    folder = _agency(tmp_path) / "rules"
    result = run("rules", "--rules-dir", str(folder), "--status", "proposed", "--format", "json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout) if r["id"].startswith("TST")] == ["TST100"]
    result = run("rules", "--rules-dir", str(folder), "--law", "part2-2024", "--format", "json")
    listed = json.loads(result.stdout)
    assert "TST102" in [r["id"] for r in listed]
    assert all("part2-2024" in [law["id"] for law in r["laws"]] for r in listed)
    result = run("rules", "--law", "nonsense")
    assert result.exit_code == 2 and "'nonsense' is not a law" in result.stderr
    assert run("rules", "--status", "proposed", "--format", "markdown").exit_code == 2


def test_rule_metadata_carries_law_and_status(run: Run, tmp_path: Path) -> None:
    folder = _agency(tmp_path) / "rules"
    rules = {r["id"]: r for r in json.loads(run("rules", "--rules-dir", str(folder), "--format", "json").stdout)}
    assert rules["TST100"]["status"] == "proposed"
    assert rules["TST100"]["laws"] == [{"id": "hipaa-2025-proposed", "name": laws.registry()[
        "hipaa-2025-proposed"].name, "status": "proposed", "published": "2025-01-06"}]
    assert rules["TST102"]["profile"] == ["part2-program"]
    assert rules["SM123"]["status"] == "in-force"


def test_explain_says_why_a_rule_is_off(run: Run, tmp_path: Path) -> None:
    folder = _agency(tmp_path) / "rules"
    text = run("explain", "TST100", "--rules-dir", str(folder)).stdout
    assert "Off by default: the rule checks a proposed rule-making; run it with --law hipaa-2025-proposed." in text
    text = run("explain", "TST101", "--rules-dir", str(folder)).stdout
    assert ("Never runs and cannot be selected: it relies on hipaa-reproductive-health-2024, which is vacated. "
            "Vacated nationwide by Purl v. HHS") in text


@pytest.mark.parametrize("fmt", ["sarif", "html"])
def test_reports_show_the_status(run: Run, tmp_path: Path, fmt: str) -> None:
    agency = _agency(tmp_path)
    result = run("check", str(agency / "policy.yaml"), "--law", "hipaa-2025-proposed", "--format", fmt)
    assert result.exit_code == 1
    if fmt == "sarif":
        rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
        tst = next(r for r in rules if r["id"] == "TST100")
        assert tst["properties"]["lawStatus"] == "proposed"
        assert tst["properties"]["laws"][0]["id"] == "hipaa-2025-proposed"
    else:
        assert "<strong>Law and status:</strong> HIPAA Security Rule NPRM, 90 FR 898" in result.stdout
        assert "(proposed; binds HIPAA covered entities)</p>" in result.stdout


def test_laws_command_lists_statuses(run: Run) -> None:
    result = run("laws", "--format", "json")
    assert result.exit_code == 0
    listed = {law["id"]: law["status"] for law in json.loads(result.stdout)}
    assert listed["hipaa-reproductive-health-2024"] == "vacated"
    assert listed["ocr-tracking-bulletin"] == "in-force"
    text = run("laws").stdout
    assert any(line.startswith("hipaa-2025-proposed") and " proposed " in line for line in text.splitlines())
