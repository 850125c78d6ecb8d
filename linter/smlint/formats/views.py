"""The views of a document: documents derived from a loaded one that the rules also see.

Which views a kind offers is data (`Kind.views` in `smlint.kinds`); how each is built is here, one builder
per view: the intake-form view of a FHIR Questionnaire (none when no item could be mapped), the export a
vendor file embeds (`export: {format, data}`, followed by that export's own views), and the provider-shaped
settings of a ScubaGoggles/ScubaGear results file or a Policy API list.

Lazy-import boundary (start-up speed): `scuba.py` is imported by its builder on first use, so a check of
smlint's own YAML never loads it (tests/unit/test_scuba_formats.py holds that). It imports nothing that
imports this module, so the deferred import hides no cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from smlint.document import Document
from smlint.formats.exports import embedded_export
from smlint.formats.fhir import intake_view
from smlint.formats.fhirsettings import FhirSettings
from smlint.kinds import BY_NAME, EXPORT_VIEW, INTAKE_VIEW, SETTINGS_VIEW

Builder = Callable[[Document, "FhirSettings | None"], list[Document]]


def views(doc: Document, fhir: FhirSettings | None = None) -> list[Document]:
    """Documents derived from `doc` for the rules to see, in the order its kind lists its views."""
    kind = BY_NAME.get(doc.kind or "")
    if kind is None or not kind.views:
        return []
    return [view for name in kind.views for view in BUILDERS[name](doc, fhir)]


def _intake(doc: Document, fhir: FhirSettings | None) -> list[Document]:
    view = intake_view(doc, fhir)
    return [view] if view is not None else []


def _export(doc: Document, fhir: FhirSettings | None) -> list[Document]:
    embedded = embedded_export(doc)
    return [embedded, *views(embedded)] if embedded is not None else []


def _settings(doc: Document, fhir: FhirSettings | None) -> list[Document]:
    from smlint.formats.scuba import settings_view  # lazy-import boundary, see the module's docstring

    settings = settings_view(doc)
    return [settings] if settings is not None else []


BUILDERS: Mapping[str, Builder] = {INTAKE_VIEW: _intake, EXPORT_VIEW: _export, SETTINGS_VIEW: _settings}
