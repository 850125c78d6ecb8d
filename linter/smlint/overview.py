"""What a report says beside its findings: which artifacts were checked, and which dates fall due soon.

Deadlines are not a list of field names: every selected rule whose check is a `deadline` is evaluated
again with a longer look-ahead, so a new dated rule (a licence, a training cycle) shows up in the
report's calendar without touching this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from smlint.checks import Context
from smlint.checks.artifact import deadline
from smlint.document import Document
from smlint.formats.fhirsettings import FhirSettings
from smlint.formats.views import views
from smlint.loader import LoadResult
from smlint.model import Artifact, Deadline, Rule
from smlint.naming import artifact_name
from smlint.redact import scrub

HORIZON_DAYS = 90


def documents(results: Iterable[LoadResult], fhir: FhirSettings | None = None) -> Iterator[Document]:
    """Every document of a known kind, each followed by the views the rules also see (the intake-form
    view of a FHIR Questionnaire, a vendor's embedded export), as the engine checks them."""
    for result in results:
        for doc in result.documents:
            if doc.kind is not None:
                yield doc
                yield from views(doc, fhir)


def artifacts(results: Iterable[LoadResult], fhir: FhirSettings | None = None) -> tuple[Artifact, ...]:
    """Every checked document of a known kind and its views, in path order."""
    return tuple(Artifact(doc.path, doc.kind or "", _name(doc)) for doc in documents(results, fhir))


def _name(doc: Document) -> str:
    return artifact_name(doc.kind, doc.data)


def deadlines(results: Sequence[LoadResult], rules: Iterable[Rule], today: date,
              horizon_days: int = HORIZON_DAYS, fhir: FhirSettings | None = None) -> tuple[Deadline, ...]:
    """Dates watched by deadline rules that are overdue or fall due within `horizon_days`, soonest first."""
    dated = [rule for rule in rules if rule.check.get("type") == "deadline"]
    docs = list(documents(results, fhir))
    found = [item for rule in dated for doc in docs if doc.kind in rule.kinds
             for item in _rule_deadlines(rule, doc, today, horizon_days)]
    return tuple(sorted(found, key=lambda d: (d.due, d.path, d.line, d.rule)))


def _rule_deadlines(rule: Rule, doc: Document, today: date, horizon_days: int) -> Iterator[Deadline]:
    from smlint.findings import render_message

    params = {**rule.check, "warn_days": horizon_days}
    for hit in deadline(doc.data, params, Context(today)):
        span, _ = doc.locate(hit.pointer)
        days_left = int(hit.variables["days_left"]) if hit.variant else -int(hit.variables["days_overdue"])
        field = scrub(str(hit.variables["field"]), "key")
        due = str(hit.variables["due"])
        # the rule's message for this state; a custom rule with no `due_soon` message gets a neutral one
        # rather than its overdue wording
        message = (render_message(rule, hit.variables, hit.variant) if not hit.variant or hit.variant in rule.messages
                   else f"'{field}' is due by {due} ({days_left} days left)")
        yield Deadline(rule.id, rule.title, doc.path, span.line, span.column, field, due, days_left, doc.kind or "",
                       _sentence(message))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
