"""A FHIR R4 Questionnaire read as an smlint intake form.

The intake-form rules read `/clauses/<concept>/text`, `/version`, `/acknowledges_policy`,
`/services` and so on. `intake_view` builds that view from a Questionnaire and maps every pointer of
the view back to the item it came from, so that a finding points at the item's line and carries the
item's real pointer (`/item/3/item/0`). The convention (docs/formats.md):

* an item stands for a concept when one of its `code` codings has the system `urn:smlint:concept`
  and the concept as code (`texting_consent`, `contingency.callback_number`, `signature.guardian`),
  or when the configured linkId map (`fhir: {link_ids: {<linkId>: <concept>}}`) names its linkId;
* a coding with the system `urn:smlint:service` (on the Questionnaire's `code`, an item's `code`, or
  an item's `answerOption[].valueCoding`) says the form offers that service (`texting`, `telehealth`);
* a coding with the system `urn:smlint:policy-version` gives the policy version the form acknowledges.

The concepts are the intake-form schema's clauses, their true/false fields and the `signature` fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from smlint.document import Document, child

CONCEPT_SYSTEM = "urn:smlint:concept"
SERVICE_SYSTEM = "urn:smlint:service"
POLICY_VERSION_SYSTEM = "urn:smlint:policy-version"
NOT_ANSWERABLE = frozenset({"display", "group"})
DERIVED_FLAGS = frozenset({"signature_required", "written"})  # set from the item's `required`, never coded


@cache
def concepts() -> frozenset[str]:
    """Every concept an item may stand for, read from the intake-form schema: each clause, each of its
    true/false fields but those derived from `required`, and each `signature` field."""
    from smlint.schema import load_schema

    props = load_schema("intake-form")["properties"]
    names: set[str] = set()
    for clause, spec in props["clauses"]["properties"].items():
        names.add(clause)
        names.update(f"{clause}.{flag}" for flag, flag_spec in spec["properties"].items()
                      if flag_spec.get("type") == "boolean" and flag not in DERIVED_FLAGS)
    names.update(f"signature.{flag}" for flag in props["signature"]["properties"])
    return frozenset(names)


def unknown_concepts(link_ids: Mapping[str, str]) -> list[str]:
    """The linkIds whose configured concept smlint does not know (for configuration errors)."""
    return [link_id for link_id, concept in link_ids.items() if concept not in concepts()]


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

    def add_service(self, code: str, source: str) -> None:
        services = self.data.setdefault("services", [])
        self.pointers.setdefault("/services", source)
        if code not in services:
            self.pointers[child("/services", len(services))] = source
            services.append(code)


def intake_view(doc: Document, link_ids: Mapping[str, str] | None = None) -> Document:
    """The intake-form view of a Questionnaire document (same path and positions)."""
    data = doc.data if isinstance(doc.data, Mapping) else {}
    view = _View()
    for field, key in (("title", "title"), ("version", "version"), ("last_reviewed", "lastReviewDate")):
        if isinstance(data.get(key), str):
            view.put((field,), data[key], child("", key))
    if isinstance(data.get("item"), list):
        view.pointers["/clauses"] = "/item"
        view.pointers["/signature"] = "/item"
        view.data["clauses"] = {}
    _codings(view, data.get("code"), "/code")
    for pointer, item in _items(data.get("item"), "/item"):
        _item(view, item, pointer, link_ids or {})
    return Document(doc.path, "intake-form", view.data, doc.positions, doc.index,
                    pointer_map=view.pointers, validate=False)


def _items(items: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, Mapping):
            item_pointer = child(pointer, index)
            yield item_pointer, item
            yield from _items(item.get("item"), child(item_pointer, "item"))


def _codings(view: _View, codings: Any, pointer: str) -> list[str]:
    """Services and policy versions among `codings`; returns the concepts they name."""
    if not isinstance(codings, list):
        return []
    return [concept for index, coding in enumerate(codings)
            for concept in _coding(view, coding, child(pointer, index))]


def _coding(view: _View, coding: Any, pointer: str) -> list[str]:
    if not isinstance(coding, Mapping) or not isinstance(coding.get("code"), str):
        return []
    source = child(pointer, "code")
    system = coding.get("system")
    if system == CONCEPT_SYSTEM:
        return [coding["code"]]
    if system == SERVICE_SYSTEM:
        view.add_service(coding["code"], source)
    elif system == POLICY_VERSION_SYSTEM:
        view.put(("acknowledges_policy",), coding["code"], source)
    return []


def _item(view: _View, item: Mapping[str, Any], pointer: str, link_ids: Mapping[str, str]) -> None:
    named = _codings(view, item.get("code"), child(pointer, "code"))
    options = item.get("answerOption")
    if isinstance(options, list):
        for index, option in enumerate(options):
            if isinstance(option, Mapping):
                _coding(view, option.get("valueCoding"), child(child(child(pointer, "answerOption"), index),
                                                               "valueCoding"))
    link_id = item.get("linkId")
    if isinstance(link_id, str) and link_id in link_ids:
        named.append(link_ids[link_id])
    for concept in named:
        if concept in concepts():
            _concept(view, concept, item, pointer)


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
def _clause_fields(clause: str) -> frozenset[str]:
    from smlint.schema import load_schema

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
