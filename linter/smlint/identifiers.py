"""The client-data detectors: what the SM5xx rules look for (`checks/client_data.py`, the
`client_identifiers` check) and what the redaction boundary masks (`redact.py`). A leaf module, so that the
redaction boundary, which every layer uses, does not import the checks.

Each detector takes one text value with its key and its mapping's other fields (`TextItem`), the rule's
settings (`known_fake`, `not_names`; `DEFAULTS` when redacting) and the day dates of birth are judged on,
and returns the spans it finds. The detectors are heuristics, documented with their limits in
docs/security.md:

- ``ssn``: ``AAA-GG-SSSS`` (dashes or spaces), or nine bare digits after an SSN cue ("SSN",
  "social security") or under an ``ssn`` key; only numbers the SSA could issue (area not 000, 666 or
  9xx, group not 00, serial not 0000) that are not well-known fakes.
- ``date_of_birth``: a birth cue ("DOB", "date of birth", "born") followed by a plausible past date,
  in a text that also names a person; or a ``dob``-like key holding a date beside a name-like key.
- ``medical_record``: a record cue ("MRN", "medical record number", "chart #", "patient ID") followed by
  a token with at least four digits; or an ``mrn``-like key holding such a token.
- ``contact``: a phone number, e-mail or street address near a person (a name or a word such as
  "client") and not near the agency's own words ("our office", "front desk", "callback"...); role
  mailboxes (privacy@, info@, intake@...) and the fictional 555-01xx numbers are never reported.
- ``client_name``: a name written after "client", "patient" or "guardian" (first and last name), or
  after a courtesy title (Mr, Mrs, Ms, Mx) near one of those words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple, Protocol

from smlint.records import record

# --- shared patterns (bounded quantifiers only: every text is also capped in length by the loader) ---

_SSN_DELIMITED = re.compile(r"(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])")
_NINE_DIGITS = re.compile(r"(?<![\d-])(\d{3})-?(\d{2})-?(\d{4})(?![\d-])")
_SSN_CUE = re.compile(r"\b(?:ssn|ss#|soc(?:ial)?[ .-]?sec(?:urity)?(?: (?:number|no\.?|#))?)\W{0,3}$", re.IGNORECASE)
_SSN_KEY = re.compile(r"^(?:ssn|ss_?no|social_?security(?:_?(?:number|no))?)$", re.IGNORECASE)

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(
    r"\b(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<um>\d{1,2})[/.-](?P<ud>\d{1,2})[/.-](?P<uy>\d{4}|\d{2})"
    rf"|(?P<wm>{_MONTHS})\.? (?P<wd>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<wy>\d{{4}}))\b",
    re.IGNORECASE)
_DOB_CUE = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|birth ?date|birthday|born(?: on)?)\b", re.IGNORECASE)
_DOB_KEY = re.compile(r"^(?:dob|d_o_b|date_?of_?birth|birth_?date|birthday|born)$", re.IGNORECASE)
_NAME_KEY = re.compile(r"^(?:name|full_?name|first_?name|last_?name|given_?name|family_?name|surname|"
                       r"client(?:_?name)?|patient(?:_?name)?)$", re.IGNORECASE)

_MRN_CUE = re.compile(r"\b(?:mrn|medical[ -]record[ -](?:number|no\.?|num|#)|chart[ -]?(?:number|no\.?|num|#)|"
                      r"patient[ -]?(?:id|number|no\.?|#))(?:\s*[:#=]\s*|\s+(?:is\s+)?)([A-Z]{0,4}[-#]?\d[\d-]{3,18})",
                      re.IGNORECASE)
_MRN_KEY = re.compile(r"^(?:mrn|medical_?record(?:_?(?:number|no|id))?|chart_?(?:number|no|id)|patient_?id)$",
                      re.IGNORECASE)
_MRN_VALUE = re.compile(r"^[A-Z]{0,4}[-#]?\d[\d-]{3,18}$", re.IGNORECASE)

_PHONE = re.compile(r"(?<![\d-])(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]?([2-9]\d{2})[ .-](\d{4})(?![\d-])")
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_STREET = re.compile(r"\b\d{1,6} (?:[A-Z][a-z]{1,20} ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|"
                     r"Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Circle|Cir|Parkway|Pkwy)\b\.?")
# One word of a person's name for the detectors: a capital and lower-case letters (Latin-1 included: José,
# Ñúñez), after an O'/D' or Mc/Mac prefix (O'Brien, D’Angelo, McDonald), with one hyphenated part
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_WORD = rf"(?:[OD]['’]|Ma?c)?[{_UPPER}][{_LOWER}]{{1,20}}"
_NAME_WORD_RE = rf"{_WORD}(?:-{_WORD})?"
_NAME_PAIR = re.compile(rf"\b({_NAME_WORD_RE}) (?:[{_UPPER}]\. )?({_NAME_WORD_RE})\b")
_AFTER_CLIENT = re.compile(r"\b(?:[Cc]lient|[Pp]atient|[Gg]uardian)(?: name)?:? "
                           rf"({_NAME_WORD_RE}) ({_NAME_WORD_RE})\b")
_AFTER_TITLE = re.compile(rf"\b(?:Mr|Mrs|Ms|Mx|Miss)\.? ({_NAME_WORD_RE})\b")
_PERSON_CUE = re.compile(r"\b(?:clients?|patients?|guardians?|parents?|mother|father|spouse|son|daughter)\b",
                         re.IGNORECASE)
_CLIENT_CUE = re.compile(r"\b(?:clients?|patients?|guardians?)\b", re.IGNORECASE)
_ROLE_MAILBOX = re.compile(r"^(?:info|office|admin|contact|hello|privacy|compliance|security|training|press|media|"
                           r"billing|accounts|intake|scheduling|appointments|frontdesk|front\.desk|reception|records|"
                           r"support|help|hr|it|careers|jobs|noreply|no-reply)@", re.IGNORECASE)
_AGENCY_CUE = re.compile(r"\b(?:our|agency|office|front desk|reception|main line|callback|call-back|call back|"
                         r"practice|clinic|on-call|hotline|crisis line|switchboard|helpline|privacy officer|"
                         r"compliance officer|headquarters|we)\b", re.IGNORECASE)
_FICTIONAL_PHONE = re.compile(r"555[ .-]?01\d\d$")

DEFAULT_FAKE_SSNS = ("078-05-1120", "219-09-9999", "123-45-6789")
NEAR = 80  # characters either side that count as "next to"


class Settings(Protocol):
    """What a detector reads of its rule's parameters (`checks.client_data.ClientIdentifiersParams`)."""

    @property
    def known_fake(self) -> tuple[str, ...]: ...

    @property
    def not_names(self) -> tuple[str, ...]: ...


@record
class Defaults:
    """Every detector's default settings, as the redaction boundary uses them."""

    known_fake: tuple[str, ...] = DEFAULT_FAKE_SSNS
    not_names: tuple[str, ...] = ()


DEFAULTS = Defaults()


class TextItem(NamedTuple):
    """One text value and what surrounds it: its key and the other fields of its mapping.

    A named tuple rather than a frozen dataclass: one is made for every text value of every document,
    and a tuple is built several times faster; it is just as immutable."""

    pointer: str
    key: str
    text: str
    siblings: Mapping[str, Any]


DIGIT_OR_AT = re.compile(r"[\d@]")

Detector = Callable[[TextItem, "Settings", date], list[tuple[int, int]]]


def _valid_ssn(area: str, group: str, serial: str, fakes: Sequence[str]) -> bool:
    if area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000":
        return False
    return f"{area}-{group}-{serial}" not in fakes


def ssn(item: TextItem, settings: Settings, today: date) -> list[tuple[int, int]]:
    fakes = settings.known_fake
    spans = [m.span() for m in _SSN_DELIMITED.finditer(item.text)
             if _valid_ssn(m.group(1), m.group(3), m.group(4), fakes)]
    keyed = _SSN_KEY.match(item.key) is not None
    for m in _NINE_DIGITS.finditer(item.text):
        if m.span() in spans or not _valid_ssn(m.group(1), m.group(2), m.group(3), fakes):
            continue
        if keyed or _SSN_CUE.search(item.text[max(0, m.start() - 30):m.start()]):
            spans.append(m.span())
    return spans


def _plausible_birth(match: re.Match[str], today: date) -> bool:
    year_text = match.group("iy") or match.group("uy") or match.group("wy")
    year = int(year_text)
    if len(year_text) == 2:
        return True
    return 1900 <= year <= today.year


def _dates(text: str, today: date) -> list[re.Match[str]]:
    return [m for m in _DATE.finditer(text) if _plausible_birth(m, today)]


def _names(text: str, not_names: frozenset[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _NAME_PAIR.finditer(text)
            if m.group(1).casefold() not in not_names and m.group(2).casefold() not in not_names]


def _not_names(settings: Settings) -> frozenset[str]:
    return _folded(settings.not_names)


@cache
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word.casefold() for word in words)


def date_of_birth(item: TextItem, settings: Settings, today: date) -> list[tuple[int, int]]:
    dates = _dates(item.text, today)
    if not dates:
        return []
    if _DOB_KEY.match(item.key):
        has_name = any(_NAME_KEY.match(str(k)) and isinstance(v, str) and v.strip()
                       for k, v in item.siblings.items())
        return [m.span() for m in dates] if has_name else []
    names = _names(item.text, _not_names(settings))
    spans: list[tuple[int, int]] = []
    for cue in _DOB_CUE.finditer(item.text):
        for m in dates:
            if 0 <= m.start() - cue.end() <= 25 and _near(names, m.start(), m.end()):
                spans.append(m.span())
    return spans


def _near(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s_end >= start - NEAR and s_start <= end + NEAR for s_start, s_end in spans)


def medical_record(item: TextItem, settings: Settings, today: date) -> list[tuple[int, int]]:
    if _MRN_KEY.match(item.key):
        value = item.text.strip()
        return [(0, len(item.text))] if _MRN_VALUE.match(value) and sum(c.isdigit() for c in value) >= 4 else []
    return [m.span(1) for m in _MRN_CUE.finditer(item.text) if sum(c.isdigit() for c in m.group(1)) >= 4]


def contact(item: TextItem, settings: Settings, today: date) -> list[tuple[int, int]]:
    text = item.text
    found = [m.span() for m in _PHONE.finditer(text) if not _FICTIONAL_PHONE.search(m.group(0))]
    found += [m.span() for m in _EMAIL.finditer(text) if not _ROLE_MAILBOX.match(m.group(0))]
    found += [m.span() for m in _STREET.finditer(text)]
    if not found:
        return []
    people = _names(text, _not_names(settings)) + [m.span() for m in _PERSON_CUE.finditer(text)]
    agency = [m.span() for m in _AGENCY_CUE.finditer(text)]
    return [(s, e) for s, e in found if _near(people, s, e) and not _near(agency, s, e)]


def client_name(item: TextItem, settings: Settings, today: date) -> list[tuple[int, int]]:
    clients = [m.span() for m in _CLIENT_CUE.finditer(item.text)]
    if not clients:  # both patterns need "client", "patient" or "guardian" in the text
        return []
    not_names = _not_names(settings)
    spans = [(m.start(1), m.end(2)) for m in _AFTER_CLIENT.finditer(item.text)
             if m.group(1).casefold() not in not_names and m.group(2).casefold() not in not_names]
    spans += [m.span(1) for m in _AFTER_TITLE.finditer(item.text)
              if m.group(1).casefold() not in not_names and _near(clients, m.start(), m.end())]
    return spans


DETECTORS: dict[str, Detector] = {
    "ssn": ssn,
    "date_of_birth": date_of_birth,
    "medical_record": medical_record,
    "contact": contact,
    "client_name": client_name,
}


def all_spans(text: str, today: date) -> list[tuple[int, int]]:
    """Everything any detector would flag in one line of text (with default settings): used to redact
    source snippets, where a line is seen without its key."""
    item = TextItem("", "", text, {})
    spans: list[tuple[int, int]] = []
    for detector in DETECTORS.values():
        spans.extend(detector(item, DEFAULTS, today))
    return spans


def mentions_person(text: str) -> bool:
    """Whether `text` speaks of a person whose name could be client data ("client", "mother"...)."""
    return _PERSON_CUE.search(text) is not None


# What masking (never detection) counts as a word of a name: letters of any script, with apostrophes and
# hyphens inside (O'Brien, D’Angelo, Smith-Jones), capitalised (McDonald, José, ÉLODIE); in a source line,
# a JSON or YAML escape such as \u00e9 counts as the letter it stands for
_LETTER = r"(?:[^\W\d_]|\\u[0-9a-fA-F]{4})"
_NAME_WORD = re.compile(rf"{_LETTER}+(?:['’-]{_LETTER}+)*")
_NAME_GAP = re.compile(r"[ \t]{1,3}")  # between two words of one name
_PARTICLES = frozenset({"de", "del", "della", "da", "das", "dos", "di", "du", "la", "le", "van", "von", "der", "den",
                        "ter", "bin", "ibn", "al", "el", "y"})
_TITLES = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr"})
_CUE_ACRONYMS = frozenset({"SSN", "DOB", "MRN", "ID"})  # shown, so the masked text still says what it was
# A heading written in title case ("Searching For Clients Online", "Working With Minors And Their Parents") is a
# run of capitalised words; in a text that speaks of a person it would be masked whole. A run is therefore
# broken at words no name is made of: function words, and words for the people a policy speaks of (plural, or
# never a surname: "Parent", "Child" and "Minor" are surnames and stay possible name words).
_NOT_IN_NAMES = frozenset({
    "and", "or", "for", "with", "the", "of", "to", "in", "on", "by", "at", "from", "about", "their", "our", "your",
    "when", "how", "not", "under", "after", "before", "during", "into", "via", "other", "all", "any", "each",
    "using", "within", "without", "outside", "only", "who", "what", "where", "if", "my", "we", "us",
    "client", "clients", "patient", "patients", "guardians", "parents", "minors", "families", "students", "children",
    "staff", "clinicians", "therapists", "counselors", "counsellors", "workers", "employees",
})
# ... and a run made only of the words a policy or a form is headed with is not a name ("Social Media", "Child and
# Family Intake"). A word here unmasks nothing by itself: "Julia Child" and "Marie Parent" are still masked.
_POLICY_WORDS = frozenset({
    "social", "media", "technology", "technologies", "policy", "policies", "electronic", "communication",
    "communications", "security", "email", "e-mail", "texting", "text", "texts", "messaging", "messages", "online",
    "internet", "privacy", "records", "record", "recordkeeping", "devices", "device", "guidelines", "procedures",
    "procedure", "telehealth", "telemedicine", "video", "phone", "phones", "website", "websites", "web", "reviews",
    "consent", "consents", "training", "breach", "breaches", "incident", "incidents", "response", "boundaries",
    "conduct", "professional", "personal", "accounts", "account", "acceptable", "use", "data", "information",
    "health", "mental", "behavioral", "behavioural", "services", "practice", "agency", "general", "overview",
    "purpose", "scope", "definitions", "responsibilities", "storage", "retention", "backup", "backups", "access",
    "passwords", "password", "authentication", "encryption", "mobile", "remote", "emergency", "emergencies",
    "confidentiality", "documentation", "notice", "notification", "notifications", "searching", "search",
    "contact", "contacts", "sessions", "session", "requests", "request", "friend", "approved", "tools",
    "vendors", "vendor", "software", "systems", "system", "management", "sharing", "disposal", "review",
    "intake", "intakes", "form", "forms", "questionnaire", "paperwork", "adolescent", "adolescents", "adult",
    "adults", "outpatient", "couples", "individual", "group", "portal", "counseling", "counselling", "therapy",
    "treatment", "agreement", "acknowledgement", "acknowledgment", "release", "authorization", "assessment", "new",
    "family", "child", "parent", "guardian", "minor", "youth", "service", "program", "programs",
})


def name_spans(text: str) -> list[tuple[int, int]]:
    """What masking hides besides the identifiers themselves, in a text that speaks of a person: every
    run of two or more capitalised words (with particles such as "de la" and initials such as "Q." inside,
    so "Mary Anne Smith", "José de la Cruz" and "Sean O'Brien" are hidden whole) and the name after a
    courtesy title ("Mrs. Okafor"). A run ends at a word no name is made of ("For", "Clients"), and a run of
    a policy's heading words only ("Social Media") is no name, so a title-case heading stays readable."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    after_title = False
    for word in _NAME_WORD.finditer(text):
        value = word.group()
        upper = _first_letter(value).isupper()
        joined = bool(run) and _joined(text, run[-1], word)
        if not joined:
            spans += _run_span(run)
            run = []
        if value.casefold() in _TITLES and upper:
            spans += _run_span(run)
            run, after_title = [], True
            continue
        if upper and (value.casefold() in _NOT_IN_NAMES or _pronoun(text, word)):
            spans += _run_span(run)
            run = []
        elif upper and value not in _CUE_ACRONYMS:
            if after_title and not run:
                spans.append(word.span())
            run.append(word)
        elif run and value in _PARTICLES:
            run.append(word)
        else:
            spans += _run_span(run)
            run = []
        after_title = False
    return spans + _run_span(run)


_PRONOUN_I = frozenset({"I", "I'm", "I've", "I'll", "I'd", "I’m", "I’ve", "I’ll", "I’d"})
_LOWER_NEXT = re.compile(r"[ \t]+[a-z]")


def _pronoun(text: str, word: re.Match[str]) -> bool:
    """The first-person "I" of a policy written by a solo practitioner ("If I learn ..."), not a name's
    initial: a contraction, or "I" followed by a lower-case word ("Anna I Smith" keeps its initial)."""
    value = word.group()
    return value in _PRONOUN_I and (value != "I" or _LOWER_NEXT.match(text, word.end()) is not None)


def _first_letter(word: str) -> str:
    return chr(int(word[2:6], 16)) if word.startswith("\\u") else word[0]


def date_spans(text: str) -> list[tuple[int, int]]:
    """Every date written in `text` (2026-03-01, 3/1/2026, March 1, 2026): masked in a text that speaks of
    a person, where it may be a birth date although no detector is sure."""
    return [m.span() for m in _DATE.finditer(text)]


def _joined(text: str, before: re.Match[str], word: re.Match[str]) -> bool:
    gap = text[before.end():word.start()]
    if len(before.group()) == 1 and gap.startswith("."):  # an initial: "Jane Q. Doe"
        gap = gap[1:]
    return _NAME_GAP.fullmatch(gap) is not None


def _run_span(run: list[re.Match[str]]) -> list[tuple[int, int]]:
    while run and not _first_letter(run[-1].group()).isupper():  # a particle ends no name
        run = run[:-1]
    capitalised = sum(1 for word in run if _first_letter(word.group()).isupper())
    if capitalised < 2 or all(word.group().casefold() in _POLICY_WORDS for word in run):
        return []
    return [(run[0].start(), run[-1].end())]
