"""The kinds registry (`smlint.kinds`): what code and files say about kinds follows from its records, and a
file that repeats them (schemas, SM000/SM001, kind tables) fails this test when it drifts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from smlint import kinds, loader, naming
from smlint.checks import Context
from smlint.document import Document, Positions
from smlint.formats.shapes import SHAPES, detect
from smlint.formats.views import BUILDERS, views
from smlint.generate import PARTS, ROOT, recognised, run
from smlint.registry import load_ruleset
from smlint.reporters.summary import kind_label
from tests.conftest import ROOT as CHECKOUT

CTX = Context(date(2026, 6, 1))


def schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((CHECKOUT / "schemas" / name).read_text(encoding="utf-8"))
    return loaded


def test_every_generated_file_is_current() -> None:
    assert ROOT == CHECKOUT
    assert run(write=False) == [], "run: python -m smlint.generate --write"


def test_a_drifted_enum_is_found_and_rewritten_in_a_copy(tmp_path: Path) -> None:
    for part in PARTS:
        (tmp_path / part.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part.path).write_bytes((CHECKOUT / part.path).read_bytes())
    rule_schema = tmp_path / "schemas" / "rule.schema.json"
    rule_schema.write_text(rule_schema.read_text(encoding="utf-8").replace('        "website-page"\n', "")
                           .replace('"square-account",', '"square-account"'), encoding="utf-8")
    sm000 = tmp_path / "rules" / "sm000-tool.yaml"
    sm000.write_text(sm000.read_text(encoding="utf-8").replace("square-account, website-page]", "square-account]", 1),
                     encoding="utf-8")
    assert run(PARTS[:4], write=False, root=tmp_path) == ["schemas/rule.schema.json", "rules/sm000-tool.yaml"]
    assert run(PARTS[:4], write=True, root=tmp_path) == ["schemas/rule.schema.json", "rules/sm000-tool.yaml"]
    for name in ("schemas/rule.schema.json", "rules/sm000-tool.yaml"):
        assert (tmp_path / name).read_bytes() == (CHECKOUT / name).read_bytes()


def test_the_schemas_list_exactly_the_registry_kinds() -> None:
    rule_kinds = schema("rule.schema.json")["$defs"]["kind"]["enum"]  # type: ignore[index]
    assert rule_kinds == list(kinds.NAMES)
    config = schema("config.schema.json")["properties"]["kinds"]["additionalProperties"]["enum"]  # type: ignore[index]
    assert config == ["policy", "intake-form", "vendor", "website-page"] == list(kinds.CONFIG_KINDS)
    export = schema("vendor.schema.json")["properties"]["export"]["properties"]["format"]["enum"]  # type: ignore[index]
    assert export == ["zoom-settings", "stripe-account", "twilio-messaging-service", "google-workspace",
                      "microsoft-365", "google-reviews", "square-account"] == list(kinds.EXPORT_KINDS)


def test_sm000_and_sm001_apply_to_every_kind_and_the_loader_knows_exactly_these() -> None:
    rules = load_ruleset()
    for rule_id in ("SM000", "SM001"):
        rule = rules.get(rule_id)
        assert rule is not None and rule.kinds == kinds.NAMES
    assert loader.KNOWN_KINDS == kinds.NAMES
    assert {kind for rule in rules for kind in rule.kinds} <= set(kinds.NAMES)


def test_every_kind_has_its_schema_and_its_name_field_is_in_it() -> None:
    artifact_schemas = {path.name for path in (CHECKOUT / "schemas").glob("*.schema.json")} - {
        "rule.schema.json", "config.schema.json", "waivers.schema.json", "baseline.schema.json", "clauses.schema.json"}
    assert artifact_schemas == {kind.schema for kind in kinds.KINDS}
    for kind in kinds.KINDS:
        loaded = schema(kind.schema)
        assert loaded["$id"] == f"urn:smlint:schemas:{kind.name}", kind.name
        if kind.name_field is not None:
            assert kind.name_field in loaded["properties"], kind.name  # type: ignore[operator]
    assert naming.NAME_FIELDS == {"policy": "organisation", "intake-form": "title", "vendor": "name"}


def test_shapes_and_view_builders_match_the_records() -> None:
    assert set(SHAPES) == set(kinds.SHAPE_KINDS)
    assert set(BUILDERS) == set(kinds.VIEWS)
    assert {view for kind in kinds.KINDS for view in kind.views} == set(kinds.VIEWS)
    assert all(kind.origin in (kinds.ARTIFACT, kinds.EXPORT, kinds.FORMAT) for kind in kinds.KINDS)
    assert len(set(kinds.LABELS.values())) == len(kinds.KINDS)


def test_labels_in_reports() -> None:
    assert kind_label("intake-form") == "intake form"
    assert kind_label("fhir-questionnaire") == "intake form (FHIR Questionnaire)"
    assert kind_label("square-account") == "Square merchant export"
    assert kind_label("acme") == "acme"  # a kind smlint does not know is named as it is
    assert kind_label("") == "file"


def test_recognised_by_in_the_architecture_table() -> None:
    assert recognised(kinds.BY_NAME["policy"]) == "`kind:`, configuration `kinds` globs"
    assert recognised(kinds.BY_NAME["zoom-settings"]) == (
        "`kind:`, shape (`formats/shapes.py`), a vendor's `export.format`")
    assert recognised(kinds.BY_NAME["website-page"]) == (
        "`kind:`, file name (`.html`, `.htm`), configuration `kinds` globs")


@pytest.mark.parametrize(("data", "expected"), [
    ({"resourceType": "Questionnaire"}, "fhir-questionnaire"),
    ({"object": "account", "id": "acct_1"}, "stripe-account"),
    ({"merchant": {"business_name": "RFS"}}, "square-account"),
    ({"sid": "MG1", "usecase": "x", "sticky_sender": True}, "twilio-messaging-service"),
    ({"recording": {}, "security": {}}, "zoom-settings"),
    ({"MetaData": {"Tool": "ScubaGoggles"}, "Raw": {}}, "google-workspace"),
    ({"MetaData": {"Tool": "ScubaGear"}, "Raw": {}}, "microsoft-365"),
    # a ScubaGear results file is Microsoft 365's even when its settings look like Workspace's
    ({"MetaData": {"Tool": "ScubaGear"}, "Raw": {}, "policies": {"/": {"gmail_x": {}}}}, "microsoft-365"),
    ({"MetaData": {"Tool": "ScubaGoggles"}, "Raw": {}, "remote_domains": [], "meeting_policies": []},
     "google-workspace"),
    ({"remote_domains": [], "meeting_policies": []}, "microsoft-365"),
    ({"policies": {"/": {"gmail_x": {}}}, "remote_domains": [], "meeting_policies": []}, "google-workspace"),
    ({"reviews": [], "totalReviewCount": 0}, "google-reviews"),
    ({"reviews": [{"reviewId": "1", "starRating": "FIVE"}], "kind": "x"}, None),
    ({"name": "Doxy.me"}, None),
])
def test_detect_tries_the_shapes_in_order(data: dict[str, object], expected: str | None) -> None:
    assert detect(data) == expected


def test_views_follow_the_kind_records() -> None:
    def doc(kind: str, data: dict[str, object]) -> Document:
        return Document("a.json", kind, data, Positions({}), 0)

    vendor = doc("vendor", {"kind": "vendor", "export": {"format": "google-workspace",
                                                          "data": {"MetaData": {"Tool": "ScubaGoggles"},
                                                                   "Raw": {"policies": {}}}}})
    derived = views(vendor)
    assert [(view.kind, view.prefix) for view in derived] == [("google-workspace", "/export/data"),
                                                              ("google-workspace", "/export/data/Raw")]
    assert views(doc("policy", {"kind": "policy"})) == []
    assert views(doc("zoom-settings", {"recording": {}})) == []
    assert views(doc("not-a-kind", {})) == []


def test_the_configuration_docs_name_every_kind_a_glob_may_give() -> None:
    row = next(line for line in (CHECKOUT / "docs" / "configuration.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `kinds` |"))
    named = row.split("→", 1)[1].split(" (", 1)[0].replace(" or ", ", ")
    assert [part.strip(" `") for part in named.split(",")] == list(kinds.CONFIG_KINDS)
