"""GitHub-flavoured Markdown: a pull-request comment or a `$GITHUB_STEP_SUMMARY` page.

Same content as the HTML report, shorter: headline, the ten tips, deadlines, findings and the
suppression audit trail. Table cells are escaped so that no value can break a table or inject HTML.
Long finding lists are cut at `MAX_FINDINGS` rows (a PR comment holds at most 65,536 characters).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smlint import __version__
from smlint.model import Finding, Report, Severity
from smlint.reporters import summary as s

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions

MAX_FINDINGS = 200
STATUS = {"error": "❌ errors", "warning": "⚠️ warnings", "info": "ℹ️ notes", s.PASS: "✅ passes",
          s.NOT_APPLICABLE: "— no rule applies"}
_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;",
                                                                "\n": " ", "\r": " "})


def md(value: object) -> str:
    """Text that stays text inside a Markdown table cell: Markdown punctuation backslash-escaped, HTML
    as entities, line breaks as spaces."""
    return str(value).translate(_SPECIAL)


_BACKTICKS = re.compile(r"`+")


def code(value: object) -> str:
    """A code span holding `value` exactly, whatever backticks it contains: the fence is one backtick
    longer than the longest run inside (CommonMark), padded with a space when the text starts or ends
    with a backtick. Inside a code span nothing else is special (no links, no HTML); only `|` is escaped,
    which GitHub's table parser unescapes before the span is read."""
    text = str(value).replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render(report: Report, options: RenderOptions) -> str:
    org = s.organisation(report)
    lines = [f"## Technology compliance report: {md(org or 'policy repository')}", "",
             f"**{md(s.headline(report))}**", "",
             f"As of {md(report.today)}: {report.files_checked} file(s) checked; "
             f"{report.count(Severity.ERROR)} error(s), {report.count(Severity.WARNING)} warning(s), "
             f"{report.count(Severity.INFO)} note(s), {len(report.suppressed)} suppressed.", ""]
    lines += tips(report) + deadlines(report) + findings(report) + suppressed(report)
    lines.append(f"<sub>smlint {md(__version__)}. {md(s.QUOTING)}</sub>")
    return "\n".join(lines) + "\n"


def tips(report: Report) -> list[str]:
    rows = ["### The ten tips", "", "| Tip | Rules | Result | Findings |", "|---|---:|---|---:|"]
    tip_rows = s.tip_rows(report)
    fired = {f.rule for f in report.findings}
    for row in tip_rows:
        label = f"{row.tip}. {row.title}" if row.tip else row.title
        rules = f"{len(row.rules)} ({len(fired & set(row.rules))} with findings)" if row.rules else "—"
        rows.append(f"| {md(label)} | {rules} | {STATUS[row.status]} | {row.count} |")
    total = s.tip_total(tip_rows)
    if total > len(report.findings):
        rows += ["", f"{s.MULTI_TIP_NOTE}, so the tips' numbers add up to {total} for {len(report.findings)} "
                 "finding(s)."]
    return [*rows, ""]


def deadlines(report: Report) -> list[str]:
    if not report.deadlines:
        return ["### Deadlines", "", "Nothing is overdue or due in the next 90 days.", ""]
    rows = ["### Deadlines: overdue and due in the next 90 days", "", "| Date | What | Where |",
            "|---|---|---|"]
    rows += [f"| {md(d.due)} | {md(d.message or d.title)} ({md(d.rule)}) | "
             f"{code(f'{d.path}:{d.line}')} |" for d in report.deadlines]
    return [*rows, ""]


def _see_also(finding: Finding) -> str:
    """The other places a finding is about, after its message."""
    if not finding.related:
        return ""
    return " See also: " + ", ".join(code(f"{r.path}:{r.line}") for r in finding.related)


def findings(report: Report) -> list[str]:
    if not report.findings:
        return ["### Findings", "", "No findings.", ""]
    rows = ["### Findings", "", "| Where | Rule | Severity | Message |", "|---|---|---|---|"]
    shown = report.findings[:MAX_FINDINGS]
    rows += [f"| {code(f'{f.path}:{f.line}:{f.column}')} | {md(f.rule)} | {md(f.severity.label)} | {md(f.message)}"
             f"{_see_also(f)} |" for f in shown]
    if len(report.findings) > len(shown):
        rows += ["", f"…and {len(report.findings) - len(shown)} more; the HTML or JSON report lists them all."]
    rows += ["", "`smlint explain RULE` says why each rule matters and how to fix it.", ""]
    return rows


def suppressed(report: Report) -> list[str]:
    if not report.suppressed:
        return []
    rows = ["### Suppressed and waived", "", "| Where | Rule | How | Reason | Owner | Until |",
            "|---|---|---|---|---|---|"]
    rows += [f"| {code(f'{x.finding.path}:{x.finding.line}')} | {md(x.finding.rule)} | {md(x.how)} | {md(x.reason)} | "
             f"{md(x.owner or '—')} | {md(x.until or 'no expiry')} |" for x in report.suppressed]
    return [*rows, ""]
