"""Waivers at their edges (docs/configuration.md, "Waivers"): which findings a pointer covers, a rule named by
its name, a path written with './', a waiver for a file this run did not check, an unknown rule, an owner that
names a client, the last day of `until`. One vendor file with live streaming on (SM305 at 22:3); every
expected finding was written before running smlint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Run

VENDOR = (EXAMPLES / "compliant/vendors/doxy-me.yaml").read_text(encoding="utf-8").replace(
    "  live_streaming: false", "  live_streaming: true")


@pytest.fixture(autouse=True)
def in_tmp(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths in the report are relative to the working folder


def check(run: Run, tmp_path: Path, waiver: str, today: str = "2026-03-01") -> dict[str, Any]:
    (tmp_path / "vendors").mkdir(exist_ok=True)
    (tmp_path / "vendors" / "v.yaml").write_text(VENDOR, encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text("waivers: waivers.yaml\nselect: [SM0, SM305]\n", encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text("waivers:\n" + waiver, encoding="utf-8")
    result = run("check", "--today", today, "--format", "json", "vendors")
    assert result.stderr == ""
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def waiver(pointer: str = "", rule: str = "SM305", path: str = "vendors/v.yaml", until: str = "2026-12-31",
           owner: str = "Clinical Director") -> str:
    lines = [f"  - path: {path}", f"    rule: {rule}", "    reason: Streaming is for public board meetings.",
             f"    owner: {owner}", f"    until: {until}"]
    if pointer:
        lines.insert(1, f"    pointer: {pointer}")
    return "\n".join(lines) + "\n"


def found(report: dict[str, Any]) -> list[tuple[str, str, int, int, int]]:
    return [(f["rule"], Path(f["path"]).name, f["line"], f["column"], f["end_column"]) for f in report["findings"]]


@pytest.mark.parametrize("pointer", ["", "/settings", "/settings/", "/settings/live_streaming"])
def test_a_waiver_covers_its_pointer_and_everything_under_it(run: Run, tmp_path: Path, pointer: str) -> None:
    report = check(run, tmp_path, waiver(pointer))
    assert found(report) == []
    [hidden] = report["suppressed"]
    assert (hidden["rule"], hidden["line"], hidden["column"]) == ("SM305", 22, 3)
    assert hidden["suppression"] == {"how": "waiver", "reason": "Streaming is for public board meetings.",
                                     "source": "waivers.yaml:2", "until": "2026-12-31", "owner": "Clinical Director"}


@pytest.mark.parametrize("pointer", ["/settings/live", "/setting", "/settings/waiting_room"])
def test_a_pointer_that_is_not_a_parent_covers_nothing(run: Run, tmp_path: Path, pointer: str) -> None:
    report = check(run, tmp_path, waiver(pointer))
    assert found(report) == [("SM305", "v.yaml", 22, 3, 23), ("SM013", "waivers.yaml", 2, 5, 6)]
    assert report["findings"][1]["message"] == ("this waiver hides nothing: there is no SM305 finding there; "
                                                "remove it")
    assert report["findings"][1]["pointer"] == "/waivers/0"
    assert report["suppressed"] == []


def test_a_rule_by_name_and_a_path_with_a_leading_dot_slash(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, waiver(rule="video-live-streaming-enabled", path="./vendors/v.yaml"))
    assert (found(report), len(report["suppressed"])) == ([], 1)


def test_a_waiver_for_a_file_this_run_did_not_check_is_left_alone(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, waiver(path="vendors/other.yaml", rule="SM999"))
    assert found(report) == [("SM305", "v.yaml", 22, 3, 23)]


def test_a_waiver_naming_an_unknown_rule_waives_nothing(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, waiver(rule="SM999") + waiver())
    assert found(report) == [("SM012", "waivers.yaml", 2, 5, 6)]
    assert (report["findings"][0]["message"], report["findings"][0]["pointer"]) == (
        "this waiver names a rule smlint does not know, so it waives nothing; check the rule id", "/waivers/0")
    assert report["suppressed"][0]["suppression"]["source"] == "waivers.yaml:7"


def test_an_owner_that_names_a_client_is_reported_and_masked(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, waiver(owner="J. Smith, SSN 536-22-8714"))
    assert found(report) == [("SM015", "waivers.yaml", 2, 5, 6)]
    assert report["findings"][0]["message"] == ("this waiver's reason or owner holds what looks like a client "
                                                "identifier; describe the decision without naming the client")
    owner = report["suppressed"][0]["suppression"]["owner"]
    assert "536-22-8714" not in owner and owner.endswith("8714")


def test_a_waiver_holds_through_its_until_day_and_expires_the_day_after(run: Run, tmp_path: Path) -> None:
    assert found(check(run, tmp_path, waiver(until="2026-03-01"))) == []
    report = check(run, tmp_path, waiver(until="2026-03-01"), today="2026-03-02")
    assert found(report) == [("SM305", "v.yaml", 22, 3, 23), ("SM011", "waivers.yaml", 2, 5, 6)]
    assert report["findings"][1]["message"] == (
        "this waiver expired on 2026-03-01, so the finding is reported again; fix it, or renew the decision with "
        "a new date and reason")


def test_a_waivers_reason_and_owner_are_judged_on_the_runs_today(run: Run, tmp_path: Path) -> None:
    # a birth date is a date in a past year: on --today 2099-06-01, 03/14/2099 next to a name may be one
    # (whatever the machine's clock says), so the reason and the owner are reported and masked
    # (a date keeps its year when masked)
    named = "Maria Lopez, DOB 03/14/2099"
    client_data = ("SM015", "waivers.yaml", 2, 5, 6)
    report = check(run, tmp_path, waiver(until="2099-12-31", owner=named), today="2099-06-01")
    assert found(report) == [client_data]
    assert report["suppressed"][0]["suppression"]["owner"] == "***** *****, DOB **/**/2099"
    reason = waiver(until="2099-12-31").replace("Streaming is for public board meetings.", f"Approved by {named}.")
    report = check(run, tmp_path, reason, today="2099-06-01")
    assert found(report) == [client_data]
    assert report["suppressed"][0]["suppression"]["reason"] == "Approved by ***** *****, DOB **/**/2099."
