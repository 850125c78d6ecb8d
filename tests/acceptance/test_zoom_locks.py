"""Issue 16: Zoom lock settings attached with the settings of the same account, and AI meeting summaries.

A vendor lists both exports under `export:`; the lock export gives the vendor its `locks` facts and SM389
(waiting room, passcodes), SM357 (streaming, recording) and SM358 (AI summaries) report each protective
setting the account sets but does not lock, at the vendor's `export:` key with the
lock field as the related location. A lock the export leaves out is not judged. SM480 asks an intake form
for the AI-summary consent when the Zoom settings turn summaries on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

VENDOR = """\
kind: vendor
name: Zoom for Healthcare
category: video
edition: healthcare
handles_client_data: true
stores: [none]
baa: {status: signed, signed: 2025-01-10, expires: 2028-01-10}
security: {unique_user_ids: true}
encryption: {at_rest: true}
export:
  - format: zoom-settings
    file: ../exports/zoom-settings.json
  - format: zoom-lock-settings
    file: ../exports/zoom-locks.json
"""
EXPORT_LINE = 10  # `export:` in VENDOR
SETTINGS = {
    "schedule_meeting": {"audio_type": "voip", "require_password_for_scheduling_new_meetings": True,
                         "not_store_meeting_topic": True, "enforce_login": False},
    "in_meeting": {"allow_live_streaming": False,
                   "meeting_summary_with_ai_companion": {"enable": False, "auto_enable": False}},
    "recording": {"cloud_recording": False, "auto_recording": "none"},
    "meeting_security": {"waiting_room": True, "meeting_password": True, "encryption_type": "enhanced_encryption"},
    "security": {"sign_in_with_two_factor_auth": "all"},
}
ALL_LOCKED = {
    "schedule_meeting": {"audio_type": True, "require_password_for_scheduling_new_meetings": True,
                         "not_store_meeting_topic": True},
    "in_meeting": {"allow_live_streaming": True, "meeting_summary_with_ai_companion": True},
    "recording": {"cloud_recording": True, "auto_recording": True, "auto_delete_cmr": True},
    "meeting_security": {"waiting_room": True, "meeting_password": True, "encryption_type": True},
}
INTAKE = """\
kind: intake-form
title: Adult intake
clauses:
  recording_consent: {text: Sessions are never recorded without my separate written consent.}
"""


def unlocked(*fields: tuple[str, str]) -> dict[str, Any]:
    locks = json.loads(json.dumps(ALL_LOCKED))
    for section, field in fields:
        locks[section][field] = False
    return locks


def agency(tmp_path: Path, locks: dict[str, Any] | None, settings: dict[str, Any] = SETTINGS,
           vendor: str = VENDOR) -> Path:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "exports").mkdir()
    (tmp_path / "vendors" / "zoom.yaml").write_text(vendor, encoding="utf-8")
    (tmp_path / "exports" / "zoom-settings.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")
    if locks is not None:
        (tmp_path / "exports" / "zoom-locks.json").write_text(json.dumps(locks, indent=2), encoding="utf-8")
    return tmp_path


def check(root: Path, *paths: str, jobs: str = "1") -> tuple[int, list[dict[str, Any]]]:
    """The run's exit code and findings, from the agency's folder; without SM411 (a video vendor asks for a
    telehealth consent that these one-vendor projects have no intake form for) and the intake form's own
    findings (a stub form), which are not what these tests are about."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = run_cli("check", *paths, "--format", "json", "--today", "2026-03-01", "--no-cache", "--jobs", jobs)
    assert result.exit_code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    kept = [f for f in findings if f["rule"] != "SM411" and f["path"] != "intake.yaml"]
    return (1 if any(f["severity"] == "error" for f in kept) else 0), kept


def line_of(path: Path, key: str, after: str = "") -> tuple[int, int]:
    """Line and column of the first `"key":` in a JSON file (after the line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, row in enumerate(lines) if after in row) if after else 0
    for number, row in enumerate(lines[start:], start + 1):
        if f'"{key}":' in row:
            return number, row.index(f'"{key}":') + 1
    raise AssertionError(key)


LOCK_RULES = ("SM389", "SM357", "SM358")  # waiting room and passcodes; streaming and recording; AI summaries


def sm389(findings: list[dict[str, Any]]) -> list[tuple[str, int, int, str, str, tuple[int, int, str]]]:
    """The findings of the three lock rules (SM389, SM357, SM358), rule first."""
    return sorted((f["rule"], f["line"], f["column"], f["pointer"], f["message"],
                   *[(r["line"], r["column"], r["pointer"]) for r in f.get("related", [])])
                  for f in findings if f["rule"] in LOCK_RULES)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_unlocked_protective_setting_is_sm389_at_the_export_key(tmp_path: Path, jobs: str) -> None:
    locks = unlocked(("meeting_security", "waiting_room"), ("meeting_security", "meeting_password"),
                     ("schedule_meeting", "require_password_for_scheduling_new_meetings"),
                     ("recording", "cloud_recording"), ("in_meeting", "meeting_summary_with_ai_companion"))
    root = agency(tmp_path, locks)
    lock_file = root / "exports" / "zoom-locks.json"
    code, found = check(root, ".", jobs=jobs)
    assert code == 0  # warnings only (besides SM411, left out)
    expected = sorted([
        ("SM389", EXPORT_LINE, 1, "/locks/waiting_room",
         "the waiting room (on): set for the account but not locked, so each host can change it",
         (*line_of(lock_file, "waiting_room", "meeting_security"), "/meeting_security/waiting_room")),
        # no passcode setting is locked: the related location is the first one the vendor fact reads
        ("SM389", EXPORT_LINE, 1, "/locks/passcode_required",
         "meeting passcodes (required): set for the account but not locked, so each host can change it",
         (*line_of(lock_file, "meeting_password"), "/meeting_security/meeting_password")),
        ("SM357", EXPORT_LINE, 1, "/locks/cloud_recording",
         "cloud recording (off): set for the account but not locked, so each host can change it",
         (*line_of(lock_file, "cloud_recording"), "/recording/cloud_recording")),
        ("SM358", EXPORT_LINE, 1, "/locks/ai_meeting_summary",
         "AI meeting summaries (off): set for the account but not locked, so each host can change it",
         (*line_of(lock_file, "meeting_summary_with_ai_companion"), "/in_meeting/meeting_summary_with_ai_companion")),
    ])
    assert sm389(found) == expected
    assert {f["path"] for f in found} == {"vendors/zoom.yaml"}
    # nothing is asked for that the two exports record
    assert not [f for f in found if f["rule"] in ("SM030", "SM309", "SM313", "SM315")]


def test_pre_commit_passes_only_the_vendor_file_and_the_exports_are_read(tmp_path: Path) -> None:
    root = agency(tmp_path, unlocked(("recording", "auto_recording")))
    _, found = check(root, "vendors/zoom.yaml")
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in found] == [
        ("SM357", EXPORT_LINE, 1, "/locks/auto_recording")]


def test_every_protective_setting_locked_gives_nothing(tmp_path: Path) -> None:
    assert check(agency(tmp_path, ALL_LOCKED), ".") == (0, [])


def test_a_lock_the_export_leaves_out_is_not_judged(tmp_path: Path) -> None:
    locks = unlocked()
    del locks["meeting_security"]  # the ?option=meeting_security response was not saved
    del locks["recording"]["cloud_recording"]
    assert check(agency(tmp_path, locks), ".") == (0, [])  # no SM389, and no SM030 asking for locks


def test_without_a_lock_export_nothing_is_said_about_locks(tmp_path: Path) -> None:
    vendor = VENDOR.split("  - format: zoom-lock-settings")[0]
    assert check(agency(tmp_path, None, vendor=vendor), ".") == (0, [])


def test_a_non_compliant_setting_is_its_own_rules_matter_not_sm389(tmp_path: Path) -> None:
    settings = {**SETTINGS, "in_meeting": {**SETTINGS["in_meeting"], "allow_live_streaming": True}}
    _, found = check(agency(tmp_path, unlocked(("in_meeting", "allow_live_streaming")), settings), ".")
    assert not set(LOCK_RULES) & {f["rule"] for f in found}
    assert "SM305" in {f["rule"] for f in found}


def test_a_lock_file_found_on_its_own_is_lock_settings_and_gives_no_finding(tmp_path: Path) -> None:
    # read as settings, `cloud_recording: true` and `allow_live_streaming: true` (locked) would be SM354 and SM350
    (tmp_path / "zoom-locks.json").write_text(json.dumps(ALL_LOCKED, indent=2), encoding="utf-8")
    result = run_cli("check", str(tmp_path), "--today", "2026-03-01", "--no-cache")
    assert (result.exit_code, result.stdout) == (0, "All clear: 1 file(s) checked, no findings.\n")


def test_embedded_lock_settings_point_into_the_vendor_file(tmp_path: Path) -> None:
    vendor = VENDOR.split("  - format: zoom-lock-settings")[0] + (
        "  - format: zoom-lock-settings\n"
        "    data:\n"
        "      meeting_security: {waiting_room: false, meeting_password: true, encryption_type: true}\n")
    _, found = check(agency(tmp_path, None, vendor=vendor), ".")
    assert sm389(found) == [("SM389", EXPORT_LINE, 1, "/locks/waiting_room",
                             "the waiting room (on): set for the account but not locked, so each host can change it",
                             (15, 26, "/export/1/data/meeting_security/waiting_room"))]


def test_a_lock_the_vendor_file_records_otherwise_is_sm031(tmp_path: Path) -> None:
    vendor = VENDOR.replace("encryption: {at_rest: true}\n",
                            "encryption: {at_rest: true}\nlocks: {waiting_room: true}\n")
    root = agency(tmp_path, unlocked(("meeting_security", "waiting_room")), vendor=vendor)
    _, found = check(root, ".")
    (conflict,) = [f for f in found if f["rule"] == "SM031"]
    lock_line, _ = line_of(root / "exports" / "zoom-locks.json", "waiting_room", "meeting_security")
    assert (conflict["line"], conflict["column"], conflict["pointer"]) == (10, 9, "/locks/waiting_room")
    assert conflict["message"] == (
        "the vendor file records whether the waiting room is locked differently from its export "
        f"exports/zoom-locks.json (line {lock_line}): one of them is wrong")
    assert "SM389" not in {f["rule"] for f in found}  # the vendor file's value is the one judged


def test_an_unusable_entry_of_the_list_is_sm000_at_its_file(tmp_path: Path) -> None:
    root = agency(tmp_path, None)  # the lock file the second entry names does not exist
    _, found = check(root, "vendors/zoom.yaml")
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in found] == [("SM000", 14, 5, "/export/1/file")]


def test_a_list_entry_in_an_unknown_format_is_sm001(tmp_path: Path) -> None:
    vendor = VENDOR.replace("format: zoom-lock-settings", "format: zoom-locks")
    _, found = check(agency(tmp_path, ALL_LOCKED, vendor=vendor), "vendors/zoom.yaml")
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in found] == [("SM001", 13, 5, "/export/1/format")]


# AI meeting summaries (SM480)

def summaries_on(settings: dict[str, Any] = SETTINGS) -> dict[str, Any]:
    on = json.loads(json.dumps(settings))
    on["in_meeting"]["meeting_summary_with_ai_companion"] = {"enable": True, "auto_enable": True,
                                                             "who_will_receive_summary": 2}
    return on


def test_summaries_on_without_a_consent_clause_is_sm480_at_the_setting(tmp_path: Path) -> None:
    root = agency(tmp_path, ALL_LOCKED, summaries_on())
    (root / "intake.yaml").write_text(INTAKE, encoding="utf-8")
    code, found = check(root, ".")
    line, column = line_of(root / "exports" / "zoom-settings.json", "enable")
    assert code == 1  # SM480 is an error
    assert [(f["rule"], f["path"], f["line"], f["column"], f["pointer"], f["message"]) for f in found] == [
        ("SM480", "exports/zoom-settings.json", line, column, "/in_meeting/meeting_summary_with_ai_companion/enable",
         "Zoom can send sessions to its AI meeting summary, but no intake form asks the client's consent to it")]


def test_a_yaml_or_fhir_consent_clause_answers_sm480(tmp_path: Path) -> None:
    root = agency(tmp_path, ALL_LOCKED, summaries_on())
    (root / "intake.yaml").write_text(INTAKE + "  ai_summary_consent:\n    text: I agree that an AI assistant may "
                                      "summarise my video sessions.\n", encoding="utf-8")
    assert check(root, ".") == (0, [])
    (root / "intake.yaml").unlink()
    questionnaire = {"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "7.2", "type": "boolean", "required": True,
         "text": "I give permission for Zoom's AI Companion to write a summary of my telehealth sessions."}]}
    (root / "intake.json").write_text(json.dumps(questionnaire, indent=2), encoding="utf-8")
    assert "SM480" not in {f["rule"] for f in check(root, ".")[1]}


def test_summary_settings_in_another_shape_are_read_as_not_recorded(tmp_path: Path) -> None:
    settings = json.loads(json.dumps(SETTINGS))
    settings["in_meeting"]["meeting_summary_with_ai_companion"] = True  # not Zoom's documented object
    root = agency(tmp_path, ALL_LOCKED, settings)
    (root / "intake.yaml").write_text(INTAKE, encoding="utf-8")
    assert check(root, ".") == (0, [])  # no SM480, no SM001, no SM389 for an unknown summary setting
