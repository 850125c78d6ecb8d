"""Markdown policies and the clause reader: blocks with their places, front matter, and clauses read as
established, contradicted or not found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smlint.clauses import (
    CONTRADICTED,
    ESTABLISHED,
    NOT_FOUND,
    builtin_catalogue,
    classify,
    load_catalogue,
    normalise,
    read,
)
from smlint.errors import RuleError
from smlint.formats.markdown import blocks, body, front_matter
from smlint.loader import load_text
from smlint.model import Span
from tests.conftest import ROOT

POLICY = """\
---
kind: policy
organisation: Riverbend Counseling
version: "2026.1"
effective: 2026-01-05
last_reviewed: 2026-01-05
approved_by: {name: Clinical Director, role: Clinical Director}
---
# Technology Policy

## Social media

Staff will not accept friend or follow requests from current or former clients.

## Texting

- Staff may text clients only with the client's written consent.
- Texts are limited to appointment times.

| Topic | Rule |
|---|---|
| Payments | We do not accept Venmo or Zelle. |
"""


def test_blocks_keep_line_column_and_heading_path() -> None:
    fm = front_matter(POLICY)
    assert fm.lines == 8
    found = blocks(body(POLICY, fm.lines))  # the front matter's lines blanked: line numbers stay the file's
    shown = [(b.kind, b.span.line, b.span.column, b.path[-1] if b.path else "") for b in found]
    assert shown == [
        ("heading", 9, 1, "Technology Policy"),
        ("heading", 11, 1, "Social media"),
        ("paragraph", 13, 1, "Social media"),
        ("heading", 15, 1, "Texting"),
        ("item", 17, 1, "Texting"),
        ("item", 18, 1, "Texting"),
        ("row", 20, 1, "Texting"),
        ("row", 22, 1, "Texting"),
    ]
    item = found[4]
    assert item.text == "Staff may text clients only with the client's written consent."
    assert item.span == Span(17, 1, 17, 65)
    assert item.path == ("Technology Policy", "Texting")
    assert found[-1].text == "Payments | We do not accept Venmo or Zelle."


def test_nested_list_items_and_quotes_are_located_at_their_marker() -> None:
    found = blocks("# Rules\n\n- Outer item\n  - inner item\n\n> Quoted paragraph\n")
    assert [(b.kind, b.span.line, b.span.column, b.text) for b in found[1:]] == [
        ("item", 3, 1, "Outer item"), ("item", 4, 3, "inner item"), ("paragraph", 6, 3, "Quoted paragraph")]


def test_a_markdown_policy_is_a_policy_document_with_its_front_matter_and_sections() -> None:
    result = load_text(POLICY, "policy.md")
    assert result.problems == ()
    (doc,) = result.documents
    assert doc.kind == "policy"
    assert doc.data["organisation"] == "Riverbend Counseling"
    sections = doc.data["sections"]
    assert sections["social_networking"]["prohibits_client_connections"] is True
    assert sections["social_networking"]["applies_to_former_clients"] is True
    assert sections["texting"]["allowed"] is True
    assert sections["texting"]["requires_written_consent"] is True
    assert sections["texting"]["content_limits"] is True
    assert sections["payments"]["peer_to_peer_allowed"] is False
    assert "prohibits_personal_contact" not in sections["social_networking"]  # not found: left out, not false
    span, exists = doc.locate("/sections/texting/requires_written_consent")
    assert (exists, span.line, span.column) == (True, 17, 1)
    assert doc.label("/sections/texting/requires_written_consent") == "under 'Technology Policy > Texting'"
    assert doc.place("/sections/texting/requires_written_consent") == "under 'Technology Policy > Texting'"
    assert doc.place("/sections/social_networking", found=False) == "no clause on this was found in the text"
    span, exists = doc.locate("/sections/texting/nonexistent")
    assert (exists, span.line) == (False, 15)  # the section's heading
    assert doc.locate("/organisation")[0].line == 3  # front matter fields keep their lines


def test_markdown_without_front_matter_is_not_an_artifact() -> None:
    result = load_text("# Read me\n\nStaff may accept friend requests.\n", "README.md")
    assert (result.documents, result.problems) == ((), ())


def test_front_matter_of_another_tool_is_not_an_artifact() -> None:
    result = load_text("---\nlayout: post\ntitle: News\n---\n# News\n", "news.md")
    assert (result.documents, result.problems) == ((), ())


def test_a_configured_kind_makes_plain_markdown_a_policy() -> None:
    result = load_text("# Texting\n\nStaff do not text clients.\n", "policy.md", default_kind="policy")
    (doc,) = result.documents
    assert doc.data["sections"]["texting"]["allowed"] is False


@pytest.mark.parametrize(("text", "line", "column", "rule"), [
    ("---\nkind: policy\norganisation: [Riverbend\n---\n# P\n", 4, 1, "SM000"),  # the list is never closed
    ("---\nkind: policy\norganisation: Riverbend\n# never closed\n", 1, 1, "SM000"),
    ("---\nkind: intake-form\n---\n# P\n", 2, 7, "SM003"),
])
def test_bad_front_matter_is_reported_where_it_is(text: str, line: int, column: int, rule: str) -> None:
    result = load_text(text, "policy.md")
    assert result.documents == ()
    (problem,) = result.problems
    assert (problem.rule, problem.span.line, problem.span.column) == (rule, line, column)


def test_front_matter_that_is_not_a_mapping_is_reported() -> None:
    result = load_text("---\n- kind: policy\n---\n# P\n", "policy.md")
    assert result.documents == ()
    assert [p.rule for p in result.problems] == ["SM003"]


@pytest.mark.parametrize(("sentence", "concept", "state"), [
    ("Staff will not accept friend requests from clients.", "client-connections", ESTABLISHED),
    ("Staff won't accept friend requests from clients.", "client-connections", ESTABLISHED),
    ("No staff member may friend a client on any platform.", "client-connections", ESTABLISHED),
    ("Clinicians may accept friend requests from clients.", "client-connections", CONTRADICTED),
    ("Staff may not accept friend requests from clients.", "client-connections", ESTABLISHED),
    ("Never write \"you may accept friend requests from clients\" in an email.", "client-connections", None),
    ("Staff do not text clients.", "texting-allowed", CONTRADICTED),
    ("Staff may text clients about appointment times.", "texting-allowed", ESTABLISHED),
    ("Multi-factor authentication is optional.", "multi-factor-authentication", CONTRADICTED),
    ("Multi-factor authentication is required for the EHR.", "multi-factor-authentication", ESTABLISHED),
    # the audit's user-written policies (tests/corpus/prose/hospice-dos-and-donts.md, training-clinic-note.md)
    ("Don't friend or follow patients or their families, while we serve them or after discharge.", "former-clients",
     ESTABLISHED),
    ("Staff may accept friend requests from clients after discharge.", "former-clients", CONTRADICTED),
    ("Supervisors do not connect on personal accounts with the staff they supervise.", "supervisee-connections",
     ESTABLISHED),
    ("Video visits happen in the agency's Doxy.me room, never on FaceTime or WhatsApp.", "consumer-video-prohibited",
     ESTABLISHED),
    ("Copies of texts and emails become part of your clinical record.", "messages-in-record", ESTABLISHED),
    ("Sign in with your own login and the code from the Authenticator app.", "multi-factor-authentication",
     ESTABLISHED),
    ("We will not look you up online.", "client-search-allowed", CONTRADICTED),
    ("A search is permitted only to prevent serious, foreseeable and imminent harm.", "client-search-allowed",
     ESTABLISHED),
    # limits and other uses are not bans or permissions (they used to be, and then decided their paragraph)
    ("Staff do not text clients about clinical matters.", "texting-allowed", None),
    ("Staff may use their own phones to call the office.", "agency-devices-only", None),
    ("Staff may use their own phones to call the office.", "personal-devices-prohibited", None),
    ("Staff may use their own phones to text clients.", "agency-devices-only", CONTRADICTED),
    # wording from the held-out and user-trial policies, and the misreadings their words invited
    ("Staff sign in to district systems with their own district account.", "unique-user-ids", ESTABLISHED),
    ("Staff do not post about work on their personal accounts.", "unique-user-ids", None),
    ("The breach procedure covers records protected by 42 CFR Part 2.", "part2-records-security", None),
    ("Paper and electronic Part 2 records are protected per P&P 4.10.", "part2-records-security", ESTABLISHED),
    ("Counselors may text a pt from their own cell in an emergency.", "agency-devices-only", CONTRADICTED),
    ("Staff may connect with former students once they have graduated.", "client-connections", None),
    ("Staff may connect with former students once they have graduated.", "former-clients", CONTRADICTED),
    ("Our systems protect client information from improper alteration or destruction.", "secure-disposal", None),
    ("If we can't get the video going, we can switch to FaceTime.", "consumer-video-prohibited", CONTRADICTED),
    ("Sessions are not recorded.", "recording-allowed", CONTRADICTED),
    ("Every laptop holding client information is encrypted, and lost devices are wiped remotely.",
     "device-loss-reporting", None),  # "information" is not "inform"
    # a counselling group's Word policy (tests/acceptance/test_counselling_group.py)
    ("Searching is permitted only if the client agrees in writing and the reason is documented.",
     "client-search-allowed", ESTABLISHED),
    ("Searching the EHR is permitted only for treatment.", "client-search-allowed", None),
    # a held-out probe of the same capabilities, in words not tuned on (4 of its 12 missed, then added)
    ("Clinicians may text a client after getting the client's verbal permission.", "texting-written-consent",
     CONTRADICTED),
    ("If the building loses power, sessions move to phone.", "outage-plan", ESTABLISHED),
    ("Staff who use their own phones must enroll them in our MDM.", "personal-device-safeguards", ESTABLISHED),
    ("Looking up a client is allowed only if the clinical reason is documented.", "client-search-allowed",
     ESTABLISHED),
    ("Smaller breaches are kept in our breach log and reported to HHS once a year.", "small-breach-report",
     ESTABLISHED),
    ("If our power or internet is out, clinicians call clients from their practice phones to reschedule.",
     "outage-plan", ESTABLISHED),
    ("SimplePractice backs up our records every night and we can restore them.", "backup", ESTABLISHED),
    ("Staff last completed the annual training on January 14, 2026.", "training-last-completed", ESTABLISHED),
    ("Personal phones may be used for work only with the practice's device management app installed.",
     "personal-device-safeguards", ESTABLISHED),
    ("Clinicians may text clients about scheduling once the client has agreed verbally at the first session.",
     "texting-written-consent", CONTRADICTED),
    ("Verbal agreement is not enough: clients sign the texting consent.", "texting-written-consent", ESTABLISHED),
    ("We text clients only after a verbal OK is confirmed by a signed consent form.", "texting-written-consent",
     ESTABLISHED),  # the verbal OK is not all it asks
    ("We e-mail clients only with their written consent.", "texting-written-consent", ESTABLISHED),  # (classify alone)
    # a solo practitioner's first-person policy (tests/acceptance/test_solo_practice.py)
    ("I do not supervise other clinicians.", "supervisee-connections", ESTABLISHED),
    ("I supervise two interns.", "supervisee-connections", None),
    ("I use two-step verification, and I am the only person who signs in to my accounts.", "unique-user-ids",
     ESTABLISHED),
    ("I email only clients who choose it after I explain the risks.", "unencrypted-email-consent", ESTABLISHED),
    ("I email clients who choose it.", "unencrypted-email-consent", None),  # no word of the risks
    ("My email is not end-to-end encrypted.", "encryption-in-transit", None),
    ("Messages are sent end-to-end encrypted.", "encryption-in-transit", ESTABLISHED),
    ("At intake we talk about why it is better not to follow me online.", "education-following", ESTABLISHED),
    ("If I learn that someone may have seen client information without permission, I will tell each affected "
     "client as soon as I can.", "breach-clients-told", ESTABLISHED),
    ("Vendors must tell me within 10 days of any breach affecting clients.", "breach-clients-told", None),
    ("I see clients by video only while they are in a state where I am licensed.", "telehealth-offered",
     ESTABLISHED),
    # a second practitioner's words for the same concepts (measured before these patterns were added)
    ("I'll only email you if you ask me to after we talk about the risks.", "unencrypted-email-consent", ESTABLISHED),
    ("If your records are ever accessed by someone who shouldn't see them, I will let you know promptly.",
     "breach-clients-told", ESTABLISHED),
    ("If your records are lost, we report it to our insurer.", "breach-clients-told", None),
    ("I meet with clients over secure video when they can't come to the office.", "telehealth-offered",
     ESTABLISHED),
])
def test_negations_and_permissions(sentence: str, concept: str, state: str | None) -> None:
    found = builtin_catalogue().concept(concept)
    assert found is not None
    outcome = classify(found, sentence)
    assert (outcome[0] if outcome else None) == state


def test_normalise_joins_negated_modals() -> None:
    assert normalise("We CAN'T and won’t;  staff cannot") == "we can_not and will_not; staff can_not"
    assert normalise("Staff may not; texts aren't allowed") == "staff may_not; texts are not allowed"
    assert normalise("Under no circumstances will staff") == "never will staff"


def test_numbers_are_read_from_digits_and_words() -> None:
    text = ("# Breaches\n\nAffected clients are notified within thirty days of discovery.\n\n"
            "# Security\n\nScreens lock after 15 minutes of inactivity.\n")
    reading = read(blocks(text))
    assert reading.decisive("breach-notice-days").value == 30  # type: ignore[union-attr]
    assert reading.decisive("automatic-logoff").value == 15  # type: ignore[union-attr]
    assert reading.state("encryption-at-rest") == NOT_FOUND


def test_a_pinned_clause_decides_its_concept() -> None:
    text = ("# Social media\n\n<!-- smlint: clause=client-connections -->\nWe keep our distance online.\n\n"
            "<!-- smlint: clause=!texting-allowed -->\nPhones are for calls.\n")
    reading = read(blocks(text))
    assert reading.state("client-connections") == ESTABLISHED
    assert reading.decisive("client-connections").pinned  # type: ignore[union-attr]
    assert reading.state("texting-allowed") == CONTRADICTED


def test_a_pin_naming_an_unknown_concept_is_reported() -> None:
    result = load_text("---\nkind: policy\n---\n# P\n\n<!-- smlint: clause=no-such-thing -->\nText.\n", "p.md")
    # and nothing else was recognised (SM041, at the first block)
    assert [(p.rule, p.span.line) for p in result.problems] == [("SM000", 7), ("SM041", 4)]
    assert "'no-such-thing'" in result.problems[0].message


def test_contradicting_clauses_are_a_problem_at_the_permission() -> None:
    text = ("---\nkind: policy\n---\n# Social media\n\nStaff do not accept friend requests from clients.\n\n"
            "# Boundaries\n\nStaff may accept friend requests from clients.\n")
    result = load_text(text, "p.md")
    (problem,) = [p for p in result.problems if p.rule == "SM040"]
    assert (problem.span.line, problem.pointer) == (10, "/sections/social_networking/prohibits_client_connections")
    assert "line 6" in problem.message and "under 'Boundaries'" in problem.message
    assert result.documents[0].data["sections"]["social_networking"]["prohibits_client_connections"] is False


def test_a_permission_later_in_the_same_paragraph_is_not_hidden_by_the_prohibition_before_it() -> None:
    """Found by the audit of issue 17: the first sentence of a paragraph used to decide each concept, so a policy
    that forbids friending clients and then allows it "after discharge" passed SM103."""
    text = ("---\nkind: policy\n---\n# Social media\n\nStaff will not accept friend requests from current or "
            "former clients. Staff may accept friend requests from clients after discharge.\n")
    result = load_text(text, "p.md")
    assert sorted((p.rule, p.span.line, p.pointer) for p in result.problems if p.rule == "SM040") == [
        ("SM040", 6, "/sections/social_networking/applies_to_former_clients"),
        ("SM040", 6, "/sections/social_networking/prohibits_client_connections")]
    social = result.documents[0].data["sections"]["social_networking"]
    assert (social["prohibits_client_connections"], social["applies_to_former_clients"]) == (False, False)
    reading = read(blocks(text.split("---\n", 2)[2]))
    assert [f.state for f in reading.facts["client-connections"]] == [ESTABLISHED, CONTRADICTED]


def test_a_ban_qualified_by_stated_cases_in_its_paragraph_is_the_permission_in_those_cases() -> None:
    """A counselling group's Word policy (tests/acceptance/test_counselling_group.py): "We do not search for
    clients. A search is allowed only when ..." was an SM040 contradiction of a paragraph with itself. A concept
    marked `exceptions` (the permission in stated cases) reads the two as one rule; a plain permission beside the
    ban is still a contradiction."""
    qualified = ("---\nkind: policy\n---\n# Searching for clients online\n\nWe do not search for clients on the "
                 "internet. A search is allowed only when there is a documented professional reason and the client "
                 "has given consent.\n")
    result = load_text(qualified, "p.md")
    assert [p.rule for p in result.problems] == []
    assert result.documents[0].data["sections"]["client_search"]["allowed"] is True
    plain = qualified.replace("A search is allowed only when", "Staff may search for clients when")
    assert [(p.rule, p.span.line) for p in load_text(plain, "p.md").problems] == [("SM040", 6)]


def test_a_sentence_about_e_mail_is_not_the_texting_consent_under_a_shared_heading() -> None:
    text = ("# E-mail and texting\n\nWe send unencrypted e-mail only with the client's written consent.\n\n"
            "Clinicians may text clients once the client has agreed verbally.\n")
    reading = read(blocks(text))
    decisive = reading.decisive("texting-written-consent")
    assert decisive is not None and decisive.state == CONTRADICTED and decisive.block.span.line == 5
    assert [f.state for f in reading.facts["texting-written-consent"]] == [CONTRADICTED]
    # the same consent said of texts counts
    assert read(blocks(text.replace("We send unencrypted e-mail", "We text clients"))).facts[
        "texting-written-consent"][0].state == ESTABLISHED


@pytest.mark.parametrize(("text", "states"), [
    ("We offer video sessions to adults and couples who are in Michigan or Ohio during the session.", ["MI", "OH"]),
    ("Clients must be located in Virginia, West Virginia or Washington when we meet by video.", ["VA", "WA", "WV"]),
    ("Telehealth is available to clients anywhere in Kansas.", ["KS"]),
    ("We do not see clients who are in Indiana.", None),  # a negation names no state clients are in
    ("Our clinicians are licensed in Michigan.", None),  # licences are the roster's, not the clients' states
])
def test_telehealth_client_states_are_read_by_name_under_a_telehealth_heading(text: str,
                                                                              states: list[str] | None) -> None:
    facts = read(blocks(f"# Telehealth\n\n{text}\n")).facts.get("telehealth-client-states", ())
    assert (facts[0].value if facts else None) == states
    assert "telehealth-client-states" not in read(blocks(f"# Our office\n\n{text}\n")).facts


def test_a_supervisor_refusing_clients_requests_is_not_about_supervisees() -> None:
    """`supervisee-connections` reads only sentences about the people a supervisor supervises (its context)."""
    reading = read(blocks("# Connecting online\n\nYour therapist and their supervisor will not accept friend "
                          "requests from you.\n"))
    assert reading.state("supervisee-connections") == NOT_FOUND
    assert reading.state("client-connections") == ESTABLISHED


def test_every_catalogue_file_matches_its_schema_and_names_real_policy_fields() -> None:
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "clauses.schema.json").read_text(encoding="utf-8"))
    policy = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    files = sorted((ROOT / "rules" / "clauses").glob("*.yaml"))
    assert len(files) >= 8
    for file in files:
        data = load_text(file.read_text(encoding="utf-8"), file.name).documents[0].data
        jsonschema.validate(data, schema)
    for concept in builtin_catalogue().concepts:
        node = policy
        for part in concept.field.strip("/").split("/"):
            node = node["properties"][part]
        assert node["type"] in ("boolean", "integer", "number", "string", "array"), concept.name
        assert (node["type"] == "array") == bool(concept.items), concept.name


def test_a_catalogue_with_an_unknown_term_or_bad_pattern_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: bad\nconcepts:\n  - name: x\n    field: /sections/texting/allowed\n    title: X\n"
                   "    establish:\n      - '{{nosuch}} text'\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_catalogue([bad])
    assert (caught.value.line, "nosuch" in str(caught.value)) == (7, True)
    bad.write_text("family: bad\nconcepts:\n  - name: x\n    field: /sections/texting/allowed\n    title: X\n"
                   "    establish:\n      - '(?=look)ahead'\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_catalogue([bad])
    assert caught.value.line == 7


def test_stale_sources_are_reported_at_their_clause() -> None:
    text = ("---\nkind: policy\n---\n# Video\n\nDuring the COVID-19 public health emergency, HHS relaxed rules so "
            "clinicians may use FaceTime for telehealth.\n\n# Standards\n\nWe follow the NASW Code of Ethics "
            "(2008).\n")
    stale = [(p.span.line, p.message) for p in load_text(text, "p.md").problems if p.rule == "SM043"]
    assert stale == [
        (6, "this clause relies on the COVID-19 telehealth enforcement discretion, which ended with the public health "
            "emergency on 11 May 2023 (transition to 9 August 2023); require HIPAA-compliant platforms under business "
            "associate agreements instead (under 'Video')"),
        (10, "this clause relies on the 2008 NASW Code of Ethics, replaced by the 2017 revision and its 2021 "
             "amendments; cite the NASW Code of Ethics as revised in 2021 (under 'Standards')")]


def test_the_vacated_laws_are_stale_sources_too() -> None:
    """The two vacated laws of rules/laws.json, relied on in prose (a YAML policy's `relies_on` is SM184)."""
    text = ("---\nkind: policy\n---\n# Privacy\n\nBefore releasing records that may concern reproductive health "
            "care, staff obtain the requester's signed attestation.\n\n# Website\n\nOur public web pages are "
            "covered by the HHS tracking bulletin.\n\n# Notice\n\nThe Notice of Privacy Practices covers "
            "substance use disorder records.\n")
    stale = [(p.span.line, p.message.split(",")[0]) for p in load_text(text, "p.md").problems if p.rule == "SM043"]
    assert stale == [
        (6, "this clause relies on the 2024 HIPAA Privacy Rule to Support Reproductive Health Care Privacy (89 FR "
            "32976)"),
        (10, "this clause relies on the part of HHS OCR's tracking bulletin on public pages without a login")]


def test_a_yaml_only_check_loads_no_prose_reader(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    from tests.conftest import COMPLIANT_POLICY_YAML, EXAMPLES

    shutil.copytree(EXAMPLES / "compliant" / "vendors", tmp_path / "vendors")
    shutil.copy(COMPLIANT_POLICY_YAML, tmp_path / "policy.yaml")
    (tmp_path / ".smlint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    code = ("import sys; from smlint.cli import main; main(['check', '.', '--today', '2026-03-01']); "
            "print(sorted(m for m in ('markdown_it', 'docx', 'smlint.clauses', 'smlint.prose') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"


def test_arbitrary_markdown_never_raises() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["---\n", "kind: policy\n", "# ", "## Texting\n", "- ", "| a | b |\n|---|---|\n",
                              "<!-- smlint: clause=texting-allowed -->\n", "<!-- smlint: clause=!x -->", "> ",
                              "Staff may not text clients. ", "\n\n", "`code`", "**bold** ", "[link](x) ", "\t",
                              "organisation: [", "Staff may accept friend requests from clients.\n", "\ufeff", "\r\n"])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=30))
    def check(parts: list[str]) -> None:
        result = load_text("".join(parts), "p.md")
        for doc in result.documents:
            assert doc.kind == "policy"
            for pointer in doc.positions:
                span = doc.positions[pointer].value
                assert span.line >= 1 and span.column >= 1

    check()


SECURITY = """\
---
kind: policy
organisation: Cedar Ridge
version: "1"
effective: 2026-09-01
last_reviewed: 2026-09-01
approved_by: {name: Board, role: Board}
---
# Manual

## Security management

The Director of Operations serves as the HIPAA security official.

A risk analysis of every system holding client information was last completed on March 14, 2026.

## Breaches

Vendors must tell us about any breach within 90 days.

## Devices

Staff may use their own phones for client calls.

Personal devices are not allowed for client work.
"""


def test_captured_roles_dates_and_excluded_sentences_become_the_policys_fields() -> None:
    result = load_text(SECURITY, "p.md")
    sections = result.documents[0].data["sections"]
    assert sections["security_management"]["security_official"] == "Director of Operations"
    assert sections["security_management"]["risk_analysis_last"] == "2026-03-14"
    # the vendors' deadline is not the clients' notice, which the policy does not state
    assert sections["breach_notification"]["vendor_notice_days"] == 90
    assert "notice_days" not in sections["breach_notification"]
    # permitted in one clause, forbidden in the next: read as allowed, and reported at the permission, for the
    # devices concept and for the phones concept the same two clauses decide
    assert sections["devices"]["personal_devices_allowed"] is True
    assert sorted((p.span.line, p.pointer) for p in result.problems if p.rule == "SM040") == [
        (23, "/sections/devices/personal_devices_allowed"), (23, "/sections/phones/agency_devices_only")]


def test_the_prefilter_never_changes_a_reading_of_mixed_clauses() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from smlint.prose import markdown_blocks

    pieces = st.sampled_from([
        "Staff may not accept friend requests from clients.", "Clinicians may text clients", "\"may accept\"",
        " without written consent", "; ", " but ", "Personal devices are not allowed.", "no tracking pixels ",
        "on the client portal. ", "Encrypting laptops is optional. ", "We answer requests within 45 days. ",
        "The office manager is our security officer. ", "never ", "don't ", "the risk analysis was completed on "
        "March 14, 2026. ", "Vendors must tell us of a breach within 90 days. ", "\n\n## Privacy\n\n", "\n- "])

    @settings(max_examples=120, deadline=None)
    @given(st.lists(pieces, min_size=1, max_size=12))
    def check(parts: list[str]) -> None:
        blocks = markdown_blocks("# Policy\n\n" + "".join(parts))
        assert read(blocks) == read(blocks, prefilter=False)

    check()


def test_the_built_in_families_pass_the_checks_an_agency_family_gets() -> None:
    """The checks an agency's own family gets (schema, fields the policy schema has with the right type,
    names not taken) hold for the built-in families too, so the two stay one format."""
    from smlint.clauses import TERMS_FILE, _check_agency_family
    from smlint.loader import load_file

    taken: dict[str, str] = {}
    for file in sorted((ROOT / "rules" / "clauses").glob("*.yaml")):
        if file.name != TERMS_FILE:
            _check_agency_family(load_file(file, str(file)).documents[0], taken)
    assert len(taken) == len(builtin_catalogue().concepts)


# ------------------------------------------------------------------ reading wording the catalogue has not seen


def test_normalise_rewrites_shared_words_notation_numbers_and_units() -> None:
    """terms.yaml `words` (client names, abbreviations, misspellings, contractions without apostrophes)
    and short-list notation are rewritten before any pattern runs; numbers before a unit become digits."""
    assert normalise("Don't friend/follow/connect w/ pts or former pts.") == (
        "do_not friend or follow or connect with clients or former clients.")
    assert normalise("We wont text consumers; no consumer video apps") == (
        "we will_not text clients; no consumer video apps")  # `except`: consumer video stays
    assert normalise("Lost/stolen device → tell IT + Compliance within 1 hr.") == (
        "lost or stolen device then tell it and compliance within 1 hours.")
    assert normalise("Breach <500 pts: log. 500+: HHS") == "breach fewer than 500 clients: log. 500 or more: hhs"
    assert normalise("no later than sixty (60) calendar days; twenty-four hours; 5 min idle; keep 6 yrs") == (
        "no later than 60 days; 24 hours; 5 minutes idle; keep 6 years")
    assert normalise("Privacy Officer = Compliance Director. SRA done every 12 mo.") == (
        "privacy officer is compliance director. security risk analysis done every 12 months.")
    assert normalise("Upon seperation, access ends within an hour; training each school year") == (
        "upon separation, access ends within 1 hours; training each year")
    assert normalise("No one may") == "one may_not"  # a number word is rewritten only before a unit


def test_a_number_written_in_another_unit_is_converted_to_the_concepts_unit() -> None:
    text = ("# Security management\n\nA risk analysis is conducted at least once every two (2) years.\n\n"
            "When an employee leaves, all system access is disabled within one day.\n\n"
            "# Records\n\nClinical records are retained for 30 months.\n\n"
            "# Breach notification\n\nWe notify affected clients within 36 hours of discovering a breach.\n")
    reading = read(blocks(text))
    assert reading.decisive("risk-analysis-interval").value == 24  # type: ignore[union-attr]
    assert reading.decisive("access-removal-hours").value == 24  # type: ignore[union-attr]
    # a part unit is read on the strict side, never as more than the clause promises: a minimum rounds down,
    # a limit up (a clause read and then reported as not found would state a falsehood about the policy)
    assert reading.decisive("records-retention").value == 2  # type: ignore[union-attr]
    assert reading.decisive("breach-notice-days").value == 2  # type: ignore[union-attr]


def test_less_than_one_of_a_concepts_unit_is_not_read() -> None:
    """A number that comes to less than one of the concept's unit is about something else (a call restored in
    minutes is no time to restore systems in hours; records kept days are no retention in years)."""
    text = ("# Contingency\n\nIf a session drops and cannot be restored within five minutes, call the client.\n\n"
            "# Records\n\nVoicemails are retained for 30 days.\n")
    reading = read(blocks(text))
    assert reading.state("restore-hours") == NOT_FOUND
    assert reading.state("records-retention") == NOT_FOUND


def test_together_words_establish_in_any_order_unless_the_sentence_negates_them() -> None:
    concept = builtin_catalogue().concept("device-loss-reporting")
    assert concept is not None
    outcome = classify(concept, "Stolen laptops: the IT desk is told at once.")
    assert outcome is not None and outcome[0] == ESTABLISHED
    assert classify(concept, "Stolen laptops: the IT desk is not told.") is None
    assert classify(concept, 'Write "stolen laptop: IT told" in the ticket title.') is None  # quoted words
    sanctions = builtin_catalogue().concept("personal-devices-prohibited")
    assert sanctions is not None
    outcome = classify(sanctions, "No PHI on personal phones, laptops or home PCs. Ever.")
    assert outcome is not None and outcome[0] == ESTABLISHED  # the set carries the negation ("no")


def test_a_lists_lead_in_is_read_with_each_of_its_items() -> None:
    text = "# Social media\n\nStaff must not:\n\n- accept friend requests from clients\n- post about work\n"
    reading = read(blocks(text))
    assert reading.state("client-connections") == ESTABLISHED
    assert reading.decisive("client-connections").sentence == (  # type: ignore[union-attr]
        "Staff must not accept friend requests from clients")
    alone = read(blocks("# Social media\n\nA reminder.\n\n- accept friend requests from clients\n"))
    assert alone.state("client-connections") == NOT_FOUND


def test_a_table_of_three_or_more_columns_is_read_cell_by_cell() -> None:
    text = ("# Communication\n\n| Method | With students | With parents | Conditions |\n|---|---|---|---|\n"
            "| Text message | Not permitted | Permitted through the district app only | Limited to scheduling |\n")
    reading = read(blocks(text))
    assert reading.state("texting-allowed") == ESTABLISHED
    fact = reading.decisive("texting-allowed")
    assert fact is not None and fact.sentence == "Text message With parents: Permitted through the district app only"
    assert fact.block.span.line == 5


def test_telling_affected_clients_is_the_breach_notice_only_about_exposed_information() -> None:
    breach = "# If something goes wrong\n\nIf someone may have seen your records, I tell each affected client.\n"
    assert read(blocks(breach)).state("breach-clients-told") == ESTABLISHED
    snow = "# Office\n\nI tell each affected client when the office closes for snow.\n"
    assert read(blocks(snow)).state("breach-clients-told") == NOT_FOUND


def test_a_markdown_table_with_a_fact_header_gives_the_policys_list_not_clauses() -> None:
    text = ("---\nkind: policy\nsections:\n  telehealth:\n    client_states: [OR, WA]\n---\n# Policy\n\n"
            "## Telehealth\n\nI see clients by video.\n\n"
            "| State | License | Number | Expires |\n|---|---|---|---|\n| Oregon | LCSW | L-1 | 2027-09-30 |\n"
            "| Washington | LICSW | W-2 | June 30, 2026 |\n\n"
            "## Services\n\n| Service | Used for |\n|---|---|\n| Doxy.me | video |\n| Spruce | texts |\n")
    (doc,) = load_text(text, "policy.md").documents
    assert doc.data["sections"]["telehealth"]["licences"] == [
        {"state": "OR", "type": "LCSW", "number": "L-1", "expires": "2027-09-30"},
        {"state": "WA", "type": "LICSW", "number": "W-2", "expires": "2026-06-30"}]
    assert doc.data["sections"]["telehealth"]["client_states"] == ["OR", "WA"]  # the front matter's, kept
    assert doc.data["approved_vendors"] == ["Doxy.me", "Spruce"]
    assert [doc.locate(f"/sections/telehealth/licences/{i}")[0].line for i in (0, 1)] == [15, 16]
    assert doc.locate("/approved_vendors/1")[0].line == 23
    assert [b.kind for b in blocks(body(text, 6))] == ["heading", "heading", "paragraph", "heading"]  # no rows
    # front matter wins; a table without a fact header stays clauses, row by row
    ruled = text.replace("kind: policy\n", "kind: policy\napproved_vendors: [Zoom]\n")
    assert load_text(ruled, "policy.md").documents[0].data["approved_vendors"] == ["Zoom"]
    assert [b.kind for b in blocks("# P\n\n| Topic | Rule |\n|---|---|\n| Texting | Not allowed. |\n")] == [
        "heading", "row", "row"]


def test_a_letter_to_clients_reads_you_as_the_clients() -> None:
    letter = ("# Our practice and you\n\nYour therapist keeps your sessions private. We will not follow you "
              "on Instagram.\n")
    assert read(blocks(letter)).state("client-connections") == ESTABLISHED
    handbook = ("# Staff handbook\n\nYour clients come first and your supervisor helps. We will not follow "
                "you on Instagram.\n")
    assert read(blocks(handbook)).state("client-connections") == NOT_FOUND


def test_an_agency_family_cannot_rewrite_words(tmp_path: Path) -> None:
    from smlint.clauses import catalogue_for

    family = tmp_path / "mine.yaml"
    family.write_text("family: mine\nwords:\n  - {as: clients, for: [members]}\nconcepts: []\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        catalogue_for((family,))
    assert caught.value.line == 2 and "built-in words" in str(caught.value)
