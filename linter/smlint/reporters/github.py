"""GitHub Actions workflow commands: one annotation per finding, then the summary line.

    ::error file=vendors/zoom.yaml,line=8,col=3,endLine=9,endColumn=1,title=SM301::this vendor ...

error → ``error``, warning → ``warning``, info → ``notice``. The message escapes ``%``, CR and LF;
property values also escape ``,`` and ``:``, as the runner requires. GitHub shows only 10 annotations
of each level per step, so when ``$GITHUB_STEP_SUMMARY`` is set the app also appends
`step_summary(report)`, a markdown table of every finding, to that file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smlint.model import Finding, Report, Severity
from smlint.reporters.concise import summary

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SUMMARY_ROWS = 1000  # the step summary is capped at 1 MiB; beyond this many rows, point at the log


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    props = [("file", finding.path), ("line", str(finding.line)), ("col", str(finding.column))]
    if (finding.end_line, finding.end_column) > (finding.line, finding.column):
        props += [("endLine", str(finding.end_line)), ("endColumn", str(finding.end_column))]
    props.append(("title", finding.rule))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def render(report: Report, options: RenderOptions) -> str:
    return "\n".join([*(command(f) for f in report.findings), summary(report)]) + "\n"


def _cell(text: str) -> str:
    """A table cell of the step summary (Markdown rendered by GitHub): Markdown punctuation escaped and
    HTML as entities, so that a file name cannot inject a link or an image."""
    from smlint.reporters.markdown import md

    return md(text)


def step_summary(report: Report) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: counts, then a table of findings."""
    lines = ["## smlint", "", summary(report), ""]
    if report.findings:
        lines += ["| File | Line | Rule | Severity | Message |", "| --- | ---: | --- | --- | --- |"]
        for f in report.findings[:SUMMARY_ROWS]:
            lines.append(f"| {_cell(f.path)} | {f.line}:{f.column} | {f.rule} {_cell(f.name)} | "
                         f"{f.severity.label} | {_cell(f.message)} |")
        hidden = len(report.findings) - SUMMARY_ROWS
        if hidden > 0:
            lines += ["", f"{hidden} more finding(s) are in the job log."]
        lines.append("")
    return "\n".join(lines) + "\n"
