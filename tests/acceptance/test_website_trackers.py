"""Website pages read for tracking scripts (docs/formats.md, "Website pages"): a corpus of 21 saved pages
(tests/corpus/trackers/pages, written by make_pages.py) with trackers present and absent, on sensitive and
public pages, inline and external scripts, noscript pixels and tag-manager containers, each with the
trackers and the page class expected, and the findings of a whole run pinned by rule, line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smlint.formats.website import read_page
from tests.conftest import ROOT, Run

CORPUS = ROOT / "tests" / "corpus" / "trackers"
PAGES = CORPUS / "pages"

# page: (sensitive, why, the trackers found in page order)
EXPECTED: dict[str, tuple[bool, list[str], list[str]]] = {
    "index.html": (False, [], ["google-tag-manager", "meta-pixel"]),
    "about.html": (False, [], ["google-analytics"]),
    "blog/coping-with-winter.html": (False, [], ["tiktok-pixel", "linkedin-insight"]),
    "contact.html": (False, [], ["meta-pixel"]),  # a contact form is not an intake form
    "services.html": (False, [], []),  # first-party scripts and a share link are not trackers
    "portal/help.html": (False, [], ["hotjar"]),  # marked public in its head, whatever its path
    "intake/new-client.html": (True, ["path", "form"], ["meta-pixel"]),  # the snippet and its noscript pixel: once
    "portal/login.html": (True, ["path", "form"], ["hotjar"]),
    "schedule/book.html": (True, ["path", "form"], ["google-tag-manager"]),  # inline container and its iframe
    "telehealth/join.html": (True, ["path"], ["microsoft-clarity"]),
    "appointments.html": (True, ["path"], ["google-analytics", "segment"]),
    "portal/messages.html": (True, ["path"], ["fullstory"]),
    "intake/thank-you.html": (True, ["path"], ["tiktok-pixel"]),
    "portal/billing.html": (True, ["path"], ["linkedin-insight"]),
    "get-started.html": (True, ["form"], ["meta-pixel"]),
    "members.html": (True, ["form"], ["microsoft-clarity"]),
    "welcome-back.html": (True, ["marked"], ["google-analytics"]),
    "intake/adult.html": (True, ["path", "form"], []),
    "portal/index.html": (True, ["path", "form"], []),
    "schedule/index.html": (True, ["path", "form"], []),
    "intake/faq.html": (True, ["path"], []),  # a tracker in a comment or a link is not a script
}


def test_the_corpus_is_what_make_pages_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pages", CORPUS / "make_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path)
    names = sorted(p.relative_to(PAGES).as_posix() for p in PAGES.rglob("*.html"))
    assert names == sorted(EXPECTED) and len(names) >= 20
    assert [(tmp_path / n).read_text(encoding="utf-8") == (PAGES / n).read_text(encoding="utf-8") for n in names] \
        == [True] * len(names)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_is_classified_and_its_trackers_found(name: str) -> None:
    doc = read_page((PAGES / name).read_text(encoding="utf-8"), f"site/{name}")
    sensitive, why, trackers = EXPECTED[name]
    assert doc.data["page"] == {"sensitive": sensitive, "recognised_by": why}
    assert [t["id"] for t in doc.data["trackers"]] == trackers


SENSITIVE_FINDINGS = {
    "appointments.html": [("SM384", 6, 1), ("SM441", 6, 1), ("SM384", 13, 1), ("SM441", 13, 1)],
    "get-started.html": [("SM381", 6, 1), ("SM441", 6, 1)],
    "intake/new-client.html": [("SM381", 6, 1), ("SM441", 6, 1)],
    "intake/thank-you.html": [("SM381", 6, 1), ("SM441", 6, 1)],
    "members.html": [("SM382", 6, 1), ("SM441", 6, 1)],
    "portal/billing.html": [("SM381", 6, 1), ("SM441", 6, 1)],
    "portal/login.html": [("SM382", 6, 1)],  # the Hotjar vendor file has a signed BAA: no SM441
    "portal/messages.html": [("SM382", 6, 1), ("SM441", 6, 1)],
    "schedule/book.html": [("SM383", 6, 1), ("SM441", 6, 1)],
    "telehealth/join.html": [("SM382", 6, 1), ("SM441", 6, 1)],
    "welcome-back.html": [("SM384", 7, 1), ("SM441", 7, 1)],
}


def test_a_run_over_the_corpus_gives_exactly_these_findings(run: Run) -> None:
    pages = sorted(str(p) for p in PAGES.rglob("*.html"))
    result = run("check", *pages, str(CORPUS / "vendors" / "hotjar.yaml"), "--today", "2026-03-01",
                 "--select", "SM381,SM382,SM383,SM384,SM441", "--format", "json")
    assert result.exit_code == 1, result.stderr
    got: dict[str, list[tuple[str, int, int]]] = {}
    for f in json.loads(result.stdout)["findings"]:
        got.setdefault(Path(f["path"]).resolve().relative_to(PAGES).as_posix(), []).append(
            (f["rule"], f["line"], f["column"]))
    assert got == SENSITIVE_FINDINGS
    assert {f["kind"] for f in json.loads(result.stdout)["findings"]} == {"website-page"}


def test_findings_span_the_tag_and_quote_nothing_of_the_page(run: Run) -> None:
    result = run("check", str(PAGES / "intake" / "new-client.html"), "--today", "2026-03-01", "--format", "json")
    found = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"], f["pointer"]) for f in found] == [
        ("SM381", 6, 1, 6, 9, "/trackers/0"), ("SM441", 6, 1, 6, 9, "/trackers/0/vendor")]
    assert "1234567890" not in result.stdout  # the pixel's id, from the page


def test_walks_read_html_only_under_a_site_folder_or_a_kinds_glob(run: Run, tmp_path: Path) -> None:
    page = (PAGES / "portal" / "login.html").read_text(encoding="utf-8")
    for folder in ("site/portal", "docs/portal", "build/portal"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "login.html").write_text(page, encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text("select: [SM382]\n", encoding="utf-8")
    paths = {Path(f["path"]).relative_to(tmp_path).as_posix() for f in _findings(run, tmp_path)}
    assert paths == {"site/portal/login.html"}
    (tmp_path / ".smlint.yaml").write_text("select: [SM382]\nkinds:\n  'docs/**/*.html': website-page\n",
                                           encoding="utf-8")
    paths = {Path(f["path"]).relative_to(tmp_path).as_posix() for f in _findings(run, tmp_path)}
    assert paths == {"site/portal/login.html", "docs/portal/login.html"}


def _findings(run: Run, folder: Path) -> list[dict[str, object]]:
    result = run("check", str(folder), "--today", "2026-03-01", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return found


def test_broken_markup_is_read_without_a_crash(run: Run, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "intake.html").write_text(
        '<html><head><script src="https://static.hotjar.com/c/x.js"\n<div><<<>>\x00 <script>fbq(\'init\'',
        encoding="utf-8")
    result = run("check", str(tmp_path / "site" / "intake.html"), "--today", "2026-03-01", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
