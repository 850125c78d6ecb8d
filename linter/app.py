"""The application behind the CLI: frozen options in, an exit code out.

argv -> CheckOptions -> RuleSet -> Selection -> targets -> LoadResults -> Engine -> Report -> reporter.
Each stage is one function below, so that configuration, suppressions, parallel jobs and output
files each change one place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TextIO

from smlint import overview
from smlint.checks import Context
from smlint.discovery import Target, discover
from smlint.engine import Engine, Selection
from smlint.errors import SmlintError
from smlint.loader import DEFAULT_LIMITS, Limits, LoadResult, load_file
from smlint.model import Finding, Report, Severity
from smlint.registry import RuleSet, load_ruleset
from smlint.reporters import RenderOptions, render

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...] = (".",)
    output_format: str = "text"
    today: date | None = None
    fail_on: Severity = Severity.ERROR
    exit_zero: bool = False
    rules_dirs: tuple[Path, ...] = ()
    show_source: bool = False
    color: bool = False
    limits: Limits = field(default_factory=lambda: DEFAULT_LIMITS)


def parse_today(value: str | None) -> date:
    """``--today``, else ``SMLINT_TODAY``, else today's UTC date."""
    text = value or os.environ.get("SMLINT_TODAY")
    if not text:
        return datetime.now(timezone.utc).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SmlintError(f"--today/SMLINT_TODAY must be a date as YYYY-MM-DD, got {text!r}") from None


def exit_code(report: Report, fail_on: Severity, exit_zero: bool = False) -> int:
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in report.findings) else EXIT_OK


def select_rules(ruleset: RuleSet, options: CheckOptions) -> Selection:
    """The rules that run, and severity overrides (configuration and --select/--ignore go here)."""
    return Selection.all_of(ruleset)


def collect_targets(options: CheckOptions, root: Path) -> list[Target]:
    return discover(options.paths, root)


def load_targets(targets: Sequence[Target], options: CheckOptions) -> list[LoadResult]:
    return [load_file(t.file, t.display, options.limits) for t in targets]


def evaluate(results: Sequence[LoadResult], selection: Selection, today: date) -> list[Finding]:
    return Engine(selection, Context(today)).check_files(results)


def build_report(options: CheckOptions, ruleset: RuleSet, root: Path) -> Report:
    today = options.today or parse_today(None)
    selection = select_rules(ruleset, options)
    targets = collect_targets(options, root)
    results = load_targets(targets, options)
    findings = evaluate(results, selection, today)
    return Report(tuple(findings), len(targets), ruleset.rules, today=today.isoformat(),
                  artifacts=overview.artifacts(results),
                  deadlines=overview.deadlines(results, selection.rules, today))


def run_check(options: CheckOptions, out: TextIO, root: Path | None = None) -> int:
    ruleset = load_ruleset(options.rules_dirs)
    report = build_report(options, ruleset, root or Path.cwd())
    out.write(render(options.output_format, report, RenderOptions(options.color, options.show_source)))
    return exit_code(report, options.fail_on, options.exit_zero)
