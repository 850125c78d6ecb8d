"""Render the HTML report in headless Chromium: a screenshot, a printed PDF, and the DOM it built.

Locally, without Chromium, this test is skipped with the reason. In CI (CI=true) a missing Chromium is a
failure: `.ci/run` installs Debian's `chromium` package. The screenshot is kept under build/screenshots/
so that a person (or a CI artifact upload) can look at it.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from smlint.model import Report
from tests.acceptance.report.conftest import parse
from tests.conftest import ROOT, TODAY, Run

pytestmark = pytest.mark.slow

SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTH, HEIGHT = 1280, 2400
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI to render the HTML report; .ci/run installs Debian's chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium); the HTML report was not rendered")


def browse(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_report_renders_in_headless_chromium(run: Run, tmp_path: Path) -> None:
    binary = chromium()
    html = run("check", "examples/noncompliant", "--today", TODAY, "--format", "html")
    report = json.loads(run("check", "examples/noncompliant", "--today", TODAY, "--format", "json").stdout)
    fired = {finding["rule"] for finding in report["findings"]}
    page = tmp_path / "report.html"
    page.write_text(html.stdout, encoding="utf-8")
    url = page.as_uri()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "noncompliant-report.png"
    shot.unlink(missing_ok=True)

    browse(binary, tmp_path / "profile-shot", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", url)
    assert png_size(shot) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 50_000  # a blank page compresses to a few kilobytes

    pdf = tmp_path / "report.pdf"
    browse(binary, tmp_path / "profile-pdf", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    assert pdf.read_bytes()[:5] == b"%PDF-"

    dom = parse(browse(binary, tmp_path / "profile-dom", "--dump-dom", url).stdout).root
    matrix = dom.by_id("tips-matrix")
    assert [r.attrs["data-tip"] for r in matrix.find_all("tr")[1:]] == [*(str(n) for n in range(1, 11)), "0"]
    named = {li.attrs["data-rule"] for li in dom.by_id("findings").find_all("li") if "data-rule" in li.attrs}
    assert named == fired
    assert {"SM000", "SM101", "SM304", "SM402"} <= fired
    print(f"screenshot: {shot}")


def test_report_of_nothing_renders(tmp_path: Path) -> None:
    """An empty report (no files) is still a valid page with an empty matrix."""
    binary = chromium()
    from smlint.reporters import RenderOptions, render

    page = tmp_path / "empty.html"
    page.write_text(render("html", Report((), 0, today=TODAY), RenderOptions()), encoding="utf-8")
    dom = parse(browse(binary, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout).root
    assert dom.by_id("headline").all_text == "No problems to fix."
    assert len(dom.by_id("tips-matrix").find_all("tr")) == 12
