"""The application behind the CLI: frozen options in, an exit code out.

argv -> CheckOptions -> RuleSet -> Selection and Gate -> targets -> the pipeline (pipeline.py: each target
loaded, checked by the Engine and released, serially or in processes; then the repository rules) -> the Gate
-> Report -> reporter. Each stage is one function below, so that configuration, suppressions, parallel jobs
and output files each change one place (docs/architecture.md follows a finding through them).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from smlint.checks import Context
from smlint.config import Config
from smlint.discovery import ProjectScopes, Target, discover, display_path, may_be_policy, not_read, stdin_target
from smlint.engine import Engine
from smlint.errors import SmlintError
from smlint.findings import Selection
from smlint.formats.fhirsettings import FhirSettings
from smlint.gate import Gate
from smlint.index import NO_FACTS, ProjectFacts
from smlint.kinds import ARTIFACT, FHIR_QUESTIONNAIRE, KINDS, LABELS, SHAPE_KINDS
from smlint.loader import (
    DEFAULT_LIMITS,
    Limits,
    LoadResult,
    load_file,
)
from smlint.model import CheckedFile, Deadline, Finding, Report, Severity
from smlint.pipeline import Executor, Step, TargetFiles, check_targets, serial
from smlint.project import Project
from smlint.redact import scrub
from smlint.registry import RuleSet, load_ruleset
from smlint.reporters import RenderOptions, render_chunks
from smlint.selectors import RuleChoice, build_selection

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class CheckOptions:
    """What the command line asks for. Settings a configuration file can give (`config`, `fail_on`,
    `rules_dirs`, `limits`, `baseline`, `fhir`) are combined with each file's project configuration
    by `project_options`, unless `config_override` says `config` (from `--config`) applies to every file."""

    paths: tuple[str, ...] = (".",)
    output_format: str = "text"
    today: date | None = None
    fail_on: Severity | None = None  # None: the project's fail_on, else error
    exit_zero: bool = False
    rules_dirs: tuple[Path, ...] = ()
    show_source: bool = False
    color: str = "auto"  # auto | always | never
    limits: Limits = field(default_factory=lambda: DEFAULT_LIMITS)
    output_file: Path | None = None
    statistics: bool = False
    project_context: bool = True  # load the project's other artifacts so that joins see them
    project_root: Path | None = None  # the project folder of the files of this run (project_options)
    cache: bool = True  # keep the index of the project's other files in <project>/.smlint_cache
    # which folder starts which project, as far as this run has looked (shared by its projects' runs)
    project_scopes: ProjectScopes | None = field(default=None, compare=False, repr=False)
    config: Config = field(default_factory=Config)
    config_override: bool = False  # `config` came from --config: every file uses it
    rules: RuleChoice = field(default_factory=RuleChoice)
    inline_suppressions: bool = True
    baseline: Path | None = None
    write_baseline: Path | None = None
    # how FHIR Questionnaire items map to smlint's concepts: the configuration key `fhir` (docs/formats.md)
    fhir: FhirSettings = field(default_factory=FhirSettings)
    jobs: int | None = None  # None: one per idle CPU for large trees, else 1 (parallel.default_jobs)
    show_info: bool = False  # concise format: list each info finding (always with fail_on info)
    stdin: bytes | None = None  # `-`: the one document read from standard input (discovery.stdin_target)
    stdin_filename: str | None = None  # `--stdin-filename`: the path it stands for


def parse_today(value: str | None) -> date:
    """``--today``, else ``SMLINT_TODAY``, else today's UTC date."""
    text = value or os.environ.get("SMLINT_TODAY")
    if not text:
        return datetime.now(timezone.utc).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SmlintError(f"--today/SMLINT_TODAY must be a date as YYYY-MM-DD, got {scrub(text)!r}") from None


def exit_code(report: Report, fail_on: Severity | None, exit_zero: bool = False) -> int:
    if exit_zero:
        return EXIT_OK
    threshold = fail_on or Severity.ERROR
    return EXIT_FINDINGS if any(f.severity >= threshold for f in report.findings) else EXIT_OK


def select_rules(ruleset: RuleSet, options: CheckOptions) -> Selection:
    """The rules that run, and severity overrides: the configuration, then --select/--ignore."""
    return build_selection(ruleset, options.config, options.rules)


def collect_targets(options: CheckOptions, root: Path) -> list[Target]:
    return configure_targets(discover(options.paths, root, excluded_folders(options)), options)


def excluded_folders(options: CheckOptions) -> Callable[[str], bool] | None:
    """Walks do not enter a folder the configuration's `exclude` matches: every file below it would be
    dropped anyway (a glob that matches a folder matches everything below it)."""
    return options.config.excluded if options.config.exclude else None


def configure_targets(targets: list[Target], options: CheckOptions, sniff: bool = True) -> list[Target]:
    """Walks skip the configuration, waivers and baseline files and the configuration's `exclude` globs;
    the `kinds` globs give a kind to files that do not declare one. A walk finds every Markdown file; only
    those that say they are policies (or that the `kinds` globs name) are artifacts, a README is not read
    at all; `sniff=False` leaves that look to the caller (the project cache takes it only for files that
    changed since its last run, `cache.ProjectCache.context`)."""
    config = options.config
    # strings, not Path objects: this runs for every file of a project
    own = {os.path.abspath(p) for p in (config.file, config.waivers, options.baseline, options.write_baseline)  # noqa: PTH100
           if p}
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
    from smlint.formats.fhir import unknown_concepts

    unknown = unknown_concepts(link_ids)
    if unknown:
        raise SmlintError(f"fhir.link_ids: linkId {scrub(unknown[0])!r} maps to a concept smlint does not know; "
                          "docs/formats.md lists the concepts")


@contextmanager
def context_facts(files: Sequence[Target], named: Sequence[Target], options: CheckOptions,
                  engine: Engine) -> Iterator[ProjectFacts]:
    """The index of the project's other files, from the project's cache (`cache.py`) when there is one and
    `--no-cache` is not given: only files changed since the last run are read and parsed, and only the
    facts of the rules the checked files take part in are decoded (`index.ProjectFacts`), while the joins
    run; the cache is written when they are done."""
    if not files:
        yield NO_FACTS
        return
    if not options.cache or options.project_root is None:
        yield ProjectFacts.of_entries([e for t in files if t.kind is not None or may_be_policy(t.path)
                                       for e in engine.index(load_file(t.file, t.display, options.limits, t.kind))])
        return
    from smlint.cache import ProjectCache, fingerprint
    from smlint.clausedirs import digest

    cache = ProjectCache(options.project_root, fingerprint(engine.plan.repository, options.fhir.as_data(),
                                                           options.limits, digest(options.rules_dirs)))
    yield cache.context(files, options.limits, engine.index)
    cache.keep_only([t.file for t in named])
    cache.save()


def attach_sources(findings: Sequence[Finding], results: Sequence[LoadResult], options: CheckOptions,
                   today: date) -> list[Finding]:
    """With --show-source, each finding carries its (redacted) source lines; otherwise none do."""
    if not options.show_source:
        return list(findings)
    from smlint.snippets import with_sources

    return with_sources(findings, {r.path: r.lines for r in results}, today)


def checked_files(results: Sequence[LoadResult]) -> tuple[CheckedFile, ...]:
    return tuple(CheckedFile(r.path, tuple(sorted({d.kind for d in r.documents if d.kind}))) for r in results)


def load_and_evaluate(targets: Sequence[Target], options: CheckOptions, selection: Selection, today: date,
                      root: Path, context_files: Sequence[Target] = ()
                      ) -> tuple[list[LoadResult], list[Finding], list[Deadline]]:
    """The one pipeline (`pipeline.py`): each target loaded, checked and released by one `Step`, serially or,
    with several jobs, in worker processes (`parallel.py`), which give the same findings; the exports vendor
    files name resolved; then the repository rules with the project's other files (`context_files`) as
    context. Returns the checked files (released), every finding and the calendar dates (HTML and Markdown)."""
    from smlint.overview import HORIZON_DAYS
    from smlint.parallel import default_jobs
    from smlint.reporters import OVERVIEW_FORMATS

    jobs = options.jobs or default_jobs(len(targets))
    if any(t.content is not None for t in targets):
        jobs = 1  # standard input was read in this process
    overview = options.output_format in OVERVIEW_FORMATS
    engine = Engine(selection, Context(today, options.fhir, horizon_days=HORIZON_DAYS if overview else 0),
                    project_of=options.project_scopes or ProjectScopes())
    step = Step(engine, options.limits, TargetFiles(targets), keep_text=options.show_source,
                keep_documents=overview)
    run: Executor = serial
    if jobs > 1:
        from smlint.parallel import map_in_processes

        run = partial(map_in_processes, jobs=jobs, rules_dirs=tuple(options.rules_dirs))
    outcomes = check_targets(step, targets, root, run)
    with context_facts(context_files, targets, options, engine) as context:
        found = engine.check_project(outcomes, context.without(outcomes.paths))
    return outcomes.results(), found, outcomes.deadlines()


def build_gate(ruleset: RuleSet, selection: Selection, options: CheckOptions, today: date, root: Path) -> Gate:
    """The run's gate (`gate.py`): selection, per-file ignores, inline directives, waivers, and the baseline
    (not while a new baseline is being written)."""
    return Gate(ruleset, selection, today, config=options.config, inline=options.inline_suppressions,
                baseline=options.baseline if options.write_baseline is None else None, root=root)


def build_report(options: CheckOptions, ruleset: RuleSet, root: Path, targets: Sequence[Target] | None = None,
                 context_files: Sequence[Target] = ()) -> Report:
    """The report for `targets` (default: the files `options.paths` name), all checked with `options`'
    settings, with `context_files` loaded only so that cross-artifact rules see them."""
    today = options.today or parse_today(None)
    selection = select_rules(ruleset, options)
    check_link_ids(options.fhir.link_ids)
    gate = build_gate(ruleset, selection, options, today, root)
    if targets is None:
        targets = collect_targets(options, root)
    from smlint.clausedirs import agency_families

    with agency_families(options.rules_dirs):  # prose policies are read with the agency's clause families too
        results, found, dates = load_and_evaluate(targets, options, selection, today, root, context_files)
    outcome = gate.decide(found, results)
    kept = attach_sources(outcome.findings, results, options, today)
    report = Report(tuple(kept), len(results), ruleset.rules, outcome.suppressed,
                    today=today.isoformat(), files=checked_files(results))
    return with_overview(report, results, dates, options)


def with_overview(report: Report, results: Sequence[LoadResult], dates: Sequence[Deadline],
                  options: CheckOptions) -> Report:
    """The artifacts and the deadlines of the next `HORIZON_DAYS` days (which the engine gave as it checked
    the dated rules), for the formats that show them."""
    from smlint.reporters import OVERVIEW_FORMATS

    if options.output_format not in OVERVIEW_FORMATS:
        return report
    from smlint import overview

    return replace(report, artifacts=overview.artifacts(results, options.fhir), deadlines=overview.calendar(dates))


def input_files(options: CheckOptions, report: Report | None, root: Path) -> list[Path]:
    """Every file this run reads: the files checked, the configuration, waivers, the baseline in use and
    the custom rule files. `--output-file` and `--write-baseline` never replace one of them."""
    config = options.config
    use_baseline = options.baseline if options.write_baseline is None else None
    files = [p for p in (config.file, config.waivers, use_baseline) if p is not None]
    for directory in options.rules_dirs:
        files.extend(sorted(Path(directory).glob("*.y*ml")))
        files.extend(sorted((Path(directory) / "clauses").glob("*.y*ml")))  # the agency's clause families
    if report is not None:
        files.extend(root / checked.path for checked in report.files)
    return files


def check_destinations(options: CheckOptions, report: Report | None, root: Path) -> None:
    """Refuse (exit 2) before anything is written: see `fsutil.destination`."""
    from smlint.fsutil import destination

    inputs = input_files(options, report, root)
    if options.output_file is not None:
        destination(options.output_file, inputs, "the report")
    if options.write_baseline is not None:
        target = destination(options.write_baseline, inputs, "the baseline")
        if target.exists() and not _is_baseline(target):  # walks skip the baseline file: it is never an input
            raise SmlintError(f"refusing to write the baseline to {options.write_baseline}: the file exists and "
                              "is not an smlint baseline; choose another file")


def _is_baseline(path: Path) -> bool:
    import json

    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "smlint_baseline" in data


def write_baseline(report: Report, path: Path, root: Path) -> str:
    from smlint.fsutil import atomic_write, destination
    from smlint.suppress import baseline_text

    text = baseline_text(report.findings, path.absolute().parent, root)
    try:
        atomic_write(destination(path, (), "the baseline"), text)
    except OSError as exc:
        raise SmlintError(f"cannot write the baseline to {path}: {exc.strerror or exc}") from None
    return f"Wrote a baseline of {len(report.findings)} finding(s) to {path}.\n"


def write_output(options: CheckOptions, report: Report, root: Path, out: TextIO, err: TextIO) -> None:
    """The report to `out` or to --output-file (then a summary line to `out`), statistics, step summary."""
    from smlint.reporters.color import should_color
    from smlint.reporters.concise import summary

    to_file = options.output_file is not None
    color = options.color == "always" if to_file else should_color(options.color, out.isatty(), os.environ)
    # written piece by piece where the format allows it (`reporters.render_chunks`): a large report is never
    # held whole in memory beside its findings
    text = render_chunks(options.output_format, report,
                         RenderOptions(color, options.show_source, str(root.resolve()),
                                       options.fail_on or Severity.ERROR, options.show_info))
    if options.output_file is not None:
        write_file(options.output_file, text)
        out.write(f"{summary(report)}\nReport written to {options.output_file}\n")
    else:
        for chunk in text:
            out.write(chunk)
    if options.statistics:
        from smlint.reporters.statistics import table

        readable = to_file or options.output_format in ("text", "concise")
        (out if readable else err).write(table(report))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if options.output_format == "github" and summary_file:
        from smlint.reporters.github import step_summary

        append_file(Path(summary_file), step_summary(report))


def write_file(path: Path, text: str | Iterable[str]) -> None:
    from smlint.fsutil import atomic_write, destination

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
    also touch fewer shared pages. Undone afterwards, for callers that run several checks in one process."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def project_options(options: CheckOptions, project: Project, root: Path,
                    scopes: ProjectScopes | None = None) -> CheckOptions:
    """The options for the files of one project: the command line's, filled in from its configuration."""
    from smlint.project import fail_threshold, rules_dirs

    config = project.config
    return replace(
        options,
        config=config,
        project_root=project.root,
        project_scopes=scopes,
        fail_on=fail_threshold(options.fail_on, config),
        rules_dirs=rules_dirs(config, options.rules_dirs, root),
        limits=config.limits if "limits" in config.given else options.limits,
        baseline=options.baseline or config.baseline,
        fhir=options.fhir.over(config.fhir),
    )


def project_runs(options: CheckOptions, root: Path) -> list[tuple[CheckOptions, list[Target], list[Target]]]:
    """The files named, grouped by project: each group's options, its targets, and the project's other
    files as context (`project.py`)."""
    from smlint.project import Projects, context_targets, group_targets

    projects = Projects(root, options.config if options.config_override else None)
    prune = excluded_folders(options) if options.config_override else projects.excluded_folder
    runs = []
    named = ([stdin_target(options.stdin, options.stdin_filename, root)] if options.stdin is not None
             else discover(options.paths, root, prune))
    for project, found in group_targets(named, projects):
        run_options = project_options(options, project, root, projects.scopes)
        targets = configure_targets(found, run_options)
        context: list[Target] = []
        if options.project_context and targets:
            context = context_targets(project, targets, projects, root,
                                      partial(configure_targets, options=run_options, sniff=False))
        runs.append((run_options, targets, context))
    return runs


def not_read_note(name: str) -> str:
    """Said on stderr for a file named on the command line of a kind smlint does not read (exit code unchanged)."""
    from smlint.discovery import SUFFIXES

    return (f"smlint: note: {name} is not a YAML, JSON, Markdown, Word or HTML file, so not an artifact: skipped "
            f"(smlint reads files ending {', '.join(SUFFIXES)})\n")


def no_artifacts_warning(options: CheckOptions, report: Report) -> str:
    """Said on stderr when no checked file holds an artifact and nothing was found: "All clear" alone
    would hide that nothing was checked (a wrong folder, a wrong path). The exit code is not changed."""
    from smlint.discovery import SUFFIXES

    where = " ".join(options.paths) if options.stdin is None else "standard input"
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


def run_check(options: CheckOptions, out: TextIO, root: Path | None = None, err: TextIO | None = None) -> int:
    from smlint.project import merge_reports

    root = root or Path.cwd()
    runs = project_runs(options, root)
    each = [run_options for run_options, _, _ in runs] or [options]  # each project's configuration, waivers...
    for run_options in each:
        check_destinations(run_options, None, root)  # a folder, pipe or device is refused before the run
    rulesets: dict[tuple[Path, ...], RuleSet] = {}
    reports: list[Report] = []
    code = EXIT_OK
    for run_options, _, _ in runs:
        if run_options.rules_dirs not in rulesets:
            rulesets[run_options.rules_dirs] = load_ruleset(run_options.rules_dirs)
    with startup_objects_frozen():
        for run_options, targets, context in runs:
            report = build_report(run_options, rulesets[run_options.rules_dirs], root, targets, context)
            reports.append(report)
            code = max(code, exit_code(report, run_options.fail_on, options.exit_zero))
    report = merge_reports(reports) if reports else Report((), 0, load_ruleset(options.rules_dirs).rules,
                                                            today=(options.today or parse_today(None)).isoformat())
    for run_options in each:
        check_destinations(run_options, report, root)  # and so is any file the run read
    skipped = not_read(options.paths) if options.stdin is None else []
    for name in skipped:
        (err or sys.stderr).write(not_read_note(name))
    if not report.findings and not any(checked.kinds for checked in report.files) and len(skipped) < len(options.paths):
        (err or sys.stderr).write(no_artifacts_warning(options, report))
    if options.write_baseline is not None:
        out.write(write_baseline(report, options.write_baseline, root))
        return EXIT_OK
    # the report's pass/fail wording uses the strictest threshold of the projects checked
    thresholds = [run_options.fail_on or Severity.ERROR for run_options, _, _ in runs]
    write_output(replace(options, fail_on=min(thresholds, default=options.fail_on or Severity.ERROR)), report, root,
                 out, err or sys.stderr)
    return code


def explain_form_text(file: Path, output_format: str, override: Config | None = None) -> str:
    """`smlint explain-form`: the reading of each FHIR Questionnaire in `file`, with its project's settings
    (or `override`'s, from --config). A file that cannot be read or holds no Questionnaire is an error."""
    from smlint.formexplain import explain, render_json, render_text
    from smlint.project import Projects

    cwd = Path.cwd()
    if not file.is_file():
        raise SmlintError(f"{display_path(file, cwd)}: no such file")
    config = Projects(cwd, override).of_file(file).config
    result = load_file(file, display_path(file, cwd), config.limits)
    if result.problems:
        problem = result.problems[0]
        raise SmlintError(f"{result.path}:{problem.span.line}:{problem.span.column}: {scrub(problem.message)}")
    forms = [explain(doc, config.fhir) for doc in result.documents if doc.kind == FHIR_QUESTIONNAIRE]
    if not forms:
        raise SmlintError(f"{result.path}: not a FHIR Questionnaire (resourceType: Questionnaire); "
                          "smlint intake forms in YAML are read as written")
    return render_json(forms) if output_format == "json" else "".join(render_text(form) for form in forms)
