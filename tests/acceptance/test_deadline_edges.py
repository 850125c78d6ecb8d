"""Deadlines at their edges (the `deadline` check, through SM101 "policy reviewed within the last 12 months"):
the last day that still counts, the warning window's first day, a one-month interval, month ends and
December, and a review date written with a time of day. Every expected date was counted on a calendar
before running smlint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

OVERDUE = "the policy's last review is overdue: it was due by {} ({} days ago)"
DUE_SOON = "the policy's annual review is due by {} ({} days left)"


def sm101(run: Run, tmp_path: Path, today: str, last_reviewed: str, interval: str = "") -> list[tuple[Any, ...]]:
    lines = ["kind: policy", 'version: "2026.1"', f"last_reviewed: {last_reviewed}"]
    if interval:
        lines.append(f"review_interval_months: {interval}")
    (tmp_path / "policy.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("check", "--today", today, "--select", "SM101", "--format", "json", str(tmp_path / "policy.yaml"))
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return [(f["severity"], f["line"], f["column"], f["message"]) for f in findings]


@pytest.mark.parametrize(("today", "last_reviewed", "interval", "expected"), [
    # a year after the review is the last day it counts; the next day it is one day overdue
    ("2026-06-01", "2025-06-01", "", ("warning", DUE_SOON.format("2026-06-01", 0))),
    ("2026-06-02", "2025-06-01", "", ("error", OVERDUE.format("2026-06-01", 1))),
    # the warning starts 30 days before, not 31
    ("2026-05-02", "2025-06-01", "", ("warning", DUE_SOON.format("2026-06-01", 30))),
    ("2026-05-01", "2025-06-01", "", None),
    # the policy's own one-month interval is stricter than a year, and runs over December
    ("2026-01-16", "2025-12-15", "1", ("error", OVERDUE.format("2026-01-15", 1))),
    ("2026-01-15", "2025-12-15", "1", ("warning", DUE_SOON.format("2026-01-15", 0))),
    # a month after January 31st is the last day of February
    ("2025-03-01", "2025-01-31", "1", ("error", OVERDUE.format("2025-02-28", 1))),
    ("2024-03-01", "2024-01-31", "1", ("error", OVERDUE.format("2024-02-29", 1))),
    # an interval longer than the rule's year never moves the deadline back
    ("2026-07-01", "2025-06-01", "24", ("error", OVERDUE.format("2026-06-01", 30))),
    # eleven months: still stricter
    ("2026-05-02", "2025-06-01", "11", ("error", OVERDUE.format("2026-05-01", 1))),
    # a date with a time of day counts from its day
    ("2026-06-02", '"2025-06-01T17:45:00"', "", ("error", OVERDUE.format("2026-06-01", 1))),
    ("2026-06-02", "2025-06-01 17:45:00", "", ("error", OVERDUE.format("2026-06-01", 1))),
    # not a date: left to the schema (SM001), no deadline is invented
    ("2026-06-02", '"last spring"', "", None),
])
def test_policy_review_deadline(run: Run, tmp_path: Path, today: str, last_reviewed: str, interval: str,
                                expected: tuple[str, str] | None) -> None:
    found = sm101(run, tmp_path, today, last_reviewed, interval)
    assert found == ([] if expected is None else [(expected[0], 3, 1, expected[1])])


def test_an_interval_that_is_not_a_positive_whole_number_is_not_used(run: Run, tmp_path: Path) -> None:
    for interval in ("0", "true", "-3", '"6"'):
        assert sm101(run, tmp_path, "2026-05-02", "2025-06-01", interval) == [
            ("warning", 3, 1, DUE_SOON.format("2026-06-01", 30))], interval
