"""`path:line:col: SMnnn [severity] message`, one line per finding, then a summary line.

The default under pre-commit (``PRE_COMMIT`` set): editors and terminals make each line a link. Info
findings (placeholders still to fill in, notes) never fail a run unless `--fail-on info`, so they are
counted in one line rather than listed, and the error that stopped a commit is not lost among them;
`--show-info` (or `--fail-on info`) lists them one by one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from smlint.model import Finding, Report, Severity

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions


def line(finding: Finding) -> str:
    return (f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} "
            f"[{finding.severity.label}] {finding.message}")


def summary(report: Report) -> str:
    s = report.summary()
    hidden = f" {s['suppressed']} suppressed (listed by --format json)." if s["suppressed"] else ""
    if not report.findings:
        return f"All clear: {s['files']} file(s) checked, no findings.{hidden}"
    paths = {f.path for f in report.findings}
    checked = {c.path for c in report.files} or paths  # a report made without its file list: all were checked
    others = len(paths - checked)  # the waivers file, say, whose own problems are findings too
    also = f" and {others} other file(s)" if others else ""
    return (f"Found {s['findings']} finding(s) in {len(paths & checked)} of {s['files']} file(s) checked{also}: "
            f"{s['errors']} error(s), {s['warnings']} warning(s), {s['info']} info.{hidden}")


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The output line by line (`render` joins them)."""
    listed = options.show_info or options.fail_on <= Severity.INFO
    shown = 0
    for finding in report.findings:
        if listed or finding.severity > Severity.INFO:
            shown += 1
            yield line(finding) + "\n"
    hidden = len(report.findings) - shown
    if hidden:
        yield f"{hidden} info finding(s) not listed (placeholders to fill in, notes): --show-info lists them.\n"
    yield summary(report) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    return "".join(chunks(report, options))
