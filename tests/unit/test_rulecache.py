"""The shipped index of the built-in rules: the same rules as parsing, current, and never written at run time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smlint import registry
from smlint.registry import builtin_rule_files, load_ruleset, plain_data
from smlint.rulecache import INDEX_NAME, index_text, read_index


def test_shipped_index_is_current() -> None:
    files = builtin_rule_files()
    shipped = (files[0].parent / INDEX_NAME).read_text(encoding="utf-8")
    assert shipped == index_text(files, plain_data), "run: python -m smlint.rulecache"


def test_indexed_rules_equal_parsed_rules_and_skip_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = load_ruleset(validate_builtin=True)  # validation always parses the YAML

    def no_parsing(path: Path, **kwargs: Any) -> Any:
        raise AssertionError(f"{path} was parsed although the index is current")

    monkeypatch.setattr(registry, "load_rule_file", no_parsing)
    assert load_ruleset().rules == parsed.rules


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_stale_or_broken_index_is_ignored_and_never_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    files = [write(folder, "a.yaml", "one"), write(folder, "b.yaml", "two")]
    assert read_index(files) is None  # no index
    write(folder, INDEX_NAME, index_text(files, lambda p: {"text": p.read_text(encoding="utf-8")}))
    assert read_index(files) == [{"text": "one"}, {"text": "two"}]
    write(folder, "b.yaml", "changed")
    assert read_index(files) is None  # stale: the YAML is parsed instead
    write(folder, INDEX_NAME, "{not json")
    assert read_index(files) is None
    assert (folder / INDEX_NAME).read_text(encoding="utf-8") == "{not json"


def test_index_refuses_rule_files_with_problems(tmp_path: Path) -> None:
    files = [write(tmp_path / "rules", "a.yaml", "one")]
    with pytest.raises(ValueError, match=r"a\.yaml"):
        index_text(files, lambda p: None)
