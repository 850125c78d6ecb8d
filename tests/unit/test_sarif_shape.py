"""SARIF, field by field: what code-scanning shows a reviewer comes from the rule descriptor (title,
rationale, how to fix, citations) and the run (tool, invocation, regions). Each expected document here
was written from the SARIF 2.1.0 specification and the rule's YAML fields before running smlint."""

from __future__ import annotations

import json
from typing import Any

from smlint.model import Finding, Related, Report, Rule, Severity
from smlint.reporters import RenderOptions, render

RULE = Rule("SM301", "vendor-client-data-without-baa", "Vendors with client data have a BAA", Severity.ERROR,
            ("vendor",), "artifact", (7,), {"hipaa": ("164.308(b)(1)",), "nasw_code": ("1.07(m)",)},
            "  Why it matters.\n", "\nSign a BAA.  ", "docs/rules.md#sm301-vendor-client-data-without-baa",
            {"type": "assert"}, "no BAA")

CUSTOM = Rule("ACME1", "acme-crisis-line", "Crisis line is published", Severity.WARNING, ("policy", "intake"),
              "repository", (), {"state_law": ("Cal. Civ. Code 56.10",), "hipaa": ()}, "Local policy.", "Add it.",
              "", {"type": "required"}, "no crisis line", builtin=False)


def sarif(report: Report, root: str = "") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render("sarif", report, RenderOptions(root=root)))
    return data


def finding(line: int = 8, column: int = 3, end: tuple[int, int] = (8, 15), rule: str = "SM301",
            related: tuple[Related, ...] = ()) -> Finding:
    return Finding(rule, "vendor-client-data-without-baa", Severity.ERROR, "vendors/zoom.yaml", line, column,
                   end[0], end[1], "no BAA", "vendor", "/baa", related=related)


def test_the_rule_descriptor_carries_rationale_help_and_citations() -> None:
    driver = sarif(Report((), 0, (RULE,)))["runs"][0]["tool"]["driver"]
    assert driver["rules"] == [{
        "id": "SM301",
        "name": "vendor-client-data-without-baa",
        "shortDescription": {"text": "Vendors with client data have a BAA"},
        "fullDescription": {"text": "Why it matters."},
        "help": {
            "text": "Sign a BAA.",
            "markdown": "**Vendors with client data have a BAA**\n\nWhy it matters.\n\n**How to fix:** Sign a BAA."
                        "\n\n**Citations:**\n- HIPAA, 45 CFR: 164.308(b)(1)\n- NASW Code of Ethics (2017): 1.07(m)",
        },
        "helpUri": "https://github.com/smlint/smlint/blob/v0.1.0/docs/rules.md#sm301-vendor-client-data-without-baa",
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["hipaa", "nasw_code", "vendor"],
            "citations": {"hipaa": ["164.308(b)(1)"], "nasw_code": ["1.07(m)"]},
            "tips": [7],
            "kinds": ["vendor"],
            "scope": "artifact",
            "laws": [],
            "lawStatus": "in-force",
        },
    }]
    assert (driver["name"], driver["version"], driver["semanticVersion"], driver["informationUri"]) == (
        "smlint", "0.1.0", "0.1.0", "https://github.com/smlint/smlint")


def test_a_custom_rule_without_help_link_or_known_citation_labels() -> None:
    descriptor = sarif(Report((), 0, (CUSTOM,)))["runs"][0]["tool"]["driver"]["rules"][0]
    assert "helpUri" not in descriptor
    assert descriptor["defaultConfiguration"] == {"level": "warning"}
    assert descriptor["help"] == {
        "text": "Add it.",
        # an unknown citation key is shown as written; an empty citation list is left out
        "markdown": "**Crisis line is published**\n\nLocal policy.\n\n**How to fix:** Add it.\n\n**Citations:**\n"
                    "- state_law: Cal. Civ. Code 56.10",
    }
    assert descriptor["properties"]["tags"] == ["intake", "policy", "state_law"]
    assert descriptor["properties"]["citations"] == {"state_law": ["Cal. Civ. Code 56.10"], "hipaa": []}
    assert descriptor["properties"]["scope"] == "repository"


def test_a_rule_without_citations_has_no_citations_heading_and_empty_texts_fall_back_to_the_title() -> None:
    bare = Rule("ACME2", "acme-bare", "Bare rule", Severity.INFO, ("vendor",), "artifact", (), {}, " ", "",
                "https://example.org/acme-bare", {"type": "required"}, "x", builtin=False)
    descriptor = sarif(Report((), 0, (bare,)))["runs"][0]["tool"]["driver"]["rules"][0]
    assert descriptor["fullDescription"] == {"text": "Bare rule"}
    assert descriptor["help"]["text"] == "Bare rule"
    assert "Citations" not in descriptor["help"]["markdown"]
    assert descriptor["helpUri"] == "https://example.org/acme-bare"  # absolute links are kept as written
    assert descriptor["defaultConfiguration"] == {"level": "note"}


def test_the_run_records_a_successful_invocation_code_point_columns_and_today() -> None:
    document = sarif(Report((finding(),), 1, (RULE,), today="2026-03-01"), root="/srv/agency")
    assert document["$schema"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                                   "sarif-schema-2.1.0.json")
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"] == {"today": "2026-03-01"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/agency/"}}
    assert "properties" not in sarif(Report((), 0, (RULE,)))["runs"][0]


def test_a_result_names_rule_level_message_and_pointer() -> None:
    result = sarif(Report((finding(),), 1, (RULE,)))["runs"][0]["results"][0]
    fingerprint = result.pop("partialFingerprints")
    assert list(fingerprint) == ["smlintFingerprint/v1"]
    assert result == {
        "ruleId": "SM301",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "no BAA"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "vendors/zoom.yaml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 8, "startColumn": 3, "endLine": 8, "endColumn": 15}}}],
        "properties": {"name": "vendor-client-data-without-baa", "kind": "vendor", "pointer": "/baa"},
    }


def region(line: int, column: int, end: tuple[int, int]) -> dict[str, int]:
    result = sarif(Report((finding(line, column, end),), 1, (RULE,)))["runs"][0]["results"][0]
    found: dict[str, int] = result["locations"][0]["physicalLocation"]["region"]
    return found


def test_regions_are_one_based_and_end_only_after_they_start() -> None:
    assert region(3, 5, (3, 6)) == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 6}
    assert region(3, 5, (4, 1)) == {"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 1}
    assert region(3, 5, (4, 0)) == {"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 1}
    assert region(3, 5, (3, 5)) == {"startLine": 3, "startColumn": 5}  # an empty span has no end
    assert region(3, 5, (2, 9)) == {"startLine": 3, "startColumn": 5}  # nor one that ends before it starts
    # a finding about the whole file (line 0, column 0) points at its first character
    assert region(0, 0, (0, 0)) == {"startLine": 1, "startColumn": 1}
    assert region(0, 0, (1, 2)) == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}


def test_related_locations_are_numbered_and_point_into_the_other_files() -> None:
    related = (Related("policy/social-media.yaml", 0, 0, "/texting"), Related("vendors/b c.yaml", 4, 7, "/baa"))
    result = sarif(Report((finding(related=related),), 1, (RULE,)))["runs"][0]["results"][0]
    assert result["relatedLocations"] == [
        {"id": 0,
         "physicalLocation": {"artifactLocation": {"uri": "policy/social-media.yaml", "uriBaseId": "%SRCROOT%"},
                              "region": {"startLine": 1, "startColumn": 1}},
         "message": {"text": "see also policy/social-media.yaml"},
         "properties": {"pointer": "/texting"}},
        {"id": 1,
         "physicalLocation": {"artifactLocation": {"uri": "vendors/b%20c.yaml", "uriBaseId": "%SRCROOT%"},
                              "region": {"startLine": 4, "startColumn": 7}},
         "message": {"text": "see also vendors/b c.yaml"},
         "properties": {"pointer": "/baa"}},
    ]


def test_a_finding_of_an_undescribed_rule_gets_a_bare_descriptor_after_the_described_ones() -> None:
    stray = Finding("SM999", "stray-rule", Severity.WARNING, "a.yaml", 1, 1, 1, 1, "odd", "vendor", "")
    run = sarif(Report((finding(), stray, stray), 3, (RULE,)))["runs"][0]
    assert run["tool"]["driver"]["rules"][1] == {
        "id": "SM999", "name": "stray-rule", "shortDescription": {"text": "stray-rule"},
        "defaultConfiguration": {"level": "warning"}}
    assert len(run["tool"]["driver"]["rules"]) == 2  # described once, however many findings
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1, 1]
