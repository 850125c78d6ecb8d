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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from smlint.document import join, parent, split
from smlint.errors import RuleError
from smlint.formats.prose import HEADING, Block
from smlint.safe_regex import Compiled
from smlint.yamljson import read_text

ESTABLISHED = "established"
CONTRADICTED = "contradicted"
NOT_FOUND = "not found"

CONTRADICTION_RULE = "SM040"
NOTHING_READ_RULE = "SM041"
FRONT_MATTER_RULE = "SM042"
STALE_RULE = "SM043"

_ANCHOR = re.compile(r"<!--\s*smlint\s*:\s*clause\s*=\s*([!A-Za-z0-9_,\s-]+?)\s*-->", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])|;\s+|,?\s+but\s+")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty-five": 45, "sixty": 60, "ninety": 90,
                 # intervals in months
                 "year": 12, "annual": 12, "annually": 12, "yearly": 12, "quarter": 3, "quarterly": 3}


@dataclass(frozen=True)
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

    def fact_value(self, state: str, match: Any, sentence: str) -> Any:
        if state == CONTRADICTED:
            return (not self.value) if isinstance(self.value, bool) else None
        if self.number:
            return _number(match)
        if self.value == "clause":
            return sentence
        return self.value


@dataclass(frozen=True)
class Section:
    key: str  # the policy schema's section, e.g. social_networking
    family: str
    headings: tuple[Compiled, ...]


@dataclass(frozen=True)
class Stale:
    """Wording that relies on a source that has ended or been replaced (the COVID-19 telehealth enforcement
    discretion, the 2008 NASW Code): `title` names it in the finding, `advice` says what to do."""

    name: str
    title: str
    advice: str
    patterns: tuple[Compiled, ...]


@dataclass(frozen=True)
class Catalogue:
    sections: tuple[Section, ...]
    concepts: tuple[Concept, ...]
    stale: tuple[Stale, ...] = ()

    def concept(self, name: str) -> Concept | None:
        return next((c for c in self.concepts if c.name == name), None)


@dataclass(frozen=True)
class Fact:
    concept: Concept
    state: str
    value: Any
    block: Block
    pinned: bool = False
    sentence: str = ""  # the clause (sentence) that gave the fact; the block's text when pinned


@dataclass(frozen=True)
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


_PIN_TEXT = re.compile(r"^\s*smlint\s*:\s*clause\s*=\s*([!A-Za-z0-9_,\s-]+?)\s*$", re.IGNORECASE)


def pinned_names(comment: str) -> list[str]:
    """Concept names pinned by a Word comment whose whole text is `smlint: clause=NAME[,NAME]`."""
    match = _PIN_TEXT.match(comment)
    return [part.strip() for part in match.group(1).split(",") if part.strip()] if match else []


def anchor_names(html: str) -> list[str]:
    """Concept names pinned by `<!-- smlint: clause=NAME[,NAME] -->` comments in an HTML block."""
    names: list[str] = []
    for match in _ANCHOR.finditer(html):
        names.extend(part.strip() for part in match.group(1).split(",") if part.strip())
    return names


# ---------------------------------------------------------------------------------------------- reading


def read(blocks: Sequence[Block], catalogue: Catalogue | None = None) -> Reading:
    catalogue = catalogue or builtin_catalogue()
    facts: dict[str, list[Fact]] = {}
    unknown: list[tuple[Block, str]] = []
    for block in blocks:
        if block.kind == HEADING:
            continue
        for name in block.anchors:
            concept = catalogue.concept(name.lstrip("!"))
            if concept is None:
                unknown.append((block, name))
                continue
            state = CONTRADICTED if name.startswith("!") else ESTABLISHED
            facts.setdefault(concept.name, []).append(
                Fact(concept, state, concept.fact_value(state, None, block.text), block, True, block.text))
        for concept, state, value, sentence in _clauses(block, catalogue.concepts):
            if any(f.pinned for f in facts.get(concept.name, ())):
                continue  # a pinned clause decides its concept
            facts.setdefault(concept.name, []).append(Fact(concept, state, value, block, False, sentence))
    headings, members = _sections(blocks, catalogue.sections)
    stale = [(block, item) for block in blocks for item in _stale(block, catalogue.stale)]
    return Reading({k: tuple(v) for k, v in facts.items()}, headings, members, tuple(unknown), tuple(stale))


def _stale(block: Block, items: Sequence[Stale]) -> Iterator[Stale]:
    """The stale sources a block relies on, each once."""
    if not items:
        return
    text = normalise(block.text)
    for item in items:
        if any(p.search(text) for p in item.patterns):
            yield item


def _clauses(block: Block, concepts: Iterable[Concept]) -> Iterator[tuple[Concept, str, Any, str]]:
    heading = block.heading_path
    forms = []
    for sentence in sentences_of(block.text):  # each sentence normalised once, not once per concept
        normal = normalise(sentence)
        forms.append((sentence, normal, _QUOTED.sub(" ", normal)))
    for concept in concepts:
        if concept.within and not any(p.search(heading) for p in concept.within):
            continue
        for sentence, normal, unquoted in forms:
            if concept.context and not any(p.search(sentence) or p.search(heading) for p in concept.context):
                continue
            found = _classify(concept, normal, unquoted)
            if found is not None:
                state, match = found
                value = concept.fact_value(state, match, sentence)
                if value is not None:
                    yield concept, state, value, sentence
                    break


_NEGATED = re.compile(r"\b(may|can|will|do|does|did|must|should|shall|would|could|need)\s+not\b")
_CONTRACTED = {"can't": "can_not", "cannot": "can_not", "won't": "will_not", "don't": "do_not",
               "doesn't": "does_not", "didn't": "did_not", "isn't": "is not", "aren't": "are not",
               "mustn't": "must_not", "shouldn't": "should_not", "wouldn't": "would_not", "couldn't": "could_not",
               "shan't": "shall_not", "needn't": "need_not"}
_CONTRACTION = re.compile(r"\b(" + "|".join(re.escape(k) for k in _CONTRACTED) + r")")
_NOBODY = re.compile(r"\b(?:no|neither)\s+(one|staff(?:\s+members?)?|employees?|clinicians?|therapists?|workers?|"
                     r"counsel+ors?|members?\s+of\s+staff|person|practitioners?|interns?|students?)\s+"
                     r"(may|can|will|shall|should|must)\b")


def normalise(sentence: str) -> str:
    """The form catalogue patterns are matched against (docs/clause-catalogue.md): lower case, straight
    apostrophes, single spaces, and every negated modal as one word joined by an underscore ("may not" ->
    "may_not"; "cannot", "can't" -> "can_not"; "won't" -> "will_not"; "no staff member may" -> "staff member
    may_not"; "under no circumstances" -> "never"), so that a pattern for "may" never matches "may not".
    "is not" and "are not" stay as they are ("isn't" -> "is not")."""
    text = " ".join(sentence.replace("’", "'").replace("‘", "'").lower().split())
    text = _CONTRACTION.sub(lambda m: _CONTRACTED[m.group(1)], text)
    text = _NEGATED.sub(r"\1_not", text)
    text = text.replace("under no circumstances", "never").replace("at no time", "never")
    return _NOBODY.sub(r"\1 \2_not", text)


def classify(concept: Concept, sentence: str) -> tuple[str, Any] | None:
    """Whether a sentence contradicts or establishes a concept (contradiction first: "staff may accept
    friend requests" is not saved by a later "do not" elsewhere in it), with the match. Quoted words
    ("never write 'you may accept'") do not contradict. Patterns see the sentence `normalise`d."""
    normal = normalise(sentence)
    return _classify(concept, normal, _QUOTED.sub(" ", normal))


def _classify(concept: Concept, normal: str, unquoted: str) -> tuple[str, Any] | None:
    for pattern in concept.contradict:
        if pattern.search(unquoted):
            if any(p.search(unquoted) for p in concept.unless):  # a narrow prohibition ("out of curiosity")
                return None
            return CONTRADICTED, None
    for pattern in concept.establish:
        match = pattern.search(normal)
        if match:
            return ESTABLISHED, match
    return None


def sentences_of(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _number(match: Any) -> int | None:
    if match is None:
        return None
    for group in match.groups():
        if not group:
            continue
        word = group.strip().lower()
        if word.isdigit():
            return int(word)
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


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
    for name in sorted(reading.facts, key=lambda n: reading.facts[n][0].block.span.line):
        fact = reading.decisive(name)
        if fact is None:
            continue
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


def _put(target: dict[str, Any], parts: Sequence[str], value: Any) -> None:
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def contradictions(reading: Reading) -> Iterator[tuple[Fact, Fact]]:
    """(establishing, contradicting) pairs: concepts the document both states and denies."""
    for facts in reading.facts.values():
        established = next((f for f in facts if f.state == ESTABLISHED), None)
        contradicted = next((f for f in facts if f.state == CONTRADICTED), None)
        if established is not None and contradicted is not None:
            yield established, contradicted


# ------------------------------------------------------------------------------------------- catalogue


TERMS_FILE = "terms.yaml"
_TERM = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@cache
def builtin_catalogue() -> Catalogue:
    from smlint.resources import data_dir

    return load_catalogue(sorted(f for f in (data_dir("rules") / "clauses").glob("*.yaml") if f.name != TERMS_FILE))


@cache
def builtin_terms() -> dict[str, str]:
    """The shared vocabulary patterns name as `{{name}}` (rules/clauses/terms.yaml)."""
    from smlint.resources import data_dir

    file = data_dir("rules") / "clauses" / TERMS_FILE
    result = read_text(file.read_text(encoding="utf-8"), str(file))
    data = result.documents[0].data if result.documents else {}
    return {str(k): str(v) for k, v in (data.get("terms") or {}).items()}


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


def _load_family(file: Path) -> tuple[list[Section], list[Concept], list[Stale]]:

    result = read_text(file.read_text(encoding="utf-8"), str(file))
    if result.problems or not result.documents or not isinstance(result.documents[0].data, dict):
        span = result.problems[0].span if result.problems else None
        raise RuleError(str(file), span.line if span else 1, span.column if span else 1,
                        result.problems[0].message if result.problems else "a clause family must be a mapping")
    doc = result.documents[0]
    data = doc.data
    family = str(data.get("family", file.stem))
    terms = builtin_terms() if file.name != TERMS_FILE else {}

    def compiled(patterns: Any, pointer: str) -> tuple[Compiled, ...]:
        """Each pattern vetted on its own (an error names its line), then all of them as one alternation:
        one RE2 search per sentence instead of one per pattern."""
        from smlint.safe_regex import RegexRejected, compile_regex, vet_regex

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
            unless=compiled(entry.get("unless"), f"{pointer}/unless")))
    stale = [Stale(entry["name"], entry["title"], entry["advice"],
                   compiled(entry.get("patterns"), f"/stale/{index}/patterns"))
             for index, entry in enumerate(data.get("stale") or ())]
    return sections, concepts, stale
