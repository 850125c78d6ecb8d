"""Output formats. Each module has ``render(report, options) -> str``; reporters know `Report`, never the engine."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from smlint.model import Report, Severity

FORMATS: dict[str, str] = {
    "text": "smlint.reporters.text",
    "concise": "smlint.reporters.concise",
    "json": "smlint.reporters.json_format",
    "sarif": "smlint.reporters.sarif",
    "junit": "smlint.reporters.junit",
    "github": "smlint.reporters.github",
    "gitlab": "smlint.reporters.gitlab",
    "html": "smlint.reporters.html",
    "markdown": "smlint.reporters.markdown",
}

# Formats that show the overview (artifacts and upcoming deadlines); only they pay for computing it.
OVERVIEW_FORMATS = frozenset({"html", "markdown"})


@dataclass(frozen=True)
class RenderOptions:
    """What a reporter may need beyond the report itself."""

    color: bool = False
    show_source: bool = False
    root: str = ""  # absolute working folder that finding paths are relative to (SARIF's %SRCROOT%)
    fail_on: Severity = Severity.ERROR  # findings below it do not fail the run: JUnit skips them
    show_info: bool = False  # concise: list info findings one by one instead of summing them up


def render(name: str, report: Report, options: RenderOptions) -> str:
    module = importlib.import_module(FORMATS[name])
    fn = cast(Callable[[Report, RenderOptions], str], module.render)
    return fn(report, options)
