"""Hostile file names cannot inject markup into any format: Markdown code spans survive backticks, HTML
in Markdown and in the GitHub step summary becomes entities, and every structured format keeps the name
exactly. File names are shown as they are (docs/security.md), so each format must escape them itself."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from smlint.reporters import FORMATS
from tests.conftest import run_cli

NAMES = ("a`www.evil-phish.com`b.yaml", "<img src=x onerror=alert(1)>.yaml", "[link](https:evil.example).yaml",
         "pipe|cell.yaml", "``fence.yaml")
OWN_HTML = ("<sub>", "</sub>")  # smlint's own footer
VENDOR = ("kind: vendor\nname: Doxy.me\ncategory: video\nhandles_client_data: false\n"  # one SM309 finding
          "settings: {waiting_room: false, passcode_required: false, authenticated_join_only: false}\n")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in NAMES:
        (tmp_path / name).write_text(VENDOR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_STEP_SUMMARY", "PRE_COMMIT", "SMLINT_TODAY", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _check(fmt: str) -> str:
    result = run_cli("check", ".", "--format", fmt, "--today", "2026-03-01")
    assert result.exit_code == 1, result.stderr
    return result.stdout


def _markdown_is_inert(text: str) -> list[str]:
    """The code spans of the rendered Markdown, after asserting it holds no link, image or raw HTML."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    spans = []
    for token in tokens:
        for child in token.children or ():
            assert child.type not in ("link_open", "image"), (child.type, child.content)
            assert child.type != "html_inline" or child.content in OWN_HTML, child.content
            if child.type == "code_inline":
                spans.append(child.content)
        assert token.type != "html_block", token.content
    return spans


def test_markdown_code_spans_hold_each_name_exactly(hostile: Path) -> None:
    spans = _markdown_is_inert(_check("markdown"))
    for name in NAMES:
        assert f"{name}:5:1" in spans, name


def test_the_step_summary_is_inert(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = hostile.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _check("github")
    text = summary.read_text(encoding="utf-8")
    _markdown_is_inert(text)
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in rendered and "<a " not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;.yaml" in rendered


def test_html_escapes_every_name(hostile: Path) -> None:
    page = _check("html")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.yaml" in page


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_keep_each_name_exactly(hostile: Path, fmt: str) -> None:
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            strings.extend((value, unquote(value)))  # SARIF gives paths as URIs
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(_check(fmt)))
    for name in NAMES:
        assert name in strings, name


def test_junit_keeps_each_name_exactly(hostile: Path) -> None:
    root = ET.fromstring(_check("junit"))
    names = {case.get("classname") or "" for case in root.iter("testcase")} | {
        case.get("name") or "" for case in root.iter("testcase")} | {
        suite.get("name") or "" for suite in root.iter("testsuite")}
    for name in NAMES:
        assert any(name in value for value in names), name


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_line_formats_show_each_name(hostile: Path, fmt: str) -> None:
    text = _check(fmt)
    for name in NAMES:
        shown = name.replace("%", "%25").replace(",", "%2C").replace(":", "%3A") if fmt == "github" else name
        assert shown in text, name


def test_every_format_is_covered() -> None:
    covered = {"markdown", "html", "json", "sarif", "gitlab", "junit", "text", "concise", "github"}
    assert set(FORMATS) == covered
