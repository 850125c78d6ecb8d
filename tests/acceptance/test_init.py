"""`smlint init`: the scaffold passes its own check, its placeholders are the to-do list, and filling
them in clears it. Nothing is overwritten without --force."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smlint import __version__
from smlint.scaffold import FILES, HOOK_REPOSITORY
from tests.conftest import TODAY, Run, run_cli

MARKER = re.compile(r'"(<FILL IN: [^">]*>)"')
ARTIFACTS = sorted(p for p in FILES.values() if p.startswith(("policies/", "intake/", "vendors/")))


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def marker_lines(repo: Path) -> set[tuple[str, int]]:
    return {(rel, number) for rel in ARTIFACTS
            for number, text in enumerate((repo / rel).read_text(encoding="utf-8").splitlines(), 1)
            if "<FILL IN:" in text and not text.lstrip().startswith("#")}


def findings(run: Run, repo: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("check", str(repo), "--today", TODAY, "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.fixture
def repo(run: Run, tmp_path: Path) -> Path:
    target = tmp_path / "policy-repo"
    result = run("init", str(target))
    assert result.exit_code == 0, result.stderr
    return target


def test_init_lists_what_it_wrote(run: Run, tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "new"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Created a policy repository in {tmp_path / 'new'} (12 files):"
    assert lines[1:13] == [f"  {p}" for p in FILES.values()]
    assert lines[13:15] == ["Next:", f"  1. smlint check {tmp_path / 'new'}"]
    assert sorted(p.relative_to(tmp_path / "new").as_posix() for p in (tmp_path / "new").rglob("*")
                  if p.is_file()) == sorted(FILES.values())


def test_scaffold_passes_and_every_placeholder_is_an_info_finding(run: Run, repo: Path) -> None:
    result = run("check", str(repo), "--today", TODAY)
    assert result.exit_code == 0, result.stdout
    code, found = findings(run, repo)
    assert code == 0
    assert {f["rule"] for f in found} == {"SM020"}
    assert {f["severity"] for f in found} == {"info"}
    located = {(Path(f["path"]).relative_to(repo).as_posix(), f["line"]) for f in found}
    assert located == marker_lines(repo)
    assert len(found) == len(located) == 41
    assert result.stdout.splitlines()[-1] == ("Found 41 finding(s) in 7 of 9 file(s) checked: "
                                              "0 error(s), 0 warning(s), 41 info.")


def test_placeholders_are_reported_where_they_stand(run: Run, repo: Path) -> None:
    _, found = findings(run, repo)
    vendor = [(f["line"], f["column"], f["pointer"]) for f in found if f["path"].endswith("vendors/phone-voip.yaml")]
    assert vendor == [(4, 1, "/name"), (12, 3, "/baa/signed"), (13, 3, "/baa/expires"), (23, 1, "/owner"),
                      (24, 1, "/last_reviewed")]
    assert all(f["message"] == f"'{f['pointer'].rsplit('/', 1)[-1]}' is still a placeholder: replace it with "
               "your agency's decision" for f in found if not f["pointer"].split("/")[-1].isdigit())


def fill_in(repo: Path) -> None:
    """Answer every placeholder as an agency would: the same question gets the same answer everywhere."""
    answers: dict[str, str] = {}

    def answer(match: re.Match[str]) -> str:
        question = match.group(1)
        if "YYYY-MM-DD" in question:
            return "2027-06-01" if re.search(r"ends|expiry", question) else "2026-01-10"
        return '"' + answers.setdefault(question, f"Answer {len(answers) + 1}") + '"'

    for rel in ARTIFACTS:
        path = repo / rel
        path.write_text(MARKER.sub(answer, path.read_text(encoding="utf-8")), encoding="utf-8")


def test_filling_in_the_placeholders_clears_the_list(run: Run, repo: Path) -> None:
    fill_in(repo)
    assert marker_lines(repo) == set()
    result = run("check", str(repo), "--today", TODAY)
    assert result.stdout == "All clear: 9 file(s) checked, no findings.\n"
    assert result.exit_code == 0


def test_filled_in_dates_are_checked(run: Run, repo: Path) -> None:
    """Once a placeholder date is replaced, the deadline rules see it."""
    fill_in(repo)
    code, found = findings(run, repo, "--today", "2027-07-01")
    assert code == 1
    assert ("SM306", "error") in {(f["rule"], f["severity"]) for f in found}
    assert ("SM101", "error") in {(f["rule"], f["severity"]) for f in found}


def test_placeholder_dates_are_not_schema_errors_but_partial_ones_are(run: Run, tmp_path: Path) -> None:
    vendor = tmp_path / "v.yaml"
    vendor.write_text("kind: vendor\nname: Doxy.me\ncategory: video\nhandles_client_data: true\nbaa:\n"
                      "  status: signed\n  signed: \"<FILL IN: date signed (YYYY-MM-DD)>\"\n"
                      "  expires: \"by <FILL IN: date (YYYY-MM-DD)>\"\n", encoding="utf-8")
    _, found = findings(run, vendor)
    assert [(f["rule"], f["line"], f["severity"]) for f in found if f["rule"] in ("SM001", "SM020")] == [
        ("SM020", 7, "info"), ("SM001", 8, "error"), ("SM020", 8, "info")]


def test_options_fill_organisation_states_and_covered_entity(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "r"
    result = run("init", str(target), "--org", 'Riverbend: "Family" & Youth', "--state", "or,WA",
                 "--state", "ca", "--not-covered-entity")
    assert result.exit_code == 0, result.stderr
    policy = load(target / "policies/social-media-technology-policy.yaml")
    assert policy["organisation"] == 'Riverbend: "Family" & Youth'
    assert policy["covered_entity"] is False
    telehealth = policy["sections"]["telehealth"]
    assert telehealth["offered"] is True
    assert telehealth["client_states"] == ["OR", "WA", "CA"]
    assert [lic["state"] for lic in telehealth["licences"]] == ["OR", "WA", "CA"]
    assert telehealth["licences"][0]["number"] == "<FILL IN: licence number in OR>"
    intake = load(target / "intake/adult-intake-and-consent.yaml")
    assert "telehealth" in intake["services"]
    assert intake["acknowledges_policy"] == policy["version"]
    assert {"telehealth_consent", "client_location"} <= set(intake["clauses"])
    code, found = findings(run, target)
    assert code == 0
    assert {f["rule"] for f in found} == {"SM020"}
    assert len(found) == 41 - 1 + 3 * 4  # the organisation is named; four blanks per licence


def test_without_states_telehealth_is_not_offered(repo: Path) -> None:
    policy = load(repo / "policies/social-media-technology-policy.yaml")
    assert policy["covered_entity"] is True
    assert policy["sections"]["telehealth"]["offered"] is False
    assert "licences" not in policy["sections"]["telehealth"]
    assert "telehealth" not in load(repo / "intake/adult-intake-and-consent.yaml")["services"]


def test_policy_covers_every_section_of_the_schema(repo: Path) -> None:
    from smlint.schema import load_schema

    sections = load_schema("policy")["properties"]["sections"]["properties"]
    policy = load(repo / "policies/social-media-technology-policy.yaml")
    assert set(policy["sections"]) == set(sections)
    vendors = [load(repo / p) for p in ARTIFACTS if p.startswith("vendors/")]
    assert sorted(v["category"] for v in vendors) == ["ehr", "payment", "texting", "video", "voip"]


def test_never_overwrites_without_force(run: Run, repo: Path) -> None:
    readme = repo / "README.md"
    readme.write_text("ours\n", encoding="utf-8")
    (repo / "vendors/ehr.yaml").unlink()
    refused = run("init", str(repo))
    assert refused.exit_code == 2
    assert refused.stderr == (f"smlint: error: {repo / 'policies/social-media-technology-policy.yaml'}: already "
                              "exists; use --force to overwrite the scaffold's files\n")
    assert readme.read_text(encoding="utf-8") == "ours\n"
    assert not (repo / "vendors/ehr.yaml").exists()
    forced = run("init", str(repo), "--force")
    assert forced.exit_code == 0
    assert readme.read_text(encoding="utf-8").startswith("# Our agency: social media and technology policy")
    assert (repo / "vendors/ehr.yaml").exists()


def test_refuses_a_file_in_place_of_the_folder_and_unknown_states(run: Run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run("init", str(tmp_path / "file")).exit_code == 2
    bad = run("init", str(tmp_path / "r"), "--state", "XX")
    assert bad.exit_code == 2
    assert bad.stderr == "smlint: error: --state takes two-letter US state codes such as OR or WA, got 'XX'\n"
    assert not (tmp_path / "r").exists()


def test_config_hooks_and_ci_files(repo: Path) -> None:
    config = load(repo / ".smlint.yaml")
    assert config == {"fail_on": "error"}
    assert set(config) <= {"select", "ignore", "severity", "kinds", "exclude", "rules_dirs", "fail_on",
                           "waivers", "baseline"}
    hooks = load(repo / ".pre-commit-config.yaml")
    assert hooks["repos"][0]["rev"] == f"v{__version__}"
    assert hooks["repos"][0]["hooks"] == [{"id": "smlint"}]
    github = load(repo / ".github/workflows/smlint.yml")
    steps = github["jobs"]["check"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    install = f'pip install "git+{HOOK_REPOSITORY}@v{__version__}"'
    assert runs == [install,
                    "smlint check --format html --exit-zero --output-file smlint-report.html",
                    'smlint check --format markdown --exit-zero --output-file "$GITHUB_STEP_SUMMARY"',
                    "smlint check --format concise"]
    gitlab = load(repo / ".gitlab-ci.yml")["smlint"]
    assert gitlab["before_script"] == [install]
    assert gitlab["script"][-1] == "smlint check --format concise"
    assert gitlab["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}
    assert hooks["repos"][0]["repo"] == HOOK_REPOSITORY
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "`<FILL IN: ...>`" in readme
    assert "pre-commit install" in readme


@pytest.mark.slow
def test_pre_commit_accepts_the_hook_configuration(repo: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_ci_command_runs_on_the_scaffold(run: Run, repo: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The smlint commands of both CI files, run as written in the new repository, exit 0."""
    import os
    import shlex

    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("SMLINT_TODAY", TODAY)
    monkeypatch.chdir(repo)
    github = [s["run"] for s in load(repo / ".github/workflows/smlint.yml")["jobs"]["check"]["steps"] if "run" in s]
    commands = [c for c in [*github, *load(repo / ".gitlab-ci.yml")["smlint"]["script"]] if c.startswith("smlint ")]
    assert len(commands) == 6
    for command in commands:
        result = run_cli(*shlex.split(os.path.expandvars(command))[1:])
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
    assert summary.read_text(encoding="utf-8").startswith("## Technology compliance report: ")
    assert (repo / "smlint-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
