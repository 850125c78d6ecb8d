"""Which rules run, and the one place a finding is made.

`Selection` is what the configuration and the command line chose: the rules that run and per-rule severity
overrides (`selectors.build_selection` makes it). `FindingFactory` builds every `Finding`, every partial SM030
finding (`unknowns.NeedsFinding`) and every calendar entry (`Deadline`) from a rule, so that a finding's
severity is decided here and nowhere else: the configuration's override for the rule, else the rule's own
severity, lowered (never raised) by what a check says of one hit (a `due_soon` deadline is a warning). A rule
the selection switched off makes no finding, whichever module asks (the engine's rules, or the gate's own
suppression problems, SM010-SM015).

Message text: `render_message` fills a rule's message with a hit's variables; every text variable passes the
redaction boundary (`redact.scrub`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any

from smlint.model import Deadline, Finding, Related, Rule, Severity, Span
from smlint.records import record
from smlint.redact import scrub
from smlint.unknowns import Need, NeedsFinding


@record
class Selection:
    """Which rules run: the rule set, less what select/ignore switched off, with severity overrides;
    `not_applicable`: the rules select/ignore chose that the configuration's profile says do not apply to the
    agency, each with why (reports that list the rules a file was checked against say so instead of calling
    them passed)."""

    rules: tuple[Rule, ...]
    severity: Mapping[str, Severity]
    not_applicable: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def all_of(cls, rules: Iterable[Rule]) -> Selection:
        """Every rule of a rule set, each at its own severity."""
        return cls(tuple(rules), {})

    def enabled(self, rule_id: str) -> bool:
        return any(rule.id == rule_id for rule in self.rules)


class FindingFactory:
    """Builds the findings of one run's `Selection` (see the module's docstring)."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self._by_id = {rule.id: rule for rule in selection.rules}

    def rule(self, rule_id: str) -> Rule | None:
        """The selected rule with this id; None when it is not selected (its findings are not made)."""
        return self._by_id.get(rule_id)

    def severity(self, rule: Rule, hit_severity: Severity | None = None) -> Severity:
        override = self.selection.severity.get(rule.id)
        if override is not None:
            return override
        if hit_severity is not None:
            return min(hit_severity, rule.severity)
        return rule.severity

    def finding(self, rule: Rule, path: str, span: Span, message: str, *, kind: str = "", pointer: str = "",
                related: tuple[Related, ...] = (), hit_severity: Severity | None = None) -> Finding:
        """A finding of `rule` at `span` of the file shown as `path`. `message` and `pointer` are already
        redacted; they repeat from file to file, so each is kept as one string however many findings hold it."""
        return Finding(rule.id, rule.name, self.severity(rule, hit_severity), path, span.line, span.column,
                       span.end_line, span.end_column, sys.intern(message), kind, sys.intern(pointer),
                       related=related)

    def problem(self, rule_id: str, path: str, span: Span, message: str, pointer: str = "",
                related: tuple[Related, ...] = ()) -> list[Finding]:
        """A finding of one of smlint's own rules (a file that does not parse, a suppression that cannot be
        used), if that rule is selected: none otherwise."""
        rule = self.rule(rule_id)
        if rule is None:
            return []
        return [self.finding(rule, path, span, message, pointer=pointer, related=related)]

    def needs(self, rule: Rule, path: str, span: Span, kind: str, pointer: str,
              needs: Sequence[Need]) -> NeedsFinding:
        """A partial SM030 finding: facts the rules needed from one artifact (`unknowns.merge` joins them)."""
        return NeedsFinding(rule.id, rule.name, self.severity(rule), path, span.line, span.column, span.end_line,
                            span.end_column, rule.message, kind, pointer, needs=tuple(needs))

    def deadline(self, rule: Rule, path: str, span: Span, kind: str, variables: Mapping[str, Any],
                 variant: str) -> Deadline:
        """A calendar entry for a date a dated check watches (`Hit.due`): the rule's message for the date's
        state; a custom rule with no `due_soon` message gets a neutral one rather than its overdue wording."""
        days_left = int(variables["days_left"]) if variant else -int(variables["days_overdue"])
        field = scrub(str(variables["field"]), "key")
        due = str(variables["due"])
        message = (render_message(rule, variables, variant) if not variant or variant in rule.messages
                   else f"'{field}' is due by {due} ({days_left} days left)")
        return Deadline(rule.id, rule.title, path, span.line, span.column, field, due, days_left, kind,
                        message[:1].upper() + message[1:])


class _Vars(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_message(rule: Rule, variables: Mapping[str, Any], variant: str = "") -> str:
    """The rule's message (or its `variant`'s) with the variables; every text variable passes the redaction
    boundary (`redact.scrub`): `field` and `section` are keys from the user's file, `word` a text."""
    template = rule.messages.get(variant, rule.message) if variant else rule.message
    return template.format_map(_Vars({name: _shown(name, value) for name, value in variables.items()}))


_COMPUTED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_VARIABLES = frozenset({"field", "section"})


def _shown(name: str, value: Any) -> Any:
    if not isinstance(value, str) or _COMPUTED_DATE.fullmatch(value):  # counts, and dates smlint computed
        return value
    if name == "related":  # artifact names, each scrubbed on its own when indexed (naming.artifact_name)
        return value
    return scrub(value, "key" if name in _KEY_VARIABLES else "text")
