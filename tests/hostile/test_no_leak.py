"""No output format shows client data: not without --show-source, and not in full even with it.

The test iterates over `reporters.FORMATS`, so that every format added later is covered too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smlint.reporters import FORMATS
from tests.conftest import run_cli

SSN = "536-22-8714"
SECRETS = [SSN, "536 22 8714", "536228714", "536-22", "Zebulon", "Quarterfield", "Maribel", "Oyelaran", "privatemail",
           "282-1934", "2821934", "00482913", "03/14/1986", "1986-03-14"]
PLANTED = f"""kind: intake-form
title: New client paperwork
version: "1.0"
acknowledges_policy: "2026.1"
clauses:
  technology_policy_acknowledgement:
    text: "Signed by client Zebulon Quarterfield (SSN {SSN}, DOB 03/14/1986), MRN 00482913, reach him at 503-282-1934."
    signature_required: true
  electronic_communication_risks:
    text: "Example: client Maribel Oyelaran, maribel.oyelaran@privatemail.net, prefers texts."
  {SSN}: "an unknown field named by a number"
notes:
  {SSN}: first
  {SSN}: second
"""
BROKEN = f"""kind: vendor
name: [unclosed {SSN}
dob: 1986-03-14
"""
STRUCTURED = """kind: vendor
name: Zoom
category: video
handles_client_data: true
test_account: {name: Maribel Oyelaran, dob: 1986-03-14, ssn: "536228714", mrn: "00482913"}
"""


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "intake.yaml").write_text(PLANTED, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "structured.yaml").write_text(STRUCTURED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.casefold() in text.casefold()]


@pytest.mark.parametrize("output_format", sorted(FORMATS))
@pytest.mark.parametrize("show_source", [False, True], ids=["plain", "show-source"])
def test_no_format_leaks_planted_client_data(planted: Path, output_format: str, show_source: bool) -> None:
    args = ["check", ".", "--format", output_format, "--today", "2026-03-01"]
    result = run_cli(*args, *(["--show-source"] if show_source else []))
    assert result.exit_code == 1
    assert _leaks(result.stdout) == []
    assert _leaks(result.stderr) == []


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_output_file_does_not_leak_either(planted: Path, output_format: str) -> None:
    result = run_cli("check", ".", "--format", output_format, "--show-source", "--output-file", "report.out")
    assert result.exit_code == 1
    assert _leaks((planted / "report.out").read_text(encoding="utf-8")) == []


def test_the_planted_identifiers_are_found(planted: Path) -> None:
    result = run_cli("check", ".", "--today", "2026-03-01", "--format", "concise")
    found = {(line.split(":")[0], line.split(":")[1], line.split()[1]) for line in result.stdout.splitlines()
             if " SM5" in line}
    assert found == {
        ("intake.yaml", "7", "SM501"), ("intake.yaml", "7", "SM502"), ("intake.yaml", "7", "SM503"),
        ("intake.yaml", "7", "SM504"), ("intake.yaml", "7", "SM505"),
        ("intake.yaml", "10", "SM504"), ("intake.yaml", "10", "SM505"),
        ("structured.yaml", "5", "SM501"), ("structured.yaml", "5", "SM502"), ("structured.yaml", "5", "SM503"),
    }


def test_show_source_shows_the_shape_and_last_four_digits_only(planted: Path) -> None:
    result = run_cli("check", "intake.yaml", "--show-source", "--today", "2026-03-01")
    snippet = next(line for line in result.stdout.splitlines() if line.lstrip().startswith("| ") and "SSN" in line)
    assert snippet == ('      |     text: "Signed by client ******* ************ (SSN ***-**-8714, DOB **/**/1986), '
                       'MRN ****2913, reach him at ***-***-1934."')


def test_a_source_line_cut_inside_an_email_address_masks_it_whole() -> None:
    from datetime import date

    from smlint.model import Finding, Severity
    from smlint.snippets import MAX_CHARS, snippet

    line = "notes: " + "x" * (MAX_CHARS - 20) + " client.name.here@example-mail.net"
    finding = Finding("SM504", "contact", Severity.WARNING, "n.yaml", 1, 1, 1, 1, "m")
    shown = snippet(finding, [line], date(2026, 3, 1))
    assert len(shown) == MAX_CHARS
    assert "client.name" not in shown and shown.endswith(" ******.****.")


def test_a_contradiction_in_a_markdown_policy_does_not_quote_a_heading_with_client_data() -> None:
    from smlint.loader import load_text

    text = ("---\nkind: policy\n---\n# Social media after client Zyab Quxo, SSN 536-22-8714\n\n"
            "Staff do not accept friend requests from clients.\n\n"
            "# Boundaries for client Vyab Wuxo, phone 503-282-1934\n\nStaff may accept friend requests from clients.\n")
    (problem,) = [p for p in load_text(text, "p.md").problems if p.rule == "SM040"]
    assert problem.message.endswith("(under 'Boundaries for client **** ****, phone ***-***-1934')")
    assert not any(secret in problem.message for secret in ("Zyab", "Quxo", "Vyab", "Wuxo", "8714", "503-282"))
