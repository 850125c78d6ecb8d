"""Shared fixtures: the checkout's paths, a fixed 'today', and a CLI runner that returns exit code and output."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from smlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The example agencies keep their policies as prose (Markdown for the compliant agency, Word for the
# noncompliant one); the same policies as `kind: policy` YAML are kept here for the tests that need YAML.
COMPLIANT_POLICY_YAML = ROOT / "tests" / "corpus" / "prose" / "examples" / "compliant-policy.yaml"
NONCOMPLIANT_POLICY_YAML = ROOT / "tests" / "corpus" / "prose" / "examples" / "noncompliant-policy.yaml"
TODAY = "2026-03-01"
# Checks of the shipped examples must not leave a .smlint_cache/ in the checkout; the tests of the cache
# (tests/acceptance/test_cache.py, test_projects.py) work on copies and turn it back on.
os.environ["SMLINT_NO_CACHE"] = "1"
# Property tests draw the same examples on every run, so that a CI result can be reproduced and a red main is
# never a roll of the dice; HYPOTHESIS_PROFILE=explore draws new ones (and keeps what fails in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


def run_cli(*args: str) -> Result:
    """Call `smlint.cli.main` in-process, as the console script does, capturing both streams."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def located(report: str, folder: Path) -> list[tuple[str, str, int, int]]:
    """A JSON report's findings as (path relative to `folder`, rule, line, column), sorted; a path the report
    gives relative is relative to the working folder, as the CLI printed it."""
    found = []
    for f in json.loads(report)["findings"]:
        path = Path(f["path"]) if Path(f["path"]).is_absolute() else Path.cwd() / f["path"]
        found.append((path.relative_to(folder).as_posix(), f["rule"], f["line"], f["column"]))
    return sorted(found)


def trial_findings(run: Run, *paths: str | Path, cwd: Path, today: str, rules: str) -> list[tuple[str, str, int, int]]:
    """`smlint check PATHS --format json --today TODAY --select RULES` (exit 0 or 1), its findings as `located`
    gives them under `cwd`: how the user-trial tests (a practice's files under tests/acceptance/data/) read a run."""
    result = run("check", *(str(p) for p in paths), "--format", "json", "--today", today, "--select", rules)
    assert result.exit_code in (0, 1), result.stderr
    return located(result.stdout, cwd)


def copy_of(source: Path, tmp_path: Path, name: str = "agency") -> Path:
    """A copy of a practice's folder to change in a test."""
    copy = tmp_path / name
    shutil.copytree(source, copy)
    return copy


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI from the checkout's root, so that paths in findings are relative to it."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    for name in ("PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY"):  # they change the output
        monkeypatch.delenv(name, raising=False)
    return run_cli
