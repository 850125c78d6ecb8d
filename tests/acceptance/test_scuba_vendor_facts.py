"""Issue 16 (done when): a vendor file that attaches a Google Workspace or Microsoft 365 export gets its facts
from it. The e-mail vendor's `settings.external_auto_forwarding` (SM320) and `security.two_factor` (SM313) come
from ScubaGoggles' or ScubaGear's settings, in every shape smlint reads (provider output, results file, Policy
API list), so the vendor is not asked to record them (SM030); a finding about such a fact points at the vendor's
`export:` key, with the export's field as the related location.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli

VENDOR = """\
kind: vendor
name: {name}
category: email
handles_client_data: true
stores: [messages, files]
baa: {{status: signed, signed: 2025-01-10, expires: 2028-01-10}}
encryption: {{in_transit: true, at_rest: true}}
security: {{unique_user_ids: true}}
export:
  format: {format}
  file: ../exports/{file}
"""
EXPORT_LINE = 9  # `export:` in VENDOR


def agency(tmp_path: Path, fmt: str, export: Path | dict[str, Any], name: str = "Mail") -> Path:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "settings.json"
    if isinstance(export, Path):
        shutil.copy(export, target)
    else:
        target.write_text(json.dumps(export, indent=2), encoding="utf-8")
    (tmp_path / "vendors" / "mail.yaml").write_text(VENDOR.format(name=name, format=fmt, file="settings.json"),
                                                   encoding="utf-8")
    return tmp_path


def vendor_findings(root: Path) -> list[tuple[str, int, int, str, str, tuple[Any, ...]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = run_cli("check", "vendors/mail.yaml", "--format", "json", "--today", "2026-03-01", "--no-cache")
    assert result.exit_code in (0, 1), result.stderr
    return [(f["rule"], f["line"], f["column"], f["pointer"], f["message"],
             tuple((r["path"], r["line"], r["column"], r["pointer"]) for r in f.get("related", [])))
            for f in json.loads(result.stdout)["findings"] if f["path"] == "vendors/mail.yaml"]


def line_of(path: Path, text: str, occurrence: int = 1) -> tuple[int, int]:
    seen = 0
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in row:
            seen += 1
            if seen == occurrence:
                return number, row.index(text) + 1
    raise AssertionError(text)


@pytest.mark.parametrize(("fmt", "example"), [
    ("google-workspace", "compliant/exports/google-workspace-scubagoggles.json"),  # results file (Raw)
    ("microsoft-365", "compliant/exports/microsoft-365-scubagear.json"),
])
def test_a_hardened_export_answers_forwarding_and_two_factor(tmp_path: Path, fmt: str, example: str) -> None:
    root = agency(tmp_path, fmt, EXAMPLES / example)
    assert vendor_findings(root) == []  # nothing asked for (SM030), nothing reported (SM313, SM320)


def test_policy_api_list_gives_the_unit_that_forwards_and_the_unit_that_never_enforces(tmp_path: Path) -> None:
    root = agency(tmp_path, "google-workspace", EXAMPLES / "noncompliant/exports/google-workspace-policies.json")
    export = root / "exports" / "settings.json"
    forwarding, never = line_of(export, '"enableAutoForwarding"'), line_of(export, '"enforcedFrom"')
    assert vendor_findings(root) == [
        ("SM313", EXPORT_LINE, 1, "/security/two_factor",
         "two-factor sign-in is not enforced on this vendor, which holds client information",
         (("exports/settings.json", *never, "/policies/2/setting/value/enforcedFrom"),)),
        ("SM320", EXPORT_LINE, 1, "/settings/external_auto_forwarding",
         "mail can be forwarded automatically to outside addresses",
         (("exports/settings.json", *forwarding, "/policies/0/setting/value/enableAutoForwarding"),)),
    ]


def test_scubagear_results_give_forwarding_and_missing_mfa(tmp_path: Path) -> None:
    root = agency(tmp_path, "microsoft-365", EXAMPLES / "noncompliant/exports/microsoft-365-scubaresults.json")
    export = root / "exports" / "settings.json"
    policies, forwarding = line_of(export, '"conditional_access_policies"'), line_of(export, '"AutoForwardEnabled"')
    assert vendor_findings(root) == [
        ("SM313", EXPORT_LINE, 1, "/security/two_factor",
         "two-factor sign-in is not enforced on this vendor, which holds client information",
         (("exports/settings.json", *policies, "/Raw/conditional_access_policies"),)),
        ("SM320", EXPORT_LINE, 1, "/settings/external_auto_forwarding",
         "mail can be forwarded automatically to outside addresses",
         (("exports/settings.json", *forwarding, "/Raw/remote_domains/0/AutoForwardEnabled"),)),
    ]


def test_one_unit_that_forwards_is_enough_and_one_that_blocks_is_not(tmp_path: Path) -> None:
    provider = {"policies": {
        "Riverbend": {"gmail_auto_forwarding": {"enableAutoForwarding": False},
                      "security_two_step_verification_enforcement": {"enforcedFrom": "2024-05-01T00:00:00Z"}},
        "Front Desk": {"gmail_auto_forwarding": {"enableAutoForwarding": True}}}}
    root = agency(tmp_path, "google-workspace", provider)
    line, column = line_of(root / "exports" / "settings.json", '"enableAutoForwarding": true')
    # the unit's name could be a person's: masked in the pointer, like any name
    assert [(rule, related) for rule, *_, related in vendor_findings(root)] == [
        ("SM320", (("exports/settings.json", line, column, "/policies/***** ****/gmail_auto_forwarding/"
                                                            "enableAutoForwarding"),))]


@pytest.mark.parametrize("provider", [
    {"policies": {"Riverbend": {"meet_automatic_recording": {"enabled": False}}}},  # neither recorded
    # enforcement scheduled in the future: not enforced yet, not "not enforced" either
    {"policies": {"Riverbend": {
        "gmail_auto_forwarding": {"enableAutoForwarding": False},
        "security_two_step_verification_enforcement": {"enforcedFrom": "2999-01-01T00:00:00Z"}}}},
])
def test_what_the_export_leaves_out_is_still_asked_for(tmp_path: Path, provider: dict[str, Any]) -> None:
    root = agency(tmp_path, "google-workspace", provider)
    (request,) = [row for row in vendor_findings(root) if row[0] == "SM030"]
    assert "whether two-factor sign-in is enforced for all staff (needed by SM313)" in request[4]
    forwarding = "whether mail can be forwarded automatically to outside addresses (needed by SM320)"
    assert (forwarding in request[4]) == ("gmail_auto_forwarding" not in provider["policies"]["Riverbend"])
    assert not [row for row in vendor_findings(root) if row[0] in ("SM313", "SM320")]


def test_a_vendor_file_that_says_otherwise_is_sm031(tmp_path: Path) -> None:
    root = agency(tmp_path, "microsoft-365", EXAMPLES / "noncompliant/exports/microsoft-365-scubaresults.json")
    vendor = root / "vendors" / "mail.yaml"
    vendor.write_text(vendor.read_text(encoding="utf-8").replace(
        "security: {unique_user_ids: true}", "security: {unique_user_ids: true, two_factor: true}"), encoding="utf-8")
    conflicts = [row for row in vendor_findings(root) if row[0] == "SM031"]
    line, _ = line_of(root / "exports" / "settings.json", '"conditional_access_policies"')
    assert [(rule, at_line, column, pointer, message) for rule, at_line, column, pointer, message, _ in conflicts] == [
        ("SM031", 8, 35, "/security/two_factor",
         "the vendor file records multi-factor authentication for all users differently from its export "
         f"exports/settings.json (line {line}): one of them is wrong")]
