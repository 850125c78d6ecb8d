"""Which real format a mapping without smlint's `kind` is, judged by markers the vendors always emit.

One predicate per kind the registry marks `shape=True` (`smlint.kinds`), tried in the order of `SHAPES`;
the first that holds names the format. A test holds `SHAPES` to the registry. Nothing here reads files
or imports anything but the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from smlint.kinds import (
    FHIR_QUESTIONNAIRE,
    GOOGLE_REVIEWS,
    GOOGLE_WORKSPACE,
    MICROSOFT_365,
    SQUARE_ACCOUNT,
    STRIPE_ACCOUNT,
    TWILIO_MESSAGING_SERVICE,
    ZOOM_SETTINGS,
)

Shape = Callable[[Mapping[str, Any]], bool]

_ZOOM_SECTIONS = frozenset({"schedule_meeting", "in_meeting", "meeting_security", "recording", "email_notification",
                            "telephony", "feature", "zoom_rooms", "tsp", "integration", "security", "profile"})
_TWILIO_MARKERS = frozenset({"inbound_request_url", "status_callback", "fallback_url", "sticky_sender",
                             "use_inbound_webhook_on_number", "usecase"})
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


def detect(data: Mapping[str, Any]) -> str | None:
    """The format of a mapping without smlint's `kind`: the first kind in `SHAPES` whose predicate holds."""
    for kind, holds in SHAPES.items():
        if holds(data):
            return kind
    return None


def is_fhir_questionnaire(data: Mapping[str, Any]) -> bool:
    return data.get("resourceType") == "Questionnaire"


def is_stripe_account(data: Mapping[str, Any]) -> bool:
    return data.get("object") == "account" and _text_starts(data.get("id"), "acct_")


def is_square_export(data: Mapping[str, Any]) -> bool:
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


def is_twilio_messaging_service(data: Mapping[str, Any]) -> bool:
    return _text_starts(data.get("sid"), "MG") and len(_TWILIO_MARKERS.intersection(data)) >= 2


def is_zoom_settings(data: Mapping[str, Any]) -> bool:
    sections = [key for key in _ZOOM_SECTIONS if isinstance(data.get(key), Mapping)]
    return len(sections) >= 2 and bool({"schedule_meeting", "in_meeting", "recording", "meeting_security"}
                                       & set(sections))


def is_google_workspace(data: Mapping[str, Any]) -> bool:
    """ScubaGoggles' results file (`MetaData.Tool`, settings under `Raw`) or provider output, or the Cloud
    Identity Policy API's `policies` list; a ScubaGear results file is Microsoft 365's whatever it holds."""
    tool = _scuba_tool(data)
    return tool == "ScubaGoggles" or (tool != "ScubaGear" and _is_workspace_settings(data))


def is_microsoft_365(data: Mapping[str, Any]) -> bool:
    """ScubaGear's results file or provider output (two or more of its cmdlet lists)."""
    tool = _scuba_tool(data)
    return tool == "ScubaGear" or (tool != "ScubaGoggles"
                                   and sum(1 for key in _M365_MARKERS if isinstance(data.get(key), list)) >= 2)


def is_reviews_export(data: Mapping[str, Any]) -> bool:
    """A Google Business Profile `reviews.list` response: `reviews` whose items carry review fields."""
    reviews = data.get("reviews")
    if not isinstance(reviews, list) or "kind" in data:
        return False
    if not reviews:
        return "totalReviewCount" in data or "averageRating" in data
    return all(isinstance(item, Mapping) for item in reviews) and \
        any(len(_REVIEW_MARKERS.intersection(item)) >= 2 for item in reviews)


def _scuba_tool(data: Mapping[str, Any]) -> Any:
    """The tool a ScubaGoggles/ScubaGear results file names (`MetaData.Tool` beside a `Raw` object), else None."""
    meta = data.get("MetaData")
    if isinstance(meta, Mapping) and isinstance(data.get("Raw"), Mapping):
        return meta.get("Tool")
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


def _text_starts(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.startswith(prefix)


# The order matters only where two shapes could both hold; it is the order smlint has always tried them in.
SHAPES: Mapping[str, Shape] = {
    FHIR_QUESTIONNAIRE: is_fhir_questionnaire,
    STRIPE_ACCOUNT: is_stripe_account,
    SQUARE_ACCOUNT: is_square_export,
    TWILIO_MESSAGING_SERVICE: is_twilio_messaging_service,
    ZOOM_SETTINGS: is_zoom_settings,
    GOOGLE_WORKSPACE: is_google_workspace,
    MICROSOFT_365: is_microsoft_365,
    GOOGLE_REVIEWS: is_reviews_export,
}
