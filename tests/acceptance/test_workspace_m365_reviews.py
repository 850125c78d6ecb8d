"""Google Workspace (ScubaGoggles output, the Cloud Identity Policy API list), Microsoft 365 (ScubaGear
output) and Google Business Profile reviews exports through the CLI: exact findings with the line, column
and pointer of the real field, in every shape each format comes in (docs/formats.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.acceptance.test_real_formats import findings
from tests.conftest import EXAMPLES, Run

NONCOMPLIANT = EXAMPLES / "noncompliant" / "exports"
Row = tuple[str, int, int, str, str]


def rows(items: list[dict[str, object]]) -> list[Row]:
    return [(str(f["rule"]), int(str(f["line"])), int(str(f["column"])), str(f["pointer"]), str(f["severity"]))
            for f in items]


def _write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return str(path)


# -- Google Workspace ---------------------------------------------------------------------------------


def test_policy_api_list_findings_point_into_each_policy(run: Run) -> None:
    got = findings(run, str(NONCOMPLIANT / "google-workspace-policies.json"))
    assert rows(got) == [
        ("SM363", 13, 11, "/policies/0/setting/value/enableAutoForwarding", "error"),
        ("SM364", 43, 11, "/policies/2/setting/value/enforcedFrom", "error"),
        ("SM368", 58, 11, "/policies/3/setting/value/webSessionDuration", "warning"),
        ("SM365", 73, 11, "/policies/4/setting/value/enabled", "error"),
        ("SM367", 119, 11, "/policies/7/setting/value/externalSharingMode", "warning"),
        ("SM366", 135, 11, "/policies/8/setting/value/enabled", "error"),
    ]
    assert {f["kind"] for f in got} == {"google-workspace"}


def _provider(unit: str, **sections: dict[str, object]) -> dict[str, object]:
    return {"policies": {unit: sections}, "tenant_info": {"topLevelOU": unit}}


def test_scubagoggles_results_file_and_provider_output_give_the_same_findings(run: Run, tmp_path: Path) -> None:
    settings = _provider("Riverbend Family Services",
                         gmail_auto_forwarding={"enableAutoForwarding": True},
                         security_session_controls={"webSessionDuration": "72000s"},
                         drive_and_docs_external_sharing={"externalSharingMode": "ALLOWED"})
    provider = _write(tmp_path / "ProviderSettingsExport.json", settings)
    results = _write(tmp_path / "ScubaResults_5134dab6.json",
                     {"MetaData": {"Tool": "ScubaGoggles", "ToolVersion": "1.0.0"}, "Results": {}, "Raw": settings})
    unit = "/policies/********* ****** ********"  # organisational units are often named after people: masked
    assert rows(findings(run, provider)) == [
        ("SM363", 5, 9, f"{unit}/gmail_auto_forwarding/enableAutoForwarding", "error"),
        ("SM368", 8, 9, f"{unit}/security_session_controls/webSessionDuration", "warning"),
        ("SM367", 11, 9, f"{unit}/drive_and_docs_external_sharing/externalSharingMode", "warning"),
    ]
    assert rows(findings(run, results)) == [
        ("SM363", 11, 11, f"/Raw{unit}/gmail_auto_forwarding/enableAutoForwarding", "error"),
        ("SM368", 14, 11, f"/Raw{unit}/security_session_controls/webSessionDuration", "warning"),
        ("SM367", 17, 11, f"/Raw{unit}/drive_and_docs_external_sharing/externalSharingMode", "warning"),
    ]


def test_policy_api_applies_the_higher_sort_order_and_keeps_groups_apart(run: Run, tmp_path: Path) -> None:
    def policy(unit: str, order: int, enabled: bool, group: str | None = None) -> dict[str, object]:
        query: dict[str, object] = {"orgUnit": unit, "sortOrder": order}
        if group:
            query["group"] = group
        return {"policyQuery": query,
                "setting": {"type": "settings/gmail.auto_forwarding", "value": {"enableAutoForwarding": enabled}}}

    path = _write(tmp_path / "policies.json", {"policies": [
        policy("orgUnits/top", 1, True),   # overridden by the next one, which the API applies
        policy("orgUnits/top", 5, False),
        policy("orgUnits/top", 3, True, "groups/billing"),  # a group's own policy is judged on its own
    ]})
    assert rows(findings(run, path)) == [
        ("SM363", 36, 11, "/policies/2/setting/value/enableAutoForwarding", "error")]


def test_two_step_verification_enforced_since_a_real_date_passes(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "ProviderSettingsExport.json", _provider(
        "Riverbend",
        security_two_step_verification_enrollment={"allowEnrollment": True},
        security_two_step_verification_enforcement={"enforcedFrom": "2025-03-08T08:00:00Z"},
        security_session_controls={"webSessionDuration": "43200s"}))
    assert findings(run, path) == []


def test_a_file_with_an_unrelated_policies_key_is_not_read_as_workspace(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "insurance.json", {"policies": {"auto": {"premium": 10}}})
    result = run("check", path, "--today", "2026-03-01", "--format", "json")
    assert json.loads(result.stdout)["findings"] == []


# -- Microsoft 365 ------------------------------------------------------------------------------------


def test_scubagear_results_file_findings_point_under_raw(run: Run) -> None:
    got = findings(run, str(NONCOMPLIANT / "microsoft-365-scubaresults.json"))
    assert rows(got) == [
        ("SM372", 40, 5, "/Raw/conditional_access_policies", "error"),
        ("SM371", 106, 9, "/Raw/remote_domains/0/AutoForwardEnabled", "error"),
        ("SM373", 116, 9, "/Raw/meeting_policies/0/AllowCloudRecording", "warning"),
        ("SM374", 117, 9, "/Raw/meeting_policies/0/AllowTranscription", "warning"),
        ("SM375", 118, 9, "/Raw/meeting_policies/0/AutoAdmittedUsers", "error"),
        ("SM376", 138, 9, "/Raw/federation_configuration/0/AllowTeamsConsumer", "warning"),
    ]
    assert {f["kind"] for f in got} == {"microsoft-365"}


def _policy(state: str, users: list[str], controls: list[str]) -> dict[str, object]:
    return {"State": state, "Conditions": {"Users": {"IncludeUsers": users},
                                           "Applications": {"IncludeApplications": ["All"]}},
            "GrantControls": {"BuiltInControls": controls, "AuthenticationStrength": None}}


def test_mfa_must_come_from_one_enabled_policy_for_all_users(run: Run, tmp_path: Path) -> None:
    """Each condition holding on a different policy is not enough: one policy must hold them all."""
    split = _write(tmp_path / "ProviderSettingsExport.json", {
        "conditional_access_policies": [_policy("enabled", ["All"], ["block"]),
                                        _policy("disabled", ["All"], ["mfa"]),
                                        _policy("enabled", ["some-group-id"], ["mfa"])],
        "aad_successful_commands": []})
    assert rows(findings(run, split)) == [("SM372", 2, 3, "/conditional_access_policies", "error")]
    _write(tmp_path / "ProviderSettingsExport.json", {
        "conditional_access_policies": [_policy("enabled", ["All"], ["block"]), _policy("enabled", ["All"], ["mfa"])],
        "aad_successful_commands": []})
    assert findings(run, split) == []


def test_m365_export_without_a_product_is_not_judged_on_it(run: Run, tmp_path: Path) -> None:
    """An export of Exchange alone says nothing about MFA or Teams: absent is not false."""
    path = _write(tmp_path / "ProviderSettingsExport.json", {
        "remote_domains": [{"DomainName": "*", "AutoForwardEnabled": False}], "exo_successful_commands": [],
        "transport_config": []})
    assert findings(run, path) == []


# -- Google reviews -----------------------------------------------------------------------------------


def test_review_replies_are_judged_without_being_quoted(run: Run) -> None:
    got = findings(run, str(NONCOMPLIANT / "google-reviews.json"))
    assert rows(got) == [
        ("SM440", 2, 3, "/reviews", "error"),
        ("SM377", 15, 9, "/reviews/0/reviewReply/comment", "error"),
        ("SM378", 31, 9, "/reviews/1/reviewReply/comment", "error"),
        ("SM379", 31, 9, "/reviews/1/reviewReply/comment", "error"),
        ("SM380", 47, 9, "/reviews/2/reviewReply/comment", "error"),
    ]
    # the rules' own words only: no reply, and not even the word that matched, reaches the message
    assert [f["message"] for f in got[1:]] == [
        "this reply to a review confirms or implies that the reviewer is a client",
        "this reply to a review mentions sessions, treatment or appointments",
        "this reply to a review mentions a diagnosis or condition",
        "this reply to a review discusses the reviewer's billing or insurance",
    ]


def test_the_policy_procedure_satisfies_sm440(run: Run, tmp_path: Path) -> None:
    reviews = _write(tmp_path / "reviews.json", {"reviews": [
        {"reviewId": "a", "starRating": "FIVE", "reviewReply": {"comment": "Thank you for your kind words."}}]})
    policy = tmp_path / "policy.yaml"
    policy.write_text("kind: policy\nsections:\n  testimonials:\n    text: We reply only with a generic statement.\n",
                      encoding="utf-8")
    assert rows([f for f in findings(run, str(tmp_path)) if f["path"] == reviews]) == [
        ("SM440", 2, 3, "/reviews", "error")]
    policy.write_text("kind: policy\nsections:\n  testimonials:\n    text: We reply only with a generic statement.\n"
                      "    review_response:\n      procedure: The director posts the generic statement.\n",
                      encoding="utf-8")
    assert [f for f in findings(run, str(tmp_path)) if f["path"] == reviews] == []


# Replies written by the audit of 2026-12-03 with the expected rules noted before smlint ran (SM377 then
# missed the first and the seventh; its word list grew by "helped you", "missed you" and the like).
USER_REPLIES = [
    ("Thank you for your feedback. Our policy is not to discuss anyone's care online; please call our office "
     "manager at the number on our website.", []),
    ("We're so glad the group helped you through your divorce, Maria!", ["SM377"]),
    ("Sorry to hear about the wait. We have since added a second front-desk person.", []),
    ("Your counselor has reviewed your file and your PTSD paperwork is ready.", ["SM377", "SM379"]),
    ("We can't discuss your balance here, but our billing team can help.", ["SM380"]),
    ("Thanks for the five stars! We love our community.", []),
    ("We missed you at your last appointment, hope all is well.", ["SM377", "SM378"]),
    ("As a practice we follow HIPAA and cannot confirm or deny whether anyone is a patient.", []),
]


def test_replies_a_practice_writes_are_judged_reply_by_reply(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "reviews.json", {"reviews": [
        {"reviewId": str(i), "starRating": "THREE", "comment": "Review text.", "reviewReply": {"comment": reply}}
        for i, (reply, _) in enumerate(USER_REPLIES)]})
    got = sorted((str(f["pointer"]), str(f["rule"])) for f in findings(run, path) if f["rule"] != "SM440")
    assert got == sorted((f"/reviews/{i}/reviewReply/comment", rule)
                         for i, (_, rules) in enumerate(USER_REPLIES) for rule in rules)


def test_reviews_with_no_reply_field_are_not_judged(run: Run, tmp_path: Path) -> None:
    """The export's field names are not verified: reviews without `reviewReply` give no finding."""
    path = _write(tmp_path / "reviews.json", {"reviews": [{"reviewId": "a", "starRating": "ONE", "comment": "x"}],
                                              "totalReviewCount": 1})
    assert findings(run, path) == []


# -- attached to a vendor file ------------------------------------------------------------------------


def test_vendor_file_names_or_embeds_a_workspace_export(run: Run, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    _write(tmp_path / "exports" / "gws.json", {"policies": [
        {"policyQuery": {"orgUnit": "orgUnits/top"},
         "setting": {"type": "settings/meet.automatic_recording", "value": {"enabled": True}}}]})
    vendor = tmp_path / "workspace.yaml"
    head = "kind: vendor\nname: Google Workspace\ncategory: email\nhandles_client_data: true\nexport:\n"
    vendor.write_text(head + "  format: google-workspace\n  file: exports/gws.json\n", encoding="utf-8")
    named = [f for f in findings(run, str(vendor)) if f["kind"] == "google-workspace"]
    assert [(Path(str(f["path"])).name, *row) for f, row in zip(named, rows(named), strict=True)] == [
        ("gws.json", "SM365", 10, 11, "/policies/0/setting/value/enabled", "error")]
    vendor.write_text(head + "  format: google-workspace\n  data:\n    MetaData: {Tool: ScubaGoggles}\n"
                      "    Raw:\n      policies:\n        Riverbend:\n"
                      "          meet_automatic_recording: {enabled: true}\n", encoding="utf-8")
    (tmp_path / "exports" / "gws.json").unlink()
    embedded = [f for f in findings(run, str(vendor)) if f["kind"] == "google-workspace"]
    assert rows(embedded) == [
        ("SM365", 12, 38, "/export/data/Raw/policies/Riverbend/meet_automatic_recording/enabled", "error")]
