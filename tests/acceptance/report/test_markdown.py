"""The Markdown report: the shape a pull-request comment or $GITHUB_STEP_SUMMARY shows."""

from __future__ import annotations

from pathlib import Path

from smlint.model import Finding, Report, Severity
from smlint.reporters import RenderOptions, render
from smlint.reporters.markdown import MAX_FINDINGS, md
from tests.acceptance.report.conftest import Expected
from tests.conftest import TODAY, Run


def table(lines: list[str], heading: str) -> list[list[str]]:
    start = lines.index(heading) + 2
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_noncompliant_summary(run: Run, noncompliant: tuple[str, Expected]) -> None:
    _, expected = noncompliant
    result = run("check", "examples/noncompliant", "--today", TODAY, "--format", "markdown")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    summary = expected.summary
    deadlines = table(lines, "### Deadlines: overdue and due in the next 90 days")
    overdue = sum(1 for row in deadlines if row[0] < TODAY)
    assert lines[:5] == [
        "## Technology compliance report: Lakeside Counseling Collective", "",
        f"**{summary['errors']} problem(s) to fix, {summary['warnings']} warning(s), {overdue} date(s) overdue, "
        f"{len(deadlines) - overdue} deadline(s) in the next 90 days.**", "",
        f"As of {TODAY}: {summary['files']} file(s) checked; {summary['errors']} error(s), "
        f"{summary['warnings']} warning(s), {summary['info']} note(s), 0 suppressed."]
    tips = table(lines, "### The ten tips")
    assert [row[0].split(".")[0] for row in tips[:10]] == [str(n) for n in range(1, 11)]
    tip9 = {r["id"] for r in expected.rules.values() if 9 in r["tips"]}
    fired9 = tip9 & {f["rule"] for f in expected.findings}
    assert tips[8][:3] == ["9. Be cautious with electronic payments", f"{len(tip9)} ({len(fired9)} with findings)",
                           "❌ errors"]
    counted = sum(int(row[3]) for row in tips[:10])
    assert counted > len(expected.findings)
    assert (f"A finding counts under every tip its rule serves, so the tips' numbers add up to {counted} for "
            f"{len(expected.findings)} finding(s).") in lines
    rows = table(lines, "### Findings")
    assert len(rows) == len(expected.findings)
    first = expected.findings[0]
    assert rows[0] == [f"`{first['path']}:{first['line']}:{first['column']}`", first["rule"], first["severity"],
                       md(first["message"])]
    assert [row[1] for row in rows] == [f["rule"] for f in expected.findings]
    assert ["2025-01-08", "The policy's last review is overdue: it was due by 2025-01-08 (417 days ago) (SM101)",
            "`examples/noncompliant/policies/technology-policy.docx:6`"] in deadlines
    assert ["2026-04-15", "The business associate agreement expires on 2026-04-15 (45 days left); arrange renewal "
            "(SM306)", "`examples/noncompliant/vendors/gmail.yaml:11`"] in deadlines
    assert lines[-1].startswith("<sub>smlint 0.1.0. From your files, this report shows file names, line numbers, ")
    assert lines[-1].endswith("No other value is shown.</sub>")


def test_tip_without_rules_for_a_kind(run: Run, tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text("kind: vendor\nname: Stripe\ncategory: payment\nhandles_client_data: false\n",
                                     encoding="utf-8")
    lines = run("check", str(tmp_path), "--today", TODAY, "--format", "markdown").stdout.splitlines()
    statuses = {row[0].split(".")[0]: row[2] for row in table(lines, "### The ten tips")}
    assert statuses["1"] == "— no rule applies"


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
