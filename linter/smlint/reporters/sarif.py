"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver.rules`` carries every rule's metadata (title, rationale, remediation, help link,
default level, and the citations, tips, kinds and scope under ``properties``). Each result names its
rule by id and index, its level, a 1-based region, and the file as a URI relative to ``%SRCROOT%``
(the working folder, given in ``originalUriBaseIds``). ``partialFingerprints`` come from rule, path and
JSON Pointer, so they survive line shifts. Suppressed findings are results with ``suppressions``:
``inSource`` for inline and file directives, ``external`` for waivers and the baseline.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from smlint import PROJECT_URL, __version__
from smlint.citations import citation_label
from smlint.fingerprint import fingerprints
from smlint.laws import records, status_of
from smlint.model import Finding, Related, Report, Rule, Severity, Suppressed

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = PROJECT_URL
# Rules' help_uri may be relative to the project (docs/rules.md#...); SARIF wants an absolute URI, here
# the documentation of the installed version.
DOCS_BASE_URI = f"{INFORMATION_URI}/blob/v{__version__}/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "smlintFingerprint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
IN_SOURCE = frozenset({"inline", "file"})


def help_uri(rule: Rule) -> str | None:
    """The rule's documentation as an absolute URI; None for a custom rule that gives none."""
    uri = rule.help_uri
    if not uri:
        return None
    return uri if "://" in uri else DOCS_BASE_URI + uri.lstrip("/")


def _help_markdown(rule: Rule) -> str:
    parts = [f"**{rule.title}**", "", rule.rationale.strip(), "", "**How to fix:** " + rule.remediation.strip()]
    cited = [f"- {citation_label(k)}: {', '.join(v)}" for k, v in rule.citations.items() if v]
    if cited:
        parts += ["", "**Citations:**", *cited]
    return "\n".join(parts)


def descriptor(rule: Rule) -> dict[str, Any]:
    uri = help_uri(rule)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale.strip() or rule.title},
        "help": {"text": rule.remediation.strip() or rule.title, "markdown": _help_markdown(rule)},
        **({"helpUri": uri} if uri else {}),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": sorted({*rule.kinds, *(k for k, v in rule.citations.items() if v)}),
            "citations": {k: list(v) for k, v in rule.citations.items()},
            "tips": list(rule.tips),
            "kinds": list(rule.kinds),
            "scope": rule.scope,
            "laws": records(rule.laws),
            "lawStatus": status_of(rule.laws),
        },
    }


def _bare_descriptor(finding: Finding) -> dict[str, Any]:
    """For a finding whose rule the report does not describe (it should not happen, but stay valid)."""
    return {"id": finding.rule, "name": finding.name, "shortDescription": {"text": finding.name},
            "defaultConfiguration": {"level": LEVELS[finding.severity]}}


def artifact_location(path: str) -> dict[str, Any]:
    posix = PurePosixPath(path)
    if posix.is_absolute() or Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(posix.as_posix()), "uriBaseId": SRCROOT}


def region(finding: Finding) -> dict[str, int]:
    result = {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}
    end = (finding.end_line, finding.end_column)
    if end > (result["startLine"], result["startColumn"]):
        result.update(endLine=finding.end_line, endColumn=max(finding.end_column, 1))
    return result


def suppression(record: Suppressed) -> dict[str, Any]:
    properties = {k: v for k, v in (("how", record.how), ("source", record.source), ("until", record.until),
                                    ("owner", record.owner)) if v}
    return {
        "kind": "inSource" if record.how in IN_SOURCE else "external",
        "status": "accepted",
        "justification": record.reason,
        "properties": properties,
    }


def _result(finding: Finding, index: int, fingerprint: str, suppressed: Suppressed | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(finding.path),
                                            "region": region(finding)}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"name": finding.name, "kind": finding.kind, "pointer": finding.pointer},
    }
    if finding.related:
        result["relatedLocations"] = [related_location(i, r) for i, r in enumerate(finding.related)]
    if suppressed is not None:
        result["suppressions"] = [suppression(suppressed)]
    return result


def related_location(index: int, related: Related) -> dict[str, Any]:
    """Another place the finding is about (the other artifact a cross-artifact rule joined, or the export a
    vendor's fact came from), as a SARIF related location."""
    return {"id": index,
            "physicalLocation": {"artifactLocation": artifact_location(related.path),
                                 "region": {"startLine": max(related.line, 1), "startColumn": max(related.column, 1)}},
            "message": {"text": f"see also {related.path}"},
            "properties": {"pointer": related.pointer}}


def as_dict(report: Report, root: str) -> dict[str, Any]:
    rules = [descriptor(r) for r in report.rules]
    index = {r.id: i for i, r in enumerate(report.rules)}
    entries: list[tuple[Finding, Suppressed | None]] = [(f, None) for f in report.findings]
    entries += [(s.finding, s) for s in report.suppressed]
    for finding, _ in entries:
        if finding.rule not in index:
            index[finding.rule] = len(rules)
            rules.append(_bare_descriptor(finding))
    prints = fingerprints([f for f, _ in entries])
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "smlint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], fp, s) for (f, s), fp in zip(entries, prints, strict=True)],
    }
    if root:
        uri = Path(root).as_uri()  # a folder's URI ends with "/" (only the root's, "file:///", does already)
        run["originalUriBaseIds"] = {SRCROOT: {"uri": uri if uri.endswith("/") else uri + "/"}}
    if report.today:
        run["properties"] = {"today": report.today}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(as_dict(report, options.root), indent=2, ensure_ascii=False) + "\n"
