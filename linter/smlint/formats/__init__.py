"""Real formats smlint reads besides its own YAML: FHIR R4 Questionnaires (intake forms), raw
exports from vendors' APIs (Zoom settings and lock settings, the Stripe account object, a Square
merchant/locations export, a Twilio Messaging Service), the settings that CISA's ScubaGoggles (Google
Workspace) and ScubaGear (Microsoft 365) export, the Cloud Identity Policy API's `policies` list, and a
Google Business Profile reviews export.

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
ZOOM_LOCK_SETTINGS = "zoom-lock-settings"  # GET /accounts/{id}/lock_settings: which settings every user is held to
STRIPE_ACCOUNT = "stripe-account"
SQUARE_ACCOUNT = "square-account"  # Square's merchant and locations (and optionally payments) responses, in one file
TWILIO_MESSAGING_SERVICE = "twilio-messaging-service"
GOOGLE_WORKSPACE = "google-workspace"
MICROSOFT_365 = "microsoft-365"
GOOGLE_REVIEWS = "google-reviews"
WEBSITE_PAGE = "website-page"  # an HTML page of the practice's site (website.py), known by its file name

EXPORT_KINDS = (ZOOM_SETTINGS, STRIPE_ACCOUNT, TWILIO_MESSAGING_SERVICE, GOOGLE_WORKSPACE, MICROSOFT_365,
                GOOGLE_REVIEWS, SQUARE_ACCOUNT, ZOOM_LOCK_SETTINGS)
FORMAT_KINDS = (FHIR_QUESTIONNAIRE, *EXPORT_KINDS, WEBSITE_PAGE)

_ZOOM_SECTIONS = frozenset({"schedule_meeting", "in_meeting", "meeting_security", "recording", "email_notification",
                            "telephony", "feature", "zoom_rooms", "tsp", "integration", "security", "profile"})
# Fields that hold text, or an object, in Zoom's settings but a boolean (locked or not) in its lock settings: one
# of them holding a boolean tells a lock export from a settings export, whose sections have the same names
_ZOOM_LOCK_MARKERS = (("schedule_meeting", "audio_type"), ("recording", "auto_recording"),
                      ("meeting_security", "encryption_type"), ("recording", "recording_authentication"),
                      ("recording", "ip_address_access_control"), ("in_meeting", "meeting_summary_with_ai_companion"))
_TWILIO_MARKERS = frozenset({"inbound_request_url", "status_callback", "fallback_url", "sticky_sender",
                             "use_inbound_webhook_on_number", "usecase"})


def detect(data: Mapping[str, Any]) -> str | None:
    """The format of a mapping without smlint's `kind`, judged by markers the vendors always emit."""
    if data.get("resourceType") == "Questionnaire":
        return FHIR_QUESTIONNAIRE
    if data.get("object") == "account" and _text_starts(data.get("id"), "acct_"):
        return STRIPE_ACCOUNT
    if _is_square_export(data):
        return SQUARE_ACCOUNT
    if _text_starts(data.get("sid"), "MG") and len(_TWILIO_MARKERS.intersection(data)) >= 2:
        return TWILIO_MESSAGING_SERVICE
    sections = [key for key in _ZOOM_SECTIONS if isinstance(data.get(key), Mapping)]
    if sections and _is_zoom_lock_settings(data):
        return ZOOM_LOCK_SETTINGS
    if len(sections) >= 2 and {"schedule_meeting", "in_meeting", "recording", "meeting_security"} & set(sections):
        return ZOOM_SETTINGS
    return _detect_scuba(data) or (GOOGLE_REVIEWS if _is_reviews_export(data) else None)


# ScubaGoggles' provider output keys each organisational unit's settings by section: `gmail_auto_forwarding`,
# `security_session_controls`, `meet_automatic_recording`, `drive_and_docs_external_sharing`, ...
_GWS_SECTION_PREFIXES = ("gmail_", "security_", "meet_", "drive_and_docs_", "chat_", "calendar_", "groups_",
                         "sites_", "classroom_", "gemini_", "api_controls_")
# ScubaGear's provider output (ProviderSettingsExport.json): one list per cmdlet it ran
_M365_MARKERS = frozenset({"remote_domains", "conditional_access_policies", "meeting_policies",
                           "federation_configuration", "client_configuration", "transport_config",
                           "authorization_policies", "exo_successful_commands", "aad_successful_commands",
                           "teams_successful_commands", "teams_tenant_info"})
_REVIEW_MARKERS = frozenset({"reviewReply", "starRating", "reviewer", "reviewId", "comment", "createTime"})


def _detect_scuba(data: Mapping[str, Any]) -> str | None:
    """ScubaGoggles / ScubaGear: the results file (`MetaData.Tool`, settings under `Raw`), the provider
    output on its own, or the Cloud Identity Policy API's `policies` list."""
    meta = data.get("MetaData")
    if isinstance(meta, Mapping) and isinstance(data.get("Raw"), Mapping):
        tool = meta.get("Tool")
        if tool == "ScubaGoggles":
            return GOOGLE_WORKSPACE
        if tool == "ScubaGear":
            return MICROSOFT_365
    if _is_workspace_settings(data):
        return GOOGLE_WORKSPACE
    if sum(1 for key in _M365_MARKERS if isinstance(data.get(key), list)) >= 2:
        return MICROSOFT_365
    return None


def _is_workspace_settings(data: Mapping[str, Any]) -> bool:
    policies = data.get("policies")
    if isinstance(policies, Mapping):  # provider output: {org unit: {section: {field: value}}}
        return any(isinstance(settings, Mapping) and any(isinstance(key, str) and key.startswith(_GWS_SECTION_PREFIXES)
                                                         for key in settings) for settings in policies.values())
    if isinstance(policies, list):  # Policy API: [{"setting": {"type": "settings/gmail.auto_forwarding", ...}}]
        return any(isinstance(item, Mapping) and isinstance(item.get("setting"), Mapping)
                   and _text_starts(item["setting"].get("type"), "settings/") for item in policies)
    return False


def _is_zoom_lock_settings(data: Mapping[str, Any]) -> bool:
    """Zoom's lock settings: a field that Zoom's settings give as text or an object is a boolean here."""
    for section, field in _ZOOM_LOCK_MARKERS:
        values = data.get(section)
        if isinstance(values, Mapping) and isinstance(values.get(field), bool):
            return True
    return False


def _is_reviews_export(data: Mapping[str, Any]) -> bool:
    """A Google Business Profile `reviews.list` response: `reviews` whose items carry review fields."""
    reviews = data.get("reviews")
    if not isinstance(reviews, list) or "kind" in data:
        return False
    if not reviews:
        return "totalReviewCount" in data or "averageRating" in data
    return all(isinstance(item, Mapping) for item in reviews) and \
        any(len(_REVIEW_MARKERS.intersection(item)) >= 2 for item in reviews)


def _is_square_export(data: Mapping[str, Any]) -> bool:
    """Square's `merchant` (GET /v2/merchants/{id}) or `locations` (GET /v2/locations) response, each object
    carrying `business_name`; or `payments` carrying `statement_description_identifier`."""
    if "kind" in data:
        return False
    merchant = data.get("merchant")
    if isinstance(merchant, Mapping) and "business_name" in merchant:
        return True
    for key, marker in (("locations", "business_name"), ("payments", "statement_description_identifier")):
        items = data.get(key)
        if isinstance(items, list) and any(isinstance(item, Mapping) and marker in item for item in items):
            return True
    return False


def _text_starts(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.startswith(prefix)


def views(doc: Any, fhir: FhirSettings | None = None) -> list[Any]:
    """Documents derived from a loaded one for the rules to see: the intake-form view of a FHIR
    Questionnaire (none when no item could be mapped), or the exports embedded in a vendor file
    (`export: {format, data}`, or a list of them)."""
    if doc.kind == FHIR_QUESTIONNAIRE:
        from smlint.formats.fhir import intake_view

        view = intake_view(doc, fhir)
        return [view] if view is not None else []
    if doc.kind == "vendor":
        from smlint.formats.exports import embedded_exports

        return [view for embedded in embedded_exports(doc) for view in (embedded, *views(embedded))]
    if doc.kind in (GOOGLE_WORKSPACE, MICROSOFT_365):
        from smlint.formats.scuba import settings_view

        settings = settings_view(doc)
        return [settings] if settings is not None else []
    return []
