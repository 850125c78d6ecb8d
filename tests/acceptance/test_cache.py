"""The project index cache (.smlint_cache/): it holds facts, never client data; it notices every change; a
warm one-file run parses no other file and decodes only the facts of the rules its file takes part in; a
change rewrites only the sections it touches; --no-cache and `smlint clean`; a broken cache is ignored."""

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


def index_file(root: Path) -> Path:
    return next((root / ".smlint_cache").rglob("index-*.jsonl"))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display names of the files the project cache parses (`cache.load_bytes`), in order."""
    names: list[str] = []
    real = cache.load_bytes

    def counting(raw: bytes, display: str, *args: object, **kwargs: object) -> object:
        names.append(display)
        return real(raw, display, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "load_bytes", counting)
    return names


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
    header, sections = cache.read_index(index_file(project))
    assert "intake/planted.yaml" in header["files"]  # the planted files were indexed, not skipped
    assert header["files"]["intake/planted.yaml"][4]  # the rules it has facts for
    assert "intake/planted.yaml" in sections["SM402"]
    assert (code, out) == (0, "All clear: 1 file(s) checked, no findings.\n")
    code, out = check("intake/planted.yaml")  # joined through digests: no policy has the version it cites
    assert code == 1
    assert "intake/planted.yaml:3:1: SM402 [error] " in out


def test_a_warm_run_parses_only_what_changed(project: Path, parsed: list[str]) -> None:
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


def test_markdown_that_is_not_a_policy_is_recorded_without_being_parsed(project: Path, parsed: list[str]) -> None:
    """A README is not an artifact: the cache notes it as having no facts without parsing it, and opens it
    again only once it changes; once it says it is a policy, it is parsed and joined like any policy."""
    readme = project / "README.md"
    readme.write_text("# Riverside Counseling\n\nHow staff keep this folder up to date.\n", encoding="utf-8")
    vendor = "vendors/spruce-health.yaml"
    assert check(vendor) == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert "policies/social-media-technology-policy.md" in parsed and "README.md" not in parsed
    header, _ = cache.read_index(index_file(project))
    assert header["files"]["README.md"][4] == []  # recorded, with no facts
    parsed.clear()
    assert check(vendor) == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert parsed == []
    policy = (project / "policies" / "social-media-technology-policy.md").read_text(encoding="utf-8")
    readme.write_text(policy, encoding="utf-8")  # a second copy of the policy, as a README
    warm = check(vendor)
    assert parsed == ["README.md"]
    header, _ = cache.read_index(index_file(project))
    facts_in = {name: {header["rules"][i] for i in record[4]} for name, record in header["files"].items()}
    assert facts_in["README.md"] == facts_in["policies/social-media-technology-policy.md"] != set()
    assert warm == check(vendor, "--no-cache")


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
    index = index_file(project)
    good = index.read_text(encoding="utf-8")
    header, sections = cache.read_index(index)
    start, end, _ = header["sections"]["SM401"]
    body = good.partition("\n")[2]
    torn = good.replace(body, body[:start] + body[start:end].replace("true", "fals") + body[end:])  # digest fails
    form = "intake/adult-outpatient-intake.yaml"
    bad_ref = {**sections, "SM401": {**sections["SM401"], form: [["intake-form", {}, {"require": 99}]]}}
    texts = [(name, json.dumps(value)) for name, value in bad_ref.items()]  # digests match: names no shared value
    for garbage in ("{not json", '{"format": 3, "files": {"intake/adult-outpatient-intake.yaml": 3}}', "[]",
                    '{"format": 3, "rules": [], "sections": {}, "files": {"vendors/ringcentral.yaml": [1, 2]}}',
                    torn, cache.index_text(header["rules"], header["files"], texts)):
        index.write_text(garbage, encoding="utf-8")
        assert check("vendors/spruce-health.yaml") == (0, "All clear: 1 file(s) checked, no findings.\n")
        header_now, sections_now = cache.read_index(index)
        assert header_now["format"] == cache.FORMAT
        assert sections_now == sections  # rewritten as it was: every file's facts, read or parsed again


def test_forged_facts_of_an_unchanged_file_are_used_but_any_edit_replaces_them(project: Path) -> None:
    """The cache is trusted like the files beside it (docs/security.md): CI runs on a clean checkout."""
    assert check("vendors/spruce-health.yaml")[0] == 0
    index = index_file(project)
    header, sections = cache.read_index(index)
    forged = [(name, json.dumps({} if name != cache.SHARED else value)) for name, value in sections.items()]
    index.write_text(cache.index_text(header["rules"], header["files"], forged), encoding="utf-8")
    assert check("vendors/spruce-health.yaml")[0] == 1  # as if no intake form had any consent
    assert check("vendors/spruce-health.yaml", "--no-cache")[0] == 0


def test_facts_several_rules_keep_alike_are_stored_once_and_read_back_equal(project: Path) -> None:
    """The intake clause rules (check `form_set`) each keep the form's skeleton: the cache stores it once."""
    assert check("vendors/spruce-health.yaml")[0] == 0
    header, sections = cache.read_index(index_file(project))
    form = "intake/adult-outpatient-intake.yaml"
    stored = {rule: sections[rule][form] for rule in header["rules"] if form in sections.get(rule, {})}
    skeletons = {refs["form"] for entries in stored.values() for _, _, refs in entries if "form" in refs}
    assert len(skeletons) == 1 and len(stored) >= 10  # one skeleton, named by every form_set rule
    assert all("form" not in own for entries in stored.values() for _, own, _ in entries)
    shared = sections[cache.SHARED][form]
    assert shared[skeletons.pop()]["clauses"]  # the skeleton itself: clause names and whether each is there
    assert "vendors/spruce-health.yaml" not in sections[cache.SHARED]  # a vendor's facts share nothing
    key = cache.ProjectCache(project, "test")
    assert key.key(project / "intake" / "." / "adult-outpatient-intake.yaml") == form


def test_a_warm_vendor_run_decodes_only_the_rules_a_vendor_takes_part_in(project: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The intake clause rules judge forms: a run on a vendor file reads none of their facts."""
    assert check("policies/social-media-technology-policy.md")[0] == 0  # indexes the vendor file too
    header, sections = cache.read_index(index_file(project))
    vendor = "vendors/spruce-health.yaml"
    vendor_rules = {header["rules"][i] for i in header["files"][vendor][4]}
    form_rules = {rule for rule, section in sections.items() if rule != cache.SHARED
                  and all(path.startswith("intake/") for path in section)}
    assert vendor_rules and form_rules
    assert check(vendor) == (0, "All clear: 1 file(s) checked, no findings.\n")  # the policy is indexed now
    decoded: list[str] = []
    real = cache.ProjectCache._decode

    def counting(self: cache.ProjectCache, name: str) -> object:
        decoded.append(name)
        return real(self, name)

    monkeypatch.setattr(cache.ProjectCache, "_decode", counting)
    assert check(vendor) == (0, "All clear: 1 file(s) checked, no findings.\n")
    assert decoded and set(decoded) <= vendor_rules
    assert not form_rules & set(decoded)
    assert cache.SHARED not in decoded


def section_texts(file: Path) -> dict[str, str]:
    head, _, body = file.read_text(encoding="utf-8").partition("\n")
    return {name: body[start:end] for name, (start, end, _) in json.loads(head)["sections"].items()}


def test_a_change_rewrites_only_the_sections_the_file_is_in(project: Path) -> None:
    assert check("policies/social-media-technology-policy.md")[0] == 0
    before, raw_before = cache.read_index(index_file(project))[1], section_texts(index_file(project))
    vendor = project / "vendors" / "ringcentral.yaml"
    vendor.write_text(vendor.read_text(encoding="utf-8").replace("handles_client_data: true",
                                                                  "handles_client_data: false"), encoding="utf-8")
    assert check("policies/social-media-technology-policy.md")[0] in (0, 1)
    after, raw_after = cache.read_index(index_file(project))[1], section_texts(index_file(project))
    touched = {rule for sections in (before, after) for rule, section in sections.items()
               if "vendors/ringcentral.yaml" in section}  # the sections it had or has facts in
    assert touched and before != after
    kept = [name for name in raw_before if name not in touched and name in raw_after]
    assert len(kept) > 10
    assert all(raw_after[name] == raw_before[name] for name in kept)  # copied as they were


def test_a_finding_names_another_artifact_alike_from_the_cache_and_from_a_parse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]) -> None:
    """The cache keeps no names; a finding that names a vendor read from it reads that vendor's file again."""
    root = tmp_path / "agency"
    shutil.copytree(EXAMPLES / "noncompliant", root, ignore=shutil.ignore_patterns(".smlint_cache"))
    monkeypatch.chdir(root)
    monkeypatch.delenv("SMLINT_NO_CACHE", raising=False)
    policy = "policies/technology-policy.docx"
    cold = check(policy, "--select", "SM406")
    parsed.clear()
    warm = check(policy, "--select", "SM406")
    assert warm == cold == check(policy, "--select", "SM406", "--no-cache")
    assert warm == (1, f"{policy}:18:1: SM406 [error] the policy promises encryption in transit, but a vendor that "
                       "handles client data does not encrypt it (TextNow) (paragraph 18, under 'Technology and Social "
                       "Media Guidelines > Electronic communication and security')\n"
                       "Found 1 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 0 info.\n")
    assert parsed == ["vendors/textnow.yaml"]  # read for its name only; no other file of the project
