"""A user test: a counselling group practice with a Word policy, Microsoft 365 and an EHR's couples intake.

tests/acceptance/data/counselling-group/ is a minimised copy of an agency a compliance officer wrote from the
README, the docs and the schemas alone, with the expected findings written before smlint was run (its README
lists them). Of the full agency's 31 first-run findings, 10 were not so; two planted defects were missed. What
these files keep:

- the Word policy: "We do not search for clients ... A search is allowed only when ..." was read as a
  contradiction (SM040); "only with the practice's device management app installed", "backs up our records every
  night", "If our power or internet is out", "reported to HHS once a year" and "last completed the annual training
  on January 14, 2026" were not read (SM166, SM127, SM126, SM124, SM131); texting "once the client has agreed
  verbally" was taken as written consent because the e-mail sentence above it, under a heading naming both, says
  "written consent" (SM139 missed);
- the EHR's Questionnaire: "video counseling sessions" and "can let others know" were not read (SM203 instead of
  SM204, SM208);
- the ScubaGear export: Microsoft's preset Teams policies were judged as if assigned (SM373, SM374);
- the project context: a vendor's named export was read only when the vendor file itself was checked, so the
  policy checked alone (pre-commit) lost SM408 and Square's SM030 named the wrong rule.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, copy_of, trial_findings

PRACTICE = ROOT / "tests" / "acceptance" / "data" / "counselling-group"
TODAY = "2026-12-03"
# the rules the first run got wrong or missed, and the ones the planted defects fall under
RULES = ("SM030,SM040,SM101,SM111,SM112,SM123,SM124,SM126,SM127,SM131,SM139,SM166,SM203,SM204,SM205,SM208,"
         "SM313,SM372,SM373,SM374,SM375,SM376,SM408")
EXPORT = "exports/ScubaResults_3f6c2a9e.json"
POLICY = "policies/technology-policy.docx"
EXPECTED = [
    (EXPORT, "SM372", 8, 3),  # the all-users MFA policy is report-only
    (EXPORT, "SM373", 97, 5),  # the Global policy allows cloud recording (not the presets below it)
    ("intake/couples-intake-questionnaire.json", "SM204", 8, 5),  # identity confirmed, location not
    (POLICY, "SM101", 5, 1),  # last reviewed 09/01/2025, annual
    (POLICY, "SM123", 25, 1),  # clients told within 90 days
    (POLICY, "SM139", 14, 1),  # texting on verbal agreement
    (POLICY, "SM408", 20, 1),  # MFA promised; Microsoft 365 does not enforce it
    ("vendors/microsoft-365.yaml", "SM313", 17, 1),  # read from the export
    ("vendors/square.yaml", "SM030", 1, 1),  # two-factor sign-in not recorded
]


def findings(run: Run, *paths: str | Path, cwd: Path = PRACTICE, rules: str = RULES) -> list[tuple[str, str, int, int]]:
    return trial_findings(run, *paths, cwd=cwd, today=TODAY, rules=rules)


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    return copy_of(PRACTICE, tmp_path)


def test_only_the_expected_findings_are_reported(run: Run) -> None:
    assert findings(run, PRACTICE) == EXPECTED


def test_the_same_from_the_parent_folder_and_on_each_file_alone(
        run: Run, practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(practice.parent)
    assert findings(run, "agency", cwd=practice) == EXPECTED
    monkeypatch.chdir(practice)
    for path in sorted({f[0] for f in EXPECTED}):
        # a vendor file's named export is part of its record: checked with it (docs/formats.md)
        shown = (path, EXPORT) if path == "vendors/microsoft-365.yaml" else (path,)
        assert findings(run, path, cwd=practice) == [f for f in EXPECTED if f[0] in shown], path
    # the files pre-commit passes when the policy and one vendor change: the vendor's export still counts
    assert findings(run, POLICY, "vendors/square.yaml", cwd=practice) == [
        f for f in EXPECTED if f[0] in (POLICY, "vendors/square.yaml")]


def test_square_is_asked_for_two_factor_sign_in_for_the_same_rules_whatever_is_checked(
        run: Run, practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(practice)
    messages = []
    for paths in ((".",), ("vendors/square.yaml",), ("vendors/square.yaml", POLICY)):
        result = run("check", *paths, "--format", "json", "--today", TODAY, "--select", RULES)
        (message,) = [f["message"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "SM030"]
        messages.append(message)
    assert messages == [messages[0]] * 3
    assert "(needed by SM313)" in messages[0]


def test_a_changed_export_changes_the_policy_checked_alone_on_the_next_run(
        run: Run, practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's cache keeps a vendor file's facts with the size and time of the exports it names."""
    monkeypatch.delenv("SMLINT_NO_CACHE")  # tests/conftest.py turns the cache off for the checkout's examples
    monkeypatch.chdir(practice)
    assert findings(run, POLICY, cwd=practice, rules="SM408") == [(POLICY, "SM408", 20, 1)]
    assert findings(run, POLICY, cwd=practice, rules="SM408") == [(POLICY, "SM408", 20, 1)]  # from the cache
    export = practice / EXPORT
    export.write_text(export.read_text(encoding="utf-8").replace('"enabledForReportingButNotEnforced"',
                                                                 '"enabled"'), encoding="utf-8")
    assert findings(run, POLICY, cwd=practice, rules="SM408") == []
    assert (practice / ".smlint_cache").is_dir()


def test_a_copied_project_judges_its_own_exports_with_the_cache_it_brought(
        run: Run, practice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy keeps its files' times (copytree, like `cp -p` or a restored backup) and its cache: the cache names
    the exports relative to the project, so the copy's own export decides, not the original's."""
    monkeypatch.delenv("SMLINT_NO_CACHE")
    monkeypatch.chdir(practice)
    assert findings(run, POLICY, cwd=practice, rules="SM408") == [(POLICY, "SM408", 20, 1)]
    copy = tmp_path / "copy"
    shutil.copytree(practice, copy)
    export = copy / EXPORT
    export.write_text(export.read_text(encoding="utf-8").replace('"enabledForReportingButNotEnforced"',
                                                                 '"enabled"'), encoding="utf-8")
    monkeypatch.chdir(copy)
    assert findings(run, POLICY, cwd=copy, rules="SM408") == []
    monkeypatch.chdir(practice)
    assert findings(run, POLICY, cwd=practice, rules="SM408") == [(POLICY, "SM408", 20, 1)]


def test_a_teams_policy_of_the_agencys_own_is_judged_like_the_global_one(run: Run, practice: Path) -> None:
    export = practice / EXPORT
    data = json.loads(export.read_text(encoding="utf-8"))
    data["Raw"]["meeting_policies"].append({"Identity": "Tag:Clinicians", "AllowCloudRecording": False,
                                            "AllowTranscription": True, "AutoAdmittedUsers": "Everyone"})
    export.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    assert findings(run, practice, cwd=practice, rules="SM373,SM374,SM375") == [
        (EXPORT, "SM373", 97, 5), (EXPORT, "SM374", 128, 5), (EXPORT, "SM375", 129, 5)]
