"""A user test: a solo private-pay practice outside HIPAA, with a Markdown policy in the first person, a
YAML intake form, six vendors and Google Workspace as a ScubaGoggles results file.

tests/acceptance/data/solo-practice/ is a minimised copy of a practice written from the README, the docs and
the schemas alone (profile from `smlint init --not-covered-entity`), with the expected findings written
before smlint was run. Of the full practice's 36 first-run findings 9 were wrong and two planted defects were
missed (precision 71 %, recall 15 of 17). What these files keep:

- the policy's own words: "I do not supervise other clinicians", "I am the only person who signs in to my
  accounts", "I email only clients who choose it after I explain the risks", "why it is better not to follow
  me online" and "I will tell each affected client" were not read (SM105, SM120, SM122, SM143, SM601); "My
  email is not end-to-end encrypted" was read as encryption in transit (explain-policy);
- its tables: the licence roster and the services she uses, kept as Markdown tables, were read as clauses,
  not as the lists a Word policy's tables give (SM135 missed on the expired Washington licence; SM030 asked
  for `approved_vendors`);
- the profile: the policy was 22 months past its yearly review with no finding (SM101 runs only for a
  covered entity, though tip 5 names individual practitioners: SM603 now), and a date of her last training
  was not enough (SM131 asks each person's completion documented, HIPAA's duty: SM604 asks only the date);
- the intake form: a texting consent in a form the client signs was "not signed" (SM215), and a contact
  clause whose text offers "a different number or address" lacked one (SM219) because the detail field was
  left out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, copy_of, located

PRACTICE = ROOT / "tests" / "acceptance" / "data" / "solo-practice"
TODAY = "2026-12-03"
# the rules the first run got wrong or missed, and the ones the planted defects fall under
RULES = ("SM030,SM101,SM105,SM120,SM122,SM131,SM134,SM135,SM139,SM143,SM215,SM219,SM320,SM363,SM405,SM601,"
         "SM602,SM603,SM604")
POLICY = "policy/technology-policy.md"
FORM = "forms/informed-consent.yaml"
EXPORT = "exports/ScubaResults_7c1e94d2.json"
EXPECTED = [
    (EXPORT, "SM363", 55, 21),  # Gmail auto-forwarding on for the practice's only unit
    (POLICY, "SM135", 47, 1),  # the Washington row of the licence table: expired 2026-06-30
    (POLICY, "SM139", 27, 1),  # texting agreed at the first session, not in writing
    (POLICY, "SM603", 7, 1),  # last reviewed 2025-01-15, yearly (tip 5)
    ("vendors/doxy.yaml", "SM030", 1, 1),  # two-factor sign-in and own accounts not recorded
    ("vendors/google-workspace.yaml", "SM030", 1, 1),  # own accounts not recorded (2-step from the export)
    ("vendors/google-workspace.yaml", "SM320", 14, 1),  # the export's auto-forwarding, seen from the vendor
    ("vendors/spruce.yaml", "SM030", 1, 1),  # own accounts not recorded
]


def findings(run: Run, *paths: str | Path, cwd: Path = PRACTICE, rules: str = RULES) -> list[tuple[str, str, int, int]]:
    """The findings of these rules, all rules run: a rule named with `--select` would run whatever the profile
    says, and the profile is what these tests are about."""
    result = run("check", *(str(p) for p in paths), "--format", "json", "--today", TODAY)
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in located(result.stdout, cwd) if f[1] in rules.split(",")]


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    return copy_of(PRACTICE, tmp_path, "practice")


def test_only_the_expected_findings_are_reported(run: Run) -> None:
    assert findings(run, PRACTICE) == EXPECTED


def test_the_same_from_the_parent_folder_on_each_file_and_on_pre_commits_list(
        run: Run, practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(practice.parent)
    assert findings(run, "practice", cwd=practice) == EXPECTED
    monkeypatch.chdir(practice)
    for path in sorted({f[0] for f in EXPECTED}):
        shown = (path, EXPORT) if path == "vendors/google-workspace.yaml" else (path,)
        assert findings(run, path, cwd=practice) == [f for f in EXPECTED if f[0] in shown], path
    changed = [POLICY, FORM, "vendors/spruce.yaml"]
    assert findings(run, *changed, cwd=practice) == [f for f in EXPECTED if f[0] in changed]


def test_markdown_fact_tables_give_the_roster_and_the_approved_vendors(run: Run, practice: Path) -> None:
    # the rows are facts, not clauses: each licence at its row; the vendors are approved (no SM405, no SM030)
    mapped = json.loads(run("explain-policy", str(practice / POLICY), "--format", "json").stdout)
    assert not [c for c in mapped["concepts"] if c.get("line") in (44, 45, 46, 47, 51, 52, 53, 54, 55)]
    policy = practice / POLICY
    text = policy.read_text(encoding="utf-8")
    # a vendor the table leaves out is not approved: SM405 at the vendor's name
    policy.write_text(text.replace("| Spruce | texting and calls |\n", ""), encoding="utf-8")
    assert ("vendors/spruce.yaml", "SM405", 2, 1) in findings(run, practice, cwd=practice)
    # the front matter wins where both give the list
    policy.write_text(text.replace("covered_entity: false\n", "covered_entity: false\napproved_vendors: [Doxy.me]\n"),
                      encoding="utf-8")
    assert [f for f in findings(run, practice, cwd=practice) if f[1] == "SM405"] == [
        ("vendors/google-workspace.yaml", "SM405", 2, 1), ("vendors/spruce.yaml", "SM405", 2, 1)]
    # without the licence table there is no roster: SM134 at the front matter's telehealth section
    policy.write_text(text.replace("| Washington | LICSW | LW-60811 | 2026-06-30 |\n", "")
                      .replace("| Oregon | LCSW | L-4471 | 2027-09-30 |\n", "")
                      .replace("| State | License | Number | Expires |\n|-------|---------|--------|---------|\n", ""),
                      encoding="utf-8")
    assert [f for f in findings(run, practice, cwd=practice) if f[0] == POLICY and f[1] in ("SM134", "SM135")] == [
        (POLICY, "SM134", 12, 3)]


def test_a_covered_entity_gets_hipaas_review_and_training_record_instead(run: Run, practice: Path) -> None:
    (practice / ".smlint.yaml").write_text("profile: {covered_entity: true}\n", encoding="utf-8")
    policy = practice / POLICY
    policy.write_text(policy.read_text(encoding="utf-8").replace("covered_entity: false", "covered_entity: true"),
                      encoding="utf-8")
    got = [f for f in findings(run, practice, cwd=practice) if f[0] == POLICY]
    assert got == [(POLICY, "SM101", 7, 1), (POLICY, "SM131", 14, 3), (POLICY, "SM135", 47, 1),
                   (POLICY, "SM139", 27, 1)]


def test_outside_hipaa_a_missing_training_date_and_breach_procedure_are_warnings(run: Run, practice: Path) -> None:
    policy = practice / POLICY
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("  training:\n    last_completed: 2026-05-02\n", "")
                      .replace("I will tell each\naffected client as soon as I can", "I will look into it"),
                      encoding="utf-8")
    result = run("check", str(practice), "--format", "json", "--today", TODAY, "--select", "SM6")
    # SM604 at the Training heading: the section is there, its date is not
    assert sorted((f["rule"], f["line"], f["severity"]) for f in json.loads(result.stdout)["findings"]) == [
        ("SM601", 11, "warning"), ("SM603", 7, "warning"), ("SM604", 68, "warning")]
    assert result.exit_code == 0


def test_a_yaml_clause_detail_left_out_is_read_from_the_clause_text(run: Run, practice: Path) -> None:
    form = practice / FORM
    text = form.read_text(encoding="utf-8")
    # recorded as not offered: reported, whatever the text says
    form.write_text(text.replace("number or address for me to use.\n",
                                 "number or address for me to use.\n    alternative_address: false\n"),
                    encoding="utf-8")
    assert findings(run, form, cwd=practice, rules="SM219") == [(FORM, "SM219", 22, 5)]
    # a text that offers nothing else is the clause without the detail
    form.write_text(text.replace(" You can give a different\n      number or address for me to use.", ""),
                    encoding="utf-8")
    assert findings(run, form, cwd=practice, rules="SM219") == [(FORM, "SM219", 18, 3)]
    # a texting consent recorded as not written is reported even in a signed form
    form.write_text(text.replace("texting at any time.\n", "texting at any time.\n    written: false\n"),
                    encoding="utf-8")
    assert findings(run, form, cwd=practice, rules="SM215") == [(FORM, "SM215", 14, 3)]
    form.write_text(text.replace("signature:\n  client: true\n  date: true\n", ""), encoding="utf-8")
    assert findings(run, form, cwd=practice, rules="SM215") == [(FORM, "SM215", 14, 3)]


def test_the_html_report_says_which_laws_bind_only_covered_entities(run: Run) -> None:
    result = run("check", str(PRACTICE), "--format", "html", "--today", TODAY, "--select", "SM363")
    assert result.exit_code == 1
    assert ("<strong>Law and status:</strong> NASW Code of Ethics (2017 standards, as revised in 2021) (in-force); "
            "HIPAA Security Rule (45 CFR 164 Subpart C, 164.302-318) (in-force; binds HIPAA covered entities)</p>"
            in result.stdout)
