"""Each file is checked with its own project's settings and context, wherever smlint runs from and whatever
subset of the project is named (issue 13): from the project, its parent or `/`; a folder, one file, the files
pre-commit passes; nested projects; `--config` overriding; `smlint config --show PATH`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, TODAY, run_cli

Located = tuple[str, int, int, str]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY", "SMLINT_TODAY", "SMLINT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)


def located(*args: str) -> tuple[int, list[Located]]:
    """Exit code and (absolute path, line, column, rule) of every finding of `smlint check ARGS`."""
    result = run_cli("check", "--today", TODAY, "--format", "json", *args)
    assert result.stderr == ""
    report = json.loads(result.stdout)
    return result.exit_code, [(str(Path(f["path"]).absolute()), f["line"], f["column"], f["rule"])
                              for f in report["findings"]]


def agency(tmp_path: Path, example: str = "noncompliant", name: str = "agency") -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / example, target)
    return target


def test_same_findings_from_the_project_its_parent_and_the_root(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    repo = agency(tmp_path)
    (repo / ".smlint.yaml").write_text("ignore: [SM3]\nseverity: {SM101: warning}\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    inside = located(".")
    monkeypatch.chdir(tmp_path)
    assert located("agency") == inside
    monkeypatch.chdir("/")
    assert located(str(repo)) == inside
    assert inside[0] == 1
    rules = {rule for _, _, _, rule in inside[1]}
    assert "SM402" in rules and not any(rule.startswith("SM3") for rule in rules)


def test_scaffold_whose_configuration_ignores_sm020_is_clean_from_outside(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("init", "agency").exit_code == 0
    with (tmp_path / "agency" / ".smlint.yaml").open("a", encoding="utf-8") as handle:
        handle.write("ignore: [SM020]\n")
    outside = run_cli("check", "agency", "--today", TODAY)
    assert (outside.exit_code, outside.stdout) == (0, "All clear: 9 file(s) checked, no findings.\n")
    monkeypatch.chdir(tmp_path / "agency")
    inside = run_cli("check", "--today", TODAY)
    assert (inside.exit_code, inside.stdout) == (0, "All clear: 9 file(s) checked, no findings.\n")


FHIR_VENDOR = "kind: vendor\nname: Spruce\ncategory: texting\nhandles_client_data: true\nbaa_signed: true\n"


def fhir_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "spruce.yaml").write_text(FHIR_VENDOR, encoding="utf-8")
    questionnaire = {"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "sms", "type": "boolean", "required": True, "text": "I agree to receive text messages."}]}
    (folder / "intake.fhir.json").write_text(json.dumps(questionnaire, indent=2), encoding="utf-8")
    (folder / ".smlint.yaml").write_text("fhir:\n  link_ids:\n    sms: texting_consent\n", encoding="utf-8")
    return folder


def test_fhir_link_id_map_is_honoured_from_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = fhir_project(tmp_path / "agency")
    monkeypatch.chdir(tmp_path)
    _, outside = located("agency")
    monkeypatch.chdir(project)
    _, inside = located(".")
    assert outside == inside
    assert not {"SM401", "SM201", "SM215"} & {rule for _, _, _, rule in outside}
    # without the map (and with the text match off), the consent item is not recognised
    (project / ".smlint.yaml").write_text("fhir:\n  text_match: false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, unmapped = located("agency")
    assert ("SM401", str(project / "spruce.yaml")) in {(rule, path) for path, _, _, rule in unmapped}


def test_nested_projects_each_use_their_own_settings_and_context(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    outer = agency(tmp_path, "compliant", "outer")
    inner = agency(outer, "noncompliant", "inner")
    (outer / ".smlint.yaml").write_text("ignore: [SM101]\n", encoding="utf-8")
    (inner / ".smlint.yaml").write_text("ignore: [SM402]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, both = located("outer")
    _, inner_alone = located(str(inner))
    assert code == 1
    assert [f for f in both if f[0].startswith(str(inner) + "/")] == inner_alone
    assert [f for f in both if not f[0].startswith(str(inner) + "/")] == []  # the compliant agency stays clean
    assert "SM402" not in {rule for _, _, _, rule in inner_alone}
    # the inner agency's vendors do not need consents in the outer agency's intake forms, nor the reverse
    _, outer_vendors = located(str(outer / "vendors"))
    assert outer_vendors == []


@pytest.mark.parametrize("subset", ["vendors", "intake", "policies", "exports", "exports/stripe-account.json",
                                    "vendors/spruce-health.yaml", "intake/adult-outpatient-intake.yaml"])
def test_any_subset_of_the_compliant_agency_is_clean(subset: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    agency(tmp_path / "examples", "compliant", "compliant")
    monkeypatch.chdir(tmp_path)
    path = f"examples/compliant/{subset}"
    assert Path(path).exists()
    result = run_cli("check", path, "--today", TODAY, "--format", "concise")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("All clear: ")


def test_dot_inside_a_subfolder_sees_the_rest_of_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(agency(tmp_path, "compliant") / "vendors")
    result = run_cli("check", ".", "--today", TODAY)
    # six vendor files, and the two Zoom exports that zoom.yaml attaches (they are part of that vendor)
    assert (result.exit_code, result.stdout) == (0, "All clear: 8 file(s) checked, no findings.\n")
    isolated = run_cli("check", ".", "--today", TODAY, "--no-project-context", "--format", "concise")
    assert isolated.exit_code == 1
    assert {line.split(" ")[1] for line in isolated.stdout.splitlines()[:-1]} == {"SM401", "SM410", "SM411"}


def test_pre_commit_file_list_across_two_agencies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = agency(tmp_path, "compliant", "good")
    bad = agency(tmp_path, "noncompliant", "bad")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRE_COMMIT", "1")
    named = ["good/vendors/spruce-health.yaml", "good/intake/adult-outpatient-intake.yaml",
             "bad/intake/new-client-intake.yaml"]
    _, found = located(*named)
    monkeypatch.delenv("PRE_COMMIT")
    _, whole = located("good", "bad")
    expected = [f for f in whole if f[0] in {str((tmp_path / n).absolute()) for n in named}]
    assert found == expected
    assert {path for path, _, _, _ in found} == {str(bad / "intake" / "new-client-intake.yaml")}
    assert str(good) not in "".join(path for path, _, _, _ in found)


def test_config_option_overrides_every_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = agency(tmp_path)
    override = tmp_path / "override.yaml"
    override.write_text("select: [SM402]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, found = located("agency", "--config", str(override))
    assert {rule for _, _, _, rule in found} == {"SM402"}
    assert (str(repo / "intake" / "new-client-intake.yaml"), 4, 1, "SM402") in found


def test_fail_on_comes_from_each_files_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = agency(tmp_path)
    (repo / ".smlint.yaml").write_text("select: [SM402]\nseverity: {SM402: warning}\nfail_on: warning\n",
                                       encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_cli("check", "agency", "--today", TODAY).exit_code == 1
    assert run_cli("check", "agency", "--today", TODAY, "--fail-on", "error").exit_code == 0


def test_config_show_names_the_file_that_applies_to_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = agency(tmp_path)
    (repo / ".smlint.yaml").write_text("# agency settings\nignore: [SM020]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    shown = run_cli("config", "--show", "agency/policies")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[:4] == [
        "# configuration: agency/.smlint.yaml",
        "# project: agency",
        'select: ["ALL"]  # default',
        "extend_select: []  # default",
    ]
    assert 'ignore: ["SM020"]  # agency/.smlint.yaml:2' in shown.stdout.splitlines()
    here = run_cli("config", "--show")
    assert here.stdout.splitlines()[:2] == ["# configuration: none found (defaults)", "# project: none"]


REPOSITORY_RULES = ("SM4", "SM201", "SM204", "SM208")  # joins across files, and intake clauses judged as form sets


@pytest.mark.parametrize("subset", [("vendors/textnow.yaml",), ("intake",), ("intake/couples-intake.yaml",),
                                    ("intake/portal-intake-questionnaire.fhir.json", "vendors/venmo.yaml",
                                     "policies/technology-policy.docx")])
def test_a_subset_gets_the_whole_projects_findings_for_its_files_from_anywhere(
        subset: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One file, a folder, pre-commit's file list: named from the project, its parent or `/`, with the
    project's cache cold, warm, or off, each file gets exactly the findings a whole-project run gives it."""
    repo = agency(tmp_path)
    (repo / ".smlint.yaml").write_text("severity: {SM101: warning}\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    _, whole = located(".", "--no-cache")
    names = {str((repo / name).absolute()) for name in subset}
    expected = [f for f in whole if f[0] in names or any(f[0].startswith(n + "/") for n in names)]
    assert any(rule.startswith(REPOSITORY_RULES) for _, _, _, rule in expected)  # the joins are exercised
    for where, prefix in ((repo, ""), (tmp_path, "agency/"), (Path("/"), f"{repo}/")):
        monkeypatch.chdir(where)
        paths = [prefix + name for name in subset]
        if len(subset) > 1:
            monkeypatch.setenv("PRE_COMMIT", "1")
        shutil.rmtree(repo / ".smlint_cache", ignore_errors=True)
        for cache in (["--no-cache"], [], []):  # off, then cold, then warm
            assert located(*paths, *cache) == (1, expected), (where, cache)
        monkeypatch.delenv("PRE_COMMIT", raising=False)
