"""The directive parser, comment detection and fingerprints (linter/smlint/suppress.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smlint.loader import load_text
from smlint.model import Finding, Severity
from smlint.suppress import Directive, fingerprints, parse_directive, scan

FORMAT_HELP = ("write it as '# smlint: disable=SM301 -- reason' (or disable-file=...), optionally with "
               "until=YYYY-MM-DD before the '--'")


@pytest.mark.parametrize(("comment", "expected"), [
    (" smlint: disable=SM301 -- BAA on file", Directive("line", ("SM301",), "BAA on file")),
    (" smlint: disable=SM301, sm302 until=2026-06-30 --  signed   in June ",
     Directive("line", ("SM301", "sm302"), "signed in June", date(2026, 6, 30))),
    ("smlint:disable-file=vendor-client-data-without-baa -- reviewed", Directive(
        "file", ("vendor-client-data-without-baa",), "reviewed")),
    (" SMLINT: DISABLE=SM301 -- shouting is fine", Directive("line", ("SM301",), "shouting is fine")),
    (" smlint: disable=SM301", Directive("line", ("SM301",), "")),
    (" smlint: disable=SM301 --", Directive("line", ("SM301",), "")),
    (" smlint: disable=SM301 -- reason -- with dashes", Directive("line", ("SM301",), "reason -- with dashes")),
    (" smlint: disable=SM301 until=2026-13-01 -- r", Directive(error="its until date is not a real date; "
                                                                     "write it as YYYY-MM-DD")),
    (" smlint: enable=SM301 -- r", Directive(error=FORMAT_HELP)),
    (" smlint:", Directive(error=FORMAT_HELP)),
    (" smlint: disable= -- r", Directive(error=FORMAT_HELP)),
    (" yaml-language-server: $schema=x.json", None),
    (" see smlint: docs", None),
    ("", None),
])
def test_parse_directive(comment: str, expected: Directive | None) -> None:
    assert parse_directive(comment) == expected


@given(st.text())
def test_parse_directive_never_raises_on_any_comment(text: str) -> None:
    result = parse_directive(text)
    assert result is None or isinstance(result, Directive)


@given(st.text())
def test_parse_directive_never_raises_after_the_prefix(text: str) -> None:
    result = parse_directive(" smlint: " + text)
    assert isinstance(result, Directive)
    assert bool(result.error) != bool(result.rules)


@given(st.lists(st.text(alphabet=st.sampled_from("ab:#'\"|>-= \tsmlint\n[]{}"), max_size=30), max_size=8))
def test_scan_never_raises_on_any_yaml_text(lines: list[str]) -> None:
    text = "\n".join(["smlint # x", *lines])
    for located in scan(load_text(text, "f.yaml")):
        assert located.line >= 1 and located.column >= 1


def directives(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(d.line, d.column, d.directive.rules) for d in scan(load_text(text, "f.yaml"))]


def test_only_real_comments_count() -> None:
    text = "\n".join([
        'a: "x # smlint: disable=SM1 -- quoted"',
        "b: 'it''s # smlint: disable=SM2 -- quoted'",
        "c: don't # smlint: disable=SM3 -- plain text then a comment",
        "d: | # smlint: disable=SM4 -- on the block indicator line",
        "  block # smlint: disable=SM5 -- block content",
        "e: 'x'  # no directive here, smlint is just mentioned",
        "# smlint: disable=SM7 -- own line",
        "f: a#b # smlint: disable=SM8 -- a '#' inside a plain value is text",
        "",
    ])
    assert directives(text) == [(3, 10, ("SM3",)), (4, 6, ("SM4",)), (7, 1, ("SM7",)), (8, 8, ("SM8",))]


def test_files_that_do_not_parse_are_read_line_by_line() -> None:
    text = "a: [unclosed # smlint: disable=SM000 -- known\nb: 'x # smlint: disable=SM1 -- quoted'\n"
    assert directives(text) == [(1, 14, ("SM000",))]


def test_json_files_have_no_comments() -> None:
    assert scan(load_text('{"a": "# smlint: disable=SM1 -- x"}', "f.json", is_json=True)) == []


def finding(line: int, rule: str = "SM301", pointer: str = "/baa") -> Finding:
    return Finding(rule, "n", Severity.ERROR, "v.yaml", line, 1, line, 2, "m", "vendor", pointer)


def test_fingerprints_ignore_lines_and_count_identical_findings() -> None:
    root = Path("/repo")
    first = [fp for _, fp in fingerprints([finding(3), finding(9, pointer="")], root, root)]
    moved = [fp for _, fp in fingerprints([finding(30), finding(90, pointer="")], root, root)]
    assert first == moved
    twins = [fp for _, fp in fingerprints([finding(3, pointer=""), finding(4, pointer="")], root, root)]
    assert len(set(twins)) == 2
    assert twins[0] == next(fp for _, fp in fingerprints([finding(7, pointer="")], root, root))


def test_only_yaml_comments_that_start_with_smlint_colon_may_hold_directives() -> None:
    from smlint.loader import LoadResult, may_hold_directive

    def hint(path: str, text: str) -> bool:
        return may_hold_directive(LoadResult(path, (), (), text))

    assert hint("v.yaml", "a: 1  # smlint: disable=SM305 -- why\n")
    assert hint("v.yml", "#SMLINT :disable-file=SM3\n")
    assert hint("v.yaml", "a: 1  # smlint: nonsense\n")  # malformed ones too: they are SM014 findings
    assert not hint("v.yaml", "# smlint checks this file as a Twilio export\n")  # a comment naming smlint
    assert not hint("q.json", '{"note": "# smlint: disable=SM305 -- in a string"}')  # JSON has no comments
