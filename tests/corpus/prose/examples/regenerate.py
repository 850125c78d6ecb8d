"""Rewrites compliant-policy.md and noncompliant-policy.md from the example agencies' YAML policies.

    .venv/bin/python tests/corpus/prose/examples/regenerate.py

The front matter takes the metadata and every fact the clause catalogue does not read; the text takes each
ten-tips section's `text` (for the noncompliant agency, wording that states what its YAML records, since
its `text` fields are terse). Run it after changing an example policy; the test
`test_the_example_agencies_with_a_markdown_policy_give_the_same_findings` then shows what the text must say.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

HEADINGS = {"social_networking": "Social networking", "posting": "Posting and blogging",
            "privacy_settings": "Privacy settings of staff accounts", "client_search": "Searching for clients online",
            "acknowledgement": "Sharing this policy with clients", "client_education": "Client education",
            "electronic_communication": "Electronic communication and security",
            "testimonials": "Testimonials and online reviews", "payments": "Payments", "phones": "Cell phones",
            "texting": "Texting", "voip_video": "Calls and video sessions", "training": "Training",
            "breach_notification": "Breach notification", "contingency": "Contingency", "records": "Records",
            "telehealth": "Telehealth"}
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
    from ruamel.yaml import YAML

    from smlint.clauses import builtin_catalogue
    from smlint.loader import load_text

    data = load_text(policy.read_text(encoding="utf-8"), "p.yaml").documents[0].data
    covered = {c.field for c in builtin_catalogue().concepts}
    front: dict[str, Any] = {}
    body = []
    for key, section in data["sections"].items():
        if key not in HEADINGS:
            front[key] = section
            continue
        extra = {}
        for name, value in section.items():
            pointer = f"/sections/{key}/{name}"
            if name == "text" or pointer in covered:
                continue
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if f"{pointer}/{k}" not in covered}
                if not value:
                    continue
            extra[name] = value
        if extra:
            front[key] = extra
        body.append(f"## {HEADINGS[key]}\n\n{texts.get(key, ' '.join(section['text'].split()))}\n")
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 110
    out = io.StringIO()
    yaml.dump({"kind": "policy", **{k: v for k, v in data.items() if k not in ("kind", "sections")},
               "sections": front}, out)
    note = (f"# The {agency} agency's policy (examples/{agency}/policies) written as Markdown: the metadata and the\n"
            "# facts prose does not express are here, the rest is read from the text below. tests/acceptance/\n"
            "# test_prose_policies.py checks that the agency gives the same findings with this file as with its YAML.\n")
    title = data.get("title", "Policy")
    return f"---\n{note}{out.getvalue()}---\n# {title}\n\n" + "\n".join(body)


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
