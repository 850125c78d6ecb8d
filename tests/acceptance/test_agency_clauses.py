"""An agency's own clause families: `clauses/*.yaml` beside its custom rules (`rules_dirs`), read with
the built-in catalogue, validated with file and line (docs/clause-catalogue.md#an-agencys-own-clauses).
Every expected finding and message below was written before running smlint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TODAY, run_cli

POLICY = """\
---
kind: policy
organisation: Harbor Counseling
version: "3"
effective: 2026-01-05
last_reviewed: 2026-01-05
approved_by: {name: Dana Ortiz, role: Clinical Director}
---
# Harbor Counseling Policy

## Our life outside work

We keep our personal and professional lives apart online.

## Telehealth

Video sessions follow Executive Order 20-12 on telehealth.
"""

FAMILY = """\
# Harbor's own wording (Harbor keeps it beside its custom rules)
family: harbor-wording
title: How Harbor writes its policy
sections:
  social_networking:
    headings: ["life outside work"]
concepts:
  - name: separate-lives-online
    field: /sections/social_networking/prohibits_client_connections
    title: Staff keep their personal and professional lives apart online
    establish:
      - "keep (?:our|their) (?:personal and professional|professional and personal) lives apart online"
    contradict:
      - "(?:{{staff}}) may be friends with (?:{{client}}) online"
stale:
  - name: state-telehealth-order
    title: the state's 2020 telehealth executive order, which ended in 2023
    advice: cite the state's current telehealth rules instead
    patterns: ["executive order 20-?12"]
"""


@pytest.fixture
def agency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "rules" / "clauses").mkdir(parents=True)
    (tmp_path / "rules" / "clauses" / "harbor-wording.yaml").write_text(FAMILY, encoding="utf-8")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "policy.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text("rules_dirs: [rules]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    return tmp_path


def findings(*args: str) -> list[tuple[str, int, str]]:
    result = run_cli("check", *args, "--today", TODAY, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [(f["rule"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_the_agency_family_reads_its_wording_into_the_policy_facts(agency: Path) -> None:
    found = findings(".")
    rules = {rule for rule, _, _ in found}
    # the heading is the social networking section, and the clause forbids connecting with clients
    assert "SM103" not in rules
    assert ("SM102", 9, "the policy has no 'social_networking' section") not in found
    # its stale wording is reported where it stands
    assert ("SM043", 17, "this clause relies on the state's 2020 telehealth executive order, which ended in "
            "2023; cite the state's current telehealth rules instead (under 'Harbor Counseling Policy > Telehealth')"
            ) in found


def test_without_the_family_the_same_policy_records_neither(agency: Path) -> None:
    (agency / ".smlint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    found = findings(".")
    assert ("SM102", 9, "the policy has no 'social_networking' section (no clause on this was found in the text)") \
        in found
    assert not any(rule == "SM043" for rule, _, _ in found)


def test_explain_policy_lists_the_agency_concepts(agency: Path) -> None:
    result = run_cli("explain-policy", "policies/policy.md", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["concept"]: row for row in json.loads(result.stdout)["concepts"]}
    assert (rows["separate-lives-online"]["family"], rows["separate-lives-online"]["state"],
            rows["separate-lives-online"]["line"]) == ("harbor-wording", "established", 13)
    # from another folder, the file's own configuration still names the family
    other = agency / "elsewhere"
    other.mkdir()
    again = run_cli("explain-policy", str(agency / "policies" / "policy.md"))
    assert "  established   separate-lives-online  13:1" in again.stdout


def test_an_agency_concept_and_a_built_in_one_on_the_same_field_contradict(agency: Path) -> None:
    policy = agency / "policies" / "policy.md"
    policy.write_text(POLICY.replace("apart online.\n", "apart online.\n\nTherapists may accept friend requests "
                                                         "from clients.\n"), encoding="utf-8")
    found = findings(".")
    assert [(rule, line) for rule, line, _ in found if rule in ("SM040", "SM103")] == [("SM040", 15), ("SM103", 15)]


@pytest.mark.parametrize(("change", "line", "column", "message"), [
    (("    title: Staff keep their personal and professional lives apart online\n", ""), 8, 5,
     "invalid clause family: 'concepts item 1' is missing the required field 'title'"),
    (("/sections/social_networking/prohibits_client_connections", "/sections/social_networking/emoji_rules"), 9, 5,
     "'/sections/social_networking/emoji_rules' is not a field of the policy schema that a clause can set"),
    (("  - name: separate-lives-online", "  - name: client-connections"), 8, 5,
     "the concept 'client-connections' is already defined in the built-in catalogue"),
    (('"(?:{{staff}}) may be friends', '"(?=x)(?:{{staff}}) may be friends'), 14, 9,
     "pattern cannot be used: RE2, smlint's linear-time engine, cannot run it"),
    (("family: harbor-wording\n", "family: harbor-wording\nterms:\n  us: harbor\n"), 3, 1,
     "an agency's clause family uses the built-in terms"),
    (("field: /sections/social_networking/prohibits_client_connections",
      "field: /sections/privacy/privacy_official"), 9, 5,
     "'/sections/privacy/privacy_official' holds a string, but this concept would set a boolean"),
])
def test_a_broken_family_stops_the_run_naming_its_file_and_line(
        agency: Path, change: tuple[str, str], line: int, column: int, message: str) -> None:
    family = agency / "rules" / "clauses" / "harbor-wording.yaml"
    text = family.read_text(encoding="utf-8")
    assert change[0] in text
    family.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    for args in (("check", "."), ("check", "policies/policy.md"), ("explain-policy", "policies/policy.md"),
                 ("test-rules",)):
        result = run_cli(*args)
        assert result.exit_code == 2, (args, result.stdout)
        where = f"rules/clauses/harbor-wording.yaml:{line}:{column}"
        assert result.stderr.startswith(f"smlint: error: {where}: {message}"), (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_yaml_only_agency_with_a_broken_family_also_stops(agency: Path) -> None:
    """A broken family is a broken rules folder, as a broken rule file is, whatever the run reads."""
    (agency / "policies" / "policy.md").unlink()
    (agency / "vendors").mkdir()
    (agency / "vendors" / "zoom.yaml").write_text("kind: vendor\nname: Zoom\ncategory: video\n", encoding="utf-8")
    family = agency / "rules" / "clauses" / "harbor-wording.yaml"
    family.write_text(FAMILY.replace("field: /sections/social_networking/prohibits_client_connections",
                                     "field: /sections/nowhere/at_all"), encoding="utf-8")
    result = run_cli("check", ".")
    assert result.exit_code == 2
    assert result.stderr == ("smlint: error: rules/clauses/harbor-wording.yaml:9:5: '/sections/nowhere/at_all' is "
                             "not a field of the policy schema that a clause can set (schemas/policy.schema.json)\n")


def test_the_project_cache_is_read_again_when_a_family_changes(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index of the project's other files depends on how a prose policy is read: a changed family
    makes a new index, so a one-file run never uses facts read with the old family."""
    monkeypatch.delenv("SMLINT_NO_CACHE", raising=False)
    (agency / "vendors").mkdir()
    (agency / "vendors" / "zoom.yaml").write_text("kind: vendor\nname: Zoom\ncategory: video\n", encoding="utf-8")
    run_cli("check", "vendors/zoom.yaml", "--today", TODAY)
    before = sorted(p.name for p in (agency / ".smlint_cache").rglob("index-*.jsonl"))
    family = agency / "rules" / "clauses" / "harbor-wording.yaml"
    family.write_text(FAMILY.replace("apart online", "apart on the internet"), encoding="utf-8")
    run_cli("check", "vendors/zoom.yaml", "--today", TODAY)
    after = sorted(p.name for p in (agency / ".smlint_cache").rglob("index-*.jsonl"))
    assert len(before) == 1 and len(after) == 2 and before[0] in after


def test_worker_processes_read_with_the_agency_family(agency: Path) -> None:
    for n in range(6):  # enough files for two jobs to share them
        (agency / "policies" / f"copy-{n}.md").write_text(POLICY, encoding="utf-8")
    one, two = findings(".", "--jobs", "1"), findings(".", "--jobs", "2")
    assert one == two
    assert not any(rule == "SM103" for rule, _, _ in two)
    assert sum(1 for rule, _, _ in two if rule == "SM043") == 7
