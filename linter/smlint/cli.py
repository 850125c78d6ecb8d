"""Command-line interface: click commands only. Each builds frozen options and calls the app.

Exit codes: 0 nothing at or above the fail threshold; 1 findings; 2 usage, configuration or rule
error, or an internal error (one line; the traceback only with --debug).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from smlint import __version__
from smlint.reporters import FORMATS

EXIT_ERROR = 2


class _State:
    debug = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="smlint", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
def cli(debug: bool) -> None:
    """smlint checks a social-work practice's technology policy, intake forms and vendor
    configuration against the NASW Code of Ethics, the Technology Standards and HIPAA."""
    _State.debug = debug


def _config_option(fn: Any) -> Any:
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="Configuration file (default: .smlint.yaml or [tool.smlint] in pyproject.toml, "
                             "searched from the working folder upwards).")(fn)


def _check_config_option(fn: Any) -> Any:
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="Configuration file for every file checked (default: each file's own project's: the "
                             ".smlint.yaml or [tool.smlint] in pyproject.toml nearest above the file).")(fn)


def _load_config(config_file: Path | None) -> Any:
    from smlint.config import load_config

    return load_config(Path.cwd(), config_file)


def _rules_dirs(config: Any, extra: Sequence[Path]) -> tuple[Path, ...]:
    """The configuration's rules folders, then the command line's, each once (as `check` resolves them)."""
    from smlint.project import rules_dirs

    return rules_dirs(config, extra, Path.cwd())


@cli.command(short_help="Lint policies, intake forms and vendor files.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default=None,
              help="Output format [default: text; concise under pre-commit (PRE_COMMIT set)].")
@click.option("--today", metavar="YYYY-MM-DD", help="Judge dates as of this day (default: SMLINT_TODAY or UTC today).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1.  [default: fail_on in the configuration, else error]")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra folder of custom rule files (repeatable).")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file; print only a summary.")
@click.option("--statistics", is_flag=True, help="Also print how many findings each rule produced.")
@click.option("--show-source", is_flag=True,
              help="Show the source lines of each finding (numbers, e-mails and client identifiers masked).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text format (auto: on a terminal, unless NO_COLOR is set or FORCE_COLOR forces it).")
@click.option("--project-context/--no-project-context", "project_context", default=True,
              help="Load the other artifacts of each file's project so that cross-artifact rules see them; "
                   "findings are still reported only for PATHS [default: on].")
@click.option("--repo-context/--no-repo-context", "project_context", default=True, hidden=True,
              help="The former name of --project-context.")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the project index in .smlint_cache/ (also: SMLINT_NO_CACHE set to "
                   "anything but the empty string).")
@_check_config_option
@click.option("--select", multiple=True, metavar="RULES",
              help="Run only these rules: ids, prefixes (SM3), names or law ids (hipaa-2025-proposed: the rules "
                   "relying on that law, switched on), comma-separated (repeatable). "
                   "Replaces the configuration's select, extend-select and ignore.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Run these rules as well (repeatable).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Do not run these rules (repeatable).")
@click.option("--law", "laws", multiple=True, metavar="LAW",
              help="Also run the rules of this proposed rule-making, e.g. hipaa-2025-proposed (repeatable, or "
                   "comma-separated; `smlint laws` lists them). A vacated or superseded law cannot be selected.")
@click.option("--no-inline-suppressions", is_flag=True,
              help="Ignore every '# smlint: disable' comment (a CI gate); waivers and the baseline still apply.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record today's findings in this baseline file and exit 0.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes that load and check files (default: one per idle CPU from 400 files, else 1).")
@click.option("--show-info", is_flag=True,
              help="concise format: list every info finding (placeholders, notes) instead of one line counting "
                   "them; implied by --fail-on info.")
@click.option("--stdin-filename", metavar="PATH",
              help="With '-' (or no PATHS): the path the document read from standard input stands for; it names "
                   "the document in the report, chooses JSON or YAML and the project whose configuration and "
                   "other artifacts apply.")
def check(paths: tuple[str, ...], output_format: str | None, today: str | None, fail_on: str | None,
          exit_zero: bool, rules_dirs: tuple[Path, ...], output_file: Path | None, statistics: bool, show_source: bool,
          color: str,
          project_context: bool, no_cache: bool, config_file: Path | None, select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], laws: tuple[str, ...], no_inline_suppressions: bool,
          baseline: Path | None, write_baseline: Path | None, jobs: int | None, show_info: bool,
          stdin_filename: str | None) -> None:
    """Lint policy, intake-form and vendor files and folders (default: the current folder); `-` reads one
    file from standard input."""
    from smlint.app import CheckOptions, parse_today, run_check
    from smlint.model import Severity
    from smlint.selectors import RuleChoice, split_option

    # each file is checked with its own project's configuration (app.resolve), unless --config
    override = _load_config(config_file) if config_file is not None else None
    from smlint.discovery import STDIN

    under_pre_commit = bool(os.environ.get("PRE_COMMIT"))
    stdin = _read_stdin(paths, stdin_filename)
    options = CheckOptions(
        paths=paths or ((STDIN,) if stdin is not None else (".",)),
        output_format=output_format or ("concise" if under_pre_commit else "text"),
        today=parse_today(today),
        fail_on=Severity.parse(fail_on) if fail_on else None,
        exit_zero=exit_zero,
        rules_dirs=tuple(rules_dirs),
        output_file=output_file,
        statistics=statistics,
        show_source=show_source,
        color=color,
        project_context=project_context,
        cache=not (no_cache or os.environ.get("SMLINT_NO_CACHE")),
        config=override,
        rules=RuleChoice(split_option(select), split_option(ignore), split_option(extend_select), split_option(laws)),
        inline_suppressions=not no_inline_suppressions,
        baseline=baseline,
        write_baseline=write_baseline,
        jobs=jobs,
        show_info=show_info,
        stdin=stdin,
        stdin_filename=stdin_filename,
    )
    sys.exit(run_check(options, sys.stdout))


def _read_stdin(paths: tuple[str, ...], stdin_filename: str | None) -> bytes | None:
    """The bytes of standard input when the run asks for it (`-`, or `--stdin-filename` with no PATHS)."""
    from smlint.discovery import STDIN
    from smlint.errors import SmlintError

    if STDIN not in paths and not (stdin_filename is not None and not paths):
        if stdin_filename is not None:
            raise SmlintError("--stdin-filename names the document read from standard input: "
                              "pass '-' as the only path")
        return None
    if paths != (STDIN,) and paths:
        raise SmlintError("'-' (standard input) must be the only path: smlint reads one document from it")
    return sys.stdin.buffer.read()


@cli.command("config", short_help="Show the configuration in force for a file or folder.")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--show", is_flag=True, help="Print the effective configuration and where each value came from.")
@_check_config_option
def config_command(path: Path | None, show: bool, config_file: Path | None) -> None:
    """Show the configuration that applies to PATH (a file or folder; default: the current folder) and where
    each value came from (`smlint config --show [PATH]`)."""
    from smlint.config import show as show_config
    from smlint.project import Projects

    cwd = Path.cwd()
    projects = Projects(cwd, _load_config(config_file) if config_file is not None else None)
    target = path or cwd
    project = projects.of_folder(target) if target.is_dir() else projects.of_file(target)
    click.echo(show_config(project.config, project.root, cwd, overridden=config_file is not None), nl=False)


@cli.command("clean", short_help="Remove smlint's cache folders (.smlint_cache/).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
def clean_command(paths: tuple[Path, ...]) -> None:
    """Remove smlint's cache folders (.smlint_cache/) in and below PATHS (default: the current folder)."""
    from smlint.cache import clean

    removed = clean(list(paths) or [Path()])
    for folder in removed:
        click.echo(f"Removed {folder.as_posix()}")
    if not removed:
        click.echo("No smlint cache found.")


@cli.command("rules", short_help="List every rule with its metadata.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True,
              help="markdown prints the catalogue, rules grouped by tip (smlint's docs/rules.md is this output).")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra folder of custom rule files (repeatable).")
@click.option("--law", "law_filter", multiple=True, metavar="LAW",
              help="Only rules that rely on this law (repeatable; `smlint laws` lists them).")
@click.option("--status", "status_filter", multiple=True,
              type=click.Choice(["in-force", "verified", "proposed", "vacated", "superseded"]),
              help="Only rules whose governing law has this status (repeatable).")
@_config_option
def rules_command(output_format: str, rules_dirs: tuple[Path, ...], law_filter: tuple[str, ...],
                  status_filter: tuple[str, ...], config_file: Path | None) -> None:
    """List every rule with its metadata (built-in, plus the configuration's rules_dirs)."""
    from smlint.errors import SmlintError
    from smlint.laws import get, status_of
    from smlint.registry import load_ruleset
    from smlint.ruledoc import rules_json, rules_markdown, rules_text

    ruleset = load_ruleset(_rules_dirs(_load_config(config_file), rules_dirs))
    wanted = set()
    for name in (part.strip() for value in law_filter for part in value.split(",") if part.strip()):
        law = get(name)
        if law is None:
            raise SmlintError(f"--law: '{name}' is not a law smlint knows; `smlint laws` lists them")
        wanted.add(law.id)
    rules = [rule for rule in ruleset.rules if (not wanted or wanted & set(rule.laws))
             and (not status_filter or status_of(rule.laws) in status_filter)]
    if output_format == "markdown" and (wanted or status_filter):
        raise SmlintError("--format markdown writes the whole catalog; it cannot be combined with --law or --status")
    render = {"json": rules_json, "markdown": rules_markdown}.get(output_format, rules_text)
    click.echo(render(rules), nl=False)


@cli.command("laws", short_help="List the laws the rules rely on, with their status.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def laws_command(output_format: str) -> None:
    """List the laws, rule-makings and guidance the rules rely on, with their status on the catalog's date."""
    import json

    from smlint.laws import registry

    laws = list(registry().values())
    if output_format == "json":
        click.echo(json.dumps([{**law.to_dict(), "summary": law.summary} for law in laws], indent=2))
        return
    width = max(len(law.id) for law in laws)
    for law in laws:
        dates = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in law.dates)
        click.echo(f"{law.id:<{width}}  {law.status:<10}  {law.name}" + (f" ({dates})" if dates else ""))


@cli.command(short_help="Explain one rule: why, how to fix, citations, examples.")
@click.argument("rule")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra folder of custom rule files (repeatable).")
@_config_option
def explain(rule: str, rules_dirs: tuple[Path, ...], config_file: Path | None) -> None:
    """Explain one rule (by id, e.g. SM101, or name): why, how to fix, citations and examples."""
    from smlint.errors import SmlintError
    from smlint.redact import scrub
    from smlint.registry import load_ruleset
    from smlint.ruledoc import explain_text

    found = load_ruleset(_rules_dirs(_load_config(config_file), rules_dirs)).get(rule)
    if found is None:
        raise SmlintError(f"unknown rule {scrub(rule)!r}; `smlint rules` lists them")
    click.echo(explain_text(found), nl=False)


@cli.command("explain-policy", short_help="Show how a Markdown or Word policy was read.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra folder of custom rules whose clauses/ folder holds clause families (repeatable).")
@_config_option
def explain_policy(file: Path, output_format: str, rules_dirs: tuple[Path, ...], config_file: Path | None) -> None:
    """Show how a Markdown or Word policy was read: each clause concept established, contradicted or not
    found, and where (docs/clause-catalogue.md). The agency's own clause families (`clauses/` in the
    rules folders of FILE's configuration, and in --rules-dir) are read too."""
    from smlint.clausedirs import agency_families
    from smlint.config import load_config
    from smlint.discovery import display_path
    from smlint.policymap import map_policy, render_json, render_text
    from smlint.registry import load_ruleset

    folders = _rules_dirs(load_config(file.resolve().parent, config_file), rules_dirs)
    load_ruleset(folders)  # a broken rule or clause family: exit 2, naming its file and line
    with agency_families(folders):
        mapping = map_policy(file, display_path(file, Path.cwd()))
    click.echo((render_json if output_format == "json" else render_text)(mapping), nl=False)


@cli.command("test-rules", short_help="Run every rule's own pass and fail examples.")
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
@_config_option
def test_rules(dirs: tuple[Path, ...], verbose: bool, config_file: Path | None) -> None:
    """Run every rule's own pass and fail examples (built-in, the configuration's rules_dirs, and DIRS)."""
    from smlint.registry import load_ruleset
    from smlint.ruletest import run_all

    ruleset = load_ruleset(_rules_dirs(_load_config(config_file), dirs), validate_builtin=True)
    outcomes = run_all(ruleset.rules, ruleset)
    for outcome in outcomes:
        if not outcome.ok:
            want = "at least one finding" if outcome.expectation == "fail" else "no finding"
            click.echo(f"FAIL {outcome.label}: expected {want}, got {len(outcome.findings)} ({outcome.rule.source})")
        elif verbose:
            click.echo(f"ok   {outcome.label}")
    failed = sum(1 for o in outcomes if not o.ok)
    click.echo(f"{len(outcomes) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@cli.command(short_help="Scaffold a policy repository that passes.")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--org", "organisation", metavar="NAME", help="Name of the agency or practice.")
@click.option("--state", "states", multiple=True, metavar="XX",
              help="A state where telehealth clients are (repeatable, or comma-separated): scaffolds licences.")
@click.option("--covered-entity/--not-covered-entity", default=True, show_default=True,
              help="Whether the agency is a HIPAA covered entity, written to the policy and the configuration's "
                   "profile; when it is not, the rules whose duty comes only from HIPAA do not run and the "
                   "vendors record confidentiality agreements instead of BAAs.")
@click.option("--part2-program", is_flag=True,
              help="The agency is a substance-use treatment program under 42 CFR Part 2: adds the Part 2 policy "
                   "section and consent, and `part2_program: true` to the configuration's profile.")
@click.option("--serves-minors", is_flag=True,
              help="The agency serves clients under 18: adds a minor intake form with a guardian's signature, and "
                   "`serves_minors: true` to the configuration's profile.")
@click.option("--policy-format", type=click.Choice(["yaml", "markdown", "docx"]), default="yaml", show_default=True,
              help="Write the policy as YAML, as a Markdown document (front matter and text) or as a Word document "
                   "(needs `pip install 'smlint[docx]'`), which smlint reads clause by clause.")
@click.option("--force", is_flag=True, help="Overwrite files the scaffold would write.")
@click.option("--schemas-only", is_flag=True,
              help="Only (re)write the schema copies in .schemas/ that editors use, e.g. after an upgrade.")
def init(directory: Path, organisation: str | None, states: tuple[str, ...], covered_entity: bool,
         part2_program: bool, serves_minors: bool, policy_format: str, force: bool, schemas_only: bool) -> None:
    """Scaffold a policy repository (policy, intake form, vendors, hooks, CI) that passes `smlint check`."""
    from smlint.app import parse_today
    from smlint.scaffold import InitOptions, normalise_states, write_repository

    options = InitOptions(directory, organisation, normalise_states(states), covered_entity, force,
                          parse_today(None), schemas_only, part2_program, serves_minors, policy_format)
    written = write_repository(options)
    if schemas_only:
        click.echo(f"Wrote {len(written)} schema copies in {directory / '.schemas'}")
        return
    click.echo(f"Created a policy repository in {directory} ({len(written)} files):")
    for path in written:
        click.echo(f"  {path.relative_to(directory).as_posix()}")
    click.echo(f"""Next:
  1. smlint check {directory}
     lists every <FILL IN: ...> placeholder still to replace, with file and line: your to-do list.
  2. Adapt the wording to your practice, then commit the folder to git and run `pre-commit install`.""")


@cli.command("explain-form", short_help="Show how smlint reads a FHIR Questionnaire intake form.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_config_option
def explain_form(file: Path, output_format: str, config_file: Path | None) -> None:
    """Show what each item of a FHIR Questionnaire intake form was taken to mean, and why (an smlint code,
    the project's fhir.link_ids, the text match), with the project's `fhir` settings."""
    from smlint.formexplain import explain_form

    click.echo(explain_form(file, output_format, _load_config(config_file) if config_file else None), nl=False)


def _usage_error(exc: click.ClickException) -> str:
    """Click's usage error as it would show it. Its message quotes the value given (`--format 'client Jane
    Doe'`), so it passes the redaction boundary, except a path that does not exist, which is shown as it
    is (like every file name)."""
    import io

    from smlint.redact import scrub

    shown = io.StringIO()
    exc.show(file=shown)
    if isinstance(exc, click.BadParameter) and isinstance(getattr(exc.param, "type", None), click.Path):
        return shown.getvalue()
    message = exc.format_message()
    return shown.getvalue().replace(message, scrub(message))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: runs the CLI and turns every error into a message and an exit code."""
    _State.debug = False  # per call: embedding code and tests call main() more than once
    # start-up (imports, the rule set, the options) builds long-lived objects and no garbage cycles worth
    # collecting: the cyclic collector is paused until the check begins (`app.startup_objects_frozen` runs it
    # again), which saves a one-file run about 3% of its instructions (docs/performance.md)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if collecting:
            gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    from smlint.errors import SmlintError

    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="smlint", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        click.echo(_usage_error(exc), err=True, nl=False)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("smlint: aborted", err=True)
        return EXIT_ERROR
    except SmlintError as exc:
        click.echo(f"smlint: error: {exc}", err=True)
        return exc.exit_code
    except Exception as exc:
        if _State.debug:
            import traceback

            traceback.print_exc()
        from smlint.redact import scrub  # the exception's text may quote a value from the files

        click.echo(f"smlint: internal error: {exc.__class__.__name__}: {scrub(str(exc))} (rerun with --debug for "
                   "details)", err=True)
        return EXIT_ERROR
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
