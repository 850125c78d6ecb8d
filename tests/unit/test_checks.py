from __future__ import annotations

from datetime import date

from smlint.checks import Context, Repository
from smlint.checks.artifact import add_months, assert_, deadline, forbidden_words, pattern, required
from smlint.checks.conditions import holds
from smlint.checks.repository import all_satisfy, member_of, requires_any
from smlint.document import Document
from smlint.model import Severity

CTX = Context(date(2026, 6, 1))


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
    hits = list(required({"s": {"a": {"text": "x"}, "b": ""}}, {"paths": ["/s/a", "/s/b", "/s/c"]}, CTX))
    assert [(h.pointer, h.variables["field"], h.variables["section"]) for h in hits] == [
        ("/s/b", "b", "s"), ("/s/c", "c", "s")]


def test_assert_uses_first_present_candidate_for_location() -> None:
    params = {"at": ["/baa/status", "/handles_client_data"], "expect": {"path": "/baa/status", "equals": "signed"}}
    assert [h.pointer for h in assert_({"handles_client_data": True}, params, CTX)] == ["/handles_client_data"]
    assert [h.pointer for h in assert_({"baa": {"status": "none"}}, params, CTX)] == ["/baa/status"]
    assert list(assert_({"baa": {"status": "signed"}}, params, CTX)) == []


def test_deadline_overdue_due_soon_and_ok() -> None:
    params = {"path": "/d", "add_months": 12, "warn_days": 30}
    overdue = list(deadline({"d": "2025-05-01"}, params, CTX))
    assert [(h.variant, h.variables["due"], h.variables["days_overdue"]) for h in overdue] == [("", "2026-05-01", 31)]
    soon = list(deadline({"d": "2025-06-20"}, params, CTX))
    assert [(h.variant, h.severity, h.variables["days_left"]) for h in soon] == [("due_soon", Severity.WARNING, 19)]
    assert list(deadline({"d": "2025-08-01"}, params, CTX)) == []
    assert list(deadline({"d": "not a date"}, params, CTX)) == []


def test_deadline_interval_can_shorten_but_not_lengthen() -> None:
    params = {"path": "/d", "add_months": 12, "interval_path": "/i"}
    assert len(list(deadline({"d": "2025-10-01", "i": 6}, params, CTX))) == 1
    assert list(deadline({"d": "2025-10-01", "i": 24}, params, CTX)) == []
    assert len(list(deadline({"d": "2025-03-01", "i": 24}, params, CTX))) == 1


def test_add_months_clamps_day() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_forbidden_words_substring_and_word() -> None:
    params = {"path": "/s", "words": ["therap", "LPC"]}
    assert [h.variables["word"] for h in forbidden_words({"s": "RIVERBEND THERAPY"}, params, CTX)] == ["therap"]
    assert list(forbidden_words({"s": "RFS LLC"}, params, CTX)) == []
    word = {"path": "/s", "words": ["LPC"], "match": "word"}
    assert list(forbidden_words({"s": "HELPCO"}, word, CTX)) == []
    assert len(list(forbidden_words({"s": "JANE DOE LPC"}, word, CTX))) == 1


def test_pattern_with_wildcard() -> None:
    params = {"path": "/urls/*", "regex": "^https://"}
    hits = list(pattern({"urls": ["https://a", "http://b"]}, params, CTX))
    assert [h.pointer for h in hits] == ["/urls/1"]


def test_requires_any() -> None:
    params = {"trigger": {"kind": "vendor", "when": {"path": "/category", "equals": "texting"}, "at": "/category"},
              "require": {"kind": "intake-form", "when": {"path": "/clauses/texting_consent", "exists": True}}}
    vendor = doc("vendor", {"category": "texting"})
    form = doc("intake-form", {"clauses": {}})
    hits = list(requires_any(Repository({"vendor": (vendor,), "intake-form": (form,)}), params, CTX))
    assert [(h.document, h.hit.pointer) for h in hits] == [(vendor, "/category")]
    good = doc("intake-form", {"clauses": {"texting_consent": {"text": "ok"}}})
    assert list(requires_any(Repository({"vendor": (vendor,), "intake-form": (form, good)}), params, CTX)) == []


def test_all_satisfy_only_when_triggered() -> None:
    params = {"trigger": {"kind": "policy", "when": {"path": "/enc", "equals": True}},
              "target": {"kind": "vendor", "at": "/enc"}, "expect": {"path": "/enc", "equals": True}}
    weak = doc("vendor", {"enc": False})
    assert [h.document for h in all_satisfy(
        Repository({"policy": (doc("policy", {"enc": True}),), "vendor": (weak,)}), params, CTX)] == [weak]
    assert list(all_satisfy(Repository({"policy": (doc("policy", {"enc": False}),), "vendor": (weak,)}),
                            params, CTX)) == []


def test_member_of_ignores_case_and_checks_list_items() -> None:
    params = {"source": {"kind": "policy", "path": "/states"}, "reference": {"kind": "policy", "path": "/lic/*/state"}}
    policy = doc("policy", {"states": ["OR", "wa", "ID"], "lic": [{"state": "OR"}, {"state": "WA"}]})
    hits = list(member_of(Repository({"policy": (policy,)}), params, CTX))
    assert [h.hit.pointer for h in hits] == ["/states/2"]
    assert list(member_of(Repository({}), params, CTX)) == []


def test_text_matches_scans_every_text_value() -> None:
    from smlint.checks.artifact import text_matches

    data = {"a": "ok", "b": {"c": ["x", "<FILL IN: approver>"]}, "d/e": "<fill in>", "n": 3}
    hits = list(text_matches(data, {"regex": "<fill in"}, CTX))
    assert [(h.pointer, h.variables["field"]) for h in hits] == [("/b/c/1", "c"), ("/d~1e", "d/e")]
    assert [h.pointer for h in text_matches(data, {"regex": "<fill in", "path": "/b"}, CTX)] == ["/b/c/1"]


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
