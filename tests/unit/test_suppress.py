"""The directive parser, comment detection and fingerprints (linter/smlint/suppress.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smlint.loader import load_text
from smlint.model import Finding, Severity
from smlint.suppress import Directive, baseline_fingerprints, parse_directive, scan

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


def test_a_block_indicator_on_the_first_line_or_in_the_first_column_may_carry_a_directive() -> None:
    assert directives("d: | # smlint: disable=SM4 -- first line\n  block\n") == [(1, 6, ("SM4",))]
    assert directives("| # smlint: disable=SM4 -- a document that is one block\n  block\n") == [(1, 3, ("SM4",))]


def test_files_that_do_not_parse_are_read_line_by_line() -> None:
    text = "a: [unclosed # smlint: disable=SM000 -- known\nb: 'x # smlint: disable=SM1 -- quoted'\n"
    assert directives(text) == [(1, 14, ("SM000",))]


def test_json_files_have_no_comments() -> None:
    assert scan(load_text('{"a": "# smlint: disable=SM1 -- x"}', "f.json", is_json=True)) == []


def finding(line: int, rule: str = "SM301", pointer: str = "/baa") -> Finding:
    return Finding(rule, "n", Severity.ERROR, "v.yaml", line, 1, line, 2, "m", "vendor", pointer)


def test_fingerprints_ignore_lines_and_count_identical_findings() -> None:
    root = Path("/repo")
    first = [fp for _, fp in baseline_fingerprints([finding(3), finding(9, pointer="")], root, root)]
    moved = [fp for _, fp in baseline_fingerprints([finding(30), finding(90, pointer="")], root, root)]
    assert first == moved
    twins = [fp for _, fp in baseline_fingerprints([finding(3, pointer=""), finding(4, pointer="")], root, root)]
    assert len(set(twins)) == 2
    assert twins == [fp for _, fp in baseline_fingerprints([finding(8, pointer=""), finding(5, pointer="")], root,
                                                           root)]


def test_a_baseline_fingerprint_is_the_reports_fingerprint_of_the_path_from_the_baselines_folder() -> None:
    from smlint.fingerprint import fingerprints

    shown = Finding("SM301", "n", Severity.ERROR, "agency/v.yaml", 3, 1, 3, 2, "m", "vendor", "/baa")
    [(_, recorded)] = baseline_fingerprints([shown], Path("/repo/agency"), Path("/repo"))
    assert recorded == fingerprints([finding(3)])[0]  # the same finding shown as v.yaml, from /repo/agency
    assert recorded != fingerprints([shown])[0]


def test_version_1_baselines_keep_their_counter_hash() -> None:
    import hashlib

    root = Path("/repo")
    twins = baseline_fingerprints([finding(4, pointer=""), finding(3, pointer="")], root, root, version=1)
    expected = [hashlib.sha256("\0".join(("SM301", "v.yaml", "", str(n))).encode()).hexdigest()[:32] for n in (0, 1)]
    assert [(f.line, fp) for f, fp in twins] == [(3, expected[0]), (4, expected[1])]


def test_fingerprints_are_the_documented_digest_so_baselines_and_code_scanning_keep_matching() -> None:
    import hashlib

    from smlint.fingerprint import fingerprints

    def digest(*parts: str) -> str:
        return hashlib.sha256("\0".join(("smlint/v1", *parts)).encode()).hexdigest()

    def other(message: str) -> Finding:
        return Finding("SM301", "n", Severity.ERROR, "v.yaml", 5, 1, 5, 2, message, "vendor", "/baa")

    assert fingerprints([finding(3)]) == [digest("SM301", "v.yaml", "/baa", "", "")]
    # the same rule, path and pointer: the message tells them apart; the same message too: the order does
    assert fingerprints([finding(3), other("n")]) == [digest("SM301", "v.yaml", "/baa", "m", ""),
                                                      digest("SM301", "v.yaml", "/baa", "n", "")]
    assert fingerprints([finding(3), finding(4), other("n")]) == [digest("SM301", "v.yaml", "/baa", "m", "1"),
                                                                  digest("SM301", "v.yaml", "/baa", "m", "2"),
                                                                  digest("SM301", "v.yaml", "/baa", "n", "")]


def test_only_yaml_comments_that_start_with_smlint_colon_may_hold_directives() -> None:
    from smlint.loader import LoadResult, may_hold_directive

    def hint(path: str, text: str) -> bool:
        return may_hold_directive(LoadResult(path, (), (), text))

    assert hint("v.yaml", "a: 1  # smlint: disable=SM305 -- why\n")
    assert hint("v.yml", "#SMLINT :disable-file=SM3\n")
    assert hint("v.yaml", "a: 1  # smlint: nonsense\n")  # malformed ones too: they are SM014 findings
    assert not hint("v.yaml", "# smlint checks this file as a Twilio export\n")  # a comment naming smlint
    assert not hint("q.json", '{"note": "# smlint: disable=SM305 -- in a string"}')  # JSON has no comments
