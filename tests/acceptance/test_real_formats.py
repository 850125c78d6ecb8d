"""FHIR questionnaires and raw vendor exports through the CLI: exact findings, pointers into the real
files, export references and cross-artifact rules (docs/formats.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from smlint.app import CheckOptions, run_check
from smlint.errors import SmlintError
from smlint.formats.fhirsettings import FhirSettings
from tests.conftest import EXAMPLES, TODAY, Run

NONCOMPLIANT = "examples/noncompliant"
Found = list[tuple[str, int, int, str]]


def findings(run: Run, *args: str) -> list[dict[str, object]]:
    result = run("check", *args, "--today", TODAY, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return found


def located(items: list[dict[str, object]]) -> Found:
    return [(str(f["rule"]), int(str(f["line"])), int(str(f["column"])), str(f["pointer"])) for f in items]


def test_fhir_questionnaire_findings_point_at_items(run: Run) -> None:
    got = findings(run, f"{NONCOMPLIANT}/intake/portal-intake-questionnaire.fhir.json")
    # The questionnaire's own rules, and the catalog's intake-form rules reading it through the view
    assert located(got) == [
        ("SM275", 2, 3, "/resourceType"),
        ("SM272", 11, 3, "/status"),
        ("SM213", 15, 3, "/lastReviewDate"),
        ("SM201", 16, 3, "/item"),
        ("SM206", 16, 3, "/item"),
        ("SM208", 16, 3, "/item"),
        ("SM212", 16, 3, "/item"),
        ("SM217", 16, 3, "/item"),
        ("SM219", 28, 9, "/item/0/item/1"),
        ("SM216", 46, 9, "/item/1/item/0"),
        # a cross-artifact rule: the agency's policy, not named, is loaded as project context
        ("SM402", 52, 53, "/item/1/item/0/code/1/code"),
        ("SM276", 55, 9, "/item/1/item/1"),
        ("SM001", 66, 53, "/item/1/item/2/code/0/code"),
    ]
    assert {f["kind"] for f in got} == {"fhir-questionnaire", "intake-form"}
    sm276 = [f["message"] for f in got if f["rule"] == "SM276"]
    assert sm276 == ["the client can submit the form without answering this consent item ('search_consent')"]


def test_zoom_export_findings_point_at_real_fields(run: Run) -> None:
    got = findings(run, f"{NONCOMPLIANT}/exports/zoom-account-settings.json")
    assert located(got) == [
        ("SM355", 9, 5, "/schedule_meeting/not_store_meeting_topic"),
        ("SM350", 28, 5, "/in_meeting/live_streaming_facebook"),
        ("SM350", 30, 5, "/in_meeting/live_streaming_youtube"),
        # AI meeting summaries on, and no noncompliant intake form asks for consent to them
        ("SM480", 35, 7, "/in_meeting/meeting_summary_with_ai_companion/enable"),
        ("SM354", 47, 5, "/recording/cloud_recording"),
        ("SM353", 53, 5, "/recording/auto_recording"),
        ("SM450", 53, 5, "/recording/auto_recording"),
        ("SM356", 64, 5, "/security/sign_in_with_two_factor_auth"),
        ("SM385", 68, 5, "/meeting_security/embed_password_in_join_link"),
        # the waiting room is on (SM351 is not reported); SM389 says, at the vendor, that it is not locked
    ]
    assert {f["kind"] for f in got} == {"zoom-settings"}


def test_stripe_and_twilio_exports(run: Run) -> None:
    got = findings(run, f"{NONCOMPLIANT}/exports/stripe-account.json",
                   f"{NONCOMPLIANT}/exports/twilio-messaging-service.json")
    assert [(Path(str(f["path"])).name, *loc) for f, loc in zip(got, located(got), strict=True)] == [
        ("stripe-account.json", "SM361", 37, 7, "/settings/card_payments/statement_descriptor_prefix"),
        ("stripe-account.json", "SM360", 46, 7, "/settings/payments/statement_descriptor"),
        ("twilio-messaging-service.json", "SM370", 11, 3, "/inbound_request_url"),
        ("twilio-messaging-service.json", "SM370", 20, 3, "/status_callback"),
    ]


def test_square_export(run: Run) -> None:
    got = findings(run, f"{NONCOMPLIANT}/exports/square-account.json")
    assert [(f["kind"], *loc) for f, loc in zip(got, located(got), strict=True)] == [
        ("square-account", "SM386", 4, 5, "/merchant/business_name"),
        ("square-account", "SM387", 15, 7, "/locations/0/business_name"),
        ("square-account", "SM388", 34, 7, "/payments/0/statement_description_identifier"),
    ]
    # the neutral second location and the second payment's identifier are not reported
    assert "COUNSEL" in got[0]["message"] and "Brightpath" not in json.dumps(got)


def test_compliant_formats_pass(run: Run) -> None:
    result = run("check", f"{EXAMPLES}/compliant/intake/adult-intake-questionnaire.fhir.json",
                 f"{EXAMPLES}/compliant/exports", "--today", TODAY)
    assert (result.exit_code, result.stdout) == (0, "All clear: 9 file(s) checked, no findings.\n")


TEXTING_VENDOR = "kind: vendor\nname: Spruce\ncategory: texting\nhandles_client_data: true\nbaa: {status: signed}\n"


def _questionnaire(items: list[dict[str, object]]) -> str:
    return json.dumps({"resourceType": "Questionnaire", "status": "active", "version": "1",
                       "lastReviewDate": "2026-01-05", "item": items}, indent=2)


TEXTING_ITEM = {"linkId": "sms", "type": "boolean", "required": True, "text": "I agree to scheduling texts.",
                "code": [{"system": "urn:smlint:concept", "code": "texting_consent"}]}


def sm401(items: list[dict[str, object]]) -> list[tuple[str, int, int, str]]:
    return [(Path(str(f["path"])).name, *located([f])[0][1:]) for f in items if f["rule"] == "SM401"]  # type: ignore[misc]


def test_fhir_texting_consent_satisfies_sm401(run: Run, tmp_path: Path) -> None:
    (tmp_path / "spruce.yaml").write_text(TEXTING_VENDOR, encoding="utf-8")
    (tmp_path / "intake.fhir.json").write_text(_questionnaire([TEXTING_ITEM]), encoding="utf-8")
    assert sm401(findings(run, str(tmp_path))) == []
    # no code, no linkId map, and wording the text match does not read as a consent
    (tmp_path / "intake.fhir.json").write_text(_questionnaire([{**TEXTING_ITEM, "code": [], "text": "SMS: yes/no"}]),
                                               encoding="utf-8")
    assert sm401(findings(run, str(tmp_path))) == [("spruce.yaml", 3, 1, "/category")]


def _check(options: CheckOptions) -> dict[str, Any]:
    out = io.StringIO()
    run_check(options, out)
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def test_link_id_map_maps_items_without_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spruce.yaml").write_text(TEXTING_VENDOR, encoding="utf-8")
    (tmp_path / "intake.fhir.json").write_text(_questionnaire([{**TEXTING_ITEM, "code": []}]), encoding="utf-8")
    base = CheckOptions(paths=(".",), output_format="json", today=None, fhir=FhirSettings(text_match=False))
    assert [f["pointer"] for f in _check(base)["findings"] if f["rule"] == "SM401"] == ["/category"]
    mapped = CheckOptions(paths=(".",), output_format="json",
                          fhir=FhirSettings.from_data({"link_ids": {"sms": "texting_consent"}, "text_match": False}))
    assert [f for f in _check(mapped)["findings"] if f["rule"] in ("SM401", "SM201", "SM215")] == []
    with pytest.raises(SmlintError, match=r"fhir\.link_ids: linkId 'sms' maps to a concept smlint does not know"):
        _check(CheckOptions(paths=(".",), output_format="json",
                            fhir=FhirSettings.from_data({"link_ids": {"sms": "texting"}})))


def test_fhir_questionnaire_in_yaml(run: Run, tmp_path: Path) -> None:
    (tmp_path / "intake.fhir.yaml").write_text(
        "resourceType: Questionnaire\nstatus: retired\nversion: '2'\nlastReviewDate: 2026-02-01\nitem:\n"
        "  - linkId: ack\n    type: boolean\n    required: true\n    text: I received the policy.\n"
        "    code: [{system: 'urn:smlint:concept', code: technology_policy_acknowledgement}]\n", encoding="utf-8")
    own = [f for f in findings(run, str(tmp_path)) if f["kind"] == "fhir-questionnaire"]
    assert located(own) == [("SM271", 2, 1, "/status")]


STRIPE_WITHOUT_MARKERS = {"settings": {"payments": {"statement_descriptor": "CRISIS COUNSELING"}}}


def _vendor_with_export(export: str) -> str:
    return ("kind: vendor\nname: Stripe\ncategory: payment\nhandles_client_data: true\n"
            f"baa: {{status: not-required}}\nexport:\n{export}")


def test_referenced_export_is_checked_as_its_declared_format(run: Run, tmp_path: Path) -> None:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "account.json").write_text(json.dumps(STRIPE_WITHOUT_MARKERS, indent=2), encoding="utf-8")
    vendor = tmp_path / "vendors" / "stripe.yaml"
    vendor.write_text(_vendor_with_export("  format: stripe-account\n  file: ../raw/account.json\n"), encoding="utf-8")
    # named alone, the vendor file brings its export along
    result = run("check", str(vendor), "--today", TODAY, "--format", "json")
    report = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["rule"], f["line"], f["column"], f["kind"]) for f in report["findings"]
            if f["path"].endswith("account.json")] == [("account.json", "SM360", 4, 7, "stripe-account")]
    assert report["summary"]["files"] == 2
    # walking the folder finds the export once, not twice
    again = json.loads(run("check", str(tmp_path), "--today", TODAY, "--format", "json").stdout)
    assert [f["rule"] for f in again["findings"] if f["kind"] == "stripe-account"] == ["SM360"]
    assert again["summary"]["files"] == 2


def test_unusable_export_reference_is_a_located_problem(run: Run, tmp_path: Path) -> None:
    vendor = tmp_path / "stripe.yaml"
    vendor.write_text(_vendor_with_export("  format: stripe-account\n  file: missing.json\n"), encoding="utf-8")
    got = [f for f in findings(run, str(vendor)) if f["rule"] == "SM000"]
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in got] == [("SM000", 8, 3, "/export/file")]
    assert "does not exist" in str(got[0]["message"])
    vendor.write_text(_vendor_with_export("  format: stripe-account\n  file: /dev/zero\n"), encoding="utf-8")
    got = [f for f in findings(run, str(vendor)) if f["rule"] == "SM000"]
    assert [(f["rule"], f["line"]) for f in got] == [("SM000", 8)]
    assert "must be a .json, .yaml or .yml file" in str(got[0]["message"])


def test_embedded_export_findings_point_into_the_vendor_file(run: Run, tmp_path: Path) -> None:
    vendor = tmp_path / "zoom.yaml"
    vendor.write_text(
        "kind: vendor\nname: Zoom\ncategory: video\nhandles_client_data: true\nbaa: {status: signed}\n"
        "export:\n  format: zoom-settings\n  data:\n    in_meeting:\n      allow_live_streaming: true\n"
        "      live_streaming_youtube: true\n    meeting_security:\n      waiting_room: true\n"
        "      newer_zoom_field: {anything: 1}\n", encoding="utf-8")
    got = [f for f in findings(run, str(vendor)) if f["kind"] == "zoom-settings"]
    assert [(f["rule"], f["line"], f["column"], f["pointer"], f["kind"]) for f in got] == [
        ("SM350", 11, 7, "/export/data/in_meeting/live_streaming_youtube", "zoom-settings")]


def test_export_schema_tolerates_new_fields_but_types_known_ones(run: Run, tmp_path: Path) -> None:
    (tmp_path / "tw.json").write_text(json.dumps(
        {"sid": "MG2172dd2db502e20dd981ef0d67850e1a", "sticky_sender": True, "brand_new_field": [1, 2],
         "status_callback": 42}, indent=2), encoding="utf-8")
    got = findings(run, str(tmp_path))
    assert [(f["rule"], f["line"], f["pointer"], f["message"]) for f in got] == [
        ("SM001", 8, "/status_callback", "'status_callback' should be text or empty")]


POLICY = ("kind: policy\nversion: '1'\nsections:\n  voip_video:\n    text: Recordings are deleted after 30 days.\n"
          "    recording_retention_days: 30\n")


@pytest.mark.parametrize(("recording", "expected"), [
    ({"cloud_recording": True, "auto_delete_cmr": True, "auto_delete_cmr_days": 90},
     [("SM451", 8, "/recording/auto_delete_cmr_days")]),
    ({"cloud_recording": True, "auto_delete_cmr": False}, [("SM452", 7, "/recording/auto_delete_cmr")]),
    ({"cloud_recording": True, "auto_delete_cmr": True, "auto_delete_cmr_days": 30}, []),
])
def test_recording_retention_against_policy(run: Run, tmp_path: Path, recording: dict[str, object],
                                            expected: list[tuple[str, int, str]]) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "zoom.json").write_text(json.dumps({"in_meeting": {"chat": True}, "recording": recording}, indent=2),
                                        encoding="utf-8")
    got = [f for f in findings(run, str(tmp_path)) if f["rule"] in ("SM451", "SM452")]
    assert [(f["rule"], f["line"], f["pointer"]) for f in got] == expected


def test_named_file_that_is_an_smlint_artifact_keeps_its_kind(run: Run, tmp_path: Path) -> None:
    vendor = tmp_path / "stripe.yaml"
    vendor.write_text(_vendor_with_export("  format: stripe-account\n  file: stripe.yaml\n"), encoding="utf-8")
    report = json.loads(run("check", str(vendor), "--today", TODAY, "--format", "json").stdout)
    assert report["summary"]["files"] == 1
    assert {f["kind"] for f in report["findings"]} == {"vendor"}


def test_link_id_map_from_smlint_yaml(run: Run, tmp_path: Path) -> None:
    (tmp_path / "spruce.yaml").write_text(TEXTING_VENDOR, encoding="utf-8")
    (tmp_path / "intake.fhir.json").write_text(_questionnaire([{**TEXTING_ITEM, "code": []}]), encoding="utf-8")
    config = tmp_path / ".smlint.yaml"
    config.write_text("fhir:\n  link_ids:\n    sms: texting_consent\n", encoding="utf-8")
    mapped = run("check", str(tmp_path), "--config", str(config), "--format", "json")
    assert [f for f in json.loads(mapped.stdout)["findings"] if f["rule"] in ("SM401", "SM201", "SM215")] == []
    config.write_text("fhir:\n  link_ids:\n    sms: texting\n", encoding="utf-8")
    bad = run("check", str(tmp_path), "--config", str(config))
    assert bad.exit_code == 2
    assert bad.stderr == (f"smlint: error: {config}:3:5: linkId 'sms' maps to a concept smlint does not know; "
                          "docs/formats.md lists the concepts\n")
