"""`redact.scrub`, the one redaction boundary, and SM015 (a suppression reason that holds client data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smlint.redact import holds_client_data, scrub
from tests.conftest import run_cli


@pytest.mark.parametrize(("text", "expected"), [
    ("approved for client Jane Roe, SSN 536-22-8714", "approved for client **** ***, SSN ***-**-8714"),
    ("patient Ann Lee MRN 00482913", "patient *** *** MRN ****2913"),
    ("case manager of Dora Quill, dora.quill@privatemail.net",
     "case manager of **** *****, ****.*****@***********.***"),
    ("Riverbend Family Services", "Riverbend Family Services"),  # no person, no identifier: shown as written
    ("board meetings only, never sessions", "board meetings only, never sessions"),
    ("", ""),
    # names as people write them, in a text that speaks of a client: every word of the name is masked
    ("client José García SSN 536-22-8714", "client **** ****** SSN ***-**-8714"),
    ("The client, Mary Anne Smith, called", "The client, **** **** *****, called"),
    ("client Sean O'Brien and Mrs. Okafor", "client **** *'***** and Mrs. ******"),
    ("guardian María de la Cruz, MRN A1234567", "guardian ***** ** ** ****, MRN ****4567"),
    ("client DeShawn McDonald-Lee", "client ******* ********-***"),
    ("client JANE DOE DOB March 2, 1984", "client **** *** DOB ***** *, 1984"),
    ('name: "client Zo\\u00eb Smith"', 'name: "client **\\***** *****"'),  # an escape in a source line
    # a first-person policy's "I" is no name ("If I" was masked as one); a middle initial still is part of it
    ("If I learn that someone saw client information, I tell each client.",
     "If I learn that someone saw client information, I tell each client."),
    ("When I'm away, client calls go to voicemail.", "When I'm away, client calls go to voicemail."),
    ("client Anna I Smith called", "client **** * ***** called"),
    ("client Jane Doe and I met", "client **** *** and I met"),
])
def test_scrub_masks_what_the_detectors_know(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a policy's title-case headings, which speak of clients: shown as written
    ("Social Media > Searching For Clients Online", "Social Media > Searching For Clients Online"),
    ("Policy > Working With Minors And Their Parents", "Policy > Working With Minors And Their Parents"),
    ("Texting And Other Electronic Communication With Clients",
     "Texting And Other Electronic Communication With Clients"),
    ("Client Communication > Texting And Email", "Client Communication > Texting And Email"),
    # names beside heading words, and names made of words that are also surnames or heading-like: masked
    ("Notes For Clients > Maria Lopez", "Notes For Clients > ***** *****"),
    ("Client Jane Doe", "Client **** ***"),
    ("client Julia Child called", "client ***** ***** called"),
    ("client Marie Parent", "client ***** ******"),
    ("Clients > Grace Young", "Clients > ***** *****"),
    ("Clients > Social Media Jane Doe", "Clients > ****** ***** **** ***"),  # one run, not all heading words
    # a first-person policy's sentence start: "If I" is no name; an initial inside a name still joins it
    ("If I lose a device with client data, I report it", "If I lose a device with client data, I report it"),
    ("client Jane I. Doe", "client **** *. ***"),
])
def test_headings_stay_readable_and_names_beside_them_do_not(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(("key", "expected"), [
    ("texting_consent", "texting_consent"),
    ("Jane Doe", "**** ***"),  # not field-like: masked whole
    ("client 536-22-8714", "****** ***-**-8714"),
    ("ssn_536228714", "ssn_*****8714"),
])
def test_scrub_keys(key: str, expected: str) -> None:
    assert scrub(key, "key") == expected


def test_scrub_pointers_key_by_key_keeping_indices_and_escapes() -> None:
    assert scrub("/extra/Jane Doe~1x/0/notes", "pointer") == "/extra/**** ***~1*/0/notes"
    assert scrub("/settings/live_streaming/12", "pointer") == "/settings/live_streaming/12"
    assert scrub("/settings/a~1b", "pointer") == "/settings/*~1*"  # "a/b" is not field-like


def test_holds_client_data_uses_the_detectors_only() -> None:
    assert holds_client_data("approved for client Jane Roe")
    assert not holds_client_data("renewed 2026-03-01 by the board")


VENDOR = """kind: vendor
name: Zoom
category: video
handles_client_data: false
settings:
  live_streaming: true  # smlint: disable=SM305 -- approved for client Jane Roe, MRN 00482913
"""


def test_a_reason_with_client_data_is_sm015_and_shown_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zoom.yaml").write_text(VENDOR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "zoom.yaml", "--format", "json", "--today", "2026-03-01")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in data["findings"]] == [("SM030", 1, 1), ("SM015", 6, 25)]
    assert [s["suppression"]["reason"] for s in data["suppressed"]] == ["approved for client **** ***, MRN ****2913"]
    assert "Jane" not in result.stdout and "00482913" not in result.stdout


def test_a_waiver_owner_with_client_data_is_sm015(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zoom.yaml").write_text(VENDOR.replace("  # smlint: disable=SM305 -- approved for client Jane Roe, "
                                                       "MRN 00482913", ""), encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text("waivers: waivers.yaml\n", encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n  - path: zoom.yaml\n    rule: SM305\n    reason: public board meetings\n"
        "    owner: guardian of client Jane Roe\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", ".", "--format", "json", "--today", "2026-03-01")
    data = json.loads(result.stdout)
    assert [(f["rule"], f["path"], f["line"], f["pointer"]) for f in data["findings"]] == [
        ("SM015", "waivers.yaml", 2, "/waivers/0"), ("SM030", "zoom.yaml", 1, "/kind")]
    assert [s["suppression"]["owner"] for s in data["suppressed"]] == ["guardian of client **** ***"]
