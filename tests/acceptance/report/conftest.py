"""Helpers for the report tests: render a report through the CLI and read HTML back with html.parser."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.conftest import TODAY, Run


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(child.attrs.get(k) == v for k, v in attrs.items()):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def by_id(self, ident: str) -> Element:
        (element,) = self.find_all(id=ident)
        return element

    @property
    def all_text(self) -> str:
        return self.text + "".join(c.all_text for c in self.children)


VOID = {"meta", "link", "img", "br", "hr", "input", "rect", "line", "path", "circle", "source"}


class TreeBuilder(HTMLParser):
    """A small DOM: enough to find sections, rows and data attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.tags.append((tag, element.attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.tags.append((tag, element.attrs))
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Element("#text", {}, data))


def parse(text: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder


@dataclass(frozen=True)
class Expected:
    """What the JSON report and the rule catalog say about the same run: the oracle for HTML and Markdown."""

    findings: list[dict[str, Any]]
    summary: dict[str, int]
    rules: dict[str, dict[str, Any]]


@pytest.fixture
def noncompliant(run: Run) -> tuple[str, Expected]:
    """The HTML report of examples/noncompliant, and the JSON report and rule catalog for the same run."""
    html = run("check", "examples/noncompliant", "--today", TODAY, "--format", "html")
    assert html.exit_code == 1
    found = json.loads(run("check", "examples/noncompliant", "--today", TODAY, "--format", "json").stdout)
    rules = {r["id"]: r for r in json.loads(run("rules", "--format", "json").stdout)}
    return html.stdout, Expected(found["findings"], found["summary"], rules)
