"""One run of `smlint check examples/noncompliant` in every machine format: the same findings everywhere,
each format checked against its own rules; and the output options (--output-file, --statistics,
--color, --repo-context, the pre-commit default)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.acceptance.test_check_examples import NONCOMPLIANT, NONCOMPLIANT_ERRORS, NONCOMPLIANT_SUMMARY
from tests.conftest import EXAMPLES, ROOT, TODAY, Run, run_cli

Place = tuple[str, int, int, str]
ARGS = ("check", "examples/noncompliant", "--today", TODAY)
SARIF_SCHEMA = Path("shared", "reference", "sarif-schema-2.1.0.json")


def output(run: Run, fmt: str, *extra: str) -> str:
    result = run(*ARGS, "--format", fmt, *extra)
    assert result.exit_code == 1, result.stderr
    return result.stdout


@pytest.fixture
def json_findings(run: Run) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(output(run, "json"))["findings"]
    assert len(findings) == len(NONCOMPLIANT)
    return findings


def places(findings: list[dict[str, Any]]) -> list[Place]:
    return [(f["path"], f["line"], f["column"], f["rule"]) for f in findings]


# --- the same findings in every format ---------------------------------------------------------------

def test_sarif_has_the_same_findings(run: Run, json_findings: list[dict[str, Any]]) -> None:
    results = json.loads(output(run, "sarif"))["runs"][0]["results"]
    got = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"]) for r in results]
    assert got == places(json_findings)
    assert [r["message"]["text"] for r in results] == [f["message"] for f in json_findings]


def test_junit_has_the_same_findings(run: Run, json_findings: list[dict[str, Any]]) -> None:
    root = ElementTree.fromstring(output(run, "junit"))
    lines = [out.text or "" for out in root.iter("system-out")]
    pattern = re.compile(r"^(.+?):(\d+):(\d+): (SM\d{3}) \[(error|warning|info)\] (.+)$")
    got = [(m[1], int(m[2]), int(m[3]), m[4]) for m in map(pattern.match, lines) if m]
    assert len(got) == len(lines) == len(NONCOMPLIANT)
    assert sorted(got) == sorted(places(json_findings))


def test_github_has_the_same_findings_field_by_field(run: Run, json_findings: list[dict[str, Any]]) -> None:
    lines = output(run, "github").splitlines()
    assert lines[-1] == NONCOMPLIANT_SUMMARY
    commands = lines[:-1]
    assert len(commands) == len(NONCOMPLIANT)
    shape = re.compile(r"^::(error|warning|notice) ([^:]+)::(.*)$")
    for line, f in zip(commands, json_findings, strict=True):
        match = shape.match(line)
        assert match, line
        props = dict(item.split("=", 1) for item in match[2].split(","))
        assert match[1] == {"error": "error", "warning": "warning", "info": "notice"}[f["severity"]]
        # a Word policy's findings point at a paragraph (a line and column 1, no range: docs/formats.md)
        ranged = (f["end_line"], f["end_column"]) > (f["line"], f["column"])
        assert ranged or f["path"].endswith(".docx")
        assert props == {"file": f["path"], "line": str(f["line"]), "col": str(f["column"]), "title": f["rule"],
                         **({"endLine": str(f["end_line"]), "endColumn": str(f["end_column"])} if ranged else {})}
        assert match[3] == f["message"].replace("%", "%25")


def test_gitlab_has_the_same_findings_field_by_field(run: Run, json_findings: list[dict[str, Any]]) -> None:
    issues = json.loads(output(run, "gitlab"))
    assert len(issues) == len(NONCOMPLIANT)
    for issue, f in zip(issues, json_findings, strict=True):
        assert issue["check_name"] == f["rule"]
        assert issue["description"] == f"{f['rule']} {f['message']}"
        assert issue["severity"] == {"error": "critical", "warning": "minor", "info": "info"}[f["severity"]]
        assert issue["location"] == {"path": f["path"], "lines": {"begin": f["line"], "end": f["end_line"]}}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(NONCOMPLIANT)
    # stable across runs and across days (messages that count days do not change it)
    later = json.loads(run("check", "examples/noncompliant", "--today", "2026-09-01", "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in later] == [i["fingerprint"] for i in issues]


# --- SARIF: the structure the schema requires, and the schema itself ----------------------------------

def test_sarif_structure(run: Run, json_findings: list[dict[str, Any]]) -> None:
    log = json.loads(output(run, "sarif"))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run_] = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "smlint"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert set(rule["properties"]) >= {"citations", "tips", "kinds", "scope", "tags"}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    prints = set()
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, finding in zip(run_["results"], json_findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == levels[finding["severity"]]
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith(("/", "file:"))
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        if finding["path"].endswith(".docx"):  # a paragraph: its number and column 1 (docs/formats.md)
            assert set(region) == {"startLine", "startColumn"} and region["startColumn"] == 1
        else:
            assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        prints.add(result["partialFingerprints"]["smlintFingerprint/v1"])
    assert len(prints) == len(run_["results"]) == len(NONCOMPLIANT)
    by_rule = {r["id"]: r for r in rules}
    assert by_rule["SM301"]["properties"]["citations"]["hipaa"]


def sarif_schema() -> Path | None:
    """The official schema, beside the clone (../shared/reference) or beside the worktrees folder."""
    for folder in (ROOT.parent, ROOT.parent.parent):
        if (folder / SARIF_SCHEMA).is_file():
            return folder / SARIF_SCHEMA
    return None


def test_sarif_validates_against_the_official_schema(run: Run) -> None:
    import os

    import jsonschema

    path = sarif_schema()
    if path is None:  # CI always has shared/ beside its clone; a developer's fresh clone may not
        if os.environ.get("CI"):
            pytest.fail("CI must validate SARIF: ../shared/reference/sarif-schema-2.1.0.json is missing")
        pytest.skip("the official SARIF schema is not beside the checkout")
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    for args in (ARGS, ("check", "examples/compliant", "--today", TODAY)):
        log = json.loads(run(*args, "--format", "sarif").stdout)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
        assert errors == []


def test_junit_is_xml_with_a_testcase_per_file_rule_and_finding(run: Run) -> None:
    root = ElementTree.fromstring(output(run, "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    # one suite per file checked, including a file with nothing to report (its rules pass as test cases)
    assert len(suites) == json.loads(output(run, "json"))["summary"]["files"]
    assert {s.get("name") for s in suites} >= {path for path, *_ in NONCOMPLIANT}
    total = int(root.get("tests", ""))
    assert sum(int(s.get("tests", "")) for s in suites) == total == len(root.findall(".//testcase"))
    severities = [f["severity"] for f in json.loads(output(run, "json"))["findings"]]
    # exactly the findings that fail the run (errors, at the default threshold) are failures
    failures, skipped = int(root.get("failures", "")), int(root.get("skipped", ""))
    assert failures == len(root.findall(".//failure")) == severities.count("error") == NONCOMPLIANT_ERRORS
    # findings that do not fail the run (warnings, and SM148's info advice) are skipped
    assert skipped == len(root.findall(".//skipped")) == severities.count("warning") + severities.count("info")
    assert skipped == len(NONCOMPLIANT) - NONCOMPLIANT_ERRORS
    zoom = root.find("testsuite[@name='examples/noncompliant/vendors/zoom.yaml']")
    assert zoom is not None
    cases = {c.get("name"): c for c in zoom.findall("testcase")}
    assert "SM000 parse-error" in cases and not any(name.startswith("SM201") for name in cases)
    case = cases["SM301 vendor-client-data-without-baa (line 8, column 3)"]
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "this vendor handles client data but has no signed business associate "
                                         "agreement", "type": "error"}
    assert case.findtext("system-out") == ("examples/noncompliant/vendors/zoom.yaml:8:3: SM301 [error] this vendor "
                                           "handles client data but has no signed business associate agreement")
    assert list(cases["SM000 parse-error"]) == []
    warning = next(c for c in root.iter("testcase") if c.find("skipped") is not None)
    skipped = warning.find("skipped")
    assert skipped is not None and warning.find("failure") is None
    assert skipped.get("message", "").startswith("warning, below the fail threshold (error): ")


def test_junit_failures_follow_the_fail_threshold(run: Run) -> None:
    root = ElementTree.fromstring(output(run, "junit", "--fail-on", "warning"))
    assert (root.get("failures"), root.get("skipped")) == (str(len(NONCOMPLIANT)), "0")


# --- options ----------------------------------------------------------------------------------------

def test_output_file_holds_the_report_and_the_terminal_a_summary(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "smlint.sarif"
    result = run(*ARGS, "--format", "sarif", "--output-file", str(target))
    assert result.exit_code == 1
    assert result.stdout == f"{NONCOMPLIANT_SUMMARY}\nReport written to {target}\n"
    assert target.read_text(encoding="utf-8") == output(run, "sarif")
    assert [p.name for p in tmp_path.iterdir()] == ["smlint.sarif"]  # no temporary file left behind


def test_output_file_in_a_missing_folder_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run(*ARGS, "--output-file", str(tmp_path / "no" / "report.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"smlint: error: cannot write the report to {tmp_path / 'no' / 'report.json'}")


def test_statistics_follow_the_report(run: Run) -> None:
    result = run(*ARGS, "--format", "concise", "--statistics")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    tail = [line for line in lines if re.match(r"^\d+  SM\d{3}  [a-z0-9-]+$", line)]
    counts = Counter(rule for *_, rule in NONCOMPLIANT)
    assert [(int(line.split()[0]), line.split()[1]) for line in tail] == sorted(
        ((n, rule) for rule, n in counts.items()), key=lambda item: (-item[0], item[1]))
    assert lines[-len(tail):] == tail  # the statistics come last


def test_statistics_keep_machine_output_parseable(run: Run) -> None:
    result = run(*ARGS, "--format", "json", "--statistics")
    assert len(json.loads(result.stdout)["findings"]) == len(NONCOMPLIANT)
    assert result.stderr.splitlines()[0] == "6  SM030  fact-not-recorded"


def test_colour_follows_flag_and_environment(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    red = "\033[31m"
    assert red not in run(*ARGS).stdout  # not a terminal
    assert red in run(*ARGS, "--color", "always").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert red in run(*ARGS).stdout
    assert red not in run(*ARGS, "--color", "never").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert red not in run(*ARGS).stdout
    assert red in run(*ARGS, "--color", "always").stdout
    assert "\033[" not in run(*ARGS, "--format", "json").stdout


def test_text_groups_findings_under_their_file(run: Run) -> None:
    lines = run(*ARGS).stdout.splitlines()
    first = NONCOMPLIANT[0][0]
    count = sum(1 for path, *_ in NONCOMPLIANT if path == first)
    assert lines[0] == first
    assert lines[1] == ("  2:3   error    SM440  the practice replies to online reviews, but no policy sets a "
                        "procedure for those replies")
    shape = re.compile(r"^  \d+:\d+ +(error|warning|info) +SM\d{3}  .+$")
    assert all(shape.match(line) for line in lines[1:count + 1])
    assert lines[count + 1:count + 3] == ["", "examples/noncompliant/exports/google-workspace-policies.json"]


def test_warnings_alone_exit_0_and_are_printed(run: Run) -> None:
    for fmt in ("text", "concise", "github"):
        result = run("check", "examples/compliant", "--today", "2027-09-20", "--format", fmt)
        assert result.exit_code == 0
        assert "SM130" in result.stdout
    github = run("check", "examples/compliant", "--today", "2027-09-20", "--format", "github").stdout
    assert github.startswith("::warning file=examples/compliant/policies/social-media-technology-policy.md,"
                             "line=56,col=5,")
    assert run("check", "examples/compliant", "--today", "2027-09-20", "--fail-on", "warning").exit_code == 1
    assert run(*ARGS, "--exit-zero").exit_code == 0


def test_github_step_summary_is_appended(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    output(run, "github")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## smlint\n")
    rows = [line for line in text.splitlines() if line.startswith("| examples/")]
    assert len(rows) == len(NONCOMPLIANT)
    path, line, column, rule = NONCOMPLIANT[0]
    assert rows[0].startswith(f"| {path} | {line}:{column} | {rule} ")
    output(run, "json")  # other formats leave the summary alone
    assert summary.read_text(encoding="utf-8") == text


# --- pre-commit defaults and repository context -------------------------------------------------------

@pytest.fixture
def compliant_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "agency"
    shutil.copytree(EXAMPLES / "compliant", repo)
    monkeypatch.chdir(repo)
    for name in ("PRE_COMMIT", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY", "SMLINT_TODAY"):
        monkeypatch.delenv(name, raising=False)
    return repo


def test_one_file_alone_misses_the_project(compliant_copy: Path) -> None:
    alone = run_cli("check", "vendors/spruce-health.yaml", "--today", TODAY, "--format", "concise",
                    "--no-project-context")
    assert alone.exit_code == 1
    assert alone.stdout.splitlines()[0].startswith("vendors/spruce-health.yaml:")
    assert " SM401 [error] " in alone.stdout


def test_project_context_is_the_default_and_lets_joins_see_the_other_artifacts(compliant_copy: Path) -> None:
    for flags in ((), ("--repo-context",), ("--project-context",)):
        result = run_cli("check", "vendors/spruce-health.yaml", "--today", TODAY, *flags)
        assert (result.exit_code, result.stdout) == (0, "All clear: 1 file(s) checked, no findings.\n")
    isolated = run_cli("check", "vendors/spruce-health.yaml", "--today", TODAY, "--no-repo-context")
    assert isolated.exit_code == 1


def test_pre_commit_environment_means_concise_output_and_project_context(
        compliant_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert run_cli("check", "vendors/spruce-health.yaml", "--today", TODAY).exit_code == 0
    late = run_cli("check", "policies/social-media-technology-policy.md", "--today", "2028-01-01")
    assert re.match(r"^policies/social-media-technology-policy\.md:10:1: SM101 \[error\] ", late.stdout)
    no_context = run_cli("check", "vendors/spruce-health.yaml", "--today", TODAY, "--no-repo-context")
    assert no_context.exit_code == 1


def test_project_context_is_the_git_top_level_without_configuration(compliant_copy: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (compliant_copy / ".smlint.yaml").unlink()
    subprocess.run(["git", "init", "-q", str(compliant_copy)], check=True)
    monkeypatch.chdir(compliant_copy / "vendors")  # the intake forms are in ../intake
    result = run_cli("check", "spruce-health.yaml", "--today", TODAY)
    assert (result.exit_code, result.stdout) == (0, "All clear: 1 file(s) checked, no findings.\n")


def test_repo_context_reports_only_the_given_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "agency"
    shutil.copytree(EXAMPLES / "noncompliant", repo)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    given = "intake/new-client-intake.yaml"
    result = run_cli("check", given, "--today", TODAY, "--format", "json")
    report = json.loads(result.stdout)
    # SM402 is a repository rule: it needs the policy, which is only context, and lands on the given file.
    expected = [(path.removeprefix("examples/noncompliant/"), line, col, rule)
                for path, line, col, rule in NONCOMPLIANT if path.endswith(given)]
    assert ("intake/new-client-intake.yaml", 4, 1, "SM402") in expected
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in report["findings"]] == expected
    alone = json.loads(run_cli("check", given, "--today", TODAY, "--no-project-context", "--format", "json").stdout)
    assert "SM402" not in {f["rule"] for f in alone["findings"]}
    assert report["summary"]["files"] == 1
