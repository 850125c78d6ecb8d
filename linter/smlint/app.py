"""The application behind the CLI: frozen options in, an exit code out.

argv -> CheckOptions (what the command line asks) -> one RunOptions per project (`resolve`: the request and
that project's configuration, combined once) -> RuleSet -> Selection and Gate -> targets -> the pipeline
(pipeline.py: each target loaded, checked by the Engine and released, serially or in processes; then the
repository rules) -> the Gate -> Report -> reporter. Each stage is one function below, so that
configuration, suppressions, parallel jobs and output files each change one place (docs/architecture.md
follows a finding through them).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import field, replace
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from smlint.checks import Context
from smlint.clausedirs import agency_families, digest
from smlint.config import Config
from smlint.discovery import (
    SUFFIXES,
    ProjectScopes,
    Target,
    discover,
    display_path,
    may_be_policy,
    not_read,
    stdin_target,
)
from smlint.engine import Engine
from smlint.errors import SmlintError
from smlint.findings import Selection
from smlint.formats.exports import with_named_exports
from smlint.formats.fhir import unknown_concepts
from smlint.formats.fhirsettings import FhirSettings
from smlint.fsutil import atomic_write, destination
from smlint.gate import Gate
from smlint.index import NO_FACTS, Entry, ProjectFacts
from smlint.kinds import ARTIFACT, KINDS, LABELS, SHAPE_KINDS
from smlint.loader import Limits, LoadResult, load_file
from smlint.model import CheckedFile, Deadline, Finding, Report, RuleScope, Severity
from smlint.overview import HORIZON_DAYS, artifacts, calendar
from smlint.parallel import default_jobs, map_in_processes
from smlint.pipeline import Executor, Step, TargetFiles, check_targets, serial
from smlint.project import Project, Projects, context_targets, fail_threshold, group_targets, merge_reports, rules_dirs
from smlint.records import record
from smlint.redact import scrub
from smlint.registry import RuleSet, load_ruleset
from smlint.reporters import OVERVIEW_FORMATS, RenderOptions, render_chunks
from smlint.reporters.color import should_color
from smlint.reporters.concise import summary
from smlint.selectors import RuleChoice, build_selection

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@record
class CheckOptions:
    """What the command line asks for, as given: a setting a configuration file can also give (`fail_on`,
    `rules_dirs`, `baseline`, `fhir`) is None or empty here when the command line does not say it. `resolve`
    combines it with each project's configuration into that project's `RunOptions`; `config` (from
    `--config`) replaces every project's configuration."""

    paths: tuple[str, ...] = (".",)
    output_format: str = "text"
    today: date | None = None  # None: SMLINT_TODAY, else today's UTC date (parse_today)
    fail_on: Severity | None = None  # None: the project's fail_on, else error
    exit_zero: bool = False
    rules_dirs: tuple[Path, ...] = ()  # after the configuration's rules_dirs
    show_source: bool = False
    color: str = "auto"  # auto | always | never
    output_file: Path | None = None
    statistics: bool = False
    project_context: bool = True  # load the project's other artifacts so that joins see them
    cache: bool = True  # keep the index of the project's other files in <project>/.smlint_cache
    config: Config | None = None  # --config: every file uses it instead of its project's configuration
    rules: RuleChoice = field(default_factory=RuleChoice)
    inline_suppressions: bool = True
    baseline: Path | None = None  # None: the configuration's baseline, if any
    write_baseline: Path | None = None
    # laid over the configuration's `fhir` (FhirSettings.over): how FHIR Questionnaire items map to concepts
    fhir: FhirSettings = field(default_factory=FhirSettings)
    jobs: int | None = None  # None: one per idle CPU for large trees, else 1 (parallel.default_jobs)
    show_info: bool = False  # concise format: list each info finding (always with fail_on info)
    stdin: bytes | None = None  # `-`: the one document read from standard input (discovery.stdin_target)
    stdin_filename: str | None = None  # `--stdin-filename`: the path it stands for


@record
class RunOptions:
    """The settings of one project's run, resolved once (`resolve`) from the command line's request and the
    project's configuration; nothing downstream combines them again. Settings only the configuration gives
    (`exclude`, `kinds`, `per_file_ignores`, `severity`, `waivers`, `limits`...) are read from `config`."""

    request: CheckOptions
    config: Config
    today: date
    fail_on: Severity  # --fail-on, else the configuration's fail_on, else error
    rules_dirs: tuple[Path, ...]  # the configuration's rules folders, then --rules-dir's, each once
    baseline: Path | None  # the baseline the gate applies: --baseline, else the configuration's; none while
    #                        --write-baseline writes a new one
    fhir: FhirSettings  # the command line's laid over the configuration's
    own_files: tuple[Path, ...] = ()  # smlint's own files (configuration, waivers, baselines): never artifacts
    project_root: Path | None = None  # the project folder (None: files with no project folder above them)
    # which folder starts which project, as far as this run has looked (shared by the run's projects)
    project_scopes: ProjectScopes = field(default_factory=ProjectScopes, compare=False, repr=False)


def resolve(request: CheckOptions, project: Project, root: Path, today: date,
            scopes: ProjectScopes | None = None) -> RunOptions:
    """The one place where the command line and a project's configuration are combined."""
    config = project.config
    baseline = request.baseline or config.baseline
    return RunOptions(
        request=request,
        config=config,
        today=today,
        fail_on=fail_threshold(request.fail_on, config),
        rules_dirs=rules_dirs(config, request.rules_dirs, root),
        baseline=None if request.write_baseline is not None else baseline,
        fhir=request.fhir.over(config.fhir),
        own_files=tuple(p for p in (config.file, config.waivers, baseline, request.write_baseline) if p is not None),
        project_root=project.root,
        project_scopes=scopes or ProjectScopes(),
    )


def parse_today(value: str | None) -> date:
    """``--today``, else ``SMLINT_TODAY``, else today's UTC date."""
    text = value or os.environ.get("SMLINT_TODAY")
    if not text:
        return datetime.now(timezone.utc).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SmlintError(f"--today/SMLINT_TODAY must be a date as YYYY-MM-DD, got {scrub(text)!r}") from None


def exit_code(report: Report, fail_on: Severity, exit_zero: bool = False) -> int:
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in report.findings) else EXIT_OK


def select_rules(ruleset: RuleSet, run: RunOptions) -> Selection:
    """The rules that run, and severity overrides: the configuration, then --select/--ignore."""
    return build_selection(ruleset, run.config, run.request.rules)


def collect_targets(run: RunOptions, root: Path) -> list[Target]:
    return configure_targets(discover(run.request.paths, root, excluded_folders(run.config)), run)


def excluded_folders(config: Config) -> Callable[[str], bool] | None:
    """Walks do not enter a folder the configuration's `exclude` matches: every file below it would be
    dropped anyway (a glob that matches a folder matches everything below it)."""
    return config.excluded if config.exclude else None


def configure_targets(targets: list[Target], run: RunOptions, sniff: bool = True) -> list[Target]:
    """Walks skip the configuration, waivers and baseline files and the configuration's `exclude` globs;
    the `kinds` globs give a kind to files that do not declare one. A walk finds every Markdown file; only
    those that say they are policies (or that the `kinds` globs name) are artifacts, a README is not read
    at all; `sniff=False` leaves that look to the caller (the project cache takes it only for files that
    changed since its last run, `cache.ProjectCache.context`)."""
    config = run.config
    # strings, not Path objects: this runs for every file of a project
    own = {os.path.abspath(p) for p in run.own_files}  # noqa: PTH100
    if own:  # smlint's own files are not artifacts, whatever the `kinds` globs say
        names = {os.path.basename(p) for p in own}  # noqa: PTH119 - a file of another name is not one of them
        targets = [t for t in targets if t.explicit or os.path.basename(t.path) not in names  # noqa: PTH119
                   or os.path.abspath(t.path) not in own]  # noqa: PTH100
    if config.exclude or config.kinds:
        targets = [replace(t, kind=config.kind_for(t.file)) for t in targets
                   if t.explicit or not config.excluded(t.file)]
    if not sniff:
        return targets
    return [t for t in targets if t.explicit or t.kind is not None or may_be_policy(t.path)]


def check_link_ids(link_ids: Mapping[str, Any]) -> None:
    """Reject a linkId map naming concepts smlint does not know (a configuration error, exit 2)."""
    unknown = unknown_concepts(link_ids)
    if unknown:
        raise SmlintError(f"fhir.link_ids: linkId {scrub(unknown[0])!r} maps to a concept smlint does not know; "
                          "docs/formats.md lists the concepts")


@contextmanager
def context_facts(files: Sequence[Target], named: Sequence[Target], run: RunOptions,
                  engine: Engine, display: Callable[[Path], str] = str) -> Iterator[ProjectFacts]:
    """The index of the project's other files, from the project's cache (`cache.py`) when there is one and
    `--no-cache` is not given: only files changed since the last run are read and parsed, and only the
    facts of the rules the checked files take part in are decoded (`index.ProjectFacts`), while the joins
    run; the cache is written when they are done."""
    if not files:
        yield NO_FACTS
        return
    limits = run.config.limits
    index = _context_indexer(files, limits, engine, display)
    if not run.request.cache or run.project_root is None:
        yield ProjectFacts.of_entries([e for t in files if t.kind is not None or may_be_policy(t.path)
                                       for e in index(load_file(t.file, t.display, limits, t.kind))])
        return
    from smlint.cache import ProjectCache, fingerprint

    cache = ProjectCache(run.project_root, fingerprint(engine.plan.repository, run.fhir.as_data(), limits,
                                                       digest(run.rules_dirs)))
    yield cache.context(files, limits, index)
    cache.keep_only([t.file for t in named])
    cache.save()


def _context_indexer(files: Sequence[Target], limits: Limits, engine: Engine,
                     display: Callable[[Path], str]) -> Callable[[LoadResult], list[Entry]]:
    """The index entries of a context file, a vendor file completed by the export files it names (as when
    it is checked), so that a join sees the same vendor facts whatever part of the project is checked."""
    by_name = {t.display: t for t in files}

    def load(path: Path, name: str) -> LoadResult:
        return load_file(path, name, limits)

    def index(result: LoadResult) -> list[Entry]:
        target = by_name.get(result.path)
        if target is not None:
            result = with_named_exports(result, target.file, load, display)
        return engine.index(result)

    return index


def attach_sources(findings: Sequence[Finding], results: Sequence[LoadResult], run: RunOptions) -> list[Finding]:
    """With --show-source, each finding carries its (redacted) source lines; otherwise none do."""
    if not run.request.show_source:
        return list(findings)
    from smlint.snippets import with_sources

    return with_sources(findings, {r.path: r.lines for r in results}, run.today)


def checked_files(results: Sequence[LoadResult], selection: Selection | None = None,
                  ignored: Callable[[str], frozenset[str]] | None = None) -> tuple[CheckedFile, ...]:
    """Each checked file with its artifact kinds and, given the run's selection, the rules that ran on it (less
    the per-file ignores `ignored` names for it) and those its agency's profile switched off."""
    if selection is None:
        return tuple(CheckedFile(r.path, _kinds(r)) for r in results)
    ran = frozenset(rule.id for rule in selection.rules)
    scopes: dict[frozenset[str], RuleScope] = {frozenset(): RuleScope(ran, selection.not_applicable)}

    def scope(path: str) -> RuleScope:
        off = ignored(path) if ignored is not None else frozenset()
        if off not in scopes:
            scopes[off] = RuleScope(ran - off, {k: v for k, v in selection.not_applicable.items() if k not in off})
        return scopes[off]

    return tuple(CheckedFile(r.path, _kinds(r), scope(r.path)) for r in results)


def _kinds(result: LoadResult) -> tuple[str, ...]:
    return tuple(sorted({d.kind for d in result.documents if d.kind}))


def load_and_evaluate(targets: Sequence[Target], run: RunOptions, selection: Selection, root: Path,
                      context_files: Sequence[Target] = ()) -> tuple[list[LoadResult], list[Finding], list[Deadline]]:
    """The one pipeline (`pipeline.py`): each target loaded, checked and released by one `Step`, serially or,
    with several jobs, in worker processes (`parallel.py`), which give the same findings; the exports vendor
    files name resolved; then the repository rules with the project's other files (`context_files`) as
    context. Returns the checked files (released), every finding and the calendar dates (HTML and Markdown)."""
    request = run.request
    jobs = request.jobs or default_jobs(len(targets))
    if any(t.content is not None for t in targets):
        jobs = 1  # standard input was read in this process
    shows_overview = request.output_format in OVERVIEW_FORMATS
    judged = Context(run.today, run.fhir, horizon_days=HORIZON_DAYS if shows_overview else 0,
                     profile=run.config.profile)
    engine = Engine(selection, judged, project_of=run.project_scopes)
    step = Step(engine, run.config.limits, TargetFiles(targets), keep_text=request.show_source,
                keep_documents=shows_overview)
    executor: Executor = serial
    if jobs > 1:
        executor = partial(map_in_processes, jobs=jobs, rules_dirs=run.rules_dirs)
    outcomes = check_targets(step, targets, root, executor)
    with context_facts(context_files, targets, run, engine, lambda path: display_path(path, root)) as context:
        found = engine.check_project(outcomes, context.without(outcomes.paths))
    return outcomes.results(), found, outcomes.deadlines()


def build_gate(ruleset: RuleSet, selection: Selection, run: RunOptions, root: Path) -> Gate:
    """The run's gate (`gate.py`): selection, per-file ignores, inline directives, waivers, and the baseline
    (`run.baseline`: none while a new baseline is being written)."""
    return Gate(ruleset, selection, run.today, config=run.config, inline=run.request.inline_suppressions,
                baseline=run.baseline, root=root)


def build_report(run: RunOptions, ruleset: RuleSet, root: Path, targets: Sequence[Target] | None = None,
                 context_files: Sequence[Target] = ()) -> Report:
    """The report for `targets` (default: the files the request's paths name), all checked with `run`'s
    settings, with `context_files` loaded only so that cross-artifact rules see them."""
    selection = select_rules(ruleset, run)
    gate = build_gate(ruleset, selection, run, root)
    if targets is None:
        targets = collect_targets(run, root)
    with agency_families(run.rules_dirs):  # prose policies are read with the agency's clause families too
        results, found, dates = load_and_evaluate(targets, run, selection, root, context_files)
    outcome = gate.decide(found, results)
    kept = attach_sources(outcome.findings, results, run)
    ignored = partial(gate.ignores.ignored, root=root) if run.config.per_file_ignores else None
    report = Report(tuple(kept), len(results), ruleset.rules, outcome.suppressed,
                    today=run.today.isoformat(), files=checked_files(results, selection, ignored))
    return with_overview(report, results, dates, run)


def with_overview(report: Report, results: Sequence[LoadResult], dates: Sequence[Deadline],
                  run: RunOptions) -> Report:
    """The artifacts and the deadlines of the next `HORIZON_DAYS` days (which the engine gave as it checked
    the dated rules), for the formats that show them."""
    if run.request.output_format not in OVERVIEW_FORMATS:
        return report
    return replace(report, artifacts=artifacts(results, run.fhir), deadlines=calendar(dates))


def input_files(run: RunOptions, report: Report | None, root: Path) -> list[Path]:
    """Every file this run reads: the files checked, the configuration, waivers, the baseline in use and
    the custom rule files. `--output-file` and `--write-baseline` never replace one of them."""
    config = run.config
    files = [p for p in (config.file, config.waivers, run.baseline) if p is not None]
    for directory in run.rules_dirs:
        files.extend(sorted(Path(directory).glob("*.y*ml")))
        files.extend(sorted((Path(directory) / "clauses").glob("*.y*ml")))  # the agency's clause families
    if report is not None:
        files.extend(root / checked.path for checked in report.files)
    return files


def check_destinations(run: RunOptions, report: Report | None, root: Path) -> None:
    """Refuse (exit 2) before anything is written: see `fsutil.destination`."""
    request = run.request
    if request.output_file is None and request.write_baseline is None:
        return  # nothing is written but to standard output
    inputs = input_files(run, report, root)
    if request.output_file is not None:
        destination(request.output_file, inputs, "the report")
    if request.write_baseline is not None:
        target = destination(request.write_baseline, inputs, "the baseline")
        if target.exists() and not _is_baseline(target):  # walks skip the baseline file: it is never an input
            raise SmlintError(f"refusing to write the baseline to {request.write_baseline}: the file exists and "
                              "is not an smlint baseline; choose another file")


def _is_baseline(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "smlint_baseline" in data


def write_baseline(report: Report, path: Path, root: Path) -> str:
    from smlint.suppress import baseline_text

    text = baseline_text(report.findings, path.absolute().parent, root)
    try:
        atomic_write(destination(path, (), "the baseline"), text)
    except OSError as exc:
        raise SmlintError(f"cannot write the baseline to {path}: {exc.strerror or exc}") from None
    return f"Wrote a baseline of {len(report.findings)} finding(s) to {path}.\n"


def write_output(request: CheckOptions, fail_on: Severity, report: Report, root: Path, out: TextIO,
                 err: TextIO) -> None:
    """The report to `out` or to --output-file (then a summary line to `out`), statistics, step summary.
    `fail_on` words the report's pass or fail."""
    to_file = request.output_file is not None
    color = request.color == "always" if to_file else should_color(request.color, out.isatty(), os.environ)
    # written piece by piece where the format allows it (`reporters.render_chunks`): a large report is never
    # held whole in memory beside its findings
    text = render_chunks(request.output_format, report,
                         RenderOptions(color, request.show_source, str(root.resolve()), fail_on, request.show_info))
    if request.output_file is not None:
        write_file(request.output_file, text)
        out.write(f"{summary(report)}\nReport written to {request.output_file}\n")
    else:
        for chunk in text:
            out.write(chunk)
    if request.statistics:
        from smlint.reporters.statistics import table

        readable = to_file or request.output_format in ("text", "concise")
        (out if readable else err).write(table(report))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if request.output_format == "github" and summary_file:
        from smlint.reporters.github import step_summary

        append_file(Path(summary_file), step_summary(report))


def write_file(path: Path, text: str | Iterable[str]) -> None:
    try:
        atomic_write(destination(path), text)
    except OSError as exc:
        raise SmlintError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


def append_file(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise SmlintError(f"cannot append the summary to {path}: {exc.strerror or exc}") from None


@contextmanager
def startup_objects_frozen() -> Iterator[None]:
    """Everything built before the check (modules, the rule set) is set aside from the cyclic garbage
    collector, which otherwise rescans it on every full collection while documents pile up: 5-10% of a
    large run (docs/performance.md). The collector still runs, so cycles made during the check (by
    jsonschema's errors, say) are freed and memory stays bounded by the input; forked `--jobs` workers
    also touch fewer shared pages. Undone afterwards, for callers that run several checks in one process.
    The command line pauses the collector during start-up (`cli.main`); it runs again here, for the check."""
    gc.freeze()
    paused = not gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if paused:
            gc.disable()
        gc.unfreeze()


def project_runs(request: CheckOptions, root: Path, today: date) -> list[tuple[RunOptions, list[Target], list[Target]]]:
    """The files named, grouped by project: each group's resolved options, its targets, and the project's
    other files as context (`project.py`)."""
    projects = Projects(root, request.config)
    prune = excluded_folders(request.config) if request.config is not None else projects.excluded_folder
    runs = []
    named = ([stdin_target(request.stdin, request.stdin_filename, root)] if request.stdin is not None
             else discover(request.paths, root, prune))
    for project, found in group_targets(named, projects):
        run = resolve(request, project, root, today, projects.scopes)
        targets = configure_targets(found, run)
        context: list[Target] = []
        if request.project_context and targets:
            context = context_targets(project, targets, projects, root,
                                      partial(configure_targets, run=run, sniff=False))
        runs.append((run, targets, context))
    return runs


def not_read_note(name: str) -> str:
    """Said on stderr for a file named on the command line of a kind smlint does not read (exit code unchanged)."""
    return (f"smlint: note: {name} is not a YAML, JSON, Markdown, Word or HTML file, so not an artifact: skipped "
            f"(smlint reads files ending {', '.join(SUFFIXES)})\n")


def no_artifacts_warning(request: CheckOptions, report: Report) -> str:
    """Said on stderr when no checked file holds an artifact and nothing was found: "All clear" alone
    would hide that nothing was checked (a wrong folder, a wrong path). The exit code is not changed."""
    where = " ".join(request.paths) if request.stdin is None else "standard input"
    return (f"smlint: warning: no artifacts found in {where} ({report.files_checked} file(s) read): smlint looks "
            f"for files ending {', '.join(SUFFIXES)} (hidden folders, node_modules, venv, build and dist are "
            f"skipped) whose top level has {_declared_kinds()}, or has the shape of a format smlint reads "
            f"({', '.join(LABELS[kind] for kind in SHAPE_KINDS)}) (a "
            "Markdown policy says `kind: policy` in its front matter, a Word policy in its document-control table; "
            "HTML pages are read below a `site` or `website` folder)\n")


def _declared_kinds() -> str:
    """smlint's own artifacts, as the `kind:` they declare: `kind: policy`, ... or `kind: vendor`."""
    named = [f"`kind: {kind.name}`" for kind in KINDS if kind.origin == ARTIFACT]
    return f"{', '.join(named[:-1])} or {named[-1]}" if len(named) > 1 else named[0]


def run_check(request: CheckOptions, out: TextIO, root: Path | None = None, err: TextIO | None = None) -> int:
    root = root or Path.cwd()
    today = request.today or parse_today(None)
    check_link_ids(request.fhir.link_ids)
    runs = project_runs(request, root, today)
    # each project's configuration, waivers...; with no file to check, the command line's alone
    each = [run for run, _, _ in runs] or [resolve(request, Project(None, request.config or Config()), root, today)]
    for run in each:
        check_destinations(run, None, root)  # a folder, pipe or device is refused before the run
    rulesets: dict[tuple[Path, ...], RuleSet] = {}
    reports: list[Report] = []
    code = EXIT_OK
    for run, _, _ in runs:
        if run.rules_dirs not in rulesets:
            rulesets[run.rules_dirs] = load_ruleset(run.rules_dirs)
    with startup_objects_frozen():
        for run, targets, context in runs:
            report = build_report(run, rulesets[run.rules_dirs], root, targets, context)
            reports.append(report)
            code = max(code, exit_code(report, run.fail_on, request.exit_zero))
    report = merge_reports(reports) if reports else Report((), 0, load_ruleset(request.rules_dirs).rules,
                                                            today=today.isoformat())
    for run in each:
        check_destinations(run, report, root)  # and so is any file the run read
    skipped = not_read(request.paths) if request.stdin is None else []
    for name in skipped:
        (err or sys.stderr).write(not_read_note(name))
    if not report.findings and not any(checked.kinds for checked in report.files) and len(skipped) < len(request.paths):
        (err or sys.stderr).write(no_artifacts_warning(request, report))
    if request.write_baseline is not None:
        out.write(write_baseline(report, request.write_baseline, root))
        return EXIT_OK
    # the report's pass/fail wording uses the strictest threshold of the projects checked
    fail_on = min((run.fail_on for run, _, _ in runs), default=request.fail_on or Severity.ERROR)
    write_output(request, fail_on, report, root, out, err or sys.stderr)
    return code
