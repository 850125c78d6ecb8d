"""One pipeline (issue 20; streaming, issue 13): each file is loaded, checked, indexed and released in turn,
in this process or in worker processes. The findings are exactly those of loading every file first and
checking them together, export files named by vendor files included; released files keep their path and
kinds, not their data."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from smlint.app import CheckOptions, RunOptions, collect_targets, resolve
from smlint.checks import Context
from smlint.config import Config
from smlint.discovery import Target, display_path
from smlint.engine import Engine
from smlint.findings import Selection
from smlint.formats.exports import attach
from smlint.index import Entry, PackedEntries
from smlint.loader import LoadResult, load_file
from smlint.parallel import map_in_processes
from smlint.pipeline import Step, TargetFiles, check_loaded, check_targets, serial
from smlint.project import Project
from smlint.registry import load_ruleset
from tests.conftest import EXAMPLES, TODAY


def plain_run(request: CheckOptions, root: Path) -> RunOptions:
    """The request's run with no configuration file."""
    return resolve(request, Project(None, Config(base=root)), root, date.fromisoformat(TODAY))


def load_everything(targets: list[Target], root: Path) -> list[LoadResult]:
    """Every target loaded first, the exports vendor files name attached: what the pipeline must equal."""
    loaded = [load_file(t.file, t.display, default_kind=t.kind) for t in targets]
    return attach(loaded, {t.display: t.file for t in targets}, lambda path, name: load_file(path, name),
                  lambda path: display_path(path, root))


@pytest.mark.parametrize("example", ["compliant", "noncompliant"])
@pytest.mark.parametrize("folder", [".", "vendors"])  # vendors/ names exports outside the folder
@pytest.mark.parametrize("hold", [0, PackedEntries.HOLD])  # index entries packed from the first file, or held
def test_the_pipeline_gives_the_findings_of_checking_everything_at_once(example: str, folder: str, hold: int,
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PackedEntries, "HOLD", hold)
    shutil.copytree(EXAMPLES / example, tmp_path / "agency")
    monkeypatch.chdir(tmp_path / "agency")
    run = plain_run(CheckOptions(paths=(folder,)), Path.cwd())
    targets = collect_targets(run, Path.cwd())
    engine = Engine(Selection.all_of(load_ruleset(())), Context(run.today, run.fhir))
    step = Step(engine, run.config.limits, TargetFiles(targets))

    at_once = load_everything(targets, Path.cwd())
    expected = check_loaded(engine, at_once)
    outcomes = check_targets(step, targets, Path.cwd(), serial)
    assert engine.check_project(outcomes) == expected
    in_processes = check_targets(step, targets, Path.cwd(), lambda s, t: map_in_processes(s, t, jobs=2))
    assert engine.check_project(in_processes) == expected
    assert in_processes.results() == outcomes.results()
    if (example, folder) != ("compliant", "."):
        assert any(f.rule.startswith("SM4") for f in expected)  # the joins are exercised
    released = outcomes.results()
    assert [r.path for r in released] == [r.path for r in at_once]  # exports outside the folder included
    assert [[d.kind for d in r.documents] for r in released] == [[d.kind for d in r.documents] for r in at_once]
    assert all(d.data is None and not d.positions for r in released for d in r.documents)
    outside = {r.path for r in released} - {t.display for t in targets}  # exports named from outside the folder
    assert bool(outside) == (folder == "vendors")  # twilio.yaml and both zoom.yaml name their exports
    assert all(path.startswith("exports/") for path in outside)


def test_a_file_that_may_hold_a_directive_is_kept_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "v.yaml").write_text("kind: vendor  # smlint: disable=SM101 (reason)\nname: X\n", encoding="utf-8")
    (tmp_path / "w.yaml").write_text("kind: vendor\nname: Y\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = plain_run(CheckOptions(paths=(".",)), tmp_path)
    engine = Engine(Selection.all_of(load_ruleset(())), Context(run.today, run.fhir))
    targets = collect_targets(run, tmp_path)
    step = Step(engine, run.config.limits, TargetFiles(targets))
    released = check_targets(step, targets, tmp_path).results()
    assert [(r.path, r.documents[0].data is not None, bool(r.text)) for r in released] == [("v.yaml", True, True),
                                                                                          ("w.yaml", False, False)]


def test_the_engine_joins_the_documents_of_each_project_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # both example agencies in one engine, told which agency each file belongs to: the compliant agency's
    # policy must not satisfy, nor its forms break, the noncompliant agency's cross-artifact rules
    monkeypatch.chdir(EXAMPLES.parent)

    def findings(*folders: str) -> list[tuple[str, str, int, int]]:
        engine = Engine(Selection.all_of(load_ruleset(())), Context(date.fromisoformat(TODAY)),
                        project_of=lambda path: path.split("/")[1])
        targets = collect_targets(plain_run(CheckOptions(paths=folders), EXAMPLES.parent), EXAMPLES.parent)
        found = check_loaded(engine, load_everything(targets, EXAMPLES.parent))
        return [(f.path, f.rule, f.line, f.column) for f in found]

    # (with the engine's defaults, not each agency's .smlint.yaml, so the compliant agency has findings too)
    assert findings("examples/compliant", "examples/noncompliant") == [*findings("examples/compliant"),
                                                                       *findings("examples/noncompliant")]


@pytest.mark.parametrize("hold", [0, 100, 10**6])  # packed from the first file, from the 40th, never
def test_packed_entries_read_back_rule_by_rule_as_they_were_added(hold: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PackedEntries, "HOLD", hold)
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
    assert sm201[0].facts == {"form": skeleton, "places": {"/a": ("a", "/a", 1, 1, 1, 2)}}
    assert sm201[0].name == "form 0" and sm201[0].kind == "intake-form"
    assert all(e.facts["form"] == skeleton for e in sm201)  # stored once, read back for each rule
    assert list(sm201[3].facts) == ["form", "places"]  # the facts' keys in their order
    sm401 = facts.concerning("SM401")
    assert [(e.path, e.kind) for e in sm401][:3] == [(files[1], "intake-form"), (files[3], "intake-form"),
                                                     (files[4], "vendor")]
    assert files[5] not in [e.path for e in sm401]
    assert facts.concerning("SM999") == []


@pytest.mark.parametrize("hold", [0, 100, 10**6])  # packed from the first file, from the 20th, never
def test_packed_entries_of_several_kinds_keep_the_order_of_the_files(hold: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # entries are kept kind by kind (and packed a chunk of one kind at a time): a rule that joins vendor
    # files and intake forms reads them back in the order of their files all the same
    monkeypatch.setattr(PackedEntries, "HOLD", hold)
    packed = PackedEntries()
    files = [f"f{i:03d}.yaml" for i in range(2 * PackedEntries.CHUNK + 9)]
    expected: dict[str, list[tuple[str, str, object]]] = {"SM201": [], "SM202": [], "SM401": []}
    for i, path in enumerate(files):
        if i % 3:
            skeleton = {"clauses": {"texting_consent": i % 2 == 0}, "number": i}  # held by two rules of one entry
            facts: dict[str, dict[str, object]] = {"SM201": {"form": skeleton, "n": i}, "SM202": {"form": skeleton}}
            kind = "intake-form"
        else:
            facts = {"SM401": {"require": [i, "texting"]}}
            kind = "vendor"
        if i % 5 == 0:
            facts["SM401"] = {"when": ("category", i)}
        packed.add(path, [Entry(path, kind, facts, f"artifact {i}")])
        for rule_id, found in facts.items():
            expected[rule_id].append((path, kind, found))
    again = files[3]  # a vendor file checked again, once everything is added (packed by then when hold=100)
    packed.add(again, [Entry(again, "vendor", {"SM401": {"require": ["again"]}}, "artifact 3, again")])
    expected["SM401"] = [(path, kind, {"require": ["again"]} if path == again else found)
                         for path, kind, found in expected["SM401"]]
    facts_read = packed.facts()
    for rule_id, entries in expected.items():
        assert [(e.path, e.kind, e.facts) for e in facts_read.concerning(rule_id)] == entries
    sm201, sm202 = facts_read.concerning("SM201"), facts_read.concerning("SM202")
    assert all(a.facts["form"] is b.facts["form"] for a, b in zip(sm201, sm202, strict=True))  # unpacked once
    assert [e.name for e in facts_read.concerning("SM401")][:2] == ["artifact 0", "artifact 3, again"]
    assert facts_read.paths == files


def test_a_value_marshal_cannot_pack_is_kept_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PackedEntries, "HOLD", 0)
    odd = date(2026, 3, 1)  # no built-in check makes one; a custom check might
    packed = PackedEntries()
    for i in range(PackedEntries.CHUNK + 1):
        packed.add(f"v{i}.yaml", [Entry(f"v{i}.yaml", "vendor", {"SM401": {"since": odd, "n": i}})])
    read = packed.facts().concerning("SM401")
    assert [e.facts for e in read] == [{"since": odd, "n": i} for i in range(PackedEntries.CHUNK + 1)]
