"""action.yml: a composite action whose inputs reach the shell only through the environment, and whose
run step, executed here with this environment's smlint, writes SARIF and passes smlint's exit code on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.acceptance.test_check_examples import NONCOMPLIANT, NONCOMPLIANT_ERRORS
from tests.conftest import ROOT, TODAY


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def step(action: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in action["runs"]["steps"] if s.get("name") == name)
    return found


def test_action_is_composite_with_documented_inputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "today", "fail-on", "sarif-file", "annotations", "python-version"}
    # what the run step does (test_run_step_writes_sarif_annotations_and_exit_code): every finding in `paths`
    assert action["inputs"]["annotations"]["description"].startswith(
        "Also annotate every finding in `paths`, changed or not ")
    assert action["inputs"]["sarif-file"]["default"] == "smlint.sarif"
    assert set(action["outputs"]) == {"sarif-file", "exit-code"}
    for s in action["runs"]["steps"]:
        if "run" in s:
            assert s["shell"] == "bash"
            assert "${{" not in s["run"], f"inputs must reach '{s['name']}' through env, not the script text"
    assert "pip install" in step(action, "Install smlint")["run"]
    assert step(action, "Install smlint")["env"]["SMLINT_SOURCE"] == "${{ github.action_path }}"


def run_step(action: dict[str, Any], tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    check = step(action, "Run smlint")
    env = {k: v for k, v in os.environ.items() if k not in {"PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "SMLINT_TODAY"}}
    outputs = tmp_path / "github_output"
    summary = tmp_path / "step_summary.md"
    env.update(SMLINT_VENV=sys.prefix, SMLINT_PATHS=".", SMLINT_TODAY_INPUT="", SMLINT_FAIL_ON="error",
               SMLINT_SARIF=str(tmp_path / "smlint.sarif"), SMLINT_ANNOTATIONS="true",
               GITHUB_OUTPUT=str(outputs), GITHUB_STEP_SUMMARY=str(summary))
    env.update(inputs)
    done = subprocess.run(["bash", "-e", "-c", check["run"]], cwd=ROOT, env=env, capture_output=True, text=True)
    return done, outputs


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "smlint").exists(), reason="smlint is not installed in bin/")
def test_run_step_writes_sarif_annotations_and_exit_code(action: dict[str, Any], tmp_path: Path) -> None:
    folders = ("examples/noncompliant/exports examples/noncompliant/intake  examples/noncompliant/policies "
               "examples/noncompliant/vendors examples/noncompliant/site")
    done, outputs = run_step(action, tmp_path, SMLINT_PATHS=folders,
                             SMLINT_TODAY_INPUT=TODAY)
    assert done.returncode == 1, done.stderr
    sarif = json.loads((tmp_path / "smlint.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == len(NONCOMPLIANT)
    errors = sum(line.startswith("::error file=examples/noncompliant/") for line in done.stdout.splitlines())
    assert errors == NONCOMPLIANT_ERRORS
    assert outputs.read_text(encoding="utf-8") == f"sarif-file={tmp_path / 'smlint.sarif'}\nexit-code=1\n"
    assert (tmp_path / "step_summary.md").read_text(encoding="utf-8").startswith("## smlint\n")


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "smlint").exists(), reason="smlint is not installed in bin/")
def test_run_step_passes_a_compliant_repository(action: dict[str, Any], tmp_path: Path) -> None:
    done, outputs = run_step(action, tmp_path, SMLINT_PATHS="examples/compliant", SMLINT_TODAY_INPUT=TODAY,
                             SMLINT_ANNOTATIONS="false")
    assert done.returncode == 0, done.stderr
    assert "::" not in done.stdout
    assert outputs.read_text(encoding="utf-8").endswith("exit-code=0\n")
    assert json.loads((tmp_path / "smlint.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []
