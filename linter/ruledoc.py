"""Human descriptions of rules: the `rules` listing and `explain`."""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from smlint.model import Example, Rule

CITATION_LABELS = {
    "nasw_code": "NASW Code of Ethics (2017)",
    "tech_standards": "NASW/ASWB/CSWE/CSWA Technology Standards (2017)",
    "hipaa": "HIPAA, 45 CFR",
    "other": "Other",
}


def rules_text(rules: Iterable[Rule]) -> str:
    rows = [f"{r.id:<7} {r.severity.label:<8} {r.name:<44} {r.title}" for r in rules]
    return "\n".join(rows) + "\n"


def rules_json(rules: Iterable[Rule]) -> str:
    return json.dumps([r.metadata() for r in rules], indent=2, ensure_ascii=False) + "\n"


def citation_lines(citations: Mapping[str, Iterable[str]]) -> list[str]:
    return [f"{CITATION_LABELS.get(k, k)}: {', '.join(v)}" for k, v in citations.items()]


def dump_yaml(data: Any) -> str:
    from ruamel.yaml import YAML

    yaml: Any = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def example_text(example: Example) -> str:
    if example.source is not None:
        body = example.source
    elif len(example.documents) == 1:
        body = dump_yaml(example.documents[0])
    else:
        body = "---\n".join(dump_yaml(d) for d in example.documents)
    header = f"# judged on {example.today}\n" if example.today else ""
    note = f"# {example.note}\n" if example.note else ""
    return note + header + body


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=96, initial_indent="  ", subsequent_indent="  ")


def explain_text(rule: Rule) -> str:
    parts = [
        f"{rule.id} {rule.name} [{rule.severity.label}]",
        rule.title,
        "",
        f"Applies to: {', '.join(rule.kinds)} ({rule.scope} scope)",
        f"Tips: {', '.join(str(t) for t in rule.tips) or '-'}",
        "",
        "Why it matters:",
        _wrap(rule.rationale),
        "",
        "How to fix:",
        _wrap(rule.remediation),
        "",
        "Citations:",
        *[f"  {line}" for line in citation_lines(rule.citations)],
        "",
        f"More: {rule.help_uri}",
    ]
    if rule.fail_examples:
        parts += ["", "Failing example:", textwrap.indent(example_text(rule.fail_examples[0]).rstrip(), "    ")]
    if rule.pass_examples:
        parts += ["", "Passing example:", textwrap.indent(example_text(rule.pass_examples[0]).rstrip(), "    ")]
    return "\n".join(parts) + "\n"
