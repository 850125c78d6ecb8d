"""Issue 18, class 5: a supplemental form is judged with the form it supplements, and agency-wide clauses
(search disclosure, social-media education, contact preference) are judged over the project's forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run

TODAY = "2026-06-01"

MAIN = """\
kind: intake-form
id: adult-intake
title: Adult Intake
version: "3"
acknowledges_policy: "2026.1"
last_reviewed: 2026-05-01
services: [in-person, phone, texting]
clauses:
  technology_policy_acknowledgement: {text: I received the policy., signature_required: true}
  electronic_communication_risks: {text: Texts and calls can be overheard., signature_required: true}
  texting_consent: {text: I agree to reminder texts., signature_required: true, written: true}
  recording_consent: {text: Sessions are never recorded without consent.}
  search_consent: {text: Staff do not search for clients online.}
  social_media_education:
    text: Check-ins, reviews and following your clinician can reveal you are a client.
    location_checkins: true
    rating_sites: true
    following_practitioner: true
  preferred_contact: {text: "How may we reach you?", alternative_address: true}
  contingency: {text: Your emergency contact, emergency_contact: true}
signature: {client: true, date: true}
"""

ADDENDUM = """\
kind: intake-form
title: Telehealth Addendum
version: "1"
acknowledges_policy: "2026.1"
last_reviewed: 2026-05-01
{supplements}services: [telehealth]
clauses:
  telehealth_consent:
    text: I agree to video sessions; my identity and location are checked; we discuss whether video suits me.
    signature_required: true
    identity_verification: true
    location_verification: true
    suitability_assessment: true
  contingency: {{text: If the video drops we call you back., callback_number: true}}
  client_location: {{text: State during sessions}}
signature: {{client: true, date: true}}
"""


def _agency(folder: Path, supplements: str = "", main: str = MAIN) -> Path:
    forms = folder / "forms"
    forms.mkdir(parents=True, exist_ok=True)
    (folder / ".smlint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    (forms / "adult-intake.yaml").write_text(main, encoding="utf-8")
    line = f"supplements: {supplements}\n" if supplements else ""
    (forms / "telehealth-addendum.yaml").write_text(ADDENDUM.format(supplements=line), encoding="utf-8")
    return forms


def _found(run: Run, *paths: Path) -> list[tuple[str, str, int, int, str]]:
    result = run("check", *map(str, paths), "--today", TODAY, "--format", "json", "--ignore", "SM4")
    assert result.exit_code in (0, 1), result.stderr
    return [(Path(f["path"]).name, f["rule"], f["line"], f["column"], f["pointer"])
            for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize("reference", ["adult-intake.yaml", "./adult-intake.yaml", "adult-intake"])
def test_addendum_that_supplements_the_main_form_passes(run: Run, tmp_path: Path, reference: str) -> None:
    forms = _agency(tmp_path / "agency", reference)
    assert _found(run, forms) == []
    # pre-commit passes only the addendum: the main form is seen through the project
    assert _found(run, forms / "telehealth-addendum.yaml") == []


def test_addendum_without_supplements_fails_only_for_what_is_not_agency_wide(run: Run, tmp_path: Path) -> None:
    forms = _agency(tmp_path / "agency")
    # search, social-media and contact clauses are agency-wide (the main form carries them); the policy
    # acknowledgement, recording consent, communication risks and emergency contact are not
    assert _found(run, forms / "telehealth-addendum.yaml") == [
        ("telehealth-addendum.yaml", "SM202", 7, 1, "/clauses/technology_policy_acknowledgement"),
        ("telehealth-addendum.yaml", "SM206", 7, 1, "/clauses/recording_consent"),
        ("telehealth-addendum.yaml", "SM212", 7, 1, "/clauses/electronic_communication_risks"),
        ("telehealth-addendum.yaml", "SM211", 14, 3, "/clauses/contingency"),
    ]


def test_a_supplement_is_not_reported_for_what_its_main_form_lacks(run: Run, tmp_path: Path) -> None:
    main = MAIN.replace("  recording_consent: {text: Sessions are never recorded without consent.}\n", "")
    forms = _agency(tmp_path / "agency", "adult-intake.yaml", main)
    assert _found(run, forms) == [("adult-intake.yaml", "SM206", 8, 1, "/clauses/recording_consent")]


def test_agency_wide_clause_carried_but_incomplete_still_fails(run: Run, tmp_path: Path) -> None:
    # the detail left out and not named by the clause's text either (a text naming it would count)
    main = MAIN.replace("    following_practitioner: true\n", "").replace(
        "Check-ins, reviews and following your clinician", "Check-ins and reviews")
    forms = _agency(tmp_path / "agency", main=main)
    found = _found(run, forms)
    # the main form's own clause is incomplete; the addendum, which has none, is reported too, since no
    # form of the project carries a complete one
    assert [f for f in found if f[1] == "SM208"] == [
        ("adult-intake.yaml", "SM208", 14, 3, "/clauses/social_media_education"),
        ("telehealth-addendum.yaml", "SM208", 7, 1, "/clauses"),
    ]


def test_unknown_supplements_reference_is_reported_at_it(run: Run, tmp_path: Path) -> None:
    forms = _agency(tmp_path / "agency", "adult-intak.yaml")
    assert [f for f in _found(run, forms) if f[1] == "SM220"] == [
        ("telehealth-addendum.yaml", "SM220", 6, 1, "/supplements")]


def test_supplements_cycle_ends(run: Run, tmp_path: Path) -> None:
    forms = _agency(tmp_path / "agency", "adult-intake.yaml", MAIN.replace("id: adult-intake\n",
                                                                       "id: adult-intake\nsupplements: "
                                                                       "telehealth-addendum.yaml\n"))
    assert _found(run, forms) == []


def test_fhir_questionnaire_supplements_a_yaml_form(run: Run, tmp_path: Path) -> None:
    forms = _agency(tmp_path / "agency")
    (forms / "telehealth-addendum.yaml").unlink()
    questionnaire = {"resourceType": "Questionnaire", "id": "video-addendum", "status": "active", "version": "1",
                     "lastReviewDate": "2026-05-01", "item": [
                         {"linkId": "v1", "type": "boolean", "required": True,
                          "text": "I agree to video sessions; my clinician confirms who is present and where I am, "
                                  "and we discuss whether video suits me."},
                         {"linkId": "v2", "type": "string", "text": "Call-back number if the video drops"},
                         {"linkId": "v3", "type": "choice", "text": "Which state will you be in during video "
                                                                    "sessions?"},
                         {"linkId": "v4", "type": "attachment", "required": True, "text": "Signature"}]}
    (forms / "video-addendum.json").write_text(json.dumps(questionnaire, indent=2), encoding="utf-8")
    alone = _found(run, forms / "video-addendum.json")
    assert ("video-addendum.json", "SM202", 7, 3, "/item") in alone
    (tmp_path / "agency" / ".smlint.yaml").write_text(
        "fhir:\n  questionnaires:\n    video-addendum:\n      services: [telehealth]\n"
        "      supplements: adult-intake\n", encoding="utf-8")
    assert _found(run, forms / "video-addendum.json") == []


def test_the_index_holds_no_words_of_the_form() -> None:
    from smlint.checks.forms import merge, skeleton

    form = {"kind": "intake-form", "title": "Jane Roe 078-05-1120", "services": ["texting", "Jane Roe"],
            "clauses": {"preferred_contact": {"text": "Call Jane Roe at 503-555-0142", "alternative_address": False},
                        "client_location": {"text": "", "state": "OR"}},
            "signature": {"client": True}}
    assert skeleton(form) == {"clauses": {"preferred_contact": {"text": True, "alternative_address": False},
                                          "client_location": {"text": False, "state": True}},
                              "signature": {"client": True}, "services": ["texting", True]}
    other = {"clauses": {"preferred_contact": {"alternative_address": True}}, "services": ["telehealth"]}
    assert merge([skeleton(form), other])["clauses"]["preferred_contact"] == {"text": True,
                                                                              "alternative_address": True}
    assert merge([skeleton(form), other])["services"] == ["texting", True, "telehealth"]
