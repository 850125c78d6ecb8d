"""Every shell transcript in README.md and docs/*.md is run, and its output compared with what smlint prints.

A transcript is a ```console block: lines starting `$ smlint ...` are commands, the lines after each are
what it prints (standard output, then standard error). In the expected output a line `...` stands for any
number of lines, and `...` inside a line for any text, so a transcript may shorten what it shows but never
show what smlint does not print. Any fenced block that starts with `$ smlint` must be a ```console block,
so no transcript escapes this test.

Each document runs in a fresh folder holding a copy of `examples/`, its transcripts in order (so
`smlint init x` followed by `smlint check x` works as a reader would type them), with the date fixed by
SMLINT_TODAY=2026-03-01. A transcript that needs files of its own gets them from SETUPS, keyed by document
and command; one checked by another test with its own fixture is listed in CHECKED_ELSEWHERE.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, TODAY, run_cli

DOCS = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "rules.md")]
FENCE = re.compile(r"^```(\S*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    command: str
    expected: tuple[str, ...]


def _write(files: dict[str, str]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    return setup


def _cd(relative: str) -> Callable[[Path], Path]:
    return lambda folder: folder / relative


# (document, command) -> files written into the document's folder before the command runs
SETUPS: dict[tuple[str, str], Callable[[Path], None]] = {
    ("docs/configuration.md", "smlint check"): _write({".smlint.yaml": "select: [ALL]\nignore: [SM305]\n"
                                                                        "fail_on: sometimes\n"}),
    ("docs/configuration.md", "smlint config --show"): _write({".smlint.yaml": "select: [ALL]\nignore: [SM305]\n"}),
    ("docs/configuration.md", "smlint check practice --select SM070"): _write({
        "practice/.smlint.yaml": "profile:\n  covered_entity: true\n",
        "practice/policy.yaml": "kind: policy\norganisation: Cedar Path Counselling\ncovered_entity: false\n"}),
}
# (document, command) -> the folder below the document's folder the command runs in
FOLDERS: dict[tuple[str, str], Callable[[Path], Path]] = {
    ("docs/custom-rules.md", "smlint test-rules"): _cd("examples/custom-rules"),
    ("docs/custom-rules.md", "smlint check --select RFS"): _cd("examples/custom-rules"),
}
CHECKED_ELSEWHERE = {
    ("docs/formats.md", "smlint explain-form forms/intake.json"):
        ("tests/acceptance/test_fhir_mapping.py", "test_docs_explain_form_transcript_is_real_output"),
}


def transcripts(doc: Path) -> list[Command]:
    text = doc.read_text(encoding="utf-8")
    name = doc.relative_to(ROOT).as_posix()
    commands = []
    for block in FENCE.finditer(text):
        language, body = block.group(1), block.group(2)
        if not body.startswith("$ smlint"):
            continue
        line = text.count("\n", 0, block.start()) + 2
        assert language == "console", f"{name}:{line}: a transcript must be a ```console block (it is run)"
        current: list[str] = []
        for offset, row in enumerate(body.rstrip("\n").split("\n")):
            if row.startswith("$ "):
                current = []
                commands.append((line + offset, row[2:], current))
            else:
                current.append(row)
    return [Command(name, at, command, tuple(expected)) for at, command, expected in commands]


ALL = [command for doc in DOCS for command in transcripts(doc)]


def matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """`...` alone on a line: any number of lines; `...` within a line: any text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.split("..."))
    return re.fullmatch(pattern, actual[0]) is not None and matches(rest, actual[1:])


def test_every_document_with_a_transcript_is_found() -> None:
    names = {c.doc for c in ALL}
    assert {"README.md", "docs/getting-started.md", "docs/configuration.md", "docs/custom-rules.md"} <= names
    for command in ALL:
        assert command.command.startswith("smlint "), f"{command.doc}:{command.line}: transcripts run smlint only"


@pytest.mark.parametrize("doc", sorted({c.doc for c in ALL}))
def test_transcripts_print_what_smlint_prints(doc: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.setenv("SMLINT_TODAY", TODAY)
    monkeypatch.setenv("SMLINT_NO_CACHE", "1")
    for name in ("PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    for command in (c for c in ALL if c.doc == doc):
        key = (doc, command.command)
        if key in CHECKED_ELSEWHERE:
            test_file, test_name = CHECKED_ELSEWHERE[key]
            assert f"def {test_name}(" in (ROOT / test_file).read_text(encoding="utf-8")
            continue
        if key in SETUPS:
            SETUPS[key](tmp_path)
        monkeypatch.chdir(FOLDERS[key](tmp_path) if key in FOLDERS else tmp_path)
        result = run_cli(*shlex.split(command.command)[1:])
        actual = (result.stdout + result.stderr).rstrip("\n").split("\n")
        expected = command.expected
        while expected and not expected[-1]:
            expected = expected[:-1]
        assert matches(expected, actual), (
            f"{doc}:{command.line}: `{command.command}` printed (exit {result.exit_code}):\n" + "\n".join(actual))


def test_the_wildcards_cut_only_where_marked() -> None:
    assert matches(("a", "...", "d"), ["a", "b", "c", "d"])
    assert matches(("a", "...", "d"), ["a", "d"])
    assert not matches(("a", "d"), ["a", "b", "d"])
    assert matches(("... passed, 0 failed",), ["512 passed, 0 failed"])
    assert not matches(("... passed, 0 failed",), ["512 passed, 1 failed"])
    assert not matches(("a",), ["a", "extra"])


def test_the_configuration_transcripts_show_the_file_they_run_with() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "```yaml\nselect: [ALL]\nignore: [SM305]\nfail_on: sometimes\n```" in text
    assert "With the mistake corrected (the `fail_on` line removed)" in text
