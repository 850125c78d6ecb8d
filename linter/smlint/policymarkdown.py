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

from smlint.clauses import policy_sections, read
from smlint.placeholders import is_placeholder
from smlint.prose import markdown_blocks

HEADINGS = {"social_networking": "Social networking", "posting": "Posting and blogging",
            "privacy_settings": "Privacy settings of staff accounts", "client_search": "Searching for clients online",
            "acknowledgement": "Sharing this policy with clients", "client_education": "Client education",
            "electronic_communication": "Electronic communication and security",
            "testimonials": "Testimonials and online reviews", "payments": "Payments", "phones": "Cell phones",
            "texting": "Texting", "voip_video": "Calls and video sessions", "training": "Training",
            "breach_notification": "Breach notification", "contingency": "Contingency", "records": "Records",
            "telehealth": "Telehealth", "security_management": "Security management", "devices": "Devices",
            "privacy": "Privacy practices", "part2": "Substance use disorder records (42 CFR Part 2)",
            "tracking": "Tracking technologies on our website"}


def to_markdown(policy: Mapping[str, Any], note: str = "", texts: Mapping[str, str] | None = None) -> str:
    """The policy as Markdown: `note` (comment lines) heads the front matter; `texts` replaces sections' text.
    A field stays in the front matter unless the text below establishes the same value: what the words do
    not say is not lost."""
    from ruamel.yaml import YAML

    sections = {key: section for key, section in (policy.get("sections") or {}).items()}
    body = [f"## {HEADINGS[key]}\n\n{(texts or {}).get(key, ' '.join(str(section.get('text', '')).split()))}\n"
            for key, section in sections.items() if key in HEADINGS and isinstance(section, Mapping)]
    title = policy.get("title") or "Social Media and Technology Policy"
    text = f"# {title}\n\n" + "\n".join(body)
    said = _read(text)
    front: dict[str, Any] = {}
    for key, section in sections.items():
        if key not in HEADINGS or not isinstance(section, Mapping):
            front[key] = section
            continue
        extra = _unsaid(section, said.get(key))
        if extra:
            front[key] = extra
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 110
    out = io.StringIO()
    yaml.dump({"kind": "policy", **{k: v for k, v in policy.items() if k not in ("kind", "sections")},
               "sections": front}, out)
    return f"---\n{note}{out.getvalue()}---\n{text}"


def _read(text: str) -> Mapping[str, Any]:
    """The sections' facts the clause reader finds in a Markdown text."""
    return policy_sections(read(markdown_blocks(text))).sections


def _unsaid(section: Mapping[str, Any], said: Any) -> dict[str, Any]:
    """The fields of a section (without its text) that the text does not establish with the same value. A
    placeholder (`<FILL IN: ...>`) is never said by the text: it stays where SM020 asks for it."""
    said = {k: v for k, v in said.items() if not is_placeholder(section.get(k))} if isinstance(said, Mapping) else {}
    extra: dict[str, Any] = {}
    for name, value in section.items():
        if name == "text":
            continue
        if isinstance(value, Mapping):
            inner = said.get(name) if isinstance(said.get(name), Mapping) else {}
            value = {k: v for k, v in value.items() if is_placeholder(v) or
                     (inner.get(k) != v and not (isinstance(v, str) and isinstance(inner.get(k), str)))}
            if not value:
                continue
        elif said.get(name) == value or (isinstance(value, str) and isinstance(said.get(name), str)):
            continue  # the same value, or a clause or role the text states in its own words
        extra[name] = value
    return extra
