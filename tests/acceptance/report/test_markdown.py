"""The Markdown report: the shape a pull-request comment or $GITHUB_STEP_SUMMARY shows."""

from __future__ import annotations

from typing import Any

from smlint.model import Finding, Report, Severity
from smlint.reporters import RenderOptions, render
from smlint.reporters.markdown import MAX_FINDINGS, md
from tests.conftest import TODAY, Run


def table(lines: list[str], heading: str) -> list[list[str]]:
    start = lines.index(heading) + 2
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_noncompliant_summary(run: Run, noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    _, findings = noncompliant
    result = run("check", "examples/noncompliant", "--today", TODAY, "--format", "markdown")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:5] == ["## Technology compliance report: Lakeside Counseling Collective", "",
                         "**17 problem(s) to fix, 2 date(s) overdue.**", "",
                         f"As of {TODAY}: 8 file(s) checked; 17 error(s), 0 warning(s), 0 note(s), 0 suppressed."]
    tips = table(lines, "### The ten tips")
    assert [row[0].split(".")[0] for row in tips[:10]] == [str(n) for n in range(1, 11)]
    assert tips[8] == ["9. Be cautious with electronic payments", "SM102, SM304", "❌ errors", "4"]
    assert tips[2][2:] == ["— no rule applies", "0"]
    rows = table(lines, "### Findings")
    assert len(rows) == len(findings)
    assert {row[1] for row in rows} == {f["rule"] for f in findings}
    assert rows[0] == ["`examples/noncompliant/intake/new-client-intake.yaml:4:1`", "SM402", "error",
                       "the form acknowledges a policy version that no policy in this repository has"]
    deadlines = table(lines, "### Deadlines: overdue and due in the next 90 days")
    assert [row[:2] for row in deadlines] == [["2025-01-08", "417 day(s) overdue"], ["2025-02-01",
                                                                                      "393 day(s) overdue"]]
    assert lines[-1] == "<sub>smlint 0.1.0. Findings never quote the content of your files.</sub>"


def test_clean_repository(run: Run) -> None:
    out = run("check", "examples/compliant", "--today", TODAY, "--format", "markdown").stdout
    assert "**No problems to fix.**" in out
    assert "### Findings\n\nNo findings.\n" in out
    assert "### Deadlines\n\nNothing is overdue or due in the next 90 days.\n" in out


def test_cells_cannot_break_the_table_or_inject_html() -> None:
    assert md("a|b") == "a\\|b"
    assert md("<img src=x>") == "&lt;img src=x&gt;"
    assert md("line\nbreak") == "line break"
    assert md("*bold* `code` [link](x) #1 snake_case") == "\\*bold\\* \\`code\\` \\[link\\](x) \\#1 snake\\_case"


def test_long_lists_are_cut() -> None:
    findings = tuple(Finding("SM301", "n", Severity.ERROR, f"vendors/v{i:03}.yaml", 1, 1, 1, 2, "m", "vendor")
                     for i in range(MAX_FINDINGS + 5))
    out = render("markdown", Report(findings, len(findings), today=TODAY), RenderOptions()).splitlines()
    rows = table(out, "### Findings")
    assert len(rows) == MAX_FINDINGS
    assert "…and 5 more; the HTML or JSON report lists them all." in out
