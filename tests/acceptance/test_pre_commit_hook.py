"""`pre-commit try-repo <checkout> smlint` against temporary agency repositories.

pre-commit installs smlint from a committed copy of this checkout (pip, so the package index must be
reachable), then runs the hooks from .pre-commit-hooks.yaml exactly as another repository would.
SMLINT_TODAY pins the date. One PRE_COMMIT_HOME serves the whole module, so the hook is installed once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.acceptance.test_check_examples import NONCOMPLIANT, NONCOMPLIANT_ERRORS
from tests.conftest import EXAMPLES, ROOT, TODAY, run_cli

pytestmark = pytest.mark.slow

LOCATED = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>SM\d{3}) \[(error|warning|info)\] ")
GIT_IDENTITY = ["-c", "user.name=smlint tests", "-c", "user.email=tests@smlint.invalid", "-c", "commit.gpgsign=false"]


def clean_env(**extra: str) -> dict[str, str]:
    """No GIT_* from an outer hook or CI step, no colour or pre-commit settings; a fixed date."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in {"SMLINT_TODAY", "NO_COLOR", "FORCE_COLOR"}}
    return {**env, "SMLINT_TODAY": TODAY, **extra}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, check=True, capture_output=True, env=clean_env())


def checkout_files() -> list[str]:
    """The checkout's files as git sees them (tracked, and new files not ignored), working-tree content."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=False, env=clean_env())
    if listed.returncode != 0:  # not a git checkout (an unpacked sdist): everything but local state
        skip = {".git", ".venv", "build", "dist"}
        return [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                if (p.is_file() or p.is_symlink()) and not skip & set(p.relative_to(ROOT).parts)]
    return [name for name in listed.stdout.decode().split("\0") if name]


def copy_file(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_symlink():
        dst.symlink_to(src.readlink())
    elif src.is_file():
        shutil.copy2(src, dst)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this checkout, as pre-commit needs a git repository with a HEAD."""
    repo = tmp_path_factory.mktemp("smlint-hook")
    for name in checkout_files():
        copy_file(ROOT / name, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "smlint under test")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def agency(tmp_path: Path, example: str) -> Path:
    repo = tmp_path / example
    shutil.copytree(EXAMPLES / example, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def try_repo(repo: Path, hook_repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), *args, "--color", "never"],
                          cwd=repo, capture_output=True, text=True, env=clean_env(PRE_COMMIT_HOME=str(home)),
                          timeout=900)


def located(stdout: str) -> set[tuple[str, int, int, str]]:
    return {(m["path"], int(m["line"]), int(m["col"]), m["rule"])
            for m in map(LOCATED.match, stdout.splitlines()) if m}


def test_noncompliant_repository_fails_with_located_findings(hook_repo: Path, pre_commit_home: Path,
                                                             tmp_path: Path) -> None:
    done = try_repo(agency(tmp_path, "noncompliant"), hook_repo, pre_commit_home, "smlint", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^smlint\.+Failed$", done.stdout, re.MULTILINE), done.stdout
    # the hook passes YAML and JSON files: website pages are checked by `smlint-repo` and CI (docs/formats.md)
    passed = [(path, line, col, rule) for path, line, col, rule in NONCOMPLIANT if not path.endswith(".html")]
    expected = {(path.removeprefix("examples/noncompliant/"), line, col, rule) for path, line, col, rule in passed}
    assert located(done.stdout) == expected
    pages = sorted({path for path, *_ in NONCOMPLIANT} - {path for path, *_ in passed})
    errors = NONCOMPLIANT_ERRORS - (len(NONCOMPLIANT) - len(passed))  # the pages' findings are all errors
    files = len({path for path, *_ in NONCOMPLIANT}) - len(pages)
    checked = files + 1  # and exports/zoom-lock-settings.json: every setting locked, nothing to report
    assert (f"Found {len(passed)} finding(s) in {files} of {checked} file(s) checked: {errors} error(s), "
            f"{len(passed) - errors} warning(s), 0 info.") in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_compliant_repository_passes(hook_repo: Path, pre_commit_home: Path, tmp_path: Path) -> None:
    done = try_repo(agency(tmp_path, "compliant"), hook_repo, pre_commit_home, "smlint", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^smlint\.+Passed$", done.stdout, re.MULTILINE), done.stdout


def test_one_changed_file_is_checked_against_the_whole_repository(hook_repo: Path, pre_commit_home: Path,
                                                                  tmp_path: Path) -> None:
    # The texting vendor needs a texting consent clause in some intake form: it is in intake/, not passed in.
    repo = agency(tmp_path, "compliant")
    done = try_repo(repo, hook_repo, pre_commit_home, "smlint", "--files", "vendors/spruce-health.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    # and a noncompliant repository reports only on the file given
    bad = agency(tmp_path, "noncompliant")
    done = try_repo(bad, hook_repo, pre_commit_home, "smlint", "--files", "vendors/textnow.yaml")
    assert done.returncode == 1
    assert located(done.stdout) == {(path.removeprefix("examples/noncompliant/"), line, col, rule)
                                    for path, line, col, rule in NONCOMPLIANT if path.endswith("/vendors/textnow.yaml")}


def test_whole_repository_hook(hook_repo: Path, pre_commit_home: Path, tmp_path: Path) -> None:
    bad = try_repo(agency(tmp_path, "noncompliant"), hook_repo, pre_commit_home, "smlint-repo", "--all-files")
    assert bad.returncode == 1
    assert len(located(bad.stdout)) == len(set(NONCOMPLIANT))  # some rules repeat at one place
    ok = try_repo(agency(tmp_path, "compliant"), hook_repo, pre_commit_home, "smlint-repo", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr


PROSE_EXAMPLES = ROOT / "tests" / "corpus" / "prose" / "examples"


def handout(path: Path) -> None:
    """A Word file that is not a policy (no document-control table, no 'policy' in its properties)."""
    import docx

    document = docx.Document()
    document.add_heading("Welcome to the practice", 1)
    document.add_paragraph("Parking is behind the building. Sessions start on the hour.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def test_markdown_and_word_files_of_a_commit_are_passed_to_smlint(hook_repo: Path, pre_commit_home: Path,
                                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    # the noncompliant agency with its policy kept as Markdown, a README and a Word handout beside it
    repo = agency(tmp_path, "noncompliant")
    (repo / "policies" / "technology-policy.docx").unlink()
    shutil.copy(PROSE_EXAMPLES / "noncompliant-policy.md", repo / "policies" / "technology-policy.md")
    (repo / "README.md").write_text("# Lakeside's policies\n\nStaff may accept friend requests.\n", encoding="utf-8")
    handout(repo / "handouts" / "welcome.docx")
    git(repo, "add", "-A")
    files = ["policies/technology-policy.md", "README.md", "handouts/welcome.docx"]
    done = try_repo(repo, hook_repo, pre_commit_home, "smlint", "--files", *files)
    assert done.returncode == 1, done.stdout + done.stderr
    # what `smlint check` says about the same three files, run by hand in the repository
    monkeypatch.chdir(repo)
    by_hand = run_cli("check", "--format", "concise", "--today", TODAY, *files)
    expected = located(by_hand.stdout)
    assert {path for path, *_ in expected} == {"policies/technology-policy.md"}  # README and handout: no finding
    assert ("policies/technology-policy.md", 64, 1, "SM139") in expected  # "written consent is not needed"
    assert located(done.stdout) == expected
    assert "Traceback" not in done.stdout + done.stderr
