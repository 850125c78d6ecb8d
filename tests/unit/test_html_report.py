"""The HTML report on small hand-built reports: the states the shipped examples never reach (nothing found,
warnings only, a deadline in each band, files that are not artifacts) and the numbers its charts draw.
Expected fragments were written from the report's description (docs/ci.md, reporters/html.py docstring)
before running smlint."""

from __future__ import annotations

import re

from smlint.model import Artifact, CheckedFile, Deadline, Finding, Report, Rule, RuleScope, Severity, Suppressed
from smlint.reporters import RenderOptions, render
from smlint.reporters.summary import Cell, tip_rows

RULE = Rule("SM305", "video-live-streaming-enabled", "Live streaming off", Severity.ERROR, ("vendor",), "artifact",
            (7, 10), {"nasw_code": ("1.07(m)",)}, "r", "Turn off `settings.live_streaming`  now.", "",
            {"type": "assert"}, "m", problem="Live streaming is on")


def html(report: Report) -> str:
    return render("html", report, RenderOptions())


def finding(severity: Severity = Severity.ERROR, line: int = 14, path: str = "vendors/zoom.yaml") -> Finding:
    return Finding("SM305", "video-live-streaming-enabled", severity, path, line, 3, line, 9, "streaming on",
                   "vendor", "/settings/live_streaming")


def test_nothing_found_reads_as_a_pass_in_every_section() -> None:
    page = html(Report((), 1, (RULE,), today="2026-03-01", files=(CheckedFile("vendors/zoom.yaml", ("vendor",)),),
                       artifacts=(Artifact("vendors/zoom.yaml", "vendor", "Zoom"),)))
    assert "<title>Technology compliance report: policy repository (2026-03-01)</title>" in page
    assert "<h1>Policy repository</h1>" in page
    assert ('<p class="meta">As of 2026-03-01 · 1 file(s) checked, 1 of them artifacts, against 1 rules</p>'
            in page)
    assert '<p class="headline pass" id="headline">No problems to fix.</p>' in page
    assert ('<dl class="counts"><div><dt>Problems to fix</dt><dd>0</dd></div><div><dt>Warnings</dt><dd>0</dd></div>'
            "<div><dt>Notes and to-dos</dt><dd>0</dd></div><div><dt>Dates due or overdue</dt><dd>0</dd></div>"
            "<div><dt>Suppressed</dt><dd>0</dd></div></dl>") in page
    assert ('<section id="deadlines"><h2>Deadlines</h2><p class="note">Nothing is overdue and nothing that smlint '
            "watches falls due in the next 90 days.</p></section>") in page
    assert ('<section id="findings"><h2>Findings by file</h2><p class="note">No findings: every file passes every '
            "rule.</p></section>") in page
    assert ('<section id="suppressed"><h2>Suppressed and waived findings</h2><p class="note">None: no finding was '
            "suppressed, waived or accepted into a baseline.</p></section>") in page
    assert ('<tr><td><code>vendors/zoom.yaml</code></td><td>vendor</td><td>Zoom</td>'
            '<td class="pass">✓ passes</td></tr>') in page
    # tip 7 covers the one rule, which applies to the vendor file and passes; tip 1 has no rule
    assert ('<tr data-tip="7" data-status="pass"><th scope="row" class="tip"><span class="tipno">7</span>Secure '
            'electronic communication and records</th><td class="rules" title="SM305">1 rule(s), 0 with findings'
            '</td><td class="cell pass" title="vendors/zoom.yaml: passes">✓</td></tr>') in page
    assert ('<tr data-tip="1" data-status="n/a"><th scope="row" class="tip"><span class="tipno">1</span>Do not friend '
            'or follow clients</th><td class="rules" title="">no rules yet</td><td class="cell na" '
            'title="vendors/zoom.yaml: no rule applies">·</td></tr>') in page
    # the legend lists only the colours drawn: tips 7 and 10 pass, the others have no rule
    assert ('<span class="legend"><span class="key"><i style="background:#1b7f3b"></i>no findings</span>'
            '<span class="key"><i style="background:#c4c9cf"></i>no rule applies</span></span>') in page


def test_warnings_only_and_a_warning_beside_an_error_get_their_own_badge() -> None:
    page = html(Report((finding(Severity.WARNING),), 1, (RULE,), today="2026-03-01"))
    assert '<p class="headline warning" id="headline">No problems to fix, 1 warning(s).</p>' in page
    page = html(Report((finding(Severity.ERROR, 14), finding(Severity.WARNING, 15)), 1, (RULE,), today="2026-03-01"))
    assert '<p class="headline error" id="headline">1 problem(s) to fix, 1 warning(s).</p>' in page
    assert ('<div class="rule error" data-rule="SM305"><h4><span class="sev error">error</span>SM305 Live streaming '
            'is on</h4><ul><li class="finding" data-rule="SM305">Line 14, column 3: streaming on</li>'
            '<li class="finding" data-rule="SM305">Line 15, column 3: <span class="sev warning">warning</span>'
            "streaming on</li></ul>") in page
    # the remedy's `field` is set as code, its spaces collapsed; tips and citations follow
    assert ('<p class="fix"><strong>How to fix:</strong> Turn off <code>settings.live_streaming</code> now.</p>'
            '<p class="cites"><strong>Sources:</strong> Tip(s) 7, 10. NASW Code of Ethics (2017): 1.07(m)</p>'
            in page)


def test_deadlines_are_red_when_overdue_amber_within_30_days_plain_after() -> None:
    deadlines = tuple(Deadline("SM306", "BAA current", "vendors/zoom.yaml", 9, 3, "expires", due, days)
                      for due, days in (("2026-02-28", -1), ("2026-03-31", 30), ("2026-04-01", 31)))
    page = html(Report((), 1, (RULE,), today="2026-03-01", deadlines=deadlines))
    rows = re.findall(r'<tr class="([a-z]*)"><td class="date">([0-9-]+)</td>', page)
    assert rows == [("error", "2026-02-28"), ("warning", "2026-03-31"), ("", "2026-04-01")]
    assert ("<td>BAA current <small>(SM306, <code>expires</code>)</small></td><td><code>vendors/zoom.yaml:9</code>"
            "</td></tr>") in page
    assert "<div><dt>Dates due or overdue</dt><dd>3</dd></div>" in page
    assert "1 date(s) overdue, 2 deadline(s) in the next 90 days." in page


def test_the_severity_chart_scales_bars_to_the_largest_count() -> None:
    findings = (finding(Severity.ERROR, 1), finding(Severity.ERROR, 2), finding(Severity.WARNING, 3),
                finding(Severity.ERROR, 4), finding(Severity.INFO, 5))
    suppressed = (Suppressed(finding(line=6), "inline", "r", "vendors/zoom.yaml:6"),)
    page = html(Report(findings, 1, (RULE,), suppressed, today="2026-03-01"))
    bars = re.findall(r'<text x="0" y="(\d+)" font-size="12" fill="#1f2328">(\w+)</text><rect x="80" y="(\d+)" '
                      r'width="(\d+)" height="16" rx="2" fill="(#[0-9a-f]+)"/><text x="(\d+)" y="\d+" font-size="12" '
                      r'fill="#1f2328">(\d+)</text>', page)
    assert bars == [("21", "Errors", "8", "200", "#b3261e", "286", "3"),
                    ("45", "Warnings", "32", "67", "#a15c00", "153", "1"),
                    ("69", "Notes", "56", "67", "#1d4ed8", "153", "1"),
                    ("93", "Suppressed", "80", "67", "#6b7280", "153", "1")]
    empty = html(Report((), 0, (RULE,), today="2026-03-01"))
    assert 'width="1" height="16" rx="2" fill="#b3261e"/><text x="86" y="21" font-size="12" fill="#1f2328">0' in empty


def test_the_tips_chart_draws_a_bar_per_tip_and_says_why_bars_add_up_to_more() -> None:
    page = html(Report((finding(Severity.ERROR, 1), finding(Severity.ERROR, 2)), 1, (RULE,), today="2026-03-01",
                       artifacts=(Artifact("vendors/zoom.yaml", "vendor", "Zoom"),)))
    # tip 7 is the 7th bar (x = 8 + 6 * 30), full height (60) for the largest count
    assert ('<rect x="188" y="20" width="20" height="60" rx="2" fill="#b3261e"><title>Tip 7: 2 finding(s)</title>'
            '</rect><text x="198" y="16" font-size="11" text-anchor="middle" fill="#1f2328">2</text>'
            '<text x="198" y="96" font-size="11" text-anchor="middle" fill="#57606a">7</text>') in page
    # tip 1 has no rule: a 2-pixel stub and a dash
    assert ('<rect x="8" y="78" width="20" height="2" rx="2" fill="#c4c9cf"><title>Tip 1: 0 finding(s)</title>'
            '</rect><text x="18" y="74" font-size="11" text-anchor="middle" fill="#1f2328">–</text>') in page
    assert ("The bars add up to 4 for 2 finding(s): a finding counts under every tip its rule serves."
            in page)
    assert "<h1>Policy repository</h1>" in page


def test_files_that_are_not_artifacts_and_suppressions_are_listed() -> None:
    waived = Suppressed(finding(line=20), "waiver", "signed in 2026", ".smlint-waivers.yaml:3", "2026-12-31",
                        "Director")
    page = html(Report((finding(path="vendors/a.yaml"),), 2, (RULE,), (waived,), today="2026-03-01",
                       files=(CheckedFile("notes/readme.yaml", ()), CheckedFile("vendors/a.yaml", ("vendor",))),
                       artifacts=(Artifact("vendors/a.yaml", "vendor", "A"), Artifact("policy/p.yaml", "policy",
                                                                                       "Acme <Care>"))))
    assert "<h1>Acme &lt;Care&gt;</h1>" in page
    assert ('<tr><td><code>notes/readme.yaml</code></td><td>not an artifact (read, not checked)</td><td></td>'
            '<td class="pass">✓ passes</td></tr>') in page
    assert ('<tr><td><code>vendors/a.yaml</code></td><td>vendor</td><td>A</td><td class="error">✗ error</td></tr>'
            in page)
    assert ('<tr data-rule="SM305"><td>SM305</td><td><code>vendors/zoom.yaml:20</code></td><td>waiver</td>'
            "<td>signed in 2026</td><td>Director</td><td>2026-12-31</td><td><code>.smlint-waivers.yaml:3</code></td>"
            "</tr>") in page


def test_a_tip_whose_rules_did_not_run_on_an_artifact_is_not_shown_as_passed() -> None:
    """The tips grid says n/a, not pass, where the tip's rules did not run on the artifact: deselected, or
    switched off by the agency's profile (`CheckedFile.scope`); a report built without scopes keeps every rule."""
    zoom = Artifact("vendors/zoom.yaml", "vendor", "Zoom")
    off = RuleScope(frozenset(), {"SM305": "it runs only for a HIPAA covered entity, and the configuration's "
                                           "profile says covered_entity: false"})
    cells = {row.tip: row.cells for row in tip_rows(Report((), 1, (RULE,), artifacts=(zoom,),
                                                           files=(CheckedFile(zoom.path, ("vendor",), off),)))}
    assert (cells[7], cells[10]) == ((Cell("n/a"),), (Cell("n/a"),))
    ran = RuleScope(frozenset({"SM305"}))
    cells = {row.tip: row.cells for row in tip_rows(Report((finding(),), 1, (RULE,), artifacts=(zoom,),
                                                           files=(CheckedFile(zoom.path, ("vendor",), ran),)))}
    assert (cells[7], cells[10]) == ((Cell("error", 1),), (Cell("error", 1),))
    cells = {row.tip: row.cells for row in tip_rows(Report((), 1, (RULE,), artifacts=(zoom,)))}
    assert cells[7] == (Cell("pass"),)
    page = html(Report((), 1, (RULE,), today="2026-03-01", artifacts=(zoom,),
                       files=(CheckedFile(zoom.path, ("vendor",), off),)))
    assert '<td class="cell na" title="vendors/zoom.yaml: ' in page
    assert '<td class="cell pass"' not in page


POLICY_RULE = Rule("SM104", "policy-no-personal-contact-ban", "Personal contact", Severity.ERROR, ("policy",),
                   "artifact", (1,), {"nasw_code": ("1.06(e)",)}, "r",
                   "State it in `sections.social_networking` and set `prohibits_personal_contact: true`.", "",
                   {"type": "assert"}, "m", problem="No personal-contact ban")


def policy_page(path: str, kind: str = "policy") -> str:
    found = Finding("SM104", "policy-no-personal-contact-ban", Severity.ERROR, path, 47, 1, 47, 9,
                    "the policy does not forbid it", kind, "/sections/social_networking")
    return html(Report((found,), 1, (POLICY_RULE,), today="2026-03-01",
                       artifacts=(Artifact(path, kind, "Harbor Light"),)))


def test_a_document_policy_says_how_to_read_a_fix_that_names_a_field() -> None:
    # a user test: the fixes name the YAML policy's fields, which a reader of a Markdown or Word policy never sees
    note = ('<p class="note">This policy is a document, read sentence by sentence. Where a fix names a field '
            "(<code>sections.…</code>), write the commitment as a sentence under that section's heading{front}. "
            "<code>smlint explain-policy {path}</code> shows which sentence was read as which commitment, and which "
            "commitments were found nowhere.</p>")
    markdown = policy_page("policies/policy.md")
    assert ('<small>policy · Harbor Light</small></h3>'
            + note.format(front=", or record the field in the front matter", path="policies/policy.md")
            + '<div class="rule error" data-rule="SM104">') in markdown
    word = policy_page("policies/Policy.DOCX")
    assert note.format(front="", path="policies/Policy.DOCX") in word
    for page in (policy_page("policies/policy.yaml"), policy_page("notes/policy.md", kind="intake-form")):
        assert "This policy is a document" not in page
