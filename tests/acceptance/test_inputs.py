"""Inputs a user expects: `-` reads one document from standard input (`--stdin-filename` gives the path it
stands for, as in ruff), and a file named on the command line that smlint does not read is skipped with a
note rather than reported as broken YAML (a Markdown file is read: it is a policy when its front matter
says so, and the no-artifacts warning names it otherwise). Run as the console script, with exact streams
and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, TODAY

pytestmark = pytest.mark.slow

SQUARE = "examples/noncompliant/vendors/square.yaml"
NOTE = ("smlint: note: pyproject.toml is not a YAML, JSON, Markdown, Word or HTML file, so not an artifact: "
        "skipped (smlint reads files ending .yaml, .yml, .json, .md, .markdown, .docx, .html, .htm)\n")


def smlint(*args: str, stdin: bytes = b"", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PRE_COMMIT", "SMLINT_TODAY", "NO_COLOR", "FORCE_COLOR")}
    env["SMLINT_NO_CACHE"] = "1"
    done = subprocess.run([sys.executable, "-m", "smlint", *args], input=stdin, cwd=cwd, env=env,
                          capture_output=True, timeout=120)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_stdin_with_its_filename_reports_exactly_what_the_file_gives() -> None:
    """The buffer stands for the file: same name, same project (so SM410 sees the intake forms), same output."""
    on_disk = smlint("check", SQUARE, "--today", TODAY)
    piped = smlint("check", "-", "--stdin-filename", SQUARE, "--today", TODAY, stdin=(ROOT / SQUARE).read_bytes())
    assert (piped.returncode, piped.stderr) == (1, "")
    assert piped.stdout == on_disk.stdout
    assert piped.stdout.splitlines()[:3] == [
        SQUARE,
        "  1:1  warning  SM030  record whether two-factor sign-in is enforced for all staff (needed by SM313); "
        "whether each staff member has their own account (needed by SM314); whether this vendor encrypts client "
        "information in transit (needed by SM315); and whether this vendor encrypts the client information it "
        "stores (needed by SM316): smlint cannot judge those rules until it is written down",
        "  3:1  error    SM410  clients pay through this vendor, but no intake form tells them how payments "
        "appear on statements"]


def test_stdin_edits_replace_the_file_on_disk() -> None:
    """An editor's unsaved buffer: the findings are those of what was piped, not of the file."""
    fixed = (ROOT / SQUARE).read_text(encoding="utf-8").replace("LAKESIDE COUNSELING", "LCC SERVICES")
    assert fixed != (ROOT / SQUARE).read_text(encoding="utf-8")
    piped = smlint("check", "-", "--stdin-filename", SQUARE, "--today", TODAY, "--format", "concise",
                   "--select", "SM304", stdin=fixed.encode())
    assert (piped.returncode, piped.stdout, piped.stderr) == (
        0, "All clear: 1 file(s) checked, no findings.\n", "")


def test_stdin_filename_chooses_json_and_the_project_configuration(tmp_path: Path) -> None:
    (tmp_path / ".smlint.yaml").write_text("select: [SM350, SM355]\nignore: [SM350]\n", encoding="utf-8")
    zoom = (EXAMPLES / "noncompliant/exports/zoom-account-settings.json").read_bytes()
    piped = smlint("check", "-", "--stdin-filename", "exports/zoom.json", "--today", TODAY, "--format", "concise",
                   stdin=zoom, cwd=tmp_path)
    assert (piped.returncode, piped.stderr) == (0, "")
    assert piped.stdout.splitlines() == [
        "exports/zoom.json:9:5: SM355 [warning] Zoom stores meeting topics and shows them in invitations "
        "('not_store_meeting_topic' is off)",
        "Found 1 finding(s) in 1 of 1 file(s) checked: 0 error(s), 1 warning(s), 0 info."]
    # the same bytes named .yaml go the YAML route and still read (JSON is YAML); without the project's
    # configuration SM350 is back
    other = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    other.mkdir()
    piped = smlint("check", "-", "--today", TODAY, "--format", "concise", "--select", "SM350",
                   stdin=zoom, cwd=other)
    assert piped.returncode == 1, piped.stderr
    assert piped.stdout.splitlines()[0] == ("-:28:5: SM350 [error] Zoom lets hosts stream meetings to a public site "
                                            "('live_streaming_facebook')")


def test_stdin_must_be_the_only_path() -> None:
    both = smlint("check", "-", SQUARE)
    assert (both.returncode, both.stdout, both.stderr) == (
        2, "", "smlint: error: '-' (standard input) must be the only path: smlint reads one document from it\n")
    named = smlint("check", SQUARE, "--stdin-filename", SQUARE)
    assert (named.returncode, named.stdout, named.stderr) == (
        2, "", "smlint: error: --stdin-filename names the document read from standard input: pass '-' as the only "
               "path\n")


def test_empty_stdin_warns_that_no_artifact_was_read() -> None:
    piped = smlint("check", "-", "--today", TODAY)
    assert piped.returncode == 0
    assert piped.stdout == "All clear: 1 file(s) checked, no findings.\n"
    assert piped.stderr.startswith("smlint: warning: no artifacts found in standard input (1 file(s) read)")


def test_a_named_file_smlint_does_not_read_is_skipped_with_a_note() -> None:
    alone = smlint("check", "pyproject.toml", "--today", TODAY)
    assert (alone.returncode, alone.stdout, alone.stderr) == (0, "All clear: 0 file(s) checked, no findings.\n", NOTE)
    beside = smlint("check", "pyproject.toml", SQUARE, "--today", TODAY, "--format", "concise", "--select", "SM304")
    assert (beside.returncode, beside.stderr) == (1, NOTE)
    assert beside.stdout.splitlines() == [
        f"{SQUARE}:9:3: SM304 [error] the statement descriptor contains 'COUNSEL', which tells anyone reading the "
        "statement that the client is in treatment",
        "Found 1 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 0 info."]


def test_a_named_markdown_file_that_is_no_policy_is_named_in_the_warning_not_sm000() -> None:
    readme = smlint("check", "README.md", "--today", TODAY)
    assert (readme.returncode, readme.stdout) == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert readme.stderr.startswith("smlint: warning: no artifacts found in README.md (1 file(s) read): ")
    assert "SM000" not in readme.stdout + readme.stderr
