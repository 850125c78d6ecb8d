"""Adopting smlint in a real repo, on a copy of examples/noncompliant: configuration, --select/--ignore,
inline suppressions, waivers and the baseline. Each test compares a run against the untouched copy in
the same session, so the expectations are exact: which findings went, which came, where."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, TODAY, run_cli

Key = tuple[str, int, int, str]


@dataclass(frozen=True)
class Run:
    exit_code: int
    report: dict[str, Any]
    stderr: str

    @property
    def findings(self) -> set[Key]:
        return {(f["path"], f["line"], f["column"], f["rule"]) for f in self.report["findings"]}

    def severity(self, rule: str) -> set[str]:
        return {f["severity"] for f in self.report["findings"] if f["rule"] == rule}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/noncompliant as the working folder (so that its .smlint.yaml is found)."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "noncompliant", root)
    (root / ".smlint.yaml").unlink()  # each test writes the configuration it needs
    monkeypatch.chdir(root)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    return root


def check(*args: str) -> Run:
    result = run_cli("check", "--today", TODAY, "--format", "json", *args)
    report = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return Run(result.exit_code, report, result.stderr)


def edit_line(path: Path, number: int, suffix: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] += suffix
    path.write_text("\n".join(lines), encoding="utf-8")


ZOOM = "vendors/zoom.yaml"
STREAMING: Key = (ZOOM, 14, 3, "SM305")  # `  live_streaming: true`
COMMENT_COLUMN = len("  live_streaming: true  ") + 1


# -- inline suppressions ---------------------------------------------------------------------------------


def test_a_reasoned_suppression_removes_exactly_its_finding(repo: Path) -> None:
    before = check()
    assert STREAMING in before.findings
    edit_line(repo / ZOOM, 14, "  # smlint: disable=SM305 -- used only for public board meetings, never sessions")
    after = check()
    assert after.findings == before.findings - {STREAMING}
    assert after.exit_code == 1
    [hidden] = after.report["suppressed"]
    assert (hidden["path"], hidden["line"], hidden["column"], hidden["rule"]) == STREAMING
    assert hidden["suppression"] == {"how": "inline", "reason": "used only for public board meetings, never sessions",
                                     "source": "vendors/zoom.yaml:14", "until": None, "owner": None}
    assert after.report["summary"]["suppressed"] == 1
    assert after.report["summary"]["findings"] == before.report["summary"]["findings"] - 1


def test_a_suppression_by_rule_name_with_a_future_date_works(repo: Path) -> None:
    before = check()
    edit_line(repo / ZOOM, 14, "  # smlint: disable=video-live-streaming-enabled until=2026-06-30 -- pilot")
    after = check()
    assert after.findings == before.findings - {STREAMING}
    assert after.report["suppressed"][0]["suppression"]["until"] == "2026-06-30"


@pytest.mark.parametrize(("comment", "rule"), [
    ("# smlint: disable=SM305", "SM010"),
    ("# smlint: disable=SM305 --   ", "SM010"),
    ("# smlint: disable=SM305 until=2026-01-31 -- pilot ended in January", "SM011"),
    ("# smlint: disable=SM305,SM399 -- board meetings", "SM012"),
    ("# smlint: disable SM305 -- board meetings", "SM014"),
    ("# smlint: disable=SM305 until=2026-02-30 -- board meetings", "SM014"),
])
def test_a_suppression_that_cannot_be_honoured_leaves_the_finding_and_adds_its_own(
        repo: Path, comment: str, rule: str) -> None:
    before = check()
    edit_line(repo / ZOOM, 14, "  " + comment)
    after = check()
    assert after.findings == before.findings | {(ZOOM, 14, COMMENT_COLUMN, rule)}
    assert after.report["suppressed"] == []
    assert after.exit_code == 1


def test_an_unused_suppression_is_reported_where_it_stands(repo: Path) -> None:
    before = check()
    edit_line(repo / ZOOM, 13, "  # smlint: disable=SM305 -- board meetings")  # passcode_required: no SM305 here
    after = check()
    column = len("  passcode_required: false  ") + 1
    assert after.findings == before.findings | {(ZOOM, 13, column, "SM013")}
    unused = next(f for f in after.report["findings"] if f["rule"] == "SM013")
    assert unused["message"] == ("this suppression hides nothing: there is no SM305 finding on this line; "
                                 "remove it, or list only the rules it is for")
    assert unused["severity"] == "warning"


def test_disable_file_covers_the_whole_file_only(repo: Path) -> None:
    before = check()
    path = repo / "vendors" / "voiply.yaml"
    path.write_text("# smlint: disable-file=SM303 -- carrier confirmed in writing that it stores nothing\n"
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = check()
    shifted = {(p, line + 1 if p == "vendors/voiply.yaml" else line, c, r) for p, line, c, r in before.findings}
    assert after.findings == shifted - {("vendors/voiply.yaml", 7, 1, "SM303")}
    assert ("vendors/textnow.yaml", 6, 1, "SM303") in after.findings
    assert [s["suppression"]["how"] for s in after.report["suppressed"]] == ["file"]


def test_no_inline_suppressions_ignores_every_directive(repo: Path) -> None:
    before = check()
    edit_line(repo / ZOOM, 14, "  # smlint: disable=SM305 -- board meetings")
    edit_line(repo / ZOOM, 13, "  # smlint: disable=SM305")
    after = check("--no-inline-suppressions")
    assert after.findings == before.findings
    assert after.report["suppressed"] == []


def test_hash_signs_inside_text_are_not_comments(repo: Path) -> None:
    before = check()
    text = (repo / ZOOM).read_text(encoding="utf-8")
    text = text.replace("product: Zoom Pro", 'product: "Zoom # smlint: disable=SM305 -- not a comment"')
    text += "notes: |\n  Board decision # smlint: disable=SM301 -- text, not a comment\n"
    (repo / ZOOM).write_text(text, encoding="utf-8")
    after = check("--ignore", "SM001")  # `notes` is not a vendor field; that is not what this test is about
    assert after.findings == {f for f in before.findings if f[3] != "SM001"}
    assert after.report["suppressed"] == []


# -- configuration -----------------------------------------------------------------------------------------


def write_config(repo: Path, text: str) -> None:
    (repo / ".smlint.yaml").write_text(text, encoding="utf-8")


def test_ignore_and_severity_in_smlint_yaml_take_effect(repo: Path) -> None:
    before = check()
    write_config(repo, "ignore: [SM3]\nseverity:\n  SM4: warning\n  intake-cites-unknown-policy: info\n")
    after = check()
    # SM030 asks for facts only on behalf of rules that run: here, only vendor rules needed them
    assert after.findings == {f for f in before.findings if not f[3].startswith("SM3") and f[3] != "SM030"}
    assert after.severity("SM401") == {"warning"}
    assert after.severity("SM402") == {"info"}  # a rule's own name is more specific than a prefix
    assert after.exit_code == 1  # the policy's errors remain


def test_fail_on_from_config_and_cli_overrides_it(repo: Path) -> None:
    write_config(repo, "select: [SM402]\nseverity: {SM402: warning}\nfail_on: warning\n")
    assert check().exit_code == 1
    assert check("--fail-on", "error").exit_code == 0


def test_select_extend_select_and_per_file_ignores(repo: Path) -> None:
    before = check()
    write_config(repo, "select: [SM30]\nextend-select: [SM101]\nper-file-ignores:\n  vendors/zoom.yaml: [SM305]\n"
                       "  'voiply.yaml': [SM3]\n")
    after = check()
    assert after.findings == {f for f in before.findings if (f[3].startswith("SM30") or f[3] == "SM101")
                              and f != STREAMING and not f[0].endswith("voiply.yaml")}


def test_exclude_skips_walked_files_but_not_named_ones(repo: Path) -> None:
    before = check()
    write_config(repo, "fail_on: error\n")  # a project from here on: a named file sees the others as context
    named_before = check("vendors/zoom.yaml")
    write_config(repo, "exclude: [vendors/]\n")
    walked = check()
    assert walked.findings < before.findings  # only cross-artifact findings can change, and only by going
    assert {f for f in before.findings - walked.findings if not f[0].startswith("vendors/")} == {
        ("policies/technology-policy.docx", 18, 1, "SM406"),  # ...these need a vendor to compare with
        ("policies/technology-policy.docx", 32, 1, "SM423")}
    assert not any(f[0].startswith("vendors/") for f in walked.findings)
    vendor_files = len(list((repo / "vendors").iterdir()))
    assert walked.report["summary"]["files"] == before.report["summary"]["files"] - vendor_files
    assert check("vendors/zoom.yaml").findings == named_before.findings
    assert STREAMING in named_before.findings


def test_kinds_glob_declares_files_without_kind(repo: Path) -> None:
    legacy = repo / "legacy"
    legacy.mkdir()
    (legacy / "old-zoom.yaml").write_text(
        (repo / ZOOM).read_text(encoding="utf-8").replace("kind: vendor\n", ""), encoding="utf-8")
    assert not any(f[0].startswith("legacy/") for f in check().findings)
    # the second glob would cover .smlint.yaml itself, but smlint's own files are never artifacts
    write_config(repo, "kinds:\n  'legacy/*.yaml': vendor\n  '*.yaml': policy\n")
    found = check().findings
    legacy = {(line, column, rule) for path, line, column, rule in found if path == "legacy/old-zoom.yaml"}
    declared = {(line - 1, column, rule) for path, line, column, rule in found if path == ZOOM}
    # the same findings as the file that says `kind: vendor`, one line up; SM030 stands at the artifact's
    # top, which is its `kind:` line in one and the document's start in the other
    assert (1, 1, "SM030") in legacy and (0, 1, "SM030") in declared
    assert legacy - {(1, 1, "SM030")} == declared - {(0, 1, "SM030")}
    assert {(7, 3, "SM301"), (13, 3, "SM305")} <= legacy
    assert not any(f[0] == ".smlint.yaml" for f in found)


def test_limits_from_config_reach_the_loader(repo: Path) -> None:
    files = [p for p in repo.rglob("*")
             if p.suffix in (".yaml", ".json", ".html", ".md", ".docx") and p.name != ".smlint.yaml"]
    large = {p.relative_to(repo).as_posix() for p in files if p.stat().st_size > 300}
    assert 0 < len(large) < len(files)
    write_config(repo, "limits: {max_file_bytes: 300}\n")
    big = [f for f in check().report["findings"] if f["rule"] == "SM002" and "300-byte limit" in f["message"]]
    assert {f["path"] for f in big} == large


@pytest.mark.parametrize(("text", "message"), [
    ("ignore: [SM3]\nfail_on: sometimes\n", ".smlint.yaml:2:1: 'fail_on' must be one of: error, warning, info"),
    ("ignore: [SM3]\nignroe: [SM1]\n",
     ".smlint.yaml:2:1: 'ignroe' is not a field smlint knows; check its spelling and indentation"),
    ("select:\n  - SM3\n  - SM999\n",
     ".smlint.yaml:3:5: 'SM999' in select is not a rule id, prefix or name; `smlint rules` lists them"),
    ("severity:\n  SM9: warning\n",
     ".smlint.yaml:2:3: 'SM9' in severity is not a rule id, prefix or name; `smlint rules` lists them"),
    ("ignore: [SM3\n", ".smlint.yaml:2:1: YAML syntax error: "),
    ("rules_dirs: [no-such-folder]\n", ".smlint.yaml:1:14: this rules folder does not exist"),
    ("- SM3\n", ".smlint.yaml:1:1: the configuration must be a mapping of settings"),
    ("fail-on: error\nfail_on: error\n", ".smlint.yaml:2:1: 'fail_on' is given twice (once as 'fail_on')"),
])
def test_a_bad_config_exits_2_naming_the_file_and_line(repo: Path, text: str, message: str) -> None:
    write_config(repo, text)
    result = check()
    assert result.exit_code == 2
    assert result.stderr.startswith(f"smlint: error: {message}")
    assert "Traceback" not in result.stderr


def test_config_is_found_from_a_subfolder_and_paths_are_relative_to_it(repo: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(repo, "per-file-ignores:\n  vendors/zoom.yaml: [SM305]\n")
    monkeypatch.chdir(repo / "vendors")
    found = check(".").findings
    assert ("zoom.yaml", 8, 3, "SM301") in found
    assert ("zoom.yaml", 14, 3, "SM305") not in found


def test_pyproject_tool_table_and_explicit_config(repo: Path, tmp_path: Path) -> None:
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.smlint]\nignore = ['SM3']\n"
                                         "[tool.smlint.severity]\nSM4 = 'info'\n", encoding="utf-8")
    found = check()
    assert not any(f[3].startswith("SM3") for f in found.findings)
    assert found.severity("SM402") == {"info"}
    other = tmp_path / "strict.yaml"
    other.write_text("select: [SM402]\n", encoding="utf-8")
    assert {f[3] for f in check("--config", str(other)).findings} == {"SM402"}


def test_pyproject_errors_name_the_file_and_line(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.smlint]\nignore = ['SM3']\nfail_on = 'soon'\n", encoding="utf-8")
    result = check()
    assert (result.exit_code, result.stderr) == (
        2, "smlint: error: pyproject.toml:3:1: 'fail_on' must be one of: error, warning, info\n")
    (repo / "pyproject.toml").write_text("[tool.smlint]\nignore = ['SM3'\n", encoding="utf-8")
    broken = check()
    assert broken.exit_code == 2
    assert broken.stderr.startswith("smlint: error: pyproject.toml:2:1: TOML syntax error")


def test_config_show_prints_effective_settings_and_their_origin(repo: Path) -> None:
    write_config(repo, "# agency settings\nignore: [SM3]\nfail_on: warning\n")
    result = run_cli("config", "--show")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# configuration: .smlint.yaml"
    assert 'ignore: ["SM3"]  # .smlint.yaml:2' in lines
    assert 'fail_on: "warning"  # .smlint.yaml:3' in lines
    assert 'select: ["ALL"]  # default' in lines
    assert ('limits: {"max_file_bytes": 5242880, "max_depth": 100, "max_nodes": 250000, "max_value_chars": 20000}'
            '  # default') in lines


# -- the command line --------------------------------------------------------------------------------------


def test_select_and_ignore_on_the_command_line(repo: Path) -> None:
    before = check()
    assert check("--select", "SM3").findings == {f for f in before.findings if f[3].startswith("SM3")}
    assert check("--select", "sm301,video-live-streaming-enabled").findings == {
        (ZOOM, 8, 3, "SM301"), ("vendors/pixelmetrics.yaml", 5, 1, "SM301"), STREAMING}
    assert check("--ignore", "SM1", "--ignore", "vendor-client-data-without-baa").findings == {
        f for f in before.findings if not f[3].startswith("SM1") and f[3] != "SM301"}


def test_cli_select_replaces_the_configs_choice(repo: Path) -> None:
    write_config(repo, "ignore: [SM305]\n")
    assert check("--select", "SM305").findings == {STREAMING}


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selectors_exit_2(repo: Path, option: str) -> None:
    result = check(option, "SM3,SM9")
    assert (result.exit_code, result.stderr) == (
        2, f"smlint: error: {option}: 'SM9' is not a rule id, prefix, name or law; "
           "`smlint rules` and `smlint laws` list them\n")


# -- baseline -----------------------------------------------------------------------------------------------


def test_a_run_with_its_own_baseline_exits_0_and_survives_unrelated_edits(repo: Path) -> None:
    before = check()
    written = run_cli("check", "--today", TODAY, "--write-baseline", ".smlint-baseline.json")
    assert written.exit_code == 0
    count = len(before.findings) + 2  # SM102 is reported three times at one place
    assert written.stdout == f"Wrote a baseline of {count} finding(s) to .smlint-baseline.json.\n"
    baseline = json.loads((repo / ".smlint-baseline.json").read_text(encoding="utf-8"))
    assert len(baseline["findings"]) == count
    assert "line" not in baseline["findings"][0]

    clean = check("--baseline", ".smlint-baseline.json")
    assert (clean.exit_code, clean.findings, clean.report["summary"]["suppressed"]) == (0, set(), count)

    for path in sorted((repo / "vendors").glob("*.yaml")):
        path.write_text("# reviewed by the compliance officer\n" + path.read_text(encoding="utf-8"), "utf-8")
    shifted = check("--baseline", ".smlint-baseline.json")
    assert (shifted.exit_code, shifted.findings) == (0, set())

    shutil.copy(repo / "vendors" / "square.yaml", repo / "vendors" / "square-terminal.yaml")
    copied = {(line, column, rule) for path, line, column, rule in check().findings if path == "vendors/square.yaml"}
    new = check("--baseline", ".smlint-baseline.json")
    assert new.exit_code == 1
    assert new.findings == {("vendors/square-terminal.yaml", line, column, rule) for line, column, rule in copied}
    assert ("vendors/square-terminal.yaml", 10, 3, "SM304") in new.findings


def test_baseline_counts_identical_findings(repo: Path) -> None:
    for number in (11, 12):  # two unused directives: the same rule, path and (empty) pointer
        edit_line(repo / ZOOM, number, "  # smlint: disable=SM305 -- left behind")
    run_cli("check", "--today", TODAY, "--write-baseline", "base.json")
    assert check("--baseline", "base.json").exit_code == 0
    edit_line(repo / ZOOM, 13, "  # smlint: disable=SM305 -- left behind")
    third = check("--baseline", "base.json")
    assert [(f["path"], f["rule"]) for f in third.report["findings"]] == [(ZOOM, "SM013")]
    assert [s["rule"] for s in third.report["suppressed"]].count("SM013") == 2


def test_baseline_from_config_and_a_broken_baseline_exits_2(repo: Path) -> None:
    run_cli("check", "--today", TODAY, "--write-baseline", "base.json")
    write_config(repo, "baseline: base.json\n")
    assert check().exit_code == 0
    (repo / "base.json").write_text('{"smlint_baseline": 1, "findings": [{"rule": "SM301"}]}', encoding="utf-8")
    missing = check("--baseline", "nothing.json")
    assert (missing.exit_code, missing.stderr) == (
        2, "smlint: error: nothing.json:1:1: baseline file not found; create it with --write-baseline\n")
    broken = check()
    assert broken.exit_code == 2
    assert broken.stderr == ("smlint: error: base.json:1:37: 'findings item 1' is missing the required field "
                             "'fingerprint'\n")


# -- waivers ------------------------------------------------------------------------------------------------


def make_json_zoom(repo: Path) -> str:
    """The Zoom vendor as a JSON artifact, which cannot hold comments."""
    from smlint.loader import load_file

    data = load_file(repo / ZOOM, ZOOM).documents[0].data
    (repo / ZOOM).unlink()
    (repo / "vendors" / "zoom.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return "vendors/zoom.json"


WAIVER = """waivers:
  - path: vendors/zoom.json
    pointer: /settings/live_streaming
    rule: SM305
    reason: Streaming is used for public board meetings only.
    owner: Clinical Director
    until: {until}
"""


def test_a_waiver_hides_a_json_finding_with_reason_owner_and_date(repo: Path) -> None:
    path = make_json_zoom(repo)
    before = check()
    streaming = next(f for f in before.report["findings"] if f["rule"] == "SM305")
    (repo / "waivers.yaml").write_text(WAIVER.format(until="2026-12-31"), encoding="utf-8")
    write_config(repo, "waivers: waivers.yaml\n")
    after = check()
    assert after.findings == before.findings - {(path, streaming["line"], streaming["column"], "SM305")}
    [hidden] = after.report["suppressed"]
    assert hidden["suppression"] == {"how": "waiver", "reason": "Streaming is used for public board meetings only.",
                                     "source": "waivers.yaml:2", "until": "2026-12-31", "owner": "Clinical Director"}


def test_expired_and_unused_waivers_are_reported_in_the_waivers_file(repo: Path) -> None:
    make_json_zoom(repo)
    before = check()
    write_config(repo, "waivers: waivers.yaml\n")
    (repo / "waivers.yaml").write_text(WAIVER.format(until="2026-01-01"), encoding="utf-8")
    expired = check()
    assert expired.findings == before.findings | {("waivers.yaml", 2, 5, "SM011")}
    unused = WAIVER.format(until="2026-12-31").replace("/settings/live_streaming", "/settings/waiting_room")
    (repo / "waivers.yaml").write_text(unused, encoding="utf-8")
    assert check().findings == before.findings | {("waivers.yaml", 2, 5, "SM013")}


def test_a_waiver_without_a_reason_is_a_config_error(repo: Path) -> None:
    write_config(repo, "waivers: waivers.yaml\n")
    (repo / "waivers.yaml").write_text("waivers:\n  - path: vendors/zoom.yaml\n    rule: SM305\n", encoding="utf-8")
    result = check()
    assert (result.exit_code, result.stderr) == (
        2, "smlint: error: waivers.yaml:2:5: 'waivers item 1' is missing the required field 'reason'\n")


def test_the_text_summary_counts_suppressed_findings(repo: Path) -> None:
    edit_line(repo / ZOOM, 14, "  # smlint: disable=SM305 -- used only for public board meetings")
    last = run_cli("check", "--today", TODAY).stdout.splitlines()[-1]
    assert last.startswith("Found ")
    assert last.endswith(" info. 1 suppressed (listed by --format json).")


# -- the gate: suppression problems are findings like any other ----------------------------------------------


def test_a_suppressions_own_problem_follows_severity_and_per_file_ignores(repo: Path) -> None:
    before = check()
    edit_line(repo / ZOOM, 13, "  # smlint: disable=SM305 -- board meetings")  # nothing to hide on this line
    column = len("  passcode_required: false  ") + 1
    write_config(repo, "severity:\n  SM013: error\n")
    raised = check()
    assert raised.findings == before.findings | {(ZOOM, 13, column, "SM013")}
    assert raised.severity("SM013") == {"error"}
    write_config(repo, "per_file_ignores:\n  vendors/zoom.yaml: [SM013]\n")
    ignored = check()
    assert (ignored.findings, ignored.report["suppressed"]) == (before.findings, [])
    assert check("--ignore", "SM013").findings == before.findings


def test_a_waiver_can_hide_an_inline_directives_problem(repo: Path) -> None:
    before = check()
    edit_line(repo / ZOOM, 14, "  # smlint: disable=SM305")  # no reason: SM010, and SM305 stays
    (repo / "waivers.yaml").write_text("waivers:\n  - path: vendors/zoom.yaml\n    rule: SM010\n"
                                       "    reason: The board decides on streaming at its June meeting.\n",
                                       encoding="utf-8")
    write_config(repo, "waivers: waivers.yaml\n")
    after = check()
    assert after.findings == before.findings
    [hidden] = after.report["suppressed"]
    assert (hidden["path"], hidden["line"], hidden["column"], hidden["rule"]) == (ZOOM, 14, COMMENT_COLUMN, "SM010")
    assert hidden["suppression"]["how"] == "waiver"
