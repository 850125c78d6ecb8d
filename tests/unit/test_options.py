"""Options are resolved once (issue 20): `app.resolve` combines what the command line asks (`CheckOptions`)
with a project's configuration into one frozen `RunOptions`; nothing downstream combines them again."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from smlint.app import CheckOptions, RunOptions, resolve
from smlint.config import load_config
from smlint.formats.fhirsettings import FhirSettings
from smlint.model import Severity
from smlint.project import Project

TODAY = date(2026, 3, 1)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "agency-rules").mkdir()
    (tmp_path / ".smlint.yaml").write_text(
        "fail_on: warning\nrules_dirs: [agency-rules]\nbaseline: known.json\n"
        "fhir: {link_ids: {q1: texting_consent}, text_match: true}\n", encoding="utf-8")
    return Project(tmp_path, load_config(tmp_path))


def test_the_configuration_fills_in_what_the_command_line_does_not_say(project: Project, tmp_path: Path) -> None:
    run = resolve(CheckOptions(), project, tmp_path, TODAY)
    assert (run.fail_on, run.baseline, run.today, run.project_root) == (
        Severity.WARNING, tmp_path / "known.json", TODAY, tmp_path)
    assert [p.name for p in run.rules_dirs] == ["agency-rules"]
    assert run.fhir.link_ids == {"q1": ("texting_consent",)} and run.fhir.text_match
    assert run.config is project.config  # the configuration itself, not copies of its parts


def test_the_command_line_wins_and_adds(project: Project, tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    request = CheckOptions(fail_on=Severity.INFO, baseline=tmp_path / "cli.json",
                           rules_dirs=(tmp_path / "more", tmp_path / "agency-rules"),
                           fhir=FhirSettings.from_data({"link_ids": {"q2": "texting_consent"}, "text_match": False}))
    run = resolve(request, project, tmp_path, TODAY)
    assert (run.fail_on, run.baseline) == (Severity.INFO, tmp_path / "cli.json")
    assert [p.name for p in run.rules_dirs] == ["agency-rules", "more"]  # the configuration's first, each once
    assert run.fhir.link_ids == {"q1": ("texting_consent",), "q2": ("texting_consent",)}
    assert run.fhir.text_match is False


def test_no_baseline_applies_while_a_new_one_is_written(project: Project, tmp_path: Path) -> None:
    run = resolve(CheckOptions(write_baseline=tmp_path / "new.json"), project, tmp_path, TODAY)
    assert run.baseline is None
    assert run.own_files == (tmp_path / ".smlint.yaml", tmp_path / "known.json", tmp_path / "new.json")


def test_without_a_configuration_the_defaults_apply(tmp_path: Path) -> None:
    run = resolve(CheckOptions(), Project(None, load_config(tmp_path)), tmp_path, TODAY)
    assert (run.fail_on, run.baseline, run.rules_dirs, run.project_root) == (Severity.ERROR, None, (), None)


def test_both_objects_are_frozen(project: Project, tmp_path: Path) -> None:
    run = resolve(CheckOptions(), project, tmp_path, TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.fail_on = Severity.INFO  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.request.paths = ("x",)  # type: ignore[misc]
    assert isinstance(run, RunOptions)
    fields = {f.name for f in dataclasses.fields(CheckOptions)}
    assert not fields & {"limits", "project_root", "project_scopes", "config_override"}  # no copies of the config
