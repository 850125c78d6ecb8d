"""Index extraction per kind (`index.IndexPlan`): a document is handed only to the indexes of the repository
rules that can give facts for its kind (`CheckSpec.index_kinds`), and its entry is exactly the one trying
every repository rule on it gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from smlint.checks import CHECKS, Context
from smlint.document import Document, Positions
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.formats.fhirsettings import FhirSettings
from smlint.index import Entry, IndexPlan, extract
from smlint.kinds import NAMES
from smlint.loader import load_file
from smlint.naming import artifact_name
from smlint.registry import load_ruleset
from tests.conftest import EXAMPLES, TODAY


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(Selection.all_of(load_ruleset(())), Context(date.fromisoformat(TODAY), FhirSettings()))


def _documents(engine: Engine) -> list[Document]:
    """Every document of the examples (policies in Markdown and Word, web pages, forms, vendors, exports),
    with their views."""
    files = [p for p in sorted(EXAMPLES.rglob("*")) if p.suffix in (".yaml", ".yml", ".json", ".md", ".docx", ".html")]
    return [doc for path in files for doc in engine.with_views(load_file(str(path), str(path)).documents)]


def _every_rule(doc: Document, engine: Engine) -> Entry | None:
    """The entry of `doc` as the engine made it before plans: every repository rule's index tried on it."""
    facts = {}
    for rule in engine.plan.repository:
        found = CHECKS[rule.check["type"]].index(doc, rule.params)  # type: ignore[misc]
        if found:
            facts[rule.id] = found
    return Entry(doc.path, doc.kind, facts, artifact_name(doc.kind, doc.data)) if facts and doc.kind else None


def test_each_document_gets_the_entry_of_trying_every_rule(engine: Engine) -> None:
    docs = _documents(engine)
    named = {kind for kind in NAMES if engine.indexing.for_kind(kind)}
    assert named == {"google-reviews", "intake-form", "policy", "vendor", "website-page", "zoom-settings"}
    assert named <= {doc.kind for doc in docs}  # every kind a join reads is exercised
    with_facts = 0
    for doc in docs:
        expected = _every_rule(doc, engine)
        assert extract(doc, engine.indexing) == expected, doc.path
        with_facts += expected is not None
    assert with_facts > 20


def test_a_rule_is_tried_only_on_the_kinds_its_selectors_name(engine: Engine) -> None:
    plan = engine.indexing
    by_id = {rule.id: rule for rule in plan.rules}
    tried = {kind: {rule_id for rule_id, _, _ in plan.for_kind(kind)} for kind in NAMES}
    for rule_id, rule in by_id.items():
        params = rule.params
        named = {value.kind for value in vars(params).values() if hasattr(value, "matches")}
        if rule.check["type"] in ("form_set", "form_reference"):
            named.add("intake-form")
        assert {kind for kind in NAMES if rule_id in tried[kind]} == named & set(NAMES), rule_id
    assert plan.for_kind("a-kind-no-rule-names") == ()
    assert sum(map(len, tried.values())) < len(by_id) * len(NAMES) / 3  # most rules join few kinds


def test_a_check_that_names_no_kinds_is_tried_on_every_kind(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CHECKS, "compare", replace(CHECKS["compare"], index_kinds=None))
    plan = IndexPlan(engine.plan.repository)
    compare = [rule.id for rule in plan.rules if rule.check["type"] == "compare"]
    assert compare
    for kind in ("a-kind-no-rule-names", "policy"):
        assert [rule_id for rule_id, _, _ in plan.for_kind(kind) if rule_id in compare] == compare
    doc = Document("x.yaml", "a-kind-no-rule-names", {"kind": "a-kind-no-rule-names"}, Positions({}))
    assert extract(doc, plan) is None  # tried, and no facts
