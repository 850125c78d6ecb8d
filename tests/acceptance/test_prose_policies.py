"""Markdown policies through the CLI: discovery, findings with lines and heading paths, suppressions,
`explain-policy`, and the same facts as the YAML policy they restate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TODAY, Run, run_cli

HEAD = """\
---
kind: policy
organisation: Riverbend Counseling
version: "2026.1"
effective: 2026-01-05
last_reviewed: 2026-01-05
approved_by: {name: Dana Ortiz, role: Clinical Director}
---
"""

BODY = """\
# Technology Policy

## Social media

Staff will not accept friend or follow requests from current or former clients.

## Boundaries

Clinicians may accept friend requests from clients when it seems harmless.
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    return tmp_path


def check(*args: str) -> dict[str, object]:
    result = run_cli("check", *args, "--today", TODAY, "--format", "json")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def where(report: dict[str, object], rule: str) -> list[tuple[int, int, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["line"], f["column"], f["message"]) for f in findings if f["rule"] == rule]


def test_findings_point_at_the_clause_and_name_its_heading_path(work: Path) -> None:
    (work / "policy.md").write_text(HEAD + BODY, encoding="utf-8")
    report = check("policy.md")
    assert where(report, "SM040") == [(
        17, 1, "this clause contradicts the one at line 13 on 'Staff do not friend, follow or connect with clients on "
        "social media'; the policy is read as allowing it until one of them is changed (under 'Technology Policy > "
        "Boundaries')")]
    assert where(report, "SM103") == [(
        17, 1, "the social networking section does not forbid connecting with clients on social media (under "
        "'Technology Policy > Boundaries')")]
    # a section the policy lacks is reported at the first heading (the top of the text), as not found
    assert (9, 1, "the policy has no 'texting' section (no clause on this was found in the text)") in where(
        report, "SM102")
    assert where(report, "SM001") == []  # the front matter satisfies the policy schema


def test_a_fact_the_reader_did_not_find_is_said_to_be_not_found(work: Path) -> None:
    """Absent is not false: the reader misses wording it does not know, so a finding about a clause it did not
    find says so, in Markdown as in Word; a clause it read keeps its place, and YAML keeps its plain message."""
    (work / "policy.md").write_text(HEAD + BODY, encoding="utf-8")
    report = check("policy.md")
    assert where(report, "SM104") == [(
        11, 1, "the policy does not forbid contacting clients through technology for personal reasons (no clause on "
        "this was found in the text)")]
    assert where(report, "SM103")[0][2].endswith("(under 'Technology Policy > Boundaries')")  # read: its place
    yaml = HEAD.replace("---\n", "", 1).replace("---\n", "") + "sections:\n  social_networking:\n    text: x\n"
    (work / "policy.yaml").write_text(yaml, encoding="utf-8")
    assert [m for _, _, m in where(check("policy.yaml"), "SM104")] == [
        "the policy does not forbid contacting clients through technology for personal reasons"]


def test_a_walk_reads_policies_and_skips_other_markdown(work: Path) -> None:
    (work / "docs").mkdir()
    (work / "docs" / "policy.md").write_text(HEAD + BODY, encoding="utf-8")
    (work / "README.md").write_text("# About\n\nStaff may accept friend requests from clients.\n", encoding="utf-8")
    (work / "notes.md").write_text("---\nlayout: post\n---\n# Notes\n", encoding="utf-8")
    result = run_cli("check", ".", "--today", TODAY, "--format", "json")
    report = json.loads(result.stdout)
    assert {f["path"] for f in report["findings"]} == {"docs/policy.md"}
    assert report["summary"]["files"] == 1  # README.md and notes.md are not read
    assert result.stderr == ""


def test_config_kinds_make_plain_markdown_a_policy(work: Path) -> None:
    (work / ".smlint.yaml").write_text("kinds:\n  'policies/*.md': policy\n", encoding="utf-8")
    (work / "policies").mkdir()
    (work / "policies" / "p.md").write_text("# Texting\n\nStaff do not text clients.\n", encoding="utf-8")
    report = check(".")
    missing = [(f["line"], f["message"]) for f in report["findings"] if f["rule"] == "SM001"]
    assert missing == [(1, f"the document is missing the required field '{name}'")
                       for name in ("organisation", "version", "effective", "last_reviewed", "approved_by")]
    assert report["summary"]["files"] == 1


def test_bad_front_matter_is_sm000_with_file_and_line(work: Path) -> None:
    (work / "policy.md").write_text("---\nkind: policy\norganisation: 'Riverbend\n---\n# P\n", encoding="utf-8")
    result = run_cli("check", "policy.md", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stdout.startswith("policy.md\n  4:1  error    SM000  YAML syntax error")


def test_markdown_suppressions_hide_the_next_line_or_their_own(work: Path) -> None:
    body = BODY.replace("Clinicians may", "<!-- smlint: disable=SM040,SM103 -- former clients only, see minutes -->"
                                          "\nClinicians may")
    (work / "policy.md").write_text(HEAD + body, encoding="utf-8")
    report = check("policy.md")
    assert where(report, "SM040") == where(report, "SM103") == []
    suppressed = report["suppressed"]
    assert isinstance(suppressed, list)
    assert sorted((s["rule"], s["line"]) for s in suppressed) == [("SM040", 18), ("SM103", 18)]
    (work / "policy.md").write_text(HEAD + BODY.replace(
        "seems harmless.", "seems harmless. <!-- smlint: disable=SM040 -->"), encoding="utf-8")
    report = check("policy.md")
    assert [line for line, _, _ in where(report, "SM010")] == [17]  # no reason: reported, suppresses nothing
    assert [line for line, _, _ in where(report, "SM040")] == [17]


def test_explain_policy_lists_each_concept_with_its_place_and_scrubbed_text(work: Path) -> None:
    text = HEAD + BODY + "\n## Texting\n\nStaff may text clients (say Jane Doe, SSN 078-05-1120) about times.\n"
    (work / "policy.md").write_text(text, encoding="utf-8")
    result = run_cli("explain-policy", "policy.md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "policy.md: 3 of 109 concepts found (2 established, 1 contradicted, 106 not found)"
    assert lines[2] == "Sections by heading: social_networking (line 11), texting (line 19)"
    assert "  contradicted  client-connections  17:1 [under 'Technology Policy > Boundaries']" in lines
    assert "078-05-1120" not in result.stdout and "Jane Doe" not in result.stdout
    assert "***-**-1120" in result.stdout
    data = json.loads(run_cli("explain-policy", "policy.md", "--format", "json").stdout)
    rows = {row["concept"]: row for row in data["concepts"]}
    assert (rows["texting-allowed"]["state"], rows["texting-allowed"]["line"]) == ("established", 21)
    assert rows["encryption-at-rest"] == {"concept": "encryption-at-rest", "family": "security",
                                          "field": "/sections/electronic_communication/encryption_at_rest",
                                          "title": "Stored client information is encrypted", "state": "not found"}


def test_explain_policy_refuses_other_files_with_exit_2(work: Path) -> None:
    (work / "p.yaml").write_text("kind: policy\n", encoding="utf-8")
    result = run_cli("explain-policy", "p.yaml")
    assert (result.exit_code, result.stderr) == (
        2, "smlint: error: p.yaml: explain-policy reads Markdown (.md) and Word (.docx) policies\n")


YAML_POLICY = """\
kind: policy
organisation: Riverbend Counseling
version: "2026.1"
effective: 2026-01-05
last_reviewed: 2026-01-05
approved_by: {name: Dana Ortiz, role: Clinical Director}
sections:
  social_networking:
    text: Staff do not connect with clients.
    prohibits_client_connections: true
    applies_to_former_clients: true
    prohibits_personal_contact: true
  texting:
    text: Texting rules.
    allowed: true
    requires_written_consent: true
  electronic_communication:
    text: Security.
    encryption_in_transit: true
    mfa_required: false
"""

MARKDOWN_POLICY = HEAD + """\
# Technology Policy

## Social media

Staff will not accept friend requests from current or former clients. Staff do not contact clients for personal
reasons.

## Texting

Staff may text clients once the client has signed a written consent to texting.

## Security

All client information is encrypted in transit. Multi-factor authentication is optional.
"""


def test_the_same_policy_as_yaml_and_as_markdown_gives_the_same_findings(work: Path) -> None:
    (work / "a").mkdir()
    (work / "b").mkdir()
    (work / "a" / "policy.yaml").write_text(YAML_POLICY, encoding="utf-8")
    (work / "b" / "policy.md").write_text(MARKDOWN_POLICY, encoding="utf-8")
    as_yaml = check("a/policy.yaml")["findings"]
    as_markdown = check("b/policy.md")["findings"]
    assert isinstance(as_yaml, list) and isinstance(as_markdown, list)
    assert sorted((f["rule"], f["pointer"]) for f in as_yaml) == sorted((f["rule"], f["pointer"]) for f in as_markdown)
    assert ("SM119", "/sections/electronic_communication/mfa_required") in {(f["rule"], f["pointer"]) for f in as_yaml}


def test_the_run_reports_markdown_findings_in_sarif_with_line_and_column(run: Run, work: Path) -> None:
    (work / "policy.md").write_text(HEAD + BODY, encoding="utf-8")
    sarif = json.loads(run_cli("check", "policy.md", "--today", TODAY, "--format", "sarif").stdout)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SM040"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (17, 1)
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policy.md"


PROSE_EXAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "prose" / "examples"


def rules_by_file(folder: Path) -> list[tuple[str, str]]:
    result = run_cli("check", str(folder), "--today", TODAY, "--format", "json")
    return sorted((f["rule"], Path(f["path"]).with_suffix("").name) for f in json.loads(result.stdout)["findings"])


def agency_with(work: Path, agency: str, name: str, policy: Path | None) -> Path:
    """A copy of a shipped agency (examples/) with its policy replaced by `policy`, saved as `name`."""
    import shutil

    from tests.conftest import EXAMPLES

    folder = work / name
    shutil.copytree(EXAMPLES / agency, folder)
    if policy is not None:
        for kept in (folder / "policies").iterdir():
            kept.unlink()
        stem = {"compliant": "social-media-technology-policy", "noncompliant": "technology-policy"}[agency]
        shutil.copy(policy, folder / "policies" / f"{stem}{policy.suffix}")
    return folder


def test_the_compliant_agency_is_clean_with_its_policy_as_markdown_or_as_yaml(work: Path) -> None:
    """Riverbend keeps its policy as Markdown (examples/compliant/policies/*.md); the same policy as
    YAML gives the same (no) findings."""
    assert rules_by_file(agency_with(work, "compliant", "markdown", None)) == []
    assert rules_by_file(agency_with(work, "compliant", "yaml", PROSE_EXAMPLES / "compliant-policy.yaml")) == []


def test_the_noncompliant_agency_gives_the_same_findings_as_word_markdown_or_yaml(work: Path) -> None:
    """Lakeside keeps its policy as Word (examples/noncompliant/policies/technology-policy.docx). The same
    policy as YAML and as Markdown: the same rules fire on the same files, cross-artifact rules included;
    only the places differ. The one difference of the Word file: YAML and Markdown record that the policy
    relies on the COVID-19 telehealth waiver in `relies_on` (SM185), Word says it in a clause (SM043)."""
    as_word = rules_by_file(agency_with(work, "noncompliant", "word", None))
    as_yaml = rules_by_file(agency_with(work, "noncompliant", "yaml", PROSE_EXAMPLES / "noncompliant-policy.yaml"))
    as_markdown = rules_by_file(agency_with(work, "noncompliant", "markdown",
                                            PROSE_EXAMPLES / "noncompliant-policy.md"))
    assert len(as_yaml) >= 150  # other rules may be added to the agency
    assert as_markdown == as_yaml
    policy = "technology-policy"
    assert sorted((set(as_yaml) - set(as_word)) | (set(as_word) - set(as_yaml))) == [
        ("SM043", policy), ("SM185", policy)]
    assert [f for f in as_yaml if f != ("SM185", policy)] == [f for f in as_word if f != ("SM043", policy)]


def test_the_committed_prose_policies_are_what_the_script_writes() -> None:
    """examples/compliant/policies/*.md, examples/noncompliant/policies/*.docx and the Markdown version of
    the noncompliant policy are written by tests/corpus/prose/examples/regenerate.py from the YAML policies:
    run it after changing them. The Word file is compared as smlint reads it (its blocks and metadata),
    and byte for byte, since the script fixes its dates."""
    from smlint.loader import DEFAULT_LIMITS
    from smlint.prose import docx_blocks
    from tests.conftest import ROOT
    from tests.corpus.prose.examples.regenerate import outputs

    for path, content in outputs().items():
        committed = (ROOT / path).read_bytes()
        if path.suffix == ".docx":
            assert docx_blocks(committed, DEFAULT_LIMITS) == docx_blocks(content, DEFAULT_LIMITS), path
            assert committed == content, f"{path}: run tests/corpus/prose/examples/regenerate.py"
        else:
            assert committed.decode() == content.decode(), f"{path}: run tests/corpus/prose/examples/regenerate.py"


def test_init_writes_a_markdown_policy_that_passes_like_the_yaml_one(work: Path) -> None:
    assert run_cli("init", "y", "--state", "OR").exit_code == 0
    result = run_cli("init", "m", "--state", "OR", "--policy-format", "markdown")
    assert result.exit_code == 0
    assert "  policies/social-media-technology-policy.md" in result.stdout.splitlines()
    assert not (work / "m" / "policies" / "social-media-technology-policy.yaml").exists()
    text = (work / "m" / "policies" / "social-media-technology-policy.md").read_text(encoding="utf-8")
    assert text.startswith("---\n# Written by `smlint init --policy-format markdown`.")
    assert "\n## Texting\n\nStaff may text clients only through" in text
    as_yaml, as_markdown = rules_by_file(work / "y"), rules_by_file(work / "m")
    assert {rule for rule, _ in as_yaml} == {"SM020"}  # only the placeholders to fill in
    assert as_markdown == as_yaml


def placeholders(folder: Path) -> list[str]:
    report = json.loads(run_cli("check", str(folder), "--today", TODAY, "--format", "json").stdout)
    assert {f["rule"] for f in report["findings"]} == {"SM020"}  # a scaffold passes: only the to-do list
    return sorted(f["pointer"] for f in report["findings"] if "/policies/" in f["path"])


def test_init_writes_a_word_policy_that_passes_like_the_yaml_one(work: Path) -> None:
    assert run_cli("init", "y", "--state", "OR").exit_code == 0
    result = run_cli("init", "w", "--state", "OR", "--policy-format", "docx")
    assert result.exit_code == 0
    assert "  policies/social-media-technology-policy.docx" in result.stdout.splitlines()
    assert not (work / "w" / "policies" / "social-media-technology-policy.yaml").exists()
    explained = run_cli("explain-policy", "w/policies/social-media-technology-policy.docx")
    assert explained.exit_code == 0
    assert "  established   texting-written-consent  " in explained.stdout
    # The same to-do list, except that the Word text names the people and dates the YAML keeps in fields
    # (so four paragraphs hold a placeholder), and a Word policy has no form for the approved platforms.
    in_yaml, in_word = placeholders(work / "y"), placeholders(work / "w")
    assert sorted(set(in_yaml) - set(in_word)) == ["/sections/voip_video/approved_platforms/0",
                                                   "/sections/voip_video/approved_platforms/1"]
    assert sorted(set(in_word) - set(in_yaml)) == [f"/sections/{key}/text" for key in (
        "contingency", "privacy", "security_management", "training")]
    assert len(in_word) == len(set(in_word))


def test_init_docx_without_python_docx_says_how_to_install_it_and_writes_nothing(
        work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)  # as if the `docx` extra were not installed
    result = run_cli("init", "w", "--policy-format", "docx")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("smlint: error: writing a Word policy needs the python-docx package, which is not "
                             "installed: pip install 'smlint[docx]' (or choose --policy-format markdown or yaml)\n")
    assert not (work / "w").exists()
