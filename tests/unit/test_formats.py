"""Shape detection, pointer mapping of views, the FHIR intake-form view and the each/compare checks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from smlint.checks import Context
from smlint.checks.artifact import each
from smlint.checks.repository import compare, index_compare
from smlint.document import Document
from smlint.formats.fhir import concept_pattern, concepts, intake_view, unknown_concepts
from smlint.formats.fhirsettings import FhirSettings
from smlint.formats.shapes import detect
from smlint.loader import load_text
from smlint.model import Span

CTX = Context(date(2026, 6, 1))
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(("data", "kind"), [
    ({"resourceType": "Questionnaire", "status": "active"}, "fhir-questionnaire"),
    ({"resourceType": "Patient"}, None),
    ({"id": "acct_1Nv0FGQ9RKHgCVdK", "object": "account", "settings": {}}, "stripe-account"),
    ({"id": "cus_123", "object": "customer"}, None),
    ({"merchant": {"id": "MLQW5Z8D2K7RB", "business_name": "RFS LLC"}}, "square-account"),
    ({"locations": [{"id": "LH2XR7V9M4KQP", "business_name": "RFS LLC"}]}, "square-account"),
    ({"payments": [{"id": "GQTFp1ZlXdpoW4o6eGiZhbjosiDFf", "statement_description_identifier": "INV 1"}]},
     "square-account"),
    ({"merchant": {"id": "MLQW5Z8D2K7RB"}}, None),
    ({"locations": [{"id": "LH2XR7V9M4KQP", "name": "Main"}]}, None),
    ({"kind": "vendor", "merchant": {"business_name": "RFS LLC"}}, None),
    ({"sid": "MG2172dd2db502e20dd981ef0d67850e1a", "inbound_request_url": None, "sticky_sender": True},
     "twilio-messaging-service"),
    ({"sid": "MG2172dd2db502e20dd981ef0d67850e1a"}, None),
    ({"schedule_meeting": {}, "in_meeting": {}, "recording": {}}, "zoom-settings"),
    ({"recording": {"cloud_recording": True}, "feature": {"meeting_capacity": 100}}, "zoom-settings"),
    ({"feature": {}, "telephony": {}}, None),
    ({"apiVersion": "v1", "kind": "ConfigMap"}, None),
])
def test_detect_by_shape(data: dict[str, object], kind: str | None) -> None:
    assert detect(data) == kind


def test_loader_detects_kind_by_shape_unless_kind_is_declared() -> None:
    result = load_text('{"resourceType": "Questionnaire", "status": "draft"}', "q.json", is_json=True)
    assert result.documents[0].kind == "fhir-questionnaire"
    declared = load_text("kind: vendor\nresourceType: Questionnaire\n", "v.yaml")
    assert declared.documents[0].kind == "vendor"


def test_prefixed_view_reports_source_pointers_and_positions() -> None:
    source = load_text("kind: vendor\nexport:\n  format: zoom-settings\n  data:\n    recording:\n"
                       "      cloud_recording: true\n", "v.yaml").documents[0]
    view = Document(source.path, "zoom-settings", source.data["export"]["data"], source.positions,
                    prefix="/export/data")
    assert view.source_pointer("/recording/cloud_recording") == "/export/data/recording/cloud_recording"
    assert view.locate("/recording/cloud_recording") == (Span(6, 7, 6, 28), True)
    assert view.locate("/recording/auto_recording") == (Span(5, 5, 5, 14), False)


def test_mapped_view_falls_back_to_nearest_mapped_ancestor() -> None:
    source = load_text("a:\n  b: 1\nitems:\n  - x: 2\n", "s.yaml").documents[0]
    view = Document("s.yaml", "intake-form", {}, source.positions,
                    pointer_map={"": "", "/clauses": "/items", "/clauses/c": "/items/0",
                                 "/clauses/c/text": "/items/0/x"})
    assert view.source_pointer("/clauses/c/text") == "/items/0/x"
    assert view.source_pointer("/clauses/missing/text") == "/items"
    assert view.source_pointer("/version") == ""
    assert view.locate("/clauses/c/text") == (Span(4, 5, 4, 9), True)
    assert view.locate("/clauses/missing") == (Span(3, 1, 3, 6), False)


QUESTIONNAIRE = """\
resourceType: Questionnaire
status: active
version: "2"
lastReviewDate: 2026-01-10
code:
  - {system: "urn:smlint:service", code: telehealth}
item:
  - linkId: consents
    type: group
    item:
      - linkId: txt
        type: boolean
        required: true
        text: I agree to texts.
        code:
          - {system: "urn:smlint:concept", code: texting_consent}
          - {system: "urn:smlint:policy-version", code: "2026.1"}
      - linkId: how
        type: choice
        text: Contact by
        answerOption:
          - valueCoding: {system: "urn:smlint:service", code: texting}
      - linkId: risks
        type: display
        text: Texts can be read by others.
      - linkId: cb
        type: string
        text: Call-back number
        code: [{system: "urn:smlint:concept", code: contingency.callback_number}]
      - linkId: guardian
        type: attachment
        code: [{system: "urn:smlint:concept", code: signature.guardian}]
      - linkId: typo
        type: boolean
        code: [{system: "urn:smlint:concept", code: texting_concent}]
"""


def test_intake_view_maps_concepts_services_and_policy_version() -> None:
    doc = load_text(QUESTIONNAIRE, "q.yaml").documents[0]
    view = intake_view(doc, FhirSettings.from_data({"link_ids": {"risks": "electronic_communication_risks"}}))
    assert view is not None and view.kind == "intake-form" and view.validate is False
    assert view.data == {
        "kind": "intake-form", "version": "2", "last_reviewed": "2026-01-10",
        "services": ["telehealth", "texting"], "acknowledges_policy": "2026.1",
        "clauses": {
            "texting_consent": {"text": "I agree to texts.", "answer_required": True, "signature_required": True,
                                "written": True},
            "electronic_communication_risks": {"text": "Texts can be read by others.", "answer_required": False,
                                               "signature_required": False},
            "contingency": {"callback_number": True},
        },
        "signature": {"guardian": True},
    }
    pointers = view.pointer_map or {}
    assert pointers["/clauses/texting_consent/text"] == "/item/0/item/0/text"
    assert pointers["/clauses/texting_consent/answer_required"] == "/item/0/item/0/required"
    assert pointers["/clauses/electronic_communication_risks/answer_required"] == "/item/0/item/2"
    assert pointers["/acknowledges_policy"] == "/item/0/item/0/code/1/code"
    assert pointers["/services/1"] == "/item/0/item/1/answerOption/0/valueCoding/code"
    assert pointers["/last_reviewed"] == "/lastReviewDate"
    assert view.source_pointer("/clauses/recording_consent") == "/item"
    assert view.locate("/clauses/texting_consent/text") == (Span(14, 9, 14, 32), True)


def test_intake_view_without_items_is_none() -> None:
    assert intake_view(load_text("resourceType: Questionnaire\nstatus: active\n", "q.yaml").documents[0]) is None


def test_concepts_come_from_the_intake_schema_and_the_fhir_schema_agrees() -> None:
    names = concepts()
    assert {"texting_consent", "recording_consent", "contingency.callback_number", "signature.client",
            "client_location", "telehealth_consent.location_verification"} <= names
    assert not {"texting_consent.written", "texting_consent.signature_required", "client_location.state"} & names
    schema = json.loads((ROOT / "schemas" / "fhir-questionnaire.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["coding"]["then"]["properties"]["code"]["pattern"] == concept_pattern()
    assert unknown_concepts({"q1": "texting_consent", "q2": "texting"}) == ["q2"]


def test_each_checks_every_match_relative_to_it() -> None:
    params = {"path": ["/a", "/b", "/c"], "where": {"path": "", "truthy": True},
              "expect": {"path": "", "matches": "^https://"}}
    data = {"a": "http://x", "b": None, "c": "https://y"}
    assert [h.pointer for h in each(data, params, CTX)] == ["/a"]
    nested = {"path": "/clauses/*", "where": {"path": "/r", "exists": True}, "expect": {"path": "/r", "equals": True}}
    hits = each({"clauses": {"x": {"r": False}, "y": {"r": True}, "z": {}}}, nested, CTX)
    assert [(h.pointer, h.variables["field"]) for h in hits] == [("/clauses/x", "x")]
    assert list(each(data, {**params, "when": {"path": "/d", "exists": True}}, CTX)) == []


def _doc(kind: str, data: dict[str, object]) -> Document:
    return Document(f"{kind}.json", kind, data, {})


def test_compare_uses_the_strictest_reference() -> None:
    params = {"source": {"kind": "zoom-settings", "path": "/days"},
              "reference": {"kind": "policy", "path": "/limit"}, "op": "lte"}

    def hits(op: str, *docs: Document) -> list[tuple[str, str]]:
        indexed = [(d, f) for d in docs if (f := index_compare(d, {**params, "op": op}))]
        return [(indexed[i][0].path, where[1])
                for i, where, *_ in compare([f for _, f in indexed], {**params, "op": op}, CTX)]

    zoom = _doc("zoom-settings", {"days": 60})
    policies = (_doc("policy", {"limit": 90}), _doc("policy", {"limit": 30}))
    assert hits("lte", zoom, *policies) == [("zoom-settings.json", "/days")]
    assert hits("gte", zoom, *policies) == [("zoom-settings.json", "/days")]
    assert hits("lte", zoom, _doc("policy", {"limit": 60})) == []
    assert hits("lte", zoom) == []
