"""A FHIR R4 Questionnaire read as an smlint intake form.

The intake-form rules read `/clauses/<concept>/text`, `/version`, `/acknowledges_policy`,
`/services` and so on. `intake_view` builds that view from a Questionnaire and maps every pointer of
the view back to the item it came from, so that a finding points at the item's line and carries the
item's real pointer (`/item/3/item/0`). `read` says what each item was taken to mean and why
(`smlint explain-form` prints it). The convention (docs/formats.md):

* an item stands for a concept when one of its `code` codings has the system `urn:smlint:concept`
  and the concept as code (`texting_consent`, `contingency.callback_number`, `signature.guardian`),
  or when the configured linkId map (`fhir: {link_ids: {<linkId>: <concept or list>}}`) names its
  linkId (`service.<service>` there says the item's presence means the form offers that service);
* otherwise, unless `fhir: {text_match: false}`, the documented text match (`fhir_text_match.json`)
  may map it by its text and linkId; an item standing for a clause also gets the clause's details
  its text names (identity and location checks, the three social-media risks, ...);
* a coding with the system `urn:smlint:service` (on the Questionnaire's `code`, an item's `code`, or
  an item's `answerOption[].valueCoding`) says the form offers that service (`texting`, `telehealth`);
  so may an answer option's wording, by the text match;
* a coding with the system `urn:smlint:policy-version` gives the policy version the form acknowledges;
* `fhir: {questionnaires: {<url or id>: {services, acknowledges_policy}}}` states what the form cannot;
* signing follows FHIR: a signature item, a required attestation boolean or the
  `questionnaire-signatureRequired` extension means the client signs; the QuestionnaireResponse
  records when (`authored`), so a signed Questionnaire is also dated.

The concepts are the intake-form schema's clauses, their true/false fields and the `signature` fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from smlint.document import Document, child
from smlint.formats.fhirsettings import FhirSettings
from smlint.records import record
from smlint.schema import load_schema

CONCEPT_SYSTEM = "urn:smlint:concept"
SERVICE_SYSTEM = "urn:smlint:service"
POLICY_VERSION_SYSTEM = "urn:smlint:policy-version"
SIGNATURE_REQUIRED = "http://hl7.org/fhir/StructureDefinition/questionnaire-signatureRequired"
LIST_FIELDS = {"service": "services", "audience": "audience"}  # `service.texting` -> /services, ...
NOT_ANSWERABLE = frozenset({"display", "group"})
DERIVED_FLAGS = frozenset({"signature_required", "written"})  # set from the item's `required`, never coded


@cache
def concepts() -> frozenset[str]:
    """Every concept an item may stand for, read from the intake-form schema: each clause, each of its
    true/false fields but those derived from `required`, and each `signature` field."""
    props = load_schema("intake-form")["properties"]
    names: set[str] = set()
    for clause, spec in props["clauses"]["properties"].items():
        names.add(clause)
        names.update(f"{clause}.{flag}" for flag, flag_spec in spec["properties"].items()
                      if flag_spec.get("type") == "boolean" and flag not in DERIVED_FLAGS)
    names.update(f"signature.{flag}" for flag in props["signature"]["properties"])
    return frozenset(names)


SERVICES = ("in-person", "telehealth", "phone", "texting", "email")  # the intake-form schema's `services`


@cache
def link_id_concepts() -> frozenset[str]:
    """What a `fhir.link_ids` entry may name: a concept, or `service.<service>` (the form offers it)."""
    return concepts() | {f"service.{name}" for name in SERVICES}


def unknown_concepts(link_ids: Mapping[str, Any]) -> list[str]:
    """The linkIds whose configured concept (or one of them) smlint does not know (for configuration errors)."""
    known = link_id_concepts()
    return [link_id for link_id, value in link_ids.items()
            if any(concept not in known for concept in ((value,) if isinstance(value, str) else value))]


# -- the text match table ------------------------------------------------------------------------


@record
class TextRule:
    """One entry of `fhir_text_match.json`: `concept` when every pattern of `all` matches."""

    id: str
    concept: str
    applies_to: str  # item | detail | option | signature | attestation
    patterns: tuple[re.Pattern[str], ...]
    item: re.Pattern[str] | None = None  # for options: the question they answer must match this
    excluded: tuple[re.Pattern[str], ...] = ()  # `none`: patterns that must not match

    def matches(self, text: str) -> bool:
        return bool(text) and all(pattern.search(text) for pattern in self.patterns) \
            and not any(pattern.search(text) for pattern in self.excluded)


@cache
def text_rules() -> tuple[TextRule, ...]:
    """The documented text match (package data `smlint/formats/fhir_text_match.json`)."""
    # beside this module, as `resources.data_dir` finds the schemas: importing importlib.resources would cost
    # every run about 4 M instructions at start-up (docs/performance.md)
    table = json.loads(Path(__file__).with_name("fhir_text_match.json").read_text(encoding="utf-8"))
    return tuple(TextRule(e["id"], e["concept"], e["applies_to"],
                          tuple(re.compile(p, re.IGNORECASE) for p in e["all"]),
                          re.compile(e["item"], re.IGNORECASE) if "item" in e else None,
                          tuple(re.compile(p, re.IGNORECASE) for p in e.get("none", ())))
                 for e in table["entries"])


def _normal(text: str) -> str:
    """Text as the patterns see it: linkId separators as spaces, runs of white space as one."""
    return " ".join(re.sub(r"[-_.:/]+", " ", text).split())


# -- what each item means ------------------------------------------------------------------------


@record
class Meaning:
    """One concept an element of the Questionnaire was taken to stand for, and why."""

    concept: str  # a clause, `clause.detail`, `signature.<field>`, `service.<service>`, `acknowledges_policy`, ...
    route: str  # code | link_ids | text match <entry id> | extension | configuration | response date
    pointer: str  # the Questionnaire element it comes from
    value: str | None = None  # the policy version (`acknowledges_policy`), the form it `supplements`


@record
class ItemReading:
    pointer: str
    link_id: str
    type: str
    text: str  # raw: scrub before showing it (`smlint.redact.scrub`)
    meanings: tuple[Meaning, ...]


@record
class Reading:
    """What a Questionnaire was taken to say: per item, and for the whole form."""

    items: tuple[ItemReading, ...]
    form: tuple[Meaning, ...]

    @property
    def mapped(self) -> bool:
        """Whether any item stands for a clause: without one the form cannot be judged clause by clause."""
        return any(meaning.concept.partition(".")[0] in _clauses() for reading in self.items
                   for meaning in reading.meanings)


def read(data: Any, settings: FhirSettings | None = None, path: str = "") -> Reading:
    """What each item of a Questionnaire (its data; `path`, its file as shown) was taken to mean, and why."""
    settings = settings or FhirSettings()
    if not isinstance(data, Mapping):
        return Reading((), ())
    stated = settings.for_questionnaire(data, path)
    guess_services = settings.text_match and (stated is None or stated.services is None)
    items = tuple(_read_item(item, pointer, settings, guess_services)
                  for pointer, item in _items(data.get("item"), "/item"))
    form = list(_codings(data.get("code"), "/code"))
    form.extend(_signature_extension(data))
    if stated is not None:
        form.extend(Meaning(f"service.{name}", "configuration", "/resourceType") for name in stated.services or ())
        if stated.acknowledges_policy is not None:
            form.append(Meaning("acknowledges_policy", "configuration", "/resourceType", stated.acknowledges_policy))
        if stated.supplements is not None:
            form.append(Meaning("supplements", "configuration", "/resourceType", stated.supplements))
        form.extend(Meaning(f"audience.{name}", "configuration", "/resourceType") for name in stated.audience or ())
    signed = [m for m in (*(m for r in items for m in r.meanings), *form) if m.concept == "signature.client"]
    if signed:
        form.append(Meaning("signature.date", "response date", signed[0].pointer))
    return Reading(items, tuple(form))


def _read_item(item: Mapping[str, Any], pointer: str, settings: FhirSettings, guess_services: bool) -> ItemReading:
    kind, text, link_id = (_text(item.get(key)) for key in ("type", "text", "linkId"))
    meanings = list(_codings(item.get("code"), child(pointer, "code"), pointer))
    meanings.extend(_option_codings(item, pointer))
    meanings.extend(Meaning(concept, "link_ids", pointer) for concept in settings.link_ids.get(link_id, ()))
    if settings.text_match:
        meanings.extend(_text_meanings(item, pointer, kind, _normal(text), _normal(link_id), meanings,
                                       guess_services))
    return ItemReading(pointer, link_id, kind, text, tuple(_unique(meanings)))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _unique(meanings: list[Meaning]) -> Iterator[Meaning]:
    seen: set[str] = set()
    for meaning in meanings:
        if meaning.concept not in seen:
            seen.add(meaning.concept)
            yield meaning


def _text_meanings(item: Mapping[str, Any], pointer: str, kind: str, text: str, link_id: str,
                   known: list[Meaning], guess_services: bool) -> Iterator[Meaning]:
    concepts_known = {m.concept for m in known}
    heads = {c for c in concepts_known if c in _clauses()}
    # an item that a code or the linkId map gives any meaning (but a service) is not guessed at
    guess = not any(c != "acknowledges_policy" and not c.startswith("service.") for c in concepts_known)
    for rule in text_rules():
        route = f"text match {rule.id}"
        if rule.applies_to == "item" and guess and kind not in ("group", "attachment") \
                and (rule.matches(text) or rule.matches(link_id)):
            guess = False
            heads.add(rule.concept)
            yield Meaning(rule.concept, route, pointer)
        elif guess and _signs(rule, item, kind) and rule.matches(text):
            guess = False
            yield Meaning(rule.concept, route, pointer)
        elif rule.applies_to == "option" and guess_services and rule.item is not None and rule.item.search(text):
            option = _matching_option(item, pointer, rule)
            if option is not None:
                yield Meaning(rule.concept, route, option)
    for rule in text_rules():
        if rule.applies_to == "detail" and rule.concept.partition(".")[0] in heads \
                and rule.concept not in concepts_known and rule.matches(text):
            yield Meaning(rule.concept, f"text match {rule.id}", pointer)


def _signs(rule: TextRule, item: Mapping[str, Any], kind: str) -> bool:
    """Whether a signature entry may read this item: a signature item (attachment or text) or a required
    attestation (boolean)."""
    if rule.applies_to == "signature":
        return kind in ("attachment", "string", "text")
    return rule.applies_to == "attestation" and kind == "boolean" and item.get("required") is True


def _matching_option(item: Mapping[str, Any], pointer: str, rule: TextRule) -> str | None:
    """The pointer of the first answer option whose wording matches `rule` (and that no smlint service
    coding already names)."""
    options = item.get("answerOption")
    if not isinstance(options, list):
        return None
    for index, option in enumerate(options):
        if not isinstance(option, Mapping):
            continue
        at = child(child(pointer, "answerOption"), index)
        coding = option.get("valueCoding")
        if isinstance(coding, Mapping):
            if coding.get("system") == SERVICE_SYSTEM:
                continue
            words = [coding.get("display"), coding.get("code")]
            at = child(at, "valueCoding")
        else:
            words = [option.get("valueString")]
        if any(isinstance(word, str) and rule.matches(_normal(word)) for word in words):
            return at
    return None


def _signature_extension(data: Mapping[str, Any]) -> Iterator[Meaning]:
    extensions = data.get("extension")
    if not isinstance(extensions, list):
        return
    for index, extension in enumerate(extensions):
        if isinstance(extension, Mapping) and extension.get("url") == SIGNATURE_REQUIRED:
            yield Meaning("signature.client", "extension", child("/extension", index))
            return


def _items(items: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, Mapping):
            item_pointer = child(pointer, index)
            yield item_pointer, item
            yield from _items(item.get("item"), child(item_pointer, "item"))


def _codings(codings: Any, pointer: str, owner: str = "") -> Iterator[Meaning]:
    """The meanings of smlint codings; a concept points at `owner` (the item that carries it)."""
    if isinstance(codings, list):
        for index, coding in enumerate(codings):
            meaning = _coding(coding, child(pointer, index), owner)
            if meaning is not None:
                yield meaning


def _option_codings(item: Mapping[str, Any], pointer: str) -> Iterator[Meaning]:
    options = item.get("answerOption")
    if isinstance(options, list):
        for index, option in enumerate(options):
            if isinstance(option, Mapping):
                at = child(child(child(pointer, "answerOption"), index), "valueCoding")
                meaning = _coding(option.get("valueCoding"), at)
                if meaning is not None and meaning.concept.startswith("service."):
                    yield meaning


def _coding(coding: Any, pointer: str, owner: str = "") -> Meaning | None:
    if not isinstance(coding, Mapping) or not isinstance(coding.get("code"), str):
        return None
    source = child(pointer, "code")
    system = coding.get("system")
    if system == CONCEPT_SYSTEM:
        return Meaning(coding["code"], "code", owner)
    if system == SERVICE_SYSTEM:
        return Meaning(f"service.{coding['code']}", "code", source)
    if system == POLICY_VERSION_SYSTEM:
        return Meaning("acknowledges_policy", "code", source, coding["code"])
    return None


# -- the intake-form view ------------------------------------------------------------------------


class _View:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {"kind": "intake-form"}
        self.pointers: dict[str, str] = {"": "", "/kind": "/resourceType"}

    def put(self, parts: tuple[str, ...], value: Any, source: str) -> None:
        """Set a value at a path of the view unless already set, creating the mappings on the way."""
        target = self.data
        pointer = ""
        for part in parts[:-1]:
            pointer = child(pointer, part)
            if part not in target:
                target[part] = {}
                self.pointers.setdefault(pointer, source)
            target = target[part]
        pointer = child(pointer, parts[-1])
        if parts[-1] not in target:
            target[parts[-1]] = value
            self.pointers[pointer] = source

    def add(self, field: str, code: str, source: str) -> None:
        """Add `code` to the list at `field` (`services`, `audience`) unless it is there."""
        values = self.data.setdefault(field, [])
        self.pointers.setdefault(child("", field), source)
        if code not in values:
            self.pointers[child(child("", field), len(values))] = source
            values.append(code)


def intake_view(doc: Document, settings: FhirSettings | None = None) -> Document | None:
    """The intake-form view of a Questionnaire document (same path and positions), or None when no item
    could be mapped to a clause (rule SM277 then says so once, instead of a finding per clause)."""
    data = doc.data if isinstance(doc.data, Mapping) else {}
    reading = read(data, settings, doc.path)
    if not reading.mapped:
        return None
    view = _View()
    for field, key in (("title", "title"), ("version", "version"), ("last_reviewed", "lastReviewDate"), ("id", "id"),
                       ("url", "url")):
        if isinstance(data.get(key), str):
            view.put((field,), data[key], child("", key))
    view.pointers["/clauses"] = "/item"
    view.pointers["/signature"] = "/item"
    view.data["clauses"] = {}
    items = {reading.pointer: item for reading, (_, item) in zip(reading.items, _items(data.get("item"), "/item"),
                                                                 strict=True)}
    ordered = [m for m in reading.form if m.pointer.startswith("/code")]
    ordered += [m for r in reading.items for m in r.meanings]
    ordered += [m for m in reading.form if not m.pointer.startswith("/code")]
    for meaning in ordered:
        _apply(view, meaning, items.get(meaning.pointer, {}))
    return Document(doc.path, "intake-form", view.data, doc.positions, doc.index,
                    pointer_map=view.pointers, validate=False)


def _apply(view: _View, meaning: Meaning, item: Mapping[str, Any]) -> None:
    head, _, flag = meaning.concept.partition(".")
    if head in ("service", "audience"):
        view.add(LIST_FIELDS[head], flag, meaning.pointer)
    elif meaning.concept in ("acknowledges_policy", "supplements"):
        view.put((meaning.concept,), meaning.value, meaning.pointer)
    elif meaning.concept in concepts():
        _concept(view, meaning.concept, item, meaning.pointer)


def _concept(view: _View, concept: str, item: Mapping[str, Any], pointer: str) -> None:
    head, _, flag = concept.partition(".")
    if head == "signature":
        view.put(("signature", flag), True, pointer)
        return
    if flag:
        view.put(("clauses", head, flag), True, pointer)
        return
    kind = item.get("type")  # any JSON value: a mapping here must not crash the view (tests/hostile)
    answered = item.get("required") is True and isinstance(kind, str) and kind not in NOT_ANSWERABLE
    at_required = child(pointer, "required") if "required" in item else pointer
    view.put(("clauses", head), {}, pointer)
    if isinstance(item.get("text"), str):
        view.put(("clauses", head, "text"), item["text"], child(pointer, "text"))
    view.put(("clauses", head, "answer_required"), answered, at_required)
    view.put(("clauses", head, "signature_required"), answered, at_required)
    if "written" in _clause_fields(head):
        view.put(("clauses", head, "written"), answered, at_required)


@cache
def clause_names() -> tuple[str, ...]:
    """The intake-form clauses, in the schema's order."""
    return tuple(load_schema("intake-form")["properties"]["clauses"]["properties"])


@cache
def _clauses() -> frozenset[str]:
    return frozenset(clause_names())


@cache
def _clause_fields(clause: str) -> frozenset[str]:
    return frozenset(load_schema("intake-form")["properties"]["clauses"]["properties"][clause]["properties"])


def concept_pattern() -> str:
    """A regular expression matching exactly the known concepts (kept in the FHIR schema; a test checks)."""
    groups: dict[str, list[str]] = {}
    for name in sorted(concepts()):
        head, _, flag = name.partition(".")
        groups.setdefault(head, [])
        if flag:
            groups[head].append(flag)
    parts = [head + (rf"(\.({'|'.join(flags)}))" + ("?" if head != "signature" else "") if flags else "")
             for head, flags in groups.items()]
    return "^(" + "|".join(parts) + ")$"
