"""`smlint init`: write a policy repository that passes its own check.

The templates in `templates/` ship inside the wheel. They are filled with `string.Template`
(`${name}`; a literal dollar sign is written `$$`). Where only the agency can decide, they hold a
`<FILL IN: ...>` placeholder, which rule SM020 lists at info severity. Nothing is overwritten unless
`force` is set, and nothing is written at all when a file is in the way.

Each artifact's first line names its schema for yaml-language-server (`# yaml-language-server:
$schema=../.schemas/vendor.schema.json`): a relative path to verbatim copies of the installed smlint's
schemas, written to `.schemas/`, so editors check the files offline and on every collaborator's machine.
`smlint init --schemas-only` refreshes those copies after an upgrade and writes nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from smlint import PROJECT_URL, __version__
from smlint.errors import SmlintError
from smlint.fsutil import atomic_write
from smlint.loader import load_text
from smlint.placeholders import fill_in
from smlint.policymarkdown import to_markdown
from smlint.policyword import to_word
from smlint.records import record
from smlint.redact import scrub
from smlint.resources import data_dir

# Where `.pre-commit-config.yaml` fetches the hook from; the tag is `v<version>`.
HOOK_REPOSITORY = PROJECT_URL

# template name -> path in the new repository
FILES: dict[str, str] = {
    "policy.yaml": "policies/social-media-technology-policy.yaml",
    "intake.yaml": "intake/adult-intake-and-consent.yaml",
    "vendor-ehr.yaml": "vendors/ehr.yaml",
    "vendor-video.yaml": "vendors/telehealth-video.yaml",
    "vendor-voip.yaml": "vendors/phone-voip.yaml",
    "vendor-texting.yaml": "vendors/texting.yaml",
    "vendor-payments.yaml": "vendors/payments.yaml",
    "smlint.yaml": ".smlint.yaml",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "github-workflow.yml": ".github/workflows/smlint.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
}

# written only with --serves-minors: the intake template for clients under 18, signed by a guardian too
MINOR_INTAKE = "intake/minor-intake-and-consent.yaml"

# shipped schema -> copy in the new repository (copied verbatim, not a template)
SCHEMA_FOLDER = ".schemas"
SCHEMAS: dict[str, str] = {name: f"{SCHEMA_FOLDER}/{name}"
                           for name in ("policy.schema.json", "intake-form.schema.json", "vendor.schema.json")}

# US states, DC and the inhabited territories.
STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
    "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
})


@record
class InitOptions:
    directory: Path
    organisation: str | None = None
    states: tuple[str, ...] = ()
    covered_entity: bool = True
    force: bool = False
    today: date | None = None
    schemas_only: bool = False
    part2_program: bool = False
    serves_minors: bool = False
    policy_format: str = "yaml"  # or "markdown": the policy as a Markdown file (policymarkdown.py)


def normalise_states(values: Sequence[str]) -> tuple[str, ...]:
    """Two-letter state codes, upper-cased, duplicates dropped; `OR,WA` is accepted as two."""
    states: list[str] = []
    for value in values:
        for part in value.replace(",", " ").split():
            code = part.upper()
            if code not in STATES:
                raise SmlintError(f"--state takes two-letter US state codes such as OR or WA, got {scrub(part)!r}")
            if code not in states:
                states.append(code)
    return tuple(states)


def render_files(options: InitOptions) -> dict[str, str | bytes]:
    """Every file of the new repository, by relative path, as text."""
    schemas = data_dir("schemas")
    copies: dict[str, str | bytes] = {target: (schemas / name).read_text(encoding="utf-8")
                                      for name, target in SCHEMAS.items()}
    if options.schemas_only:
        return copies
    values = _values(options)
    folder = files("smlint") / "templates"

    def render(name: str, extra: dict[str, str] | None = None) -> str:
        return Template(folder.joinpath(name).read_text(encoding="utf-8")).substitute({**values, **(extra or {})}
                                                                                      ).rstrip() + "\n"

    rendered = {target: render(name) for name, target in FILES.items()}
    if options.serves_minors:
        rendered[MINOR_INTAKE] = render("intake.yaml", {"intake_title": "Minor Intake and Consent",
                                                        "minors": AUDIENCE_COMMENT + "audience: [minors]\n",
                                                        "guardian": "\n  guardian: true"})
    if options.policy_format == "markdown":
        yaml_path = FILES["policy.yaml"]
        rendered[yaml_path.removesuffix(".yaml") + ".md"] = _markdown_policy(rendered.pop(yaml_path))
    out: dict[str, str | bytes] = {**rendered, **copies}
    if options.policy_format == "docx":
        yaml_path = FILES["policy.yaml"]
        out[yaml_path.removesuffix(".yaml") + ".docx"] = _word_policy(rendered.pop(yaml_path))
        del out[yaml_path]
    return out


MARKDOWN_NOTE = ("# Written by `smlint init --policy-format markdown`. Edit the text below the front matter as your\n"
                 "# policy; smlint reads it clause by clause (`smlint explain-policy` shows what it read). The facts\n"
                 "# under `sections:` here are ones the text does not express: keep them true.\n")


def _markdown_policy(yaml_text: str) -> str:
    """The scaffold's policy, written as Markdown (the same facts: front matter and text)."""
    return to_markdown(load_text(yaml_text, "policy.yaml").documents[0].data, MARKDOWN_NOTE)


# What a Word policy says in words that the YAML policy keeps in fields beside its text (a Markdown policy
# keeps them in its front matter): the people responsible and the dates of the last risk analysis, training,
# test and notice (each a placeholder in the scaffold, which SM020 lists in every form).
_STATED = {
    "training": [("last_completed", "The last all-staff training was completed on {}.")],
    "contingency": [("last_tested", "The plan was last tested on {}.")],
    "security_management": [("security_official", "{} is the security official."),
                            ("risk_analysis_last", "The last risk analysis was completed on {}."),
                            ("recognized_framework", "The practice follows {} as its recognised security framework."),
                            ("framework_adopted", "The security framework was adopted on {}.")],
    "privacy": [("privacy_official", "{} is the privacy official."),
                ("complaints_contact", "Privacy complaints go to {}."),
                ("notice_of_privacy_practices/last_updated",
                 "The Notice of Privacy Practices was last revised on {}.")],
}


def prose_texts(policy: Mapping[str, Any]) -> dict[str, str]:
    """Each section's text for a Word policy: the YAML text, then a sentence for each field of `_STATED` the
    section records."""
    texts = {}
    for key, section in (policy.get("sections") or {}).items():
        if not isinstance(section, Mapping) or key not in _STATED:
            continue
        sentences = [" ".join(str(section.get("text", "")).split())]
        for pointer, sentence in _STATED[key]:
            value: Any = section
            for part in pointer.split("/"):
                value = value.get(part) if isinstance(value, Mapping) else None
            if value not in (None, ""):
                sentences.append(sentence.format(value))
        texts[key] = " ".join(s for s in sentences if s)
    return texts


WORD_HINT = ("writing a Word policy needs the python-docx package, which is not installed: "
             "pip install 'smlint[docx]' (or choose --policy-format markdown or yaml)")


def _word_policy(yaml_text: str) -> bytes:
    """The scaffold's policy as a Word document: a document-control table, a heading and paragraph per
    section, and tables of approved vendors, client states and licences (`smlint.policyword`)."""
    try:
        import docx  # noqa: F401  (checked before anything is written)

    except ImportError:
        raise SmlintError(WORD_HINT) from None
    policy = load_text(yaml_text, "policy.yaml").documents[0].data
    return to_word(policy, prose_texts(policy))


def write_repository(options: InitOptions) -> list[Path]:
    """Write the scaffold; refuse (exit 2, naming the file) if any file exists and `force` is not set.

    With `schemas_only`, (re)write only the schema copies, whatever is there."""
    rendered = render_files(options)
    root = options.directory
    if root.exists() and not root.is_dir():
        raise SmlintError(f"{root}: exists and is not a folder")
    targets = [(root / rel, text) for rel, text in rendered.items()]
    if not options.force and not options.schemas_only:  # the schema copies are smlint's, not the agency's
        for path, _ in targets:
            if path.exists() or path.is_symlink():
                raise SmlintError(f"{path}: already exists; use --force to overwrite the scaffold's files")
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    return [path for path, _ in targets]


def _values(options: InitOptions) -> dict[str, str]:
    year = (options.today or date.today()).year
    org = " ".join((options.organisation or "").split())
    org_value = org or fill_in("legal or trading name of your agency or practice")
    states = options.states
    services = ["in-person", "phone", *(["telehealth"] if states else []), "texting", "email"]
    return {
        "org": _yaml_string(org_value),
        "org_comment": org or "your agency",
        "org_title": org or "Our agency",
        "policy_version": f"{year}.1",
        "covered_entity": "true" if options.covered_entity else "false",
        "services": ", ".join(services),
        "telehealth": _telehealth(states),
        "relies_on": ", ".join([*(["hipaa-privacy-rule", "hipaa-security-rule", "hipaa-breach-rule"]
                                  if options.covered_entity else []), "nasw-code", "tech-standards",
                                *([] if options.covered_entity else ["ftc-health-data-orders"]),
                                *(["part2-2024"] if options.part2_program else [])]),
        "intake_title": "Adult Intake and Consent",
        "minors": AUDIENCE_COMMENT + "audience: [adults]\n",
        "guardian": "",
        **_part2(options.part2_program),
        "payments_agreement": PAYMENTS_BAA if options.covered_entity else PAYMENTS_CONFIDENTIALITY,
        **(COVERED if options.covered_entity else NOT_COVERED),
        "profile": _profile(options),
        "version": __version__,
        "hook_repo": HOOK_REPOSITORY,
    }


# the payment processor's agreement: a covered entity's determination that no BAA is needed; a practice
# outside HIPAA records the processor's terms that bind it to confidentiality (SM325)
PAYMENTS_BAA = (
    "baa:\n"
    "  # `not-required` needs a reason: payment-processing records the agency's own determination that the\n"
    "  # processor only handles its payments (keep the reasoning with your agreement records). If the\n"
    "  # processor also stores other client information, sign a BAA and record it here instead.\n"
    "  status: not-required\n"
    "  reason: payment-processing\n")
PAYMENTS_CONFIDENTIALITY = (
    "confidentiality_agreement:\n"
    "  # outside HIPAA no business associate agreement is needed, but the processor must be bound to keep\n"
    "  # client information confidential: by a signed agreement (status: signed) or by its terms, once read.\n"
    "  status: vendor-terms\n"
    "  document: \"<FILL IN: where the processor's terms you rely on are kept>\"\n")


def _folded(*lines: str) -> str:
    """The lines of a policy section's folded `text:`, indented as the policy template writes them."""
    return "".join(f"      {line}\n" for line in lines)


# What differs between the scaffold of a HIPAA covered entity and that of a practice outside HIPAA
# (`--not-covered-entity`): a covered entity records a BAA with each vendor keeping client data (SM301); a
# practice outside HIPAA needs none, but each vendor must be bound in writing to keep client information
# confidential (SM325, SM326), and its policy does not promise HIPAA's reports to HHS.
COVERED: Mapping[str, str] = {
    "agreement": ("baa:\n"
                  "  status: signed\n"
                  "  signed: \"<FILL IN: date the BAA was signed (YYYY-MM-DD)>\"\n"
                  "  expires: \"<FILL IN: date the BAA ends or must be renewed (YYYY-MM-DD)>\"\n"),
    "video_note": "use a healthcare edition under a BAA",
    "voip_note": ("A VoIP carrier that keeps voicemail or\n"
                  "# call records is a business associate, not a mere conduit: it needs a signed BAA. "
                  "Only a carrier that\n"
                  "# transmits and keeps nothing may be recorded as a conduit (conduit: true, stores: [none],\n"
                  "# baa: {status: not-required, reason: conduit}). A traditional landline is `category: landline`."),
    "voip_video_text": _folded(
        "Calls and video sessions use only the approved platforms below, each under a signed business",
        "associate agreement. Public-facing platforms such as Facebook Live, TikTok and Twitch are never",
        "used. Sessions are not recorded."),
    "baa_required": "    baa_required: true\n",
    "breach_log": ("Every breach is logged; breaches affecting fewer than 500 people are\n"
                   "      reported to HHS within 60 days of the end of the year."),
    "breach_hhs": ("    annual_small_breach_report: true\n"
                   "    log_maintained: true\n"
                   "    hhs_notice_500: true\n"
                   "    media_notice: true\n"),
    "checked_against": "the NASW Code of Ethics, the Technology Standards and HIPAA",
    "vendor_agreement_row": "its business associate agreement (BAA)",
    "explain_rule": "SM301",
}
NOT_COVERED: Mapping[str, str] = {
    "agreement": ("confidentiality_agreement:\n"
                  "  # outside HIPAA no business associate agreement is needed, but the vendor must be bound in\n"
                  "  # writing to keep client information confidential: by a signed confidentiality or "
                  "data-protection\n"
                  "  # agreement (status: signed), or by its terms once you have read them and found that they "
                  "bind it\n"
                  "  # (status: vendor-terms, and name them under document).\n"
                  "  status: signed\n"
                  "  signed: \"<FILL IN: date the confidentiality agreement was signed (YYYY-MM-DD)>\"\n"
                  "  document: \"<FILL IN: where the signed confidentiality agreement is kept>\"\n"),
    "video_note": ("use a healthcare or business\n"
                   "# edition whose vendor is bound in writing to keep sessions confidential"),
    "voip_note": ("A VoIP carrier that keeps voicemail or\n"
                  "# call records holds client information, not a mere conduit: it must be bound in writing "
                  "to keep it\n"
                  "# confidential. Only a carrier that transmits and keeps nothing may be recorded as a conduit\n"
                  "# (conduit: true, stores: [none]). A traditional landline is `category: landline`."),
    "voip_video_text": _folded(
        "Calls and video sessions use only the approved platforms below, each bound in writing to keep",
        "client information confidential. Public-facing platforms such as Facebook Live, TikTok and",
        "Twitch are never used. Sessions are not recorded."),
    "baa_required": "",
    "breach_log": "Every breach is logged.",
    "breach_hhs": "    log_maintained: true\n",
    "checked_against": ("the NASW Code of Ethics, the Technology Standards and the FTC's health-data orders\n"
                        "(the practice is not a HIPAA covered entity: `.smlint.yaml` says `covered_entity: false`, so\n"
                        "the rules whose duty comes only from HIPAA do not run)"),
    "vendor_agreement_row": "the agreement that binds it to keep client information confidential",
    "explain_rule": "SM325",
}


AUDIENCE_COMMENT = ("# Who signs this form as the client: adults, minors, families, couples or groups. On a form for\n"
                    "# minors, SM218 asks for a parent's or guardian's signature (signature.guardian).\n")


def _profile(options: InitOptions) -> str:
    """The configuration's `profile`: what the agency is, which decides the rules that run."""
    traits = (("covered_entity", options.covered_entity), ("part2_program", options.part2_program),
              ("serves_minors", options.serves_minors))
    return ("# What the agency is (docs/configuration.md, Profile). Rules whose duty comes only from HIPAA run\n"
            "# for a covered entity (keep covered_entity as the policy records it); the Part 2 and minors rules\n"
            "# run only when declared.\n"
            "profile:\n" + "".join(f"  {key}: {'true' if on else 'false'}\n" for key, on in traits))


def _part2(part2_program: bool) -> dict[str, str]:
    """The policy section and clauses of a 42 CFR Part 2 program (empty for other agencies)."""
    if not part2_program:
        return {"part2": "", "breach_part2": "", "npp_part2": "", "part2_consent": ""}
    return {
        "part2": ("  # 42 CFR Part 2 (final rule of 16 Feb 2024; compliance required since 16 Feb 2026)\n"
                  "  part2:\n"
                  "    text: >\n"
                  "      Substance-use treatment records are disclosed only with the client's written consent or as\n"
                  "      Part 2 otherwise permits. Each disclosure made with consent is sent with the notice Part 2\n"
                  "      requires. Written policies secure Part 2 records on paper and in every system, and\n"
                  "      substance-use counselling notes are disclosed only with a consent of their own.\n"
                  "    disclosure_notice: true\n"
                  "    records_security: true\n"
                  "    counseling_notes_separate_consent: true\n"),
        "breach_part2": "    covers_part2_records: true\n",
        "npp_part2": "      covers_part2: true\n",
        "part2_consent": ("  part2_consent:\n"
                          "    text: >\n"
                          "      I consent to the disclosure of my substance-use treatment records to the\n"
                          "      recipients named below, for treatment, payment and health care operations,\n"
                          "      until the date below. I may revoke this consent at any time in writing.\n"
                          "    names_recipients: true\n"
                          "    states_purpose: true\n"
                          "    states_expiry: true\n"
                          "    revocation: true\n"
                          "    includes_counseling_notes: false\n"
                          "    signature_required: true\n"),
    }


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _telehealth(states: Sequence[str]) -> str:
    if not states:
        return ("  telehealth:\n"
                "    text: >\n"
                "      Telehealth is not offered. Before it is, this section must list the states where clients\n"
                "      will be during sessions and the licences that cover each one (`smlint init --state`\n"
                "      writes it).\n"
                "    offered: false\n"
                "    verify_client_location: true\n")
    licences = "".join(
        f"      - holder: \"{fill_in(f'name of a clinician licensed in {s}')}\"\n"
        f"        state: {s}\n"
        f"        type: \"{fill_in(f'licence type in {s}, e.g. LCSW')}\"\n"
        f"        number: \"{fill_in(f'licence number in {s}')}\"\n"
        f"        expires: \"{fill_in(f'licence expiry date in {s} (YYYY-MM-DD)')}\"\n"
        for s in states)
    return ("  telehealth:\n"
            "    text: >\n"
            "      Telehealth is offered only to clients located, during the session, in a state listed\n"
            "      below, by clinicians licensed there. Clinicians confirm the client's identity and location\n"
            "      at the start of every session.\n"
            "    offered: true\n"
            "    verify_client_location: true\n"
            f"    client_states: [{', '.join(states)}]\n"
            "    licences:\n" + licences)
