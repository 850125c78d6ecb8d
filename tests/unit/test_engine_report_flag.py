"""The engine's side of a repository check's contract (checks/base.py): each document's facts reach the join
with its display path as `"@path"` and `"@report"`, whether findings on it are wanted, false for a project's
other files that the run reads only as context, so that a check may skip judging them (`form_set` does)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from smlint.checks import CHECKS, Context
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.index import Joined
from smlint.registry import load_ruleset
from tests.conftest import TODAY


def test_a_repository_check_is_told_which_documents_findings_are_wanted_on(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = load_ruleset(()).get("SM201")  # a form_set rule: a join over the project's intake forms
    assert rule is not None
    seen: list[Mapping[str, Any]] = []

    def join(facts: Sequence[Mapping[str, Any]], params: Any, ctx: Context) -> Iterator[Any]:
        seen.extend(facts)
        yield from ()

    monkeypatch.setitem(CHECKS, "form_set", replace(CHECKS["form_set"], repository=join))
    engine = Engine(Selection.all_of([rule]), Context(date.fromisoformat(TODAY)))
    entries = [Joined("intake/a.yaml", "intake-form", {"form": {"x": 1}}, "A"),  # SM201's facts of each form
               Joined("other/b.yaml", "intake-form", {"form": {"x": 2}}, "B")]
    assert engine._check_rule(rule, entries, {"intake/a.yaml"}) == []
    assert seen == [{"form": {"x": 1}, "@path": "intake/a.yaml", "@report": True},
                    {"form": {"x": 2}, "@path": "other/b.yaml", "@report": False}]
