"""The December 2026 catalog (issue 15): the HIPAA duties, Part 2, tracking technologies and the status of each
law, checked through the CLI with exact findings, and the coverage table of docs/rules.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from smlint import laws
from smlint.registry import load_ruleset
from smlint.ruledoc import cites_match, coverage_rows, rules_for
from tests.conftest import ROOT, Run, run_cli

RULESET = load_ruleset()
NEW_RANGES = (range(100, 101), range(148, 200), range(230, 250), range(330, 350), range(390, 400), range(420, 440))


def new_rule_ids() -> set[str]:
    return {r.id for r in RULESET.rules if any(int(r.id[2:]) in span for span in NEW_RANGES)}


def findings(run: Run, path: Path, *args: str) -> list[tuple[str, int, int]]:
    """The findings of this round's rules (the policies below are minimal, so older rules report much else)."""
    result = run("check", str(path), "--format", "json", "--today", "2026-12-02", *args)
    assert result.exit_code in (0, 1), result.stderr
    return [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]
            if f["rule"] in new_rule_ids()]


@pytest.fixture(scope="module")
def catalog() -> list[dict[str, Any]]:
    result = run_cli("rules", "--format", "json")
    assert result.exit_code == 0
    return [r for r in json.loads(result.stdout) if not r["id"].startswith("SM0")]


def test_the_catalog_holds_at_least_175_cited_rules_and_40_new_ones(catalog: list[dict[str, Any]]) -> None:
    assert len(catalog) >= 175
    assert all(rule["citations"] for rule in catalog)
    assert len(new_rule_ids()) >= 40


# Every section issue 15 lists: at least one rule cites it (or a subsection of it).
ISSUE_SECTIONS = [
    "164.308(a)(1)(ii)(A)", "164.308(a)(1)(ii)(B)", "164.308(a)(1)(ii)(C)", "164.308(a)(1)(ii)(D)", "164.308(a)(2)",
    "164.308(a)(3)(ii)(C)", "164.308(a)(4)", "164.308(a)(5)(ii)", "164.308(a)(6)", "164.310(a)(1)", "164.310(b)",
    "164.310(c)", "164.310(d)(1)", "164.312(a)(2)(ii)", "164.312(b)", "164.312(c)(1)", "164.314(a)", "164.402",
    "164.404", "164.406", "164.408(b)", "164.408(c)", "164.410", "164.414(b)", "164.502(e)(1)(ii)", "164.504(e)(2)",
    "164.508(a)(2)", "164.520", "164.522(b)", "164.524", "164.530(a)",
    "42 CFR 2.16", "42 CFR 2.31", "42 CFR 2.32", "HHS OCR bulletin on online tracking technologies",
    "FTC orders on health data", "Purl v. HHS", "HIPAA Security Rule NPRM",
]


@pytest.mark.parametrize("section", ISSUE_SECTIONS)
def test_every_section_the_issue_lists_is_cited(section: str) -> None:
    assert rules_for(section, RULESET.rules), section


def test_coverage_rows_match_the_catalog() -> None:
    rows = [row for _, group in coverage_rows() for row in group]
    for row in rows:
        found = rules_for(row["cite"], RULESET.rules)
        # a row is either checked or says why not, never both
        assert bool(found) != bool(row.get("not_checked")), row["cite"]
    hipaa = {c for r in RULESET.rules for c in r.citations.get("hipaa", ()) if c[:3] == "164"}
    unaccounted = sorted(c for c in hipaa if not any(cites_match(row["cite"], c) for row in rows))
    assert unaccounted == []
    assert {row["cite"] for row in rows} >= {s for s in ISSUE_SECTIONS if s[:3] == "164"}


def test_coverage_table_is_in_docs(run: Run) -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    table = text.split("## Coverage", 1)[1]
    assert "| 164.308(a)(2) | one security official | [SM150](#sm150-policy-no-security-official) |" in table
    assert "| 164.316(b)(2)(ii) | documentation available to those who implement it | not checked: " in table
    assert "| Tip 1: Do not friend clients | " in table


def test_vacated_and_superseded_rules_list_exactly_the_registry() -> None:
    def listed(rule_id: str) -> list[str]:
        rule = RULESET.get(rule_id)
        assert rule is not None
        return list(rule.check["expect"]["not_in"])

    by_status = {status: [law.id for law in laws.registry().values() if law.status == status]
                 for status in ("vacated", "superseded")}
    assert listed("SM184") == by_status["vacated"]
    assert listed("SM185") == by_status["superseded"]
    assert listed("SM237") == by_status["vacated"] + by_status["superseded"]


def _agency(tmp_path: Path, policy: str, config: str = "") -> Path:
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text(config or "fail_on: error\n", encoding="utf-8")
    return tmp_path


POLICY = """\
kind: policy
organisation: Harbor Recovery Services
relies_on:
  - hipaa-privacy-rule
  - hipaa-reproductive-health-2024
  - covid-telehealth-discretion
sections:
  breach_notification:
    text: Clients are told within 60 days.
    notice_days: 60
  security_management:
    text: The Director is the security official.
    security_official: Director
    risk_analysis_last: 2025-01-10
    risk_management_plan: true
    sanction_policy: true
    activity_review: true
    access_by_role: true
    access_removed_on_departure: true
    access_removal_hours: 24
    incident_procedure: true
    audit_controls: true
    integrity_controls: true
    emergency_access: true
    periodic_evaluation: true
    incident_response_plan: true
    recognized_framework: NIST CSF
    framework_adopted: 2024-01-15
"""


def test_a_policy_relying_on_vacated_or_superseded_law_is_a_finding(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, POLICY)
    assert findings(run, agency) == [("SM184", 5, 5), ("SM185", 6, 5)]


def test_proposed_rules_are_off_by_default_and_selected_by_law(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, POLICY)
    assert findings(run, agency, "--law", "hipaa-2025-proposed") == [
        ("SM184", 5, 5), ("SM185", 6, 5), ("SM194", 14, 5), ("SM199", 20, 5)]
    (agency / ".smlint.yaml").write_text("laws: [hipaa-2025-proposed]\n", encoding="utf-8")
    assert [f[0] for f in findings(run, agency)] == ["SM184", "SM185", "SM194", "SM199"]
    assert [f[0] for f in findings(run, agency, "--select", "SM194")] == ["SM194"]
    assert [f[0] for f in findings(run, agency, "--select", "hipaa-2025-proposed")] == ["SM194", "SM199"]
    listed = json.loads(run("rules", "--status", "proposed", "--format", "json").stdout)
    assert [r["id"] for r in listed] == ["SM100", "SM194", "SM195", "SM196", "SM197", "SM198", "SM199", "SM345"]
    assert "(proposed 2025 Security Rule)" in run("check", str(agency), "--format", "concise",
                                                  "--today", "2026-12-02").stdout


def test_part2_profile_switches_its_rules_on(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, POLICY)
    off = findings(run, agency)
    assert not {"SM186", "SM189"} & {f[0] for f in off}
    (agency / ".smlint.yaml").write_text("profile: [part2-program]\n", encoding="utf-8")
    assert findings(run, agency) == [("SM184", 5, 5), ("SM185", 6, 5), ("SM186", 7, 1), ("SM189", 8, 3)]
    explained = run("explain", "SM186").stdout
    assert ("Runs only for a 42 CFR Part 2 program: the configuration's profile must say `part2_program: true` (or "
            "list `part2-program`).") in explained


def test_new_rules_fire_on_the_held_out_agency_only_where_its_key_plants_them(run: Run, tmp_path: Path) -> None:
    """The fidelity agency (revision 3 of its key) records the new fields; each new rule that fires there fires
    at a file where the key, written before smlint was run, plants that rule, and every such plant is found."""
    from tests.fidelity import score

    agency = ROOT / "tests" / "fidelity" / "agency"
    copy = tmp_path / "agency"
    shutil.copytree(agency, copy)
    result = run("check", str(copy), "--format", "json", "--today", "2026-12-02", "--exit-zero")
    fired = {(str(Path(f["path"]).relative_to(copy).as_posix()), f["rule"])
             for f in json.loads(result.stdout)["findings"] if f["rule"] in new_rule_ids()}
    planted = {(place, rule) for item in score.load_key().planted for rule in item.rules & new_rule_ids()
               for place in (item.file, *item.also_at)}
    assert fired <= planted
    expected = {(item.file, rule) for item in score.load_key().planted for rule in item.rules & new_rule_ids()}
    found = {(item.file, rule) for item in score.load_key().planted for rule in item.rules & new_rule_ids()
             if any((place, rule) in fired for place in (item.file, *item.also_at))}
    assert found == expected


NPP_POLICY = """\
kind: policy
organisation: Riverside Counselling
sections:
  privacy:
    text: The Clinical Director is the privacy official; clients sign for the notice at intake.
    notice_of_privacy_practices:
      acknowledgement_at_intake: true
"""
ADULT = """\
kind: intake-form
id: adult-intake
title: Adult Intake
clauses:
  npp_acknowledgement: {text: I received the Notice of Privacy Practices., signature_required: true}
"""
ADDENDUM = """\
kind: intake-form
title: Telehealth Addendum
supplements: adult-intake
clauses:
  telehealth_consent: {text: I agree to video sessions.}
"""
TEEN = """\
kind: intake-form
title: Adolescent Intake
clauses:
  technology_policy_acknowledgement: {text: We read the policy.}
"""
FAMILY = """\
kind: intake-form
title: Family Intake
clauses:
  technology_policy_acknowledgement: {text: We read the policy.}
"""


def _npp_agency(tmp_path: Path) -> Path:
    agency = _agency(tmp_path, NPP_POLICY)
    (agency / "forms").mkdir()
    for name, text in (("adult.yaml", ADULT), ("addendum.yaml", ADDENDUM), ("teen.yaml", TEEN),
                       ("family.yaml", FAMILY)):
        (agency / "forms" / name).write_text(text, encoding="utf-8")
    return agency


def _sm420(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("check", *args, "--format", "json", "--today", "2026-12-02", "--exit-zero")
    assert result.exit_code == 0, result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "SM420"]


def test_npp_promise_is_judged_over_the_form_sets_once_at_the_policy(run: Run, tmp_path: Path) -> None:
    """SM420: the addendum is covered by the adult intake it supplements; the two forms clients sign on their own
    without the acknowledgement are named in one finding at the policy's promise."""
    agency = _npp_agency(tmp_path)
    (finding,) = _sm420(run, str(agency))
    assert (Path(finding["path"]).name, finding["line"], finding["column"]) == ("policy.yaml", 7, 7)
    assert [Path(r["path"]).name for r in finding["related"]] == ["family.yaml", "teen.yaml"]
    assert finding["message"].endswith("do not ask for it: Family Intake and Adolescent Intake")
    # pre-commit on one form: the finding belongs to the policy, so it is not reported there ...
    assert _sm420(run, str(agency / "forms" / "teen.yaml")) == []
    # ... and on the policy alone the forms are read as context
    assert len(_sm420(run, str(agency / "policy.yaml"))) == 1


def test_npp_promise_kept_by_every_set_is_silent(run: Run, tmp_path: Path) -> None:
    agency = _npp_agency(tmp_path)
    for name in ("teen.yaml", "family.yaml"):
        (agency / "forms" / name).write_text(ADULT.replace("id: adult-intake\n", ""), encoding="utf-8")
    assert _sm420(run, str(agency)) == []
    # the adult form loses its acknowledgement: the addendum is not named beside the form it supplements
    (agency / "forms" / "adult.yaml").write_text(TEEN.replace("title: Adolescent Intake", "id: adult-intake\n"
                                                              "title: Adult Intake"), encoding="utf-8")
    (finding,) = _sm420(run, str(agency))
    assert [Path(r["path"]).name for r in finding["related"]] == ["adult.yaml"]


def test_the_shipped_examples_show_the_new_rules(run: Run) -> None:
    result = run("check", "examples/noncompliant", "--format", "json", "--today", "2026-03-01")
    fired = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert len(fired & new_rule_ids()) >= 20
