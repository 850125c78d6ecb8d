"""Regular expressions from rule files run on RE2 (the `google-re2` package), whose matching time is
linear in the length of the text whatever the pattern: no pattern, however written, can backtrack
catastrophically. RE2 has no backreferences and no lookaround; a pattern using them, or one RE2 cannot
parse, is rejected when the rule is loaded (`vet_regex`, exit 2 naming the rule file and line).

`compile_regex` is the one entry point for every pattern a rule gives (`pattern`, `text_matches`, the
`matches` condition); RE2 is imported on first use, so a run whose rules need no regular expression
does not load it. Matching is case-insensitive. RE2's `\\w`, `\\d` and `\\b` are ASCII, as in most
linters' rule languages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Protocol

MAX_PATTERN_LENGTH = 2000


class RegexRejected(ValueError):
    pass


class Compiled(Protocol):
    @property
    def pattern(self) -> str: ...

    def search(self, text: str) -> Any: ...


def vet_regex(pattern: str) -> Compiled:
    """The pattern compiled by RE2, or `RegexRejected` saying why RE2 cannot run it."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RegexRejected(f"longer than {MAX_PATTERN_LENGTH} characters")
    try:
        return compile_regex(pattern)
    except RegexRejected:
        raise
    except Exception as exc:  # re2.error, and TypeError on odd input
        raise RegexRejected(f"RE2, smlint's linear-time engine, cannot run it ({_reason(exc)}); "
                            "backreferences and lookahead/lookbehind are not supported") from None


@cache
def compile_regex(pattern: str) -> Compiled:
    import re2  # lazily: most runs never compile a rule pattern

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print its own message on stderr
    compiled: Compiled = re2.compile(pattern, options)
    return compiled


def compile_set(patterns: list[str]) -> Callable[[str], set[int] | None]:
    """Patterns (each already vetted) searched together, case-insensitively, in one pass: a function from a
    text to the indexes of the patterns that match somewhere in it, or None when RE2 could not tell (its
    set search has no fallback when its memory budget runs out; the caller then tries every pattern). A
    pattern that matches every text is added last, so that an empty answer is never mistaken for a failed
    search."""
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = 64 << 20  # the set's automaton; the default budget is too small for ~100 alternations
    searcher = re2.Set.SearchSet(options)
    for pattern in patterns:
        searcher.Add(pattern)
    sentinel = searcher.Add("")
    searcher.Compile()

    def match(text: str) -> set[int] | None:
        found = searcher.Match(text)
        if not found or sentinel not in found:
            return None
        return set(found) - {sentinel}

    return match


def _reason(exc: Exception) -> str:
    text = exc.args[0] if exc.args else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text)
