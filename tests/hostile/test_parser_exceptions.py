"""Exceptions the parser raises beyond its own error types become SM000 findings, file by file.

Fuzzing the C and pure-Python composers with mutated examples found no such input (see docs/security.md),
so the exceptions are injected: the composer raises them for files that contain a trigger word.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smlint import loader, yamljson
from tests.conftest import run_cli

ODD = [AssertionError("assert"), TypeError("type"), NotImplementedError("no"), ValueError("value"),
       RecursionError("deep"), KeyError("key"), IndexError("index"), AttributeError("attr"),
       UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")]
VENDOR = "kind: vendor\nname: Doxy.me\ncategory: video\nhandles_client_data: false\n"


def _raising(exc: BaseException) -> Any:
    real = yamljson._compose_all

    def compose(text: str) -> Iterator[Any]:
        if "TRIGGER" in text:
            raise exc
        yield from real(text)

    return compose


def _findings(*args: str) -> list[tuple[str, str, int, int, str]]:
    result = run_cli("check", *args, "--format", "json", "--today", "2026-03-01")
    assert result.exit_code == 1
    assert result.stderr == ""
    return [(f["path"], f["rule"], f["line"], f["column"], f["message"])
            for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize("exc", ODD, ids=lambda e: type(e).__name__)
def test_odd_parser_exception_is_sm000_and_other_files_are_still_checked(
        exc: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-broken.yaml").write_text(VENDOR + "# TRIGGER\n", encoding="utf-8")
    (tmp_path / "b-fine.yaml").write_text(VENDOR + "settings: {live_streaming: true}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    fine_alone = _findings("b-fine.yaml")
    assert ("b-fine.yaml", "SM305", 5, 12, "live streaming is enabled on this video platform") in fine_alone
    monkeypatch.setattr(yamljson, "_compose_all", _raising(exc))
    name = type(exc).__name__
    message = "nesting too deep to read" if name == "RecursionError" else f"file could not be parsed ({name})"
    assert _findings(".") == [("a-broken.yaml", "SM000", 1, 1, message), *fine_alone]


def test_an_exception_while_decoding_is_caught_by_the_last_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: bytes) -> str:
        raise TypeError("surprise")

    monkeypatch.setattr(loader, "decode", broken)
    result = loader.load_bytes(b"kind: vendor\n", "v.yaml")
    assert result.documents == ()
    assert [(p.rule, p.span.line, p.message) for p in result.problems] == [
        ("SM000", 1, "file could not be read (TypeError); please report this")]


def test_an_exception_while_building_data_is_sm000(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Any, node: Any, pointer: str, depth: int, key: Any = None) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(yamljson._Builder, "build", broken)
    result = loader.load_text(VENDOR, "v.yaml")
    assert [(p.rule, p.message) for p in result.problems] == [("SM000", "nesting too deep to read")]


def test_a_check_that_fails_on_odd_data_fails_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from smlint.engine import Engine

    (tmp_path / "a-broken.yaml").write_text(VENDOR + "# TRIGGER\n", encoding="utf-8")
    (tmp_path / "b-fine.yaml").write_text(VENDOR + "settings: {live_streaming: true}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    fine_alone = _findings("b-fine.yaml")
    real = Engine.check_document

    def fragile(self: Engine, doc: Any, *rest: Any) -> Any:
        if doc.path == "a-broken.yaml":
            raise TypeError("unhashable type: 'dict'")
        return real(self, doc, *rest)

    monkeypatch.setattr(Engine, "check_document", fragile)
    assert _findings(".") == [("a-broken.yaml", "SM000", 1, 1, "smlint could not finish checking this file "
                               "(TypeError inside smlint); it has not been checked: please report this"),
                              *fine_alone]
    # the finding marks the file's first character, not a span of it (no line of the file is to blame)
    first = json.loads(run_cli("check", "a-broken.yaml", "--format", "json").stdout)["findings"][0]
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (1, 1, 1, 1)
