"""The rule catalog as a whole: counts the issue asks for, verified citations only, generated docs."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from smlint.registry import load_ruleset
from smlint.ruledoc import TIPS
from tests.conftest import ROOT, Run

# What /work/shared/domain/sources.md verifies. A letter that is unverified there is cited as the section.
NASW_VERIFIED = {
    "1.03(e)", "1.03(f)", "1.03(g)", "1.03(h)", "1.03(i)", "1.04(d)", "1.04(e)", "1.05", "1.06(e)", "1.06(f)",
    "1.06(g)", "1.06(h)", "1.07", "1.07(a)", "1.07(l)", "1.07(m)", "1.07(q)", "1.07(r)", "1.09(a)", "1.15",
    "3.01(a)", "3.01(c)", "3.04(a)", "3.04(d)", "4.07(b)",
}
TECH_STANDARDS = re.compile(r"^(2\.01|2\.06|Section [1-4] \([a-z ,]+\))$")
HIPAA_VERIFIED = re.compile(
    r"^(164\.308\(b\)\(1\)|164\.314\(a\)|164\.502\(e\)|164\.504\(e\)|164\.312\(a\)\(2\)\(i\)|"
    r"164\.312\(a\)\(2\)\(iii\)|164\.312\(a\)\(2\)\(iv\)|164\.312\(d\)|164\.312\(e\)\(1\)|164\.312\(e\)\(2\)\(ii\)|"
    r"164\.316\(b\)\(2\)\(i\)|164\.316\(b\)\(2\)\(iii\)|164\.308\(a\)\(5\)\(i\)|164\.530\(b\)|164\.530\(j\)\(2\)|"
    r"164\.308\(a\)\(7\)|164\.404\(b\)|164\.408\(b\)|164\.408\(c\)|164\.522\(b\)\(1\)|"
    r"HHS FAQ on unencrypted messages to patients; 78 FR 5634 \(2013\)|85 FR 22024 \(2020\)|88 FR 22380 \(2023\)|"
    r"HHS guidance on audio-only telehealth \(June 2022\)|Conduit exception, HIPAA Omnibus Rule \(2013\)|"
    r"HHS OCR settlement).*$")
HIPAA_ADDED = re.compile(
    # added 2026-12 (sources.md, "Added 2026-12"): each a section and duty that section verifies
    r"^(164\.308\(a\)\(1\)\(ii\)\([A-D]\)|164\.308\(a\)\(2\)|164\.308\(a\)\(3\)\(ii\)\(C\)|164\.308\(a\)\(4\)|"
    r"164\.308\(a\)\(5\)\(ii\)|164\.308\(a\)\(6\)|164\.308\(a\)\(8\)|164\.310\(a\)\(1\)|164\.310\(b\)|164\.310\(c\)|"
    r"164\.310\(d\)\(1\)|164\.310\(d\)\(2\)\((i|ii|iii|iv)\)|164\.312\(a\)\(2\)\(ii\)|164\.312\(b\)|164\.312\(c\)\(1\)|"
    r"164\.314\(a\)\(2\)\(i\)|164\.316\(b\)\(2\)\(ii\)|164\.502\(e\)\(1\)\(ii\)|164\.504\(e\)\(2\)|"
    r"164\.508\(a\)\(2\)|164\.520|164\.520\(c\)\(2\)\(ii\)|164\.522\(b\)|164\.524|164\.530\(a\)|164\.530\(c\)|"
    r"164\.402|164\.404|164\.406|164\.410|164\.414\(b\))$")


@pytest.fixture(scope="module")
def catalog() -> list[dict[str, Any]]:
    from tests.conftest import run_cli

    result = run_cli("rules", "--format", "json")
    assert result.exit_code == 0
    rules: list[dict[str, Any]] = json.loads(result.stdout)
    return [r for r in rules if not r["id"].startswith("SM0")]


def test_catalog_counts(catalog: list[dict[str, Any]]) -> None:
    assert len(catalog) >= 50
    per_kind = Counter(kind for rule in catalog for kind in rule["kinds"])
    assert min(per_kind[k] for k in ("policy", "intake-form", "vendor")) >= 10
    assert sum(1 for r in catalog if r["scope"] == "repository") >= 5
    per_tip = Counter(tip for rule in catalog for tip in rule["tips"])
    assert {tip: per_tip[tip] for tip in range(1, 11) if per_tip[tip] < 2} == {}
    assert sum(1 for r in catalog if r["citations"].get("nasw_code")) >= 20
    assert sum(1 for r in catalog if r["citations"].get("hipaa")) >= 10


def test_every_rule_has_full_metadata(catalog: list[dict[str, Any]]) -> None:
    for rule in catalog:
        assert rule["help_uri"] == f"docs/rules.md#{rule['id'].lower()}-{rule['name']}", rule["id"]
        assert rule["tips"] and all(1 <= t <= 10 for t in rule["tips"]), rule["id"]
        assert len(rule["rationale"]) > 80 and len(rule["remediation"]) > 40, rule["id"]


def test_citations_are_verified(catalog: list[dict[str, Any]]) -> None:
    unverified = []
    for rule in catalog:
        cites = rule["citations"]
        unverified += [(rule["id"], c) for c in cites.get("nasw_code", []) if c not in NASW_VERIFIED]
        unverified += [(rule["id"], c) for c in cites.get("tech_standards", []) if not TECH_STANDARDS.match(c)]
        unverified += [(rule["id"], c) for c in cites.get("hipaa", [])
                       if not (HIPAA_VERIFIED.match(c) or HIPAA_ADDED.match(c))]
    assert unverified == []


def test_rule_ids_follow_their_kind(catalog: list[dict[str, Any]]) -> None:
    first_digit = {"policy": "1", "intake-form": "2", "vendor": "3", "fhir-questionnaire": "2", "zoom-settings": "3",
                   "zoom-lock-settings": "3",
                   "stripe-account": "3", "square-account": "3", "twilio-messaging-service": "3",
                   "google-workspace": "3", "microsoft-365": "3", "google-reviews": "3", "website-page": "3"}
    # a form_set with a trigger reports at another artifact's promise (the policy's): a cross-artifact rule
    promised = {r.id for r in load_ruleset().rules if r.check["type"] == "form_set" and "trigger" in r.check}
    for rule in catalog:
        # a form_set / form_reference rule is about one intake form (read with the forms it supplements): SM2xx
        across = rule["scope"] == "repository" and (rule["check"] not in ("form_set", "form_reference")
                                                    or rule["id"] in promised)
        expected = "4" if across else first_digit[rule["kinds"][0]]
        if rule["check"] == "client_identifiers":  # SM5xx: client data, whatever the artifact
            expected = "5"
        if expected == "1" and rule["id"][2] == "6":  # SM1xx is full: policy rules continue at SM6xx
            expected = "6"
        assert rule["id"][2] == expected, rule["id"]
    # policy rules go to SM6xx only because SM1xx has no free id left
    assert len({r["id"] for r in catalog if r["id"].startswith("SM1")}) == 100


def test_single_rule_files_are_named_after_their_rule() -> None:
    for rule in load_ruleset().rules:
        path = Path(rule.source)
        if path.name not in ("sm000-tool.yaml", "sm500-client-data.yaml"):  # the two families
            assert path.name == f"{rule.id.lower()}-{rule.name}.yaml"


def _values(data: Any, pointer: str = "") -> list[tuple[str, Any, Any]]:
    if isinstance(data, dict):
        return [(f"{pointer}/{k}", k, v) for k, v in data.items()] + [
            item for k, v in data.items() for item in _values(v, f"{pointer}/{k}")]
    if isinstance(data, list):
        return [item for i, v in enumerate(data) for item in _values(v, f"{pointer}/{i}")]
    return []


def test_examples_hold_no_accidental_keys() -> None:
    """A comma inside an unquoted flow-style text splits it into a key with no value; catch that."""
    broken = [(rule.id, pointer)
              for rule in load_ruleset().rules
              for example in (*rule.pass_examples, *rule.fail_examples)
              for document in example.documents
              for pointer, key, value in _values(document)
              if value is None or " " in str(key)]
    assert broken == []


def test_docs_rules_md_is_up_to_date(run: Run) -> None:
    result = run("rules", "--format", "markdown")
    assert result.exit_code == 0
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == result.stdout, (
        "docs/rules.md is stale: run `smlint rules --format markdown > docs/rules.md`")


def test_rules_md_has_an_anchor_for_every_help_uri(run: Run) -> None:
    from smlint.ruledoc import slug

    text = run("rules", "--format", "markdown").stdout
    anchors = {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    for rule in load_ruleset().rules:
        assert rule.help_uri.split("#", 1)[1] in anchors, rule.id
    for link in re.findall(r"\]\(#([^)]+)\)", text):
        assert link in anchors, link


def test_rules_md_groups_by_tip(run: Run) -> None:
    text = run("rules", "--format", "markdown").stdout
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Contents", *[f"## Tip {n}: {TIPS[n]}" for n in range(1, 11)], "## smlint itself",
                        "## Coverage"]
    tip8 = text.split("## Tip 8: ", 1)[1].split("\n## ", 1)[0]
    assert "### SM114 policy-solicits-testimonials" in tip8
    assert "Also serving this tip: [SM102](#sm102-policy-section-missing) policy-section-missing." in tip8
    tool = text.split("## smlint itself", 1)[1].split("## Coverage", 1)[0]
    assert "### SM000 parse-error" in tool and "### SM001 schema-violation" in tool


def test_markdown_lists_custom_rules_too(run: Run, tmp_path: Path) -> None:
    from tests.acceptance.test_rules_commands import CUSTOM, write_rule

    write_rule(tmp_path / "rules", CUSTOM)
    text = run("rules", "--format", "markdown", "--rules-dir", str(tmp_path / "rules")).stdout
    assert "### RFS100 crisis-line-in-telehealth-intake" in text.split("## Tip 10: ", 1)[1]


def test_every_built_in_rule_words_its_problem_for_reports() -> None:
    """Reports head a rule's findings with `problem:` (the title states the passing condition): every built-in
    rule has one, it differs from the title, and `smlint rules --format json` carries it."""
    from tests.conftest import run_cli

    listed = {r["id"]: r for r in json.loads(run_cli("rules", "--format", "json").stdout)}
    for rule in load_ruleset().rules:
        assert rule.problem, f"{rule.id} has no problem: wording ({rule.source})"
        assert rule.problem != rule.title, rule.id
        assert rule.problem[0].isupper() or rule.problem.startswith("smlint"), rule.id
        assert listed[rule.id]["problem"] == rule.problem, rule.id
    assert listed["SM304"]["title"] == "Payment statement descriptor does not reveal therapy"
    assert listed["SM304"]["problem"] == "Payment statement descriptor reveals therapy"


def test_citations_use_real_names_not_internal_labels() -> None:
    for rule in load_ruleset().rules:
        for refs in rule.citations.values():
            assert not any(ref.lower().startswith(("seed article", "seed,")) for ref in refs), rule.id
