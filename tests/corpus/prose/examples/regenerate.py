"""Rewrites compliant-policy.md and noncompliant-policy.md from the example agencies' YAML policies.

    .venv/bin/python tests/corpus/prose/examples/regenerate.py

The front matter takes the metadata and every fact the clause catalogue does not read; the text takes each
ten-tips section's `text` (for the noncompliant agency, wording that states what its YAML records, since
its `text` fields are terse). Run it after changing an example policy; the test
`test_the_example_agencies_with_a_markdown_policy_give_the_same_findings` then shows what the text must say.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

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
}


def markdown(policy: Path, agency: str, texts: dict[str, str]) -> str:
    from smlint.loader import load_text
    from smlint.policymarkdown import to_markdown

    data = load_text(policy.read_text(encoding="utf-8"), "p.yaml").documents[0].data
    note = (f"# The {agency} agency's policy (examples/{agency}/policies) written as Markdown: the metadata and the\n"
            "# facts prose does not express are here, the rest is read from the text below. tests/acceptance/\n"
            "# test_prose_policies.py checks that the agency gives the same findings with this file as with its YAML.\n")
    return to_markdown(data, note, texts)


def main() -> None:
    here = Path(__file__).resolve().parent
    examples = ROOT / "examples"
    (here / "compliant-policy.md").write_text(markdown(
        examples / "compliant/policies/social-media-technology-policy.yaml", "compliant", {}), encoding="utf-8")
    (here / "noncompliant-policy.md").write_text(markdown(
        examples / "noncompliant/policies/technology-policy.yaml", "noncompliant", NONCOMPLIANT_TEXT),
        encoding="utf-8")


if __name__ == "__main__":
    main()
    print("wrote compliant-policy.md and noncompliant-policy.md")
