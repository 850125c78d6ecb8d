"""Issue 18, class 2 (and the vendor parts of 8): one conduit and exemption model.

A carrier that only transmits and keeps nothing is a conduit and needs no BAA; one that keeps anything is a
business associate. `baa: {status: not-required}` says why (`reason`). A traditional landline is outside
the Security Rule. SM301-SM303 and SM313-SM316 agree with that model and with `examples/compliant`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smlint.checks import Context
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.loader import load_text
from smlint.model import Finding
from smlint.pipeline import check_loaded
from smlint.registry import load_ruleset
from tests.acceptance.test_unknown_facts import practice
from tests.conftest import TODAY, Run, run_cli

RULES = load_ruleset()
SECURITY = ("SM313", "SM314", "SM315", "SM316")


def vendor_findings(doc: Mapping[str, Any]) -> list[Finding]:
    result = load_text(json.dumps(doc), "vendor.json", is_json=True)
    found = check_loaded(Engine(Selection.all_of(practice()), Context(date(2026, 3, 1))), [result])
    return [f for f in found if f.rule not in ("SM410", "SM411")]  # need intake forms, none here


SIP = {"kind": "vendor", "name": "Lumen SIP", "category": "voip", "handles_client_data": True, "conduit": True,
       "stores": ["none"], "baa": {"status": "not-required", "reason": "conduit"}}
LANDLINE = {"kind": "vendor", "name": "Front desk line", "category": "landline", "handles_client_data": True,
            "baa": {"status": "not-required", "reason": "conduit"}}


def test_pure_conduit_with_its_reason_gets_no_finding() -> None:
    assert vendor_findings(SIP) == []


def test_traditional_landline_gets_no_baa_or_security_finding() -> None:
    assert vendor_findings(LANDLINE) == []


@pytest.mark.parametrize("stores", [["voicemail"], ["messages"], ["payments"], ["recordings", "none"]])
def test_a_conduit_that_stores_anything_is_not_a_conduit(stores: list[str]) -> None:
    found = {f.rule: f for f in vendor_findings({**SIP, "stores": stores})}
    assert found["SM303"].message == (
        "this vendor is marked as a conduit but stores client information, so it needs a BAA")
    assert (found["SM303"].line, found["SM303"].pointer) == (1, "/conduit")
    # and as a VoIP service that keeps something, it needs a BAA
    assert found["SM302"].message == (
        "this VoIP phone service has no signed business associate agreement and is not recorded as a pure conduit")
    # its account security now matters: asked for, not asserted
    assert "SM313" not in found and "(needed by SM313)" in found["SM030"].message


def test_conduit_reason_on_a_vendor_that_keeps_voicemail_is_sm303() -> None:
    doc = {"kind": "vendor", "name": "VoIPly", "category": "voip", "handles_client_data": True,
           "stores": ["voicemail"], "baa": {"status": "not-required", "reason": "conduit"}}
    found = {f.rule: f for f in vendor_findings(doc)}
    assert (found["SM303"].pointer, found["SM303"].line) == ("/baa/reason", 1)


def test_not_required_without_reason_is_sm324_warning() -> None:
    found = vendor_findings({**SIP, "baa": {"status": "not-required"}})
    assert [(f.rule, f.severity.label, f.pointer) for f in found] == [("SM324", "warning", "/baa/status")]
    assert found[0].message == "the business associate agreement is marked not required, but the reason is not recorded"


def test_payment_processing_reason_satisfies_sm301_and_keeps_security_questions() -> None:
    stripe = {"kind": "vendor", "name": "Stripe", "category": "payment", "handles_client_data": True,
              "stores": ["payments"], "baa": {"status": "not-required", "reason": "payment-processing"},
              "settings": {"statement_descriptor": "RFS LLC"}}
    found = vendor_findings(stripe)
    assert [f.rule for f in found] == ["SM030"]
    assert all(f"(needed by {rule})" in found[0].message for rule in SECURITY)


def test_voip_with_voicemail_and_no_agreement_is_still_an_error() -> None:
    doc = {"kind": "vendor", "name": "VoIPly", "category": "voip", "handles_client_data": True,
           "stores": ["voicemail"], "baa": {"status": "none"}}
    assert {"SM301", "SM302"} <= {f.rule for f in vendor_findings(doc)}


def test_explain_says_when_a_baa_is_and_is_not_required() -> None:
    text = {rule: " ".join(run_cli("explain", rule).stdout.split()) for rule in ("SM301", "SM302", "SM303")}
    assert "A BAA is not needed for a mere conduit" in text["SM301"]
    assert "reason: conduit" in text["SM301"] and "reason: payment-processing" in text["SM301"]
    assert "Only a carrier that transmits calls and keeps nothing" in text["SM302"]
    assert "keeps any of that maintains client information and is a business associate" in text["SM302"]
    assert ("a carrier that only transmits data, keeping none of it beyond the transmission, needs no BAA"
            in text["SM303"])
    # no rule text says that a BAA is needed "even when the agency considers it only a pipe", nor that
    # not-required is only for agencies outside HIPAA, as SM301 and SM302 once did
    for explained in text.values():
        assert "only a pipe" not in explained and "not a covered entity" not in explained
    # nothing cites HIPAA section 1179, which the project's sources do not verify
    assert all("1179" not in " ".join((r.rationale, r.remediation, *sum(r.citations.values(), ())))
               for r in RULES)


def test_the_compliant_example_agrees_with_the_model(run: Run) -> None:
    result = run("check", "examples/compliant", "--today", TODAY)
    assert result.exit_code == 0 and result.stdout.startswith("All clear: ") and "no findings" in result.stdout
    stripe = Path("examples/compliant/vendors/stripe.yaml").read_text(encoding="utf-8")
    assert "reason: payment-processing" in stripe and "1179" not in stripe


def test_schema_offers_the_new_categories_and_reasons() -> None:
    from smlint.resources import data_dir

    schema = json.loads((data_dir("schemas") / "vendor.schema.json").read_text(encoding="utf-8"))
    categories = schema["properties"]["category"]["enum"]
    assert {"landline", "scheduling", "directory"} <= set(categories)
    reason = schema["properties"]["baa"]["properties"]["reason"]
    assert reason["enum"] == ["conduit", "payment-processing", "no-client-data"]
    assert "Left out" in reason["description"]
