"""Safety of smlint itself: no network, no writes but the report, atomic writes, rule files are data."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Run, run_cli

_EVENTS: list[tuple[str, tuple[Any, ...]]] = []
_RECORDING = [False]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING[0] and (event in ("open", "os.rename", "os.remove", "shutil.rmtree", "os.mkdir")
                          or event.startswith("socket.") or event in ("subprocess.Popen", "os.system", "exec")):
        _EVENTS.append((event, args))


sys.addaudithook(_hook)  # audit hooks cannot be removed; this one only records while a test asks it to


@pytest.fixture
def audited() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    _EVENTS.clear()
    _RECORDING[0] = True
    try:
        yield _EVENTS
    finally:
        _RECORDING[0] = False


def _writes(events: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
    found = []
    for event, args in events:
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writing and not isinstance(path, int) and not str(path).endswith(".pyc"):
                found.append(Path(os.fsdecode(path)).name)
        elif event != "open":
            found.append(event)
    return found


@pytest.fixture
def agency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    # warm-up: imports (which exec module code, e.g. smlint.suppress on the first --write-baseline) and caches
    # happen outside the audit, whatever tests ran before in this process
    for fmt in ("text", "json"):
        run_cli("check", "examples", "--today", "2026-03-01", "--format", fmt, "--show-source")
    for option in ("--output-file", "--write-baseline"):
        run_cli("check", "examples", "--today", "2026-03-01", option, "warm-up.txt")
        (tmp_path / "warm-up.txt").unlink()
    return tmp_path


def _tree(root: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()}


def test_a_check_writes_nothing_and_opens_no_socket(agency: Path, audited: list[Any]) -> None:
    before = _tree(agency)
    result = run_cli("check", "examples", "--today", "2026-03-01", "--format", "json", "--show-source")
    assert result.exit_code == 1
    assert _writes(audited) == []
    assert not any(event.startswith("socket.") for event, _ in audited)
    assert _tree(agency) == before


@pytest.mark.parametrize(("option", "exit_code"), [("--output-file", 1), ("--write-baseline", 0)])
def test_the_named_file_is_the_only_write_and_it_is_atomic(agency: Path, audited: list[Any], option: str,
                                                            exit_code: int) -> None:
    result = run_cli("check", "examples", "--today", "2026-03-01", option, "report.txt")
    assert result.exit_code == exit_code
    writes = _writes(audited)
    assert len(writes) == 2
    assert writes[0].startswith(".report.txt.") and writes[0].endswith(".tmp")  # the temporary file...
    assert writes[1] == "os.rename"  # ...renamed over the target
    assert (agency / "report.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in agency.iterdir()) == ["examples", "report.txt"]


def test_a_failed_output_write_keeps_the_old_report_and_leaves_no_temporary_file(
        agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (agency / "report.txt").write_text("previous report\n", encoding="utf-8")

    def refuse(self: Path, target: Any) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    result = run_cli("check", "examples", "--today", "2026-03-01", "--output-file", "report.txt")
    assert result.exit_code == 2
    assert result.stderr == "smlint: error: cannot write the report to report.txt: No space left on device\n"
    assert (agency / "report.txt").read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in agency.iterdir()) == ["examples", "report.txt"]


def test_a_check_works_with_the_network_unavailable(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run_cli("check", "examples", "--today", "2026-03-01")

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("smlint tried to use the network")

    for name in ("socket", "create_connection", "getaddrinfo", "socketpair"):
        monkeypatch.setattr(socket, name, no_network)
    result = run_cli("check", "examples", "--today", "2026-03-01")
    assert (result.exit_code, result.stdout, result.stderr) == (expected.exit_code, expected.stdout, "")
    assert result.exit_code == 1


RULE = """id: ACME101
name: acme-no-placeholder
title: No placeholder text
severity: error
kinds: [policy]
scope: artifact
tips: [5]
citations: {{other: [Agency handbook]}}
rationale: Placeholders mean the policy is unfinished.
remediation: Replace the placeholder.
check: {{type: {check_type}, regex: '{regex}'}}
message: "{message}"
examples:
  fail: [{{document: {{kind: policy, title: TODO}}}}]
  pass: [{{document: {{kind: policy, title: Done}}}}]
"""


def _custom(tmp_path: Path, *, check_type: str = "text_matches", regex: str = r"\bTODO\b",
            message: str = "the {field} field holds a placeholder", extra: str = "") -> Path:
    folder = tmp_path / "custom-rules"
    folder.mkdir(exist_ok=True)
    text = RULE.format(check_type=check_type, regex=regex, message=message) + extra
    (folder / "acme.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_valid_custom_rule_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("test-rules", str(_custom(tmp_path)))
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"check_type": "python"}, "invalid rule"),
    ({"check_type": "os.system"}, "invalid rule"),
    ({"regex": r"(?=(a+))\1b"}, "regular expression rejected: RE2, smlint's linear-time engine, cannot run it"),
    ({"regex": r"(a+)\1"}, "regular expression rejected: RE2, smlint's linear-time engine, cannot run it"),
    ({"regex": r"(?<!x)days"}, "regular expression rejected: RE2, smlint's linear-time engine, cannot run it"),
    ({"message": "{field.__class__}"}, "message uses {field.__class__}, which this check does not provide"),
    ({"message": "{field:>999999999}"}, "may not carry a conversion or format"),
    ({"message": "{field!r}"}, "may not carry a conversion or format"),
], ids=["check-python", "check-os-system", "lookahead", "backreference", "lookbehind",
        "attribute-lookup", "format-spec", "conversion"])
def test_custom_rules_cannot_run_code_or_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              kwargs: dict[str, str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", ".", "--rules-dir", str(_custom(tmp_path, **kwargs)))
    assert result.exit_code == 2
    assert result.stderr.startswith("smlint: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_python_tag_in_a_rule_file_is_refused_and_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _custom(tmp_path, extra="help_uri: !!python/object/apply:os.system ['touch pwned']\n")
    result = run_cli("check", ".", "--rules-dir", str(folder))
    assert result.exit_code == 2
    assert "unsupported YAML tag" in result.stderr
    assert not (tmp_path / "pwned").exists()


def test_named_pipes_never_block_a_run(run: Run, tmp_path: Path) -> None:
    (tmp_path / "vendor.yaml").write_text("kind: vendor\nname: Zoom\ncategory: videos\nhandles_client_data: true\n",
                                          encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    walked = run("check", str(tmp_path), "--format", "json")
    assert walked.exit_code == 1
    report = json.loads(walked.stdout)
    assert report["summary"]["files"] == 1  # the walk skips the pipe
    named = run("check", str(tmp_path / "pipe.yaml"), "--format", "json")
    findings = json.loads(named.stdout)["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("SM000", 1, 1)]
    assert findings[0]["message"] == "not a regular file (a named pipe, device or socket); not read"
    assert named.exit_code == 1
