"""A temporary copy of the checkout to change and run smlint from, in a subprocess: what a contributor's edit
does to the generated files and to `smlint` itself, without touching the real checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

COPIED = ("linter", "schemas", "rules", "docs")
COPIED_FILES = ("README.md", "pyproject.toml")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def copy_checkout(tmp_path: Path) -> Path:
    """linter/, schemas/, rules/, docs/ and the top-level files the generators read, copied to tmp_path/checkout."""
    root = tmp_path / "checkout"
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name, ignore=IGNORED)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, root / name)
    return root


def run_copy(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python ARGS` with the copy's package first on the path (not the installed one), from `cwd` (the copy)."""
    env = {**os.environ, "PYTHONPATH": str(root / "linter"), "SMLINT_NO_CACHE": "1", "NO_COLOR": "1"}
    env.pop("SMLINT_TODAY", None)
    return subprocess.run([sys.executable, *args], cwd=cwd or root, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
