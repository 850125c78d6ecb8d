"""The Markdown report (a pull-request comment or GitHub step summary), whole, on small hand-built reports:
every line written here from the format's description (reporters/markdown.py docstring, docs/ci.md) before
running smlint."""

from __future__ import annotations

from smlint.model import Artifact, Deadline, Finding, Related, Report, Rule, Severity, Suppressed
from smlint.reporters import RenderOptions, render
from smlint.reporters.summary import QUOTING

TIP_ROWS_NOTHING_APPLIES = [
    "| 1. Do not friend or follow clients | — | — no rule applies | 0 |",
    "| 2. Do not post about clients, colleagues or work | — | — no rule applies | 0 |",
    "| 3. Manage privacy and location settings | — | — no rule applies | 0 |",
    "| 4. Do not search for clients online without cause | — | — no rule applies | 0 |",
    "| 5. Keep a written technology policy, reviewed and acknowledged | — | — no rule applies | 0 |",
    "| 6. Help clients protect their own confidentiality | — | — no rule applies | 0 |",
    "| 7. Secure electronic communication and records | — | — no rule applies | 0 |",
    "| 8. Be careful with testimonials and online reviews | — | — no rule applies | 0 |",
    "| 9. Be cautious with electronic payments | — | — no rule applies | 0 |",
    "| 10. Be careful with phones, texting and internet calls | — | — no rule applies | 0 |",
    "| Files can be read; fields complete; decisions filled in | — | — no rule applies | 0 |",
]


def markdown(report: Report) -> str:
    return render("markdown", report, RenderOptions())


def test_an_empty_run_says_so_in_every_section() -> None:
    assert markdown(Report((), 0, (), today="2026-03-01")).splitlines() == [
        "## Technology compliance report: policy repository",
        "",
        "**No problems to fix.**",
        "",
        "As of 2026-03-01: 0 file(s) checked; 0 error(s), 0 warning(s), 0 note(s), 0 suppressed.",
        "",
        "### The ten tips",
        "",
        "| Tip | Rules | Result | Findings |",
        "|---|---:|---|---:|",
        *TIP_ROWS_NOTHING_APPLIES,
        "",
        "### Deadlines",
        "",
        "Nothing is overdue or due in the next 90 days.",
        "",
        "### Findings",
        "",
        "No findings.",
        "",
        f"<sub>smlint 0.1.0. {QUOTING}</sub>",
    ]


VIDEO = Rule("SM305", "video-live-streaming-enabled", "Live streaming off", Severity.ERROR, ("vendor",), "artifact",
             (7, 10), {}, "r", "f", "", {"type": "assert"}, "m")
BAA = Rule("SM306", "vendor-baa-expiring", "BAA current", Severity.WARNING, ("vendor",), "artifact", (7,), {},
           "r", "f", "", {"type": "deadline"}, "m")


def finding(rule: str, line: int, severity: Severity, message: str, path: str = "vendors/zoom.yaml",
            related: tuple[Related, ...] = ()) -> Finding:
    return Finding(rule, "n", severity, path, line, 3, line, 9, message, "vendor", "/x", related=related)


def test_findings_deadlines_and_suppressions_are_tables_with_escaped_cells() -> None:
    report = Report(
        (finding("SM305", 14, Severity.ERROR, "live *streaming* | on <b>", related=(Related("policy/p.yaml", 40, 3),)),
         finding("SM306", 9, Severity.WARNING, "expires soon")),
        2, (VIDEO, BAA),
        (Suppressed(finding("SM305", 20, Severity.ERROR, "x", path="vendors/b`c.yaml"), "waiver", "signed_in_2026",
                    ".smlint-waivers.yaml:3", "2026-12-31", "Director"),
         Suppressed(finding("SM305", 21, Severity.ERROR, "x"), "inline", "ok", "vendors/zoom.yaml:21")),
        today="2026-03-01",
        artifacts=(Artifact("vendors/zoom.yaml", "vendor", "Zoom"), Artifact("policy/p.yaml", "policy", "Acme & Co")),
        deadlines=(Deadline("SM306", "BAA current", "vendors/zoom.yaml", 9, 3, "expires", "2026-04-15", 45,
                            message="the BAA expires on 2026-04-15"),
                   Deadline("SM101", "Policy reviewed", "policy/p.yaml", 7, 1, "last_reviewed", "2025-01-08", -417)),
    )
    lines = markdown(report).splitlines()
    assert lines[:5] == ["## Technology compliance report: Acme &amp; Co", "",
                         "**1 problem(s) to fix, 1 warning(s), 1 date(s) overdue, 1 deadline(s) in the next 90 days.**",
                         "", "As of 2026-03-01: 2 file(s) checked; 1 error(s), 1 warning(s), 0 note(s), 2 suppressed."]
    deadlines_at = lines.index("### Deadlines: overdue and due in the next 90 days")
    tips = lines[lines.index("|---|---:|---|---:|") + 1:deadlines_at]
    assert tips[6] == "| 7. Secure electronic communication and records | 2 (2 with findings) | ❌ errors | 2 |"
    assert tips[9] == "| 10. Be careful with phones, texting and internet calls | 1 (1 with findings) | ❌ errors | 1 |"
    assert tips[0] == "| 1. Do not friend or follow clients | — | — no rule applies | 0 |"
    # one finding serves two tips: the note says why the tip column adds up to more than the findings
    assert tips[-3:] == ["", "A finding counts under every tip its rule serves, so the tips' numbers add up to 3 "
                             "for 2 finding(s).", ""]
    start = lines.index("### Deadlines: overdue and due in the next 90 days")
    assert lines[start:start + 7] == [
        "### Deadlines: overdue and due in the next 90 days", "", "| Date | What | Where |", "|---|---|---|",
        "| 2026-04-15 | the BAA expires on 2026-04-15 (SM306) | `vendors/zoom.yaml:9` |",
        "| 2025-01-08 | Policy reviewed (SM101) | `policy/p.yaml:7` |", ""]
    start = lines.index("### Findings")
    assert lines[start:start + 9] == [
        "### Findings", "", "| Where | Rule | Severity | Message |", "|---|---|---|---|",
        "| `vendors/zoom.yaml:14:3` | SM305 | error | live \\*streaming\\* \\| on &lt;b&gt; See also: "
        "`policy/p.yaml:40` |",
        "| `vendors/zoom.yaml:9:3` | SM306 | warning | expires soon |",
        "", "`smlint explain RULE` says why each rule matters and how to fix it.", ""]
    start = lines.index("### Suppressed and waived")
    assert lines[start:start + 7] == [
        "### Suppressed and waived", "", "| Where | Rule | How | Reason | Owner | Until |",
        "|---|---|---|---|---|---|",
        "| ``vendors/b`c.yaml:20`` | SM305 | waiver | signed\\_in\\_2026 | Director | 2026-12-31 |",
        "| `vendors/zoom.yaml:21` | SM305 | inline | ok | — | no expiry |", ""]


def test_long_finding_lists_are_cut_with_a_count_of_the_rest() -> None:
    many = tuple(finding("SM305", n, Severity.ERROR, "m") for n in range(1, 203))
    lines = markdown(Report(many, 1, (VIDEO,))).splitlines()
    rows = [line for line in lines if line.startswith("| `vendors/zoom.yaml:")]
    assert len(rows) == 200
    assert rows[-1] == "| `vendors/zoom.yaml:200:3` | SM305 | error | m |"
    assert "…and 2 more; the HTML or JSON report lists them all." in lines
    exactly = markdown(Report(many[:200], 1, (VIDEO,)))
    assert "more; the HTML or JSON report" not in exactly


def test_code_spans_hold_backticks_pipes_and_line_breaks() -> None:
    def where(path: str) -> str:
        text = markdown(Report((finding("SM305", 1, Severity.ERROR, "m", path=path),), 1, (VIDEO,)))
        return next(line for line in text.splitlines() if line.startswith("| `") and "SM305" in line).split(" | ")[0]

    assert where("a`b.yaml") == "| ``a`b.yaml:1:3``"
    assert where("a``b.yaml") == "| ```a``b.yaml:1:3```"
    assert where("`a.yaml") == "| `` `a.yaml:1:3 ``"  # padded: a span may not start with its fence character
    assert where("a|b.yaml") == "| `a\\|b.yaml:1:3`"
    assert where("a\nb.yaml") == "| `a b.yaml:1:3`"
    assert where(" a.yaml") == "| ` a.yaml:1:3`"  # one leading space alone is kept as written
