"""Issue 18, class 3: a vendor and its exports are one subject.

Vendor rules read the facts an attached (`export.file`) or embedded (`export.data`) export records when the
vendor YAML leaves them out; a fact both record differently is SM031, naming both places.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smlint.formats.facts import merge
from tests.conftest import run_cli

VENDOR = """\
kind: vendor
name: Zoom for Healthcare
category: video
edition: healthcare
handles_client_data: true
stores: [recordings]
baa: {status: signed, signed: 2025-01-10, expires: 2028-01-10}
export:
  format: zoom-settings
  file: ../exports/zoom.json
"""
HARDENED = {
    "schedule_meeting": {"require_password_for_scheduling_new_meetings": True, "not_store_meeting_topic": True,
                         "enforce_login": False},
    "in_meeting": {"allow_live_streaming": False, "waiting_room": True},
    "recording": {"cloud_recording": False, "auto_recording": "none"},
    "meeting_security": {"waiting_room": True, "meeting_password": True, "encryption_type": "enhanced_encryption"},
    "security": {"sign_in_with_two_factor_auth": "all"},
}
STRIPE_VENDOR = """\
kind: vendor
name: Stripe
category: payment
handles_client_data: true
stores: [payments]
baa: {status: not-required, reason: payment-processing}
security: {two_factor: true, unique_user_ids: true}
encryption: {in_transit: true, at_rest: true}
export:
  format: stripe-account
  file: ../exports/stripe.json
"""
STRIPE = {"id": "acct_1Nv0FGQ9RKHgCVdK", "object": "account", "business_profile": {"name": "Lakeshore Counseling"},
          "settings": {"payments": {"statement_descriptor": "LFC GROUP LLC"},
                       "card_payments": {"statement_descriptor_prefix": "LFC GROUP"}}}


def agency(tmp_path: Path, vendor: str, export: dict[str, Any], name: str) -> Path:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "exports").mkdir()
    (tmp_path / "vendors" / "v.yaml").write_text(vendor, encoding="utf-8")
    (tmp_path / "exports" / name).write_text(json.dumps(export, indent=2), encoding="utf-8")
    return tmp_path


def check(root: Path, *paths: str, jobs: str = "1") -> list[dict[str, Any]]:
    result = run_cli("check", *(str(root / p) for p in paths), "--format", "json", "--today", "2026-03-01",
                     "--no-cache", "--jobs", jobs)
    assert result.exit_code in (0, 1), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return [f for f in findings if f["rule"] not in ("SM410", "SM411")]  # need intake forms, none here


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hardened_zoom_export_answers_the_vendor_rules(tmp_path: Path, jobs: str) -> None:
    root = agency(tmp_path, VENDOR, HARDENED, "zoom.json")
    found = check(root, "vendors/v.yaml", jobs=jobs)
    rules = {f["rule"] for f in found}
    # SM309 (meetings unprotected), SM313 (two-factor), SM315 (in transit) are answered by the export
    assert not rules & {"SM309", "SM313", "SM315", "SM305", "SM310", "SM311", "SM312"}
    (request,) = [f for f in found if f["rule"] == "SM030"]
    # what neither the YAML nor the export records is still asked for, and nothing else
    assert request["message"] == (
        "record whether each staff member has their own account (needed by SM314); and whether this vendor "
        "encrypts the client information it stores (needed by SM316): smlint cannot judge those rules until it "
        "is written down")


def test_a_weak_export_fact_is_reported_under_the_vendor_rule_at_the_export_key(tmp_path: Path) -> None:
    weak = {**HARDENED, "security": {"sign_in_with_two_factor_auth": "group"}}
    root = agency(tmp_path, VENDOR, weak, "zoom.json")
    found = check(root, "vendors/v.yaml")
    (sm313,) = [f for f in found if f["rule"] == "SM313"]
    assert (sm313["path"].endswith("vendors/v.yaml"), sm313["line"], sm313["pointer"]) == (
        True, 8, "/security/two_factor")
    # the export's own rule says the same at the export's field
    (sm356,) = [f for f in found if f["rule"] == "SM356"]
    assert sm356["path"].endswith("exports/zoom.json")


def test_stripe_export_descriptor_satisfies_sm323_and_is_checked_by_sm304(tmp_path: Path) -> None:
    root = agency(tmp_path, STRIPE_VENDOR, STRIPE, "stripe.json")
    assert check(root, "vendors/v.yaml") == []
    revealing = {**STRIPE, "settings": {"payments": {"statement_descriptor": "LAKESHORE THERAPY"}}}
    (tmp_path / "exports" / "stripe.json").write_text(json.dumps(revealing), encoding="utf-8")
    found = {(f["rule"], Path(f["path"]).name) for f in check(root, "vendors/v.yaml")}
    assert {("SM304", "v.yaml"), ("SM360", "stripe.json")} <= found
    assert ("SM323", "v.yaml") not in found


def test_yaml_and_export_that_disagree_are_sm031_naming_both_places(tmp_path: Path) -> None:
    vendor = VENDOR.replace("stores: [recordings]\n", "stores: [recordings]\nsecurity: {two_factor: true}\n")
    weak = {**HARDENED, "security": {"sign_in_with_two_factor_auth": "none"}}
    root = agency(tmp_path, vendor, weak, "zoom.json")
    found = check(root, "vendors/v.yaml")
    (conflict,) = [f for f in found if f["rule"] == "SM031"]
    export = str(Path(conflict["path"]).parent.parent / "exports" / "zoom.json")
    text = (tmp_path / "exports" / "zoom.json").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if "sign_in_with_two_factor_auth" in row)
    assert (conflict["severity"], conflict["line"], conflict["column"], conflict["pointer"]) == (
        "error", 7, 12, "/security/two_factor")
    assert conflict["message"] == (f"the vendor file records two-factor sign-in differently from its export "
                                   f"{export} (line {line}): one of them is wrong")
    # the vendor rules judge the vendor file's own value
    assert "SM313" not in {f["rule"] for f in found}


def test_embedded_export_is_merged_too() -> None:
    vendor = {"kind": "vendor", "name": "Zoom", "category": "video", "handles_client_data": True,
              "stores": ["none"], "baa": {"status": "signed", "signed": "2025-01-10", "expires": "2028-01-10"},
              "security": {"unique_user_ids": True},
              "export": {"format": "zoom-settings", "data": HARDENED}}
    from datetime import date

    from smlint.checks import Context
    from smlint.engine import Engine
    from smlint.findings import Selection
    from smlint.loader import load_text
    from smlint.pipeline import check_loaded
    from smlint.registry import load_ruleset

    found = check_loaded(Engine(Selection.all_of(load_ruleset()), Context(date(2026, 3, 1))),
                         [load_text(json.dumps(vendor), "v.json", is_json=True)])
    assert [f.rule for f in found if f.rule not in ("SM410", "SM411")] == []


def test_merge_fills_only_what_the_yaml_leaves_out() -> None:
    merged = merge({"kind": "vendor", "security": {"two_factor": False}}, "zoom-settings", HARDENED)
    assert merged.data["security"] == {"two_factor": False}  # the YAML's value stands
    assert merged.data["settings"]["waiting_room"] is True and merged.data["encryption"]["in_transit"] is True
    assert [(c.target, c.source) for c in merged.conflicts] == [
        ("/security/two_factor", "/security/sign_in_with_two_factor_auth")]
    assert merge({"kind": "vendor"}, "zoom-settings", {"recording": {"auto_recording": 7}}).supplied == ()


SQUARE_VENDOR = STRIPE_VENDOR.replace("name: Stripe", "name: Square").replace(
    "format: stripe-account\n  file: ../exports/stripe.json", "format: square-account\n  file: ../exports/square.json")
SQUARE = {"merchant": {"id": "MLQW5Z8D2K7RB", "business_name": "LFC Group LLC", "country": "US"},
          "locations": [{"id": "LH2XR7V9M4KQP", "name": "Main office", "business_name": "LFC Group LLC"}]}


def test_square_export_gives_the_vendor_its_descriptor_sq_and_the_business_name(tmp_path: Path) -> None:
    root = agency(tmp_path, SQUARE_VENDOR, SQUARE, "square.json")
    assert check(root, "vendors/v.yaml") == []  # SM323 is answered by the export
    revealing = {"merchant": {**SQUARE["merchant"], "business_name": "Lakeshore Counseling"}}
    (tmp_path / "exports" / "square.json").write_text(json.dumps(revealing, indent=2), encoding="utf-8")
    found = [(f["rule"], Path(f["path"]).name, f["line"], f["column"]) for f in check(root, "vendors/v.yaml")]
    assert sorted(found) == [("SM304", "v.yaml", 9, 1), ("SM386", "square.json", 4, 5)]  # at `export:`
    assert merge({"kind": "vendor"}, "square-account", revealing).data["settings"] == {
        "statement_descriptor": "SQ *Lakeshore Counseling"}


def test_square_export_without_business_name_leaves_the_descriptor_to_ask_for(tmp_path: Path) -> None:
    # the business name's field name is unverified: an export without it derives nothing
    root = agency(tmp_path, SQUARE_VENDOR, {"payments": [{"id": "p1", "statement_description_identifier": "INV 1"}]},
                  "square.json")
    assert [(f["rule"], f["line"]) for f in check(root, "vendors/v.yaml")] == [("SM323", 1)]


@pytest.mark.parametrize(("recorded", "conflict"), [("LFC GROUP LLC", False), ("SQ *LFC Group LLC", False),
                                                    ("LAKESHORE FAMILY", True)])
def test_square_descriptor_recorded_in_the_yaml_is_compared_without_sq(tmp_path: Path, recorded: str,
                                                                        conflict: bool) -> None:
    vendor = SQUARE_VENDOR.replace("stores: [payments]\n",
                                   f"stores: [payments]\nsettings: {{statement_descriptor: '{recorded}'}}\n")
    root = agency(tmp_path, vendor, SQUARE, "square.json")
    rules = [f["rule"] for f in check(root, "vendors/v.yaml")]
    assert rules == (["SM031"] if conflict else [])


def test_square_vendor_needs_the_payment_privacy_clause(tmp_path: Path) -> None:
    root = agency(tmp_path, SQUARE_VENDOR, SQUARE, "square.json")
    (root / "intake").mkdir()
    form = root / "intake" / "f.yaml"
    form.write_text("kind: intake-form\nclauses:\n  technology_policy_acknowledgement: {text: I received it.}\n",
                    encoding="utf-8")
    result = run_cli("check", str(root / "vendors"), str(root / "intake"), "--format", "json", "--no-cache",
                     "--select", "SM410", "--today", "2026-03-01")
    assert [(f["rule"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]] \
        == [("SM410", "v.yaml", 3, 1)]
    form.write_text("kind: intake-form\nclauses:\n  payment_privacy: {text: Card payments show a neutral name.}\n",
                    encoding="utf-8")
    result = run_cli("check", str(root / "vendors"), str(root / "intake"), "--format", "json", "--no-cache",
                     "--select", "SM410", "--today", "2026-03-01")
    assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, [])
