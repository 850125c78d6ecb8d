"""A user test: a group practice with a 42 CFR Part 2 program and an adolescent program.

tests/acceptance/data/group-practice/ is a minimized copy of an agency a compliance officer wrote from the
README, the docs and the schemas alone, with the expected findings written before smlint was run (its README
lists them). The first run reported, besides the two planted findings, seven things that were not so: a Part 2
consent kept on the program's own supplement form not counted for the main intake (SM231); an EHR
Questionnaire's guardian signature, Notice of Privacy Practices acknowledgement, communication risks and client
state not read (SM212, SM214, SM218, SM420, SM424); a pure conduit asked to be an approved vendor (SM405); and a
policy listing telehealth states and licences said not to cover telehealth (SM413). It also missed the waiting
room recorded as off in a vendor file (SM327 now; SM352 said so only for a Zoom export), and SM232 did not say
which element of the Part 2 consent was missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, copy_of, trial_findings

PRACTICE = ROOT / "tests" / "acceptance" / "data" / "group-practice"
TODAY = "2026-12-02"
# the rules the first run got wrong, and the intake-form rules that read the Questionnaire
RULES = "SM2,SM231,SM232,SM327,SM405,SM413,SM420,SM424"
PLANTED = [
    ("intake/pathways-part2-consent.yaml", "SM232", 8, 3),  # no right to revoke
    ("vendors/zoom.yaml", "SM327", 10, 3),  # waiting room off, passcode on
]


def findings(run: Run, *paths: str | Path, cwd: Path = PRACTICE) -> list[tuple[str, str, int, int]]:
    return trial_findings(run, *paths, cwd=cwd, today=TODAY, rules=RULES)


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    return copy_of(PRACTICE, tmp_path)


def test_only_the_planted_findings_are_reported(run: Run) -> None:
    assert findings(run, PRACTICE) == PLANTED


def test_the_same_from_the_parent_folder_from_a_subfolder_and_on_one_file(
        run: Run, practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(practice.parent)
    assert findings(run, "agency", cwd=practice) == PLANTED
    monkeypatch.chdir(practice)
    assert findings(run, "intake", cwd=practice) == PLANTED[:1]
    assert findings(run, "vendors/zoom.yaml", cwd=practice) == PLANTED[1:]
    # each form judged alone still sees the project's other forms: the Part 2 consent supplements the adult intake
    for form in ("intake/adult-intake.yaml", "intake/anchor-adolescent-intake.json"):
        assert findings(run, form, cwd=practice) == []
    assert findings(run, "vendors/comcast-internet.yaml", cwd=practice) == []


def test_part2_consent_is_asked_for_when_no_form_of_the_set_carries_it(run: Run, practice: Path) -> None:
    (practice / "intake" / "pathways-part2-consent.yaml").unlink()
    assert findings(run, practice, cwd=practice) == [
        ("intake/adult-intake.yaml", "SM231", 9, 1),
        ("vendors/zoom.yaml", "SM327", 10, 3),
    ]


def test_part2_consent_on_a_form_that_does_not_supplement_this_one_does_not_cover_it(
        run: Run, practice: Path) -> None:
    consent = practice / "intake" / "pathways-part2-consent.yaml"
    consent.write_text(consent.read_text(encoding="utf-8").replace("supplements: adult-intake\n", ""),
                       encoding="utf-8")
    assert [f for f in findings(run, practice, cwd=practice) if f[1] == "SM231"] == [
        ("intake/adult-intake.yaml", "SM231", 9, 1)]


def test_only_the_agency_knows_which_forms_the_part2_program_does_not_serve(run: Run, practice: Path) -> None:
    config = practice / ".smlint.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '  "intake/anchor-adolescent-intake.json": [SM231]\n', '  "intake/none.json": [SM231]\n'), encoding="utf-8")
    assert findings(run, practice, cwd=practice) == sorted([
        ("intake/anchor-adolescent-intake.json", "SM231", 9, 3),  # at the Questionnaire's item list
        *PLANTED,
    ])


def test_part2_consent_names_each_missing_element(run: Run, practice: Path) -> None:
    consent = practice / "intake" / "pathways-part2-consent.yaml"
    consent.write_text(consent.read_text(encoding="utf-8").replace("    states_purpose: true\n", ""),
                       encoding="utf-8")
    result = run("check", str(consent), "--format", "json", "--today", TODAY, "--select", "SM232")
    assert [(f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        (8, 3, "the Part 2 consent does not record the purpose of the disclosure"),
        (8, 3, "the Part 2 consent does not record the client's right to revoke it"),
    ]


def test_a_guardian_signature_the_questionnaire_lacks_is_reported(run: Run, practice: Path) -> None:
    form = practice / "intake" / "anchor-adolescent-intake.json"
    data = json.loads(form.read_text(encoding="utf-8"))
    data["item"] = [item for item in data["item"] if item["linkId"] != "g4.2"]
    form.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert findings(run, practice, cwd=practice) == sorted([
        ("intake/anchor-adolescent-intake.json", "SM218", 9, 3),  # at the item list
        ("policies/technology-policy.yaml", "SM424", 2, 1),
        *PLANTED,
    ])


def test_a_policy_that_says_telehealth_is_not_offered_does_not_cover_it(run: Run, practice: Path) -> None:
    policy = practice / "policies" / "technology-policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(
        "  telehealth:\n", "  telehealth:\n    offered: false\n"), encoding="utf-8")
    assert ("policies/technology-policy.yaml", "SM413", 10, 5) in findings(run, practice, cwd=practice)


def test_a_conduit_that_keeps_something_must_still_be_approved(run: Run, practice: Path) -> None:
    vendor = practice / "vendors" / "comcast-internet.yaml"
    vendor.write_text(vendor.read_text(encoding="utf-8").replace("stores: [none]", "stores: [voicemail]"),
                      encoding="utf-8")
    assert ("vendors/comcast-internet.yaml", "SM405", 2, 1) in findings(run, practice, cwd=practice)


def test_a_part2_consent_item_in_the_ehr_s_words_is_read_with_its_elements(run: Run, practice: Path) -> None:
    (practice / "intake" / "pathways-part2-consent.yaml").unlink()
    form = practice / "intake" / "anchor-adolescent-intake.json"
    data = json.loads(form.read_text(encoding="utf-8"))
    data["item"].append({"linkId": "p2", "type": "boolean", "required": True,
                         "text": "I authorize Harbor Light to disclose my substance use disorder records to the "
                                 "person named below, for the purpose below, until the date below."})
    form.write_text(json.dumps(data, indent=2), encoding="utf-8")
    line = form.read_text(encoding="utf-8").splitlines().index('      "linkId": "p2",')  # the item's "{" above
    # the adult intake has no consent of its own or from a supplement; the item lacks only the right to revoke
    assert findings(run, practice, cwd=practice) == sorted([
        ("intake/adult-intake.yaml", "SM231", 9, 1),
        ("intake/anchor-adolescent-intake.json", "SM232", line, 5),
        ("vendors/zoom.yaml", "SM327", 10, 3),
    ])
