"""The JSON report: ``{"version", "findings", "suppressed", "summary"}``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from smlint import __version__
from smlint.model import Report

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "version": __version__,
        "today": report.today,
        "findings": [f.to_dict() for f in report.findings],
        "suppressed": [s.to_dict() for s in report.suppressed],
        "summary": report.summary(),
    }


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
