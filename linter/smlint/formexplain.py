"""`smlint explain-form FILE`: what each item of a FHIR Questionnaire was taken to mean, and why.

The intake-form rules judge a Questionnaire through its intake-form view (`formats/fhir.py`). This lists,
item by item, the concepts the view took from it and the route (an `urn:smlint:concept` code, the
project's `fhir.link_ids`, the text match entry, the `fhir.questionnaires` settings, an extension), then
what the whole form offers and which clauses were not found. Item texts pass the redaction boundary
(`redact.scrub`) and are shortened; nothing else from the file is shown.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from smlint.config import Config
from smlint.discovery import display_path
from smlint.document import Document
from smlint.errors import SmlintError
from smlint.formats.fhir import Meaning, Reading, clause_names, read
from smlint.formats.fhirsettings import FhirSettings
from smlint.kinds import FHIR_QUESTIONNAIRE
from smlint.loader import load_file
from smlint.project import Projects
from smlint.records import record
from smlint.redact import scrub

_TEXT_WIDTH = 70
_WIDTH = 100
ROUTES = {
    "code": "urn:smlint code",
    "link_ids": "fhir.link_ids",
    "configuration": "fhir.questionnaires",
    "extension": "questionnaire-signatureRequired extension",
    "response date": "the QuestionnaireResponse records the date (authored)",
}


@record
class Explained:
    """One Questionnaire's reading, located in its file."""

    doc: Document
    reading: Reading
    settings: FhirSettings


def explain(doc: Document, settings: FhirSettings) -> Explained:
    return Explained(doc, read(doc.data, settings, doc.path), settings)


def _route(meaning: Meaning) -> str:
    if meaning.route.startswith("text match "):
        return f"text match '{meaning.route.removeprefix('text match ')}'"
    return ROUTES.get(meaning.route, meaning.route)


def _short(text: str) -> str:
    shown = scrub(" ".join(text.split()))
    return shown if len(shown) <= _TEXT_WIDTH else shown[: _TEXT_WIDTH - 1] + "…"


def _where(doc: Document, pointer: str) -> str:
    span, _ = doc.locate(pointer)
    return f"{span.line}:{span.column}"


def _concepts(explained: Explained) -> Iterator[Meaning]:
    for item in explained.reading.items:
        yield from item.meanings
    yield from explained.reading.form


def _offers(explained: Explained) -> list[str]:
    prefix = "service."
    return sorted({m.concept.removeprefix(prefix) for m in _concepts(explained) if m.concept.startswith(prefix)})


def _missing(explained: Explained) -> list[str]:
    found = {m.concept.partition(".")[0] for m in _concepts(explained)}
    return [clause for clause in clause_names() if clause not in found]


def render_text(explained: Explained) -> str:
    doc, reading, settings = explained.doc, explained.reading, explained.settings
    lines = [f"{doc.path}: FHIR Questionnaire, {len(reading.items)} item(s); "
             f"text match {'on' if settings.text_match else 'off'}", ""]
    for item in reading.items:
        head = f"  {_where(doc, item.pointer)}  {scrub(item.link_id) or '(no linkId)'} ({item.type or '?'})"
        lines.append(f"{head}  \"{_short(item.text)}\"" if item.text else head)
        for meaning in item.meanings:
            lines.append(f"      -> {meaning.concept}  [{_route(meaning)}]")
        if not item.meanings:
            lines.append("      -> (nothing)")
    if reading.form:
        lines += ["", "  whole form:"]
        lines += [f"      -> {m.concept}{_value(m)}  [{_route(m)}]" for m in reading.form]
    lines += ["", f"  offers: {', '.join(_offers(explained)) or 'nothing recorded'}",
              f"  acknowledges policy: {_policy(explained)}"]
    if not reading.mapped:
        lines.append("  no item stands for an intake-form clause: the clause rules are not run (SM277)")
    else:
        lines.append(textwrap.fill(f"  clauses not found: {', '.join(_missing(explained)) or 'none'}", width=_WIDTH,
                                   subsequent_indent="    ", break_on_hyphens=False))
    return "\n".join(lines) + "\n"


def _value(meaning: Meaning) -> str:
    return f" = {scrub(meaning.value)}" if meaning.value is not None else ""


def _policy(explained: Explained) -> str:
    versions = [m.value for m in _concepts(explained) if m.concept == "acknowledges_policy" and m.value]
    return scrub(versions[0]) if versions else "not recorded"


def render_json(explained: Sequence[Explained]) -> str:
    return json.dumps([_as_data(e) for e in explained], indent=2) + "\n"


def _as_data(explained: Explained) -> dict[str, Any]:
    doc = explained.doc

    def meaning(m: Meaning) -> dict[str, Any]:
        span, _ = doc.locate(m.pointer)
        data: dict[str, Any] = {"concept": m.concept, "route": m.route, "pointer": scrub(m.pointer, "pointer"),
                                "line": span.line, "column": span.column}
        if m.value is not None:
            data["value"] = scrub(m.value)
        return data

    return {
        "path": doc.path,
        "text_match": explained.settings.text_match,
        "items": [{"pointer": scrub(item.pointer, "pointer"), "line": doc.locate(item.pointer)[0].line,
                   "column": doc.locate(item.pointer)[0].column, "linkId": scrub(item.link_id),
                   "type": item.type, "text": _short(item.text), "meanings": [meaning(m) for m in item.meanings]}
                  for item in explained.reading.items],
        "form": [meaning(m) for m in explained.reading.form],
        "offers": _offers(explained),
        "mapped": explained.reading.mapped,
        "clauses_not_found": _missing(explained) if explained.reading.mapped else None,
    }


def explain_form(file: Path, output_format: str, override: Config | None = None) -> str:
    """`smlint explain-form`: the reading of each FHIR Questionnaire in `file`, with its project's settings
    (or `override`'s, from --config). A file that cannot be read or holds no Questionnaire is an error."""
    cwd = Path.cwd()
    if not file.is_file():
        raise SmlintError(f"{display_path(file, cwd)}: no such file")
    config = Projects(cwd, override).of_file(file).config
    result = load_file(file, display_path(file, cwd), config.limits)
    if result.problems:
        problem = result.problems[0]
        raise SmlintError(f"{result.path}:{problem.span.line}:{problem.span.column}: {scrub(problem.message)}")
    forms = [explain(doc, config.fhir) for doc in result.documents if doc.kind == FHIR_QUESTIONNAIRE]
    if not forms:
        raise SmlintError(f"{result.path}: not a FHIR Questionnaire (resourceType: Questionnaire); "
                          "smlint intake forms in YAML are read as written")
    return render_json(forms) if output_format == "json" else "".join(render_text(form) for form in forms)
