"""Editors agree with smlint: check-jsonschema, run as an editor or a CI job would with the shipped
schemas (format checking on, YAML timestamps read as text), accepts exactly the artifacts that smlint
accepts without SM000/SM001, on the scaffold, the examples, the fidelity agency (when present) and
variants of the scaffold's date fields (placeholders, partial placeholders, impossible dates)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smlint.scaffold import InitOptions, render_files
from tests.conftest import EXAMPLES, ROOT, TODAY, run_cli

pytestmark = pytest.mark.slow

KINDS = ("policy", "intake-form", "vendor")
KIND_LINE = re.compile(r"^kind:\s*['\"]?(?P<kind>[\w-]+)", re.MULTILINE)
SUFFIXES = (".yaml", ".yml", ".json")

# a date field of the scaffold's VoIP vendor, written as each of these; True: both must accept it
DATE_VARIANTS = {
    '"<FILL IN: date the BAA was signed (YYYY-MM-DD)>"': True,
    '"<FILL IN:>"': True,
    '"  <FILL IN: date>  "': True,
    '"<fill in: date the BAA was signed>"': True,
    "2025-06-01": True,
    '"2025-06-01"': True,
    '"by <FILL IN: date>"': False,
    '"<FILL IN: one> <FILL IN: two>"': False,
    '"<FILL IN: date"': False,
    '"2026-02-30"': False,
    '"June 2025"': False,
    '"2025-6-1"': False,
}


def scaffolds(tmp_path: Path) -> list[Path]:
    written = []
    for name, options in {"plain": InitOptions(tmp_path / "plain"),
                          "states": InitOptions(tmp_path / "states", "Riverbend", ("OR", "WA"))}.items():
        for rel, text in render_files(options).items():
            if rel.endswith(SUFFIXES) and not rel.startswith("."):
                path = tmp_path / name / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                written.append(path)
    voip = render_files(InitOptions(tmp_path))["vendors/phone-voip.yaml"]
    signed = '  signed: "<FILL IN: date the BAA was signed (YYYY-MM-DD)>"\n'
    assert signed in voip
    for number, value in enumerate(DATE_VARIANTS):
        path = tmp_path / "variants" / f"voip-{number}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(voip.replace(signed, f"  signed: {value}\n"), encoding="utf-8")
        written.append(path)
    return written


def shipped() -> list[Path]:
    roots = [EXAMPLES, ROOT / "tests" / "fidelity"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*") if p.suffix in SUFFIXES)


def kind_of(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            return None
        kind = data.get("kind") if isinstance(data, dict) else None
        return kind if kind in KINDS else None
    kinds = {m["kind"] for m in KIND_LINE.finditer(text)}
    return kinds.pop() if len(kinds) == 1 and kinds <= set(KINDS) and "\n---" not in text else None


def check_jsonschema(kind: str, paths: list[Path]) -> set[Path]:
    """The files check-jsonschema rejects (invalid or unparsable) with the shipped schema of `kind`."""
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--output-format", "json", "--schemafile",
                           str(ROOT / "schemas" / f"{kind}.schema.json"), *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return {Path(e["filename"]) for e in [*report.get("errors", []), *report.get("parse_errors", [])]}


def smlint_rejects(paths: list[Path]) -> set[Path]:
    result = run_cli("check", *map(str, paths), "--select", "SM000,SM001", "--format", "json", "--exit-zero",
                     "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    return {Path(f["path"]) for f in json.loads(result.stdout)["findings"]}


def test_check_jsonschema_and_smlint_agree_on_every_artifact(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    by_kind: dict[str, list[Path]] = {}
    for path in [*scaffolds(tmp_path), *shipped()]:
        kind = kind_of(path)
        if kind is not None:
            by_kind.setdefault(kind, []).append(path.resolve())
    assert {k: len(v) >= 2 for k, v in by_kind.items()} == dict.fromkeys(KINDS, True)
    everything = [p for paths in by_kind.values() for p in paths]
    smlint = {p.resolve() for p in smlint_rejects(everything)}
    for kind, paths in by_kind.items():
        editor = {p.resolve() for p in check_jsonschema(kind, paths)}
        disagree = sorted(str(p) for p in (editor ^ (smlint & set(paths))))
        assert disagree == [], f"{kind}: check-jsonschema and smlint disagree on {disagree}"
    # the variants were judged as written down before running either tool
    variants = sorted((p for p in everything if p.parent.name == "variants"), key=lambda p: int(p.stem[5:]))
    assert [p not in smlint for p in variants] == list(DATE_VARIANTS.values())
    # and the scaffolds themselves are accepted by both
    assert not {p for p in smlint if tmp_path.resolve() / "plain" in p.parents}


def test_every_property_of_every_shipped_schema_is_described() -> None:
    """Editors show these descriptions on hover and completion: none may be missing."""
    def undescribed(node: object, where: str) -> list[str]:
        found: list[str] = []
        if isinstance(node, dict):
            for key, value in (node.get("properties") or {}).items():
                if isinstance(value, dict) and "description" not in value:
                    found.append(f"{where}/properties/{key}")
            for key, value in node.items():
                found += undescribed(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found += undescribed(value, f"{where}/{index}")
        return found

    schemas = sorted((ROOT / "schemas").glob("*.json"))
    assert len(schemas) >= 10
    for schema in schemas:
        assert undescribed(json.loads(schema.read_text(encoding="utf-8")), "") == [], schema.name
