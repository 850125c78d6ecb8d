"""The application behind the CLI: frozen options in, an exit code out.

argv -> CheckOptions -> RuleSet -> Selection -> targets -> LoadResults -> Engine -> Report -> reporter.
Each stage is one function below, so that configuration, suppressions, parallel jobs and output
files each change one place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TextIO

from smlint.checks import Context
from smlint.config import Config
from smlint.discovery import Target, discover
from smlint.engine import Engine, Selection
from smlint.errors import SmlintError
from smlint.loader import DEFAULT_LIMITS, Limits, LoadResult, load_file
from smlint.model import Finding, Report, Severity
from smlint.registry import RuleSet, load_ruleset
from smlint.reporters import RenderOptions, render
from smlint.selectors import FileIgnores, RuleChoice, build_selection
from smlint.suppress import Outcome, Suppressor, baseline_text, load_baseline, load_waivers

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
    config: Config = field(default_factory=Config)
    rules: RuleChoice = field(default_factory=RuleChoice)
    inline_suppressions: bool = True
    baseline: Path | None = None
    write_baseline: Path | None = None


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
    """The rules that run, and severity overrides: the configuration, then --select/--ignore."""
    return build_selection(ruleset, options.config, options.rules)


def collect_targets(options: CheckOptions, root: Path) -> list[Target]:
    """Files to check. Walks skip the configuration, waivers and baseline files and the configuration's
    `exclude` globs; the `kinds` globs give a kind to files that do not declare one."""
    config = options.config
    targets = discover(options.paths, root)
    own = {p.absolute() for p in (config.file, config.waivers, options.baseline, options.write_baseline) if p}
    if own:  # smlint's own files are not artifacts, whatever the `kinds` globs say
        targets = [t for t in targets if t.explicit or t.file.absolute() not in own]
    if not (config.exclude or config.kinds):
        return targets
    return [replace(t, kind=config.kind_for(t.file)) for t in targets if t.explicit or not config.excluded(t.file)]


def load_targets(targets: Sequence[Target], options: CheckOptions) -> list[LoadResult]:
    return [load_file(t.file, t.display, options.limits, t.kind) for t in targets]


def evaluate(results: Sequence[LoadResult], selection: Selection, today: date) -> list[Finding]:
    return Engine(selection, Context(today)).check_files(results)


def suppress(findings: Sequence[Finding], results: Sequence[LoadResult], ruleset: RuleSet, selection: Selection,
             options: CheckOptions, today: date, root: Path) -> Outcome:
    """Inline directives, then waivers, then the baseline (not while a new baseline is being written)."""
    waivers = load_waivers(options.config.waivers, root) if options.config.waivers else None
    use_baseline = options.baseline if options.write_baseline is None else None
    baseline = load_baseline(use_baseline, root) if use_baseline else None
    suppressor = Suppressor(ruleset, selection, today, options.inline_suppressions, waivers, baseline, root)
    return suppressor.apply(findings, results)


def build_report(options: CheckOptions, ruleset: RuleSet, root: Path) -> Report:
    today = options.today or parse_today(None)
    selection = select_rules(ruleset, options)
    ignores = FileIgnores(ruleset, options.config)
    ignores.validate()
    targets = collect_targets(options, root)
    results = load_targets(targets, options)
    findings = ignores.drop(evaluate(results, selection, today), root)
    outcome = suppress(findings, results, ruleset, selection, options, today, root)
    return Report(tuple(ignores.drop(outcome.findings, root)), len(targets), ruleset.rules, outcome.suppressed,
                  today=today.isoformat())


def write_baseline(report: Report, path: Path, root: Path) -> str:
    from smlint.fsutil import atomic_write

    atomic_write(path, baseline_text(report.findings, path.absolute().parent, root))
    return f"Wrote a baseline of {len(report.findings)} finding(s) to {path}.\n"


def run_check(options: CheckOptions, out: TextIO, root: Path | None = None) -> int:
    ruleset = load_ruleset(options.rules_dirs)
    root = root or Path.cwd()
    report = build_report(options, ruleset, root)
    if options.write_baseline is not None:
        out.write(write_baseline(report, options.write_baseline, root))
        return EXIT_OK
    out.write(render(options.output_format, report, RenderOptions(options.color, options.show_source)))
    return exit_code(report, options.fail_on, options.exit_zero)
