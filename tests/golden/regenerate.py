"""Write the golden outputs: every output format of `smlint check examples`, byte for byte.

Run `python -m tests.golden.regenerate` from the checkout's root after a change that is meant to change what
smlint reports on the shipped examples (a new rule, a reworded message); a refactor must leave them alone.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from smlint.reporters import FORMATS as REPORTERS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FORMATS = tuple(REPORTERS)  # every registered output format: a new one gets its golden file on regeneration
TODAY = "2026-12-01"


def render(fmt: str, *extra: str) -> tuple[int, bytes]:
    """Exit code and stdout of `smlint check examples --format FMT [EXTRA...]`, run in-process from the root."""
    from smlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", "examples", "--format", fmt, "--today", TODAY, "--no-cache", *extra])
    finally:
        os.chdir(previous)
    # SARIF names the checkout's folder as the base of its relative paths; that is where it was run, not output.
    text = out.getvalue().replace(ROOT.as_uri() + "/", "file:///CHECKOUT/")
    return code, text.encode("utf-8")


def golden_path(fmt: str) -> Path:
    return HERE / f"examples.{fmt}.out"


def main() -> None:
    for name in ("SMLINT_TODAY", "PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY"):
        os.environ.pop(name, None)
    for fmt in FORMATS:
        code, data = render(fmt)
        golden_path(fmt).write_bytes(data)
        print(f"{fmt}: exit {code}, {len(data)} bytes")


if __name__ == "__main__":
    main()
