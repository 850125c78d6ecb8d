"""Each command's `--help` says what it does: whole summaries in the command list, and option texts that
match the behaviour (tested beside each behaviour; here the wording that once was wrong)."""

from __future__ import annotations

import re

from tests.conftest import Run


def test_top_level_help_gives_every_command_a_whole_summary(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
    summaries = dict(re.match(r"^  (\S+)\s+(.*)$", line).groups() for line in listed)  # type: ignore[union-attr]
    from smlint.cli import cli

    assert set(summaries) == {name for name, command in cli.commands.items() if not command.hidden}
    for command, summary in summaries.items():
        assert summary.endswith(".") and not summary.endswith("..."), (command, summary)
    assert summaries["check"] == "Lint policies, intake forms and vendor files."


def test_rules_help_says_markdown_prints(run: Run) -> None:
    text = " ".join(run("rules", "--help").stdout.split())
    assert "markdown prints the catalogue, rules grouped by tip" in text
    assert "writes" not in text
    assert "--rules-dir DIRECTORY Extra folder of custom rule files (repeatable)." in text


def test_check_help_says_each_file_uses_its_own_project_configuration(run: Run) -> None:
    text = " ".join(run("check", "--help").stdout.split())
    assert ("--config FILE Configuration file for every file checked (default: each file's own project's: the "
            ".smlint.yaml or [tool.smlint] in pyproject.toml nearest above the file).") in text
    assert "--stdin-filename PATH With '-' (or no PATHS): the path the document read from standard input" in text
