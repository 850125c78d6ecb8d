"""What the board-level reports (HTML and Markdown) show, computed once from a `Report`.

No formatting here: the ten-tips matrix, findings grouped by artifact and rule, and the headline
counts. The HTML and Markdown reporters only lay these out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from smlint.kinds import label
from smlint.model import Finding, Report, Rule, RuleScope, Severity
from smlint.records import record
from smlint.toolrules import PLACEHOLDER_RULE

# The ten tips, in our own short words (see docs/getting-started.md). 0 gathers rules tied to no tip.
TIPS: dict[int, str] = {
    1: "Do not friend or follow clients",
    2: "Do not post about clients, colleagues or work",
    3: "Manage privacy and location settings",
    4: "Do not search for clients online without cause",
    5: "Keep a written technology policy, reviewed and acknowledged",
    6: "Help clients protect their own confidentiality",
    7: "Secure electronic communication and records",
    8: "Be careful with testimonials and online reviews",
    9: "Be cautious with electronic payments",
    10: "Be careful with phones, texting and internet calls",
    0: "Files can be read; fields complete; decisions filled in",
}

PASS, NOT_APPLICABLE = "pass", "n/a"


@record
class Column:
    """One checked file as a column of the matrix, with the kinds of artifact it holds (a FHIR
    Questionnaire is also an intake form; a vendor file may embed an export)."""

    path: str
    kinds: tuple[str, ...]
    name: str

    @property
    def label(self) -> str:
        return PurePosixPath(self.path).stem  # long names wrap in the report, never cut


@record
class Cell:
    status: str  # "error" | "warning" | "info" | "pass" | "n/a"
    count: int = 0


@record
class TipRow:
    tip: int
    title: str
    rules: tuple[str, ...]
    cells: tuple[Cell, ...]

    @property
    def status(self) -> str:
        return worst(cell.status for cell in self.cells)

    @property
    def count(self) -> int:
        return sum(cell.count for cell in self.cells)


@record
class RuleGroup:
    rule: Rule | None
    rule_id: str
    findings: tuple[Finding, ...]


@record
class FileGroup:
    path: str
    kinds: tuple[str, ...]
    name: str
    rules: tuple[RuleGroup, ...]

    @property
    def status(self) -> str:
        return worst(f.severity.label for g in self.rules for f in g.findings)


_ORDER = {"error": 4, "warning": 3, "info": 2, PASS: 1, NOT_APPLICABLE: 0}


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=lambda s: _ORDER[s], default=NOT_APPLICABLE)


def columns(report: Report) -> tuple[Column, ...]:
    kinds: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for artifact in report.artifacts:
        kinds.setdefault(artifact.path, [])
        if artifact.kind not in kinds[artifact.path]:
            kinds[artifact.path].append(artifact.kind)
        if artifact.name:
            names.setdefault(artifact.path, artifact.name)
    return tuple(Column(path, tuple(k), names.get(path, "")) for path, k in kinds.items())


def tip_rows(report: Report) -> tuple[TipRow, ...]:
    """Each tip (then the rules tied to none), its rules, and one cell per artifact."""
    cols = columns(report)
    scopes = {f.path: f.scope for f in report.files}
    rows = []
    for tip, title in TIPS.items():
        rules = [r for r in report.rules if (tip in r.tips if tip else not r.tips)]
        cells = tuple(_cell(report.findings, rules, col, scopes.get(col.path)) for col in cols)
        rows.append(TipRow(tip, title, tuple(r.id for r in rules), cells))
    return tuple(rows)


def _cell(findings: Sequence[Finding], rules: Sequence[Rule], col: Column, scope: RuleScope | None = None) -> Cell:
    """The worst finding of the tip's rules in the column's artifact; pass when the rules that ran on it found
    nothing; n/a when none of them is for its kinds, or none ran on it (deselected, or not for the agency's
    profile)."""
    applicable = {r.id for r in rules if set(col.kinds) & set(r.kinds) and (scope is None or r.id in scope.ran)}
    if not applicable:
        return Cell(NOT_APPLICABLE)
    hits = [f for f in findings if f.rule in applicable and f.path == col.path and (not f.kind or f.kind in col.kinds)]
    return Cell(worst(f.severity.label for f in hits), len(hits)) if hits else Cell(PASS)


def by_file(report: Report) -> tuple[FileGroup, ...]:
    """Findings grouped by file, then by rule (in rule-id order), each rule once with its locations."""
    rules = {r.id: r for r in report.rules}
    names: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, list[str]] = defaultdict(list)
    for artifact in report.artifacts:
        if artifact.name and artifact.name not in names[artifact.path]:
            names[artifact.path].append(artifact.name)
        if artifact.kind not in kinds[artifact.path]:
            kinds[artifact.path].append(artifact.kind)
    per_file: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in report.findings:
        per_file[finding.path][finding.rule].append(finding)
    groups = []
    for path in sorted(per_file):
        rule_groups = tuple(RuleGroup(rules.get(rid), rid, tuple(fs)) for rid, fs in sorted(per_file[path].items()))
        groups.append(FileGroup(path, tuple(kinds[path]), "; ".join(names[path]), rule_groups))
    return tuple(groups)


def organisation(report: Report) -> str:
    names = sorted({a.name for a in report.artifacts if a.kind == "policy" and a.name})
    return " / ".join(names)


def placeholders(report: Report) -> int:
    return sum(1 for f in report.findings if f.rule == PLACEHOLDER_RULE)


def headline(report: Report) -> str:
    """One sentence a board member reads first."""
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    due = sum(1 for d in report.deadlines if d.days_left >= 0)
    overdue = sum(1 for d in report.deadlines if d.days_left < 0)
    parts = [f"{errors} problem(s) to fix" if errors else "No problems to fix"]
    if warnings:
        parts.append(f"{warnings} warning(s)")
    if overdue:
        parts.append(f"{overdue} date(s) overdue")
    if due:
        parts.append(f"{due} deadline(s) in the next 90 days")
    if placeholders(report):
        parts.append(f"{placeholders(report)} decision(s) still to fill in")
    return ", ".join(parts) + "."


def kind_label(kind: str) -> str:
    return label(kind)


def tip_total(rows: Sequence[TipRow]) -> int:
    """Findings counted over the ten tips: a finding counts once under each tip its rule serves."""
    return sum(row.count for row in rows if row.tip)


# What a report may show from the files, stated exactly (the footer of the HTML and Markdown reports).
QUOTING = ("From your files, this report shows file names, line numbers, field names, dates and the names of "
           "the organisation, forms and vendors, and the reasons and owners given for suppressions and waivers "
           "(anything that looks like a client identifier masked). "
           "A finding's message is the rule's own wording; where a rule looks for words, such as 'therapy' in a "
           "statement descriptor, it names which of the rule's words it found. No other value is shown.")

MULTI_TIP_NOTE = "A finding counts under every tip its rule serves"
