"""Reporters on hand-built reports: escaping, fingerprints, colour, suppressions, shapes."""

from __future__ import annotations

import json
from dataclasses import replace
from xml.etree import ElementTree

import pytest

from smlint.fingerprint import fingerprints
from smlint.model import CheckedFile, Finding, Report, Rule, RuleScope, Severity, Suppressed
from smlint.reporters import FORMATS, RenderOptions, render
from smlint.reporters.color import should_color
from smlint.reporters.concise import chunks as concise_chunks
from smlint.reporters.github import command, escape_data, escape_property, step_summary
from smlint.reporters.statistics import table
from smlint.reporters.text import chunks


def finding(rule: str = "SM301", path: str = "vendors/zoom.yaml", line: int = 8, column: int = 3,
            message: str = "no BAA", pointer: str = "/baa", severity: Severity = Severity.ERROR,
            end: tuple[int, int] = (8, 15)) -> Finding:
    return Finding(rule, "vendor-client-data-without-baa", severity, path, line, column, end[0], end[1],
                   message, "vendor", pointer)


RULE = Rule("SM301", "vendor-client-data-without-baa", "Vendors with client data have a BAA", Severity.ERROR,
            ("vendor",), "artifact", (7,), {"hipaa": ("164.308(b)(1)",), "nasw_code": ("1.07(m)",)},
            "Why it matters.", "Sign a BAA.", "docs/rules.md#sm301-vendor-client-data-without-baa",
            {"type": "assert"}, "no BAA")


def test_every_issue_format_is_registered() -> None:
    assert set(FORMATS) >= {"text", "concise", "json", "sarif", "junit", "github", "gitlab"}


# --- fingerprints -----------------------------------------------------------------------------------

def test_fingerprints_ignore_line_shifts_and_messages_that_age() -> None:
    before = fingerprints([finding(line=8, message="expired 10 days ago")])
    after = fingerprints([finding(line=12, column=5, message="expired 11 days ago")])
    assert before == after


def test_fingerprints_are_unique_when_rule_path_and_pointer_repeat() -> None:
    same_place = [finding(rule="SM102", pointer="", message=f"no '{s}' section") for s in ("a", "b", "c")]
    twins = [finding(), finding()]
    prints = fingerprints([*same_place, *twins])
    assert len(set(prints)) == 5
    assert prints == fingerprints([*same_place, *twins])
    assert fingerprints([finding(path="vendors/a.yaml")]) != fingerprints([finding(path="vendors/b.yaml")])


# --- github -----------------------------------------------------------------------------------------

def test_github_escapes_data_and_properties_as_the_runner_requires() -> None:
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_command_fields() -> None:
    odd = finding(path="vendors/a,b:c.yaml", message="line one\nline two: 50%")
    assert command(odd) == ("::error file=vendors/a%2Cb%3Ac.yaml,line=8,col=3,endLine=8,endColumn=15,"
                            "title=SM301::line one%0Aline two: 50%25")
    assert command(finding(severity=Severity.WARNING)).startswith("::warning file=")
    assert command(finding(severity=Severity.INFO)).startswith("::notice file=")
    # an empty span gives no end position
    assert command(finding(end=(8, 3))) == "::error file=vendors/zoom.yaml,line=8,col=3,title=SM301::no BAA"


def test_github_step_summary_table_escapes_cells() -> None:
    report = Report((finding(message="a | b"),), 1, (RULE,))
    text = step_summary(report)
    assert text.splitlines()[:6] == [
        "## smlint", "", "Found 1 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 0 info.", "",
        "| File | Line | Rule | Severity | Message |", "| --- | ---: | --- | --- | --- |"]
    assert "| vendors/zoom.yaml | 8:3 | SM301 vendor-client-data-without-baa | error | a \\| b |" in text


# --- colour -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("choice", "tty", "env", "expected"), [
    ("auto", True, {}, True),
    ("auto", False, {}, False),
    ("auto", True, {"NO_COLOR": "1"}, False),
    ("auto", True, {"NO_COLOR": ""}, True),
    ("auto", False, {"FORCE_COLOR": "1"}, True),
    ("auto", False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ("auto", True, {"TERM": "dumb"}, False),
    ("always", False, {"NO_COLOR": "1"}, True),
    ("never", True, {"FORCE_COLOR": "1"}, False),
])
def test_colour_decision(choice: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    assert should_color(choice, tty, env) is expected


def test_text_groups_by_file_and_colours_only_when_asked() -> None:
    report = Report((finding(path="a.yaml", line=12), finding(path="a.yaml", line=3, column=1),
                     finding(path="b.yaml", severity=Severity.WARNING)), 2)
    plain = render("text", report, RenderOptions(color=False))
    assert plain == ("a.yaml\n"
                     "  12:3  error    SM301  no BAA\n"
                     "  3:1   error    SM301  no BAA\n"
                     "\n"
                     "b.yaml\n"
                     "  8:3  warning  SM301  no BAA\n"
                     "\n"
                     "Found 3 finding(s) in 2 of 2 file(s) checked: 2 error(s), 1 warning(s), 0 info.\n")
    coloured = render("text", report, RenderOptions(color=True))
    # each file's name in bold over its findings (dim place, coloured severity, cyan rule id), in the order found
    assert coloured == ("\033[1ma.yaml\033[0m\n"
                        "  \033[2m12:3\033[0m  \033[31merror  \033[0m  \033[36mSM301\033[0m  no BAA\n"
                        "  \033[2m3:1 \033[0m  \033[31merror  \033[0m  \033[36mSM301\033[0m  no BAA\n"
                        "\n"
                        "\033[1mb.yaml\033[0m\n"
                        "  \033[2m8:3\033[0m  \033[33mwarning\033[0m  \033[36mSM301\033[0m  no BAA\n"
                        "\n"
                        "\033[31mFound 3 finding(s) in 2 of 2 file(s) checked: 2 error(s), 1 warning(s), "
                        "0 info.\033[0m\n")
    assert "".join(chunks(report, RenderOptions(color=True))) == coloured  # what `check` writes piece by piece
    assert list(chunks(report, RenderOptions())) == [  # one piece per file, then the summary
        "a.yaml\n  12:3  error    SM301  no BAA\n  3:1   error    SM301  no BAA\n\n",
        "b.yaml\n  8:3  warning  SM301  no BAA\n\n",
        "Found 3 finding(s) in 2 of 2 file(s) checked: 2 error(s), 1 warning(s), 0 info.\n"]
    assert "\033[" not in plain
    # the summary takes the colour of the worst finding; a clean run's is green
    assert coloured.endswith("\n\033[31mFound 3 finding(s) in 2 of 2 file(s) checked: 2 error(s), 1 warning(s), "
                             "0 info.\033[0m\n")
    clean = render("text", Report((), 2), RenderOptions(color=True))
    assert clean == "\033[32mAll clear: 2 file(s) checked, no findings.\033[0m\n"


def test_concise_is_one_line_per_finding() -> None:
    report = Report((finding(),), 1)
    assert render("concise", report, RenderOptions()) == (
        "vendors/zoom.yaml:8:3: SM301 [error] no BAA\n"
        "Found 1 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 0 info.\n")


def test_concise_counts_info_findings_in_one_line_unless_asked() -> None:
    infos = tuple(finding(line=n, severity=Severity.INFO, message="still a placeholder") for n in (2, 3))
    report = Report((finding(), *infos), 1)
    assert render("concise", report, RenderOptions()) == (
        "vendors/zoom.yaml:8:3: SM301 [error] no BAA\n"
        "2 info finding(s) not listed (placeholders to fill in, notes): --show-info lists them.\n"
        "Found 3 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 2 info.\n")
    listed = ("vendors/zoom.yaml:8:3: SM301 [error] no BAA\n"
              "vendors/zoom.yaml:2:3: SM301 [info] still a placeholder\n"
              "vendors/zoom.yaml:3:3: SM301 [info] still a placeholder\n"
              "Found 3 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 2 info.\n")
    assert render("concise", report, RenderOptions(show_info=True)) == listed
    assert render("concise", report, RenderOptions(fail_on=Severity.INFO)) == listed
    # written line by line as `check` writes it: the errors, the count of the hidden info, the summary
    assert list(concise_chunks(report, RenderOptions())) == [
        "vendors/zoom.yaml:8:3: SM301 [error] no BAA\n",
        "2 info finding(s) not listed (placeholders to fill in, notes): --show-info lists them.\n",
        "Found 3 finding(s) in 1 of 1 file(s) checked: 1 error(s), 0 warning(s), 2 info.\n"]
    only_infos = Report(infos, 1)
    assert list(concise_chunks(only_infos, RenderOptions())) == [
        "2 info finding(s) not listed (placeholders to fill in, notes): --show-info lists them.\n",
        "Found 2 finding(s) in 1 of 1 file(s) checked: 0 error(s), 0 warning(s), 2 info.\n"]


# --- SARIF ------------------------------------------------------------------------------------------

def test_sarif_suppressions_are_in_source_or_external() -> None:
    inline = Suppressed(finding(), "inline", "covered by the 2026 contract", "vendors/zoom.yaml:8")
    waived = Suppressed(finding(path="vendors/x.json"), "waiver", "vendor signing", ".smlint-waivers.yaml",
                        until="2026-06-30", owner="director")
    report = Report((finding(rule="SM301", path="vendors/y.yaml"),), 3, (RULE,), (inline, waived))
    results = json.loads(render("sarif", report, RenderOptions(root="/repo")))["runs"][0]["results"]
    assert [r.get("suppressions") for r in results] == [
        None,
        [{"kind": "inSource", "status": "accepted", "justification": "covered by the 2026 contract",
          "properties": {"how": "inline", "source": "vendors/zoom.yaml:8"}}],
        [{"kind": "external", "status": "accepted", "justification": "vendor signing",
          "properties": {"how": "waiver", "source": ".smlint-waivers.yaml", "until": "2026-06-30",
                         "owner": "director"}}],
    ]
    assert len({r["partialFingerprints"]["smlintFingerprint/v1"] for r in results}) == 3


def test_sarif_rule_metadata_and_locations() -> None:
    report = Report((finding(path="vendors/my zoom.yaml"), finding(path="/abs/v.yaml")), 2, (RULE,))
    run = json.loads(render("sarif", report, RenderOptions(root="/repo")))["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["helpUri"].endswith("/docs/rules.md#sm301-vendor-client-data-without-baa")
    assert rule["helpUri"].startswith("https://")
    assert rule["properties"]["citations"] == {"hipaa": ["164.308(b)(1)"], "nasw_code": ["1.07(m)"]}
    assert rule["properties"]["tips"] == [7]
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///repo/"}}
    from_root = json.loads(render("sarif", report, RenderOptions(root="/")))["runs"][0]  # smlint run from /
    assert from_root["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///"}}
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [{"uri": "vendors/my%20zoom.yaml", "uriBaseId": "%SRCROOT%"}, {"uri": "file:///abs/v.yaml"}]


def test_sarif_levels_and_unknown_rules_stay_valid() -> None:
    info = Finding("SM999", "custom", Severity.INFO, "a.yaml", 1, 1, 1, 1, "note", "vendor", "")
    run = json.loads(render("sarif", Report((info,), 1, (RULE,)), RenderOptions()))["runs"][0]
    assert run["results"][0]["level"] == "note"
    assert run["results"][0]["ruleIndex"] == 1
    assert run["tool"]["driver"]["rules"][1]["id"] == "SM999"
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    assert "originalUriBaseIds" not in run


# --- JUnit ------------------------------------------------------------------------------------------

def test_junit_passing_files_get_passing_testcases_and_control_characters_are_replaced() -> None:
    bad = finding(path="vendors/b.yaml", message="bad \x01 byte")
    report = Report((bad,), 2, (RULE,), files=(CheckedFile("vendors/a.yaml", ("vendor",)),
                                               CheckedFile("vendors/b.yaml", ("vendor",)),
                                               CheckedFile("notes.yaml", ())))
    root = ElementTree.fromstring(render("junit", report, RenderOptions()))
    assert (root.get("tests"), root.get("failures")) == ("2", "1")  # SM000 is not in this rule set
    suites = {s.get("name"): [c.get("name") for c in s] for s in root}
    assert suites == {"notes.yaml": [], "vendors/a.yaml": ["SM301 vendor-client-data-without-baa"],
                      "vendors/b.yaml": ["SM301 vendor-client-data-without-baa (line 8, column 3)"]}
    failure = root.find("./testsuite[@name='vendors/b.yaml']/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bad \ufffd byte"
    assert root.findtext("./testsuite[@name='vendors/b.yaml']/testcase/system-out") == (
        "vendors/b.yaml:8:3: SM301 [error] bad \ufffd byte")


def test_junit_findings_below_the_fail_threshold_are_skipped_not_failed() -> None:
    warned = finding(path="vendors/b.yaml", severity=Severity.WARNING, message="BAA ends soon")
    noted = finding(path="vendors/b.yaml", line=9, severity=Severity.INFO, message="placeholder")
    report = Report((warned, noted), 1, (RULE,), files=(CheckedFile("vendors/b.yaml", ("vendor",)),))
    root = ElementTree.fromstring(render("junit", report, RenderOptions()))
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "0", "2")
    assert [s.get("message") for s in root.iter("skipped")] == [
        "warning, below the fail threshold (error): BAA ends soon",
        "info, below the fail threshold (error): placeholder"]
    strict = ElementTree.fromstring(render("junit", report, RenderOptions(fail_on=Severity.WARNING)))
    assert (strict.get("failures"), strict.get("skipped")) == ("1", "1")
    assert [f.get("type") for f in strict.iter("failure")] == ["warning"]


def test_junit_lists_only_the_rules_that_ran_and_skips_those_the_profile_switched_off_saying_why() -> None:
    """A rule that did not run is never a passing test: one the agency's profile switched off is skipped with
    why; one the selectors left out is not listed, as a deselected test is not."""
    confidentiality = replace(RULE, id="SM325", name="vendor-client-data-without-confidentiality-agreement")
    twofactor = replace(RULE, id="SM313", name="vendor-no-two-factor")
    why = ("it runs only for a HIPAA covered entity, and the configuration's profile says covered_entity: false")
    scope = RuleScope(frozenset({"SM313", "SM325"}), {"SM301": why, "SM302": why})
    report = Report((finding(rule="SM313", path="vendors/b.yaml", message="no 2FA"),), 1,
                    (RULE, twofactor, confidentiality, replace(RULE, id="SM302", name="voip-without-baa")),
                    files=(CheckedFile("vendors/b.yaml", ("vendor",), scope),))
    assert render("junit", report, RenderOptions()) == """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="smlint" tests="4" failures="1" skipped="2" errors="0" time="0">
  <testsuite name="vendors/b.yaml" tests="4" failures="1" skipped="2" errors="0" time="0">
    <testcase classname="vendors/b.yaml" name="SM301 vendor-client-data-without-baa" file="vendors/b.yaml" time="0">
      <skipped message="does not apply to this agency: it runs only for a HIPAA covered entity, and the \
configuration's profile says covered_entity: false" />
    </testcase>
    <testcase classname="vendors/b.yaml" name="SM302 voip-without-baa" file="vendors/b.yaml" time="0">
      <skipped message="does not apply to this agency: it runs only for a HIPAA covered entity, and the \
configuration's profile says covered_entity: false" />
    </testcase>
    <testcase classname="vendors/b.yaml" name="SM313 vendor-client-data-without-baa (line 8, column 3)" \
file="vendors/b.yaml" time="0">
      <failure message="no 2FA" type="error" />
      <system-out>vendors/b.yaml:8:3: SM313 [error] no 2FA</system-out>
    </testcase>
    <testcase classname="vendors/b.yaml" name="SM325 vendor-client-data-without-confidentiality-agreement" \
file="vendors/b.yaml" time="0" />
  </testsuite>
</testsuites>
"""


def test_junit_a_suppressed_finding_is_skipped_with_how_and_why_not_a_passed_rule() -> None:
    """A rule whose only finding on a file was waived is not a check that passed: its testcase is skipped,
    saying how it was suppressed and the (already redacted) reason."""
    waived = Suppressed(finding(path="vendors/b.yaml", message="no BAA"), "waiver", "BAA in legal review",
                        "waivers.yaml", until="2026-06-30", owner="Compliance Officer")
    report = Report((), 1, (RULE,), files=(CheckedFile("vendors/b.yaml", ("vendor",)),), suppressed=(waived,))
    assert render("junit", report, RenderOptions()) == """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="smlint" tests="1" failures="0" skipped="1" errors="0" time="0">
  <testsuite name="vendors/b.yaml" tests="1" failures="0" skipped="1" errors="0" time="0">
    <testcase classname="vendors/b.yaml" name="SM301 vendor-client-data-without-baa (line 8, column 3)" \
file="vendors/b.yaml" time="0">
      <skipped message="suppressed (waiver): BAA in legal review" />
      <system-out>vendors/b.yaml:8:3: SM301 [error] no BAA</system-out>
    </testcase>
  </testsuite>
</testsuites>
"""


# --- GitLab -----------------------------------------------------------------------------------------

def test_gitlab_severity_mapping() -> None:
    findings = (finding(), finding(severity=Severity.WARNING, pointer="/x"), finding(severity=Severity.INFO,
                                                                                     pointer="/y"))
    issues = json.loads(render("gitlab", Report(findings, 1), RenderOptions()))
    assert [i["severity"] for i in issues] == ["critical", "minor", "info"]
    assert issues[0] == {"type": "issue", "description": "SM301 no BAA", "check_name": "SM301",
                         "fingerprint": fingerprints(findings)[0], "severity": "critical",
                         "location": {"path": "vendors/zoom.yaml", "lines": {"begin": 8, "end": 8}}}


# --- statistics -------------------------------------------------------------------------------------

def test_statistics_counts_per_rule_most_first() -> None:
    findings = (finding(rule="SM303"), *[finding(rule="SM102", pointer=str(i)) for i in range(12)])
    assert table(Report(findings, 1)) == (
        "12  SM102  vendor-client-data-without-baa\n"
        " 1  SM303  vendor-client-data-without-baa\n")
    assert table(Report((), 1)) == "No findings to count.\n"


def test_summary_counts_checked_files_with_findings_and_names_other_files_apart() -> None:
    from smlint.model import CheckedFile
    from smlint.reporters.concise import summary

    files = tuple(CheckedFile(p, ("vendor",)) for p in ("vendors/zoom.yaml", "vendors/gmail.yaml", "a.yaml"))
    found = (finding(), finding(line=9), finding(path="a.yaml"), finding(rule="SM011", path="waivers.yaml"))
    assert summary(Report(found, 3, files=files)) == (
        "Found 4 finding(s) in 2 of 3 file(s) checked and 1 other file(s): 4 error(s), 0 warning(s), 0 info.")
    assert summary(Report(found[:2], 3, files=files)) == (
        "Found 2 finding(s) in 1 of 3 file(s) checked: 2 error(s), 0 warning(s), 0 info.")
