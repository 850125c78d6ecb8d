"""Absent is not false for joins (`member_of`): a policy that keeps no `approved_vendors` list, no `version` or
no licence roster has not approved nothing. smlint asks for the list (SM030) instead of reporting every vendor,
form or state against an empty one; an explicit empty list is a decision and is judged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run

VENDOR = """\
kind: vendor
name: TherapyNotes
category: ehr
handles_client_data: true
"""
INTAKE = """\
kind: intake-form
title: Adult intake
acknowledges_policy: "2.0"
"""


def _agency(tmp_path: Path, policy: str) -> Path:
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    (tmp_path / "ehr.yaml").write_text(VENDOR, encoding="utf-8")
    (tmp_path / "intake.yaml").write_text(INTAKE, encoding="utf-8")
    return tmp_path


def _found(run: Run, agency: Path) -> list[tuple[str, str, int, str]]:
    result = run("check", str(agency), "--format", "json", "--select", "SM030,SM402,SM405", "--today", "2026-12-02")
    assert result.exit_code in (0, 1), result.stderr
    return [(Path(f["path"]).name, f["rule"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_a_policy_without_an_approved_vendor_list_is_asked_for_it(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, "kind: policy\norganisation: Birch Counseling\n")
    assert _found(run, agency) == [
        ("policy.yaml", "SM030", 1, "record 'version' (needed by SM402); and which vendors the policy approves "
                                    "('approved_vendors', a list of vendor names; [] approves none) (needed by "
                                    "SM405): smlint cannot judge those rules until it is written down")]


def test_an_empty_approved_vendor_list_approves_none(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, 'kind: policy\norganisation: Birch Counseling\nversion: "2.0"\napproved_vendors: []\n')
    assert _found(run, agency) == [
        ("ehr.yaml", "SM405", 2, "this vendor handles client data but is not on the policy's list of approved "
                                 "vendors")]


def test_a_listed_vendor_and_a_known_version_are_silent(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, 'kind: policy\nversion: "2.0"\napproved_vendors: [therapynotes]\n')
    assert _found(run, agency) == []


def test_a_form_citing_a_version_no_policy_has_is_a_finding(run: Run, tmp_path: Path) -> None:
    agency = _agency(tmp_path, 'kind: policy\nversion: "1.0"\napproved_vendors: [TherapyNotes]\n')
    assert _found(run, agency) == [
        ("intake.yaml", "SM402", 3, "the form acknowledges a policy version that no policy in this repository has")]


def test_telehealth_without_a_roster_is_sm134_alone(run: Run, tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "kind: policy\nsections:\n  telehealth:\n    text: Video sessions for clients in Oregon.\n"
        "    offered: true\n    client_states: [OR]\n", encoding="utf-8")
    result = run("check", str(tmp_path), "--format", "json", "--select", "SM030,SM134,SM403", "--today", "2026-12-02")
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("SM134", 3)]
