"""Issue 18, class 7: the word lists catch the abbreviations statements use, and only whole words.

`tests/fidelity/descriptors.yaml` holds real-looking statement descriptors, written before looking at the
word lists: every revealing one must be reported by each descriptor rule, no neutral one by any.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from ruamel.yaml import YAML

from smlint.checks import Context
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.loader import load_text
from smlint.pipeline import check_loaded
from smlint.registry import load_ruleset
from tests.conftest import ROOT

CORPUS = YAML(typ="safe").load((ROOT / "tests" / "fidelity" / "descriptors.yaml").read_text(encoding="utf-8"))
RULES = load_ruleset()
SELECTION = Selection.all_of(RULES)


def vendor(descriptor: str) -> dict[str, Any]:
    return {"kind": "vendor", "name": "Processor", "category": "payment", "handles_client_data": True,
            "settings": {"statement_descriptor": descriptor}}


def stripe(descriptor: str) -> dict[str, Any]:
    return {"id": "acct_1", "object": "account", "business_profile": {"name": descriptor},
            "settings": {"payments": {"statement_descriptor": descriptor},
                         "card_payments": {"statement_descriptor_prefix": descriptor}}}


def reminder(text: str) -> dict[str, Any]:
    return {"kind": "vendor", "name": "Texting", "category": "texting", "handles_client_data": True,
            "settings": {"reminder_template": f"{text}: reminder of your appointment tomorrow at 3"}}


# each descriptor rule and how a descriptor reaches it (SM362 reads the business name when no descriptor
# is set, so it gets a Stripe account without one)
CASES = {
    "SM304": vendor,
    "SM360": stripe,
    "SM361": stripe,
    "SM362": lambda d: {**stripe(d), "settings": {"payments": {}}},
    "SM319": reminder,
}


def rules_fired(document: dict[str, Any]) -> set[str]:
    result = load_text(json.dumps(document), "doc.json", is_json=True)
    return {f.rule for f in check_loaded(Engine(SELECTION, Context(date(2026, 3, 1))), [result])}


def test_the_corpus_is_the_size_the_issue_asks_for() -> None:
    assert len(CORPUS["revealing"]) >= 40 and len(CORPUS["neutral"]) >= 40
    assert not set(CORPUS["revealing"]) & set(CORPUS["neutral"])


@pytest.mark.parametrize("rule", sorted(CASES))
def test_every_revealing_descriptor_is_reported(rule: str) -> None:
    missed = [d for d in CORPUS["revealing"] if rule not in rules_fired(CASES[rule](d))]
    assert missed == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_no_neutral_descriptor_is_reported(rule: str) -> None:
    wrong = [d for d in CORPUS["neutral"] if rule in rules_fired(CASES[rule](d))]
    assert wrong == []


@pytest.mark.parametrize(("text", "word"), [
    ("SQ *LAKESHORE THER", "THER"), ("ABC MH", "MH"), ("BH SVCS", "BH"), ("GRIEF COUNS", "COUNS"),
    ("SQ*THER", "THER"), ("THER-ABC", "THER")])
def test_abbreviations_match_as_whole_words_and_the_message_names_the_listed_word(text: str, word: str) -> None:
    result = load_text(json.dumps(vendor(text)), "doc.json", is_json=True)
    (finding,) = [f for f in check_loaded(Engine(SELECTION, Context(date(2026, 3, 1))), [result]) if f.rule == "SM304"]
    assert finding.message == (f"the statement descriptor contains '{word}', which tells anyone reading the "
                               "statement that the client is in treatment")


@pytest.mark.parametrize("text", ["THERESA WU LLC", "THERMAL PARTNERS", "MHK PARTNERS", "BHW GROUP", "MHZ LABS",
                                  "SOBERANES LLC", "CRISMAN ASSOC"])
def test_words_that_merely_start_like_an_abbreviation_pass(text: str) -> None:
    assert "SM304" not in rules_fired(vendor(text))
