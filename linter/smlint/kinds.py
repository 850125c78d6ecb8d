"""The kinds of artifact smlint knows: one record per kind, and the only place a kind is declared.

A leaf module: it imports nothing from smlint, so every other module may import it. What other files
repeat about the kinds is generated from these records or checked against them by a test
(`python -m smlint.generate --write` rewrites them; docs/architecture.md, "Kinds"):

- the rule schema's `kind` enum, the configuration schema's `kinds` values and the vendor schema's
  `export.format` values (`schemas/*.schema.json`);
- the kinds of SM000 and SM001, which apply to every kind (`rules/sm000-tool.yaml`);
- the kind tables of README.md, docs/formats.md and docs/architecture.md.

Code reads the records directly: the loader's known kinds (`NAMES`), the exports a vendor file may name
(`EXPORT_KINDS`), the report labels (`LABELS`), the name an artifact gives itself (`NAME_FIELDS`), the
views the engine derives (`Kind.views`, built by `formats/views.py`) and the schema each kind is
validated against (`Kind.schema`). How a file of a kind is recognised by its shape is code, in
`shapes.py` (one predicate per kind with `shape=True`, held to these records by a test).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from smlint.records import record

# Where a kind comes from
ARTIFACT = "artifact"  # smlint's own YAML (or a Markdown or Word policy): declares `kind:` itself
EXPORT = "export"  # a vendor's settings export: found by its shape, or named by a vendor file's `export:`
FORMAT = "format"  # another real format, found by its shape or its file name

# The views a document of a kind offers: documents derived from it that the rules also see (formats/views.py)
INTAKE_VIEW = "intake-form"  # a FHIR Questionnaire's items read as an intake form's clauses (formats/fhir.py)
EXPORT_VIEW = "export"  # the export a vendor file embeds (`export: {format, data}`), as that format (exports.py)
SETTINGS_VIEW = "settings"  # a results file or Policy API list read in the provider's shape (formats/scuba.py)
VIEWS = (INTAKE_VIEW, EXPORT_VIEW, SETTINGS_VIEW)


@record
class Kind:
    """One kind of artifact.

    `name` is what `kind:` says and what rules list under `kinds:`; `label` names it in reports;
    `describes` says what it holds (README for smlint's own artifacts, the format's first column in
    docs/formats.md for the others) and `recognised_by` how a file of a real format is recognised
    (docs/formats.md). `shape`: recognised by its shape (`shapes.py`); `by_config`: the
    configuration's `kinds` globs may give it to files that do not declare a kind; `suffixes`: file
    names that are read as this kind. `views`: the views it offers (`VIEWS`). `name_field`: the field
    whose text names the artifact in reports and in messages about another artifact.
    """

    name: str
    label: str
    origin: str
    describes: str
    recognised_by: str = ""
    shape: bool = False
    by_config: bool = False
    suffixes: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    name_field: str | None = None

    @property
    def schema(self) -> str:
        """The schema file every document of this kind is validated against, in `schemas/`."""
        return f"{self.name}.schema.json"

    @property
    def export(self) -> bool:
        """Whether a vendor file may name or embed an export of this kind (`export.format`)."""
        return self.origin == EXPORT


KINDS: tuple[Kind, ...] = (
    Kind("policy", "policy", ARTIFACT,
         "the social media and technology policy: organisation, version, effective and review dates, approver, "
         "and one section per area of the ten tips (social networking, posting, privacy settings, client search, "
         "acknowledgement, client education, electronic communication, testimonials, payments, phones, texting, "
         "VoIP and video, training, breach notification, contingency, records, telehealth)",
         by_config=True, name_field="organisation"),
    Kind("intake-form", "intake form", ARTIFACT,
         "a client intake and consent form: version, the policy version it acknowledges, services offered, and its "
         "clauses (texting consent, electronic-communication risks, telehealth consent, recording and search "
         "consent, contingency, payment privacy...)",
         by_config=True, name_field="title"),
    Kind("vendor", "vendor", ARTIFACT,
         "one technology vendor: category (voip, landline, texting, video, email, ehr, payment, website, "
         "scheduling, reviews, directory, storage, analytics, other), whether it handles client data, its business "
         "associate agreement, encryption, account security and settings",
         by_config=True, views=(EXPORT_VIEW,), name_field="name"),
    Kind("fhir-questionnaire", "intake form (FHIR Questionnaire)", FORMAT,
         "FHIR R4 `Questionnaire` (JSON or YAML)", "`resourceType: Questionnaire`",
         shape=True, views=(INTAKE_VIEW,)),
    Kind("zoom-settings", "Zoom settings export", EXPORT,
         "Zoom account or user settings",
         "a vendor's `export`, or two or more Zoom settings sections (`schedule_meeting`, `in_meeting`, "
         "`meeting_security`, `recording`, `security`, ...) with at least one of the first four",
         shape=True),
    Kind("zoom-lock-settings", "Zoom lock settings export", EXPORT,
         "Zoom account lock settings: `GET /accounts/{id}/lock_settings`, with the `meeting_security` section of "
         "`?option=meeting_security`, in one file",
         "a vendor's `export`, or Zoom settings sections in which a field that Zoom's settings give as text or an "
         "object is a boolean (`schedule_meeting.audio_type`, `recording.auto_recording`, "
         "`meeting_security.encryption_type`, ...)",
         shape=True),
    Kind("stripe-account", "Stripe account export", EXPORT,
         "Stripe account object", "a vendor's `export`, or `\"object\": \"account\"` with an `acct_` id",
         shape=True),
    Kind("twilio-messaging-service", "Twilio messaging export", EXPORT,
         "Twilio Messaging Service resource",
         "a vendor's `export`, or an `MG` sid with two or more Messaging Service fields (`inbound_request_url`, "
         "`status_callback`, `fallback_url`, `sticky_sender`, `usecase`, ...)",
         shape=True),
    Kind("google-workspace", "Google Workspace settings export", EXPORT,
         "Google Workspace: CISA ScubaGoggles results file (`ScubaResults_<id>.json`) or provider output "
         "(`ProviderSettingsExport.json`), or the Cloud Identity Policy API's `GET /v1/policies` response",
         "a vendor's `export`; `MetaData.Tool: ScubaGoggles` with a `Raw` object; a `policies` mapping whose units "
         "hold sections named `gmail_...`, `security_...`, `meet_...`, `drive_and_docs_...` and the like; or a "
         "`policies` list whose items have a `setting.type` starting `settings/`",
         shape=True, views=(SETTINGS_VIEW,)),
    Kind("microsoft-365", "Microsoft 365 settings export", EXPORT,
         "Microsoft 365: CISA ScubaGear provider output (`ProviderSettingsExport.json`) or results file "
         "(`ScubaResults_<id>.json`)",
         "a vendor's `export`; `MetaData.Tool: ScubaGear` with a `Raw` object; or two or more of ScubaGear's lists "
         "(`remote_domains`, `conditional_access_policies`, `meeting_policies`, `federation_configuration`, "
         "`transport_config`, `exo_successful_commands`, ...)",
         shape=True, views=(SETTINGS_VIEW,)),
    Kind("google-reviews", "Google reviews export", EXPORT,
         "Google Business Profile reviews (`accounts.locations.reviews.list`)",
         "a vendor's `export`, or a `reviews` list whose items carry two or more review fields (`reviewId`, "
         "`starRating`, `reviewer`, `reviewReply`, `comment`, `createTime`); an empty list counts with "
         "`totalReviewCount` or `averageRating`",
         shape=True),
    Kind("square-account", "Square merchant export", EXPORT,
         "Square merchant export: the `merchant` of `GET /v2/merchants/{id}`, the `locations` of "
         "`GET /v2/locations` and optionally the `payments` of `GET /v2/payments`, saved in one JSON file",
         "a vendor's `export`; a `merchant` with `business_name`, a `locations` list whose items carry "
         "`business_name`, or a `payments` list whose items carry `statement_description_identifier` (and no "
         "smlint `kind`)",
         shape=True),
    Kind("website-page", "website page", FORMAT,
         "A page of the practice's website (`.html`, `.htm`)",
         "its file name, when named, below a `site` or `website` folder, or mapped by `kinds` "
         "(\"Website pages\" below)",
         by_config=True, suffixes=(".html", ".htm")),
)

BY_NAME: Mapping[str, Kind] = MappingProxyType({kind.name: kind for kind in KINDS})
NAMES: tuple[str, ...] = tuple(BY_NAME)
EXPORT_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS if kind.export)
CONFIG_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS if kind.by_config)
SHAPE_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS if kind.shape)
LABELS: Mapping[str, str] = MappingProxyType({kind.name: kind.label for kind in KINDS})
NAME_FIELDS: Mapping[str, str] = MappingProxyType(
    {kind.name: kind.name_field for kind in KINDS if kind.name_field is not None})
# the kind of the files whose names end so (an HTML page is a website page), for the loader
SUFFIX_KINDS: Mapping[str, str] = MappingProxyType(
    {suffix: kind.name for kind in KINDS for suffix in kind.suffixes})

# Names code compares documents with
POLICY = BY_NAME["policy"].name
INTAKE_FORM = BY_NAME["intake-form"].name
VENDOR = BY_NAME["vendor"].name
FHIR_QUESTIONNAIRE = BY_NAME["fhir-questionnaire"].name
ZOOM_SETTINGS = BY_NAME["zoom-settings"].name
ZOOM_LOCK_SETTINGS = BY_NAME["zoom-lock-settings"].name
STRIPE_ACCOUNT = BY_NAME["stripe-account"].name
SQUARE_ACCOUNT = BY_NAME["square-account"].name
TWILIO_MESSAGING_SERVICE = BY_NAME["twilio-messaging-service"].name
GOOGLE_WORKSPACE = BY_NAME["google-workspace"].name
MICROSOFT_365 = BY_NAME["microsoft-365"].name
GOOGLE_REVIEWS = BY_NAME["google-reviews"].name
WEBSITE_PAGE = BY_NAME["website-page"].name


def label(kind: str | None) -> str:
    """How reports name a kind: its label, the name itself for a kind smlint does not know, "file" for none."""
    return LABELS.get(kind or "", kind or "file")
