"""Nothing is skipped in silence: an unreadable folder or file is an SM000 finding that names it, an
unknown `kind` is SM003 (with a "did you mean") and still gets the client-data rules, and a run that
finds no artifact says so on stderr (exit code unchanged)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hostile.test_safe_writing import _unprivileged

VENDOR = "kind: vendor\nname: Doxy.me\ncategory: video\nhandles_client_data: false\n"
WARNING = ("smlint: warning: no artifacts found in {where} ({count} file(s) read): smlint looks for files ending "
           ".yaml, .yml, .json, .md, .markdown, .docx, .html, .htm (hidden folders, node_modules, venv, build and "
           "dist are skipped) whose top level has `kind: policy`, `kind: intake-form` or `kind: vendor`, or has the "
           "shape of a format smlint reads (intake form (FHIR Questionnaire), Zoom settings export, Zoom lock settings "
           "export, Stripe account export, Twilio messaging export, Google Workspace settings export, Microsoft 365 "
           "settings export, Google reviews export, Square merchant export) (a Markdown policy says `kind: policy` in "
           "its front matter, a Word policy in its document-control table; "
           "HTML pages are read below a `site` or `website` folder)\n")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_STEP_SUMMARY", "PRE_COMMIT", "SMLINT_TODAY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _concise(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": SM" in line]


def test_a_misspelt_kind_is_sm003_with_a_guess_and_still_gets_the_client_data_rules(work: Path) -> None:
    (work / "zoom.yaml").write_text('kind: vendr\nname: Zoom\nnotes: "client Jane Roe, SSN 536-22-8714"\n',
                                    encoding="utf-8")
    result = run_cli("check", ".", "--format", "concise")
    assert result.exit_code == 1
    assert _concise(result.stdout) == [
        "zoom.yaml:1:7: SM003 [error] this 'kind' is not one smlint knows, so only the client-data rules (SM5xx) "
        "check this file; did you mean 'vendor'?",
        "zoom.yaml:3:1: SM501 [error] the 'notes' field holds what looks like a social security number; client "
        "identifiers must not be kept in this repository"]


def test_an_unknown_kind_is_named_without_quoting_it(work: Path) -> None:
    (work / "note.yaml").write_text("kind: Zebulon Quarterfield\nnotes: call back\n", encoding="utf-8")
    result = run_cli("check", ".", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in findings] == [("SM003", 1, 7, "/kind")]
    assert findings[0]["message"].endswith("check this file (policy, intake-form, vendor, fhir-questionnaire, "
                                           "zoom-settings, zoom-lock-settings, stripe-account, "
                                           "twilio-messaging-service, google-workspace, microsoft-365, "
                                           "google-reviews, square-account, website-page)")
    assert "Zebulon" not in result.stdout + result.stderr


def test_another_tools_manifest_is_left_alone_and_the_run_says_nothing_was_found(work: Path) -> None:
    (work / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\n", encoding="utf-8")
    result = run_cli("check", ".")
    assert (result.exit_code, result.stdout) == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert result.stderr == WARNING.format(where=".", count=1)


def test_an_empty_folder_warns_on_stderr_and_keeps_exit_0(work: Path) -> None:
    (work / "empty").mkdir()
    result = run_cli("check", "empty")
    assert (result.exit_code, result.stdout) == (0, "All clear: 0 file(s) checked, no findings.\n")
    assert result.stderr == WARNING.format(where="empty", count=0)


def test_a_run_with_artifacts_gives_no_warning(work: Path) -> None:
    (work / "doxy.yaml").write_text(VENDOR, encoding="utf-8")
    assert run_cli("check", ".").stderr == ""


# --- permissions: as an unprivileged user (root reads every folder) -----------------------------------

@pytest.fixture
def shared() -> Iterator[Path]:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root with no setpriv and no 'nobody' user: no unprivileged user to run as")
    folder = Path(tempfile.mkdtemp(prefix="smlint-read-"))
    try:
        folder.chmod(0o755)
        (folder / "vendors").mkdir()
        (folder / "vendors" / "doxy.yaml").write_text(VENDOR, encoding="utf-8")
        (folder / "private").mkdir()
        (folder / "private" / "zoom.yaml").write_text(VENDOR, encoding="utf-8")
        (folder / "vendors" / "locked.yaml").write_text(VENDOR, encoding="utf-8")
        (folder / "private").chmod(0o700)  # root's: `nobody` can neither list nor enter it
        (folder / "vendors" / "locked.yaml").chmod(0o600)
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.mark.slow
def test_an_unreadable_folder_and_file_are_sm000_findings(shared: Path) -> None:
    prefix = _unprivileged()
    assert prefix is not None
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "PRE_COMMIT")}
    done = subprocess.run([*prefix, sys.executable, "-m", "smlint", "check", ".", "--format", "concise"],
                          cwd=shared, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert _concise(done.stdout) == [
        "private/:1:1: SM000 [error] this folder cannot be read (Permission denied), so no file in it was checked",
        "vendors/doxy.yaml:1:1: SM030 [warning] record whether video sessions need a waiting room, a passcode or a "
        "sign-in (needed by SM309): smlint cannot judge those rules until it is written down",
        "vendors/locked.yaml:1:1: SM000 [error] cannot read file: Permission denied"]
    assert done.stdout.splitlines()[-1].startswith("Found 3 finding(s) in 3 of 3 file(s) checked")
