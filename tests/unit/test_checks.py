from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from smlint.checks import CHECKS, Context, parse_params
from smlint.checks.artifact import add_months, assert_, deadline, forbidden_words, pattern, required
from smlint.checks.conditions import holds
from smlint.document import Document
from smlint.model import Severity

CTX = Context(date(2026, 6, 1))


def join(check: str, params: dict[str, Any], *docs: Document) -> list[tuple[Document, str]]:
    """A repository check run as the engine runs it: each document's facts, then the join over them;
    (document, pointer) of each finding."""
    spec = CHECKS[check]
    assert spec.index is not None and spec.repository is not None
    typed = parse_params(check, params)
    indexed = [(d, facts) for d in docs if (facts := spec.index(d, typed))]
    return [(indexed[i][0], where[1]) for i, where, *_ in spec.repository([f for _, f in indexed], typed, CTX)]


def doc(kind: str, data: dict[str, object], path: str = "x.yaml") -> Document:
    return Document(path, kind, {"kind": kind, **data}, {})


def test_conditions() -> None:
    data = {"a": {"b": True, "list": ["Texting", "email"]}, "n": 5, "s": "RFS LLC"}
    assert holds({"path": "/a/b", "equals": True}, data)
    assert not holds({"path": "/a/missing", "equals": True}, data)
    assert holds({"path": "/a/missing", "not_equals": True}, data)
    assert holds({"path": "/a/list", "contains": "texting"}, data)
    assert holds([{"path": "/n", "gte": 5}, {"path": "/n", "lte": 5}], data)
    assert holds({"any": [{"path": "/n", "gte": 6}, {"path": "/s", "matches": "^rfs"}]}, data)
    assert holds({"not": {"path": "/a/list/*", "equals": "sms"}}, data)
    assert holds({"path": "/a/list/*", "equals": "EMAIL"}, data)
    assert not holds({"path": "/n", "equals": True}, {"n": 1})  # 1 is not true


def test_required_reports_each_missing_or_empty_path() -> None:
    params = parse_params("required", {"paths": ["/s/a", "/s/b", "/s/c"]})
    hits = list(required({"s": {"a": {"text": "x"}, "b": ""}}, params, CTX))
    assert [(h.pointer, h.variables["field"], h.variables["section"]) for h in hits] == [
        ("/s/b", "b", "s"), ("/s/c", "c", "s")]


def test_assert_uses_first_present_candidate_for_location() -> None:
    params = parse_params("assert", {"at": ["/baa/status", "/handles_client_data"],
                                     "expect": {"path": "/baa/status", "equals": "signed"}})
    assert [h.pointer for h in assert_({"handles_client_data": True}, params, CTX)] == ["/handles_client_data"]
    assert [h.pointer for h in assert_({"baa": {"status": "none"}}, params, CTX)] == ["/baa/status"]
    assert list(assert_({"baa": {"status": "signed"}}, params, CTX)) == []


def test_deadline_overdue_due_soon_and_ok() -> None:
    params = parse_params("deadline", {"path": "/d", "add_months": 12, "warn_days": 30})
    overdue = list(deadline({"d": "2025-05-01"}, params, CTX))
    assert [(h.variant, h.variables["due"], h.variables["days_overdue"]) for h in overdue] == [("", "2026-05-01", 31)]
    soon = list(deadline({"d": "2025-06-20"}, params, CTX))
    assert [(h.variant, h.severity, h.variables["days_left"]) for h in soon] == [("due_soon", Severity.WARNING, 19)]
    assert list(deadline({"d": "2025-08-01"}, params, CTX)) == []
    assert list(deadline({"d": "not a date"}, params, CTX)) == []


def test_deadline_interval_can_shorten_but_not_lengthen() -> None:
    params = parse_params("deadline", {"path": "/d", "add_months": 12, "interval_path": "/i"})
    assert len(list(deadline({"d": "2025-10-01", "i": 6}, params, CTX))) == 1
    assert list(deadline({"d": "2025-10-01", "i": 24}, params, CTX)) == []
    assert len(list(deadline({"d": "2025-03-01", "i": 24}, params, CTX))) == 1


def test_add_months_clamps_day() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_forbidden_words_substring_and_word() -> None:
    params = parse_params("forbidden_words", {"path": "/s", "words": ["therap", "LPC"]})
    assert [h.variables["word"] for h in forbidden_words({"s": "RIVERBEND THERAPY"}, params, CTX)] == ["therap"]
    assert list(forbidden_words({"s": "RFS LLC"}, params, CTX)) == []
    word = parse_params("forbidden_words", {"path": "/s", "words": ["LPC"], "match": "word"})
    assert list(forbidden_words({"s": "HELPCO"}, word, CTX)) == []
    assert len(list(forbidden_words({"s": "JANE DOE LPC"}, word, CTX))) == 1


def test_pattern_with_wildcard() -> None:
    params = parse_params("pattern", {"path": "/urls/*", "regex": "^https://"})
    hits = list(pattern({"urls": ["https://a", "http://b"]}, params, CTX))
    assert [h.pointer for h in hits] == ["/urls/1"]


def test_requires_any() -> None:
    params = {"trigger": {"kind": "vendor", "when": {"path": "/category", "equals": "texting"}, "at": "/category"},
              "require": {"kind": "intake-form", "when": {"path": "/clauses/texting_consent", "exists": True}}}
    vendor = doc("vendor", {"category": "texting"})
    form = doc("intake-form", {"clauses": {}})
    assert join("requires_any", params, vendor, form) == [(vendor, "/category")]
    good = doc("intake-form", {"clauses": {"texting_consent": {"text": "ok"}}})
    assert join("requires_any", params, vendor, form, good) == []


def test_all_satisfy_only_when_triggered() -> None:
    params = {"trigger": {"kind": "policy", "when": {"path": "/enc", "equals": True}},
              "target": {"kind": "vendor", "at": "/enc"}, "expect": {"path": "/enc", "equals": True}}
    weak = doc("vendor", {"enc": False})
    assert join("all_satisfy", params, doc("policy", {"enc": True}), weak) == [(weak, "/enc")]
    assert join("all_satisfy", params, doc("policy", {"enc": False}), weak) == []


def test_member_of_ignores_case_and_checks_list_items() -> None:
    params = {"source": {"kind": "policy", "path": "/states"}, "reference": {"kind": "policy", "path": "/lic/*/state"}}
    policy = doc("policy", {"states": ["OR", "wa", "ID"], "lic": [{"state": "OR"}, {"state": "WA"}]})
    assert join("member_of", params, policy) == [(policy, "/states/2")]
    assert join("member_of", params) == []
    numbers = {"source": {"kind": "policy", "path": "/n"}, "reference": {"kind": "policy", "path": "/m"}}
    assert join("member_of", numbers, doc("policy", {"n": [1, 2.0, 2.5], "m": [1.0, 2]})) == [
        (doc("policy", {"n": [1, 2.0, 2.5], "m": [1.0, 2]}), "/n/2")]


def test_text_matches_scans_every_text_value() -> None:
    from smlint.checks.artifact import text_matches

    data = {"a": "ok", "b": {"c": ["x", "<FILL IN: approver>"]}, "d/e": "<fill in>", "n": 3}
    hits = list(text_matches(data, parse_params("text_matches", {"regex": "<fill in"}), CTX))
    assert [(h.pointer, h.variables["field"]) for h in hits] == [("/b/c/1", "c"), ("/d~1e", "d/e")]
    under_b = parse_params("text_matches", {"regex": "<fill in", "path": "/b"})
    assert [h.pointer for h in text_matches(data, under_b, CTX)] == ["/b/c/1"]


def test_atomic_write_replaces_whole_file(tmp_path: object) -> None:
    from pathlib import Path

    from smlint.fsutil import atomic_write

    target = Path(str(tmp_path)) / "out.txt"
    target.write_text("old", encoding="utf-8")
    atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_atomic_write_gives_new_files_the_usual_permissions(tmp_path: object) -> None:
    import os
    from pathlib import Path

    from smlint.fsutil import atomic_write

    umask = os.umask(0o022)
    try:
        target = Path(str(tmp_path)) / "report.json"
        atomic_write(target, "{}\n")
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o600)
        atomic_write(target, "[]\n")
        assert target.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


def test_specialised_condition_tests_agree_with_the_general_ones() -> None:
    """The folded fast paths (equals, in, exists and their negations) answer exactly as `TESTS` does."""
    from smlint.checks.conditions import TESTS, _specialised
    from smlint.document import MISSING

    values = [MISSING, None, True, False, 0, 1, 1.0, "", "Yes", "yes", "YES ", "no", [], ["yes"], {}, {"a": 1}]
    expectations = {"equals": [True, False, None, "yes", "No", 1], "not_equals": [True, None, "yes"],
                    "in": [["yes", "No"], ["a"], [True, "yes"]], "not_in": [["yes", "No"], [1, "no"]],
                    "exists": [True, False]}
    specialised = 0
    for op, expected_values in expectations.items():
        for expected in expected_values:
            check = _specialised(op, expected)
            if check is None:
                continue
            specialised += 1
            for value in values:
                assert check(value) == TESTS[op](value, expected), (op, expected, value)
    assert specialised == 13  # equals 1 and the mixed `in` lists take the general path


def test_gate_is_a_top_level_equals_on_text_or_true_false() -> None:
    from smlint.checks.conditions import gate

    assert gate({"path": "/category", "equals": "VoIP"}) == ("/category", "voip")
    assert gate([{"path": "/a", "truthy": True}, {"path": "/handles_client_data", "equals": True}]) \
        == ("/handles_client_data", True)
    assert gate({"all": [{"path": "/kind", "equals": "vendor"}]}) == ("/kind", "vendor")
    assert gate({"any": [{"path": "/category", "equals": "voip"}]}) is None  # either branch may hold
    assert gate({"not": {"path": "/category", "equals": "voip"}}) is None
    assert gate({"path": "/vendors/*/name", "equals": "x"}) is None  # any of several values
    assert gate({"path": "/retention_days", "equals": 30}) is None  # numbers compare across int and float
    assert gate({"path": "/category", "not_equals": "voip"}) is None


def test_gated_rules_run_only_on_documents_that_pass_their_gate() -> None:
    from datetime import date

    from smlint.checks import Context
    from smlint.engine import Engine
    from smlint.findings import Selection
    from smlint.registry import load_ruleset

    engine = Engine(Selection.all_of(load_ruleset(())), Context(date(2026, 3, 1)))
    vendor_rules = engine.plan.by_kind["vendor"]
    voip = {rule.id for rule in vendor_rules.for_data({"kind": "vendor", "category": "VOIP"})}
    video = {rule.id for rule in vendor_rules.for_data({"kind": "vendor", "category": "video"})}
    assert "SM302" in voip and "SM302" not in video  # when: {path: /category, equals: voip}
    assert "SM305" in video and "SM305" not in voip  # when: {path: /category, equals: video}
    every = [rule.id for rule in vendor_rules.for_data({"kind": "vendor", "category": "voip",
                                                        "handles_client_data": True})]
    assert every == sorted(every, key=[r.id for r in engine.selection.rules].index)  # catalogue order


def test_judge_is_three_valued() -> None:
    from smlint.checks.conditions import Verdict, judge

    data = {"a": True, "b": False, "list": [{"x": 1}, {"x": 2}]}
    cases = [
        ({"path": "/a", "equals": True}, Verdict.TRUE, ()),
        ({"path": "/b", "equals": True}, Verdict.FALSE, ()),
        ({"path": "/c", "equals": True}, Verdict.UNKNOWN, ("/c",)),
        ({"path": "/c", "not_equals": True}, Verdict.UNKNOWN, ("/c",)),  # holds() would say true
        ({"path": "/c", "exists": False}, Verdict.TRUE, ()),  # absence itself is decided
        ([{"path": "/b", "equals": True}, {"path": "/c", "equals": True}], Verdict.FALSE, ()),
        ([{"path": "/a", "equals": True}, {"path": "/c", "equals": True}], Verdict.UNKNOWN, ("/c",)),
        ({"any": [{"path": "/a", "equals": True}, {"path": "/c", "equals": True}]}, Verdict.TRUE, ()),
        ({"any": [{"path": "/b", "equals": True}, {"path": "/c", "equals": True}, {"path": "/d", "equals": 1}]},
         Verdict.UNKNOWN, ("/c", "/d")),
        ({"not": {"path": "/c", "equals": True}}, Verdict.UNKNOWN, ("/c",)),
        ({"not": {"path": "/b", "equals": True}}, Verdict.TRUE, ()),
        ({"path": "/list/*/x", "equals": 2}, Verdict.TRUE, ()),
        ({"path": "/none/*/x", "equals": 2}, Verdict.UNKNOWN, ("/none/*/x",)),
    ]
    for condition, verdict, missing in cases:
        judged = judge(condition, data)
        assert (judged.verdict, judged.missing) == (verdict, missing), condition


def test_assert_hit_for_an_unrecorded_fact_names_the_missing_paths() -> None:
    from smlint.checks.artifact import assert_

    params = parse_params("assert", {"at": ["/security/two_factor", "/security"],
                                     "expect": {"path": "/security/two_factor", "equals": True}})
    (hit,) = assert_({"on": True}, params, CTX)
    assert (hit.pointer, hit.variant, hit.missing, hit.absent_fails) == (
        "/security", "unknown", ("/security/two_factor",), True)
    (recorded,) = assert_({"on": True, "security": {"two_factor": False}}, params, CTX)
    assert (recorded.pointer, recorded.variant, recorded.missing) == ("/security/two_factor", "", ())
    assert list(assert_({"on": True, "security": {"two_factor": True}}, params, CTX)) == []


def test_all_satisfy_trigger_expect_asks_the_trigger_that_leaves_the_fact_out() -> None:
    raw = {"trigger": {"kind": "vendor", "when": {"path": "/data", "equals": True},
                          "expect": {"path": "/enc", "equals": True}},
              "target": {"kind": "policy", "at": "/promise"},
              "expect": {"any": [{"path": "/promise", "exists": False}, {"path": "/promise", "not_equals": True}]}}
    spec = CHECKS["all_satisfy"]
    assert spec.index is not None and spec.repository is not None
    report, ignore, violation = (parse_params("all_satisfy", raw, unknown=mode)
                                 for mode in ("report", "ignore", "violation"))
    policy, silent = doc("policy", {"promise": True}), doc("vendor", {"data": True})
    facts = [spec.index(d, report) for d in (policy, silent)]
    hits = list(spec.repository(facts, report, CTX))
    assert [(i, extra) for i, _, extra in hits] == [(1, {"missing": ["/enc"]})]
    assert list(spec.repository(facts, ignore, CTX)) == []
    # violation reads the missing value as the test is written: the vendor triggers
    assert [i for i, *_ in spec.repository(facts, violation, CTX)] == [0]
    weak = doc("vendor", {"data": True, "enc": False})
    facts = [spec.index(d, report) for d in (policy, weak)]
    assert [(i, extra) for i, _, extra in spec.repository(facts, report, CTX)] == [
        (0, {"related": [(1, ("kind", "/kind", 1, 1, 1, 1))]})]
    # nothing to ask when the policy promises nothing
    quiet = [f for d in (doc("policy", {}), silent) if (f := spec.index(d, report))]
    assert list(spec.repository(quiet, report, CTX)) == []


def test_parameters_are_read_into_the_declared_dataclass_once() -> None:
    from smlint.checks import load_check
    from smlint.checks.artifact import PatternParams
    from smlint.checks.conditions import Condition

    loaded = load_check({"type": "pattern", "when": {"path": "/on", "equals": True}, "path": "/a", "regex": "^x"}, {})
    assert loaded.spec is CHECKS["pattern"]
    assert loaded.params == PatternParams(path="/a", regex="^x", must_match=True)
    assert isinstance(loaded.when, Condition) and loaded.when({"on": True}) and not loaded.when({"on": False})
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.params.regex = "y"  # type: ignore[misc]


@pytest.mark.parametrize(("check", "pointer", "message"), [
    ({"type": "nope"}, "/type", "unknown check type 'nope'"),
    ({"type": "pattern", "path": "/a"}, "", "the check needs 'regex'"),
    ({"type": "pattern", "path": "/a", "regex": "(a)\\1"}, "/regex", "regular expression rejected: RE2"),
    ({"type": "pattern", "path": "/a", "regex": "x", "colour": 1}, "/colour", "'colour' is not a parameter"),
    ({"type": "member_of", "source": {"kind": "policy"}, "reference": {"kind": "policy", "path": "/x"}}, "/source",
     "'source' is missing the required field 'path'"),
    ({"type": "requires_any", "trigger": {"kind": "vendor", "when": [{"any": [{"path": "/a", "matches": "(?<=a)"}]}]},
      "require": {"kind": "policy"}}, "/trigger/when/0/any/0/matches", "regular expression rejected"),
    ({"type": "requires_any", "when": {"path": "/a", "exists": True}, "trigger": {"kind": "vendor"},
      "require": {"kind": "policy"}}, "/when", "'when' is not a parameter"),  # a join has no `when` of its own
    ({"type": "form_set", "of": {"type": "deadline", "path": "/d"}}, "/of/type", "'type' must be one of: required"),
    ({"type": "deadline", "path": "/d", "add_days": -1}, "/add_days", "'add_days' must be at least 0"),
    ({"type": "deadline", "path": "/d", "warn_days": True}, "/warn_days", "'warn_days' should be a whole number"),
])
def test_parameters_that_cannot_be_read_name_where(check: dict[str, Any], pointer: str, message: str) -> None:
    """Built-in rules are not validated against the schema at run time: reading their parameters still refuses
    what a check could not run, at the place it is written (the registry adds the file, line and column)."""
    from smlint.checks import ParamError, load_check

    with pytest.raises(ParamError) as caught:
        load_check(check, {})
    assert (caught.value.pointer, caught.value.message[:len(message)]) == (pointer, message)


def test_form_set_runs_its_inner_check_behind_the_inner_when() -> None:
    params = {"of": {"type": "required", "when": {"path": "/services", "contains": "texting"},
                     "paths": ["/clauses/texting_consent"]}}
    texting = doc("intake-form", {"services": ["texting"], "clauses": {}}, "a.yaml")
    office = doc("intake-form", {"services": ["in-person"], "clauses": {}}, "b.yaml")
    assert join("form_set", params, texting, office) == [(texting, "/clauses/texting_consent")]


def test_join_values_compare_as_numbers_and_trimmed_texts() -> None:
    from smlint.checks.repository import digest

    # numbers as numbers: 1, 1.0 and true are one value; 1 and 2 are not, nor 1.5 and 2.5
    assert digest(1, False) == digest(1.0, False) == digest(True, False)
    assert len({digest(1, False), digest(2, False), digest(1.5, False), digest(2.5, False), digest("1", False)}) == 5
    assert digest(" Zoom ", False) == digest("Zoom", False) != digest("zoom", False)
    assert digest(" Zoom ", True) == digest("zoom", True)
    # a JSON text may hold a lone surrogate (an escape such as \ud800): it is a value like any other
    assert digest("\ud800", False) != digest("\ud801", False)


def test_a_check_declared_twice_or_with_a_mutable_default_is_refused() -> None:
    from smlint.checks.base import artifact_check
    from smlint.checks.params import NoParams, param, texts

    with pytest.raises(ValueError) as twice:
        artifact_check("required", NoParams)(required)  # a name taken: nothing is declared
    assert str(twice.value) == "check 'required' is declared twice"
    assert CHECKS["required"].artifact is required
    with pytest.raises(TypeError) as mutable:
        param(texts(), "words", [])
    assert str(mutable.value) == "a parameter's default must be immutable (a tuple, not a list)"


def test_form_set_reports_a_broken_promise_at_the_first_trigger_pointer_the_policy_has() -> None:
    params = {"of": {"type": "required", "paths": ["/clauses/npp_acknowledgement"]},
              "trigger": {"kind": "policy", "when": {"path": "/npp/acknowledged", "equals": True},
                          "at": ["/npp/acknowledged", "/npp"]}}
    policy = doc("policy", {"npp": {"acknowledged": True}}, "p.yaml")
    form = doc("intake-form", {"clauses": {}}, "f.yaml")
    assert join("form_set", params, policy, form) == [(policy, "/npp/acknowledged")]
    kept = doc("intake-form", {"clauses": {"npp_acknowledgement": {"text": "I received the notice."}}}, "g.yaml")
    assert join("form_set", params, policy, kept) == []


def test_a_true_or_false_or_one_of_several_parameter_takes_only_those() -> None:
    from smlint.checks import ParamError

    assert parse_params("pattern", {"path": "/x", "regex": "a", "must_match": False}).must_match is False
    with pytest.raises(ParamError) as caught:
        parse_params("pattern", {"path": "/x", "regex": "a", "must_match": "no"})
    assert (caught.value.pointer, caught.value.message) == ("/must_match", "'must_match' should be true or false")
    with pytest.raises(ParamError) as chosen:
        parse_params("client_identifiers", {"detector": "passport"})
    assert (chosen.value.pointer, chosen.value.message) == (
        "/detector", "'detector' must be one of: ssn, date_of_birth, medical_record, contact, client_name")
