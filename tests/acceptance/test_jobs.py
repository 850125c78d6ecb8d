"""`--jobs N` gives byte-for-byte the output of one job: same findings, same order, same exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from smlint import parallel
from smlint.parallel import default_jobs
from tests.conftest import EXAMPLES, TODAY, Run


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_two_jobs_match_one_job_on_the_examples(run: Run, output_format: str) -> None:
    one = run("check", "examples", "--today", TODAY, "--format", output_format, "--jobs", "1")
    two = run("check", "examples", "--today", TODAY, "--format", output_format, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout
    assert one.stdout.count("SM402") >= 1  # a repository rule: the parent saw every worker's documents


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Five whole copies of examples/, one broken file and one YAML file that is not an artifact."""
    for copy in range(5):
        shutil.copytree(EXAMPLES, tmp_path / f"agency-{copy}")
    (tmp_path / "agency-2" / "broken.yaml").write_text("kind: vendor\nname: [unclosed\n", encoding="utf-8")
    (tmp_path / "agency-3" / "notes.yaml").write_text("title: not an artifact\n", encoding="utf-8")
    return tmp_path


def test_three_jobs_match_one_job_on_a_multi_copy_corpus(run: Run, corpus: Path) -> None:
    one = run("check", str(corpus), "--today", TODAY, "--jobs", "1", "--format", "json")
    three = run("check", str(corpus), "--today", TODAY, "--jobs", "3", "--format", "json")
    assert three.exit_code == one.exit_code == 1
    assert three.stdout == one.stdout
    single = json.loads(run("check", "examples", "--today", TODAY, "--format", "json").stdout)
    copy = single["findings"]
    findings = json.loads(one.stdout)["findings"]
    assert len(findings) == 5 * len(copy) + 1  # identical copies give identical findings, plus the broken file
    broken = [(f["path"].rsplit("/", 2)[-2:], f["line"], f["rule"]) for f in findings if "broken" in f["path"]]
    assert broken == [(["agency-2", "broken.yaml"], 3, "SM000")]
    assert json.loads(one.stdout)["summary"]["files"] == 5 * single["summary"]["files"] + 2


def test_jobs_must_be_a_positive_number(run: Run) -> None:
    result = run("check", "examples", "--jobs", "0")
    assert result.exit_code == 2
    assert "--jobs" in result.stderr


def test_default_jobs_use_idle_cpus_for_many_files_and_one_for_a_few(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    monkeypatch.setattr(parallel, "busy_cpus", lambda: 0)
    assert default_jobs(1) == default_jobs(399) == 1
    assert (default_jobs(400), default_jobs(700), default_jobs(100_000)) == (2, 3, 4)
    monkeypatch.setattr(parallel, "busy_cpus", lambda: 2)
    assert default_jobs(100_000) == 2
    monkeypatch.setattr(parallel, "busy_cpus", lambda: 9)
    assert default_jobs(100_000) == 1


def test_busy_cpus_leave_out_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loadavg = tmp_path / "loadavg"
    real_path = parallel.Path
    monkeypatch.setattr(parallel, "Path", lambda name: loadavg if name == "/proc/loadavg" else real_path(name))
    loadavg.write_text("5.00 4.00 3.00 3/250 4242\n", encoding="ascii")
    assert parallel.busy_cpus() == 2
    loadavg.write_text("0.10 0.20 0.30 1/250 4242\n", encoding="ascii")
    assert parallel.busy_cpus() == 0
    loadavg.unlink()
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.7, 0.0, 0.0))
    assert parallel.busy_cpus() == 1


def test_slices_are_claimed_once_workers_from_the_front_parent_from_the_back() -> None:
    import multiprocessing

    claims = multiprocessing.get_context("fork").Array("i", [0, 5])
    parallel._start_worker(None, (), claims)  # type: ignore[arg-type]
    order = [parallel._claim(front=True), parallel._claim(front=False), parallel._claim(front=True),
             parallel._claim(front=False), parallel._claim(front=True), parallel._claim(front=False),
             parallel._claim(front=True)]
    assert order == [0, 4, 1, 3, 2, None, None]


def test_workers_send_the_text_that_directives_and_show_source_need(run: Run, corpus: Path) -> None:
    """Workers send a file's text back only when it may hold a directive or --show-source asks for it:
    suppressions and source lines come out as with one job."""
    for copy in (0, 4):  # checked by a worker (front) and by the parent (back)
        gmail = corpus / f"agency-{copy}" / "noncompliant" / "vendors" / "gmail.yaml"
        gmail.write_text("# smlint: disable-file=SM320 -- forwarding is off at the domain level\n"
                         + gmail.read_text(encoding="utf-8"), encoding="utf-8")
    args = ("check", str(corpus), "--today", TODAY, "--show-source")
    one, three = run(*args, "--jobs", "1"), run(*args, "--jobs", "3")
    assert three.exit_code == one.exit_code == 1
    assert three.stdout == one.stdout
    assert one.stdout.count("      |   external_auto_forwarding: true\n") == 3  # source lines, from every process
    report = json.loads(run(*args[:4], "--jobs", "3", "--format", "json").stdout)
    sm320 = sorted(f["path"].split("/")[-4] for f in report["findings"] if f["rule"] == "SM320")
    assert sm320 == ["agency-1", "agency-2", "agency-3"]  # suppressed in copies 0 and 4
    assert sorted(s["path"].split("/")[-4] for s in report["suppressed"]) == ["agency-0", "agency-4"]
