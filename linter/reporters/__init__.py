"""Output formats. Each module has ``render(report, options) -> str``; reporters know `Report`, never the engine."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from smlint.model import Report

FORMATS: dict[str, str] = {
    "text": "smlint.reporters.text",
    "json": "smlint.reporters.json_format",
    "html": "smlint.reporters.html",
    "markdown": "smlint.reporters.markdown",
}


@dataclass(frozen=True)
class RenderOptions:
    """What a reporter may need beyond the report itself."""

    color: bool = False
    show_source: bool = False


def render(name: str, report: Report, options: RenderOptions) -> str:
    module = importlib.import_module(FORMATS[name])
    fn = cast(Callable[[Report, RenderOptions], str], module.render)
    return fn(report, options)
