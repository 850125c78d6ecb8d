"""Human descriptions of rules: the `rules` listing (text, JSON, Markdown) and `explain`."""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from smlint.citations import citation_lines
from smlint.laws import get, records, status_of
from smlint.model import Example, Rule
from smlint.profile import runs_only
from smlint.resources import data_dir


def rules_text(rules: Iterable[Rule]) -> str:
    rows = [f"{r.id:<7} {r.severity.label:<8} {r.name:<44} {r.title}" for r in rules]
    return "\n".join(rows) + "\n"


def rules_json(rules: Iterable[Rule]) -> str:
    return json.dumps([metadata(r) for r in rules], indent=2, ensure_ascii=False) + "\n"


def metadata(rule: Rule) -> dict[str, Any]:
    """The public description of a rule (``smlint rules --format json``)."""
    return {
        "id": rule.id,
        "name": rule.name,
        "title": rule.title,
        "problem": rule.heading,
        "severity": rule.severity.label,
        "kinds": list(rule.kinds),
        "scope": rule.scope,
        "tips": list(rule.tips),
        "citations": {k: list(v) for k, v in rule.citations.items()},
        "rationale": rule.rationale,
        "remediation": rule.remediation,
        "help_uri": rule.help_uri,
        "check": rule.check.get("type", ""),
        "unknown": rule.unknown,
        "builtin": rule.builtin,
        "laws": records(rule.laws),
        "status": status_of(rule.laws),
        "profile": list(rule.profile),
    }


def law_lines(rule: Rule) -> list[str]:
    """What the rule relies on, each law with its status, and whether the rule runs by default."""
    if not rule.laws:
        return ["no law or guidance: the rule checks the files themselves, or cites only other sources"]
    lines = []
    for law_id in rule.laws:
        law = get(law_id)
        if law is not None:
            dates = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in law.dates)
            lines.append(f"{law.name} [{law_id}]: {law.status}" + (f" ({dates})" if dates else ""))
    status = status_of(rule.laws)
    if status == "proposed":
        proposed = next((law for law in rule.laws if get(law) and get(law).status == "proposed"),  # type: ignore[union-attr]
                        "")
        lines.append(f"Off by default: the rule checks a proposed rule-making; run it with --law {proposed}.")
    elif status in ("vacated", "superseded"):
        ended = next(law for law in (get(law_id) for law_id in rule.laws) if law is not None and law.status == status)
        why = f" {ended.summary}" if ended.summary else ""
        lines.append(f"Never runs and cannot be selected: it relies on {ended.id}, which is {status}.{why}")
    if rule.profile:
        lines.append(runs_only(rule.profile))
    return lines


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
    if example.filename.endswith((".md", ".markdown")):  # a Markdown policy: '#' would start a heading
        header = f"<!-- judged on {example.today} -->\n" if example.today else ""
        note = f"<!-- {example.note} -->\n" if example.note else ""
        return note + header + body
    header = f"# judged on {example.today}\n" if example.today else ""
    note = f"# {example.note}\n" if example.note else ""
    return note + header + body


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=96, initial_indent="  ", subsequent_indent="  ")


def explain_text(rule: Rule) -> str:
    parts = [
        f"{rule.id} {rule.name} [{rule.severity.label}]",
        rule.title,
        f"Reported as: {rule.heading}",
        "",
        f"Applies to: {', '.join(rule.kinds)} ({rule.scope} scope)",
        f"Tips: {', '.join(str(t) for t in rule.tips) or '-'}",
        f"When a fact it reads is not recorded: {UNKNOWN_HANDLING[rule.unknown]}",
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
        "Relies on:",
        *[f"  {line}" for line in law_lines(rule)],
        "",
        *_more(rule),
    ]
    if rule.fail_examples:
        parts += ["", "Failing example:", textwrap.indent(example_text(rule.fail_examples[0]).rstrip(), "    ")]
    if rule.pass_examples:
        parts += ["", "Passing example:", textwrap.indent(example_text(rule.pass_examples[0]).rstrip(), "    ")]
    return "\n".join(parts) + "\n"


def _more(rule: Rule) -> list[str]:
    """Where to read on, naming only what exists where smlint is installed: the rule's own file (shipped
    with smlint), and the command that prints the whole catalogue (docs/rules.md is in the source only)."""
    if rule.builtin:
        return [f"Rule file: {rule.source}",
                "All rules: `smlint rules --format markdown` prints the catalogue (docs/rules.md in smlint's source)."]
    more = f"More: {rule.help_uri}" if rule.help_uri else "More: (this custom rule gives no link)"
    return [f"Rule file: {rule.source}", more]

UNKNOWN_HANDLING: Mapping[str, str] = {
    "report": "report (no finding of this rule; the artifact's SM030 warning asks for the fact)",
    "ignore": "ignore (no finding until the fact is recorded)",
    "violation": "violation (a missing value is reported under this rule, as the test is written)",
    "n/a": "n/a (this check reads no such fact: a missing value is its finding, or is not checked)",
}
"""What `smlint explain` says of each `unknown:` handling (rule files, `Rule.unknown`)."""

TIPS: Mapping[int, str] = {
    1: "Do not friend clients",
    2: "Do not post about clients, colleagues or work",
    3: "Manage privacy and location settings",
    4: "Do not search for clients online",
    5: "Write, explain, review and update the policy",
    6: "Help clients protect their own confidentiality",
    7: "Protect electronic communication and records",
    8: "Be careful with testimonials and online reviews",
    9: "Be cautious with electronic payments",
    10: "Be cautious with phones, texting, VoIP and video",
}
"""Short paraphrased titles of the ten tips of the seed article, used to group docs/rules.md."""

TOOL_GROUP = "smlint itself"
REGENERATE = "smlint rules --format markdown > docs/rules.md"


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def rule_heading(rule: Rule) -> str:
    return f"{rule.id} {rule.name}"


def tip_heading(tip: int) -> str:
    return f"Tip {tip}: {TIPS.get(tip, 'Other')}"


def _groups(rules: Sequence[Rule]) -> list[tuple[str, list[Rule], list[Rule]]]:
    """(heading, rules documented here, rules documented under another tip) per tip, then tool rules."""
    tips = sorted({t for r in rules for t in r.tips})
    groups = [(tip_heading(t), [r for r in rules if r.tips and r.tips[0] == t],
               [r for r in rules if t in r.tips[1:]]) for t in tips]
    untipped = [r for r in rules if not r.tips]
    if untipped:
        groups.append((TOOL_GROUP, untipped, []))
    return groups


def _link(rule: Rule) -> str:
    return f"[{rule.id}](#{slug(rule_heading(rule))})"


def _example_block(label: str, example: Example) -> list[str]:
    fence = "```markdown" if example.filename.endswith((".md", ".markdown")) else "```yaml"
    return [f"{label}:", "", fence, example_text(example).rstrip(), "```", ""]


def rule_markdown(rule: Rule) -> list[str]:
    tips = ", ".join(f"[{t}](#{slug(tip_heading(t))})" for t in rule.tips) or "none"
    lines = [
        f"### {rule_heading(rule)}",
        "",
        f"**{rule.title}**",
        "",
        f"Reported as: *{rule.heading}*",
        "",
        f"Severity: {rule.severity.label} · applies to: {', '.join(rule.kinds)} ({rule.scope} scope) · tips: {tips}",
        "",
        f"**Why it matters.** {rule.rationale}",
        "",
        f"**How to fix.** {rule.remediation}",
        "",
        f"**Message:** {rule.message}",
        "",
        f"**When a fact it reads is not recorded:** {UNKNOWN_HANDLING[rule.unknown]}",
        "",
        "**Citations:**",
        "",
        *[f"- {line}" for line in citation_lines(rule.citations)],
        "",
        f"**Relies on** (status {status_of(rule.laws)}):",
        "",
        *[f"- {line}" for line in law_lines(rule)],
        "",
    ]
    if rule.fail_examples:
        lines += _example_block("Fails", rule.fail_examples[0])
    if rule.pass_examples:
        lines += _example_block("Passes", rule.pass_examples[0])
    return lines


def rules_markdown(rules: Iterable[Rule]) -> str:
    """docs/rules.md: every rule, grouped by the first tip it serves, with cross-references."""
    ordered = list(rules)
    groups = _groups(ordered)
    lines = [
        "# smlint rules",
        "",
        "<!-- Generated from the rule files in rules/. Do not edit by hand; regenerate with:",
        f"     {REGENERATE} -->",
        "",
        f"{len(ordered)} rules, grouped by the tip of *10 Tips for Social Workers using Social Media and "
        "Technology* they serve first. A rule that serves several tips is described under its first tip "
        "and listed under the others. Each rule's own file under `rules/` holds the same text, its check "
        "and all its examples; `smlint explain RULE` prints it.",
        "",
        "Citations: NASW Code of Ethics (2017 revision); NASW/ASWB/CSWE/CSWA Standards for Technology in "
        "Social Work Practice (2017); HIPAA, 45 CFR parts 160 and 164, with HHS guidance. Where a "
        "standard's letter could not be verified, the section is cited.",
        "",
        "## Contents",
        "",
        *[f"- [{heading}](#{slug(heading)}) ({len(own) + len(also)})" for heading, own, also in groups],
        "",
        "| Rule | Severity | Applies to | Tips | Title |",
        "|---|---|---|---|---|",
        *[f"| {_link(r)} {r.name} | {r.severity.label} | {', '.join(r.kinds)} | "
          f"{', '.join(str(t) for t in r.tips) or '-'} | {r.title} |" for r in ordered],
        "",
    ]
    for heading, own, also in groups:
        lines += [f"## {heading}", ""]
        if also:
            lines += ["Also serving this tip: " + ", ".join(f"{_link(r)} {r.name}" for r in also) + ".", ""]
        for rule in own:
            lines += rule_markdown(rule)
    if any(rule.builtin for rule in ordered):
        lines += coverage_markdown(ordered)
    return "\n".join(lines).rstrip("\n") + "\n"


# -- coverage ----------------------------------------------------------------------------------------

COVERAGE_FILE = "coverage.json"


def coverage_rows() -> list[tuple[str, list[dict[str, str]]]]:
    """The groups and rows of `rules/coverage.json`: each duty of sources.md the table accounts for."""
    data = json.loads((data_dir("rules") / COVERAGE_FILE).read_text(encoding="utf-8"))
    return [(group["title"], list(group["rows"])) for group in data["groups"]]


def cites_match(row_cite: str, citation: str) -> bool:
    """A HIPAA section matches itself and its subsections (164.404 matches 164.404(b)); other text matches a
    citation that contains it."""
    if re.match(r"^\d{3}\.\d{3}", row_cite):
        return citation == row_cite or citation.startswith(row_cite + "(")
    return row_cite.lower() in citation.lower()


def rules_for(row_cite: str, rules: Iterable[Rule]) -> list[Rule]:
    return [rule for rule in rules if any(cites_match(row_cite, c) for cs in rule.citations.values() for c in cs)]


def coverage_markdown(rules: Sequence[Rule]) -> list[str]:
    """The coverage table: every duty of sources.md listed in rules/coverage.json and every tip, with the rules
    that check it, or why none does."""
    lines = ["## Coverage", "",
             "Which rules check each duty of the standards smlint cites (from `rules/coverage.json`; a HIPAA section "
             "row also counts rules citing its subsections). A duty no rule checks says why.", ""]
    for title, rows in coverage_rows():
        lines += [f"### {title}", "", "| Citation | Duty | Rules |", "|---|---|---|"]
        for row in rows:
            found = rules_for(row["cite"], rules)
            checked = ", ".join(_link(r) for r in found) or f"not checked: {row.get('not_checked', '')}"
            lines.append(f"| {row['cite']} | {row['duty']} | {checked} |")
        lines.append("")
    lines += ["### The ten tips", "", "| Tip | Rules |", "|---|---|"]
    for tip in range(1, 11):
        found = [r for r in rules if tip in r.tips]
        lines.append(f"| {tip_heading(tip)} | {', '.join(_link(r) for r in found)} |")
    return [*lines, ""]
