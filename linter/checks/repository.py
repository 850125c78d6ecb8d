"""Checks that join artifacts across the repository.

Each side of a join is a selector: a `kind`, an optional `when` condition, and for some checks an
`at` (where a finding points) or a `path` (which values to compare). Joins build a set from one side
and probe it from the other, so the cost grows with the number of documents, not with their pairs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from smlint.checks import Context, Hit, RepoHit, Repository
from smlint.checks.artifact import choose_at, field_name
from smlint.checks.conditions import holds
from smlint.document import Document, resolve


def _select(repo: Repository, selector: Mapping[str, Any]) -> list[Document]:
    when = selector.get("when")
    return [doc for doc in repo.of(selector["kind"]) if holds(when, doc.data)]


def _hit(doc: Document, at: str | list[str]) -> RepoHit:
    pointer = choose_at(doc.data, at)
    return RepoHit(doc, Hit(pointer, {"field": field_name(pointer)}))


def requires_any(repo: Repository, params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """If any document matches `trigger`, at least one document must match `require`.

    Each triggering document gets a finding at `trigger.at` (default: the document itself).
    Example: a texting vendor handles client data, so some intake form needs a texting-consent clause.
    Variables: `field`.
    """
    triggers = _select(repo, params["trigger"])
    if not triggers or _select(repo, params["require"]):
        return
    at = params["trigger"].get("at", "")
    for doc in triggers:
        yield _hit(doc, at)


def all_satisfy(repo: Repository, params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """Every document matching `target` must satisfy `expect`, but only while some document matches
    `trigger` (when a trigger is given). Findings point at `target.at` in each failing target.

    Example: the policy promises encryption in transit, so every vendor handling client data must
    encrypt in transit. Variables: `field`.
    """
    trigger = params.get("trigger")
    if trigger is not None and not _select(repo, trigger):
        return
    target = params["target"]
    at = target.get("at", "")
    for doc in _select(repo, target):
        if not holds(params["expect"], doc.data):
            yield _hit(doc, at)


def _key(value: Any, ignore_case: bool) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return text.casefold() if ignore_case else text
    return value


def member_of(repo: Repository, params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """Every value at `source.path` must appear among the values at `reference.path`, gathered from
    all documents matching `reference`. Lists are compared item by item; text ignores case and
    surrounding spaces unless `ignore_case: false`. Skipped when no document matches `reference`
    (another rule reports a missing policy).

    Example: each intake form must acknowledge a policy version that exists. Variables: `field`.
    """
    references = _select(repo, params["reference"])
    if not references:
        return
    ignore_case = params.get("ignore_case", True)
    known = {
        _key(item, ignore_case)
        for doc in references
        for _, value in resolve(doc.data, params["reference"]["path"])
        for item in (value if isinstance(value, list) else [value])
        if isinstance(item, (str, int, float))
    }
    for doc in _select(repo, params["source"]):
        for pointer, value in resolve(doc.data, params["source"]["path"]):
            items = [(f"{pointer}/{i}", v) for i, v in enumerate(value)] if isinstance(value, list) else [
                (pointer, value)]
            for item_pointer, item in items:
                if isinstance(item, (str, int, float)) and _key(item, ignore_case) not in known:
                    yield _hit(doc, item_pointer)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def compare(repo: Repository, params: Mapping[str, Any], ctx: Context) -> Iterator[RepoHit]:
    """Every number at `source.path` must be at most (`op: lte`) or at least (`op: gte`) the number at
    `reference.path` in the documents matching `reference`; with several, the strictest one counts.
    Skipped when no reference holds a number. Findings point at the source value.

    Example: Zoom deletes cloud recordings after more days than the policy allows. Variables: `field`.
    """
    bounds = [value for doc in _select(repo, params["reference"])
              for _, value in resolve(doc.data, params["reference"]["path"]) if _number(value)]
    if not bounds:
        return
    at_most = params["op"] == "lte"
    bound = min(bounds) if at_most else max(bounds)
    for doc in _select(repo, params["source"]):
        for pointer, value in resolve(doc.data, params["source"]["path"]):
            if _number(value) and (value > bound if at_most else value < bound):
                yield _hit(doc, pointer)
