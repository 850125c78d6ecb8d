"""The parsed built-in rule cache: same rules as parsing, used only while every rule file is unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smlint import registry
from smlint.registry import load_ruleset
from smlint.rulecache import rule_data


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SMLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("SMLINT_NO_CACHE", raising=False)
    return folder


def test_cached_rules_equal_parsed_rules_and_skip_parsing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMLINT_NO_CACHE", "1")
    parsed = load_ruleset()
    assert not cache.exists()
    monkeypatch.delenv("SMLINT_NO_CACHE")
    assert load_ruleset().rules == parsed.rules  # parses and stores
    assert len(list(cache.glob("rules-*.json"))) == 1

    def no_parsing(path: Path, **kwargs: Any) -> Any:
        raise AssertionError(f"{path} was parsed although the cache is current")

    monkeypatch.setattr(registry, "_plain_data", no_parsing)
    monkeypatch.setattr(registry, "load_rule_file", no_parsing)
    assert load_ruleset().rules == parsed.rules


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_edited_rule_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    parsed: list[str] = []

    def parse(path: Path) -> Any:
        parsed.append(path.name)
        return {"text": path.read_text(encoding="utf-8")}

    files = [write(tmp_path / "rules", "a.yaml", "one"), write(tmp_path / "rules", "b.yaml", "two")]
    assert rule_data(files, parse) == [{"text": "one"}, {"text": "two"}]
    assert rule_data(files, parse) == [{"text": "one"}, {"text": "two"}]
    assert parsed == ["a.yaml", "b.yaml"]
    write(tmp_path / "rules", "b.yaml", "changed")
    assert rule_data(files, parse) == [{"text": "one"}, {"text": "changed"}]
    assert parsed == ["a.yaml", "b.yaml", "a.yaml", "b.yaml"]


def test_a_broken_cache_file_is_replaced_and_a_parse_problem_bypasses_the_cache(cache: Path, tmp_path: Path) -> None:
    files = [write(tmp_path / "rules", "a.yaml", "one")]
    assert rule_data(files, lambda p: 1) == [1]
    (stored,) = cache.glob("rules-*.json")
    stored.write_text("{not json", encoding="utf-8")
    assert rule_data(files, lambda p: 2) == [2]
    assert json.loads(stored.read_text(encoding="utf-8"))["rules"] == [2]
    write(tmp_path / "rules", "a.yaml", "now broken")
    assert rule_data(files, lambda p: None) is None


def test_the_cache_can_be_turned_off(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMLINT_NO_CACHE", "1")
    assert rule_data([write(tmp_path / "rules", "a.yaml", "one")], lambda p: 1) is None
    assert not cache.exists()
