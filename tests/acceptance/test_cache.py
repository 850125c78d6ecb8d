"""The project index cache (.smlint_cache/): it holds facts, never client data; it notices every change; a
warm one-file run parses no other file; --no-cache and `smlint clean`; a broken cache is ignored."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from smlint import cache
from tests.conftest import EXAMPLES, TODAY, run_cli

PLANTED = ("078-05-1120", "078051120", "Jane", "Doe", "jane.doe@example.org", "example.org", "555-867-5309",
           "5558675309", "Riverside Clinic Client")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "agency"
    shutil.copytree(EXAMPLES / "compliant", root, ignore=shutil.ignore_patterns(".smlint_cache"))  # a cache left by
    # an earlier run of another smlint version would sit beside the one these tests read
    monkeypatch.chdir(root)
    for name in ("PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY", "SMLINT_TODAY", "SMLINT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    return root


def check(*args: str) -> tuple[int, str]:
    result = run_cli("check", "--today", TODAY, "--format", "concise", *args)
    assert result.stderr == ""
    return result.exit_code, result.stdout


def cache_text(root: Path) -> str:
    files = [p for p in (root / ".smlint_cache").rglob("*") if p.is_file()]
    assert any(p.name.startswith("index-") for p in files)
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def plant(root: Path) -> None:
    """Client identifiers in the very fields the joins read: policy version, approved vendors, vendor name,
    the policy version a form acknowledges, a telehealth state."""
    (root / "intake" / "planted.yaml").write_text(
        "kind: intake-form\ntitle: Intake for Jane Doe\nacknowledges_policy: 078-05-1120\n"
        "client_name: Jane Doe\nclient_email: jane.doe@example.org\nphone: 555-867-5309\n"
        "clauses:\n  client_location:\n    text: Riverside Clinic Client Jane Doe\n    state: jane.doe@example.org\n"
        "  texting_consent:\n    text: Jane Doe agrees, call 555-867-5309\n", encoding="utf-8")
    (root / "vendors" / "planted.yaml").write_text(
        "kind: vendor\nname: Riverside Clinic Client 078-05-1120\ncategory: texting\nhandles_client_data: true\n"
        "notes: jane.doe@example.org 5558675309\n", encoding="utf-8")
    (root / "policies" / "planted.yaml").write_text(
        "kind: policy\norganisation: Jane Doe\nversion: 078051120\n"
        "approved_vendors: [Jane Doe, jane.doe@example.org]\n", encoding="utf-8")


def test_the_cache_holds_no_client_identifiers(project: Path) -> None:
    plant(project)
    code, out = check("vendors/spruce-health.yaml")
    text = cache_text(project)
    assert [word for word in PLANTED if word.casefold() in text.casefold()] == []
    records = json.loads((next((project / ".smlint_cache").rglob("index-*.json"))).read_text(encoding="utf-8"))
    assert "intake/planted.yaml" in records["files"]  # the planted files were indexed, not skipped
    assert records["files"]["intake/planted.yaml"]["entries"]
    assert (code, out) == (0, "All clear: 1 file(s) checked, no findings.\n")
    code, out = check("intake/planted.yaml")  # joined through digests: no policy has the version it cites
    assert code == 1
    assert "intake/planted.yaml:3:1: SM402 [error] " in out


def test_a_warm_run_parses_only_what_changed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = cache.load_bytes

    def counting(raw: bytes, display: str, *args: object, **kwargs: object) -> object:
        parsed.append(display)
        return real(raw, display, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "load_bytes", counting)
    for other in ("minor-guardian-intake.yaml", "adult-intake-questionnaire.fhir.json"):
        (project / "intake" / other).unlink()  # one intake form left: the one edited below
    assert check("vendors/spruce-health.yaml") == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert len(parsed) == 17  # every other artifact of the project (18 files), once
    parsed.clear()
    assert check("vendors/spruce-health.yaml") == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert parsed == []
    intake = project / "intake" / "adult-outpatient-intake.yaml"
    os.utime(intake, ns=(intake.stat().st_atime_ns, intake.stat().st_mtime_ns + 10**9))  # touched, not changed
    assert check("vendors/spruce-health.yaml")[0] == 0
    assert parsed == []
    text = intake.read_text(encoding="utf-8")
    intake.write_text(text.replace("texting_consent:", "texting_consent_removed:"), encoding="utf-8")
    code, out = check("vendors/spruce-health.yaml")
    assert parsed == ["intake/adult-outpatient-intake.yaml"]
    assert (code, out.splitlines()[0]) == (1, "vendors/spruce-health.yaml:3:1: SM401 [error] staff text clients "
                                              "through this vendor, but no intake form has a texting consent clause")


def test_no_cache_writes_nothing_and_clean_removes_the_cache(project: Path) -> None:
    assert check("vendors/spruce-health.yaml", "--no-cache")[0] == 0
    assert not (project / ".smlint_cache").exists()
    assert check("vendors/spruce-health.yaml")[0] == 0
    folder = project / ".smlint_cache"
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "0.1.0", "CACHEDIR.TAG"]
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert [p.name for p in (folder / "0.1.0").iterdir() if not p.name.startswith("index-")] == []  # no temp file
    cleaned = run_cli("clean")
    assert (cleaned.exit_code, cleaned.stdout) == (0, "Removed .smlint_cache\n")
    assert not folder.exists()
    assert run_cli("clean").stdout == "No smlint cache found.\n"


def test_a_broken_cache_is_ignored_and_rewritten(project: Path) -> None:
    assert check("vendors/spruce-health.yaml")[0] == 0
    index = next((project / ".smlint_cache").rglob("index-*.json"))
    status = (project / "intake/adult-outpatient-intake.yaml").stat()
    bad_ref = {"size": status.st_size, "mtime_ns": status.st_mtime_ns, "hash": "x", "kind": "", "shared": [],
               "entries": [["intake-form", {"SM401": {}}, {"SM401": {"form": 0}}]]}  # names no shared value
    for garbage in ("{not json", '{"format": 2, "files": {"intake/adult-outpatient-intake.yaml": 3}}', "[]",
                    json.dumps({"format": 2, "files": {"intake/adult-outpatient-intake.yaml": bad_ref}})):
        index.write_text(garbage, encoding="utf-8")
        assert check("vendors/spruce-health.yaml") == (0, "All clear: 1 file(s) checked, no findings.\n")
        assert json.loads(index.read_text(encoding="utf-8"))["format"] == cache.FORMAT


def test_forged_facts_of_an_unchanged_file_are_used_but_any_edit_replaces_them(project: Path) -> None:
    """The cache is trusted like the files beside it (docs/security.md): CI runs on a clean checkout."""
    assert check("vendors/spruce-health.yaml")[0] == 0
    index = next((project / ".smlint_cache").rglob("index-*.json"))
    data = json.loads(index.read_text(encoding="utf-8"))
    for record in data["files"].values():
        record["entries"] = []  # as if no intake form had any consent
    index.write_text(json.dumps(data), encoding="utf-8")
    assert check("vendors/spruce-health.yaml")[0] == 1
    assert check("vendors/spruce-health.yaml", "--no-cache")[0] == 0


def test_facts_several_rules_keep_alike_are_stored_once_and_read_back_equal(project: Path) -> None:
    """The intake clause rules (check `form_set`) each keep the form's skeleton: the cache stores it once."""
    assert check("vendors/spruce-health.yaml")[0] == 0
    data = json.loads(next((project / ".smlint_cache").rglob("index-*.json")).read_text(encoding="utf-8"))
    record = data["files"]["intake/adult-outpatient-intake.yaml"]
    (kind, own, refs), = record["entries"]
    assert kind == "intake-form"
    skeletons = {index for rule_refs in refs.values() for name, index in rule_refs.items() if name == "form"}
    assert len(skeletons) == 1 and len(refs) >= 10  # one skeleton, named by every form_set rule
    assert all("form" not in facts for facts in own.values())
    entries = cache.unpack(record, "intake/adult-outpatient-intake.yaml")
    assert entries[0].facts["SM201"]["form"] is entries[0].facts["SM202"]["form"]  # one object when read, too
    again = cache.unpack(json.loads(json.dumps(cache.pack(entries))), "intake/adult-outpatient-intake.yaml")
    assert again == entries
