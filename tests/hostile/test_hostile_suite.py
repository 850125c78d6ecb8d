"""The hostile-input suite: one folder holding every broken and hostile case, checked in one run.

Every case must give its expected finding (rule, and location where it is certain), the run must end
with exit 1 and no traceback, and nothing in the files may be constructed or run.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, run_cli
from tests.hostile.cases import MARKER, Expect, build


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[Expect]]]:
    root = tmp_path_factory.mktemp("hostile")
    return root, build(root)


@pytest.fixture(scope="module")
def json_run(suite: tuple[Path, dict[str, list[Expect]]]) -> tuple[Result, dict[str, list[dict[str, Any]]]]:
    root, _ = suite
    with _cwd(root):
        result = run_cli("check", ".", "--format", "json", "--today", "2026-03-01")
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in json.loads(result.stdout)["findings"]:
        by_path[finding["path"]].append(finding)
    return result, by_path


def _display(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _matches(finding: dict[str, Any], expect: Expect) -> bool:
    return (finding["rule"] == expect.rule
            and (expect.line is None or finding["line"] == expect.line)
            and (expect.column is None or finding["column"] == expect.column)
            and (expect.pointer is None or finding["pointer"] == expect.pointer))


def test_the_whole_folder_ends_with_exit_1_and_no_traceback(json_run: tuple[Result, Any]) -> None:
    result, _ = json_run
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "Traceback" not in result.stdout


def test_every_case_gives_its_expected_findings(suite: tuple[Path, dict[str, list[Expect]]],
                                                json_run: tuple[Result, dict[str, list[dict[str, Any]]]]) -> None:
    _, expected = suite
    _, by_path = json_run
    missing = [(name, expect) for name, expects in expected.items() for expect in expects
               if not any(_matches(f, expect) for f in by_path.get(_display(name), []))]
    assert missing == []


def test_every_broken_file_has_a_finding_and_every_file_was_checked(
        suite: tuple[Path, dict[str, list[Expect]]], json_run: tuple[Result, dict[str, list[dict[str, Any]]]]) -> None:
    _, expected = suite
    result, by_path = json_run
    broken = {_display(name) for name, expects in expected.items() if expects}
    assert broken - set(by_path) == set()
    # and the two exports the compliant Zoom vendor's copies name (by absolute path, outside the folder)
    assert json.loads(result.stdout)["summary"]["files"] == len(expected) + 2


def test_files_that_are_not_broken_give_no_finding(suite: tuple[Path, dict[str, list[Expect]]],
                                                   json_run: tuple[Result, dict[str, list[dict[str, Any]]]]) -> None:
    _, expected = suite
    _, by_path = json_run
    quiet = [name for name, expects in expected.items() if not expects and not name.startswith("wrong-type-")]
    assert quiet == ["shape/top-level-scalar.yaml", "shape/empty.yaml", "shape/comments-only.yaml"]
    assert {name: by_path.get(name, []) for name in quiet} == {name: [] for name in quiet}


def test_no_python_tag_was_constructed_or_run(suite: tuple[Path, dict[str, list[Expect]]],
                                              json_run: tuple[Result, Any]) -> None:
    root, _ = suite
    assert not (root / MARKER).exists()
    assert not list(root.rglob(MARKER))
    assert not Path(MARKER).exists()


def test_wrong_types_at_every_level_only_give_schema_and_rule_findings(
        json_run: tuple[Result, dict[str, list[dict[str, Any]]]]) -> None:
    _, by_path = json_run
    wrong = {path: findings for path, findings in by_path.items() if path.startswith("wrong-type")}
    assert len(wrong) > 600
    rules = {f["rule"] for findings in wrong.values() for f in findings}
    # SM030: a value of the wrong type records no fact, so the rules that read it ask for it
    assert rules <= {"SM001", "SM003", "SM030"} | {r for r in rules if r[2] in "1234"}
    assert not any(rule.startswith("SM5") for rule in rules)


def test_concise_format_over_the_folder_has_one_line_per_finding(suite: tuple[Path, dict[str, list[Expect]]],
                                                               json_run: tuple[Result, Any]) -> None:
    root, _ = suite
    _, by_path = json_run
    with _cwd(root):
        text = run_cli("check", ".", "--today", "2026-03-01", "--format", "concise")
    assert text.exit_code == 1
    assert text.stderr == ""
    total = sum(len(v) for v in by_path.values())
    assert len(text.stdout.splitlines()) == total + 1


def test_loading_any_case_leaves_no_reference_cycle(suite: tuple[Path, dict[str, list[Expect]]]) -> None:
    """Whatever a file holds, loading it frees everything by reference counting: a hostile repository cannot
    grow memory through garbage that only the cyclic collector would find."""
    import gc

    from smlint.loader import load_file

    root, _ = suite
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    assert len(files) > 800
    load_file(files[0], "warm-up")  # first-use imports and caches are not the point
    was_enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    gc.freeze()  # the test session's own objects: each collection below then looks at one file's alone
    try:
        leaving = [f.relative_to(root).as_posix() for f in files if (load_file(f, "x"), gc.collect())[1]]
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
    assert leaving == []
