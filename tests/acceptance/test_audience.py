"""Issue 18, class 8 (forms): who a form is for (`audience`), and SM218, the guardian's signature on a form
for minors; in YAML, through `minors: true`, and for a FHIR Questionnaire through `fhir.questionnaires`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run

TODAY = "2026-06-01"

FORM = """\
kind: intake-form
title: Adolescent Intake (ages 12-17)
version: "2"
acknowledges_policy: "2026.1"
last_reviewed: 2026-05-01
{audience}clauses:
  technology_policy_acknowledgement: {{text: We received the policy., signature_required: true}}
signature:
  client: true
  date: true
{guardian}"""


def _sm218(run: Run, path: Path) -> list[tuple[int, int, str, str]]:
    result = run("check", str(path), "--today", TODAY, "--format", "json", "--select", "SM218")
    assert result.exit_code == 0, result.stderr  # a warning: the run passes at the default fail_on
    return [(f["line"], f["column"], f["pointer"], f["severity"]) for f in json.loads(result.stdout)["findings"]]


def _form(tmp_path: Path, audience: str, guardian: str = "") -> Path:
    path = tmp_path / "form.yaml"
    path.write_text(FORM.format(audience=audience, guardian=guardian), encoding="utf-8")
    return path


def test_form_for_minors_without_guardian_signature_is_reported_at_signature(run: Run, tmp_path: Path) -> None:
    assert _sm218(run, _form(tmp_path, "audience: [minors]\n")) == [(9, 1, "/signature", "warning")]
    assert _sm218(run, _form(tmp_path, "audience: [adults, minors]\n", "  guardian: false\n")) == [
        (12, 3, "/signature/guardian", "warning")]
    assert _sm218(run, _form(tmp_path, "minors: true\n")) == [(9, 1, "/signature", "warning")]


def test_guardian_signature_or_an_adult_audience_passes(run: Run, tmp_path: Path) -> None:
    assert _sm218(run, _form(tmp_path, "audience: [minors]\n", "  guardian: true\n")) == []
    assert _sm218(run, _form(tmp_path, "audience: [adults, families]\n")) == []
    assert _sm218(run, _form(tmp_path, "")) == []  # the audience is not recorded: not judged


def test_audience_values_are_checked_by_the_schema(run: Run, tmp_path: Path) -> None:
    result = run("check", str(_form(tmp_path, "audience: [teens]\n")), "--today", TODAY, "--format", "json",
                 "--select", "SM001")
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in json.loads(result.stdout)["findings"]] == [
        ("SM001", 6, 12, "/audience/0")]


def test_fhir_questionnaire_audience_from_the_configuration(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "agency"
    folder.mkdir()
    form = {"resourceType": "Questionnaire", "id": "teen-intake", "status": "active", "version": "1",
            "lastReviewDate": "2026-05-01", "item": [
                {"linkId": "p1", "type": "boolean", "required": True,
                 "text": "I have read the Social Media and Technology Policy."},
                {"linkId": "s1", "type": "attachment", "required": True, "text": "Client signature"}]}
    path = folder / "teen.json"
    path.write_text(json.dumps(form, indent=2), encoding="utf-8")
    (folder / ".smlint.yaml").write_text("fhir:\n  questionnaires:\n    teen-intake:\n      audience: [minors]\n",
                                         encoding="utf-8")
    assert _sm218(run, path) == [(7, 3, "/item", "warning")]
    form["item"].append({"linkId": "s2", "type": "attachment", "required": True,
                         "text": "Parent or guardian signature",
                         "code": [{"system": "urn:smlint:concept", "code": "signature.guardian"}]})
    path.write_text(json.dumps(form, indent=2), encoding="utf-8")
    assert _sm218(run, path) == []
