"""Intake forms judged as the set a client signs, not sheet by sheet (issue 18, class 5).

A form may declare `supplements: <path or id>`: it is signed in addition to that form (a telehealth
addendum to the main intake). A clause rule then judges the *set*, the form and every form it supplements
(transitively): a clause, a detail or a service recorded on any sheet of the set counts for all of it.
Some clauses are agency-wide by nature (the rule says which, and why, in its rationale): a form that does
not carry such a clause at all passes when another form of the project carries one that passes.

Both are repository checks (`checks/repository.py`), so that a one-file run (pre-commit on the addendum
alone) sees the main form through the project index. The index holds a *skeleton* of each form, never
its text: the services and audience it names (closed lists), and for every clause, detail and signature
field whether it is there and true. `form_set` wraps an artifact check (`required` or `assert`) and runs
it on the merged skeleton of each set; `form_reference` reports a `supplements` that names no form.
A `form_set` with a `trigger` (a policy's promise) judges the sets only while a document matches it, and
reports once, at the promise, naming the forms whose sets break it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from smlint.checks.artifact import choose_at
from smlint.checks.base import Context, Place, repository_check
from smlint.checks.params import POINTER, SELECTOR, NestedCheck, NoParams, Selector, nested_check, param
from smlint.checks.repository import Facts, RepoHit, place
from smlint.document import MISSING, Document, get, parent
from smlint.kinds import INTAKE_FORM as KIND
from smlint.records import record

# values kept as they are in the skeleton: closed lists of the intake-form schema, never free text
_KEPT_LISTS = {"services": frozenset({"in-person", "telehealth", "phone", "texting", "email"}),
               "audience": frozenset({"adults", "minors", "families", "couples", "groups"})}
_SKELETON_KEYS = ("clauses", "signature", "services", "audience")


def skeleton(data: Any, read_details: bool = False) -> dict[str, Any]:
    """What the clause rules read from a form, without its words: closed-list values as they are, booleans
    as they are, any other text as `True` (present) or `False` (empty). With `read_details` (a YAML form), a
    clause detail the form leaves out is read from the clause's text, by the FHIR text match's `detail`
    entries (docs/formats.md): "You can give a different number or address" is `alternative_address`."""
    if not isinstance(data, Mapping):
        return {}
    out: dict[str, Any] = {}
    for key in _SKELETON_KEYS:
        if key in data:
            out[key] = _kept(data[key], _KEPT_LISTS.get(key))
    if read_details:
        _details_from_text(data.get("clauses"), out.get("clauses"))
    return out


def _details_from_text(clauses: Any, kept: Any) -> None:
    """Each detail a clause does not record (absent, not `false`) that its own text names, as `True`."""
    if not isinstance(clauses, Mapping) or not isinstance(kept, dict):
        return
    from smlint.formats.fhir import text_rules  # the documented table, read once per run

    for rule in text_rules():
        if rule.applies_to != "detail":
            continue
        clause, _, detail = rule.concept.partition(".")
        written, skeleton_clause = clauses.get(clause), kept.get(clause)
        if isinstance(written, Mapping) and isinstance(skeleton_clause, dict) and detail not in written \
                and isinstance(written.get("text"), str) and rule.matches(written["text"]):
            skeleton_clause[detail] = True


def _kept(value: Any, allowed: frozenset[str] | None = None) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _kept(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if allowed is not None and isinstance(v, str) and v in allowed else _kept(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return bool(value.strip())
    return True


def merge(skeletons: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The skeleton of a set of forms: mappings merged key by key, true wins, lists joined."""
    merged: dict[str, Any] = {"kind": KIND}
    for one in skeletons:
        _merge_into(merged, one)
    return merged


def _merge_into(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        current = target.get(key, MISSING)
        if current is MISSING:
            target[key] = _copy(value)
        elif isinstance(current, dict) and isinstance(value, Mapping):
            _merge_into(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(v for v in value if v not in current)
        elif value is True:
            target[key] = True


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


# -- which form is which -------------------------------------------------------------------------


def _identity(doc: Document) -> dict[str, Any]:
    data = doc.data if isinstance(doc.data, Mapping) else {}
    facts: dict[str, Any] = {"ids": sorted({v for k in ("id", "url") if isinstance(v := data.get(k), str) and v})}
    reference = data.get("supplements")
    if isinstance(reference, str) and reference.strip():
        facts["supplements"] = reference.strip()
        facts["supplements_at"] = place(doc, "/supplements")
    return facts


def _normal(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


def _resolve(facts: Sequence[Facts]) -> list[int | None]:
    """For each form, the index of the form its `supplements` names (None: none, or not found).
    A reference is a path relative to the form's own file, or a form's `id` (or a Questionnaire's `url`)."""
    by_path = {_normal(str(f.get("@path", ""))): i for i, f in enumerate(facts)}
    by_id = {ident: i for i, f in enumerate(facts) for ident in f.get("ids", ())}
    found: list[int | None] = []
    for i, f in enumerate(facts):
        reference = f.get("supplements")
        if reference is None:
            found.append(None)
            continue
        relative = _normal(posixpath.join(posixpath.dirname(str(f.get("@path", ""))), reference))
        target = by_path.get(relative, by_id.get(reference))
        found.append(target if target != i else None)
    return found


def _sets(facts: Sequence[Facts]) -> list[list[int]]:
    """Each form's set: itself, then the forms it supplements, transitively (a cycle ends the chain)."""
    targets = _resolve(facts)
    sets = []
    for i in range(len(facts)):
        chain = [i]
        nxt = targets[i]
        while nxt is not None and nxt not in chain:
            chain.append(nxt)
            nxt = targets[nxt]
        sets.append(chain)
    return sets


# -- form_set --------------------------------------------------------------------------------------


@record
class FormSetParams:
    """The parameters of the `form_set` check (a rule's `check:`)."""
    of: NestedCheck = param(nested_check(("required", "assert"), "The check run on each form of the set."),
                            "The artifact check run on each intake form merged with the forms it supplements: a "
                            "`required` or `assert` check.")
    agency_wide: str | None = param(POINTER, "The clause this rule's subject is (for example "
                                             "/clauses/search_consent): a form without it passes when another form "
                                             "of the project has it and passes. Give it only for clauses that are "
                                             "agency-wide by nature, and say why in the rationale.", None)
    in_supplement: str | None = param(POINTER, "The clause this rule's subject is (for example "
                                               "/clauses/part2_consent): a form without it passes when a form "
                                               "that supplements it has it and passes, because the clause concerns "
                                               "only the clients who sign that supplement (a program's own consent "
                                               "form). Say why in the rationale.", None)
    trigger: Selector | None = param(SELECTOR, "A promise another document makes (e.g. the policy's): when given, the "
                                               "sets are judged only while a document matches it, and the rule "
                                               "reports once per such document, at `trigger.at`, naming the forms "
                                               "whose sets fail as related locations (`{related}`).", None)


def _pointers(params: FormSetParams) -> list[str]:
    """Every pointer where the inner check may place a finding (`paths` of `required`, `at` of `assert`)."""
    inner = params.of.params
    found: list[str] = list(getattr(inner, "paths", ()))
    at = getattr(inner, "at", ())
    found.extend([at] if isinstance(at, str) else at)
    return found


# the last skeleton made, with the data it was made from: every form_set rule indexes the same document in
# turn, and they share one skeleton (the checks only read it) instead of holding a copy each
_last_skeleton: list[Any] = [None, None]


def _skeleton_of(doc: Document) -> dict[str, Any]:
    if _last_skeleton[0] is not doc.data or _last_skeleton[1] is None:
        # a FHIR view's details already come from its items' text, as `fhir.text_match` allows
        _last_skeleton[:] = [doc.data, skeleton(doc.data, read_details=doc.pointer_map is None)]
    return _last_skeleton[1]  # type: ignore[no-any-return]


def index_form_set(doc: Document, params: FormSetParams) -> dict[str, Any] | None:
    trigger = params.trigger
    if trigger is not None and doc.kind == trigger.kind and doc.kind != KIND:
        if trigger.when is not None and not trigger.when(doc.data):
            return None
        return {"trigger": place(doc, choose_at(doc.data, trigger.at if trigger.at is not None else ""))}
    if doc.kind != KIND:
        return None
    facts = _identity(doc)
    facts["form"] = _skeleton_of(doc)
    facts["places"] = {pointer: place(doc, pointer) for pointer in _pointers(params)}
    clause = params.agency_wide or params.in_supplement
    if clause is not None:
        facts["has_clause"] = get(doc.data, clause) is not MISSING
    return facts


def _failures(form: Mapping[str, Any], params: FormSetParams, ctx: Context) -> list[str]:
    inner = params.of
    check = inner.spec.artifact
    assert check is not None
    if inner.when is not None and not inner.when(form):  # the engine's gate, for the check this one runs
        return []
    # a form set is judged as documents are: a clause that is not there is missing (`unknown: violation`)
    return [hit.pointer for hit in check(form, inner.params, ctx) if not hit.missing or hit.absent_fails]


def _place(facts: Facts, pointer: str) -> Place:
    places = facts["places"]
    current = pointer
    while current not in places and current:
        current = parent(current)
    return tuple(places.get(current) or next(iter(places.values())))


def _set_form(facts: Sequence[Facts], chain: Sequence[int]) -> Mapping[str, Any]:
    """The skeleton a set is judged on: a form alone is read as it is (the checks only read), a set merged."""
    if len(chain) == 1:
        return {"kind": KIND, **facts[chain[0]]["form"]}
    return merge([facts[j]["form"] for j in chain])


def _form_set_kinds(params: FormSetParams) -> set[str]:
    return {KIND} if params.trigger is None else {KIND, params.trigger.kind}


@repository_check("form_set", FormSetParams, index=index_form_set, variables=["related"], index_kinds=_form_set_kinds)
def form_set(facts: Sequence[Facts], params: FormSetParams, ctx: Context) -> Iterator[RepoHit]:
    """Runs the artifact check `of` (`required` or `assert`) on each intake form together with the forms
    it supplements (`supplements:`), merged: a clause, detail or service on any sheet counts for the set.

    A supplement is not reported for what a form it supplements already fails. With `agency_wide: <pointer
    of a clause>`, a form that lacks that clause altogether passes when another form of the project has it
    and passes; with `in_supplement: <pointer of a clause>`, when a form that supplements it (directly or
    through another) has it and passes. Findings point at the form judged; forms whose facts say
    `"@report": false` are judged only as far as the others need.
    """
    if params.trigger is not None:
        yield from _promised(facts, params, ctx)
        return
    sets = _sets(facts)
    judged: dict[int, list[str]] = {}

    def failing(i: int) -> list[str]:  # each set judged when first needed: a one-file run needs few
        if i not in judged:
            judged[i] = _failures(_set_form(facts, sets[i]), params, ctx)
        return judged[i]

    agency = params.agency_wide is not None
    carried: bool | None = None  # whether another form carries the agency-wide clause and passes
    supplemented_by: dict[int, list[int]] | None = None  # form -> the forms whose sets hold it (when needed)
    for i in range(len(facts)):
        if not facts[i].get("@report", True):
            continue  # nobody will see a finding on it (engine: `"@report"`)
        pointers = failing(i)
        if not pointers or any(failing(j) for j in sets[i][1:]):
            continue
        if agency and not any(facts[j].get("has_clause") for j in sets[i]):
            if carried is None:
                carried = any(f.get("has_clause") and not failing(j) for j, f in enumerate(facts))
            if carried:
                continue
        if params.in_supplement is not None and not any(facts[j].get("has_clause") for j in sets[i]):
            if supplemented_by is None:
                supplemented_by = _supplemented_by(sets)
            if any(facts[j].get("has_clause") and not failing(j) for j in supplemented_by.get(i, ())):
                continue
        for pointer in pointers:
            yield i, _place(facts[i], pointer)


def _supplemented_by(sets: Sequence[Sequence[int]]) -> dict[int, list[int]]:
    """For each form, the forms that supplement it: those whose set (the form, then what it supplements)
    holds it. Built once, so that finding them for every form is linear in the sets, not quadratic."""
    found: dict[int, list[int]] = {}
    for j, chain in enumerate(sets):
        for k in chain[1:]:
            found.setdefault(k, []).append(j)
    return found


def _promised(facts: Sequence[Facts], params: FormSetParams, ctx: Context) -> Iterator[RepoHit]:
    """`form_set` with a `trigger`: while a document (the policy) makes the promise, each set of forms a client
    signs must keep it. One finding per promise, at `trigger.at`, naming as related locations the forms whose
    sets do not (a supplement is not named when the form it supplements already is)."""
    promises = [i for i, f in enumerate(facts) if "trigger" in f and f.get("@report", True)]
    if not promises:
        return
    forms = [i for i, f in enumerate(facts) if "form" in f]
    if not forms:
        return  # no intake form in the project: nothing says the promise is broken
    positions = {i: n for n, i in enumerate(forms)}
    sets = [[forms[n] for n in chain] for chain in _sets([facts[i] for i in forms])]
    failing = {i: _failures(_set_form(facts, sets[positions[i]]), params, ctx) for i in forms}
    breaking = [(i, _place(facts[i], failing[i][0])) for i in forms
                if failing[i] and not any(failing[j] for j in sets[positions[i]][1:])]
    if not breaking:
        return
    for i in promises:
        yield i, tuple(facts[i]["trigger"]), {"related": breaking}


# -- form_reference --------------------------------------------------------------------------------


def index_form_reference(doc: Document, params: NoParams) -> dict[str, Any] | None:
    return _identity(doc) if doc.kind == KIND else None


@repository_check("form_reference", NoParams, index=index_form_reference, index_kinds=lambda params: {KIND})
def form_reference(facts: Sequence[Facts], params: NoParams, ctx: Context) -> Iterator[RepoHit]:
    """Each intake form's `supplements` must name another intake form of the project: a path relative to
    the form's file, or a form's `id` (a FHIR Questionnaire's `id` or `url`). One finding at `supplements`
    for each that names none.
    """
    for i, target in enumerate(_resolve(facts)):
        if target is None and "supplements" in facts[i]:
            yield i, tuple(facts[i]["supplements_at"])
