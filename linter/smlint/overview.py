"""What a report says beside its findings: which artifacts were checked, and which dates fall due soon.

Deadlines are not a list of field names, nor a second evaluation: when a report shows them, the engine runs
with `Context.horizon_days` = `HORIZON_DAYS`, and every dated check (`deadline`) gives, beside its findings,
the dates it watches that are overdue or due within that many days (`Hit.due`, `FindingFactory.deadline`).
A new dated rule (a licence, a training cycle) shows up in the report's calendar without touching this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from smlint.document import Document
from smlint.formats.fhirsettings import FhirSettings
from smlint.formats.views import views
from smlint.loader import LoadResult
from smlint.model import Artifact, Deadline
from smlint.naming import artifact_name

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


def calendar(dates: Iterable[Deadline]) -> tuple[Deadline, ...]:
    """The dates the engine gave as it checked the dated rules (overdue, or due within `HORIZON_DAYS`),
    soonest first."""
    return tuple(sorted(dates, key=lambda d: (d.due, d.path, d.line, d.rule)))
