"""A YAML file whose `kind` smlint does not know is reported (SM003) and still searched for client identifiers
(SM5xx): a misspelt kind must not hide a social security number. Another tool's manifest (`apiVersion`) is
left alone. Expected findings written before running smlint."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run

SSN_NOTE = "note: client SSN 536-22-8714\n"


def concise(run: Run, path: Path, *args: str) -> list[str]:
    result = run("check", "--today", "2026-03-01", "--format", "concise", *args, str(path))
    return [line.removeprefix(f"{path.parent}/") for line in result.stdout.splitlines()[:-1]]


def test_a_misspelt_kind_is_reported_and_its_client_data_too(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("kind: vendr\nname: Zoom\n" + SSN_NOTE, encoding="utf-8")
    assert concise(run, tmp_path / "notes.yaml") == [
        "notes.yaml:1:7: SM003 [error] this 'kind' is not one smlint knows, so only the client-data rules (SM5xx) "
        "check this file; did you mean 'vendor'?",
        "notes.yaml:3:1: SM501 [error] the 'note' field holds what looks like a social security number; client "
        "identifiers must not be kept in this repository",
    ]
    # the client-data rules follow the selection like any other
    assert [line.split(": ")[1].split()[0] for line in concise(run, tmp_path / "notes.yaml", "--ignore", "SM501")] == [
        "SM003"]


def test_another_tools_manifest_is_left_alone(run: Run, tmp_path: Path) -> None:
    (tmp_path / "k8s.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n" + SSN_NOTE, encoding="utf-8")
    assert concise(run, tmp_path / "k8s.yaml") == []
