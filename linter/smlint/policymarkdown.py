"""A YAML policy written out as a Markdown policy (`smlint init --policy-format markdown`, and the tests'
Markdown versions of the example agencies).

The front matter takes the metadata and every fact the clause catalogue does not read (a licence roster,
a training date, whole sections the catalogue has no concepts for); the text takes each ten-tips
section's `text` under a heading, where the clause reader finds the rest. Imported only by those two.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

HEADINGS = {"social_networking": "Social networking", "posting": "Posting and blogging",
            "privacy_settings": "Privacy settings of staff accounts", "client_search": "Searching for clients online",
            "acknowledgement": "Sharing this policy with clients", "client_education": "Client education",
            "electronic_communication": "Electronic communication and security",
            "testimonials": "Testimonials and online reviews", "payments": "Payments", "phones": "Cell phones",
            "texting": "Texting", "voip_video": "Calls and video sessions", "training": "Training",
            "breach_notification": "Breach notification", "contingency": "Contingency", "records": "Records",
            "telehealth": "Telehealth"}


def to_markdown(policy: Mapping[str, Any], note: str = "", texts: Mapping[str, str] | None = None) -> str:
    """The policy as Markdown: `note` (comment lines) heads the front matter; `texts` replaces sections' text."""
    from ruamel.yaml import YAML

    from smlint.clauses import builtin_catalogue

    covered = {c.field for c in builtin_catalogue().concepts}
    front: dict[str, Any] = {}
    body = []
    for key, section in (policy.get("sections") or {}).items():
        if key not in HEADINGS or not isinstance(section, Mapping):
            front[key] = section
            continue
        extra = _uncovered(key, section, covered)
        if extra:
            front[key] = extra
        text = (texts or {}).get(key, " ".join(str(section.get("text", "")).split()))
        body.append(f"## {HEADINGS[key]}\n\n{text}\n")
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 110
    out = io.StringIO()
    yaml.dump({"kind": "policy", **{k: v for k, v in policy.items() if k not in ("kind", "sections")},
               "sections": front}, out)
    title = policy.get("title") or "Social Media and Technology Policy"
    return f"---\n{note}{out.getvalue()}---\n# {title}\n\n" + "\n".join(body)


def _uncovered(key: str, section: Mapping[str, Any], covered: set[str]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for name, value in section.items():
        pointer = f"/sections/{key}/{name}"
        if name == "text" or pointer in covered:
            continue
        if isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if f"{pointer}/{k}" not in covered}
            if not value:
                continue
        extra[name] = value
    return extra
