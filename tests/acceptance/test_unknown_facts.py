"""Issue 18, class 1: a fact the files do not record is neither true nor false.

A rule that reads a fact an artifact leaves out makes no finding of its own (unless it declares
`unknown: violation` and says the fact is not recorded); the artifact gets one SM030 warning at its
`kind:` key that lists what to record and which rules need it. A fact recorded as false keeps its error.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smlint.checks import Context
from smlint.checks.conditions import leaves
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.loader import load_text
from smlint.model import Finding, Rule
from smlint.pipeline import check_loaded
from smlint.registry import load_ruleset
from tests.conftest import run_cli

RULES = load_ruleset()
DOCUMENT_KINDS = frozenset({"policy", "intake-form", "fhir-questionnaire"})
# how a message may speak of something the files leave out
NOT_RECORDED = re.compile(r"\b(not recorded|does not record|no \w+( \w+)* is recorded)\b")
# a document's silence is a fact about the document: such messages speak of the document itself
DOCUMENT_SUBJECT = re.compile(
    r"^(the|this) ([\w-]+ ){0,3}(policy|form|questionnaire|section|clause|consent|plan)\b"
    r"|^the client can submit the form")


def practice(covered: bool = True) -> list[Rule]:
    """Every rule, as for a practice that is (the default) or is not a HIPAA covered entity: the rules for the
    other kind of practice (`profile: [covered-entity]` or `[not-covered-entity]`) are left out."""
    other = "not-covered-entity" if covered else "covered-entity"
    return [rule for rule in RULES if other not in rule.profile]


def findings(*documents: Mapping[str, Any], today: date = date(2026, 1, 15), covered: bool = True) -> list[Finding]:
    results = [load_text(json.dumps(doc), f"doc-{i}.json", is_json=True) for i, doc in enumerate(documents)]
    return check_loaded(Engine(Selection.all_of(practice(covered)), Context(today)), results)


def vendor_findings(*documents: Mapping[str, Any]) -> list[Finding]:
    """Without SM410/SM411, which ask for intake-form clauses that these one-vendor projects lack."""
    return [f for f in findings(*documents) if f.rule not in ("SM410", "SM411")]


def read_paths(rule: Rule) -> list[str]:
    """The paths of the facts a rule's check judges: `expect` (assert, and each entry's of assert_all; each
    relative to its values is skipped), a trigger's `expect`, or `required`'s paths."""
    check = rule.check
    if check["type"] == "required":
        return list(check["paths"])
    if check["type"] == "assert":
        return [leaf["path"] for leaf in leaves(check["expect"]) if "*" not in leaf["path"]]
    if check["type"] == "assert_all":
        return [leaf["path"] for entry in check["asserts"] for leaf in leaves(entry["expect"])
                if "*" not in leaf["path"]]
    if check["type"] == "all_satisfy" and "expect" in check.get("trigger", {}):
        return [leaf["path"] for leaf in leaves(check["trigger"]["expect"])]
    return []


def without(data: Any, path: str) -> Any:
    out = copy.deepcopy(data)
    parts = path.strip("/").split("/")
    node = out
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            return out
        node = node[part]
    if isinstance(node, dict):
        node.pop(parts[-1], None)
    return out


def cases() -> Iterator[Any]:
    for rule in RULES:
        for index, example in enumerate(rule.fail_examples):
            if example.source is not None or not example.documents:
                continue
            for path in read_paths(rule):
                yield pytest.param(rule, index, path, id=f"{rule.id}-fail{index}-{path}")


@pytest.mark.parametrize(("rule", "index", "path"), list(cases()))
def test_no_rule_states_as_fact_what_is_not_recorded(rule: Rule, index: int, path: str) -> None:
    example = rule.fail_examples[index]
    today = date.fromisoformat(example.today) if example.today else date(2026, 1, 15)
    documents = [without(doc, path) if doc.get("kind") in (*rule.kinds, None) else doc for doc in example.documents]
    if documents == list(example.documents):
        return  # the example does not record this path either way
    covered = "not-covered-entity" not in rule.profile
    own = [f for f in findings(*documents, today=today, covered=covered) if f.rule == rule.id]
    if rule.check["type"] == "assert_all":  # each entry is judged on its own: the others may still fail
        own = [f for f in own if f.pointer == path]
    if not own:
        return
    kind = own[0].kind
    assert rule.unknown in ("violation", "n/a"), (
        f"{rule.id} reports a fact that is not recorded ({path}) but declares unknown: {rule.unknown}")
    for finding in own:
        if kind in DOCUMENT_KINDS:
            assert DOCUMENT_SUBJECT.match(finding.message) or NOT_RECORDED.search(finding.message), (
                f"{rule.id}: '{finding.message}' must speak of the document, or say the fact is not recorded")
        else:
            assert NOT_RECORDED.search(finding.message), (
                f"{rule.id}: '{finding.message}' states a fact that {path} leaves out")


def test_every_rule_declares_its_unknown_handling() -> None:
    for rule in RULES:
        assert rule.unknown in ("report", "ignore", "violation", "n/a"), rule.id
        if rule.check["type"] in ("assert", "assert_all", "each", "all_satisfy", "member_of"):
            assert rule.unknown != "n/a", rule.id
        else:
            assert rule.unknown == "n/a", rule.id


PAYMENT = {"kind": "vendor", "name": "Stripe", "category": "payment", "handles_client_data": True,
           "stores": ["payments"], "baa": {"status": "not-required", "reason": "payment-processing"},
           "settings": {"statement_descriptor": "RFS LLC"}}


def test_payment_processor_with_nothing_recorded_gets_one_request_not_four_errors() -> None:
    found = vendor_findings(PAYMENT)
    assert [(f.rule, f.severity.label, f.line, f.pointer) for f in found] == [("SM030", "warning", 1, "/kind")]
    message = found[0].message
    assert message == (
        "record whether two-factor sign-in is enforced for all staff (needed by SM313); whether each staff "
        "member has their own account (needed by SM314); whether this vendor encrypts client information in "
        "transit (needed by SM315); and whether this vendor encrypts the client information it stores (needed "
        "by SM316): smlint cannot judge those rules until it is written down")
    assert not re.search(r"\b(does not encrypt|is not enforced|do not each)\b", message)


def test_recorded_false_keeps_the_rule_error() -> None:
    recorded = {**PAYMENT, "security": {"two_factor": False, "unique_user_ids": True},
                "encryption": {"in_transit": True, "at_rest": True}}
    found = vendor_findings(recorded)
    assert [(f.rule, f.severity.label, f.pointer) for f in found] == [("SM313", "error", "/security/two_factor")]
    assert found[0].message == "two-factor sign-in is not enforced on this vendor, which holds client information"


def test_unknown_ignore_and_violation() -> None:
    video = {"kind": "vendor", "name": "Doxy", "category": "video", "handles_client_data": True,
             "baa": {"status": "signed", "signed": "2025-01-01", "expires": "2027-01-01"},
             "security": {"two_factor": True, "unique_user_ids": True},
             "encryption": {"in_transit": True, "at_rest": True}}
    found = vendor_findings(video)
    # SM305 (live streaming) declares `ignore`: nothing about it; SM309 (`report`) asks once
    assert [f.rule for f in found] == ["SM030"]
    assert "SM305" not in found[0].message and "(needed by SM309)" in found[0].message
    # SM301 declares `violation`: a vendor handling client data with no agreement recorded is reported,
    # worded as not recorded
    no_baa = vendor_findings({k: v for k, v in video.items() if k != "baa"})
    assert [(f.rule, f.message) for f in no_baa if f.rule == "SM301"] == [
        ("SM301", "this vendor handles client data but no business associate agreement is recorded for it")]


def test_cross_artifact_unknown_is_asked_at_the_vendor_in_the_same_sm030() -> None:
    policy = {"kind": "policy", "sections": {"electronic_communication": {"text": "All encrypted.",
                                                                         "encryption_at_rest": True}}}
    vendor = {**PAYMENT, "security": {"two_factor": True, "unique_user_ids": True}, "encryption": {"in_transit": True}}
    found = findings(policy, vendor)
    assert not [f for f in found if f.rule == "SM407"]
    # the policy keeps no approved_vendors list: a second request, at the policy, asks for it (SM405)
    (asked_policy, request) = sorted((f for f in found if f.rule == "SM030"), key=lambda f: f.path)
    assert (asked_policy.path, asked_policy.pointer) == ("doc-0.json", "/kind")
    assert "(needed by SM405)" in asked_policy.message
    assert (request.path, request.line, request.pointer) == ("doc-1.json", 1, "/kind")
    assert "whether this vendor encrypts the client information it stores (needed by SM316, SM407)" in request.message


def test_a_list_items_unrecorded_fact_is_asked_in_the_schemas_words() -> None:
    """SM337 reads `/subcontractors/N/agreement`: the request uses the phrase of the list's item schema."""
    vendor = {"kind": "vendor", "name": "Spruce Health", "category": "texting", "handles_client_data": True,
              "baa": {"status": "signed"}, "subcontractors": [{"name": "SMS carrier", "handles_client_data": True}]}
    requests = [f.message for f in vendor_findings(vendor) if f.rule == "SM030"]
    assert len(requests) == 1
    assert ("whether each subcontractor that handles client information is bound by a written agreement "
            "(needed by SM337)") in requests[0]
    bound = {**vendor, "subcontractors": [{"name": "SMS carrier", "handles_client_data": True, "agreement": False}]}
    assert [f.rule for f in vendor_findings(bound) if f.rule in ("SM030", "SM337")].count("SM337") == 1


def test_explain_and_rules_json_show_the_handling() -> None:
    explained = run_cli("explain", "SM313")
    assert "When a fact it reads is not recorded: report (no finding of this rule; the artifact's SM030 " \
           "warning asks for the fact)" in explained.stdout
    listing = {r["id"]: r for r in json.loads(run_cli("rules", "--format", "json").stdout)}
    assert (listing["SM313"]["unknown"], listing["SM305"]["unknown"], listing["SM301"]["unknown"],
            listing["SM323"]["unknown"]) == ("report", "ignore", "violation", "n/a")


def test_custom_rule_with_unknown_on_a_check_that_reads_no_fact_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        "id: ACME001\nname: acme-x\ntitle: x\nseverity: error\nkinds: [vendor]\nscope: artifact\ntips: []\n"
        "citations: {other: [x]}\nrationale: x\nremediation: x\nunknown: ignore\n"
        "check: {type: required, paths: [/owner]}\nmessage: no owner\n"
        "examples: {fail: [{document: {kind: vendor}}], pass: [{document: {kind: vendor, owner: x}}]}\n",
        encoding="utf-8")
    result = run_cli("rules", "--rules-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "r.yaml:11:1" in result.stderr and "'unknown' does not apply" in result.stderr
