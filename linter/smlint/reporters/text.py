"""For people at a terminal: findings grouped under their file, aligned, coloured when allowed.

    examples/noncompliant/vendors/zoom.yaml
       8:3   error    SM301  this vendor handles client data but has no signed business associate agreement

    Found 17 finding(s) in 8 of 8 file(s) checked: 17 error(s), 0 warning(s), 0 info.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from smlint.model import Finding, Report, Severity
from smlint.reporters.color import paint
from smlint.reporters.concise import summary

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions

SEVERITY_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _rows(findings: list[Finding], color: bool) -> list[str]:
    places = [f"{f.line}:{f.column}" for f in findings]
    width = max(len(p) for p in places)
    rows = []
    for place, finding in zip(places, findings, strict=True):
        severity = paint(f"{finding.severity.label:<7}", SEVERITY_STYLE[finding.severity], color)
        rule = paint(finding.rule, "cyan", color)
        rows.append(f"  {paint(place.ljust(width), 'dim', color)}  {severity}  {rule}  {finding.message}")
        rows.extend(source_lines(finding))
    return rows


def _summary(report: Report, color: bool) -> str:
    text = summary(report)
    if not report.findings:
        return paint(text, "green", color)
    worst = max(f.severity for f in report.findings)
    return paint(text, SEVERITY_STYLE[worst], color)


def source_lines(finding: Finding) -> list[str]:
    """The finding's source lines (present only with --show-source, already redacted), indented."""
    return [f"      | {text}" for text in finding.source.split("\n")] if finding.source else []


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The output one file's findings at a time (`render` joins them)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, group in by_path.items():
        yield "\n".join([paint(path, "bold", options.color), *_rows(group, options.color), ""]) + "\n"
    yield _summary(report, options.color) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    return "".join(chunks(report, options))
