"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One ``<testsuite>`` per checked file. For each rule that applies to the file (the rules for the artifact
kinds found in it, and SM000 for every file, since every file must parse) there is one passing
``<testcase>`` named after the rule when it has no finding there, else one testcase per finding, named
after the rule and the finding's line and column. A finding at or above the fail threshold (`--fail-on`)
is a ``<failure>``; one below it (a warning under the default threshold, an info) does not fail the run,
so it is ``<skipped>`` with its message, as GitLab and Jenkins show a skipped test: the test views then
count exactly the failures that make the exit code 1. Each finding's testcase also carries its
``path:line:col: SMnnn [severity] message`` line as ``<system-out>``.

Only the rules that ran on the file are listed as tests: a rule that `--select`, `--ignore`, the configuration
or a per-file ignore left out, or whose law is not in force (a proposed rule-making not selected), is not
listed at all, as a deselected test is not. A rule the selectors chose but the configuration's profile says
does not apply (a HIPAA-only rule for a practice whose profile says `covered_entity: false`) is one
``<skipped>`` testcase saying why, so that no dashboard counts it as a check that passed; a rule kept off only
by a trait's default (the Part 2 rules, when the profile does not mention `part2_program`) is left out.

A finding an inline directive, a waiver or the baseline kept out of the results is one ``<skipped>``
testcase saying how and why (the suppression's reason, as every report shows it), not a passed rule.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from smlint.model import CheckedFile, Finding, Report, Rule, Severity, Suppressed
from smlint.reporters.concise import line
from smlint.toolrules import PARSE_RULE

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from smlint.reporters import RenderOptions

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _files(report: Report) -> list[CheckedFile]:
    files = {f.path: f for f in report.files}
    for finding in report.findings:
        files.setdefault(finding.path, CheckedFile(finding.path, (finding.kind,) if finding.kind else ()))
    return [files[path] for path in sorted(files)]


def _cases(file: CheckedFile, rules: tuple[Rule, ...], findings: list[Finding]) -> list[tuple[str, str, str]]:
    """(rule id, rule name, why it does not apply or '') of every rule for `file`'s kinds that ran on it or
    that its agency's profile switched off, and of every rule with a finding there (kept or suppressed), in
    rule order."""
    scope = file.scope
    cases: dict[str, tuple[str, str]] = {}
    for rule in rules:
        if rule.id != PARSE_RULE and not set(rule.kinds) & set(file.kinds):
            continue
        if scope is None or rule.id in scope.ran:
            cases[rule.id] = (rule.name, "")
        elif rule.id in scope.not_applicable:
            cases[rule.id] = (rule.name, scope.not_applicable[rule.id])
    for finding in findings:
        cases[finding.rule] = (finding.name, "")
    return [(rule_id, name, why) for rule_id, (name, why) in sorted(cases.items())]


def _testcase(suite: Element, path: str, name: str) -> Element:
    return SubElement(suite, "testcase", {"classname": _clean(path), "name": _clean(name), "file": _clean(path),
                                          "time": "0"})


def _finding_case(suite: Element, path: str, name: str, finding: Finding, fail_on: Severity) -> bool:
    """The testcase of one finding; True when it is a failure."""
    case = _testcase(suite, path, f"{finding.rule} {name} (line {finding.line}, column {finding.column})")
    failing = finding.severity >= fail_on
    if failing:
        SubElement(case, "failure", {"message": _clean(finding.message), "type": finding.severity.label})
    else:
        below = f"{finding.severity.label}, below the fail threshold ({fail_on.label}): {finding.message}"
        SubElement(case, "skipped", {"message": _clean(below)})
    SubElement(case, "system-out").text = _clean(line(finding))
    return failing


def _suppressed_case(suite: Element, path: str, name: str, record: Suppressed) -> None:
    finding = record.finding
    case = _testcase(suite, path, f"{finding.rule} {name} (line {finding.line}, column {finding.column})")
    why = f"suppressed ({HOW.get(record.how, record.how)}): {record.reason}"
    SubElement(case, "skipped", {"message": _clean(why)})
    SubElement(case, "system-out").text = _clean(line(finding))


# how a suppression is named in a skipped testcase (`Suppressed.how`)
HOW = {"inline": "inline directive", "file": "disable-file directive", "waiver": "waiver", "baseline": "baseline"}


def render(report: Report, options: RenderOptions) -> str:
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.path, []).append(finding)
    hidden_by_file: dict[str, list[Suppressed]] = {}
    for record in report.suppressed:
        hidden_by_file.setdefault(record.finding.path, []).append(record)
    root = Element("testsuites", {"name": "smlint"})
    total = {"tests": 0, "failures": 0, "skipped": 0}
    for file in _files(report):
        findings = by_file.get(file.path, [])
        hidden = hidden_by_file.get(file.path, [])
        suite = SubElement(root, "testsuite", {"name": _clean(file.path)})
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for rule, name, why in _cases(file, report.rules, [*findings, *(record.finding for record in hidden)]):
            found = [f for f in findings if f.rule == rule]
            suppressed = [record for record in hidden if record.finding.rule == rule]
            if why:
                case = _testcase(suite, file.path, f"{rule} {name}")
                SubElement(case, "skipped", {"message": _clean(f"does not apply to this agency: {why}")})
                counts["skipped"] += 1
            elif not found and not suppressed:
                _testcase(suite, file.path, f"{rule} {name}")
            for finding in found:
                failed = _finding_case(suite, file.path, name, finding, options.fail_on)
                counts["failures" if failed else "skipped"] += 1
            for record in suppressed:
                _suppressed_case(suite, file.path, name, record)
            counts["skipped"] += len(suppressed)
            counts["tests"] += max(1, len(found) + len(suppressed))
        suite.attrib.update({k: str(v) for k, v in counts.items()}, errors="0", time="0")
        total = {k: total[k] + counts[k] for k in total}
    root.attrib.update({k: str(v) for k, v in total.items()}, errors="0", time="0")
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
