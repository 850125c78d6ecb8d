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
from typing import Any

from smlint.checks import Context
from smlint.checks.artifact import choose_at, field_name
from smlint.checks.conditions import Verdict, holds, judge
from smlint.document import Document, resolve
from smlint.redact import FIELD_LIKE, redact_pointer
from smlint.unknowns import top_pointer

Facts = Mapping[str, Any]  # one document's facts for one rule (JSON-able)
# field name, source pointer (redacted), line, column, end line, end column; for a prose policy also where the
# clause stands as people find it (heading path, Word paragraph or table row: `Document.label`, scrubbed)
Place = tuple[str, str, int, int, int, int] | tuple[str, str, int, int, int, int, str]
RepoHit = tuple[int, Place] | tuple[int, Place, Mapping[str, Any]]  # with extras: `missing`, `related`


def _matches(doc: Document, selector: Mapping[str, Any]) -> bool:
    return doc.kind == selector["kind"] and holds(selector.get("when"), doc.data)


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


def _at(doc: Document, at: str | list[str]) -> Place:
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


def _list_of(pointer: str) -> str:
    """The list a list item's pointer stands in (a reference list is named, not its first item)."""
    head, _, last = pointer.rpartition("/")
    return head if last.isdigit() else pointer


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- requires_any ------------------------------------------------------------------------------------


def index_requires_any(doc: Document, params: Mapping[str, Any]) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    if _matches(doc, params["trigger"]):
        facts["trigger"] = _at(doc, params["trigger"].get("at", ""))
    if _matches(doc, params["require"]):
        facts["require"] = True
    return facts or None


def requires_any(facts: Sequence[Facts], params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """If any document matches `trigger`, at least one document must match `require`.

    Each triggering document gets a finding at `trigger.at` (default: the document itself).
    Example: a texting vendor handles client data, so some intake form needs a texting-consent clause.
    Variables: `field`.
    """
    if any("require" in f for f in facts):
        return
    for i, f in enumerate(facts):
        if "trigger" in f:
            yield i, f["trigger"]


# -- all_satisfy -------------------------------------------------------------------------------------


def index_all_satisfy(doc: Document, params: Mapping[str, Any]) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    trigger = params.get("trigger")
    if trigger is not None and _matches(doc, trigger):
        judged = judge(trigger.get("expect"), doc.data)
        if judged.verdict is Verdict.FALSE or "expect" not in trigger:
            facts["trigger"] = _at(doc, trigger.get("at") or top_pointer(doc.data))
        elif judged.verdict is Verdict.UNKNOWN:
            facts["trigger_unknown"] = _unknown(doc, judged.missing, not holds(trigger["expect"], doc.data))
    target = params["target"]
    if _matches(doc, target):
        judged = judge(params["expect"], doc.data)
        if judged.verdict is Verdict.FALSE:
            facts["fails"] = _at(doc, target.get("at", ""))
        elif judged.verdict is Verdict.UNKNOWN:
            facts["fails_unknown"] = {**_unknown(doc, judged.missing, not holds(params["expect"], doc.data)),
                                      "at": _at(doc, target.get("at", ""))}
    return facts or None


def _unknown(doc: Document, missing: Sequence[str], absent_fails: bool) -> dict[str, Any]:
    """What a join needs of a fact `doc` does not record: the paths, whether reading them as absent (the
    two-valued test) fails, and where the document's top stands (for its SM030 finding)."""
    return {"missing": list(missing), "absent_fails": absent_fails, "top": place(doc, top_pointer(doc.data))}


def all_satisfy(facts: Sequence[Facts], params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """Every document matching `target` must satisfy `expect`, but only while some document matches
    `trigger` (when a trigger is given). Findings point at `target.at` in each failing target.

    A trigger may carry its own `expect`: then a document matching the trigger's `when` triggers only
    when that fact is recorded false. Facts are judged on three values (see `conditions.judge`); what is
    not recorded follows the rule's `unknown` handling: `report` asks the document that leaves it out
    (its SM030 finding) when the answer would matter, `violation` reads it as the test is written.

    Example: the policy promises encryption in transit, so every vendor handling client data must
    encrypt in transit. Variables: `field`.
    """
    mode = params.get("unknown", "report")
    absent_counts = mode == "violation"
    triggers = [i for i, f in enumerate(facts) if "trigger" in f
                or (absent_counts and f.get("trigger_unknown", {}).get("absent_fails"))]
    if params.get("trigger") is not None and not triggers:
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


def index_member_of(doc: Document, params: Mapping[str, Any]) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    ignore_case = params.get("ignore_case", True)
    reference = params["reference"]
    if _matches(doc, reference):
        items = list(_items(doc, reference["path"]))
        facts["reference"] = sorted({digest(v, ignore_case) for _, v in items})
        facts["reference_at"] = place(doc, _list_of(items[0][0]) if items else top_pointer(doc.data))
    source = params["source"]
    if _matches(doc, source):
        facts["source"] = [(place(doc, p), digest(v, ignore_case)) for p, v in _items(doc, source["path"])]
    return facts or None


def member_of(facts: Sequence[Facts], params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """Every value at `source.path` must appear among the values at `reference.path`, gathered from
    all documents matching `reference`. Lists are compared item by item; text ignores case and
    surrounding spaces unless `ignore_case: false`. Skipped when no document matches `reference`
    (another rule reports a missing policy), unless `without_reference: report`: then every source
    value is reported (a tracker's vendor needs a vendor file with a BAA, and none has one).

    Example: each intake form must acknowledge a policy version that exists. Variables: `field`.
    """
    references = [f["reference"] for f in facts if "reference" in f]
    if not references and params.get("without_reference", "skip") != "report":
        return
    known = {value for values in references for value in values}
    related = [(j, tuple(f["reference_at"])) for j, f in enumerate(facts) if "reference_at" in f]
    for i, f in enumerate(facts):
        for where, value in f.get("source", ()):
            if value not in known:
                yield i, tuple(where), {"related": [r for r in related if r[0] != i]}


# -- compare -----------------------------------------------------------------------------------------


def index_compare(doc: Document, params: Mapping[str, Any]) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    reference = params["reference"]
    if _matches(doc, reference):
        numbers = [(p, v) for p, v in resolve(doc.data, reference["path"]) if _number(v)]
        facts["reference"] = [v for _, v in numbers]
        if numbers:
            facts["reference_at"] = place(doc, numbers[0][0])
    source = params["source"]
    if _matches(doc, source):
        facts["source"] = [(place(doc, p), v) for p, v in resolve(doc.data, source["path"]) if _number(v)]
    return facts or None


def compare(facts: Sequence[Facts], params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """Every number at `source.path` must be at most (`op: lte`) or at least (`op: gte`) the number at
    `reference.path` in the documents matching `reference`; with several, the strictest one counts.
    Skipped when no reference holds a number. Findings point at the source value.

    Example: Zoom deletes cloud recordings after more days than the policy allows. Variables: `field`.
    """
    bounds = [value for f in facts for value in f.get("reference", ())]
    if not bounds:
        return
    at_most = params["op"] == "lte"
    bound = min(bounds) if at_most else max(bounds)
    related = [(j, tuple(f["reference_at"])) for j, f in enumerate(facts) if "reference_at" in f]
    for i, f in enumerate(facts):
        for where, value in f.get("source", ()):
            if value > bound if at_most else value < bound:
                yield i, tuple(where), {"related": [r for r in related if r[0] != i]}
