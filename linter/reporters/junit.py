"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One ``<testsuite>`` per checked file, one ``<testcase>`` per file and rule that applies to it (the rules
for the artifact kinds found in the file, and SM000 for every file, since every file must parse).
A testcase fails when the rule has findings there: its ``<failure>`` carries the message (or a count)
and, as text, one ``path:line:col: SMnnn [severity] message`` line per finding.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smlint.model import CheckedFile, Finding, Report, Rule
from smlint.reporters.concise import line

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from smlint.reporters import RenderOptions

PARSE_RULE = "SM000"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _files(report: Report) -> list[CheckedFile]:
    files = {f.path: f for f in report.files}
    for finding in report.findings:
        files.setdefault(finding.path, CheckedFile(finding.path, (finding.kind,) if finding.kind else ()))
    return [files[path] for path in sorted(files)]


def _cases(file: CheckedFile, rules: tuple[Rule, ...], findings: list[Finding]) -> list[tuple[str, str]]:
    """(rule id, rule name) of every testcase for `file`, in rule order."""
    cases = {r.id: r.name for r in rules if r.id == PARSE_RULE or set(r.kinds) & set(file.kinds)}
    for finding in findings:
        cases.setdefault(finding.rule, finding.name)
    return sorted(cases.items())


def _testcase(suite: Element, path: str, rule: str, name: str, failing: list[Finding]) -> None:
    from xml.etree.ElementTree import SubElement

    case = SubElement(suite, "testcase", {"classname": _clean(path), "name": f"{rule} {name}",
                                          "file": _clean(path), "time": "0"})
    if not failing:
        return
    message = failing[0].message if len(failing) == 1 else f"{len(failing)} findings of {rule}"
    worst = max(f.severity for f in failing)
    failure = SubElement(case, "failure", {"message": _clean(message), "type": worst.label})
    failure.text = _clean("\n".join(line(f) for f in failing))


def render(report: Report, options: RenderOptions) -> str:
    from xml.etree.ElementTree import Element, SubElement, indent, tostring

    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.path, []).append(finding)
    root = Element("testsuites", {"name": "smlint"})
    total = failed = 0
    for file in _files(report):
        findings = by_file.get(file.path, [])
        cases = _cases(file, report.rules, findings)
        suite = SubElement(root, "testsuite", {"name": _clean(file.path), "tests": str(len(cases)),
                                               "errors": "0", "skipped": "0", "time": "0"})
        failures = 0
        for rule, name in cases:
            failing = [f for f in findings if f.rule == rule]
            failures += bool(failing)
            _testcase(suite, file.path, rule, name, failing)
        suite.set("failures", str(failures))
        total += len(cases)
        failed += failures
    root.attrib.update(tests=str(total), failures=str(failed), errors="0", skipped="0", time="0")
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
