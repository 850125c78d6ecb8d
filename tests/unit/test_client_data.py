"""The client_identifiers check: each detector, its exclusions, and its false positives on realistic text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smlint.checks import Context, parse_params
from smlint.checks.client_data import client_identifiers
from smlint.identifiers import TextItem, contact, date_of_birth, medical_record, ssn
from smlint.identifiers import client_name as client_name_detector
from smlint.redact import mask, redact, redact_pointer
from tests.conftest import EXAMPLES, Run

CTX = Context(date(2026, 3, 1))
CORPUS = Path(__file__).resolve().parents[1] / "hostile" / "data"


def _found(detector: Any, text: str, key: str = "text", siblings: dict[str, Any] | None = None,
           **params: Any) -> list[str]:
    settings = parse_params("client_identifiers", {"detector": "ssn", **params})  # detectors read its settings
    return [text[s:e] for s, e in detector(TextItem("/x", key, text, siblings or {}), settings, CTX.today)]


@pytest.mark.parametrize(("text", "expected"), [
    ("SSN 536-22-8714 on file", ["536-22-8714"]),
    ("ssn 536 22 8714", ["536 22 8714"]),
    ("social security no. 536228714", ["536228714"]),
    ("000-12-3456 666-12-3456 900-12-3456 999-12-3456", []),  # areas never issued
    ("536-00-8714 536-22-0000", []),  # group 00, serial 0000
    ("078-05-1120 219-09-9999 123-45-6789", []),  # well-known fakes
    ("account 536228714", []),  # nine bare digits without a cue
    ("536-22-87145 1536-22-8714 536-228714", []),  # longer runs and mixed separators
    ("EIN 93-1234567, NPI 1841299531, phone 503-284-7710", []),
])
def test_ssn_validity_and_cues(text: str, expected: list[str]) -> None:
    assert _found(ssn, text) == expected


def test_ssn_bare_digits_under_an_ssn_key() -> None:
    assert _found(ssn, "536228714", key="ssn") == ["536228714"]
    assert _found(ssn, "536228714", key="account") == []


def test_rule_file_fakes_replace_the_defaults() -> None:
    assert _found(ssn, "SSN 536-22-8714", known_fake=["536-22-8714"]) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Example: Maria Lopez, DOB 03/14/1986, was searched.", ["03/14/1986"]),
    ("Jane Roe-Smith was born on March 4, 1979 in Salem.", ["March 4, 1979"]),
    ("Zoë O'Neill, DOB 03/14/1986", ["03/14/1986"]),
    ("date of birth: 1986-03-14 (client Maria Lopez)", ["1986-03-14"]),
    ("Confirm the client's name and date of birth.", []),  # no date
    ("DOB 03/14/1986", []),  # no name
    ("Maria Lopez signed on 03/14/1986.", []),  # no birth cue
    ("Maria Lopez, DOB 03/14/2031", []),  # a future date is not a birth date
    ("The Clinical Director reviewed it; DOB format is 01/01/1990.", []),  # capitalised words are not names
])
def test_date_of_birth_needs_a_cue_a_date_and_a_name(text: str, expected: list[str]) -> None:
    assert _found(date_of_birth, text, not_names=["The", "Clinical", "Director", "DOB"]) == expected


def test_date_of_birth_in_structured_fields() -> None:
    assert _found(date_of_birth, "1986-03-14", key="dob", siblings={"name": "Maria Lopez"}) == ["1986-03-14"]
    assert _found(date_of_birth, "1986-03-14", key="dob", siblings={"kind": "vendor"}) == []


@pytest.mark.parametrize(("text", "key", "expected"), [
    ("Scanned consent for MRN 00482913 was misfiled.", "text", ["00482913"]),
    ("medical record number: A-0048291", "text", ["A-0048291"]),
    ("chart # 77120", "text", ["77120"]),
    ("patient ID is 5531902", "text", ["5531902"]),
    ("Never put a medical record number in a subject (write MRN-XXXX).", "text", []),
    ("MRN 123", "text", []),  # fewer than four digits
    ("A-0048291", "mrn", ["A-0048291"]),
    ("see chart", "mrn", []),
])
def test_medical_record_numbers(text: str, key: str, expected: list[str]) -> None:
    assert _found(medical_record, text, key=key) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Text the client Maria Lopez at 503-282-1934 about scheduling.", ["503-282-1934"]),
    ("Her mother, at 14 Elm Street, asked for copies.", ["14 Elm Street"]),
    ("The client wrote from maria.lopez@gmail.com.", ["maria.lopez@gmail.com"]),
    ("Clients reach our front desk at 503-282-1934.", []),  # the agency's own number
    ("A client may call the callback line, (503) 282-1934.", []),
    ("Example: client texts 503-555-0142.", []),  # fictional 555-01xx
    ("Clients write to privacy@agency.org.", []),  # a role mailbox
    ("Call 503-282-1934 for the weather.", []),  # nobody nearby
])
def test_contact_details_next_to_a_person_but_not_the_agency(text: str, expected: list[str]) -> None:
    assert _found(contact, text) == expected


@pytest.mark.parametrize(("gap", "expected"), [(80, ["503-282-1934"]), (81, [])])
def test_next_to_means_within_eighty_characters_either_side(gap: int, expected: list[str]) -> None:
    assert _found(contact, "Call 503-282-1934" + " " * gap + "client") == expected  # the person after
    assert _found(contact, "client" + " " * gap + "503-282-1934") == expected  # and before


@pytest.mark.parametrize(("text", "expected"), [
    ("Last year client John Smith sent a friend request.", ["John Smith"]),
    ("Guardian: Ana Ruiz signed.", ["Ana Ruiz"]),
    ("A client, Mrs. Okafor, asked to connect.", ["Okafor"]),
    ("Mr. Ellis keeps the attendance records.", []),  # a title without a client nearby: staff
    ("Staff never accept a client Facebook request.", []),
    ("client Jane Doe is our placeholder.", []),
    # names as people write them: accents, O'/D' and Mc/Mac, hyphens
    ("approved for client José García on Monday", ["José García"]),
    ("patient Sean O'Brien and guardian Renée D’Angelo", ["Sean O'Brien", "Renée D’Angelo"]),
    ("client Mary McDonald-Lee called", ["Mary McDonald-Lee"]),
    ("the client John Smith's file", ["John Smith"]),
    ("A client, Mrs. Ñúñez, asked", ["Ñúñez"]),
])
def test_client_names(text: str, expected: list[str]) -> None:
    assert _found(client_name_detector, text, not_names=["Facebook", "Doe"]) == expected


def test_check_honours_fields_and_exclude_and_reports_the_field_only() -> None:
    data = {"organisation": "Client Services of Salem, client John Smith memorial fund",
            "sections": {"a": {"text": "client John Smith called", "title": "client John Smith"},
                         "contingency": {"text": "client John Smith"}}}
    params = parse_params("client_identifiers", {"detector": "client_name", "fields": ["text"],
                                                 "exclude": ["/organisation", "/sections/contingency"]})
    hits = list(client_identifiers(data, params, CTX))
    assert [(h.pointer, dict(h.variables)) for h in hits] == [("/sections/a/text", {"field": "text"})]


def test_mask_and_redact_keep_the_shape_and_last_four_digits() -> None:
    assert mask("536-22-8714") == "***-**-8714"
    assert mask("John Smith") == "**** *****"
    assert redact("SSN 536-22-8714, call (503) 282-1934, mail maria@x.org, year 2026") == \
        "SSN ***-**-8714, call (***) ***-1934, mail *****@*.***, year 2026"
    assert redact_pointer("/notes/536-22-8714/0/12") == "/notes/***-**-8714/0/12"


def test_false_positives_on_examples_and_realistic_policy_text(run: Run) -> None:
    """The measurement behind the report: no SM5xx finding on the shipped examples or on the corpus of
    realistic policy and intake wording in tests/hostile/data/ (phone numbers, addresses, e-mail, dates,
    licence, NPI, EIN and regulation numbers of the agency itself)."""
    for folder in (EXAMPLES, CORPUS):
        result = run("check", str(folder), "--format", "json", "--today", "2026-03-01")
        assert result.exit_code in (0, 1)
        assert [line for line in result.stdout.splitlines() if '"rule": "SM5' in line] == []
