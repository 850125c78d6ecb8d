"""Output formats. Each module has ``render(report, options) -> str``; reporters know `Report`, never the engine.

A format whose output is a list of lines (text, concise) also has ``chunks(report, options)``, which yields its
output piece by piece, so that a large report is written as it is made (`write`) instead of being built whole.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import cast

from smlint.model import Report, Severity
from smlint.records import record

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


@record
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


def render_chunks(name: str, report: Report, options: RenderOptions) -> Iterator[str]:
    """The output of `render`, in pieces when the format makes it in pieces."""
    module = importlib.import_module(FORMATS[name])
    chunks = getattr(module, "chunks", None)
    if chunks is None:
        yield render(name, report, options)
        return
    yield from cast(Callable[[Report, RenderOptions], Iterator[str]], chunks)(report, options)
