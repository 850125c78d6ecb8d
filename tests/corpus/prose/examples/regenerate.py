"""Writes the example agencies' prose policies from their YAML policies, reproducibly.

    .venv/bin/python tests/corpus/prose/examples/regenerate.py

Each example agency keeps one policy, as agencies do: the compliant agency (Riverbend) keeps it as
Markdown in its repository, the noncompliant agency (Lakeside) as a Word document. The YAML policies here
(`compliant-policy.yaml`, `noncompliant-policy.yaml`) are the same policies as `kind: policy` YAML; the
tests replace each agency's prose policy with its YAML one (and with a Markdown one for Lakeside) and
compare the findings (tests/acceptance/test_prose_policies.py). This script writes:

- examples/compliant/policies/social-media-technology-policy.md: the front matter keeps the metadata and
  every fact the text does not state (lists, rosters, dates of tasks); the text is each section's `text`,
  or the wording below where that `text` leaves facts unsaid;
- examples/noncompliant/policies/technology-policy.docx: a document-control table, one heading and
  paragraph per section, a table of approved vendors, the states telehealth clients may be in and a
  licence roster; its core properties and zip
  entries carry fixed dates, so the same input gives the same bytes;
- noncompliant-policy.md: Lakeside's policy as Markdown, for the tests.

Change the YAML policy (or the wording below), run this, and commit what it writes:
`tests/acceptance/test_prose_policies.py::test_the_committed_prose_policies_are_what_the_script_writes`
fails while they differ.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT))

COMPLIANT_YAML = HERE / "compliant-policy.yaml"
NONCOMPLIANT_YAML = HERE / "noncompliant-policy.yaml"
COMPLIANT_MARKDOWN = Path("examples/compliant/policies/social-media-technology-policy.md")
NONCOMPLIANT_WORD = Path("examples/noncompliant/policies/technology-policy.docx")
NONCOMPLIANT_MARKDOWN = Path("tests/corpus/prose/examples/noncompliant-policy.md")

# Riverbend's wording where its YAML `text` leaves facts of the section unsaid
COMPLIANT_TEXT = {
    "breach_notification": "Affected clients are notified without unreasonable delay and within 60 days of discovery. "
                           "Any unauthorised disclosure is presumed to be a breach unless a documented risk "
                           "assessment shows a low probability that the information was compromised. If 500 or "
                           "more people are affected, HHS is notified at the same time as the clients, and "
                           "prominent media outlets are notified when more than 500 residents of a state are "
                           "affected. Breaches affecting fewer than 500 people are logged and reported to HHS "
                           "within 60 days of year end. Copies of all notices are kept on file. Vendors must tell "
                           "us of a breach within 30 days.",
    "security_management": "The Compliance Officer is the security official. A risk analysis of every system, "
                           "device and vendor holding client information is repeated every 12 months; the last one "
                           "was completed on 2026-11-10, and its risks are reduced to a reasonable level through "
                           "the risk management plan. Access is granted by role. When someone leaves, their "
                           "accounts are disabled within one hour of their departure. Audit logs are reviewed "
                           "monthly. Incidents are reported to the Compliance Officer, contained, investigated "
                           "and logged. The EHR's version history protects records from improper alteration or "
                           "destruction, and an emergency access procedure lets clinicians reach records during "
                           "an outage. Breaking these rules leads to retraining or dismissal. We follow the HHS "
                           "405(d) Health Industry Cybersecurity Practices, adopted in 2024.",
    "privacy": "The Clinical Director is the privacy official and receives complaints. Every new client receives "
               "the Notice of Privacy Practices and is asked to sign that they received it; the notice was last "
               "updated on 2025-12-01. Psychotherapy notes are shared only with the client's written "
               "authorisation. Requests for records are answered within 30 days. Clients may ask to be contacted "
               "another way or at another address, without giving a reason.",
    "tracking": "The website uses no tracking or advertising scripts on the client portal, telehealth or intake "
                "pages, and no health information is shared with advertisers. We have no mobile app. Website "
                "tools are included in the annual risk analysis.",
}

# Lakeside's wording: states what its YAML records (its `text` fields are terse)
NONCOMPLIANT_TEXT = {
    "social_networking": "Clinicians may accept friend requests from clients when they judge it harmless. Former "
                         "clients may be connected with after discharge.",
    "posting": "Do not share client names online.",
    "client_search": "Clinicians may look clients up online when it helps treatment planning; no documented reason "
                     "and no consent are needed.",
    "electronic_communication": "Client information is encrypted when it is sent. Stored records do not need to be "
                                "encrypted. Use strong passwords.",
    "texting": "Clinicians may text clients from their own phones; written consent is not needed.",
    "voip_video": "Sessions happen over Zoom; calls use VoIPly. Public-facing platforms such as Facebook Live are "
                  "never used.",
    "telehealth": "Telehealth is available to all clients.",
    "security_management": "The owner deals with computer security when a problem comes up. Everyone in the "
                           "practice can open every client chart. We follow the NIST Cybersecurity Framework, "
                           "which was adopted on 2025-11-01.",
    "devices": "Clinicians may use their own phones and laptops for client work. Encrypting laptops and phones is "
               "optional.",
    "privacy": "We answer a client's request for their file within 45 days. Clients who want mail sent elsewhere "
               "must explain why.",
    "tracking": "The portal has no tracking.",
}
# The Word policy says in its text what the YAML records as `relies_on` (a telehealth waiver that ended)
WORD_EXTRA = {
    "telehealth": " Video sessions follow the COVID-19 public health emergency flexibilities for telehealth.",
}


def load(path: Path) -> dict[str, Any]:
    from smlint.loader import load_text

    data = load_text(path.read_text(encoding="utf-8"), path.name).documents[0].data
    assert isinstance(data, dict)
    return data


def markdown(policy: Mapping[str, Any], agency: str, texts: Mapping[str, str], kept_as: str) -> str:
    from smlint.policymarkdown import to_markdown

    note = (f"# {policy['organisation']}'s policy ({agency} example agency), written by\n"
            "# tests/corpus/prose/examples/regenerate.py from the same policy as YAML (tests/corpus/prose/examples/).\n"
            f"# {kept_as} Facts under `sections:` are those the text below does not state.\n")
    return to_markdown(policy, note, texts)


def word(policy: Mapping[str, Any], texts: Mapping[str, str], extra: Mapping[str, str] | None = None) -> bytes:
    """The policy as a Word document (`smlint.policyword`, as `smlint init --policy-format docx` writes one)."""
    from smlint.policyword import to_word

    return to_word(policy, texts, extra)


def outputs() -> dict[Path, bytes]:
    """What the script writes, by path from the checkout's root."""
    compliant, noncompliant = load(COMPLIANT_YAML), load(NONCOMPLIANT_YAML)
    return {
        COMPLIANT_MARKDOWN: markdown(compliant, "compliant", COMPLIANT_TEXT,
                                     "The agency keeps its policy as this Markdown file.").encode(),
        NONCOMPLIANT_MARKDOWN: markdown(noncompliant, "noncompliant", NONCOMPLIANT_TEXT,
                                        "The agency keeps its policy as a Word document "
                                        "(examples/noncompliant/policies/technology-policy.docx); "
                                        "this is the same as Markdown.").encode(),
        NONCOMPLIANT_WORD: word(noncompliant, NONCOMPLIANT_TEXT, WORD_EXTRA),
    }


def main() -> None:
    for path, content in outputs().items():
        (ROOT / path).write_bytes(content)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
