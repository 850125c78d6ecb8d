"""Report shapes at edges the shipped examples do not reach (found by the mutation run, docs/testing.md): the
GitHub step summary one row past its cap, JUnit without a file list, HTML rows for files of no known kind,
a deadline due today and several suppressions, and a baseline as written and as applied."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from smlint.model import Deadline, Finding, Report, Rule, Severity, Suppressed
from smlint.reporters import RenderOptions, render
from smlint.reporters.github import SUMMARY_ROWS, step_summary
from tests.conftest import EXAMPLES, Run

RULES = (Rule("SM305", "video-live-streaming-enabled", "Live streaming off", Severity.ERROR, ("vendor",), "artifact",
              (7,), {}, "r", "f", "", {"type": "assert"}, "m"),
         Rule("SM310", "video-auto-recording", "No automatic recording", Severity.ERROR, ("vendor",), "artifact",
              (7,), {}, "r", "f", "", {"type": "assert"}, "m"),
         Rule("SM101", "policy-review-overdue", "Policy reviewed", Severity.ERROR, ("policy",), "artifact",
              (5,), {}, "r", "f", "", {"type": "deadline"}, "m"))


def finding(line: int = 14, path: str = "vendors/zoom.yaml", kind: str = "vendor", rule: str = "SM305") -> Finding:
    return Finding(rule, "video-live-streaming-enabled", Severity.ERROR, path, line, 3, line, 9, "streaming on",
                   kind, "/settings/live_streaming")


def test_the_step_summary_says_how_many_rows_past_its_cap_are_in_the_log() -> None:
    many = tuple(finding(line=n) for n in range(1, SUMMARY_ROWS + 2))
    text = step_summary(Report(many, 1))
    assert text.endswith(f"| vendors/zoom.yaml | {SUMMARY_ROWS}:3 | SM305 video-live-streaming-enabled | error | "
                         "streaming on |\n\n1 more finding(s) are in the job log.\n\n")
    assert step_summary(Report(many[:SUMMARY_ROWS], 1)).endswith(" | error | streaming on |\n\n")


def test_junit_without_a_file_list_tests_each_findings_file_against_the_rules_of_its_kind() -> None:
    root = ElementTree.fromstring(render("junit", Report((finding(),), 1, RULES), RenderOptions()))
    [suite] = list(root)
    assert suite.get("name") == "vendors/zoom.yaml"
    assert [case.get("name") for case in suite] == ["SM305 video-live-streaming-enabled (line 14, column 3)",
                                                     "SM310 video-auto-recording"]


def test_html_rows_for_a_file_of_no_kind_a_deadline_due_today_and_several_suppressions() -> None:
    waivers_problem = Finding("SM013", "suppression-unused", Severity.WARNING, "waivers.yaml", 2, 5, 2, 6,
                              "this waiver hides nothing", "", "/waivers/0")
    suppressed = (Suppressed(finding(20), "inline", "r1", "vendors/zoom.yaml:20"),
                  Suppressed(finding(21), "inline", "r2", "vendors/zoom.yaml:21"))
    due_today = Deadline("SM101", "Policy reviewed", "policy.yaml", 7, 1, "last_reviewed", "2026-03-01", 0)
    page = render("html", Report((waivers_problem,), 1, RULES, suppressed, today="2026-03-01",
                                 deadlines=(due_today,)), RenderOptions())
    assert ('<article class="file" data-path="waivers.yaml"><h3><code>waivers.yaml</code> <small>file</small></h3>'
            in page)
    assert re.findall(r'<tr class="([a-z]*)"><td class="date">2026-03-01</td>', page) == ["warning"]
    assert "no expiry</td><td><code>vendors/zoom.yaml:20</code></td></tr><tr data-rule=\"SM305\">" in page


def test_a_baseline_is_written_as_indented_json_and_applied_as_how_baseline(run: Run, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    vendor = (EXAMPLES / "compliant/vendors/doxy-me.yaml").read_text(encoding="utf-8")
    (tmp_path / "v.yaml").write_text(vendor.replace("  live_streaming: false", "  live_streaming: true"),
                                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    written = run("check", "--today", "2026-03-01", "--select", "SM305", "--write-baseline", "base.json", "v.yaml")
    assert written.stdout == "Wrote a baseline of 1 finding(s) to base.json.\n"
    text = (tmp_path / "base.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "smlint_baseline": ') and text.endswith("\n}\n")
    assert json.loads(text)["findings"][0]["rule"] == "SM305"
    applied = run("check", "--today", "2026-03-01", "--select", "SM305", "--baseline", "base.json",
                  "--format", "json", "v.yaml")
    [hidden] = json.loads(applied.stdout)["suppressed"]
    assert hidden["suppression"] == {"how": "baseline", "reason": "recorded in the baseline", "source": "base.json",
                                     "until": None, "owner": None}
    assert applied.exit_code == 0
