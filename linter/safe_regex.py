"""Vetting of regular expressions that come from rule files.

Python's `re` has no timeout, so a pattern prone to catastrophic backtracking could hang a run on a
crafted value. Rule patterns are therefore vetted when the rule is loaded: they must compile, stay
short, and contain no quantified group that itself holds a quantifier (``(a+)+``, ``(a|aa)*``), the
shape behind exponential backtracking. Values matched are also capped in length by the loader.
"""

from __future__ import annotations

import re
import sys
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
        compiled = re.compile(pattern, re.IGNORECASE)
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise RegexRejected(f"does not compile ({exc})") from None
    if _nested_repeat(parsed, inside_repeat=False):
        raise RegexRejected("a repeated group contains another repetition, which can take exponential time; "
                            "simplify it (for example, (a+)+ to a+)")
    return compiled


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
