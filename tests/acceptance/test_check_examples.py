"""`smlint check` on the shipped examples, through the CLI, with exact findings."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import EXAMPLES, TODAY, Run

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>SM\d{3}) \[(?P<sev>error|warning|info)\] .+$")

N = "examples/noncompliant/"

# Every finding on the noncompliant agency at TODAY, in report order: (path, line, column, rule).
# SM102 appears three times: three required sections are missing, each reported at the top of the Word policy
# (paragraph 1, its title).
# SM207 and SM209 are agency-wide (rules/sm207, sm209): the portal questionnaire carries both clauses, so the two
# YAML forms that lack them are not reported for them.
NONCOMPLIANT = [
    (N + "exports/google-reviews.json", 2, 3, "SM440"),
    (N + "exports/google-reviews.json", 15, 9, "SM377"),
    (N + "exports/google-reviews.json", 31, 9, "SM378"),
    (N + "exports/google-reviews.json", 31, 9, "SM379"),
    (N + "exports/google-reviews.json", 47, 9, "SM380"),
    (N + "exports/google-workspace-policies.json", 13, 11, "SM363"),
    (N + "exports/google-workspace-policies.json", 43, 11, "SM364"),
    (N + "exports/google-workspace-policies.json", 58, 11, "SM368"),
    (N + "exports/google-workspace-policies.json", 73, 11, "SM365"),
    (N + "exports/google-workspace-policies.json", 119, 11, "SM367"),
    (N + "exports/google-workspace-policies.json", 135, 11, "SM366"),
    (N + "exports/microsoft-365-scubaresults.json", 40, 5, "SM372"),
    (N + "exports/microsoft-365-scubaresults.json", 106, 9, "SM371"),
    (N + "exports/microsoft-365-scubaresults.json", 116, 9, "SM373"),
    (N + "exports/microsoft-365-scubaresults.json", 117, 9, "SM374"),
    (N + "exports/microsoft-365-scubaresults.json", 118, 9, "SM375"),
    (N + "exports/microsoft-365-scubaresults.json", 138, 9, "SM376"),
    (N + "exports/square-account.json", 4, 5, "SM386"),
    (N + "exports/square-account.json", 15, 7, "SM387"),
    (N + "exports/square-account.json", 34, 7, "SM388"),
    (N + "exports/stripe-account.json", 37, 7, "SM361"),
    (N + "exports/stripe-account.json", 46, 7, "SM360"),
    (N + "exports/twilio-messaging-service.json", 11, 3, "SM370"),
    (N + "exports/twilio-messaging-service.json", 20, 3, "SM370"),
    (N + "exports/zoom-account-settings.json", 9, 5, "SM355"),
    (N + "exports/zoom-account-settings.json", 28, 5, "SM350"),
    (N + "exports/zoom-account-settings.json", 30, 5, "SM350"),
    (N + "exports/zoom-account-settings.json", 35, 7, "SM480"),
    (N + "exports/zoom-account-settings.json", 47, 5, "SM354"),
    (N + "exports/zoom-account-settings.json", 53, 5, "SM353"),
    (N + "exports/zoom-account-settings.json", 53, 5, "SM450"),
    (N + "exports/zoom-account-settings.json", 64, 5, "SM356"),
    (N + "exports/zoom-account-settings.json", 68, 5, "SM385"),
    (N + "intake/couples-intake.yaml", 6, 1, "SM206"),
    (N + "intake/couples-intake.yaml", 6, 1, "SM208"),
    (N + "intake/couples-intake.yaml", 6, 1, "SM211"),
    (N + "intake/couples-intake.yaml", 6, 1, "SM212"),
    (N + "intake/couples-intake.yaml", 6, 1, "SM214"),
    (N + "intake/couples-intake.yaml", 7, 3, "SM216"),
    (N + "intake/couples-intake.yaml", 9, 3, "SM204"),
    (N + "intake/couples-intake.yaml", 9, 3, "SM205"),
    (N + "intake/couples-intake.yaml", 13, 1, "SM217"),
    (N + "intake/new-client-intake.yaml", 4, 1, "SM402"),
    (N + "intake/new-client-intake.yaml", 5, 1, "SM213"),
    (N + "intake/new-client-intake.yaml", 7, 1, "SM201"),
    (N + "intake/new-client-intake.yaml", 7, 1, "SM202"),
    (N + "intake/new-client-intake.yaml", 7, 1, "SM206"),
    (N + "intake/new-client-intake.yaml", 7, 1, "SM208"),
    (N + "intake/new-client-intake.yaml", 7, 1, "SM211"),
    (N + "intake/new-client-intake.yaml", 7, 1, "SM214"),
    (N + "intake/new-client-intake.yaml", 10, 3, "SM204"),
    (N + "intake/new-client-intake.yaml", 10, 3, "SM205"),
    (N + "intake/new-client-intake.yaml", 12, 1, "SM217"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 2, 3, "SM275"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 11, 3, "SM272"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 15, 3, "SM213"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 16, 3, "SM201"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 16, 3, "SM206"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 16, 3, "SM208"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 16, 3, "SM212"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 16, 3, "SM217"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 28, 9, "SM219"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 46, 9, "SM216"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 52, 53, "SM402"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 55, 9, "SM276"),
    (N + "intake/portal-intake-questionnaire.fhir.json", 66, 53, "SM001"),
    (N + "policies/technology-policy.docx", 1, 1, "SM102"),
    (N + "policies/technology-policy.docx", 1, 1, "SM102"),
    (N + "policies/technology-policy.docx", 1, 1, "SM102"),
    (N + "policies/technology-policy.docx", 1, 1, "SM109"),
    (N + "policies/technology-policy.docx", 1, 1, "SM110"),
    (N + "policies/technology-policy.docx", 1, 1, "SM115"),
    (N + "policies/technology-policy.docx", 1, 1, "SM116"),
    (N + "policies/technology-policy.docx", 1, 1, "SM123"),
    (N + "policies/technology-policy.docx", 1, 1, "SM125"),
    (N + "policies/technology-policy.docx", 1, 1, "SM131"),
    (N + "policies/technology-policy.docx", 1, 1, "SM132"),
    (N + "policies/technology-policy.docx", 1, 1, "SM147"),
    (N + "policies/technology-policy.docx", 6, 1, "SM101"),
    (N + "policies/technology-policy.docx", 11, 1, "SM104"),
    (N + "policies/technology-policy.docx", 11, 1, "SM105"),
    (N + "policies/technology-policy.docx", 12, 1, "SM103"),
    (N + "policies/technology-policy.docx", 13, 1, "SM107"),
    (N + "policies/technology-policy.docx", 13, 1, "SM108"),
    (N + "policies/technology-policy.docx", 15, 1, "SM113"),
    (N + "policies/technology-policy.docx", 15, 1, "SM143"),
    (N + "policies/technology-policy.docx", 16, 1, "SM111"),
    (N + "policies/technology-policy.docx", 16, 1, "SM112"),
    (N + "policies/technology-policy.docx", 17, 1, "SM119"),
    (N + "policies/technology-policy.docx", 17, 1, "SM120"),
    (N + "policies/technology-policy.docx", 17, 1, "SM121"),
    (N + "policies/technology-policy.docx", 17, 1, "SM122"),
    (N + "policies/technology-policy.docx", 18, 1, "SM118"),
    (N + "policies/technology-policy.docx", 18, 1, "SM406"),
    (N + "policies/technology-policy.docx", 19, 1, "SM140"),
    (N + "policies/technology-policy.docx", 20, 1, "SM139"),
    (N + "policies/technology-policy.docx", 21, 1, "SM138"),
    (N + "policies/technology-policy.docx", 21, 1, "SM145"),
    (N + "policies/technology-policy.docx", 21, 1, "SM146"),
    (N + "policies/technology-policy.docx", 23, 1, "SM136"),
    (N + "policies/technology-policy.docx", 24, 1, "SM043"),
    (N + "policies/technology-policy.docx", 25, 1, "SM149"),
    (N + "policies/technology-policy.docx", 25, 1, "SM150"),
    (N + "policies/technology-policy.docx", 25, 1, "SM151"),
    (N + "policies/technology-policy.docx", 25, 1, "SM153"),
    (N + "policies/technology-policy.docx", 25, 1, "SM154"),
    (N + "policies/technology-policy.docx", 25, 1, "SM155"),
    (N + "policies/technology-policy.docx", 25, 1, "SM156"),
    (N + "policies/technology-policy.docx", 25, 1, "SM158"),
    (N + "policies/technology-policy.docx", 25, 1, "SM160"),
    (N + "policies/technology-policy.docx", 25, 1, "SM161"),
    (N + "policies/technology-policy.docx", 25, 1, "SM162"),
    (N + "policies/technology-policy.docx", 26, 1, "SM157"),
    (N + "policies/technology-policy.docx", 27, 1, "SM164"),
    (N + "policies/technology-policy.docx", 27, 1, "SM165"),
    (N + "policies/technology-policy.docx", 27, 1, "SM166"),
    (N + "policies/technology-policy.docx", 27, 1, "SM167"),
    (N + "policies/technology-policy.docx", 27, 1, "SM168"),
    (N + "policies/technology-policy.docx", 27, 1, "SM169"),
    (N + "policies/technology-policy.docx", 28, 1, "SM163"),
    (N + "policies/technology-policy.docx", 29, 1, "SM176"),
    (N + "policies/technology-policy.docx", 29, 1, "SM177"),
    (N + "policies/technology-policy.docx", 29, 1, "SM178"),
    (N + "policies/technology-policy.docx", 29, 1, "SM180"),
    (N + "policies/technology-policy.docx", 30, 1, "SM179"),
    (N + "policies/technology-policy.docx", 30, 1, "SM181"),
    (N + "policies/technology-policy.docx", 32, 1, "SM423"),
    (N + "policies/technology-policy.docx", 46, 1, "SM403"),
    (N + "policies/technology-policy.docx", 47, 1, "SM403"),
    (N + "policies/technology-policy.docx", 50, 1, "SM135"),
    (N + "site/intake/new-client.html", 6, 1, "SM381"),
    (N + "site/intake/new-client.html", 6, 1, "SM441"),
    (N + "site/intake/new-client.html", 12, 1, "SM382"),
    (N + "site/intake/new-client.html", 12, 1, "SM441"),
    (N + "vendors/carepatron.yaml", 10, 3, "SM338"),
    (N + "vendors/carepatron.yaml", 15, 5, "SM333"),
    (N + "vendors/carepatron.yaml", 16, 5, "SM336"),
    (N + "vendors/carepatron.yaml", 20, 5, "SM337"),
    (N + "vendors/carepatron.yaml", 23, 3, "SM339"),
    (N + "vendors/carepatron.yaml", 24, 3, "SM340"),
    (N + "vendors/gmail.yaml", 2, 1, "SM405"),
    (N + "vendors/gmail.yaml", 11, 3, "SM306"),
    (N + "vendors/gmail.yaml", 19, 3, "SM320"),
    (N + "vendors/gmail.yaml", 21, 1, "SM322"),
    (N + "vendors/pixelmetrics.yaml", 5, 1, "SM301"),
    (N + "vendors/pixelmetrics.yaml", 6, 1, "SM342"),
    (N + "vendors/pixelmetrics.yaml", 8, 3, "SM343"),
    (N + "vendors/reviewwave.yaml", 9, 1, "SM341"),
    (N + "vendors/simplepractice.yaml", 1, 1, "SM030"),
    (N + "vendors/simplepractice.yaml", 9, 3, "SM306"),
    (N + "vendors/simplepractice.yaml", 14, 3, "SM313"),
    (N + "vendors/simplepractice.yaml", 15, 3, "SM000"),
    (N + "vendors/square.yaml", 1, 1, "SM030"),
    (N + "vendors/square.yaml", 3, 1, "SM410"),
    (N + "vendors/square.yaml", 7, 3, "SM324"),
    (N + "vendors/square.yaml", 9, 3, "SM304"),
    (N + "vendors/textnow.yaml", 1, 1, "SM030"),
    (N + "vendors/textnow.yaml", 3, 1, "SM401"),
    (N + "vendors/textnow.yaml", 4, 1, "SM307"),
    (N + "vendors/textnow.yaml", 6, 1, "SM303"),
    (N + "vendors/textnow.yaml", 9, 3, "SM315"),
    (N + "vendors/textnow.yaml", 10, 3, "SM316"),
    (N + "vendors/textnow.yaml", 12, 18, "SM318"),
    (N + "vendors/textnow.yaml", 13, 3, "SM319"),
    (N + "vendors/twilio.yaml", 4, 1, "SM405"),
    (N + "vendors/twilio.yaml", 6, 1, "SM401"),
    (N + "vendors/venmo.yaml", 2, 1, "SM030"),
    (N + "vendors/venmo.yaml", 3, 1, "SM405"),
    (N + "vendors/venmo.yaml", 4, 1, "SM410"),
    (N + "vendors/venmo.yaml", 5, 1, "SM307"),
    (N + "vendors/venmo.yaml", 9, 3, "SM324"),
    (N + "vendors/venmo.yaml", 14, 3, "SM314"),
    (N + "vendors/voiply.yaml", 1, 1, "SM030"),
    (N + "vendors/voiply.yaml", 3, 1, "SM302"),
    (N + "vendors/voiply.yaml", 6, 1, "SM303"),
    (N + "vendors/voiply.yaml", 10, 3, "SM316"),
    (N + "vendors/zoom.yaml", 1, 1, "SM030"),
    (N + "vendors/zoom.yaml", 8, 3, "SM301"),
    (N + "vendors/zoom.yaml", 14, 3, "SM305"),
    (N + "vendors/zoom.yaml", 15, 3, "SM311"),
    (N + "vendors/zoom.yaml", 16, 3, "SM310"),
    (N + "vendors/zoom.yaml", 17, 3, "SM312"),
    (N + "vendors/zoom.yaml", 19, 1, "SM313"),
    (N + "vendors/zoom.yaml", 19, 1, "SM389"),
]


# The summary line of that run.
NONCOMPLIANT_ERRORS = 126
NONCOMPLIANT_SUMMARY = (f"Found {len(NONCOMPLIANT)} finding(s) in 23 of 24 file(s) checked: "
                        f"{NONCOMPLIANT_ERRORS} error(s), {len(NONCOMPLIANT) - NONCOMPLIANT_ERRORS} warning(s), "
                        "0 info.")


def located(stdout: str) -> list[tuple[str, int, int, str]]:
    found = []
    for line in stdout.splitlines():
        match = LINE.match(line)
        if match:
            found.append((match["path"], int(match["line"]), int(match["col"]), match["rule"]))
    return found


def test_compliant_examples_pass(run: Run) -> None:
    result = run("check", "examples/compliant", "--today", TODAY)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "All clear: 20 file(s) checked, no findings.\n"


def test_noncompliant_examples_give_exact_findings(run: Run) -> None:
    result = run("check", "examples/noncompliant", "--today", TODAY, "--format", "concise")
    assert result.exit_code == 1
    assert located(result.stdout) == NONCOMPLIANT
    rules = {f[3] for f in NONCOMPLIANT}
    assert len(rules - {"SM000", "SM001"}) >= 25
    assert result.stdout.splitlines()[-1] == NONCOMPLIANT_SUMMARY


def test_a_finding_that_joins_artifacts_says_where_in_a_word_policy_it_points(run: Run) -> None:
    result = run("check", "examples/noncompliant", "--today", TODAY, "--format", "concise", "--select", "SM406")
    assert result.stdout.splitlines()[0] == (
        "examples/noncompliant/policies/technology-policy.docx:18:1: SM406 [error] the policy promises encryption in "
        "transit, but a vendor that handles client data does not encrypt it (TextNow) (paragraph 18, under "
        "'Technology and Social Media Guidelines > Electronic communication and security')")


def test_every_text_line_has_the_documented_shape(run: Run) -> None:
    lines = run("check", "examples/noncompliant", "--today", TODAY, "--format", "concise").stdout.splitlines()
    assert all(LINE.match(line) for line in lines[:-1])


def test_json_output_shape(run: Run) -> None:
    result = run("check", "examples/noncompliant", "--today", TODAY, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"version", "today", "findings", "suppressed", "summary"}
    first = report["findings"][0]
    assert set(first) == {"rule", "name", "severity", "path", "line", "column", "end_line", "end_column",
                          "message", "kind", "pointer"}
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in report["findings"]] == NONCOMPLIANT
    assert report["summary"]["findings"] == len(report["findings"])
    sm402 = next(f for f in report["findings"] if f["rule"] == "SM402")
    assert (sm402["pointer"], sm402["kind"], sm402["name"]) == (
        "/acknowledges_policy", "intake-form", "intake-cites-unknown-policy")


def test_findings_do_not_echo_file_values(run: Run) -> None:
    out = run("check", "examples/noncompliant", "--today", TODAY, "--format", "json").stdout
    assert "LAKESIDE COUNSELING" not in out
    assert "lakeside-counseling.example" not in out
    for value in ("BRIGHTPATH", "BP COUNSEL", "sms.lakeside.example", "2023.2", "Staff will not look me up"):
        assert value not in out


def test_due_soon_is_a_warning_that_does_not_fail(run: Run) -> None:
    # Staff training was completed 2026-10-14 and the contingency plan tested 2026-10-20: both fall due a
    # year later, and each warns 30 days ahead.
    result = run("check", "examples/compliant", "--today", "2027-09-20", "--format", "concise")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "examples/compliant/policies/social-media-technology-policy.md:56:5: SM130 [warning] "
        "staff technology and security training is due by 2027-10-14 (24 days left)",
        "examples/compliant/policies/social-media-technology-policy.md:63:5: SM128 [warning] "
        "the contingency plan's yearly test is due by 2027-10-20 (30 days left)",
        "Found 2 finding(s) in 1 of 20 file(s) checked: 0 error(s), 2 warning(s), 0 info.",
    ]
    assert run("check", "examples/compliant", "--today", "2027-09-20", "--fail-on", "warning").exit_code == 1


def test_today_from_environment(run: Run, monkeypatch: object) -> None:
    import os

    os.environ["SMLINT_TODAY"] = "2030-01-01"
    try:
        result = run("check", "examples/compliant", "--format", "concise")
    finally:
        del os.environ["SMLINT_TODAY"]
    assert result.exit_code == 1
    assert "SM101 [error]" in result.stdout


def test_syntax_error_is_sm000_and_other_files_are_still_checked(run: Run, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "noncompliant", tmp_path / "repo")
    (tmp_path / "repo" / "broken.yaml").write_text("kind: vendor\nname: [Zoom\n", encoding="utf-8")
    result = run("check", str(tmp_path / "repo"), "--today", TODAY, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    broken = [f for f in findings if f["path"].endswith("broken.yaml")]
    assert [(f["rule"], f["line"]) for f in broken] == [("SM000", 3)]
    assert any(f["rule"] == "SM304" for f in findings)
    assert result.exit_code == 1


def test_schema_violation_is_located_and_worded_for_people(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "v.yaml"
    bad.write_text("kind: vendor\nname: Zoom\ncategory: videos\nhandles_client_data: yes\nbaa:\n  status: signed\n"
                   "  expires: 2026-02-30\n", encoding="utf-8")
    result = run("check", str(bad), "--today", TODAY, "--format", "json")
    got = [(f["rule"], f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert ("SM001", 7, 3, "'expires' is not a real calendar date; write it as YYYY-MM-DD") in got
    assert ("SM001", 3, 1, "'category' must be one of: voip, texting, video, email, ehr, payment, website, "
            "reviews, storage, landline, scheduling, directory, analytics, other") in got
    assert ("SM001", 4, 1, "'handles_client_data' should be true or false") in got
    assert result.exit_code == 1


def test_missing_required_field_points_at_parent_key(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("kind: intake-form\ntitle: T\nversion: '1'\nacknowledges_policy: '1'\nclauses:\n"
                   "  texting_consent:\n    written: true\n", encoding="utf-8")
    findings = json.loads(run("check", str(bad), "--format", "json", "--today", TODAY).stdout)["findings"]
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in findings if f["rule"] == "SM001"] == [
        ("SM001", 6, 3, "'texting_consent' is missing the required field 'text'")]


def test_non_artifact_yaml_is_skipped_but_parsed(run: Run, tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    result = run("check", str(tmp_path), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(Path(f["path"]).name, f["rule"]) for f in findings] == [("bad.json", "SM000")]


def test_usage_errors_exit_2(run: Run) -> None:
    missing = run("check", "no/such/folder")
    assert missing.exit_code == 2
    assert missing.stderr == "smlint: error: no/such/folder: no such file or folder\n"
    assert run("check", "--format", "xml", "examples").exit_code == 2
    assert run("check", "--no-such-option").exit_code == 2
    bad_today = run("check", "examples", "--today", "2026-13-01")
    assert bad_today.exit_code == 2
    assert "YYYY-MM-DD" in bad_today.stderr


def test_version(run: Run) -> None:
    from smlint import __version__

    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"smlint {__version__}\n")


def test_each_agency_is_its_own_project_in_one_run(run: Run) -> None:
    # examples/compliant and examples/noncompliant each hold a .smlint.yaml: cross-artifact rules join
    # documents within one agency only, so checking both at once gives each its own findings.
    result = run("check", "examples/compliant", "examples/noncompliant", "--today", TODAY, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [f for f in findings if f["path"].startswith("examples/compliant/")] == []
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings] == NONCOMPLIANT
