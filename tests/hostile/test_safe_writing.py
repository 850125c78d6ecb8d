"""--output-file and --write-baseline write only where nothing is damaged (linter/smlint/fsutil.py): never over a
file the run reads, a folder, a pipe or a device; through a symbolic link only to a regular file."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

VENDOR = EXAMPLES / "noncompliant" / "vendors" / "zoom.yaml"
OPTIONS = ("--output-file", "--write-baseline")
WHAT = {"--output-file": "the report", "--write-baseline": "the baseline"}


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(VENDOR, tmp_path / "zoom.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


WHY = {"--output-file": "it is one of the files smlint reads in this run; choose another file",
       # a walk skips the baseline being written, so an existing file must already be a baseline
       "--write-baseline": "the file exists and is not an smlint baseline; choose another file"}


@pytest.mark.parametrize("option", OPTIONS)
def test_the_checked_file_itself_is_refused(work: Path, option: str) -> None:
    before = (work / "zoom.yaml").read_bytes()
    result = run_cli("check", "zoom.yaml", "--format", "json", option, "zoom.yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"smlint: error: refusing to write {WHAT[option]} to zoom.yaml: {WHY[option]}\n"
    assert (work / "zoom.yaml").read_bytes() == before
    assert _listing(work) == ["zoom.yaml"]


@pytest.mark.parametrize("option", OPTIONS)
def test_a_file_found_by_the_walk_is_refused_under_any_name(work: Path, option: str) -> None:
    os.link(work / "zoom.yaml", work / "hard.out")  # a hard link: another name for the same file
    before = (work / "zoom.yaml").read_bytes()
    for name in ("./zoom.yaml", str(work / "zoom.yaml"), "hard.out"):
        result = run_cli("check", ".", option, name)
        assert (result.exit_code, result.stdout) == (2, ""), name
        assert result.stderr == f"smlint: error: refusing to write {WHAT[option]} to {Path(name)}: {WHY[option]}\n"
    assert (work / "zoom.yaml").read_bytes() == before


def test_an_existing_baseline_is_replaced(work: Path) -> None:
    assert run_cli("check", ".", "--write-baseline", "base.json").exit_code == 0
    (work / "zoom.yaml").write_text("smlint: 1\nkind: vendor\nname: Zoom\n", encoding="utf-8")
    result = run_cli("check", ".", "--write-baseline", "base.json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Wrote a baseline of ")
    assert _listing(work) == ["base.json", "zoom.yaml"]


def test_the_configuration_and_the_waivers_are_refused(work: Path) -> None:
    (work / ".smlint.yaml").write_text("waivers: waivers.yaml\n", encoding="utf-8")
    (work / "waivers.yaml").write_text("smlint_waivers: 1\nwaivers: []\n", encoding="utf-8")
    for name in (".smlint.yaml", "waivers.yaml"):
        before = (work / name).read_bytes()
        result = run_cli("check", ".", "--output-file", name)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith(f"smlint: error: refusing to write the report to {name}: it is one of")
        assert (work / name).read_bytes() == before


def test_a_symbolic_link_to_a_regular_file_is_written_through(work: Path) -> None:
    (work / "reports").mkdir()
    (work / "reports" / "latest.json").write_text("old\n", encoding="utf-8")
    (work / "report.json").symlink_to("reports/latest.json")
    result = run_cli("check", "zoom.yaml", "--format", "json", "--output-file", "report.json")
    assert result.exit_code == 1
    assert (work / "report.json").is_symlink()  # still a link...
    assert (work / "report.json").readlink() == Path("reports/latest.json")
    assert (work / "reports" / "latest.json").read_text(encoding="utf-8").startswith("{")  # ...to the report
    assert _listing(work / "reports") == ["latest.json"]


@pytest.mark.parametrize("option", OPTIONS)
def test_a_symbolic_link_to_an_input_is_refused(work: Path, option: str) -> None:
    (work / "report.json").symlink_to("zoom.yaml")
    before = (work / "zoom.yaml").read_bytes()
    result = run_cli("check", "zoom.yaml", option, "report.json")
    assert result.exit_code == 2
    assert result.stderr == f"smlint: error: refusing to write {WHAT[option]} to report.json: {WHY[option]}\n"
    assert (work / "zoom.yaml").read_bytes() == before
    assert (work / "report.json").is_symlink()


def test_a_symbolic_link_to_nothing_a_folder_or_a_pipe_is_refused(work: Path) -> None:
    (work / "dangling.json").symlink_to("missing/report.json")
    (work / "folder").mkdir()
    (work / "to-folder.json").symlink_to("folder")
    result = run_cli("check", "zoom.yaml", "--output-file", "dangling.json")
    assert (result.exit_code, result.stderr) == (
        2, "smlint: error: refusing to write the report to dangling.json: it is a symbolic link to nothing "
           "(smlint writes through a link only to an existing regular file)\n")
    result = run_cli("check", "zoom.yaml", "--output-file", "to-folder.json")  # click refuses a folder itself
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for '--output-file' / '-o': File 'to-folder.json' is a "
                                  "directory.\n")
    os.mkfifo(work / "pipe")
    (work / "to-pipe.json").symlink_to("pipe")
    result = run_cli("check", "zoom.yaml", "--write-baseline", "to-pipe.json")
    assert (result.exit_code, result.stderr) == (
        2, "smlint: error: refusing to write the baseline to to-pipe.json: it is a named pipe (FIFO), "
           "not a regular file\n")
    assert not (work / "missing").exists()
    assert _listing(work / "folder") == []


@pytest.mark.parametrize("option", OPTIONS)
def test_a_named_pipe_is_refused_without_opening_it(work: Path, option: str) -> None:
    os.mkfifo(work / "pipe")
    result = run_cli("check", "zoom.yaml", option, "pipe")  # opening the pipe would block: the test would hang
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"smlint: error: refusing to write {WHAT[option]} to pipe: it is a named pipe (FIFO), "
                             "not a regular file\n")
    assert stat.S_ISFIFO((work / "pipe").lstat().st_mode)
    assert _listing(work) == ["pipe", "zoom.yaml"]


def test_a_device_node_is_refused(work: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root; the FIFO test covers the same refusal path")
    os.mknod(work / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = run_cli("check", "zoom.yaml", "--output-file", "null")
    assert (result.exit_code, result.stderr) == (
        2, "smlint: error: refusing to write the report to null: it is a device, not a regular file\n")
    assert stat.S_ISCHR((work / "null").lstat().st_mode)


# --- permissions, as a user who is not root (root may write anywhere) -------------------------------------

def _unprivileged() -> list[str] | None:
    """A command prefix that runs as an unprivileged user: nothing when the tests are not root, else
    setpriv to `nobody` (every Debian and Ubuntu system has it); None when neither is possible."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    try:
        import pwd

        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the unprivileged user owns (pytest's tmp_path is private to root)."""
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root with no setpriv and no 'nobody' user: no unprivileged user to run as")
    folder = Path(tempfile.mkdtemp(prefix="smlint-write-"))
    try:
        folder.chmod(0o755)
        shutil.copy(VENDOR, folder / "zoom.yaml")
        (folder / "out").mkdir()
        if os.geteuid() == 0:
            nobody = prefix[1].split("=")[1], prefix[2].split("=")[1]
            for path in (folder, folder / "zoom.yaml", folder / "out"):
                os.chown(path, int(nobody[0]), int(nobody[1]))
        yield folder
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def _run_unprivileged(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    prefix = _unprivileged()
    assert prefix is not None
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "PRE_COMMIT")}
    env["HOME"] = str(folder)
    return subprocess.run([*prefix, sys.executable, "-m", "smlint", "check", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("option", OPTIONS)
def test_a_read_only_folder_is_an_error_and_nothing_is_written(shared: Path, option: str) -> None:
    (shared / "out").chmod(0o555)
    done = _run_unprivileged(shared, "zoom.yaml", option, "out/report.json")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"smlint: error: cannot write {WHAT[option]} to out/report.json: Permission denied\n"
    assert _listing(shared / "out") == []


@pytest.mark.slow
def test_a_read_only_file_is_refused_although_its_folder_is_writable(shared: Path) -> None:
    (shared / "out" / "report.json").write_text("kept\n", encoding="utf-8")
    (shared / "out" / "report.json").chmod(0o444)
    if os.geteuid() == 0:
        os.chown(shared / "out" / "report.json", int(_unprivileged()[1].split("=")[1]), -1)  # type: ignore[index]
    done = _run_unprivileged(shared, "zoom.yaml", "--output-file", "out/report.json")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "smlint: error: refusing to write the report to out/report.json: the file is read-only\n"
    assert (shared / "out" / "report.json").read_text(encoding="utf-8") == "kept\n"
    assert _listing(shared / "out") == ["report.json"]


@pytest.mark.slow
def test_an_unprivileged_user_still_writes_a_report(shared: Path) -> None:
    done = _run_unprivileged(shared, "zoom.yaml", "--format", "json", "--output-file", "out/report.json")
    assert done.returncode == 1, done.stderr
    assert done.stdout.endswith("Report written to out/report.json\n")
    assert (shared / "out" / "report.json").read_text(encoding="utf-8").startswith("{")
