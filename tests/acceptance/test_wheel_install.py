"""Build the wheel, install it into a fresh virtual environment, and run `smlint` from another folder.

This proves that schemas/ and rules/ ship inside the wheel and that nothing depends on the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, TODAY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a pristine copy of the tracked files: an in-tree build/ folder could hold stale files.
    source = tmp_path_factory.mktemp("source") / "smlint"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True)
    for name in filter(None, tracked.stdout.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, text=True)
    return next(out.glob("smlint-*.whl"))


def test_wheel_contains_schemas_and_rules(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "smlint/schemas/policy.schema.json" in names
    assert "smlint/schemas/rule.schema.json" in names
    assert "smlint/rules/sm101-policy-review-overdue.yaml" in names
    assert "smlint/rules/index.json" in names
    assert "smlint/rules/clauses/terms.yaml" in names and "smlint/rules/clauses/security.yaml" in names
    assert "smlint/py.typed" in names
    assert "smlint/templates/policy.yaml" in names
    assert "smlint/templates/github-workflow.yml" in names
    assert "smlint/templates/README.md" in names
    assert "smlint/formats/fhir_text_match.json" in names


def test_installed_wheel_checks_examples_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    smlint = env_dir / "bin" / "smlint"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ok = subprocess.run([str(smlint), "check", str(EXAMPLES / "compliant"), "--today", TODAY],
                        cwd=elsewhere, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([str(smlint), "check", str(EXAMPLES / "noncompliant"), "--today", TODAY,
                          "--format", "concise"], cwd=elsewhere, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "voiply.yaml:3:1: SM302 [error]" in bad.stdout
    assert "Traceback" not in bad.stderr
    rules = subprocess.run([str(smlint), "test-rules"], cwd=elsewhere, capture_output=True, text=True)
    assert rules.returncode == 0
    assert rules.stdout.rstrip().endswith("0 failed")
    init = subprocess.run([str(smlint), "init", "new-repo", "--state", "OR"], cwd=elsewhere, capture_output=True,
                          text=True)
    assert init.returncode == 0, init.stderr
    scaffold = subprocess.run([str(smlint), "check", "new-repo", "--today", TODAY], cwd=elsewhere,
                              capture_output=True, text=True)
    assert scaffold.returncode == 0, scaffold.stdout + scaffold.stderr
    assert scaffold.stdout.splitlines()[-1] == ("Found 52 finding(s) in 7 of 9 file(s) checked: "
                                                "0 error(s), 0 warning(s), 52 info.")
    report = subprocess.run([str(smlint), "check", "new-repo", "--today", TODAY, "--format", "html"],
                            cwd=elsewhere, capture_output=True, text=True)
    assert report.returncode == 0
    assert report.stdout.startswith("<!DOCTYPE html>")
