"""Issue 18, class 4: a real EHR Questionnaire (no smlint codes) is read, not reported empty.

Items map to concepts by code, by the project's many-to-many `fhir.link_ids` (also `service.<service>`),
and by the documented text match; `fhir.questionnaires` states services and the acknowledged policy;
signing follows FHIR; a form where nothing maps gets one SM277; `smlint explain-form` shows the reading.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import COMPLIANT_POLICY_YAML, Run, run_cli

TODAY = "2026-06-01"
URL = "https://ehr.example.com/fhir/Questionnaire/intake"

# An EHR export: its own linkIds, no urn:smlint codes, an attachment for the signature.
ITEMS: list[dict[str, Any]] = [
    {"linkId": "c1", "type": "choice", "required": True,
     "text": "How would you like us to contact you? May we leave a message?",
     "answerOption": [{"valueCoding": {"system": "urn:ehr:contact", "code": "sms", "display": "Text message"}},
                      {"valueCoding": {"system": "urn:ehr:contact", "code": "mail", "display": "Letter"}}]},
    {"linkId": "c2", "type": "string", "text": "A different, confidential number or address (optional)"},
    {"linkId": "k1", "type": "boolean", "required": True,
     "text": "I have received and read the Social Media and Technology Policy."},
    {"linkId": "k2", "type": "boolean", "required": True,
     "text": "Texts and phone calls can be intercepted or overheard by others."},
    {"linkId": "k3", "type": "boolean", "required": True, "text": "I agree to receive appointment texts."},
    {"linkId": "k4", "type": "boolean", "required": True,
     "text": "Sessions are never recorded without my separate written consent."},
    {"linkId": "k5", "type": "boolean", "required": True,
     "text": "Staff will not search for me online without my consent."},
    {"linkId": "k6", "type": "display",
     "text": "Checking in at our office, posting reviews on rating sites or following your therapist on social "
             "media can reveal that you are a client."},
    {"linkId": "s1", "type": "attachment", "required": True, "text": "Client signature"},
]


def _write(folder: Path, items: list[dict[str, Any]], config: str = "", **extra: Any) -> Path:
    folder.mkdir(exist_ok=True)
    form = {"resourceType": "Questionnaire", "url": URL, "id": "intake", "status": "active", "version": "3",
            "lastReviewDate": "2026-05-01", **extra, "item": items}
    path = folder / "intake.json"
    path.write_text(json.dumps(form, indent=2), encoding="utf-8")
    (folder / ".smlint.yaml").write_text(config or "fail_on: error\n", encoding="utf-8")
    return path


def _found(run: Run, path: Path, *rules: str) -> list[tuple[str, int, int, str]]:
    result = run("check", str(path), "--today", TODAY, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [(f["rule"], f["line"], f["column"], f["pointer"]) for f in json.loads(result.stdout)["findings"]
            if not rules or f["rule"] in rules]


def test_ehr_form_without_codes_is_read_by_the_text_match(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "agency", ITEMS)
    # "Text message" as a contact answer means the form offers texting; k3 is its consent; the signature item
    # signs the form and the QuestionnaireResponse dates it; k6 names all three social-media risks
    assert _found(run, path, "SM201", "SM208", "SM209", "SM215", "SM217", "SM219", "SM277") == []
    assert _found(run, path) == []


def test_text_match_off_reads_only_codes_and_link_ids(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "agency", ITEMS, "fhir:\n  text_match: false\n")
    # nothing maps: one warning at the item list instead of a finding per missing clause
    assert _found(run, path) == [("SM277", 8, 3, "/item")]


def test_link_ids_many_to_many_and_services(run: Run, tmp_path: Path) -> None:
    config = ("fhir:\n  text_match: false\n  link_ids:\n"
              "    c1: [preferred_contact, service.texting]\n"
              "    c2: preferred_contact.alternative_address\n"
              "    k1: technology_policy_acknowledgement\n"
              "    k2: electronic_communication_risks\n"
              "    k4: recording_consent\n"
              "    k5: search_consent\n"
              "    k6: social_media_education\n"
              "    s1: signature.client\n")
    path = _write(tmp_path / "agency", ITEMS, config)
    # service.texting on c1 makes the texting rules apply; k3 is not mapped, so the consent is missing;
    # k6 stands for the clause only, so the three risks are not recorded
    assert _found(run, path) == [("SM201", 8, 3, "/item"), ("SM208", 66, 5, "/item/7")]
    (tmp_path / "agency" / ".smlint.yaml").write_text(
        config.replace("    k6: social_media_education\n",
                       "    k6: [social_media_education, social_media_education.location_checkins,\n"
                       "         social_media_education.rating_sites, social_media_education.following_practitioner]\n")
        + "    k3: texting_consent\n", encoding="utf-8")
    assert _found(run, path) == []


def test_unknown_concept_in_a_link_id_list_is_a_config_error(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "agency", ITEMS, "fhir:\n  link_ids:\n    k6: [social_media_education, service.fax]\n")
    result = run("check", str(path), "--today", TODAY)
    assert result.exit_code == 2
    assert result.stderr == (f"smlint: error: {tmp_path / 'agency' / '.smlint.yaml'}:3:5: linkId 'k6' maps to a "
                             "concept smlint does not know; docs/formats.md lists the concepts\n")


def test_questionnaire_settings_state_services_and_policy_version(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "agency"
    path = _write(folder, ITEMS, f"fhir:\n  questionnaires:\n    {URL}:\n      services: [in-person, telehealth]\n"
                                 "      acknowledges_policy: '2026.9'\n")
    (folder / "policy.yaml").write_text(COMPLIANT_POLICY_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    # the stated services replace the guessed ones: telehealth without its consent, contingency and location
    # clauses; texting is no longer offered, so SM201 does not apply; 2026.9 is no policy's version
    assert _found(run, path, "SM201", "SM203", "SM211", "SM214", "SM402") == [
        ("SM402", 2, 3, "/resourceType"), ("SM203", 8, 3, "/item"), ("SM211", 8, 3, "/item"),
        ("SM214", 8, 3, "/item")]


def test_signature_follows_fhir(run: Run, tmp_path: Path) -> None:
    unsigned = [item for item in ITEMS if item["linkId"] != "s1"]
    path = _write(tmp_path / "agency", unsigned)
    assert _found(run, path, "SM217") == [("SM217", 8, 3, "/item")]
    attestation = {"linkId": "a1", "type": "boolean", "required": True,
                   "text": "I certify that the answers above are mine (electronic signature)."}
    _write(tmp_path / "agency", [*unsigned, attestation])
    assert _found(run, path, "SM217") == []
    extension = [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-signatureRequired",
                  "valueCodeableConcept": {"coding": [{"system": "urn:iso-astm:E1762-95:2013",
                                                       "code": "1.2.840.10065.1.12.1.1"}]}}]
    _write(tmp_path / "agency", unsigned, extension=extension)
    assert _found(run, path, "SM217") == []


def test_explain_form_lists_each_item_meaning_and_route(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "agency"
    _write(folder, [ITEMS[0], {**ITEMS[7], "linkId": "k6"},
                    {"linkId": "n1", "type": "string", "text": "Client SSN 078-05-1120"}],
           "fhir:\n  link_ids:\n    k6: social_media_education\n")
    monkeypatch.chdir(folder)
    result = run_cli("explain-form", "intake.json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "intake.json: FHIR Questionnaire, 3 item(s); text match on\n"
        "\n"
        "  9:5  c1 (choice)  \"How would you like us to contact you? May we leave a message?\"\n"
        "      -> preferred_contact  [text match 'contact-preference']\n"
        "      -> service.texting  [text match 'texting-option']\n"
        "  31:5  k6 (display)  \"Checking in at our office, posting reviews on rating sites or followi…\"\n"
        "      -> social_media_education  [fhir.link_ids]\n"
        "      -> social_media_education.location_checkins  [text match 'check-ins']\n"
        "      -> social_media_education.rating_sites  [text match 'rating-sites']\n"
        "      -> social_media_education.following_practitioner  [text match 'following-clinician']\n"
        "  36:5  n1 (string)  \"Client SSN ***-**-1120\"\n"
        "      -> (nothing)\n"
        "\n"
        "  offers: texting\n"
        "  acknowledges policy: not recorded\n"
        "  clauses not found: technology_policy_acknowledgement, electronic_communication_risks,\n"
        "    texting_consent, unencrypted_email_warning, telehealth_consent, recording_consent,\n"
        "    ai_summary_consent, search_consent, payment_privacy, contingency, client_location,\n"
        "    npp_acknowledgement, part2_consent\n")
    as_json = json.loads(run_cli("explain-form", "intake.json", "--format", "json").stdout)
    assert [(i["linkId"], [m["concept"] for m in i["meanings"]]) for i in as_json[0]["items"]] == [
        ("c1", ["preferred_contact", "service.texting"]),
        ("k6", ["social_media_education", "social_media_education.location_checkins",
                "social_media_education.rating_sites", "social_media_education.following_practitioner"]),
        ("n1", [])]
    assert as_json[0]["items"][0]["meanings"][1] == {"concept": "service.texting", "route": "text match texting-option",
                                                      "pointer": "/item/0/answerOption/0/valueCoding",
                                                      "line": 16, "column": 11}


def test_explain_form_refuses_what_is_not_a_questionnaire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "form.yaml").write_text("kind: intake-form\ntitle: x\n", encoding="utf-8")
    result = run_cli("explain-form", "form.yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("smlint: error: form.yaml: not a FHIR Questionnaire (resourceType: Questionnaire); "
                             "smlint intake forms in YAML are read as written\n")
    (tmp_path / "broken.json").write_text('{"resourceType": "Questionnaire",\n  "item": [}', encoding="utf-8")
    broken = run_cli("explain-form", "broken.json")
    assert broken.exit_code == 2 and broken.stderr.startswith("smlint: error: broken.json:2:")
    assert run_cli("explain-form", "missing.json").stderr == "smlint: error: missing.json: no such file\n"


def test_every_text_match_entry_is_documented() -> None:
    root = Path(__file__).resolve().parents[2]
    table = json.loads((root / "linter" / "smlint" / "formats" / "fhir_text_match.json").read_text(encoding="utf-8"))
    docs = (root / "docs" / "formats.md").read_text(encoding="utf-8")
    rows = [f"| `{e['id']}` | `{e['concept']}` | {e['applies_to']} |" for e in table["entries"]]
    assert [row for row in rows if row not in docs] == []
    assert len(rows) == len({e["id"] for e in table["entries"]})


def test_docs_explain_form_transcript_is_real_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "agency"
    _write(folder, [ITEMS[0], {**ITEMS[7], "linkId": "k6"},
                    {"linkId": "n1", "type": "string", "text": "Client SSN 078-05-1120"}],
           "fhir:\n  link_ids:\n    k6: social_media_education\n")
    (folder / "forms").mkdir()
    (folder / "intake.json").rename(folder / "forms" / "intake.json")
    monkeypatch.chdir(folder)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    command = "$ smlint explain-form forms/intake.json\n"
    transcript = docs[docs.index(command) + len(command):]
    transcript = transcript[: transcript.index("```")]
    result = run_cli("explain-form", "forms/intake.json")
    assert (result.exit_code, result.stdout) == (0, transcript)


def test_questionnaire_settings_by_path_relative_to_the_configuration(run: Run, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "agency"
    path = _write(folder, ITEMS, "fhir:\n  questionnaires:\n    intake.json:\n      services: [telehealth]\n")
    assert _found(run, path, "SM203") == [("SM203", 8, 3, "/item")]
    monkeypatch.chdir(folder)  # the same from inside the project
    result = run_cli("check", "intake.json", "--today", TODAY, "--format", "json", "--select", "SM203")
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("SM203", 8)]


@pytest.mark.parametrize(("text", "kind", "concepts"), [
    ("Who is your emergency contact and how can we reach them?", "string", ["contingency.emergency_contact"]),
    ("How should we contact you? You may give a different confidential number.", "string",
     ["preferred_contact", "preferred_contact.alternative_address"]),
    ("Call-back number if the video drops", "string", ["contingency", "contingency.callback_number"]),
    ("How did you hear about us?", "choice", []),  # its "Phone book" answer is no contact method
    ("Date of birth", "date", []),
    # a user test's EHR export (tests/acceptance/test_group_practice.py): "e-mail" with its hyphen, the risks
    # named without a verb like "intercepted", the state the client lives in, the guardian's own signature
    # and the Notice of Privacy Practices
    ("Regular e-mail is not encrypted and may be read by others.", "boolean", ["unencrypted_email_warning"]),
    ("I understand the risks of e-mail and text messaging, and that messages become part of my record.", "boolean",
     ["electronic_communication_risks", "electronic_communication_risks.part_of_record"]),
    ("I agree to receive texts and understand the risks of texting.", "boolean", ["texting_consent"]),
    ("I understand the risks and benefits of video sessions.", "boolean", ["telehealth_consent"]),
    ("State where you live", "string", ["client_location"]),
    ("Signature of parent or legal guardian", "attachment", ["signature.guardian"]),
    ("Signature of client", "attachment", ["signature.client"]),
    ("Parent/Guardian signature", "attachment", ["signature.guardian"]),
    # one signature for either: the client's (SM218 then asks a form for minors for the guardian's as well)
    ("Signature of client (or parent/guardian if under 18)", "attachment", ["signature.client"]),
    ("Client/Guardian Signature", "attachment", ["signature.client"]),
    ("Parent or guardian name", "string", []),
    ("I acknowledge receipt of the Notice of Privacy Practices.", "boolean", ["npp_acknowledgement"]),
    # a Part 2 program's consent item in the EHR's words, with the elements 42 CFR 2.31 asks for named in its text
    ("I authorize the program to disclose my substance use disorder treatment records to the person named below, "
     "for the purpose stated below, until the date below. I may revoke this consent at any time.", "boolean",
     ["part2_consent", "part2_consent.names_recipients", "part2_consent.states_purpose", "part2_consent.states_expiry",
      "part2_consent.revocation"]),
    ("Consent to disclose drug and alcohol records (42 CFR Part 2), including counseling notes", "boolean",
     ["part2_consent", "part2_consent.includes_counseling_notes"]),
    ("I consent to treatment for substance use.", "boolean", []),  # consent to care, not to disclose records
    # a counselling group's couples intake (tests/acceptance/test_counselling_group.py): a word between "video"
    # and "sessions", a risk said as "let others know", an alternative offered "if video is not a good fit"
    ("We consent to video counseling sessions and understand their benefits and risks. Your counselor will "
     "confirm your identity at the start of each session and will offer in-office sessions if video is not a good "
     "fit.", "boolean", ["telehealth_consent", "telehealth_consent.identity_verification",
                         "telehealth_consent.suitability_assessment"]),
    ("Checking in at our office, reviewing us on rating sites, or following your counselor on social media can let "
     "others know you are in counseling.", "display",
     ["social_media_education", "social_media_education.location_checkins", "social_media_education.rating_sites",
      "social_media_education.following_practitioner"]),
    ("If a video session is interrupted, your counselor will call you back.", "display",
     ["contingency", "contingency.callback_number"]),  # about video sessions, not a consent to them
    ("Do you use alcohol or drugs?", "string", []),
])
def test_text_match_reads_one_item(text: str, kind: str, concepts: list[str]) -> None:
    from smlint.formats.fhir import read

    item: dict[str, Any] = {"linkId": "x", "type": kind, "text": text}
    if kind == "choice":
        item["answerOption"] = [{"valueCoding": {"system": "urn:ehr", "code": "pb", "display": "Phone book"}}]
    assert [m.concept for m in read({"resourceType": "Questionnaire", "item": [item]}).items[0].meanings] == concepts
