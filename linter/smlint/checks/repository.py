"""Checks that join artifacts across a project.

Each side of a join is a selector: a `kind`, an optional `when` condition, and for some checks an
`at` (where a finding points) or a `path` (which values to compare). A join works in two halves, so that
documents need not be kept, nor read again, to be joined:

- `index_*` runs on each document once and returns the *facts* the join needs from it: whether it
  matches each selector, where a finding would point (field name, pointer and span, never a value), and
  for `member_of` and `compare` the reference values (digests of texts, numbers). The facts of a project's
  files are cached (`smlint.cache`); they hold no text from the files but field names and pointers.
- the check itself runs on the facts of every document of a project and yields `(i, place)`: a finding
  for the i-th document at `place`.

Joins build a set from one side and probe it from the other, so the cost grows with the number of
documents, not with their pairs.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any

from smlint.checks.artifact import choose_at, field_name
from smlint.checks.base import Context, Place, repository_check
from smlint.checks.conditions import Condition, Verdict
from smlint.checks.params import (
    BOOLEAN,
    CONDITIONS,
    SELECTOR,
    SELECTOR_WITH_PATH,
    UNKNOWN,
    Selector,
    enum,
    param,
    rule_param,
)
from smlint.document import Document, resolve
from smlint.records import record
from smlint.redact import FIELD_LIKE, redact_pointer
from smlint.unknowns import top_pointer

Facts = Mapping[str, Any]  # one document's facts for one rule (JSON-able)
# field name, source pointer (redacted), line, column, end line, end column; for a prose policy also where the
# clause stands as people find it (heading path, Word paragraph or table row: `Document.label`, scrubbed)
RepoHit = tuple[int, Place] | tuple[int, Place, Mapping[str, Any]]  # with extras: `missing`, `related`


def place(doc: Document, pointer: str) -> Place:
    """Where a finding at `pointer` in `doc` points, without any value of the document."""
    span, _ = doc.locate(pointer)
    name = field_name(pointer)
    # the same fields recur in every file: one string each (index entries are held for the whole run)
    spot = (sys.intern(name) if FIELD_LIKE.fullmatch(name) else "field",
            sys.intern(redact_pointer(doc.source_pointer(pointer))), span.line, span.column, span.end_line,
            span.end_column)
    label = doc.label(pointer) if doc.labels else ""
    return (*spot, label) if label else spot


def selector_kinds(params: Any) -> set[str]:
    """The kinds the selectors of a rule's parameters name: the only documents the index of a check whose
    facts all come from `Selector.matches` gives facts for (`CheckSpec.index_kinds`)."""
    values = (getattr(params, field.name) for field in fields(params))
    return {value.kind for value in values if isinstance(value, Selector)}


def _at(doc: Document, at: str | Sequence[str]) -> Place:
    return place(doc, choose_at(doc.data, at))


def digest(value: Any, ignore_case: bool) -> str:
    """A value to compare, as a digest: texts ignore surrounding spaces (and case unless told); numbers
    compare as numbers (1, 1.0 and true are one value, as in a Python set)."""
    if isinstance(value, str):
        text = value.strip()
        token = "s:" + (text.casefold() if ignore_case else text)
    elif isinstance(value, float) and not value.is_integer():
        token = "n:" + repr(value)
    else:
        token = "n:" + repr(int(value))
    return hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=12, person=b"smlint-join").hexdigest()


def _items(doc: Document, path: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) for each value at `path`, list items one by one; only texts and numbers."""
    for pointer, value in resolve(doc.data, path):
        items = [(f"{pointer}/{i}", v) for i, v in enumerate(value)] if isinstance(value, list) else [(pointer, value)]
        for item_pointer, item in items:
            if isinstance(item, (str, int, float)):
                yield item_pointer, item


def _recorded(doc: Document, path: str) -> str | None:
    """Where the document records the values at `path` (the part before any `*`, e.g. the list of licences),
    or None when it does not record them at all."""
    root = path.split("/*", 1)[0]
    found = next(iter(resolve(doc.data, root)), None) if root else ("", doc.data)
    return None if found is None else found[0]


def _list_of(pointer: str) -> str:
    """The list a list item's pointer stands in (a reference list is named, not its first item)."""
    head, _, last = pointer.rpartition("/")
    return head if last.isdigit() else pointer


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- requires_any ------------------------------------------------------------------------------------


@record
class RequiresAnyParams:
    """The parameters of the `requires_any` check (a rule's `check:`)."""
    trigger: Selector = param(SELECTOR, "Documents that need a partner: each one matched is a finding when no "
                                        "document matches `require`.")
    require: Selector = param(SELECTOR, "The partner at least one document of the project must match.")


def index_requires_any(doc: Document, params: RequiresAnyParams) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    if params.trigger.matches(doc.kind, doc.data):
        facts["trigger"] = _at(doc, params.trigger.at if params.trigger.at is not None else "")
    if params.require.matches(doc.kind, doc.data):
        facts["require"] = True
    return facts or None


@repository_check("requires_any", RequiresAnyParams, index=index_requires_any, index_kinds=selector_kinds)
def requires_any(facts: Sequence[Facts], params: RequiresAnyParams, ctx: Context) -> Iterator[RepoHit]:
    """If any document matches `trigger`, at least one document must match `require`.

    Each triggering document gets a finding at `trigger.at` (default: the document itself).
    Example: a texting vendor handles client data, so some intake form needs a texting-consent clause.
    """
    if any("require" in f for f in facts):
        return
    for i, f in enumerate(facts):
        if "trigger" in f:
            yield i, f["trigger"]


# -- all_satisfy -------------------------------------------------------------------------------------


@record
class AllSatisfyParams:
    """The parameters of the `all_satisfy` check (a rule's `check:`)."""
    target: Selector = param(SELECTOR, "The documents that must each satisfy `expect`; a finding at `target.at` in "
                                       "each that does not.")
    expect: Condition = param(CONDITIONS, "Condition every target document must meet.")
    trigger: Selector | None = param(SELECTOR, "When given, the check runs only while some document matches it "
                                               "(e.g. the policy's promise).", None)
    unknown: str = rule_param(UNKNOWN, "The rule's `unknown:` handling.", "report")


def index_all_satisfy(doc: Document, params: AllSatisfyParams) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    trigger = params.trigger
    if trigger is not None and trigger.matches(doc.kind, doc.data):
        expect = trigger.expect
        judged = expect.judge(doc.data) if expect is not None else None
        if judged is None or judged.verdict is Verdict.FALSE:
            facts["trigger"] = _at(doc, trigger.at or top_pointer(doc.data))
        elif judged.verdict is Verdict.UNKNOWN:
            assert expect is not None
            facts["trigger_unknown"] = _unknown(doc, judged.missing, not expect(doc.data))
    target = params.target
    if target.matches(doc.kind, doc.data):
        judged = params.expect.judge(doc.data)
        at = target.at if target.at is not None else ""
        if judged.verdict is Verdict.FALSE:
            facts["fails"] = _at(doc, at)
        elif judged.verdict is Verdict.UNKNOWN:
            facts["fails_unknown"] = {**_unknown(doc, judged.missing, not params.expect(doc.data)),
                                      "at": _at(doc, at)}
    return facts or None


def _unknown(doc: Document, missing: Sequence[str], absent_fails: bool) -> dict[str, Any]:
    """What a join needs of a fact `doc` does not record: the paths, whether reading them as absent (the
    two-valued test) fails, and where the document's top stands (for its SM030 finding)."""
    return {"missing": list(missing), "absent_fails": absent_fails, "top": place(doc, top_pointer(doc.data))}


@repository_check("all_satisfy", AllSatisfyParams, index=index_all_satisfy, variables=["related"],
                  judges_facts=True, index_kinds=selector_kinds)
def all_satisfy(facts: Sequence[Facts], params: AllSatisfyParams, ctx: Context) -> Iterator[RepoHit]:
    """Every document matching `target` must satisfy `expect`, but only while some document matches
    `trigger` (when a trigger is given). Findings point at `target.at` in each failing target.

    A trigger may carry its own `expect`: then a document matching the trigger's `when` triggers only
    when that fact is recorded false. Facts are judged on three values (see `conditions.judge`); what is
    not recorded follows the rule's `unknown` handling: `report` asks the document that leaves it out
    (its SM030 finding) when the answer would matter, `violation` reads it as the test is written.

    Example: the policy promises encryption in transit, so every vendor handling client data must
    encrypt in transit. Variables: `field`, and `related` (the names of the documents that triggered it).
    """
    mode = params.unknown
    absent_counts = mode == "violation"
    triggers = [i for i, f in enumerate(facts) if "trigger" in f
                or (absent_counts and f.get("trigger_unknown", {}).get("absent_fails"))]
    if params.trigger is not None and not triggers:
        if mode == "report" and any("fails" in f for f in facts):  # an unrecorded fact would decide it
            for i, f in enumerate(facts):
                if "trigger_unknown" in f:
                    yield i, tuple(f["trigger_unknown"]["top"]), {"missing": f["trigger_unknown"]["missing"]}
        return
    related = [(j, tuple(facts[j]["trigger"] if "trigger" in facts[j] else facts[j]["trigger_unknown"]["top"]))
               for j in triggers]
    for i, f in enumerate(facts):
        if "fails" in f or (absent_counts and f.get("fails_unknown", {}).get("absent_fails")):
            yield i, tuple(f["fails"] if "fails" in f else f["fails_unknown"]["at"]), {"related": related}
        elif mode == "report" and "fails_unknown" in f:
            yield i, tuple(f["fails_unknown"]["top"]), {"missing": f["fails_unknown"]["missing"]}


# -- member_of ---------------------------------------------------------------------------------------


@record
class MemberOfParams:
    """The parameters of the `member_of` check (a rule's `check:`)."""
    source: Selector = param(SELECTOR_WITH_PATH, "Documents and the value (`path`) that must appear among the "
                                                 "reference values.")
    reference: Selector = param(SELECTOR_WITH_PATH, "Documents and the values (`path`) the source values are looked "
                                                    "up in; without any, see `without_reference`.")
    ignore_case: bool = param(BOOLEAN, "Compare text ignoring case and surrounding spaces (default true).", True)
    without_reference: str = param(enum("skip", "report"), "When no document matches `reference`: skip the rule "
                                                           "(the default; another rule reports the missing "
                                                           "artifact), or report every source value.", "skip")
    unknown: str = rule_param(UNKNOWN, "The rule's `unknown:` handling, for a reference document that does not "
                                       "record its values at all.", "report")


def _path(selector: Selector) -> str:
    assert selector.path is not None  # SELECTOR_WITH_PATH: a rule without it does not load
    return selector.path


def index_member_of(doc: Document, params: MemberOfParams) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    ignore_case = params.ignore_case
    reference = params.reference
    if reference.matches(doc.kind, doc.data):
        recorded = _recorded(doc, _path(reference))
        if recorded is None:  # absent is not an empty list: the document does not say
            facts["reference_unknown"] = _unknown(doc, [_path(reference).split("/*", 1)[0]], True)
        else:
            items = list(_items(doc, _path(reference)))
            facts["reference"] = sorted({digest(v, ignore_case) for _, v in items})
            facts["reference_at"] = place(doc, _list_of(items[0][0]) if items else recorded)
    source = params.source
    if source.matches(doc.kind, doc.data):
        facts["source"] = [(place(doc, p), digest(v, ignore_case)) for p, v in _items(doc, _path(source))]
    return facts or None


@repository_check("member_of", MemberOfParams, index=index_member_of, judges_facts=True,
                  index_kinds=selector_kinds)
def member_of(facts: Sequence[Facts], params: MemberOfParams, ctx: Context) -> Iterator[RepoHit]:
    """Every value at `source.path` must appear among the values at `reference.path`, gathered from
    all documents matching `reference`.

    Lists are compared item by item; text ignores case and
    surrounding spaces unless `ignore_case: false`. Skipped when no document matches `reference`
    (another rule reports a missing policy), unless `without_reference: report`: then every source
    value is reported (a tracker's vendor needs a vendor file with a BAA, and none has one). A reference
    document that does not record the values at all (no `approved_vendors` in the policy) is not an empty
    list: a value found in no recorded list then follows the rule's `unknown` handling (`report`, the
    default: that document's SM030 finding asks for the list; `violation`: the value is reported).

    Example: each intake form must acknowledge a policy version that exists.
    """
    references = [f["reference"] for f in facts if "reference" in f]
    unrecorded = [i for i, f in enumerate(facts) if "reference_unknown" in f]
    if not references and not unrecorded and params.without_reference != "report":
        return
    known = {value for values in references for value in values}
    related = [(j, tuple(f["reference_at"])) for j, f in enumerate(facts) if "reference_at" in f]
    asked = False
    for i, f in enumerate(facts):
        for where, value in f.get("source", ()):
            if value in known:
                continue
            if not unrecorded or params.unknown == "violation":
                yield i, tuple(where), {"related": [r for r in related if r[0] != i]}
            elif params.unknown == "report" and not asked:  # an unrecorded list might hold it: ask for the list
                asked = True
                for j in unrecorded:
                    unknown = facts[j]["reference_unknown"]
                    yield j, tuple(unknown["top"]), {"missing": unknown["missing"]}


# -- compare -----------------------------------------------------------------------------------------


@record
class CompareParams:
    """The parameters of the `compare` check (a rule's `check:`)."""
    source: Selector = param(SELECTOR_WITH_PATH, "Documents and the number (`path`) to compare; findings point at "
                                                 "it.")
    reference: Selector = param(SELECTOR_WITH_PATH, "Documents and the number (`path`) it is compared with; with "
                                                    "several, the strictest counts.")
    op: str = param(enum("lte", "gte"), "lte: the source must be at most the reference; gte: at least.")


def index_compare(doc: Document, params: CompareParams) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    reference = params.reference
    if reference.matches(doc.kind, doc.data):
        numbers = [(p, v) for p, v in resolve(doc.data, _path(reference)) if _number(v)]
        facts["reference"] = [v for _, v in numbers]
        if numbers:
            facts["reference_at"] = place(doc, numbers[0][0])
    source = params.source
    if source.matches(doc.kind, doc.data):
        facts["source"] = [(place(doc, p), v) for p, v in resolve(doc.data, _path(source)) if _number(v)]
    return facts or None


@repository_check("compare", CompareParams, index=index_compare, index_kinds=selector_kinds)
def compare(facts: Sequence[Facts], params: CompareParams, ctx: Context) -> Iterator[RepoHit]:
    """Every number at `source.path` must be at most (`op: lte`) or at least (`op: gte`) the number at
    `reference.path` in the documents matching `reference`; with several, the strictest one counts.

    Skipped when no reference holds a number. Findings point at the source value.

    Example: Zoom deletes cloud recordings after more days than the policy allows.
    """
    bounds = [value for f in facts for value in f.get("reference", ())]
    if not bounds:
        return
    at_most = params.op == "lte"
    bound = min(bounds) if at_most else max(bounds)
    related = [(j, tuple(f["reference_at"])) for j, f in enumerate(facts) if "reference_at" in f]
    for i, f in enumerate(facts):
        for where, value in f.get("source", ()):
            if value > bound if at_most else value < bound:
                yield i, tuple(where), {"related": [r for r in related if r[0] != i]}
