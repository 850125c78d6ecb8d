"""The clause catalogue and the clause reader: a prose policy's blocks to the facts a YAML policy records.

The catalogue is data (`rules/clauses/*.yaml`, one file per concept family, validated by
`schemas/clauses.schema.json`; docs/clause-catalogue.md). For each section of the policy schema it gives
the headings that section goes under; for each concept (a field the policy rules read) the phrasings that
establish it, the phrasings that contradict it, and its citations. Patterns run on RE2
(`smlint.safe_regex`), case-insensitive, sentence by sentence.

Reading is three-valued. A concept whose phrasing is found is *established* (the field gets the concept's
`value`) or *contradicted* (the opposite value); one that is not found leaves the field out, which the
rules read as "not recorded", never as "the policy does not". A concept both established and contradicted
is reported (SM040) and takes the contradicting value: the document permits somewhere what it forbids
elsewhere, so it does not settle the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from smlint.clausedirs import active
from smlint.document import join, parent, split
from smlint.errors import RuleError
from smlint.formats.prose import HEADING, ITEM, PARAGRAPH, ROW, Block
from smlint.placeholders import is_placeholder
from smlint.records import record
from smlint.resources import data_dir
from smlint.safe_regex import Compiled, RegexRejected, compile_regex, compile_set, vet_regex
from smlint.schema import load_schema, validate
from smlint.writtendates import iso_date
from smlint.yamljson import read_text

ESTABLISHED = "established"
CONTRADICTED = "contradicted"
NOT_FOUND = "not found"

CONTRADICTION_RULE = "SM040"
NOTHING_READ_RULE = "SM041"
FRONT_MATTER_RULE = "SM042"
STALE_RULE = "SM043"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(<]?[A-Z0-9])|;\s+|,?\s+but\s+")
_QUOTED = re.compile(r"\"[^\"]*(?:\"|$)|“[^”]*(?:”|$)|‘[^’]*’")  # a quotation left open runs to the sentence's end
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty-five": 45, "sixty": 60, "ninety": 90,
                 # intervals in months
                 "year": 12, "annual": 12, "annually": 12, "yearly": 12, "quarter": 3, "quarterly": 3}


@record
class Concept:
    name: str
    family: str
    field: str  # JSON Pointer into the policy, e.g. /sections/texting/allowed
    title: str
    value: Any  # what the field holds when the concept is established
    number: bool  # the field's value is the number the establishing phrase captures
    citations: Mapping[str, tuple[str, ...]]
    establish: tuple[Compiled, ...]
    contradict: tuple[Compiled, ...]
    within: tuple[Compiled, ...] = ()  # heading patterns the clause must stand under (empty: anywhere)
    context: tuple[Compiled, ...] = ()  # the sentence or its heading path must match one (empty: no condition)
    unless: tuple[Compiled, ...] = ()  # a contradicting sentence that also matches one of these is not read
    excluding: tuple[Compiled, ...] = ()  # a sentence that matches one of these is not read at all
    date: bool = False  # the field is the date the establishing phrase captures, as YYYY-MM-DD
    items: tuple[tuple[str, Compiled], ...] = ()  # the field is the list of these names the clause mentions
    together: tuple[tuple[Compiled, ...], ...] = ()  # sets of patterns that establish when all of one match
    unit: str = ""  # a number field's unit (minutes, hours, days, weeks, months, years): others are converted
    minimum: bool = False  # the number is a least (retention years): a converted part unit rounds down, else up
    # a sentence naming one of these subjects (e-mail) is about it: the concept's `context` must then stand in
    # the sentence itself, not only in its headings or neighbours ("written consent" for e-mail under "E-mail
    # and texting" is not the texting consent)
    elsewhere: tuple[Compiled, ...] = ()
    # a ban that a permission limited to stated cases ("only when", "except") qualifies in the same paragraph
    # establishes the concept ("We do not search for clients. A search is allowed only when ..."): the concept
    # is itself the permission in the stated cases, so the two clauses are one rule, not a contradiction
    exceptions: bool = False

    def fact_value(self, state: str, match: Any, sentence: str) -> Any:
        if state == CONTRADICTED:
            return (not self.value) if isinstance(self.value, bool) else None
        if self.number:
            return _number(match, self.unit, self.minimum)
        if self.date:
            return _date(match, sentence)
        if self.items:
            found = [name for name, pattern in self.items if pattern.search(normalise(sentence))]
            return found or None
        if self.value == "clause":
            return sentence
        if self.value == "capture":
            return _captured(match, sentence)
        return self.value


@record
class Section:
    key: str  # the policy schema's section, e.g. social_networking
    family: str
    headings: tuple[Compiled, ...]


@record
class Stale:
    """Wording that relies on a source that has ended or been replaced (the COVID-19 telehealth enforcement
    discretion, the 2008 NASW Code): `title` names it in the finding, `advice` says what to do."""

    name: str
    title: str
    advice: str
    patterns: tuple[Compiled, ...]


@record
class Catalogue:
    sections: tuple[Section, ...]
    concepts: tuple[Concept, ...]
    stale: tuple[Stale, ...] = ()

    def concept(self, name: str) -> Concept | None:
        return next((c for c in self.concepts if c.name == name), None)

    @cached_property
    def candidates(self) -> Callable[[str], set[int] | None]:
        """A function from a normalised sentence to the indexes of the concepts whose establishing or
        contradicting patterns (or one pattern of each `together` set) match somewhere in it, in a few RE2 set
        searches of SET_SIZE concepts each (None: a search could not tell, so every concept is tried). One
        set of every concept outgrew the memory RE2 gives a set's automaton, which then rebuilt its states
        for every sentence; sets of a couple of dozen concepts keep theirs."""
        patterns = [[_loosened(p.pattern) for p in (*c.establish, *c.contradict, *map(_key, c.together))]
                    for c in self.concepts]
        searches = [(start, compile_set(["|".join(f"(?:{p})" for p in group) if group else "\\b\\B"
                                         for group in patterns[start:start + SET_SIZE]]))
                    for start in range(0, len(patterns), SET_SIZE)]

        def candidates(text: str) -> set[int] | None:
            found: set[int] = set()
            for start, search in searches:
                some = search(text)
                if some is None:
                    return None
                found.update(start + index for index in some)
            return found

        return candidates


SET_SIZE = 24  # concepts per RE2 set search (Catalogue.candidates)


def _key(group: Sequence[Compiled]) -> Compiled:
    """The pattern of a `together` set that stands for it in the set search: each of them must match, so any
    one will do; the shortest is the most specific (a list of keywords rather than {{negative}})."""
    return min(group, key=lambda p: len(p.pattern))


_BOUNDED = re.compile(r"\{([01]),\d+\}")


def _loosened(pattern: str) -> str:
    """A pattern with its bounded repetitions unbounded ("{0,6}" -> "*", "{1,4}" -> "+"): it matches
    wherever the pattern does, so it can stand for it in the set search that only picks the candidates,
    and the set's automaton stays small enough for RE2 to keep (counted repetitions in many patterns at
    once made it rebuild its states for every sentence)."""
    return _BOUNDED.sub(lambda m: "*" if m.group(1) == "0" else "+", pattern)


@record
class Fact:
    concept: Concept
    state: str
    value: Any
    block: Block
    pinned: bool = False
    sentence: str = ""  # the clause (sentence) that gave the fact; the block's text when pinned


@record
class Reading:
    """What the clause reader made of a document: each concept's facts in document order, and for each
    section the heading it was found under (if any) and its blocks."""

    facts: Mapping[str, tuple[Fact, ...]]
    section_heading: Mapping[str, Block]
    section_blocks: Mapping[str, tuple[Block, ...]]
    unknown_anchors: tuple[tuple[Block, str], ...] = ()
    stale: tuple[tuple[Block, Stale], ...] = ()

    def state(self, concept: str) -> str:
        found = self.facts.get(concept, ())
        if not found:
            return NOT_FOUND
        return CONTRADICTED if any(f.state == CONTRADICTED for f in found) else ESTABLISHED

    def decisive(self, concept: str) -> Fact | None:
        """The fact that decides a concept: the first contradicting clause, else the first establishing one."""
        found = self.facts.get(concept, ())
        return next((f for f in found if f.state == CONTRADICTED), found[0] if found else None)


# ---------------------------------------------------------------------------------------------- reading


def read(blocks: Sequence[Block], catalogue: Catalogue | None = None, prefilter: bool = True) -> Reading:
    """What the clause reader makes of a document's blocks, with `catalogue` (default: the run's, built-in
    plus the agency's families: `current_catalogue`). `prefilter=False` tries every concept on every
    sentence (the tests compare it with the prefiltered reading)."""
    catalogue = catalogue or current_catalogue()
    candidates = catalogue.candidates if prefilter else None
    to_clients = addresses_clients(blocks)
    facts: dict[str, list[Fact]] = {}
    unknown: list[tuple[Block, str]] = []
    for block, lead, context, text in _with_context(blocks):
        for name in block.anchors:
            concept = catalogue.concept(name.lstrip("!"))
            if concept is None:
                unknown.append((block, name))
                continue
            state = CONTRADICTED if name.startswith("!") else ESTABLISHED
            facts.setdefault(concept.name, []).append(
                Fact(concept, state, concept.fact_value(state, None, block.text), block, True, block.text))
        for concept, state, value, sentence in _clauses(block, catalogue.concepts, candidates, lead, context,
                                                        to_clients, text):
            if any(f.pinned for f in facts.get(concept.name, ())):
                continue  # a pinned clause decides its concept
            facts.setdefault(concept.name, []).append(Fact(concept, state, value, block, False, sentence))
    headings, members = _sections(blocks, catalogue.sections)
    stale = [(block, item) for block in blocks for item in _stale(block, catalogue.stale)]
    return Reading({k: tuple(v) for k, v in facts.items()}, headings, members, tuple(unknown), tuple(stale))


_LEAD_IN = re.compile(r"(?:^|(?<=[.!?;]\s))([^.!?;]*?)\s*:\s*$")


def _with_context(blocks: Sequence[Block]) -> Iterator[tuple[Block, str, str, str]]:
    """Each block that is not a heading, with what it is read with (lead-in, heading context, text): a list
    item, the lead-in that opens its list ("Staff must not:" before "- accept friend requests from clients",
    read as "Staff must not accept friend requests from clients"); a table row, its table's header row and
    its own first cell as more heading context ("Texting" in the row "Texting | only after the client signs
    the consent"), and in a table of three or more columns each cell as a clause of its own, named by its
    row and column ("Text message | Not permitted | Permitted through the app" under "Method | With students
    | With parents" reads "Text message with students: not permitted; text message with parents: permitted
    through the app")."""
    lead = ""
    header: Block | None = None
    for block in blocks:
        if block.kind != ROW:
            header = None
        if block.kind == HEADING:
            lead = ""
            continue
        if block.kind == ITEM:
            yield block, lead, "", block.text
            continue
        if block.kind == ROW:
            if header is None:
                header = block
                yield block, "", "", block.text
                continue
            yield block, "", f"{header.text} > {block.text.split(' | ', 1)[0]}", _cells(header.text, block.text)
            continue
        found = _LEAD_IN.search(block.text) if block.kind == PARAGRAPH and block.text.rstrip().endswith(":") else None
        lead = found.group(1) if found else ""
        yield block, "", "", block.text


def _cells(header: str, row: str) -> str:
    """A row of a table of three or more columns as one clause per cell, each named by the row's first cell
    and the cell's column ("Text message with parents: permitted"); a two-column row as written."""
    names, cells = header.split(" | "), row.split(" | ")
    if len(cells) < 3 or len(names) != len(cells):
        return row
    clauses = [f"{cells[0]} {name.strip().rstrip(':')}: {cell.strip().rstrip('.;')}"
               for name, cell in zip(names[1:], cells[1:], strict=True) if cell.strip()]
    return "; ".join(clauses) + "." if clauses else row


def _stale(block: Block, items: Sequence[Stale]) -> Iterator[Stale]:
    """The stale sources a block relies on, each once."""
    if not items:
        return
    text = normalise(block.text)
    for item in items:
        if any(p.search(text) for p in item.patterns):
            yield item


def _clauses(block: Block, concepts: Sequence[Concept], candidates: Callable[[str], set[int] | None] | None = None,
             lead: str = "", context: str = "", to_clients: bool = False,
             text: str = "") -> Iterator[tuple[Concept, str, Any, str]]:
    """Each concept a block's sentences establish or contradict: the first sentence that establishes it and
    the first that contradicts it, so that a permission later in a paragraph ("Staff will not accept friend
    requests. Staff may accept them after discharge.") is not hidden by the prohibition before it (the
    reading then decides by the contradiction, and SM040 names both). With `candidates`
    (`Catalogue.candidates`), a sentence is classified only for the concepts one of whose patterns it
    matches: one RE2 set search per sentence instead of one search per concept. `lead` is read before the
    block's first sentence (a list's lead-in); `context` is heading context beside the heading path (a
    table's header row and the row's first cell); `text` is what is read instead of the block's text (a
    table row's cells, each named by its row and column)."""
    heading = normalise(f"{block.heading_path} > {context}" if context else block.heading_path)
    text = text or block.text
    texts = sentences_of(text)
    normals = [normalise(sentence) for sentence in texts]
    forms = []
    for number, sentence in enumerate(texts):  # each normalised once, not once per concept
        if lead and not number:
            sentence = f"{lead} {sentence}"
        # the sentences beside it (in a list item or table row: all of it), where a concept's context may stand
        # too ("No googling clients. Exception: imminent risk of harm ...")
        window = " ".join(normals if block.kind in (ITEM, ROW) else normals[max(number - 1, 0):number + 2])
        # a document written to clients: each sentence as written, then with "you" read as "clients"
        for normal in dict.fromkeys([normalise(sentence), normalise(sentence, True) if to_clients else ""]):
            if normal:
                unquoted = _QUOTED.sub(" ", normal)
                forms.append((sentence, normal, unquoted, _candidates(candidates, normal, unquoted), window))
    read: list[tuple[Concept, str, Any, str, str]] = []
    for index, concept in enumerate(concepts):
        if concept.within and not any(p.search(heading) for p in concept.within):
            continue
        seen: set[str] = set()
        for sentence, normal, unquoted, hit, window in forms:
            if hit is not None and index not in hit:
                continue
            if concept.context and not any(p.search(normal) or p.search(heading) or p.search(window)
                                           for p in concept.context):
                continue  # the sentence, the sentences beside it or its headings must match
            if concept.elsewhere and any(p.search(normal) for p in concept.elsewhere) \
                    and not any(p.search(normal) for p in concept.context):
                continue  # about another subject, which the headings' context does not make this one
            found = _classify(concept, normal, unquoted)
            if found is not None and found[0] not in seen:
                state, match = found
                value = concept.fact_value(state, match, sentence)
                if value is not None:
                    seen.add(state)
                    read.append((concept, state, value, sentence, normal))
                    if len(seen) == 2:
                        break
        if read:
            if concept.exceptions and len(read) == 2:
                yield from _qualified(concept, read)
            else:
                for found_clause in read:
                    yield found_clause[:4]
            read.clear()


_STATED_CASES = re.compile(r"\b(?:only (?:when|if|with|where|after|for|to)|except|unless)\b")


def _qualified(concept: Concept, read: Sequence[tuple[Concept, str, Any, str, str]]
               ) -> Iterator[tuple[Concept, str, Any, str]]:
    """A block's establishing and contradicting clauses of a concept marked `exceptions`: when the
    establishing one limits the permission to stated cases ("A search is allowed only when ..."), the ban
    beside it ("We do not search for clients.") is the rule those cases qualify: the concept is established.
    Otherwise both count, and SM040 reports them."""
    established = next(r for r in read if r[1] == ESTABLISHED)
    if _STATED_CASES.search(established[4]):
        yield established[:4]
        return
    yield from (r[:4] for r in read)


def _candidates(candidates: Callable[[str], set[int] | None] | None, normal: str, unquoted: str) -> set[int] | None:
    """The concepts a sentence may establish or contradict (None: all of them)."""
    if candidates is None:
        return None
    found = candidates(normal)
    if found is None or unquoted == normal:
        return found
    more = candidates(unquoted)
    return None if more is None else found | more


_NEGATED = re.compile(r"\b(may|can|will|do|does|did|must|should|shall|would|could|need)\s+not\b")
_CONTRACTED = {"can't": "can_not", "cannot": "can_not", "won't": "will_not", "don't": "do_not",
               "doesn't": "does_not", "didn't": "did_not", "isn't": "is not", "aren't": "are not",
               "mustn't": "must_not", "shouldn't": "should_not", "wouldn't": "would_not", "couldn't": "could_not",
               "shan't": "shall_not", "needn't": "need_not"}
_CONTRACTION = re.compile(r"\b(" + "|".join(re.escape(k) for k in _CONTRACTED) + r")")
_NOBODY = re.compile(r"\b(?:no|neither)\s+(one|staff(?:\s+members?)?|employees?|clinicians?|therapists?|workers?|"
                     r"counsel+ors?|members?\s+of\s+staff|person|personnel|practitioners?|interns?|students?)\s+"
                     r"(may|can|will|shall|should|must)\b")
# Notation policies use in short lists: "a/b" (between words) is "a or b", "+" and "&" are "and", "=" is
# "is", an arrow is "then", "500+" is "500 or more", "<500" is "fewer than 500"
_NOTATION = (
    (re.compile(r"(?<=[a-z])/(?=[a-z])"), " or "),
    (re.compile(r"(?<=\d)\s?\+"), " or more"),
    (re.compile(r"\s[+&]\s"), " and "),
    (re.compile(r"\s=\s"), " is "),
    (re.compile(r"\s*(?:→|->|=>|⇒)\s*"), " then "),
    (re.compile(r"(?:^|(?<=\s))(?:<|&lt;)\s?(?=\d)"), "fewer than "),
    (re.compile(r"(?:^|(?<=\s))(?:>|&gt;)\s?(?=\d)"), "more than "),
)
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_VALUES = {word: n for n, word in enumerate(_ONES)}
_NUMBER_VALUES.update({word: 20 + 10 * i for i, word in enumerate(_TENS)})
_NUMBER_VALUES.update({f"{tens}{sep}{one}": 20 + 10 * i + j for i, tens in enumerate(_TENS)
                       for j, one in enumerate(_ONES[1:10], 1) for sep in ("-", " ")})
_NUMBER_VALUES.update({"a hundred": 100, "one hundred": 100})
_NUMBER_WORD = (rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES[1:10])}))?|a hundred|one hundred|"
                rf"{'|'.join(sorted(_ONES, key=len, reverse=True))}")
# units as policies abbreviate them, after a number: "5 min", "4 hrs", "12 mo", "6 yrs"
_UNITS = {"min": "minutes", "mins": "minutes", "minute": "minutes", "hr": "hours", "hrs": "hours", "h": "hours",
          "hour": "hours", "d": "days", "day": "days", "wk": "weeks", "wks": "weeks", "week": "weeks",
          "mo": "months", "mos": "months", "mth": "months", "mths": "months", "month": "months",
          "yr": "years", "yrs": "years", "y": "years", "year": "years"}
_UNIT_WORDS = r"minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|months?|mos?|mths?|years?|yrs?|y"
# "sixty (60) calendar days", "twenty-four (24) hours", "seven years": the digits, once; "calendar" dropped
_SPELLED = re.compile(rf"\b({_NUMBER_WORD})\s+\((\d{{1,4}})\)")
_WORD_BEFORE_UNIT = re.compile(rf"\b({_NUMBER_WORD})(?=\s+(?:calendar\s+|business\s+|working\s+)?(?:{_UNIT_WORDS})\b)")
_UNIT_AFTER_DIGITS = re.compile(rf"\b(\d{{1,4}})\s?({_UNIT_WORDS})\b(?!-)")
_CALENDAR = re.compile(r"\b(\d{1,4}) calendar (days|months|years)\b")
_AN_HOUR = re.compile(r"\b(within|in|after|every|per) an? (hour|day|week)\b")


# A document written to clients ("your therapist", "your sessions") calls them "you": there "you" and
# "your" are read as "clients" and "clients'" (`normalise(..., to_clients=True)`)
_TO_CLIENTS = re.compile(r"\byour (?:therapist|counsel+or|clinician|social worker|provider|psychologist|psychiatrist|"
                         r"case ?manager|sessions?|therapy|treatment|care|child|children|teen|son|daughter|partner|"
                         r"records?|chart|health information|appointments?|relationship with us|counsel+ing)\b")
_TO_STAFF = re.compile(r"\byour (?:clients?|patients?|consumers?|caseload|supervisor|supervisees?|participants?|"
                       r"employment|job|duties|shift|badge|manager|workstation)\b")
_YOU = re.compile(r"\b(?:both of you|either of you|each of you|all of you|you two|you both|yourselves|yourself|"
                  r"you're|you've|you'll|you'd|you|your|yours)\b")
_AS_CLIENTS = {"you're": "clients are", "you've": "clients have", "you'll": "clients will", "you'd": "clients would",
               "your": "clients'", "yours": "clients'"}


def addresses_clients(blocks: Sequence[Block]) -> bool:
    """Whether a document is written to clients: it speaks of "your therapist", "your sessions" at least
    twice and never of "your clients", "your caseload" (a staff handbook's "you")."""
    text = " ".join(b.text for b in blocks if b.kind != HEADING).replace("’", "'").lower()
    return len(_TO_CLIENTS.findall(text)) >= 2 and not _TO_STAFF.search(text)


@lru_cache(maxsize=8192)
def normalise(sentence: str, to_clients: bool = False) -> str:
    """The form catalogue patterns are matched against (docs/clause-catalogue.md): lower case, straight
    apostrophes, single spaces; the shared vocabulary's rewritten words (`words` in terms.yaml:
    abbreviations, shorthand, misspellings, client synonyms: "pts" -> "clients", "w/o" -> "without",
    "dont" -> "don't"); short-list notation ("a/b" -> "a or b", "+" -> "and", "=" -> "is", "->" -> "then");
    numbers as digits before their unit, units spelt out ("sixty (60) calendar days" -> "60 days", "4 hrs"
    -> "4 hours", "within an hour" -> "within 1 hour"); and every negated modal as one word joined by an
    underscore ("may not" -> "may_not"; "cannot", "can't" -> "can_not"; "won't" -> "will_not"; "no staff
    member may" -> "staff member may_not"; "under no circumstances" -> "never"), so that a pattern for "may"
    never matches "may not". "is not" and "are not" stay as they are ("isn't" -> "is not")."""
    text = " ".join(sentence.replace("’", "'").replace("‘", "'").lower().split())
    if to_clients:
        text = _YOU.sub(lambda m: _AS_CLIENTS.get(m.group(0), "clients"), text)
    text = rewrite_words(text)
    for pattern, replacement in _NOTATION:
        text = pattern.sub(replacement, text)
    text = _numbers(" ".join(text.split()))
    text = _CONTRACTION.sub(lambda m: _CONTRACTED[m.group(1)], text)
    text = _NEGATED.sub(r"\1_not", text)
    text = text.replace("under no circumstances", "never").replace("at no time", "never")
    return _NOBODY.sub(r"\1 \2_not", text)


def _numbers(text: str) -> str:
    """Numbers before a unit as digits, the unit spelt out in full and plural, "calendar" dropped."""
    text = _SPELLED.sub(r"\2", text)
    text = _WORD_BEFORE_UNIT.sub(lambda m: str(_NUMBER_VALUES[m.group(1)]), text)
    text = _AN_HOUR.sub(r"\1 1 \2", text)
    text = _UNIT_AFTER_DIGITS.sub(lambda m: f"{m.group(1)} {_UNITS.get(m.group(2), m.group(2))}", text)
    return _CALENDAR.sub(r"\1 \2", text)


def rewrite_words(text: str) -> str:
    """A lower-cased text with the shared vocabulary's words rewritten (terms.yaml `words`)."""
    pattern, table = _word_table()
    if pattern is None:
        return text
    return pattern.sub(lambda m: table.get(m.group(0), m.group(0)), text)


@cache
def _word_table() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern for every rewritten word and every phrase that keeps its words (`except`), the longest
    first, each whole (not inside a longer word); and what each word becomes (an `except` phrase: itself).
    The words are literal text, escaped: no pattern from the data runs here."""
    table: dict[str, str] = {}
    for entry in builtin_words():
        for phrase in entry.get("except") or ():
            table[str(phrase).lower()] = str(phrase).lower()
        for word in entry.get("for") or ():
            table.setdefault(str(word).lower(), str(entry["as"]))
    if not table:
        return None, {}

    longest = sorted(table, key=len, reverse=True)
    edged = [w for w in longest if w[0].isalnum() and w[-1].isalnum()]
    plain = [re.escape(w) for w in edged]
    other = [(r"(?<![a-z0-9_])" if w[0].isalnum() else "") + re.escape(w)
             + (r"(?![a-z0-9_])" if w[-1].isalnum() else "") for w in longest if w not in edged]
    # words edged by letters or digits behind one \b (fast); the few edged by "/" or "." on their own
    return re.compile("|".join([r"\b(?:" + "|".join(plain) + r")\b", *other] if plain else other)), table


def classify(concept: Concept, sentence: str) -> tuple[str, Any] | None:
    """Whether a sentence contradicts or establishes a concept (contradiction first: "staff may accept
    friend requests" is not saved by a later "do not" elsewhere in it), with the match. Quoted words
    ("never write 'you may accept'") do not contradict. Patterns see the sentence `normalise`d."""
    normal = normalise(sentence)
    return _classify(concept, normal, _QUOTED.sub(" ", normal))


def _classify(concept: Concept, normal: str, unquoted: str) -> tuple[str, Any] | None:
    if any(p.search(normal) for p in concept.excluding):  # about something else ("vendors tell us within 90 days")
        return None
    # `unless`: the contradicting words stand in a sentence that says something else ("do not search for
    # clients out of curiosity"; "no pixels run on the portal"), which may still establish the concept
    if any(p.search(unquoted) for p in concept.contradict) and not any(p.search(unquoted) for p in concept.unless):
        return CONTRADICTED, None
    for pattern in concept.establish:
        match = pattern.search(normal)
        if match:
            return ESTABLISHED, match
    for group in concept.together:  # words that establish the concept when they stand in one sentence
        matches = [p.search(unquoted) for p in group]  # quoted words are not the policy's own
        if all(matches) and not _negated_outside(unquoted, matches):
            return ESTABLISHED, next((m for m in matches if any(m.groups())), matches[0])
    return None


_NEGATION = re.compile(r"\b(?:no|not|never|none|nothing|neither|nor|without|\w+_not)\b")
_NOT_A_NEGATION = re.compile(r"\b(?:no|not) (?:later|more|less|fewer|sooner|longer) than\b|"
                             r"\bwithout (?:unreasonable |undue )?delay\b|\bwhether or not\b|\bnot only\b|\bif not\b|"
                             r"\bno matter\b|\b(?:that|which|who) (?:\w+ )?(?:\w+_not|is not|are not|never)\b")


_EXCEPTION = re.compile(r"\bexcept(?:ions?|ing)?\b")


def _negated_outside(normal: str, matches: Sequence[Any]) -> bool:
    """Whether a sentence negates something the `together` set's words do not carry themselves: "lost
    devices are not reported" has the words of device-loss-reporting but says the opposite, while "no PHI on
    personal phones" carries its negation in the set ("no"; a set that carries one reads the sentence as a
    prohibition, whose list may repeat it: "never ...: no personal messages, no likes"). Not counted: phrases
    like "no later than", a negation in a relative clause ("a general statement that does not confirm ..."),
    and any negation in a sentence that states an exception ("shall not search except with documented
    consent": the words describe the case allowed)."""
    if _EXCEPTION.search(normal):  # "shall not search except with consent ...": the case it allows
        return False
    spans = [m.span() for m in matches]
    if any(_NEGATION.search(normal, a, b) for a, b in spans):  # a prohibition: its list may say "no" again
        return False
    harmless = [m.span() for m in _NOT_A_NEGATION.finditer(normal)]
    for found in _NEGATION.finditer(normal):
        start, end = found.span()
        if any(a <= start and end <= b for a, b in harmless) or any(a <= start and end <= b for a, b in spans):
            continue
        return True
    return False


def sentences_of(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


_IN_UNITS = {"minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43800, "years": 525600}
_UNIT_AFTER = re.compile(r"\s(?:calendar |business |working )?(minutes?|hours?|days?|weeks?|months?|years?)\b")


def _number(match: Any, unit: str = "", minimum: bool = False) -> int | None:
    """The number a pattern captured (digits or a word; "annually" is 12 months), converted to `unit` when
    the words after it name another unit ("every 2 years" is 24 months; "within 1 day" is 24 hours); a
    conversion that does not come out whole is rounded to the strict side (`_converted`)."""
    if match is None:
        return None
    for index, group in enumerate(match.groups(), 1):
        if not group:
            continue
        word = group.strip().lower()
        if word.isdigit():
            return _converted(int(word), _unit_after(match, index), unit, minimum)
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


def _unit_after(match: Any, index: int) -> str:
    """The unit word right after a captured number in the text the pattern searched ("" when none)."""
    try:
        text, end = match.string, match.end(index)
    except (AttributeError, IndexError, TypeError):
        return ""
    found = _UNIT_AFTER.match(text, end) if isinstance(text, str) and end >= 0 else None
    return (found.group(1) if found.group(1).endswith("s") else found.group(1) + "s") if found else ""


def _converted(number: int, written: str, unit: str, minimum: bool = False) -> int | None:
    """A number written in one unit, in another (a year is twelve months). A part unit is rounded to the
    strict side, so that the reading never promises more than the clause: up for a limit ("within 36 hours"
    is 2 days), down for a minimum ("kept 18 months" is 1 year of retention). Less than one of the concept's
    unit is not read (None): "restored within five minutes" is no number of hours to restore systems in,
    and "kept 30 days" is no retention in years; such a sentence is about something else."""
    if not unit or not written or written == unit:
        return number
    whole, rest = divmod(number * _IN_UNITS[written], _IN_UNITS[unit])
    if not whole:
        return None
    return whole + 1 if rest and not minimum else whole


def _date(match: Any, sentence: str) -> str | None:
    """The date a pattern captured, as YYYY-MM-DD; a `<FILL IN: ...>` placeholder as written (SM020 reports
    it); None when it is not a date smlint can read."""
    text = _first_group(match)
    if text is None:
        return None
    if is_placeholder(text):
        return _captured(match, sentence)
    found = iso_date(text)
    return found if re.fullmatch(r"\d{4}-\d{2}-\d{2}", found) else None


def _captured(match: Any, sentence: str) -> str | None:
    """The words a pattern captured (a role, a framework), as the sentence writes them: the pattern saw
    the sentence lower-cased, so the same words are looked up in the sentence itself."""
    text = _first_group(match)
    if text is None:
        return None
    words = _FILLER.sub("", text.strip(" ,.;-")).strip()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(part) for part in words.split())
    found = re.search(pattern, sentence.replace("’", "'"), re.IGNORECASE)
    return found.group(0) if found else words


_FILLER = re.compile(r"^(?:(?:to|the|our|a|an)\s+)+|\s+(?:as well|also|too)$")


def _first_group(match: Any) -> str | None:
    if match is None:
        return None
    return next((group for group in match.groups() if group), None)


def _title(blocks: Sequence[Block]) -> Block | None:
    """The document's title: its first heading when no other heading shares that level ("Social Media and
    Technology Policy" above "Texting" is not the social networking section)."""
    headings = [b for b in blocks if b.kind == HEADING]
    if len(headings) < 2 or any(b.level <= headings[0].level for b in headings[1:]):
        return None
    return headings[0]


def _sections(blocks: Sequence[Block],
              sections: Sequence[Section]) -> tuple[dict[str, Block], dict[str, tuple[Block, ...]]]:
    """Each section's first matching heading and the blocks below it (until a heading of its level or above)."""
    headings: dict[str, Block] = {}
    members: dict[str, list[Block]] = {}
    open_sections: list[tuple[int, str]] = []
    title = _title(blocks)
    for block in blocks:
        if block is title:
            continue
        if block.kind == HEADING:
            open_sections = [(level, key) for level, key in open_sections if level < block.level]
            for section in sections:
                if section.key not in headings and any(p.search(block.text) for p in section.headings):
                    headings[section.key] = block
                    members[section.key] = []
                    open_sections.append((block.level, section.key))
            continue
        for _, key in open_sections:
            members[key].append(block)
    return headings, {k: tuple(v) for k, v in members.items()}


# ------------------------------------------------------------------------------------------- the policy


@dataclass
class PolicyFacts:
    """The policy data a reading gives (`sections` only) and, per JSON Pointer, the block it came from."""

    sections: dict[str, Any] = field(default_factory=dict)
    where: dict[str, Block] = field(default_factory=dict)


def policy_sections(reading: Reading, max_chars: int = 20_000) -> PolicyFacts:
    out = PolicyFacts()
    for key, heading in reading.section_heading.items():
        text = " ".join(b.text for b in reading.section_blocks.get(key, ())) or heading.text
        out.sections[key] = {"text": text[:max_chars]}
        out.where[join(["sections", key])] = heading
    for fact in _decisive_by_field(reading):
        parts = split(fact.concept.field)
        section_pointer = join(parts[:2])
        if parts[1] not in out.sections:
            out.sections[parts[1]] = {"text": fact.block.text[:max_chars]}
            out.where[section_pointer] = fact.block
        _put(out.sections[parts[1]], parts[2:], fact.value)
        pointer = fact.concept.field
        while pointer != section_pointer:
            out.where.setdefault(pointer, fact.block)
            pointer = parent(pointer)
    return out


def _decisive_by_field(reading: Reading) -> list[Fact]:
    """For each field, the fact that sets it, in document order: when several concepts set one field (an
    agency's own concept beside a built-in one), a contradicting fact wins, else the first establishing one."""
    chosen: dict[str, Fact] = {}
    for name in sorted(reading.facts, key=lambda n: reading.facts[n][0].block.span.line):
        fact = reading.decisive(name)
        if fact is None:
            continue
        field_name = fact.concept.field
        if field_name not in chosen or (fact.state == CONTRADICTED and chosen[field_name].state != CONTRADICTED):
            chosen[field_name] = fact
    return sorted(chosen.values(), key=lambda f: f.block.span.line)


def _put(target: dict[str, Any], parts: Sequence[str], value: Any) -> None:
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def contradictions(reading: Reading) -> Iterator[tuple[Fact, Fact]]:
    """(establishing, contradicting) pairs: fields the document both states and denies (through one concept,
    or through two concepts that set the same field)."""
    by_field: dict[str, list[Fact]] = {}
    for found in reading.facts.values():
        if found:
            by_field.setdefault(found[0].concept.field, []).extend(found)
    for facts in by_field.values():
        established = next((f for f in facts if f.state == ESTABLISHED), None)
        contradicted = next((f for f in facts if f.state == CONTRADICTED), None)
        if established is not None and contradicted is not None:
            yield established, contradicted


# ------------------------------------------------------------------------------------------- catalogue


TERMS_FILE = "terms.yaml"
_TERM = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@cache
def builtin_catalogue() -> Catalogue:
    return load_catalogue(sorted(f for f in (data_dir("rules") / "clauses").glob("*.yaml") if f.name != TERMS_FILE))


def current_catalogue() -> Catalogue:
    """The catalogue of the run in progress: the built-in families, plus the agency's own
    (`<rules_dir>/clauses/*.yaml`, set by `smlint.clausedirs.agency_families`)."""
    files = active()
    return agency_catalogue(files) if files else builtin_catalogue()


def agency_catalogue(files: Sequence[Path]) -> Catalogue:
    """The built-in catalogue with these agency family files (read again when one of them changes)."""
    return catalogue_for(tuple(files), _stamps(files))


def _stamps(files: Sequence[Path]) -> tuple[tuple[int, int], ...]:
    """Each file's size and modification time, so that an edited family is read again."""
    stamps = []
    for file in files:
        try:
            status = file.stat()
            stamps.append((status.st_size, status.st_mtime_ns))
        except OSError:
            stamps.append((-1, -1))
    return tuple(stamps)


@cache
def catalogue_for(files: tuple[Path, ...], stamps: tuple[tuple[int, int], ...] = ()) -> Catalogue:
    """The built-in catalogue with an agency's clause families added, validated: a family that does not
    match `schemas/clauses.schema.json`, defines terms, names a field the policy schema lacks, reuses a
    concept's name or holds a pattern RE2 cannot run is a `RuleError` naming its file and line (exit 2)."""
    base = builtin_catalogue()
    if not files:
        return base
    taken = {c.name: "the built-in catalogue" for c in base.concepts}
    sections, concepts, stale = list(base.sections), list(base.concepts), list(base.stale)
    for file in files:
        family_sections, family_concepts, family_stale = _load_family(file, agency=True, taken=taken)
        sections.extend(family_sections)
        concepts.extend(family_concepts)
        stale.extend(family_stale)
    return Catalogue(tuple(sections), tuple(concepts), tuple(stale))


@cache
def _terms_file() -> dict[str, Any]:
    file = data_dir("rules") / "clauses" / TERMS_FILE
    result = read_text(file.read_text(encoding="utf-8"), str(file))
    data = result.documents[0].data if result.documents else {}
    return data if isinstance(data, dict) else {}


@cache
def builtin_terms() -> dict[str, str]:
    """The shared vocabulary patterns name as `{{name}}` (rules/clauses/terms.yaml)."""
    return {str(k): str(v) for k, v in (_terms_file().get("terms") or {}).items()}


def builtin_words() -> list[dict[str, Any]]:
    """The words every sentence has rewritten before patterns see it (rules/clauses/terms.yaml `words`)."""
    return list(_terms_file().get("words") or ())


def expand(pattern: str, terms: Mapping[str, str]) -> str:
    """A pattern with each `{{name}}` replaced by its term (a group of its own); an unknown name stays and
    RE2 refuses the pattern at load, naming the file and line."""
    return _TERM.sub(lambda m: f"(?:{terms[m.group(1)]})" if m.group(1) in terms else m.group(0), pattern)


def load_catalogue(files: Sequence[Path]) -> Catalogue:
    sections: list[Section] = []
    concepts: list[Concept] = []
    stale: list[Stale] = []
    for file in files:
        family_sections, family_concepts, family_stale = _load_family(file)
        sections.extend(family_sections)
        concepts.extend(family_concepts)
        stale.extend(family_stale)
    names = [c.name for c in concepts]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RuleError(str(files[0].parent), 1, 1, f"clause concepts defined twice: {', '.join(duplicates)}")
    return Catalogue(tuple(sections), tuple(concepts), tuple(stale))


def _load_family(file: Path, agency: bool = False,
                 taken: dict[str, str] | None = None) -> tuple[list[Section], list[Concept], list[Stale]]:
    """One family file. An agency's (`agency`) is validated first (`_check_agency_family`); `taken` maps
    the concept names already defined to where, and gets this family's."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(str(file), 1, 1, f"cannot read the clause family: {exc.__class__.__name__}") from None
    result = read_text(text, str(file))
    if result.problems or len(result.documents) != 1 or not isinstance(result.documents[0].data, dict):
        span = result.problems[0].span if result.problems else None
        raise RuleError(str(file), span.line if span else 1, span.column if span else 1,
                        result.problems[0].message if result.problems
                        else "a clause family must be one YAML mapping (family, sections, concepts)")
    doc = result.documents[0]
    data = doc.data
    if agency:
        _check_agency_family(doc, taken if taken is not None else {})
    family = str(data.get("family", file.stem))
    terms = builtin_terms() if file.name != TERMS_FILE else {}

    def compiled(patterns: Any, pointer: str) -> tuple[Compiled, ...]:
        """Each pattern vetted on its own (an error names its line), then all of them as one alternation:
        one RE2 search per sentence instead of one per pattern."""
        expanded_all = [expand(str(pattern), terms) for pattern in patterns or ()]
        if not expanded_all:
            return ()
        if not any(_TERM.search(e) for e in expanded_all):
            try:
                return (compile_regex("|".join(f"(?:{e})" for e in expanded_all)),)
            except Exception:
                pass
        for index, expanded in enumerate(expanded_all):  # only when something is wrong: name the pattern
            unknown = _TERM.search(expanded)
            try:
                if unknown:
                    raise RegexRejected(f"it names the term '{unknown.group(1)}', which terms.yaml does not define")
                vet_regex(expanded)
            except RegexRejected as exc:
                span, _ = doc.locate(f"{pointer}/{index}")
                raise RuleError(str(file), span.line, span.column, f"pattern cannot be used: {exc}") from None
        raise RuleError(str(file), 1, 1, f"the patterns at {pointer} cannot be combined")

    sections = [Section(key, family, compiled(spec.get("headings"), f"/sections/{key}/headings"))
                for key, spec in (data.get("sections") or {}).items()]
    concepts = []
    for index, entry in enumerate(data.get("concepts") or ()):
        pointer = f"/concepts/{index}"
        concepts.append(Concept(
            name=entry["name"], family=family, field=entry["field"], title=entry.get("title", entry["name"]),
            value=entry.get("value", True), number=bool(entry.get("number", False)),
            citations={k: tuple(v) for k, v in (entry.get("citations") or {}).items()},
            establish=compiled(entry.get("establish"), f"{pointer}/establish"),
            contradict=compiled(entry.get("contradict"), f"{pointer}/contradict"),
            within=compiled(entry.get("within"), f"{pointer}/within"),
            context=compiled(entry.get("context"), f"{pointer}/context"),
            unless=compiled(entry.get("unless"), f"{pointer}/unless"),
            excluding=compiled(entry.get("excluding"), f"{pointer}/excluding"),
            date=bool(entry.get("date", False)),
            items=tuple((str(name), compiled([pattern], f"{pointer}/items/{name}")[0])
                        for name, pattern in (entry.get("items") or {}).items()),
            together=tuple(_each(group, f"{pointer}/together/{number}", compiled)
                           for number, group in enumerate(entry.get("together") or ())),
            unit=str(entry.get("unit", "")), minimum=bool(entry.get("minimum", False)),
            elsewhere=compiled(entry.get("elsewhere"), f"{pointer}/elsewhere"),
            exceptions=bool(entry.get("exceptions", False))))
    stale = [Stale(entry["name"], entry["title"], entry["advice"],
                   compiled(entry.get("patterns"), f"/stale/{index}/patterns"))
             for index, entry in enumerate(data.get("stale") or ())]
    return sections, concepts, stale


def _each(patterns: Sequence[Any], pointer: str,
          compiled: Callable[[Any, str], tuple[Compiled, ...]]) -> tuple[Compiled, ...]:
    """Each pattern compiled on its own (a `together` set needs every one of them to match)."""
    return tuple(compiled([pattern], f"{pointer}/{index}")[0] for index, pattern in enumerate(patterns))


def _check_agency_family(doc: Any, taken: dict[str, str]) -> None:
    """An agency's family: the clause-family schema, no terms of its own, fields the policy schema has (a
    list field only with `items`), and concept names not already taken. Each problem names its line."""
    def fail(pointer: str, message: str) -> RuleError:
        span, _ = doc.locate(pointer)
        return RuleError(doc.path, span.line, span.column, message)

    violations = validate("clauses", doc.data)
    if violations:
        raise fail(violations[0].pointer, f"invalid clause family: {violations[0].message}")
    if "words" in doc.data:
        raise fail("/words", "an agency's clause family uses the built-in words (terms.yaml); it cannot rewrite "
                             "words of its own")
    if "terms" in doc.data:
        raise fail("/terms", "an agency's clause family uses the built-in terms ({{gap}}, {{staff}}, ...); "
                             "it cannot define terms of its own")
    policy = load_schema("policy")
    for index, entry in enumerate(doc.data.get("concepts") or ()):
        node: Any = policy
        for part in entry["field"].strip("/").split("/"):
            node = (node.get("properties") or {}).get(part) if isinstance(node, dict) else None
        kind = node.get("type") if isinstance(node, dict) else None
        if kind not in ("boolean", "integer", "number", "string", "array"):
            raise fail(f"/concepts/{index}/field", f"'{entry['field']}' is not a field of the policy schema that a "
                                                   "clause can set (schemas/policy.schema.json)")
        wants = ("array" if entry.get("items") else "integer" if entry.get("number") else
                 "string" if entry.get("date") or entry.get("value") in ("clause", "capture") else "boolean")
        if kind != wants and not (wants == "integer" and kind == "number"):
            raise fail(f"/concepts/{index}/field", f"'{entry['field']}' holds a {kind}, but this concept would set "
                                                   f"a {wants} (use value, number, date or items to match)")
        if entry["name"] in taken:
            raise fail(f"/concepts/{index}/name", f"the concept '{entry['name']}' is already defined in "
                                                  f"{taken[entry['name']]}")
        taken[entry["name"]] = doc.path
