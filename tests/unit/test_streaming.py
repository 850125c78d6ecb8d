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
    assert engine().join(found, entries) == expected
    if (example, folder) != ("compliant", "."):
        assert any(f.rule.startswith("SM4") for f in expected)  # the joins are exercised
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
    options = CheckOptions(paths=(".",))
    engine = Engine(Selection.all_of(load_ruleset(())), Context(date.fromisoformat(TODAY), options.fhir))
    released, _, _ = stream(collect_targets(options, tmp_path), options, engine, tmp_path)
    assert [(r.path, r.documents[0].data is not None, bool(r.text)) for r in released] == [("v.yaml", True, True),
                                                                                          ("w.yaml", False, False)]
