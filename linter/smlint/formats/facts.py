"""A vendor and its exports are one subject: the facts a vendor's raw exports record, in the vendor's terms.

A vendor file may leave a setting to the export attached to it (`export: {format, file}`) or embedded in
it (`export: {format, data}`). The vendor rules read the vendor's YAML; `merge` fills in what the YAML
leaves out from the export (the Zoom account's two-factor policy becomes `security.two_factor`, the Stripe
statement descriptor `settings.statement_descriptor`), so that a rule never asks for, or reports as
missing, a fact the export records. Where the YAML and the export both record a fact and disagree, that
is a `Conflict` (SM031), named with both places; the YAML's value stands for the vendor rules.

Each derivation reads only values of the export's own fields and yields the vendor schema's type (or
nothing): an export that lacks a field derives nothing for it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from smlint.document import MISSING, get, resolve
from smlint.kinds import (
    GOOGLE_WORKSPACE,
    MICROSOFT_365,
    SQUARE_ACCOUNT,
    STRIPE_ACCOUNT,
    TWILIO_MESSAGING_SERVICE,
    ZOOM_LOCK_SETTINGS,
    ZOOM_SETTINGS,
)
from smlint.records import record

Derive = Callable[[Any], Any]  # export data -> the vendor fact's value, or MISSING


@record
class Derivation:
    """One vendor fact (`target`, a pointer into the vendor) read from an export's fields (`sources`, the
    export pointers it reads: the first present one is where the fact stands in the export)."""

    target: str
    sources: tuple[str, ...]
    derive: Derive
    label: str  # what the fact is, for a conflict's message
    # False: the export's own rules already judge this fact where it stands (Twilio's webhooks, SM370), so it
    # is only compared with the vendor file, not copied into it (which would report it twice)
    supply: bool = True
    # text the export adds in front of what the vendor file records (Square prints `SQ *` before the name): a
    # recorded value without it is the same fact, not a contradiction
    prefix: str = ""


@record
class Supplied:
    """A vendor fact taken from an export: the vendor pointer, the export pointer it stands at, and which
    export (its index in `merge_all`'s list)."""

    target: str
    source: str
    export: int = 0


@record
class Conflict:
    """A fact the vendor YAML and its export both record, differently."""

    target: str
    source: str
    label: str
    export: int = 0


def _first(*pointers: str, accept: Callable[[Any], bool]) -> Derive:
    def read(data: Any) -> Any:
        for pointer in pointers:
            value = get(data, pointer)
            if value is not MISSING and accept(value):
                return value
        return MISSING

    return read


def _bool(*pointers: str) -> Derive:
    return _first(*pointers, accept=lambda v: isinstance(v, bool))


def _any_true(*pointers: str) -> Derive:
    """True when one of the fields is true, false when every present one is false, else nothing."""
    def read(data: Any) -> Any:
        values = [get(data, p) for p in pointers]
        booleans = [v for v in values if isinstance(v, bool)]
        if not booleans:
            return MISSING
        return any(booleans)

    return read


def _negated(pointer: str) -> Derive:
    read = _bool(pointer)
    return lambda data: MISSING if (value := read(data)) is MISSING else not value


def _two_factor(data: Any) -> Any:
    value = get(data, "/security/sign_in_with_two_factor_auth")
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.casefold() == "all"  # group or role: not every staff member
    return MISSING


def _encryption_type(data: Any) -> Any:
    value = get(data, "/meeting_security/encryption_type")
    return True if isinstance(value, str) and value in ("enhanced_encryption", "e2ee") else MISSING


def _end_to_end(data: Any) -> Any:
    value = get(data, "/meeting_security/encryption_type")
    return value == "e2ee" if isinstance(value, str) and value in ("enhanced_encryption", "e2ee") else MISSING


def _auto_recording(data: Any) -> Any:
    value = get(data, "/recording/auto_recording")
    return value if value in ("none", "local", "cloud") else MISSING


def _retention_days(data: Any) -> Any:
    if get(data, "/recording/auto_delete_cmr") is not True:
        return MISSING
    days = get(data, "/recording/auto_delete_cmr_days")
    return days if isinstance(days, int) and not isinstance(days, bool) and days >= 0 else MISSING


def _text(pointer: str) -> Derive:
    return _first(pointer, accept=lambda v: isinstance(v, str) and v.strip() != "")


def _webhooks(data: Any) -> Any:
    urls = [v for p in ("/inbound_request_url", "/status_callback", "/fallback_url")
            if isinstance(v := get(data, p), str) and v.strip()]
    return urls or MISSING


_SQUARE_NAMES = ("/merchant/business_name", "/locations/0/business_name")


def _square_descriptor(data: Any) -> Any:
    """Square statements read `SQ *` and the business name (the merchant's, else the first location's)."""
    name = _first(*_SQUARE_NAMES, accept=lambda v: isinstance(v, str) and v.strip() != "")(data)
    return MISSING if name is MISSING else f"SQ *{name.strip()}"


def _any_true_at(pattern: str) -> Derive:
    """Over every value a wildcard pointer matches: true when one is true, false when every one present is
    false, else nothing (Workspace: one per organisational unit that sets it; units that do not set it
    inherit from one that does)."""
    def read(data: Any) -> Any:
        booleans = [value for _, value in resolve(data, pattern) if isinstance(value, bool)]
        return any(booleans) if booleans else MISSING

    return read


_NEVER = "1970-01-01T00:00:00"  # the Policy API's "not enforced" enforcement date


def _unit_two_step(settings: Any) -> Any:
    """One organisational unit's 2-step verification: false when enrolment is not allowed or enforcement
    starts "never" (1970); true when enforcement started before now; nothing when it is scheduled, or not
    set in this unit."""
    if not isinstance(settings, Mapping):
        return MISSING
    enrolment = get(settings, "/security_two_step_verification_enrollment/allowEnrollment")
    if enrolment is False:
        return False
    start = get(settings, "/security_two_step_verification_enforcement/enforcedFrom")
    if not isinstance(start, str):
        return MISSING
    if start.startswith(_NEVER):
        return False
    try:
        when = datetime.fromisoformat(start.replace("Z", "+00:00"))
    except ValueError:
        return MISSING
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    # compared with the clock, not a run's --today: whether a scheduled enforcement has begun is a fact about now
    return True if when <= datetime.now(timezone.utc) else MISSING


def _workspace_two_factor(data: Any) -> Any:
    """True when every unit that sets 2-step verification enforces it (and one does); false when one does not."""
    units = get(data, "/policies")
    if not isinstance(units, Mapping):
        return MISSING
    verdicts = [_unit_two_step(settings) for settings in units.values()]
    if any(verdict is False for verdict in verdicts):
        return False
    return True if any(verdict is True for verdict in verdicts) else MISSING


def _m365_mfa(data: Any) -> Any:
    """ScubaGear's conditional access policies (exported): true when one enabled policy covers all users and
    all applications and grants with MFA or an authentication strength (as SM372 asks), false when none does."""
    policies = get(data, "/conditional_access_policies")
    if not isinstance(policies, list):
        return MISSING
    return any(_requires_mfa_for_all(policy) for policy in policies)


def _requires_mfa_for_all(policy: Any) -> bool:
    if not isinstance(policy, Mapping) or policy.get("State") != "enabled":
        return False
    users = get(policy, "/Conditions/Users/IncludeUsers")
    apps = get(policy, "/Conditions/Applications/IncludeApplications")
    controls = get(policy, "/GrantControls/BuiltInControls")
    strength = get(policy, "/GrantControls/AuthenticationStrength")
    return (isinstance(users, list) and "All" in users and isinstance(apps, list) and "All" in apps
            and ((isinstance(controls, list) and "mfa" in controls) or bool(strength)))


_GMAIL_FORWARDING = "/policies/*/gmail_auto_forwarding/enableAutoForwarding"
_WORKSPACE_TWO_STEP = ("/policies/*/security_two_step_verification_enforcement/enforcedFrom",
                       "/policies/*/security_two_step_verification_enrollment/allowEnrollment")
_EXO_FORWARDING = "/remote_domains/*/AutoForwardEnabled"


_PASSCODE = ("/meeting_security/meeting_password", "/meeting_security/require_password_for_scheduled_meeting",
             "/schedule_meeting/require_password_for_scheduling_new_meetings")
_SIGN_IN = ("/schedule_meeting/enforce_login", "/meeting_authentication")
# Zoom's AI Companion meeting summary (field names from Zoom's API reference, not verified by smlint's sources)
_AI_SUMMARY = "/in_meeting/meeting_summary_with_ai_companion"
# lock settings: each field says whether the account setting of that name is locked for every user
_LOCKED_WAITING_ROOM = ("/meeting_security/waiting_room", "/in_meeting/waiting_room")
_LOCKED_PASSCODE = ("/meeting_security/meeting_password", "/meeting_security/require_password_for_scheduled_meeting",
                    "/schedule_meeting/require_password_for_scheduling_new_meetings")

DERIVATIONS: Mapping[str, tuple[Derivation, ...]] = {
    ZOOM_SETTINGS: (
        Derivation("/settings/waiting_room", ("/meeting_security/waiting_room", "/in_meeting/waiting_room"),
                   _bool("/meeting_security/waiting_room", "/in_meeting/waiting_room"), "the waiting room"),
        Derivation("/settings/passcode_required", _PASSCODE, _any_true(*_PASSCODE), "meeting passcodes"),
        Derivation("/settings/authenticated_join_only", _SIGN_IN, _any_true(*_SIGN_IN), "sign-in to join"),
        Derivation("/settings/live_streaming", ("/in_meeting/allow_live_streaming",),
                   _bool("/in_meeting/allow_live_streaming"), "live streaming"),
        Derivation("/settings/cloud_recording", ("/recording/cloud_recording",), _bool("/recording/cloud_recording"),
                   "cloud recording"),
        Derivation("/settings/auto_recording", ("/recording/auto_recording",), _auto_recording,
                   "automatic recording"),
        Derivation("/settings/recording_retention_days", ("/recording/auto_delete_cmr_days",), _retention_days,
                   "how long recordings are kept"),
        Derivation("/settings/topic_in_invites", ("/schedule_meeting/not_store_meeting_topic",),
                   _negated("/schedule_meeting/not_store_meeting_topic"), "meeting topics in invitations"),
        Derivation("/security/two_factor", ("/security/sign_in_with_two_factor_auth",), _two_factor,
                   "two-factor sign-in"),
        Derivation("/encryption/in_transit", ("/meeting_security/encryption_type",), _encryption_type,
                   "encryption in transit"),
        Derivation("/encryption/end_to_end", ("/meeting_security/encryption_type",), _end_to_end,
                   "end-to-end encryption"),
        Derivation("/settings/ai_meeting_summary", (f"{_AI_SUMMARY}/enable",), _bool(f"{_AI_SUMMARY}/enable"),
                   "AI meeting summaries"),
    ),
    ZOOM_LOCK_SETTINGS: (
        Derivation("/locks/waiting_room", _LOCKED_WAITING_ROOM, _bool(*_LOCKED_WAITING_ROOM),
                   "whether the waiting room is locked"),
        # locked when one passcode setting is: the lock export does not say which of them is on
        Derivation("/locks/passcode_required", _LOCKED_PASSCODE, _any_true(*_LOCKED_PASSCODE),
                   "whether meeting passcodes are locked"),
        Derivation("/locks/live_streaming", ("/in_meeting/allow_live_streaming",),
                   _bool("/in_meeting/allow_live_streaming"), "whether live streaming is locked"),
        Derivation("/locks/cloud_recording", ("/recording/cloud_recording",), _bool("/recording/cloud_recording"),
                   "whether cloud recording is locked"),
        Derivation("/locks/auto_recording", ("/recording/auto_recording",), _bool("/recording/auto_recording"),
                   "whether automatic recording is locked"),
        Derivation("/locks/ai_meeting_summary", (_AI_SUMMARY,), _bool(_AI_SUMMARY),
                   "whether AI meeting summaries are locked"),
    ),
    # read from the provider-shaped settings (a results file's `Raw`, a Policy API list regrouped by unit:
    # formats/scuba.py), as the Workspace and Microsoft 365 rules read them
    GOOGLE_WORKSPACE: (
        Derivation("/settings/external_auto_forwarding", (_GMAIL_FORWARDING,), _any_true_at(_GMAIL_FORWARDING),
                   "whether mail can be forwarded automatically to outside addresses"),
        Derivation("/security/two_factor", _WORKSPACE_TWO_STEP, _workspace_two_factor, "two-step verification"),
    ),
    MICROSOFT_365: (
        Derivation("/settings/external_auto_forwarding", (_EXO_FORWARDING,), _any_true_at(_EXO_FORWARDING),
                   "whether mail can be forwarded automatically to outside addresses"),
        Derivation("/security/two_factor", ("/conditional_access_policies",), _m365_mfa,
                   "multi-factor authentication for all users"),
    ),
    STRIPE_ACCOUNT: (
        Derivation("/settings/statement_descriptor", ("/settings/payments/statement_descriptor",),
                   _text("/settings/payments/statement_descriptor"), "the statement descriptor"),
    ),
    SQUARE_ACCOUNT: (
        Derivation("/settings/statement_descriptor", _SQUARE_NAMES, _square_descriptor,
                   "the statement descriptor (Square: SQ * and the business name)", prefix="SQ *"),
    ),
    TWILIO_MESSAGING_SERVICE: (
        Derivation("/settings/webhook_urls", ("/inbound_request_url", "/status_callback", "/fallback_url"),
                   _webhooks, "the webhook addresses", supply=False),
    ),
}


def _set(data: dict[str, Any], pointer: str, value: Any) -> bool:
    """Set a value at a pointer, making mappings on the way; False when a non-mapping is in the way."""
    parts = pointer.strip("/").split("/")
    node: Any = data
    for part in parts[:-1]:
        if part not in node:
            node[part] = {}
        node = node[part]
        if not isinstance(node, dict):
            return False
    node[parts[-1]] = value
    return True


def _source(export: Any, derivation: Derivation, value: Any = MISSING) -> str:
    """Where the fact stands in the export: the first place (of its sources, `*` matching each unit or item)
    that holds the derived value itself (the unit that forwards mail), else the first place present."""
    present = [(pointer, found) for source in derivation.sources for pointer, found in resolve(export, source)]
    for pointer, found in present:
        if isinstance(value, bool) and found is value:
            return pointer
    return present[0][0] if present else derivation.sources[0]


def _same(recorded: Any, derived: Any, prefix: str = "") -> bool:
    if isinstance(recorded, str) and isinstance(derived, str):
        recorded_text, derived_text = recorded.strip().casefold(), derived.strip().casefold()
        return recorded_text in (derived_text, derived_text.removeprefix(prefix.casefold()))
    if isinstance(recorded, list) and isinstance(derived, list):
        return sorted(map(str, recorded)) == sorted(map(str, derived))
    return bool(recorded == derived) and isinstance(recorded, bool) == isinstance(derived, bool)


@record
class Merged:
    data: Any
    supplied: tuple[Supplied, ...]
    conflicts: tuple[Conflict, ...]


def merge(vendor: Any, kind: str, export: Any, index: int = 0) -> Merged:
    """The vendor's data with the facts `export` (of format `kind`) records and the YAML leaves out; and
    the facts both record differently. The vendor's own data is not changed."""
    derivations = DERIVATIONS.get(kind, ())
    if not isinstance(vendor, Mapping) or not isinstance(export, Mapping) or not derivations:
        return Merged(vendor, (), ())
    data = copy.deepcopy(dict(vendor))
    supplied: list[Supplied] = []
    conflicts: list[Conflict] = []
    for derivation in derivations:
        value = derivation.derive(export)
        if value is MISSING:
            continue
        recorded = get(vendor, derivation.target)
        if recorded is MISSING:
            if derivation.supply and _set(data, derivation.target, value):
                supplied.append(Supplied(derivation.target, _source(export, derivation, value), index))
        elif not _same(recorded, value, derivation.prefix):
            conflicts.append(Conflict(derivation.target, _source(export, derivation, value), derivation.label,
                                      index))
    return Merged(data, tuple(supplied), tuple(conflicts))


def merge_all(vendor: Any, exports: Sequence[tuple[str, Any]]) -> Merged:
    """`merge` with each (format, data) export in turn (an earlier export wins over a later one)."""
    data: Any = vendor
    supplied: list[Supplied] = []
    conflicts: list[Conflict] = []
    for index, (kind, export) in enumerate(exports):
        merged = merge(data, kind, export, index)
        data = merged.data
        supplied.extend(merged.supplied)
        conflicts.extend(merged.conflicts)
    return Merged(data, tuple(supplied), tuple(conflicts))
