"""One job streams (issue 13): each file is loaded, checked, indexed and released in turn. The findings
are exactly those of loading every file first and checking them together, export files named by vendor
files included; released files keep their path and kinds, not their data."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from smlint.app import CheckOptions, collect_targets, load_targets, stream
from smlint.checks import Context
from smlint.engine import Engine, Selection
from smlint.index import Entry, PackedEntries
from smlint.registry import load_ruleset
from tests.conftest import EXAMPLES, TODAY


@pytest.mark.parametrize("example", ["compliant", "noncompliant"])
@pytest.mark.parametrize("folder", [".", "vendors"])  # vendors/ names exports outside the folder
def test_streaming_gives_the_findings_of_checking_everything_at_once(example: str, folder: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES / example, tmp_path / "agency")
    monkeypatch.chdir(tmp_path / "agency")
    options = CheckOptions(paths=(folder,), today=date.fromisoformat(TODAY))
    targets = collect_targets(options, Path.cwd())
    selection = Selection.all_of(load_ruleset(()))

    def engine() -> Engine:
        return Engine(selection, Context(date.fromisoformat(TODAY), options.fhir))

    at_once = load_targets(targets, options, Path.cwd())
    expected = engine().check_files(at_once)
    released, found, entries = stream(targets, options, engine(), Path.cwd())
    assert engine().join(found, entries.facts()) == expected
    if (example, folder) != ("compliant", "."):
        assert any(f.rule.startswith("SM4") for f in expected)  # the joins are exercised
    assert [r.path for r in released] == [r.path for r in at_once]  # exports outside the folder included
    assert [[d.kind for d in r.documents] for r in released] == [[d.kind for d in r.documents] for r in at_once]
    assert all(d.data is None and not d.positions for r in released for d in r.documents)
    outside = {r.path for r in released} - {t.display for t in targets}  # exports named from outside the folder
    assert bool(outside) == ((example, folder) == ("noncompliant", "vendors"))  # twilio.yaml names its export
    assert all(path.startswith("exports/") for path in outside)


def test_a_file_that_may_hold_a_directive_is_kept_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "v.yaml").write_text("kind: vendor  # smlint: disable=SM101 (reason)\nname: X\n", encoding="utf-8")
    (tmp_path / "w.yaml").write_text("kind: vendor\nname: Y\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    options = CheckOptions(paths=(".",))
    engine = Engine(Selection.all_of(load_ruleset(())), Context(date.fromisoformat(TODAY), options.fhir))
    released, _, _ = stream(collect_targets(options, tmp_path), options, engine, tmp_path)
    assert [(r.path, r.documents[0].data is not None, bool(r.text)) for r in released] == [("v.yaml", True, True),
                                                                                          ("w.yaml", False, False)]


def test_packed_entries_read_back_rule_by_rule_as_they_were_added() -> None:
    skeleton = {"clauses": {"texting_consent": True}}  # one object several rules hold, as form_set rules do
    packed = PackedEntries()
    files = [f"f{i:03d}.yaml" for i in range(3 * PackedEntries.CHUNK + 5)]  # several chunks, and a pending tail
    for i, path in enumerate(files):
        facts = {"SM201": {"form": skeleton, "places": {"/a": ("a", "/a", i + 1, 1, i + 1, 2)}},
                 "SM202": {"form": skeleton}}
        if i % 2:
            facts["SM401"] = {"trigger": ("category", "/category", 3, 1, 3, 18)}
        packed.add(path, [Entry(path, "intake-form", facts, f"form {i}")])
    packed.add(files[4], [Entry(files[4], "vendor", {"SM401": {"require": True}}, "again")])  # checked again
    packed.add(files[5], [])  # checked again and failed: no entries any more
    facts = packed.facts()
    assert facts.paths == files  # each file keeps its first place
    sm201 = facts.concerning("SM201")
    assert [e.path for e in sm201] == [f for i, f in enumerate(files) if i not in (4, 5)]
    assert sm201[0].facts["SM201"] == {"form": skeleton, "places": {"/a": ("a", "/a", 1, 1, 1, 2)}}
    assert sm201[0].name == "form 0" and sm201[0].kind == "intake-form"
    assert all(e.facts["SM201"]["form"] == skeleton for e in sm201)  # stored once, read back for each rule
    assert list(sm201[3].facts["SM201"]) == ["form", "places"]  # the facts' keys in their order
    sm401 = facts.concerning("SM401")
    assert [(e.path, e.kind) for e in sm401][:3] == [(files[1], "intake-form"), (files[3], "intake-form"),
                                                     (files[4], "vendor")]
    assert files[5] not in [e.path for e in sm401]
    assert facts.concerning("SM999") == []
