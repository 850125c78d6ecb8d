"""Rules that judge dates: the same result for a fixed --today, whatever the machine's clock or zone."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

import pytest

from tests.conftest import TODAY, Run

DATED = {"SM101", "SM128", "SM130", "SM135", "SM213", "SM306", "SM322"}
N = "examples/noncompliant/"

# Every finding of a dated rule on the noncompliant agency at TODAY (2026-03-01), with its message.
NONCOMPLIANT_DATED = [
    (N + "intake/new-client-intake.yaml", 5, "SM213", "error",
     "the form's yearly review is overdue: it was due by 2024-09-01 (546 days ago)"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 15, "SM213", "error",
     "the form's yearly review is overdue: it was due by 2025-09-30 (152 days ago)"),
    (N + "policies/technology-policy.docx", 6, "SM101", "error",
     "the policy's last review is overdue: it was due by 2025-01-08 (417 days ago) (table 1, row 5)"),
    (N + "policies/technology-policy.docx", 50, "SM135", "error",
     "a telehealth licence in the roster expired on 2025-10-31 (121 days ago) (table 4, row 2)"),
    (N + "vendors/gmail.yaml", 11, "SM306", "warning",
     "the business associate agreement expires on 2026-04-15 (45 days left); arrange renewal"),
    (N + "vendors/gmail.yaml", 21, "SM322", "warning",
     "this vendor's configuration review is overdue: it was due by 2025-03-18 (348 days ago)"),
    (N + "vendors/simplepractice.yaml", 9, "SM306", "error",
     "the business associate agreement expired on 2025-02-01 (393 days ago)"),
]


def dated_findings(run: Run, *args: str) -> list[tuple[str, int, str, str, str]]:
    result = run("check", *args, "--format", "json")
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return [(f["path"], f["line"], f["rule"], f["severity"], f["message"]) for f in findings if f["rule"] in DATED]


def test_dated_findings_at_a_fixed_day(run: Run) -> None:
    assert dated_findings(run, "examples/noncompliant", "--today", TODAY) == NONCOMPLIANT_DATED


class _FrozenClock(datetime):
    """A machine whose clock says something else entirely."""

    frozen = datetime(2031, 7, 4, 23, 30, tzinfo=timezone.utc)

    @classmethod
    def now(cls, tz: Any = None) -> _FrozenClock:  # type: ignore[override]
        return cls.frozen  # type: ignore[return-value]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_same_result_whatever_the_clock_and_zone(run: Run, monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    import time

    import smlint.app

    monkeypatch.setattr(smlint.app, "datetime", _FrozenClock)
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert dated_findings(run, "examples/noncompliant", "--today", TODAY) == NONCOMPLIANT_DATED
        # Without --today the (frozen) clock decides, in UTC whatever the zone.
        days = (date(2031, 7, 4) - date(2027, 11, 2)).days
        assert ("examples/compliant/policies/social-media-technology-policy.md", 10, "SM101", "error",
                f"the policy's last review is overdue: it was due by 2027-11-02 ({days} days ago)"
                ) in dated_findings(run, "examples/compliant")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


ALL = DATED


@pytest.mark.parametrize(("today", "rules", "expected"), [
    ("2027-09-20", ALL, [
        ("SM130", "warning", "staff technology and security training is due by 2027-10-14 (24 days left)"),
        ("SM128", "warning", "the contingency plan's yearly test is due by 2027-10-20 (30 days left)")]),
    ("2027-10-20", ALL, [("SM213", "warning", "the form's yearly review is due by 2027-11-02 (13 days left)")] * 3 + [
        ("SM101", "warning", "the policy's annual review is due by 2027-11-02 (13 days left)"),
        ("SM130", "error", "staff technology and security training is overdue: it was due by 2027-10-14 (6 days ago)"),
        ("SM128", "warning", "the contingency plan's yearly test is due by 2027-10-20 (0 days left)")] + [
        ("SM322", "warning", "this vendor's configuration review is due by 2027-11-02 (13 days left)")] * 6),
    ("2028-01-01", ALL, [
        ("SM213", "error", "the form's yearly review is overdue: it was due by 2027-11-02 (60 days ago)")] * 3 + [
        ("SM101", "error", "the policy's last review is overdue: it was due by 2027-11-02 (60 days ago)"),
        ("SM130", "error", "staff technology and security training is overdue: it was due by 2027-10-14 (79 days ago)"),
        ("SM128", "error", "the contingency plan's yearly test is overdue: it was due by 2027-10-20 (73 days ago)")] + [
        ("SM322", "warning",
         "this vendor's configuration review is overdue: it was due by 2027-11-02 (60 days ago)")] * 6),
    ("2028-02-10", {"SM135", "SM306"}, [
        ("SM135", "warning",
         "a telehealth licence in the roster expires on 2028-03-31 (50 days left); arrange renewal"),
        ("SM306", "warning",
         "the business associate agreement expires on 2028-03-10 (29 days left); arrange renewal")]),
])
def test_warnings_come_before_deadlines(run: Run, today: str, rules: set[str],
                                        expected: list[tuple[str, str, str]]) -> None:
    found = dated_findings(run, "examples/compliant", "--today", today)
    assert [(rule, severity, message) for _, _, rule, severity, message in found if rule in rules] == expected
