"""A saved web page of the practice's site, read for tracking scripts (docs/formats.md, "Website pages").

The page is parsed with the standard library's HTML parser (never with regular expressions over the
markup). What it yields is a `website-page` document for the rules:

* ``trackers``: each tracking or session-replay script found, once per page, in page order, from the catalogue in
  `trackers.json` (data, not code): ``{id, name, vendor, purpose, loaded}``, where `loaded` says how
  (``script``: a script's src; ``inline``: an inline script's text; ``image`` and ``iframe``: a
  noscript pixel or tag-manager frame). Each points at its tag's line and column.
* ``page``: ``{sensitive, recognised_by}``: whether the page is one the HHS OCR tracking bulletin is
  about (intake, portal, scheduling, telehealth, a login), and why: ``marked`` (a
  ``<meta name="smlint:page" content="sensitive">`` tag, or ``public`` to say it is not), ``path``
  (a word of the file's path such as ``intake`` or ``portal``) or ``form`` (a field such as a date of
  birth, insurance number, symptoms or a password).

Nothing of the page's text is kept: only the catalogue's names and where the tags stand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from smlint.document import Document, Positions
from smlint.kinds import WEBSITE_PAGE

KIND = WEBSITE_PAGE
_TOKEN = re.compile(r"[a-z0-9]+")  # over a path or a field name, never over markup
FIELD_TAGS = frozenset({"input", "select", "textarea"})


@cache
def catalogue() -> Mapping[str, Any]:
    """The tracker catalogue and the words that mark a sensitive page (`trackers.json`)."""
    data: Mapping[str, Any] = json.loads(Path(__file__).with_name("trackers.json").read_text(encoding="utf-8"))
    return data


def match_url(url: str, inline: bool = False) -> Mapping[str, Any] | None:
    """The catalogue entry whose markers `url` (or an inline script's text) contains, or None."""
    folded = url.casefold()
    key = "inline" if inline else "src"
    trackers: list[Mapping[str, Any]] = catalogue()["trackers"]
    for tracker in trackers:
        if any(marker in folded for marker in tracker[key]):
            return tracker
    return None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[Mapping[str, Any], str, tuple[int, int, int, int]]] = []
        self.marked: str | None = None
        self.fields: list[tuple[int, int, int, int]] = []
        self._script: tuple[int, int, int, int] | None = None
        self._script_text: list[str] = []
        self._noscript = 0

    def _span(self) -> tuple[int, int, int, int]:
        line, offset = self.getpos()
        text = self.get_starttag_text() or ""
        lines = text.split("\n")
        end_line = line + len(lines) - 1
        end_column = (offset + len(text) if len(lines) == 1 else len(lines[-1])) + 1
        return line, offset + 1, end_line, end_column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            tracker = match_url(values.get("src", "")) if values.get("src") else None
            if tracker is not None:
                self.found.append((tracker, "script", self._span()))
            self._script = self._span() if not values.get("src") else None
            self._script_text = []
        elif tag in ("img", "iframe") and values.get("src"):
            tracker = match_url(values["src"])
            if tracker is not None:
                self.found.append((tracker, "image" if tag == "img" else "iframe", self._span()))
        elif tag == "meta" and values.get("name", "").casefold() == "smlint:page":
            content = values.get("content", "").strip().casefold()
            if content in ("sensitive", "public"):
                self.marked = content
        elif tag in FIELD_TAGS and _sensitive_field(values):
            self.fields.append(self._span())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            tracker = match_url("".join(self._script_text), inline=True)
            if tracker is not None:
                self.found.append((tracker, "inline", self._script))
            self._script = None


def _sensitive_field(values: Mapping[str, str]) -> bool:
    if values.get("type", "").casefold() == "password":
        return True
    fields = frozenset(catalogue()["sensitive_fields"])
    return any("_".join(_TOKEN.findall(values.get(attr, "").casefold())) in fields
               for attr in ("name", "id", "autocomplete"))


def _path_words(display: str) -> bool:
    words = frozenset(catalogue()["sensitive_path_words"])
    return any(token in words for token in _TOKEN.findall(display.casefold()))


def read_page(text: str, display: str) -> Document:
    """The `website-page` document of one HTML page."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    lines = text.split("\n")
    whole = (1, 1, len(lines), len(lines[-1]) + 1)
    marks: dict[str, tuple[int, ...]] = {"": whole}
    trackers = []
    found: dict[str, tuple[Mapping[str, Any], str, tuple[int, int, int, int]]] = {}
    for tracker, loaded, span in scanner.found:  # each tracker once, where the page first loads it
        found.setdefault(tracker["id"], (tracker, loaded, span))
    for i, (tracker, loaded, span) in enumerate(found.values()):
        trackers.append({key: tracker[key] for key in ("id", "name", "vendor", "purpose")} | {"loaded": loaded})
        for suffix in ("", "/id", "/name", "/vendor", "/purpose", "/loaded"):
            marks[f"/trackers/{i}{suffix}"] = span
    if found:
        marks["/trackers"] = next(iter(found.values()))[2]
    recognised = _recognised(scanner, display)
    marks["/page"] = marks["/page/sensitive"] = marks["/page/recognised_by"] = \
        scanner.fields[0] if recognised == ["form"] else whole
    page = {"sensitive": bool(recognised) and recognised != ["public"],
            "recognised_by": [] if recognised == ["public"] else recognised}
    return Document(display, KIND, {"kind": KIND, "page": page, "trackers": trackers}, Positions(marks), 0,
                    validate=False)


def _recognised(scanner: _Scanner, display: str) -> list[str]:
    """Why the page counts as sensitive; ["public"] when it is marked public."""
    if scanner.marked == "public":
        return ["public"]
    reasons = ["marked"] if scanner.marked == "sensitive" else []
    if _path_words(display):
        reasons.append("path")
    if scanner.fields:
        reasons.append("form")
    return reasons
