"""Every output format on the shipped examples stays byte-identical unless a change means to alter it.

A refactor (issue 20) must leave these files alone; a change to rules or messages regenerates them with
`python -m tests.golden.regenerate` and the diff shows reviewers exactly what users will see differently.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden.regenerate import FORMATS, golden_path, render


@pytest.mark.parametrize("jobs", ["1", "2"])  # worker processes give the same bytes as one job
@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_byte_identical_to_the_golden_file(fmt: str, jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SMLINT_TODAY", "PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    code, data = render(fmt, "--jobs", jobs)
    expected = golden_path(fmt).read_bytes()
    assert code == 1  # the noncompliant example has findings
    if data != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8").splitlines(), data.decode("utf-8").splitlines(), "golden", "now", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"{fmt} output changed; if meant, run `python -m tests.golden.regenerate`\n{shown}")
