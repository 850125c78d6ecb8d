"""GitLab Code Quality (a subset of the Code Climate issue format), for merge-request widgets.

A JSON array; each issue has ``description``, ``check_name`` (the rule id), a ``fingerprint`` that is
unique in the report and stable across runs (rule, path and JSON Pointer, not the line), ``severity``
(error → critical, warning → minor, info → info) and ``location.path`` with ``location.lines.begin``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from smlint.fingerprint import fingerprints
from smlint.model import Finding, Report, Severity

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": f"{finding.rule} {finding.message}",
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {"path": finding.path, "lines": {"begin": finding.line, "end": finding.end_line}},
    }


def render(report: Report, options: RenderOptions) -> str:
    findings = report.findings
    issues = [issue(f, fp) for f, fp in zip(findings, fingerprints(findings), strict=True)]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
