"""Rule patterns run on RE2 (linear time in the text, whatever the pattern): known catastrophic patterns
are either refused when the rule is loaded (what RE2 cannot express: backreferences, lookaround) or
compiled by RE2 and run on a 50,000-character adversarial text. No timing is asserted: RE2's guarantee
is, and the test asserts that the compiled object is RE2's, never Python's `re`."""

from __future__ import annotations

import re

import pytest

from smlint.checks.conditions import compile_regex
from smlint.safe_regex import RegexRejected, vet_regex

CATASTROPHIC = [
    r"^(a|a)*$", r"(a+)+$", r"(a*)*$", r"(a|aa)+$", r"(a|a?)+$", r"^(a+)+b", r"(\w+\s?)+!", r"^(\w+)*$",
    r"(.*a){12}", r"^(a?){25}a{25}$", r"(x+x+)+y", r"^(([a-z])+.)+[A-Z]([a-z])+$", r"^(a|ab|b)*c",
    r"(\d+)*x", r"^([a-zA-Z0-9]+\s?)*$", r"^(\s*a)*b", r"(.*){1,32000}[bc]", r"^(?:a|a)*b", r"a*a*a*a*a*b",
    r".*.*.*=.*", r"\w+\s*\w+x", r"^(a|a|a|a)*$", r"((a+)+)+b", r"(a{1,10}){1,10}b", r"^(,?\d+)*$",
    r"^([\w.-]+)+@", r"<(\w+\s*)*>", r"(ab|a)*c", r"\bx\w*\w*y", r"^(\w+\s?)*$", r"(\s|\w)+!",
]
UNSUPPORTED = [r"(?=(a+))\1b", r"(a+)\1", r"^(a+)\1*$", r"(?<=a)b", r"(?!a)b", r"(?<!x)(a|a)*y"]
ADVERSARIAL = ("a" * 50_000, "a" * 49_999 + "!", "x" * 50_000, " a" * 25_000, "1" * 50_000)


def test_there_are_at_least_thirty_known_catastrophic_patterns() -> None:
    assert len(set(CATASTROPHIC + UNSUPPORTED)) >= 30
    assert {r"^(a|a)*$", r"(?=(a+))\1b", r"(a+)+$", r"(\w+\s?)+!"} <= set(CATASTROPHIC + UNSUPPORTED)


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_refused_or_compile_to_re2_and_run_on_long_text(pattern: str) -> None:
    try:
        compiled = vet_regex(pattern)
    except RegexRejected as exc:  # RE2 refuses some outright (a repetition over 1,000, say): also safe
        assert str(exc).startswith("RE2, smlint's linear-time engine, cannot run it (")
        return
    assert type(compiled).__module__ == "re2" and not isinstance(compiled, re.Pattern)
    for text in ADVERSARIAL:
        compiled.search(text)  # linear in the text: RE2 never backtracks


@pytest.mark.parametrize("pattern", UNSUPPORTED)
def test_what_re2_cannot_run_is_refused(pattern: str) -> None:
    with pytest.raises(RegexRejected, match=r"^RE2, smlint's linear-time engine, cannot run it \("):
        vet_regex(pattern)


@pytest.mark.parametrize(("pattern", "text", "found"), [
    (r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", "texting-consent-2", True),
    (r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", "Texting consent", False),
    (r"\b988\b|\d{3}[-. )]+\d{3}[-. ]\d{4}", "call or text 988", True),
    (r"therap", "THERAPY LLC", True),  # case-insensitive, as before
])
def test_benign_patterns_are_accepted_and_match_as_before(pattern: str, text: str, found: bool) -> None:
    assert (compile_regex(pattern).search(text) is not None) is found
    assert (re.search(pattern, text, re.IGNORECASE) is not None) is found
