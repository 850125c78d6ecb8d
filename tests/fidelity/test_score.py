"""The fidelity scorer, on a tiny synthetic key (so that it can fail), and the shape of the real key.

and the threshold issue 18 sets: on the held-out agency, precision and recall of at least 95 % whichever way
smlint is run (from the repository root, from the agency's parent, inside it, folder by folder).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.fidelity import score as sc

KEY = sc.parse_key({
    "acceptable_unknowns": {
        "message_pattern": r"(?i)\brecord\b",
        "negative_fact_pattern": r"(?i)\bis not enforced\b",
        "entries": [{"file": "vendors/a.yaml", "rules": ["SM313"]}],
    },
    "planted": [
        {"id": "P1", "file": "policy.yaml", "rule": "SM123", "problem": "slow breach notice"},
        {"id": "P2", "file": "vendors/b.yaml", "rule": "SM405", "also_at": ["policy.yaml"], "problem": "unlisted"},
        {"id": "P3", "file": "forms/f.yaml", "rule": "SM215", "alt_rules": ["SM201"], "lines": [16],
         "problem": "texting consent unsigned"},
    ],
    "fine": [{"id": "F1", "file": "vendors/a.yaml", "rules": ["SM301", "SM302"], "why": "conduit"}],
    "tolerated": [{"id": "T1", "file": "vendors/a.yaml", "rules": ["SM311"], "why": "advice"}],
})


def f(file: str, rule: str, line: int | None = 1, severity: str = "error", message: str = "m",
      related: tuple[str, ...] = ()) -> sc.Finding:
    return sc.Finding(file=file, rule=rule, line=line, severity=severity, message=message, related=related)


def outcomes(result: sc.Score) -> list[tuple[str, str, str]]:
    return [(v.finding.rule, v.outcome, v.item) for v in result.verdicts]


def test_perfect_run_scores_one_and_one() -> None:
    result = sc.score([f("policy.yaml", "SM123"), f("vendors/b.yaml", "SM405"), f("forms/f.yaml", "SM215", 16)], KEY)
    assert (result.precision, result.recall) == (1.0, 1.0)
    assert result.misses == []


def test_fine_item_reported_is_a_false_positive_and_a_miss_lowers_recall() -> None:
    result = sc.score([f("policy.yaml", "SM123"), f("vendors/a.yaml", "SM302")], KEY)
    assert outcomes(result) == [("SM123", "true-positive", "P1"), ("SM302", "false-positive", "F1")]
    assert result.precision == 0.5
    assert result.recall == pytest.approx(1 / 3)
    assert [p.id for p in result.misses] == ["P2", "P3"]


def test_unmatched_finding_is_a_false_positive() -> None:
    result = sc.score([f("vendors/c.yaml", "SM316")], KEY)
    assert outcomes(result) == [("SM316", "false-positive", "unmatched")]
    assert result.precision == 0.0


def test_line_and_alternative_rule() -> None:
    wrong_line = sc.score([f("forms/f.yaml", "SM201", 3)], KEY)
    assert outcomes(wrong_line) == [("SM201", "false-positive", "unmatched")]
    right_line = sc.score([f("forms/f.yaml", "SM201", 16)], KEY)
    assert outcomes(right_line) == [("SM201", "true-positive", "P3")]


def test_second_finding_for_one_problem_is_a_duplicate_not_counted() -> None:
    result = sc.score([f("forms/f.yaml", "SM215", 16), f("forms/f.yaml", "SM201", 16)], KEY)
    # findings are judged in (file, line, rule) order, so SM201 comes first and counts
    assert outcomes(result) == [("SM201", "true-positive", "P3"), ("SM215", "duplicate", "P3")]
    assert result.precision == 1.0


def test_cross_artifact_finding_at_also_at_file_needs_the_subject_among_related_locations() -> None:
    bare = sc.score([f("policy.yaml", "SM405")], KEY)
    assert outcomes(bare) == [("SM405", "true-positive", "P2")]
    other = sc.score([f("policy.yaml", "SM405", related=("vendors/z.yaml",))], KEY)
    assert outcomes(other) == [("SM405", "false-positive", "unmatched")]
    named = sc.score([f("policy.yaml", "SM405", related=("vendors/b.yaml",))], KEY)
    assert outcomes(named) == [("SM405", "true-positive", "P2")]


@pytest.mark.parametrize(("severity", "message", "outcome"), [
    ("warning", "record whether two-factor sign-in is enforced", "accepted-unknown"),
    ("info", "Record whether two-factor sign-in is enforced", "accepted-unknown"),
    ("error", "record whether two-factor sign-in is enforced", "false-positive"),
    ("warning", "two-factor sign-in is not enforced on this vendor", "false-positive"),
    ("warning", "please record it: two-factor sign-in is not enforced", "false-positive"),
])
def test_please_record_policy(severity: str, message: str, outcome: str) -> None:
    result = sc.score([f("vendors/a.yaml", "SM313", severity=severity, message=message)], KEY)
    assert [v.outcome for v in result.verdicts] == [outcome]
    assert result.recall == 0.0


def test_tolerated_is_not_counted() -> None:
    result = sc.score([f("vendors/a.yaml", "SM311", severity="warning"), f("policy.yaml", "SM123")], KEY)
    assert outcomes(result) == [("SM123", "true-positive", "P1"), ("SM311", "tolerated", "T1")]
    assert result.precision == 1.0


def test_report_paths_are_made_relative_to_the_agency(tmp_path: Path) -> None:
    root = tmp_path / "agency"
    report = {"findings": [
        {"rule": "SM123", "path": "agency/policy.yaml", "line": 4, "severity": "error", "message": "x"},
        {"rule": "SM405", "path": str(root / "policy.yaml"), "line": 2, "severity": "error", "message": "y",
         "related": [{"path": "agency/vendors/b.yaml", "line": 1}]},
        {"rule": "SM001", "path": "elsewhere.yaml", "line": 1, "severity": "error", "message": "z"},
    ]}
    found = sc.findings_from_report(report, tmp_path, root)
    assert [(x.file, x.related) for x in found] == [
        ("policy.yaml", ()), ("policy.yaml", ("vendors/b.yaml",)), ("../elsewhere.yaml", ())]


def test_key_conflicts_are_detected() -> None:
    bad = sc.parse_key({"planted": [{"id": "P1", "file": "v.yaml", "rule": "SM301"}],
                        "fine": [{"id": "F1", "file": "v.yaml", "rules": ["SM301"]}]})
    assert sc.key_conflicts(bad) == ["P1 and F1 both cover SM301 at v.yaml"]


# --- the real key --------------------------------------------------------------------------------

RULE_IDS = {m for p in (sc.REPO_ROOT / "rules").glob("*.yaml")
            for m in re.findall(r"^\s*-?\s*id:\s*(SM\d{3})\b", p.read_text(encoding="utf-8"), re.MULTILINE)}


def test_real_key_is_consistent_and_names_real_files_and_rules() -> None:
    key = sc.load_key()
    assert sc.key_conflicts(key) == []
    assert len(key.planted) >= 20 and len(key.fine) >= 12
    assert len({p.id for p in key.planted}) == len(key.planted)
    files = {p.file for p in key.planted} | {e.file for e in (*key.fine, *key.tolerated, *key.unknowns)}
    files |= {a for p in key.planted for a in p.also_at}
    assert sorted(x for x in files if not (sc.AGENCY / x).is_file()) == []
    rules = {r for p in key.planted for r in p.rules}
    rules |= {r for e in (*key.fine, *key.tolerated, *key.unknowns) for r in e.rules}
    assert sorted(rules - RULE_IDS) == []


def test_agency_is_big_enough() -> None:
    files = [p for p in sc.AGENCY.rglob("*") if p.is_file() and p.name != ".smlint.yaml"]
    assert len(files) >= 15


@pytest.mark.parametrize(("message", "outcome", "item"), [
    # every rule it asks for is expected to ask at this file
    ("record whether two-factor sign-in is enforced (needed by SM313)", "accepted-unknown", "U01"),
    # SM311 is tolerated there, SM313 expected: still acceptable
    ("record a (needed by SM313); and b (needed by SM311)", "accepted-unknown", "U01"),
    # a rule the key does not expect to ask at this file: the request is not one the key allows
    ("record a (needed by SM313); and b (needed by SM316)", "false-positive", "unmatched"),
    # a rule the key calls fine at this file: the request contradicts it
    ("record whether a BAA is signed (needed by SM301, SM313)", "false-positive", "F1"),
    # worded as a fact, not as missing information
    ("two-factor sign-in is not enforced (needed by SM313)", "false-positive", "unmatched"),
])
def test_sm030_request_matches_the_rules_it_names(message: str, outcome: str, item: str) -> None:
    result = sc.score([f("vendors/a.yaml", "SM030", severity="warning", message=message)], KEY)
    assert [(v.outcome, v.item) for v in result.verdicts] == [(outcome, item)]


def test_sm030_at_error_severity_is_a_false_positive() -> None:
    result = sc.score([f("vendors/a.yaml", "SM030", severity="error", message="record x (needed by SM313)")], KEY)
    assert [v.outcome for v in result.verdicts] == ["false-positive"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", sc.MODES)
def test_held_out_agency_scores_at_least_95_percent_both_ways(mode: str) -> None:
    key = sc.load_key()
    result = sc.score(sc.collect(mode, "2026-12-02"), key)
    report = sc.render(mode, result, key)
    assert result.precision >= 0.95, report
    assert result.recall >= 0.95, report
    assert not (sc.AGENCY / ".smlint_cache").exists()
