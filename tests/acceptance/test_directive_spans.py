"""Inline directives as a compliance officer writes them (README, "Suppressing a finding"): each problem with a
directive is a finding that spans the comment itself, from its '#' to the end of the line, so editors and code
scanning underline the comment and nothing else. Expected rule ids, lines and columns were worked out from the
file text below before running smlint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLES, Run

VENDOR = (EXAMPLES / "compliant/vendors/doxy-me.yaml").read_text(encoding="utf-8")

# line number -> (the line as the example has it, the line as the officer edits it)
EDITS = {
    1: ("kind: vendor", "kind: vendor # smlint: disable-file=SM305 -- whole file"),
    2: ("name: Doxy.me", "name: Doxy.me # smlint: disable=SM999 -- typo"),
    3: ("product: Doxy.me Professional", "product: Doxy.me Professional  # smlint: disable=SM305"),
    5: ("edition: healthcare", "edition: healthcare # smlint: disable=SM305 until=2026-01-31 -- renewed yearly"),
    20: ("  waiting_room: true", "  waiting_room: true # smlint: enable=SM305 -- r"),
    21: ("  passcode_required: true", "  passcode_required: true  #smlint: disable=SM305 -- nothing here"),
    22: ("  live_streaming: false", "  live_streaming: true  # smlint: disable=SM305 -- streaming is off by contract"),
}

FORMAT_HELP = ("write it as '# smlint: disable=SM301 -- reason' (or disable-file=...), optionally with "
               "until=YYYY-MM-DD before the '--'")


def edited() -> str:
    lines = VENDOR.splitlines()
    for number, (before, after) in EDITS.items():
        assert lines[number - 1] == before
        lines[number - 1] = after
    return "\n".join(lines) + "\n"


def check(run: Run, tmp_path: Path, text: str, *args: str) -> dict[str, Any]:
    (tmp_path / "v.yaml").write_text(text, encoding="utf-8")
    result = run("check", "--today", "2026-03-01", "--select", "SM0,SM305", "--format", "json", *args,
                 str(tmp_path / "v.yaml"))
    assert result.stderr == ""
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def spans(report: dict[str, Any]) -> list[tuple[str, str, int, int, int, int, str]]:
    return [(f["rule"], f["severity"], f["line"], f["column"], f["end_line"], f["end_column"], f["message"])
            for f in report["findings"]]


def test_every_problem_with_a_directive_spans_its_comment(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, edited())
    assert spans(report) == [
        ("SM013", "warning", 1, 14, 1, 56, "this suppression hides nothing: there is no SM305 finding in this file; "
                                           "remove it, or list only the rules it is for"),
        ("SM012", "error", 2, 15, 2, 46, "this suppression names a rule smlint does not know, so it suppresses "
                                         "nothing; check the rule id (`smlint rules` lists them)"),
        ("SM010", "error", 3, 32, 3, 55, "this suppression gives no reason, so it suppresses nothing; add why after "
                                         "' -- ' (for example: -- BAA signed, copy in the compliance binder)"),
        ("SM011", "warning", 5, 21, 5, 79, "this suppression expired on 2026-01-31, so the finding is reported again; "
                                           "fix it, or renew the decision with a new date and reason"),
        ("SM014", "error", 20, 22, 20, 49, f"this smlint comment cannot be read: {FORMAT_HELP}"),
        # '#smlint:' without a space is a directive too
        ("SM013", "warning", 21, 28, 21, 66, "this suppression hides nothing: there is no SM305 finding on this "
                                             "line; remove it, or list only the rules it is for"),
    ]
    # the line directive, not the file directive, hides the finding on its own line
    [hidden] = report["suppressed"]
    assert (hidden["rule"], hidden["line"], hidden["column"]) == ("SM305", 22, 3)
    assert hidden["suppression"] == {"how": "inline", "reason": "streaming is off by contract",
                                     "source": f"{tmp_path / 'v.yaml'}:22", "until": None, "owner": None}
    assert report["summary"]["suppressed"] == 1
    assert report["summary"]["errors"] == 3 and report["summary"]["warnings"] == 3


def test_a_directive_on_the_findings_line_with_a_future_date_hides_it_until_then(run: Run, tmp_path: Path) -> None:
    text = VENDOR.replace("  live_streaming: false",
                          "  live_streaming: true  # smlint: disable=SM305 until=2026-03-01 -- contract ends today")
    report = check(run, tmp_path, text)
    assert report["findings"] == []
    assert report["suppressed"][0]["suppression"]["until"] == "2026-03-01"  # the last day it still holds
    expired = check(run, tmp_path, text, "--today", "2026-03-02")
    assert [(f["rule"], f["line"]) for f in expired["findings"]] == [("SM305", 22), ("SM011", 22)]


def test_a_directives_reason_is_judged_on_the_runs_today(run: Run, tmp_path: Path) -> None:
    # on --today 2099-06-01, a name next to 03/14/2099 may be a client's birth date, whatever the machine's clock
    text = VENDOR.replace("  live_streaming: false",
                          "  live_streaming: true  # smlint: disable=SM305 -- approved by Maria Lopez, DOB 03/14/2099")
    report = check(run, tmp_path, text, "--today", "2099-06-01")
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("SM015", 22, 25)]
    assert report["suppressed"][0]["suppression"]["reason"] == "approved by ***** *****, DOB **/**/2099"


def test_a_file_directive_hides_every_finding_of_its_rules_wherever_it_stands(run: Run, tmp_path: Path) -> None:
    text = VENDOR.replace("  live_streaming: false", "  live_streaming: true").replace(
        "owner: Clinical Director", "owner: Clinical Director\n# smlint: disable-file=SM305 -- decided in review")
    report = check(run, tmp_path, text)
    assert report["findings"] == []
    [hidden] = report["suppressed"]
    assert (hidden["rule"], hidden["line"], hidden["suppression"]["how"]) == ("SM305", 22, "file")
    assert hidden["suppression"]["source"].endswith("v.yaml:27")


def test_a_directive_for_another_line_does_not_hide_the_finding(run: Run, tmp_path: Path) -> None:
    text = VENDOR.replace("  live_streaming: false", "  live_streaming: true").replace(
        "  cloud_recording: false", "  cloud_recording: false  # smlint: disable=SM305 -- one line too low")
    report = check(run, tmp_path, text)
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("SM305", 22, 3), ("SM013", 23, 27)]
    assert report["suppressed"] == []


def test_without_inline_suppression_directives_are_neither_applied_nor_judged(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, edited(), "--no-inline-suppressions")
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("SM305", 22)]
    assert report["suppressed"] == []


# A file that does not parse is read line by line for its comments: a '#' starts one only outside quotes
# ('' inside single quotes and \" inside double quotes do not end them) and after a space, a tab or the
# line's start. Each directive here names unknown rules, so each found one is an SM012 finding on its comment.
UNPARSABLE = [
    ("a: [unclosed", None),
    ("b: 'it''s # not a comment' # smlint: disable=SM1 -- after doubled quotes", (28, 73)),
    ('c: "say \\"# no\\" now" # smlint: disable=SM2 -- after escaped quotes', (23, 68)),
    ("d: don't # smlint: disable=SM3 -- an apostrophe inside a word opens nothing", (10, 76)),
    ("e: x#y # smlint: disable=SM4 -- a '#' glued to text is not a comment", (8, 69)),
    ("# smlint: disable=SM5 -- at the start of a line", (1, 48)),
    ("f: 'unterminated # smlint: disable=SM6 -- inside an open quote", None),
    ("- 'item' # smlint: disable=SM7 -- after a list dash", (10, 52)),
    ("g: {h: 'x # y'}\t# smlint: disable=SM8 -- tab before the hash", (17, 61)),
    ('c2: "a \\" # not a comment" # smlint: disable=SM20 -- escaped quote inside', (28, 74)),
    ('c3: "ends with \\"" # smlint: disable=SM21 -- escaped quote last', (20, 64)),
    ("b2: 'say ''hi''' # smlint: disable=SM22 -- doubled quote last", (18, 62)),
    ("h: Xmas # smlint: disable=SM23 -- plain text", (9, 45)),
    ('"key # x": v # smlint: disable=SM24 -- a quote at the start of the line', (14, 72)),
    ("- 'a # b' # smlint: disable=SM25 -- quoted list item", (11, 53)),
    ("i: ['a # b'] # smlint: disable=SM26 -- quoted in a flow list", (14, 61)),
    ("{'a # b': 1} # smlint: disable=SM27 -- quoted key in a flow mapping", (14, 68)),
    ("j: ['a', 'b # c'] # smlint: disable=SM28 -- after a comma", (19, 58)),
    ("k: v #smlint: disable=SM29 -- no space after the hash", (6, 54)),
    ("n: AX# smlint: disable=SM30 -- glued to text is no comment", None),
]


def test_directives_in_a_file_that_does_not_parse(run: Run, tmp_path: Path) -> None:
    report = check(run, tmp_path, "\n".join(line for line, _ in UNPARSABLE) + "\n")
    found = [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in report["findings"]]
    assert found[0][:2] == ("SM000", 2)  # the syntax error, where the parser noticed it
    assert found[1:] == [("SM012", number, span[0], number, span[1])
                         for number, (_, span) in enumerate(UNPARSABLE, 1) if span is not None]


MARKDOWN_POLICY = (
    '---\nkind: policy\norganisation: Acme\nversion: "1"\n---\n\n# Policy\n\n'
    "Staff never friend clients. <!-- a note on smlint --> <!-- smlint: disable=SM999 -- typo -->\n\n"
    "<!-- smlint: disable=SM040 -- last words -->\n\n"
)


def test_markdown_directives_after_other_comments_and_at_the_end_of_the_file(run: Run, tmp_path: Path) -> None:
    """An HTML comment that is not for smlint does not hide the directive after it on the same line; a directive
    alone on the last lines, with nothing below it to cover, covers its own line."""
    (tmp_path / "policy.md").write_text(MARKDOWN_POLICY, encoding="utf-8")
    result = run("check", "--today", "2026-03-01", "--select", "SM01,SM040", "--format", "json",
                 str(tmp_path / "policy.md"))
    findings = json.loads(result.stdout)["findings"]
    line9 = MARKDOWN_POLICY.splitlines()[8]
    assert [(f["rule"], f["line"], f["column"], f["end_column"]) for f in findings] == [
        ("SM012", 9, line9.index("<!-- smlint") + 1, len(line9) + 1),
        ("SM013", 11, 1, len("<!-- smlint: disable=SM040 -- last words -->") + 1),
    ]
    assert findings[1]["message"] == ("this suppression hides nothing: there is no SM040 finding on this line; "
                                      "remove it, or list only the rules it is for")
