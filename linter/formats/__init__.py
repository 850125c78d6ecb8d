"""Real formats smlint reads besides its own YAML: FHIR R4 Questionnaires (intake forms) and raw
exports from vendors' APIs (Zoom settings, the Stripe account object, a Twilio Messaging Service).

A file in one of these formats is recognised by its shape (`detect`), or, for an export, because a
vendor file names it under `export.file` (see `exports.py`). Nothing here reads files or imports
heavy modules; `views` derives the documents the rules see from a loaded one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smlint.formats.fhirsettings import FhirSettings

FHIR_QUESTIONNAIRE = "fhir-questionnaire"
ZOOM_SETTINGS = "zoom-settings"
STRIPE_ACCOUNT = "stripe-account"
TWILIO_MESSAGING_SERVICE = "twilio-messaging-service"

EXPORT_KINDS = (ZOOM_SETTINGS, STRIPE_ACCOUNT, TWILIO_MESSAGING_SERVICE)
FORMAT_KINDS = (FHIR_QUESTIONNAIRE, *EXPORT_KINDS)

_ZOOM_SECTIONS = frozenset({"schedule_meeting", "in_meeting", "meeting_security", "recording", "email_notification",
                            "telephony", "feature", "zoom_rooms", "tsp", "integration", "security", "profile"})
_TWILIO_MARKERS = frozenset({"inbound_request_url", "status_callback", "fallback_url", "sticky_sender",
                             "use_inbound_webhook_on_number", "usecase"})


def detect(data: Mapping[str, Any]) -> str | None:
    """The format of a mapping without smlint's `kind`, judged by markers the vendors always emit."""
    if data.get("resourceType") == "Questionnaire":
        return FHIR_QUESTIONNAIRE
    if data.get("object") == "account" and _text_starts(data.get("id"), "acct_"):
        return STRIPE_ACCOUNT
    if _text_starts(data.get("sid"), "MG") and len(_TWILIO_MARKERS.intersection(data)) >= 2:
        return TWILIO_MESSAGING_SERVICE
    sections = [key for key in _ZOOM_SECTIONS if isinstance(data.get(key), Mapping)]
    if len(sections) >= 2 and {"schedule_meeting", "in_meeting", "recording", "meeting_security"} & set(sections):
        return ZOOM_SETTINGS
    return None


def _text_starts(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.startswith(prefix)


def views(doc: Any, fhir: FhirSettings | None = None) -> list[Any]:
    """Documents derived from a loaded one for the rules to see: the intake-form view of a FHIR
    Questionnaire (none when no item could be mapped), or the export embedded in a vendor file
    (`export: {format, data}`)."""
    if doc.kind == FHIR_QUESTIONNAIRE:
        from smlint.formats.fhir import intake_view

        view = intake_view(doc, fhir)
        return [view] if view is not None else []
    if doc.kind == "vendor":
        from smlint.formats.exports import embedded_export

        embedded = embedded_export(doc)
        return [embedded] if embedded is not None else []
    return []
