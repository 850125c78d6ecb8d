"""Runs each rule's own examples: every `fail` example must give at least one finding of that rule,
every `pass` example none. Used by `smlint test-rules` and by the test suite."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from smlint.checks import Context
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.gate import Gate
from smlint.loader import LoadResult, load_text
from smlint.model import Example, Finding, Rule
from smlint.pipeline import check_loaded
from smlint.records import record
from smlint.registry import RuleSet

DEFAULT_EXAMPLE_TODAY = date(2026, 1, 15)


@record
class ExampleOutcome:
    rule: Rule
    expectation: str  # "pass" or "fail"
    index: int
    ok: bool
    findings: tuple[Finding, ...]

    @property
    def label(self) -> str:
        return f"{self.rule.id} {self.rule.name} {self.expectation}[{self.index}]"


def example_results(example: Example) -> list[LoadResult]:
    if example.source is not None:
        return [load_text(example.source, example.filename)]
    return [load_text(json.dumps(doc, indent=2, ensure_ascii=False), f"example-{i + 1}.json", is_json=True)
            for i, doc in enumerate(example.documents)]


def run_example(rule: Rule, example: Example, ruleset: RuleSet) -> tuple[Finding, ...]:
    today = date.fromisoformat(example.today) if example.today else DEFAULT_EXAMPLE_TODAY
    selection = Selection.all_of(ruleset)
    results = example_results(example)
    findings = check_loaded(Engine(selection, Context(today)), results)
    outcome = Gate(ruleset, selection, today).decide(findings, results)
    return tuple(f for f in outcome.findings if f.rule == rule.id)


def run_rule(rule: Rule, ruleset: RuleSet) -> Iterator[ExampleOutcome]:
    for expectation, examples in (("fail", rule.fail_examples), ("pass", rule.pass_examples)):
        for index, example in enumerate(examples):
            found = run_example(rule, example, ruleset)
            ok = bool(found) if expectation == "fail" else not found
            yield ExampleOutcome(rule, expectation, index, ok, found)


def run_all(rules: Iterable[Rule], ruleset: RuleSet) -> list[ExampleOutcome]:
    return [outcome for rule in rules for outcome in run_rule(rule, ruleset)]
