"""A one-file HTML compliance report for a clinical director or a board.

Self-contained: inline CSS and inline SVG, no scripts, no fonts, no images to fetch, and a Content
Security Policy that forbids loading anything. Every value is escaped. Reads on screen and in print.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from smlint import __version__
from smlint.citations import citation_lines
from smlint.laws import get as get_law
from smlint.model import Deadline, Finding, Report, Rule, Severity, Suppressed
from smlint.reporters import summary as s

if TYPE_CHECKING:
    from smlint.reporters import RenderOptions

SYMBOLS = {"error": "✗", "warning": "!", "info": "i", s.PASS: "✓", s.NOT_APPLICABLE: "·"}
WORDS = {"error": "error", "warning": "warning", "info": "note", s.PASS: "passes", s.NOT_APPLICABLE: "no rule applies"}
COLOURS = {"error": "#b3261e", "warning": "#a15c00", "info": "#1d4ed8", s.PASS: "#1b7f3b", "suppressed": "#6b7280"}

CSS = """
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --paper: #fff;
  --error: #b3261e; --error-bg: #fde8e6; --warning: #a15c00; --warning-bg: #fff4d6;
  --info: #1d4ed8; --info-bg: #e8f0fe; --pass: #1b7f3b; --pass-bg: #e6f4ea; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #f6f8fa; }
header, main, nav, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { background: var(--paper); border-bottom: 4px solid var(--ink); padding-top: 24px; padding-bottom: 16px; }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); }
h1 { margin: 4px 0; font-size: 30px; line-height: 1.2; }
h2 { margin: 32px 0 8px; font-size: 21px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 6px; font-size: 17px; word-break: break-all; }
h4 { margin: 12px 0 4px; font-size: 15px; }
.meta, .note, small { color: var(--muted); }
.headline { font-size: 19px; font-weight: 600; margin: 12px 0; padding: 10px 14px; border-radius: 6px; }
.headline.error { background: var(--error-bg); color: var(--error); }
.headline.warning { background: var(--warning-bg); color: var(--warning); }
.headline.pass, .headline.info { background: var(--pass-bg); color: var(--pass); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; padding: 0; }
.counts div { border: 1px solid var(--line); border-radius: 6px; padding: 6px 14px; min-width: 110px;
  background: var(--paper); }
.counts dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.counts dd { margin: 0; font-size: 24px; font-weight: 700; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; margin-top: 8px; }
.charts figure { margin: 0; }
.charts figcaption { font-size: 12px; color: var(--muted); }
nav { padding-top: 8px; padding-bottom: 8px; font-size: 14px; background: var(--paper);
  border-bottom: 1px solid var(--line); }
nav a { margin-right: 16px; color: var(--info); }
main { background: var(--paper); padding-bottom: 24px; display: flow-root; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: #f0f3f6; }
#tips-matrix td.cell { text-align: center; font-weight: 700; white-space: nowrap; min-width: 34px; }
#tips-matrix th.col { vertical-align: bottom; text-align: center; padding: 6px 2px; }
#tips-matrix th.col span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: normal;
  overflow-wrap: anywhere; max-height: 11em; display: inline-block; font-weight: 600; line-height: 1.2; }
#tips-matrix th.tip { min-width: 200px; width: 26%; }
#tips-matrix td.rules { font-size: 12px; color: var(--muted); min-width: 90px; }
.legend { display: inline-flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 4px; }
.key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.charts figcaption { max-width: 330px; }
.tipno { display: inline-block; min-width: 22px; font-weight: 700; }
.error { color: var(--error); } td.error { background: var(--error-bg); }
.warning { color: var(--warning); } td.warning { background: var(--warning-bg); }
.info { color: var(--info); } td.info { background: var(--info-bg); }
.pass { color: var(--pass); } td.pass { background: var(--pass-bg); }
td.na { color: #9aa1a9; }
td.date { white-space: nowrap; }
.sev { display: inline-block; font-size: 12px; font-weight: 700; text-transform: uppercase; border-radius: 4px;
  padding: 0 6px; border: 1px solid currentColor; margin-right: 6px; }
.see-also { display: block; color: #57606a; font-size: 13px; }
.rule { border-left: 4px solid var(--line); padding: 2px 0 2px 12px; margin: 10px 0; }
.rule.error { border-left-color: var(--error); } .rule.warning { border-left-color: var(--warning); }
.rule.info { border-left-color: var(--info); }
.rule h4, .rule p, .rule li { color: var(--ink); }
.rule ul { margin: 4px 0; padding-left: 20px; }
.fix, .cites { margin: 4px 0; font-size: 14px; }
.cites { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
footer { color: var(--muted); font-size: 12px; padding-top: 16px; padding-bottom: 32px; }
@page { margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; border: 0; }
  header { border-bottom: 2px solid #000; padding-bottom: 8px; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; }
  table { font-size: 8.5pt; }
  #tips-matrix .rules { display: none; }
  #tips-matrix th.tip { min-width: 0; width: 32%; }
  #tips-matrix td.cell { min-width: 0; padding: 3px 1px; }
  #tips-matrix th.col { padding: 4px 1px; }
  code { font-size: 8pt; }
  h2 { break-after: avoid; } h3, h4 { break-after: avoid; }
  tr, .rule, .counts div, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def render(report: Report, options: RenderOptions) -> str:
    org = s.organisation(report)
    title = f"Technology compliance report: {org or 'policy repository'} ({report.today})"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        header(report, org),
        '<nav aria-label="Sections"><a href="#tips">Ten tips</a><a href="#deadlines">Deadlines</a>'
        '<a href="#findings">Findings</a><a href="#suppressed">Suppressed and waived</a>'
        '<a href="#artifacts">Files checked</a></nav>',
        "<main>",
        tips_section(report),
        deadlines_section(report.deadlines),
        findings_section(report),
        suppressed_section(report.suppressed),
        artifacts_section(report),
        "</main>",
        f"<footer>Made by smlint {e(__version__)} on the files as they stood on {e(report.today)}. "
        f"{e(s.QUOTING)}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _status(report: Report) -> str:
    if report.count(Severity.ERROR):
        return "error"
    return "warning" if report.count(Severity.WARNING) else s.PASS


def header(report: Report, org: str) -> str:
    counts = [("Problems to fix", report.count(Severity.ERROR)), ("Warnings", report.count(Severity.WARNING)),
              ("Notes and to-dos", report.count(Severity.INFO)),
              ("Dates due or overdue", len(report.deadlines)),
              ("Suppressed", len(report.suppressed))]
    cells = "".join(f"<div><dt>{e(label)}</dt><dd>{value}</dd></div>" for label, value in counts)
    return (
        '<header id="summary">'
        '<p class="eyebrow">Social media and technology compliance report</p>'
        f"<h1>{e(org or 'Policy repository')}</h1>"
        f'<p class="meta">As of {e(report.today)} · {report.files_checked} file(s) checked, '
        f"{len(s.columns(report))} of them artifacts, against {len(report.rules)} rules</p>"
        f'<p class="headline {_status(report)}" id="headline">{e(s.headline(report))}</p>'
        f'<dl class="counts">{cells}</dl>'
        f'<div class="charts">{severity_chart(report)}{tips_chart(s.tip_rows(report), len(report.findings))}</div>'
        "</header>"
    )


def severity_chart(report: Report) -> str:
    bars = [("Errors", report.count(Severity.ERROR), COLOURS["error"]),
            ("Warnings", report.count(Severity.WARNING), COLOURS["warning"]),
            ("Notes", report.count(Severity.INFO), COLOURS["info"]),
            ("Suppressed", len(report.suppressed), COLOURS["suppressed"])]
    top = max((count for _, count, _ in bars), default=0) or 1
    rows = []
    for index, (label, count, colour) in enumerate(bars):
        y = 8 + index * 24
        width = round(200 * count / top)
        rows.append(f'<text x="0" y="{y + 13}" font-size="12" fill="#1f2328">{label}</text>'
                    f'<rect x="80" y="{y}" width="{max(width, 1)}" height="16" rx="2" fill="{colour}"/>'
                    f'<text x="{86 + width}" y="{y + 13}" font-size="12" fill="#1f2328">{count}</text>')
    return ('<figure><svg role="img" aria-labelledby="chart-sev" width="320" height="104" viewBox="0 0 320 104">'
            '<title id="chart-sev">Findings by severity</title>' + "".join(rows) +
            "</svg><figcaption>Findings by severity</figcaption></figure>")


LEGEND = {"error": ("#b3261e", "errors"), "warning": ("#a15c00", "warnings, no errors"),
          "info": ("#1d4ed8", "notes only"), s.PASS: ("#1b7f3b", "no findings"),
          s.NOT_APPLICABLE: ("#c4c9cf", "no rule applies")}


def tips_chart(rows: Sequence[s.TipRow], findings: int) -> str:
    """One bar per tip with its number of findings written above it; the legend lists only the colours
    drawn, and the caption says why the bars may add up to more than the findings."""
    tips = [row for row in rows if row.tip]
    top = max((row.count for row in tips), default=0) or 1
    bars = []
    for index, row in enumerate(tips):
        x = 8 + index * 30
        height = max(round(60 * row.count / top), 2)
        colour = LEGEND[row.status][0]
        value = str(row.count) if row.status != s.NOT_APPLICABLE else "–"
        bars.append(f'<rect x="{x}" y="{80 - height}" width="20" height="{height}" rx="2" fill="{colour}">'
                    f"<title>Tip {row.tip}: {row.count} finding(s)</title></rect>"
                    f'<text x="{x + 10}" y="{76 - height}" font-size="11" text-anchor="middle" '
                    f'fill="#1f2328">{value}</text>'
                    f'<text x="{x + 10}" y="96" font-size="11" text-anchor="middle" fill="#57606a">{row.tip}</text>')
    shown = [status for status in LEGEND if any(row.status == status for row in tips)]
    legend = "".join(f'<span class="key"><i style="background:{LEGEND[k][0]}"></i>{e(LEGEND[k][1])}</span>'
                     for k in shown)
    total = s.tip_total(rows)
    why = (f" The bars add up to {total} for {findings} finding(s): {s.MULTI_TIP_NOTE.lower()}."
           if total > findings else "")
    return ('<figure><svg role="img" aria-labelledby="chart-tips" width="316" height="104" viewBox="0 0 316 104">'
            '<title id="chart-tips">Findings for each of the ten tips</title>'
            '<line x1="0" y1="80.5" x2="316" y2="80.5" stroke="#d0d7de"/>' + "".join(bars) +
            f'</svg><figcaption>Findings for each of the ten tips (tip number below each bar).{e(why)}'
            f'<br><span class="legend">{legend}</span></figcaption></figure>')


def tips_section(report: Report) -> str:
    cols = s.columns(report)
    rows = s.tip_rows(report)
    head = "".join(f'<th class="col" scope="col" title="{e(c.path)}"><span>{e(c.label)}</span></th>' for c in cols)
    body = "".join(_tip_row(row, cols, report) for row in rows)
    total = s.tip_total(rows)
    why = (f" {s.MULTI_TIP_NOTE}, so the tips' numbers add up to {total} for {len(report.findings)} finding(s)."
           if total > len(report.findings) else "")
    return (
        '<section id="tips"><h2>The ten tips</h2>'
        '<p class="note">One row per tip, one column per file checked. ✓ passes every rule of the tip; '
        "✗ has errors, ! warnings, i notes or to-dos (with their number); · no rule of the tip applies to that "
        f"kind of file.{e(why)} The findings section below names each rule.</p>"
        '<div class="scroll"><table id="tips-matrix">'
        f'<thead><tr><th class="tip" scope="col">Tip</th><th scope="col" class="rules">Rules</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div></section>"
    )


def _tip_row(row: s.TipRow, cols: Sequence[s.Column], report: Report) -> str:
    number = str(row.tip) if row.tip else "–"
    cells = "".join(_cell(cell, col) for cell, col in zip(row.cells, cols, strict=True))
    fired = len({f.rule for f in report.findings} & set(row.rules))
    rules = f"{len(row.rules)} rule(s), {fired} with findings" if row.rules else "no rules yet"
    return (f'<tr data-tip="{row.tip}" data-status="{e(row.status)}">'
            f'<th scope="row" class="tip"><span class="tipno">{e(number)}</span>{e(row.title)}</th>'
            f'<td class="rules" title="{e(", ".join(row.rules))}">{e(rules)}</td>{cells}</tr>')


def _cell(cell: s.Cell, col: s.Column) -> str:
    css = "na" if cell.status == s.NOT_APPLICABLE else cell.status
    count = f" {cell.count}" if cell.count else ""
    tip = f"{col.path}: {WORDS[cell.status]}" + (f" ({cell.count} finding(s))" if cell.count else "")
    return f'<td class="cell {css}" title="{e(tip)}">{SYMBOLS[cell.status]}{count}</td>'


def section(ident: str, title: str, body: str) -> str:
    return f'<section id="{ident}"><h2>{e(title)}</h2>{body}</section>'


def table(headers: Sequence[str], rows: str) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def note(text: str) -> str:
    return f'<p class="note">{e(text)}</p>'


def deadlines_section(deadlines: Sequence[Deadline]) -> str:
    if not deadlines:
        return section("deadlines", "Deadlines",
                       note("Nothing is overdue and nothing that smlint watches falls due in the next 90 days."))
    rows = "".join(
        f'<tr class="{"error" if d.days_left < 0 else "warning" if d.days_left <= 30 else ""}">'
        f'<td class="date">{e(d.due)}</td>'
        f"<td>{e(d.message or d.title)} <small>({e(d.rule)}, "
        f"<code>{e(d.field)}</code>)</small></td><td><code>{e(d.path)}:{d.line}</code></td></tr>"
        for d in deadlines)
    return section("deadlines", "Deadlines: overdue and due in the next 90 days",
                   table(["Date", "What", "Where"], rows))


def findings_section(report: Report) -> str:
    groups = s.by_file(report)
    body = "".join(_file(g) for g in groups) or note("No findings: every file passes every rule.")
    return section("findings", "Findings by file", body)


def _file(group: s.FileGroup) -> str:
    kinds = ", ".join(s.kind_label(k) for k in group.kinds) or "file"
    name = f" · {e(group.name)}" if group.name else ""
    rules = "".join(_rule(g) for g in group.rules)
    return (f'<article class="file" data-path="{e(group.path)}"><h3><code>{e(group.path)}</code> '
            f"<small>{e(kinds)}{name}</small></h3>{_document_note(group)}{rules}</article>")


# a policy kept as a document: the fixes below name the YAML policy's fields, which its readers do not see
_DOCUMENT_SUFFIXES = (".md", ".markdown", ".docx")


def _document_note(group: s.FileGroup) -> str:
    """For a Markdown or Word policy: how to read a fix that names a field, and where to see what was read."""
    if "policy" not in group.kinds or not group.path.lower().endswith(_DOCUMENT_SUFFIXES):
        return ""
    front = "" if group.path.lower().endswith(".docx") else ", or record the field in the front matter"
    return ('<p class="note">This policy is a document, read sentence by sentence. Where a fix names a field '
            "(<code>sections.…</code>), write the commitment as a sentence under that section's heading"
            f"{front}. <code>smlint explain-policy {e(group.path)}</code> shows which sentence was read as "
            "which commitment, and which commitments were found nowhere.</p>")


def _rule(group: s.RuleGroup) -> str:
    severity = max(f.severity for f in group.findings).label
    rule = group.rule
    title = rule.heading if rule else group.findings[0].name
    items = "".join(f'<li class="finding" data-rule="{e(f.rule)}">Line {f.line}, column {f.column}: '
                    f"{_badge(f.severity.label) if f.severity.label != severity else ''}{e(f.message)}"
                    f"{_see_also(f)}</li>"
                    for f in group.findings)
    return (f'<div class="rule {severity}" data-rule="{e(group.rule_id)}">'
            f'<h4>{_badge(severity)}{e(group.rule_id)} {e(title)}</h4>'
            f"<ul>{items}</ul>{_advice(rule)}</div>")


def _see_also(finding: Finding) -> str:
    """The other places a finding is about (another artifact, or the export a vendor's fact came from)."""
    if not finding.related:
        return ""
    places = ", ".join(f"<code>{e(r.path)}</code> line {r.line}" for r in finding.related)
    return f'<span class="see-also">See also: {places}</span>'


def _badge(severity: str) -> str:
    return f'<span class="sev {severity}">{e(severity)}</span>'


def prose(text: str) -> str:
    """Escaped rule prose, with `backquoted` field names set as code."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", e(" ".join(text.split())))


def _advice(rule: Rule | None) -> str:
    if rule is None:
        return ""
    cites = "; ".join(citation_lines(rule.citations))
    tips = f"Tip(s) {', '.join(str(t) for t in rule.tips)}. " if rule.tips else ""
    laws = "; ".join(_law(law_id) for law_id in rule.laws if get_law(law_id) is not None)
    return (f'<p class="fix"><strong>How to fix:</strong> {prose(rule.remediation)}</p>'
            f'<p class="cites"><strong>Sources:</strong> {e(tips)}{e(cites)}</p>'
            + (f'<p class="law"><strong>Law and status:</strong> {e(laws)}</p>' if laws else ""))


def _law(law_id: str) -> str:
    """A law and its status, and whom it binds when not every social worker: a practice outside HIPAA reads
    that the HIPAA rules beside a Code duty are not its own."""
    law = get_law(law_id)
    assert law is not None
    binds = "; binds HIPAA covered entities" if law.binds == "covered-entity" else ""
    return f"{law.name} ({law.status}{binds})"


def suppressed_section(suppressed: Sequence[Suppressed]) -> str:
    title = "Suppressed and waived findings"
    if not suppressed:
        return section("suppressed", title, note("None: no finding was suppressed, waived or accepted into a "
                                                 "baseline."))
    rows = "".join(
        f'<tr data-rule="{e(x.finding.rule)}"><td>{e(x.finding.rule)}</td>'
        f"<td><code>{e(x.finding.path)}:{x.finding.line}</code></td><td>{e(x.how)}</td><td>{e(x.reason)}</td>"
        f"<td>{e(x.owner or '—')}</td><td>{e(x.until or 'no expiry')}</td><td><code>{e(x.source)}</code></td></tr>"
        for x in suppressed)
    return section("suppressed", title,
                   note("The audit trail: findings kept out of the results, who accepted them, why and until when.")
                   + table(["Rule", "Where", "How", "Reason", "Owner", "Until", "Written in"], rows))


def artifacts_section(report: Report) -> str:
    """Every file checked, with its kinds, names and result; files that are not artifacts included."""
    statuses = {g.path: g.status for g in s.by_file(report)}
    names: dict[str, list[str]] = {}
    for artifact in report.artifacts:
        if artifact.name not in names.setdefault(artifact.path, []):
            names[artifact.path].append(artifact.name)
    files = [(f.path, f.kinds) for f in report.files] or [(a.path, (a.kind,)) for a in report.artifacts]
    listed = {path for path, _ in files}
    files += [(path, ()) for path in statuses if path not in listed]
    rows = "".join(_artifact_row(path, kinds, "; ".join(n for n in names.get(path, []) if n),
                                 statuses.get(path, s.PASS)) for path, kinds in files)
    return section("artifacts", "Files checked", table(["File", "Kind", "Name", "Result"], rows))


def _artifact_row(path: str, kinds: Sequence[str], name: str, status: str) -> str:
    kind = ", ".join(s.kind_label(k) for k in kinds) if kinds else "not an artifact (read, not checked)"
    return (f'<tr><td><code>{e(path)}</code></td><td>{e(kind)}</td><td>{e(name)}</td>'
            f'<td class="{e(status)}">{SYMBOLS[status]} {e(WORDS[status])}</td></tr>')
