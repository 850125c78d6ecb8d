"""Vetting of regular expressions that come from rule files.

Python's `re` has no timeout, so a pattern prone to catastrophic backtracking could hang a run on a
crafted value. Rule patterns are therefore vetted when the rule is loaded: they must compile, stay
short, and contain none of the shapes behind super-linear backtracking:

- a quantified group that itself holds a quantifier (``(a+)+``, ``(a|aa)*``): exponential;
- two unbounded repetitions of overlapping characters with nothing between them that the first could
  not swallow (``a*a*b``, ``\\w+\\s*\\w+x``, ``.*x.*y``): polynomial;
- an unbounded repetition at the very start (``\\w+\\s+days``), which `search` retries at every
  position: quadratic; ``\\b``, ``^`` or a literal first avoids it.

Character classes are compared on a set of probe characters (ASCII and a few others), so the check is
an approximation; text values are also capped in length by the loader (`Limits.max_value_chars`), which
bounds what any remaining pattern can cost.
"""

from __future__ import annotations

import re
import sys
import warnings
from typing import Any

if sys.version_info >= (3, 11):
    import re._parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

MAX_PATTERN_LENGTH = 500
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class RegexRejected(ValueError):
    pass


def vet_regex(pattern: str) -> re.Pattern[str]:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RegexRejected(f"longer than {MAX_PATTERN_LENGTH} characters")
    try:
        with warnings.catch_warnings():  # re's FutureWarnings about odd sets are not the user's business here
            warnings.simplefilter("ignore")
            compiled = re.compile(pattern, re.IGNORECASE)
            parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise RegexRejected(f"does not compile ({exc})") from None
    if _nested_repeat(parsed, inside_repeat=False):
        raise RegexRejected("a repeated group contains another repetition, which can take exponential time; "
                            "simplify it (for example, (a+)+ to a+)")
    items: list[Any] = [parsed[i] for i in range(len(parsed))]
    if _leading_repeat(items):
        raise RegexRejected("it starts with an unbounded repetition, which is retried at every position of a "
                            "long text; start it with a literal, ^ or \\b (for example, \\b\\d+ days)")
    if _ambiguous_sequence(items):
        raise RegexRejected("two unbounded repetitions can match the same characters one after the other "
                            "(as in \\w+\\s*\\w+ or .*x.*), which takes polynomial time on long texts; "
                            "separate them with something the first cannot match")
    return compiled


# --- polynomial shapes: a leading unbounded repeat, and two ambiguous unbounded repeats in a row ---

_PROBES = [chr(c) for c in range(32, 127)] + ["\n", "\t", "é", "ß", "中", "\u00a0"]
_ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}


def _unbounded(item: Any) -> Any:
    """The body of an unbounded repeat of one character class, else None."""
    op, arg = item
    if str(op) in _REPEATS and arg[1] == sre_parse.MAXREPEAT and len(arg[2]) == 1 and _chars(arg[2][0]) is not None:
        return arg[2][0]
    return None


def _leading_repeat(items: list[Any]) -> bool:
    for item in items:
        op = str(item[0])
        if op == "AT":  # ^, \\A and \\b pin where a match may start
            return False
        if op in ("ASSERT", "ASSERT_NOT"):
            continue
        return _unbounded(item) is not None
    return False


def _chars(item: Any) -> frozenset[str] | None:
    """The probe characters one single-character item matches (None when it is not one character)."""
    matched = [c for c in _PROBES if _match_one(item, c)]
    return frozenset(matched) if _single(item) else None


def _single(item: Any) -> bool:
    return str(item[0]) in ("LITERAL", "NOT_LITERAL", "ANY", "IN", "CATEGORY")


def _match_one(item: Any, ch: str) -> bool:
    op, arg = str(item[0]), item[1]
    if op == "LITERAL":
        return ch.casefold() == chr(arg).casefold()
    if op == "NOT_LITERAL":
        return ch.casefold() != chr(arg).casefold()
    if op == "ANY":
        return ch != "\n"
    if op == "CATEGORY":
        return _category(str(arg), ch)
    if op == "IN":
        negate = bool(arg) and str(arg[0][0]) == "NEGATE"
        hit = any(_in_item(sub, ch) for sub in (arg[1:] if negate else arg))
        return hit != negate
    return False


def _in_item(sub: Any, ch: str) -> bool:
    op, arg = str(sub[0]), sub[1]
    if op == "RANGE":
        return any(arg[0] <= ord(c) <= arg[1] for c in {ch, ch.lower(), ch.upper()} if len(c) == 1)
    return _match_one(sub, ch)


def _category(name: str, ch: str) -> bool:
    tests = {"DIGIT": ch.isdigit(), "SPACE": ch.isspace(), "WORD": ch.isalnum() or ch == "_"}
    for key, value in tests.items():
        if name == f"CATEGORY_{key}":
            return value
        if name == f"CATEGORY_NOT_{key}":
            return not value
    return True


def _ambiguous_sequence(items: list[Any]) -> bool:
    """Two unbounded single-class repeats in one sequence, where everything between them could be eaten by
    the first and the second shares characters with it; also searched inside groups and branches."""
    for index, item in enumerate(items):
        body = _unbounded(item)
        if body is not None and _ambiguous_after(_chars(body) or frozenset(), items[index + 1:]):
            return True
        if any(_ambiguous_sequence(list(sub)) for sub in _subsequences(item)):
            return True
    return False


def _ambiguous_after(first: frozenset[str], rest: list[Any]) -> bool:
    for item in rest:
        body = _unbounded(item)
        if body is not None:
            return bool(first & (_chars(body) or frozenset()))
        if str(item[0]) in _ZERO_WIDTH:
            continue
        if str(item[0]) in _REPEATS and item[1][0] == 0:  # optional: skipped over
            continue
        chars = _chars(item)
        if chars is None or not chars & first:  # a separator the first repeat cannot swallow
            return False
    return False


def _subsequences(item: Any) -> list[Any]:
    op, arg = str(item[0]), item[1]
    if op == "SUBPATTERN":
        return [arg[-1]]
    if op == "BRANCH":
        return list(arg[1])
    if op in _REPEATS:
        return [arg[2]]
    if op in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    return []


def _nested_repeat(items: Any, inside_repeat: bool) -> bool:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            _, max_count, body = arg
            if inside_repeat:
                return True
            if max_count > 1 and _nested_repeat(body, inside_repeat=True):
                return True
        elif name == "SUBPATTERN":
            if _nested_repeat(arg[-1], inside_repeat):
                return True
        elif name == "BRANCH":
            branches = arg[1]
            if inside_repeat and len(branches) > 1 and any(len(b) for b in branches):
                return True
            if any(_nested_repeat(b, inside_repeat) for b in branches):
                return True
    return False
