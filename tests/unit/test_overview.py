"""Artifacts and deadlines for the report, and the placeholder marker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from smlint.checks import Context, load_check
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.loader import LoadResult, load_file
from smlint.model import Artifact, Deadline, Rule, Severity
from smlint.overview import HORIZON_DAYS, artifacts, calendar
from smlint.placeholders import fill_in, is_placeholder

POLICY = """kind: policy
organisation: "  Riverbend
  Family Services  "
last_reviewed: 2026-01-20
sections:
  telehealth:
    text: Offered.
    licences:
      - {state: OR, expires: 2026-04-30}
      - {state: WA, expires: "<FILL IN: expiry (YYYY-MM-DD)>"}
      - {state: CA, expires: 2030-01-01}
---
kind: vendor
name: Doxy.me
baa: {status: signed, expires: 2026-02-01}
---
just: data
"""


def rule(rule_id: str, kinds: tuple[str, ...], check: dict[str, object]) -> Rule:
    loaded = load_check(check, {})  # what the registry does when a rule loads
    return Rule(rule_id, rule_id.lower(), f"title {rule_id}", Severity.ERROR, kinds, "artifact", (), {}, "", "", "",
                check, "m", params=loaded.params, when=loaded.when)


def test_placeholder_marker() -> None:
    assert fill_in("date (YYYY-MM-DD)") == "<FILL IN: date (YYYY-MM-DD)>"
    assert is_placeholder("<FILL IN: date (YYYY-MM-DD)>")
    assert is_placeholder("  <fill in: lower case counts>  ")
    assert not is_placeholder("by <FILL IN: date>")
    assert not is_placeholder("<FILL IN: one> <FILL IN: two>")
    assert not is_placeholder("2026-01-01")
    assert not is_placeholder(None)


def test_artifacts_name_themselves(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    result = load_file(tmp_path / "p.yaml", "p.yaml")
    assert artifacts([result]) == (Artifact("p.yaml", "policy", "Riverbend Family Services"),
                                   Artifact("p.yaml", "vendor", "Doxy.me"))


def deadlines(results: list[LoadResult], rules: list[Rule], today: date,
              horizon_days: int = HORIZON_DAYS) -> tuple[Deadline, ...]:
    """The report's calendar: what the engine gives beside its findings as it checks the dated rules."""
    engine = Engine(Selection(tuple(rules), {}), Context(today, horizon_days=horizon_days))
    return calendar(entry for result in results for entry in engine.check_file(result).deadlines)


def test_deadlines_come_from_any_deadline_rule_and_skip_placeholders(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    result = load_file(tmp_path / "p.yaml", "p.yaml")
    rules = [
        rule("SM101", ("policy",), {"type": "deadline", "path": "/last_reviewed", "add_months": 12}),
        rule("X1", ("policy",), {"type": "deadline", "path": "/sections/telehealth/licences/*/expires"}),
        rule("SM306", ("vendor",), {"type": "deadline", "path": "/baa/expires", "warn_days": 60}),
        rule("X2", ("vendor",), {"type": "required", "paths": ["/baa/expires"]}),
    ]
    found = deadlines([result], rules, date(2026, 3, 1))
    assert [(d.rule, d.due, d.days_left, d.line, d.field, d.kind) for d in found] == [
        ("SM306", "2026-02-01", -28, 15, "expires", "vendor"),
        ("X1", "2026-04-30", 60, 9, "expires", "policy"),
    ]
    assert found[0].title == "title SM306"
    later = deadlines([result], rules, date(2026, 11, 1), horizon_days=90)
    assert [(d.rule, d.due) for d in later] == [("SM306", "2026-02-01"), ("X1", "2026-04-30"),
                                                 ("SM101", "2027-01-20")]


def test_a_date_due_beyond_the_rules_warning_window_is_in_the_calendar_not_a_finding(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    result = load_file(tmp_path / "p.yaml", "p.yaml")
    rules = [rule("X1", ("policy",), {"type": "deadline", "path": "/sections/telehealth/licences/*/expires"}),
             rule("SM306", ("vendor",), {"type": "deadline", "path": "/baa/expires", "warn_days": 60})]
    outcome = Engine(Selection(tuple(rules), {}), Context(date(2026, 3, 1), horizon_days=90)).check_file(result)
    assert [(f.rule, f.line, f.severity) for f in outcome.findings] == [("SM306", 15, Severity.ERROR)]
    assert [(d.rule, d.days_left) for d in outcome.deadlines] == [("X1", 60), ("SM306", -28)]
    without = Engine(Selection(tuple(rules), {}), Context(date(2026, 3, 1))).check_file(result)
    assert (without.findings, without.deadlines) == (outcome.findings, ())  # no calendar asked for, none made
