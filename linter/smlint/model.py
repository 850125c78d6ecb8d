"""Records that flow through the pipeline. All frozen: nothing mutates a finding after it is made."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smlint.records import record


class Severity(enum.IntEnum):
    """Ordered so that ``finding.severity >= threshold`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use error, warning or info") from None


@record
class Span:
    """A 1-based region of a file: start line and column, end line and column (end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)  # slots: a large run holds tens of thousands (docs/performance.md)
class Related:
    """Another place a finding is about: the other artifact a cross-artifact rule joined (a vendor whose
    fact contradicts the policy), or the export a vendor's fact came from."""

    path: str
    line: int
    column: int
    pointer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column, "pointer": self.pointer}


@dataclass(frozen=True, slots=True)  # slots: a large run holds every finding until the report is written
class Finding:
    rule: str
    name: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    kind: str = ""
    pointer: str = ""
    source: str = ""  # redacted source lines, only with --show-source (smlint.snippets)
    related: tuple[Related, ...] = ()  # other places the finding is about (other artifacts, exports)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.pointer)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "kind": self.kind,
            "pointer": self.pointer,
            **({"source": self.source} if self.source else {}),
            **({"related": [r.to_dict() for r in self.related]} if self.related else {}),
        }


@record
class Example:
    """A rule's own example: the documents it runs on and the date it judges them on."""

    documents: tuple[Mapping[str, Any], ...] = ()
    source: str | None = None
    today: str | None = None
    note: str = ""
    filename: str = "example.yaml"  # what `source` is read as: a Markdown policy example names a .md file


@record
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    kinds: tuple[str, ...]
    scope: str
    tips: tuple[int, ...]
    citations: Mapping[str, tuple[str, ...]]
    rationale: str
    remediation: str
    help_uri: str
    check: Mapping[str, Any]
    message: str
    messages: Mapping[str, str] = field(default_factory=dict)
    pass_examples: tuple[Example, ...] = ()
    fail_examples: tuple[Example, ...] = ()
    source: str = ""
    builtin: bool = True
    laws: tuple[str, ...] = ()  # ids in rules/laws.json (smlint.laws); named by the rule or implied by its citations
    profile: tuple[str, ...] = ()  # the configuration's profile must declare each of these for the rule to run
    problem: str = ""

    # the check's parameters as its declared dataclass (`smlint.checks`), read and vetted when the rule loaded;
    # `check` above keeps the rule file's mapping (metadata, cache keys). `when`: the rule's condition on a
    # document, which the engine tests before running an artifact check (None: every document of its kinds)
    params: Any = None
    when: Callable[[Any], bool] | None = field(default=None, compare=False)

    # what the rule does with a fact the files do not record (checks that judge facts, see
    # checks.conditions.judge): "report" (ask for it in the artifact's SM030 finding), "ignore", or
    # "violation" (report it under this rule, reading the missing value as the test is written); "n/a" for
    # checks that read no fact three-valued (a missing value is their finding, as for `required`, or unchecked)
    unknown: str = "report"

    @property
    def heading(self) -> str:
        """The rule worded as the problem its findings report (reports' headings); the title if none."""
        return self.problem or self.title


@record
class Suppressed:
    """A finding that an inline directive, a waiver or the baseline kept out of the results.

    `how` is ``inline``, ``file`` (a disable-file directive), ``waiver`` or ``baseline``; `source` says
    where the suppression is written (``path:line`` or the waivers file).
    """

    finding: Finding
    how: str
    reason: str
    source: str
    until: str | None = None
    owner: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.finding.to_dict(),
            "suppression": {"how": self.how, "reason": self.reason, "source": self.source,
                            "until": self.until, "owner": self.owner},
        }


@record
class RuleScope:
    """Which rules ran on a file: those selected (configuration, --select/--ignore, the laws' status) less its
    per-file ignores; and those the selectors chose that the configuration's profile says do not apply to the
    agency, with why (`Profile.says_not`). One object is shared by the files that ran the same rules."""

    ran: frozenset[str]
    not_applicable: Mapping[str, str] = field(default_factory=dict)


@record
class CheckedFile:
    """A file the run checked, as displayed in findings, and the artifact kinds found in it; `scope`, the
    rules that ran on it (None: every rule of the report did, as for a report built by hand)."""

    path: str
    kinds: tuple[str, ...] = ()
    scope: RuleScope | None = None


@record
class Artifact:
    """One document that was checked: its file, kind and the name it gives itself (a policy's
    organisation, a vendor's name, a form's title), so that reports can say what they looked at."""

    path: str
    kind: str
    name: str = ""


@record
class Deadline:
    """A date that a deadline rule watches, falling due within the report's look-ahead (or overdue:
    `days_left` is then negative)."""

    rule: str
    title: str
    path: str
    line: int
    column: int
    field: str
    due: str
    days_left: int
    kind: str = ""
    message: str = ""  # the rule's own message for the date's state (expired, overdue, due soon), redacted


@record
class Report:
    findings: tuple[Finding, ...]
    files_checked: int
    rules: tuple[Rule, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    today: str = ""
    files: tuple[CheckedFile, ...] = ()
    artifacts: tuple[Artifact, ...] = ()
    deadlines: tuple[Deadline, ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> dict[str, int]:
        return {
            "files": self.files_checked,
            "findings": len(self.findings),
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "suppressed": len(self.suppressed),
        }
