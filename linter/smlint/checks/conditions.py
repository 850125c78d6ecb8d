"""The condition language shared by `when` and `expect`.

A condition tests one path: ``{path: /sections/texting/allowed, equals: true}``. A list of conditions,
or ``all:``, means every one holds; ``any:`` means at least one; ``not:`` negates. A path with ``*``
holds when any value it matches passes the test. ``{some: /items/*, where: ...}`` holds when one value
at the path satisfies every condition of `where` (paths relative to that value), so that several tests
must pass on the same list item. Only `exists`, `truthy: false` and the negative
tests (`not_equals`, `not_in`) can hold for a missing path.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from smlint.document import MISSING, getter, has_wildcard, resolve
from smlint.records import record
from smlint.safe_regex import Compiled
from smlint.safe_regex import compile_regex as _rule_regex

Test = Callable[[Any, Any], bool]


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _equals(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) != isinstance(expected, bool):
        return False
    return bool(_norm(value) == _norm(expected))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def truthy(value: Any) -> bool:
    return value is not MISSING and value is not None and value is not False and value not in ("", [], {})


def _contains(value: Any, expected: Any) -> bool:
    return isinstance(value, list) and any(_equals(item, expected) for item in value)


def compile_regex(pattern: str) -> Compiled:
    """A rule's pattern, compiled by RE2 (linear time; `safe_regex.compile_regex`, cached there)."""
    return _rule_regex(pattern)


TESTS: dict[str, Test] = {
    "equals": lambda v, e: v is not MISSING and _equals(v, e),
    "not_equals": lambda v, e: v is MISSING or not _equals(v, e),
    "in": lambda v, e: v is not MISSING and any(_equals(v, x) for x in e),
    "not_in": lambda v, e: v is MISSING or not any(_equals(v, x) for x in e),
    "exists": lambda v, e: (v is not MISSING) == bool(e),
    "truthy": lambda v, e: truthy(v) == bool(e),
    "gte": lambda v, e: _is_number(v) and v >= e,
    "lte": lambda v, e: _is_number(v) and v <= e,
    "contains": _contains,
    "contains_any": lambda v, e: any(_contains(v, x) for x in e),
    "matches": lambda v, e: isinstance(v, str) and compile_regex(e).search(v) is not None,
}


class Condition:
    """A rule's condition (`when`, `expect`, `where`, a selector's `when`) as the rule gives it (`raw`),
    compiled into a predicate once, on first use: calling it is `holds`; `judge` reads it three-valued."""

    __slots__ = ("_predicate", "raw")

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._predicate: Predicate | None = None

    def __call__(self, data: Any) -> bool:
        predicate = self._predicate
        if predicate is None:
            predicate = self._predicate = _compile(self.raw)
        return predicate(data)

    def judge(self, data: Any) -> Judgement:
        return judge(self.raw, data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Condition) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(repr(self.raw))

    def __repr__(self) -> str:
        return f"Condition({self.raw!r})"

    def __reduce__(self) -> tuple[type[Condition], tuple[Any]]:
        # sent to `--jobs` workers where they are spawned (not forked): the raw condition, compiled again there
        return Condition, (self.raw,)


def holds(condition: Any, data: Any) -> bool:
    """Whether a condition, or list of conditions, holds for a document's data."""
    if condition is None:
        return True
    return compiled(condition)(data)


Predicate = Callable[[Any], bool]
_COMPILED: dict[int, tuple[Any, Predicate]] = {}


def compiled(condition: Any) -> Predicate:
    """The condition as a predicate, built once per run: rules test the same conditions in every file.
    Keyed by identity (conditions are dicts); each entry keeps its condition alive so the key stays valid."""
    entry = _COMPILED.get(id(condition))
    if entry is None or entry[0] is not condition:
        if len(_COMPILED) > 50_000:  # only throwaway conditions (tests, examples) could grow it this far
            _COMPILED.clear()
        entry = (condition, _compile(condition))
        _COMPILED[id(condition)] = entry
    return entry[1]


def _compile(condition: Any) -> Predicate:
    if condition is None:
        return lambda data: True
    if not isinstance(condition, dict):  # a dict, the usual case, skips the slower abstract-class checks
        if isinstance(condition, Sequence) and not isinstance(condition, (str, bytes)):
            return _every([_compile(c) for c in condition])
        if not isinstance(condition, Mapping):
            return lambda data: False
    if "all" in condition:
        return _every([_compile(c) for c in condition["all"]])
    if "any" in condition:
        parts = [_compile(c) for c in condition["any"]]
        return lambda data: any(part(data) for part in parts)
    if "not" in condition:
        inner = _compile(condition["not"])
        return lambda data: not inner(data)
    if "some" in condition:
        return _some(condition["some"], _compile(condition.get("where")))
    return _path_test(condition)


def _some(path: str, where: Predicate) -> Predicate:
    return lambda data: any(where(value) for _, value in resolve(data, path))


def _every(parts: list[Predicate]) -> Predicate:
    def every(data: Any) -> bool:
        for part in parts:  # noqa: SIM110 (a loop costs less than all() over a generator)
            if not part(data):
                return False
        return True

    return every


def _path_test(condition: Mapping[str, Any]) -> Predicate:
    op, expected = next((k, v) for k, v in condition.items() if k != "path")
    path = condition["path"]
    if not has_wildcard(path):  # one value or none
        value_at = getter(path)
        check = _specialised(op, expected)
        if check is not None:
            return lambda data: check(value_at(data))
        test = TESTS[op]
        return lambda data: test(value_at(data), expected)
    test = TESTS[op]

    def any_match(data: Any) -> bool:
        matched = False
        for _, value in resolve(data, path):
            if test(value, expected):
                return True
            matched = True
        return not matched and test(MISSING, expected)

    return any_match


def _specialised(op: str, expected: Any) -> Callable[[Any], bool] | None:
    """The commonest tests with their expected value folded in, the same answers as `TESTS` in fewer
    steps (they run for every document and rule); None for the others."""
    if op in ("not_equals", "not_in"):
        positive = _specialised(op[4:], expected)
        return None if positive is None else (lambda v: not positive(v))
    if op == "equals":
        return _equals_to(expected)
    if op == "in" and isinstance(expected, list) and all(isinstance(x, str) for x in expected):
        folded = frozenset(x.casefold() for x in expected)
        return lambda v: isinstance(v, str) and v.casefold() in folded
    if op == "exists":
        present = bool(expected)
        return lambda v: (v is not MISSING) == present
    return None


def _equals_to(expected: Any) -> Callable[[Any], bool] | None:
    if isinstance(expected, bool) or expected is None:
        return lambda v: v is expected
    if isinstance(expected, str):
        folded = expected.casefold()
        return lambda v: isinstance(v, str) and v.casefold() == folded
    return None


def gate(condition: Any) -> tuple[str, Any] | None:
    """A test the whole condition depends on, as (path, key): a top-level `equals` on one path (no
    wildcard) with a text or true/false value. The condition can hold only for data whose `gate_key` at
    that path is that key, so the engine runs a rule gated this way only on documents that pass it."""
    parts = condition if isinstance(condition, list) else condition.get("all") if isinstance(condition, dict) else None
    for part in parts if isinstance(parts, list) else [condition]:
        if isinstance(part, dict) and set(part) == {"path", "equals"} and isinstance(part["path"], str) \
                and not has_wildcard(part["path"]):
            key = gate_key(part["equals"])
            if key is not None:
                return part["path"], key
    return None


def gate_key(value: Any) -> Any:
    """What `equals` compares of a value, for the gates: folded text, or true/false; None for others."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, bool):
        return value
    return None


def leaves(condition: Any) -> list[Mapping[str, Any]]:
    """Every single-path test in a condition, in order, through lists, `all`, `any` and `not`."""
    if isinstance(condition, Sequence) and not isinstance(condition, (str, bytes)):
        return [leaf for c in condition for leaf in leaves(c)]
    if not isinstance(condition, Mapping):
        return []
    if "path" in condition:
        return [condition]
    nested = condition.get("all") or condition.get("any") or ([condition["not"]] if "not" in condition else []) \
        or ([condition["where"]] if "where" in condition else [])
    return leaves(nested)


def regexes_in(condition: Any) -> list[str]:
    """The regular expressions a condition uses (vetted when a rule file is loaded)."""
    return [str(leaf["matches"]) for leaf in leaves(condition) if "matches" in leaf]


# -- three-valued judgement ----------------------------------------------------------------------


class Verdict(enum.Enum):
    """What the files say about a condition: recorded true, recorded false, or not recorded."""

    TRUE = "recorded-true"
    FALSE = "recorded-false"
    UNKNOWN = "not-recorded"


@record
class Judgement:
    """A condition's verdict and, when it is not recorded, the paths whose values were missing."""

    verdict: Verdict
    missing: tuple[str, ...] = ()


_TRUE = Judgement(Verdict.TRUE)
_FALSE = Judgement(Verdict.FALSE)


def judge(condition: Any, data: Any) -> Judgement:
    """A condition judged on three values (Kleene logic). A test on a path that holds no value is *not
    recorded*, whatever the test (only `exists` is decided by absence itself); `all` is false if one part
    is false, else not recorded if one part is, else true; `any` is true if one part is true, else not
    recorded if one part is, else false; `not` swaps true and false. `holds` is the two-valued reading
    (a missing value simply fails or passes its test), used for `when` gates and by rules declaring
    ``unknown: violation``. When the verdict is true or false, `holds` gives the same answer."""
    if condition is None:
        return _TRUE
    if isinstance(condition, Mapping):
        if "all" in condition:
            return _all([judge(c, data) for c in condition["all"]])
        if "any" in condition:
            return _any([judge(c, data) for c in condition["any"]])
        if "not" in condition:
            inner = judge(condition["not"], data)
            return inner if inner.verdict is Verdict.UNKNOWN else (_FALSE if inner.verdict is Verdict.TRUE else _TRUE)
        if "some" in condition:  # a list that is not there is not recorded; its items are matched as written
            found = [value for _, value in resolve(data, condition["some"])]
            if not found:
                return Judgement(Verdict.UNKNOWN, (condition["some"],))
            where = compiled(condition.get("where"))
            return _TRUE if any(where(value) for value in found) else _FALSE
        return _judge_leaf(condition, data)
    if isinstance(condition, Sequence) and not isinstance(condition, (str, bytes)):
        return _all([judge(c, data) for c in condition])
    return _FALSE


def _judge_leaf(condition: Mapping[str, Any], data: Any) -> Judgement:
    op, expected = next((k, v) for k, v in condition.items() if k != "path")
    path = condition["path"]
    test = TESTS[op]
    values = [value for _, value in resolve(data, path)]
    if not values:
        if op == "exists":
            return _TRUE if test(MISSING, expected) else _FALSE
        return Judgement(Verdict.UNKNOWN, (path,))
    return _TRUE if any(test(value, expected) for value in values) else _FALSE


def _all(parts: list[Judgement]) -> Judgement:
    if any(p.verdict is Verdict.FALSE for p in parts):
        return _FALSE
    missing = _missing(parts)
    return Judgement(Verdict.UNKNOWN, missing) if missing else _TRUE


def _any(parts: list[Judgement]) -> Judgement:
    if any(p.verdict is Verdict.TRUE for p in parts):
        return _TRUE
    missing = _missing(parts)
    return Judgement(Verdict.UNKNOWN, missing) if missing else _FALSE


def _missing(parts: list[Judgement]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for part in parts if part.verdict is Verdict.UNKNOWN for p in part.missing))
