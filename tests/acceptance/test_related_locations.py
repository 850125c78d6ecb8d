"""Issue 18, class 6: cross-artifact findings say which artifact, and carry it as a related location.

JSON `related: [{path, line, column, pointer}]`, SARIF `relatedLocations` (valid against the official
schema), and "See also" in the HTML report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.test_output_formats import sarif_schema
from tests.conftest import run_cli

POLICY = """\
kind: policy
organisation: Riverbend Family Services
approved_vendors: [Dropbox Business]
sections:
  electronic_communication:
    text: Every system with client data enforces multi-factor sign-in.
    mfa_required: true
"""
DROPBOX = """\
kind: vendor
name: Dropbox Business
category: storage
handles_client_data: true
stores: [files]
baa: {status: signed, signed: 2025-01-10, expires: 2028-01-10}
encryption: {in_transit: true, at_rest: true}
security: {two_factor: false, unique_user_ids: true}
"""
BOX = """\
kind: vendor
name: Box for client Jane Roe
category: storage
handles_client_data: true
stores: [files]
baa: {status: signed, signed: 2025-01-10, expires: 2028-01-10}
encryption: {in_transit: true, at_rest: true}
security: {two_factor: false, unique_user_ids: true}
"""


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    (tmp_path / ".smlint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "vendors").mkdir()
    (tmp_path / "vendors" / "dropbox.yaml").write_text(DROPBOX, encoding="utf-8")
    (tmp_path / "vendors" / "box.yaml").write_text(BOX, encoding="utf-8")
    return tmp_path


def report(agency: Path, fmt: str = "json", *paths: str) -> Any:
    result = run_cli("check", *(str(agency / p) for p in paths or (".",)), "--format", fmt, "--today",
                     "2026-03-01", "--no-cache")
    assert result.exit_code == 1, result.stderr
    return json.loads(result.stdout) if fmt in ("json", "sarif") else result.stdout


def test_cross_artifact_finding_names_and_points_at_the_other_artifacts(agency: Path) -> None:
    findings = report(agency)["findings"]
    (sm408,) = [f for f in findings if f["rule"] == "SM408"]
    assert sm408["path"].endswith("policy.yaml") and sm408["line"] == 7
    # both vendors, by their (redacted) names: the client name in one vendor's name never reaches the output
    assert sm408["message"] == ("the policy requires multi-factor sign-in, but a vendor that holds client data does "
                                "not enforce it (Box for client **** *** and Dropbox Business)")
    assert [(Path(r["path"]).name, r["line"], r["column"], r["pointer"]) for r in sm408["related"]] == [
        ("box.yaml", 1, 1, "/kind"), ("dropbox.yaml", 1, 1, "/kind")]
    assert "Jane" not in json.dumps(findings)


def test_a_vendor_missing_from_the_approved_list_points_at_the_list(agency: Path) -> None:
    findings = report(agency)["findings"]
    (sm405,) = [f for f in findings if f["rule"] == "SM405"]
    assert Path(sm405["path"]).name == "box.yaml"
    assert [(Path(r["path"]).name, r["line"], r["pointer"]) for r in sm405["related"]] == [
        ("policy.yaml", 3, "/approved_vendors")]


def test_one_named_file_still_gets_its_related_locations(agency: Path) -> None:
    findings = report(agency, "json", "policy.yaml")["findings"]
    (sm408,) = [f for f in findings if f["rule"] == "SM408"]
    assert sorted(Path(r["path"]).name for r in sm408["related"]) == ["box.yaml", "dropbox.yaml"]


def test_findings_without_another_artifact_have_no_related_key(agency: Path) -> None:
    findings = report(agency)["findings"]
    assert all("related" not in f for f in findings if f["rule"] in ("SM313",))


def test_sarif_related_locations_are_valid(agency: Path) -> None:
    import jsonschema

    log = report(agency, "sarif")
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "SM408"]
    related = result["relatedLocations"]
    assert [(r["id"], r["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1],
             r["physicalLocation"]["region"]) for r in related] == [
        (0, "box.yaml", {"startLine": 1, "startColumn": 1}), (1, "dropbox.yaml", {"startLine": 1, "startColumn": 1})]
    path = sarif_schema()
    if path is None:
        pytest.skip("the official SARIF schema is not beside the checkout")
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    assert [e.message for e in validator_cls(schema).iter_errors(log)] == []


def test_html_report_says_see_also(agency: Path) -> None:
    html = report(agency, "html")
    assert "See also: <code>" in html and "box.yaml</code> line 1" in html


def test_a_fact_from_an_export_points_at_the_export(tmp_path: Path) -> None:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "exports").mkdir()
    (tmp_path / "vendors" / "zoom.yaml").write_text(
        "kind: vendor\nname: Zoom\ncategory: video\nhandles_client_data: true\nstores: [none]\n"
        "baa: {status: signed, signed: 2025-01-10, expires: 2028-01-10}\n"
        "export: {format: zoom-settings, file: ../exports/zoom.json}\n", encoding="utf-8")
    (tmp_path / "exports" / "zoom.json").write_text(json.dumps(
        {"meeting_security": {"waiting_room": True}, "security": {"sign_in_with_two_factor_auth": "none"}},
        indent=1), encoding="utf-8")
    result = run_cli("check", str(tmp_path / "vendors" / "zoom.yaml"), "--format", "json", "--no-cache")
    (sm313,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "SM313"]
    assert (sm313["line"], sm313["pointer"]) == (7, "/security/two_factor")
    assert [(Path(r["path"]).name, r["line"], r["pointer"]) for r in sm313["related"]] == [
        ("zoom.json", 6, "/security/sign_in_with_two_factor_auth")]
