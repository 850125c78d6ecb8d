"""The HTML compliance report, read back with html.parser: structure, self-containment, escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smlint.model import Finding, Report, Severity, Suppressed
from smlint.reporters import RenderOptions, render
from tests.acceptance.report.conftest import Element, parse
from tests.conftest import TODAY, Run

COLUMNS = ["couples-intake", "new-client-intake", "technology-policy", "simplepractice", "square", "textnow",
           "voiply", "zoom"]


def cells(row: Element) -> list[str]:
    return [td.all_text for td in row.find_all("td", **{}) if "cell" in td.attrs.get("class", "")]


def test_report_loads_nothing_external(noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    html, _ = noncompliant
    tree = parse(html)
    tags = {tag for tag, _ in tree.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source", "base"}
    for _, attrs in tree.tags:
        assert "src" not in attrs
        assert all(value.startswith("#") for name, value in attrs.items() if name in ("href", "xlink:href"))
        assert not any(v.startswith(("http:", "https:", "//")) for v in attrs.values())
    assert "url(" not in html and "@import" not in html
    (csp,) = tree.root.find_all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert csp.attrs["content"].startswith("default-src 'none';")
    assert len(tree.root.find_all("style")) == 1
    assert len(tree.root.find_all("svg")) == 2


def test_header_names_the_organisation_date_and_counts(noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    html, findings = noncompliant
    root = parse(html).root
    (h1,) = root.find_all("h1")
    assert h1.all_text == "Lakeside Counseling Collective"
    assert root.by_id("headline").all_text == "17 problem(s) to fix, 2 date(s) overdue."
    assert sum(1 for f in findings if f["severity"] == "error") == 17
    meta = root.find_all("p", **{"class": "meta"})[0].all_text
    assert meta == f"As of {TODAY} · 8 file(s) and 8 artifact(s) checked against 16 rules"
    counts = {div.children[0].all_text: div.children[1].all_text for div in root.find_all("dl")[0].children}
    assert counts == {"Problems to fix": "17", "Warnings": "0", "Notes and to-dos": "0",
                      "Dates due or overdue": "2", "Suppressed": "0"}


def test_tips_matrix_has_each_tip_its_rules_and_a_cell_per_artifact(
        noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    html, _ = noncompliant
    matrix = parse(html).root.by_id("tips-matrix")
    heads = matrix.find_all("th", scope="col")
    assert [h.all_text for h in heads] == ["Tip", "Rules", *COLUMNS]
    assert [h.attrs["title"].rsplit("/", 1)[-1].removesuffix(".yaml") for h in heads[2:]] == COLUMNS
    rows = matrix.find_all("tr")[1:]
    assert [r.attrs["data-tip"] for r in rows] == [*(str(n) for n in range(1, 11)), "0"]
    by_tip = {r.attrs["data-tip"]: r for r in rows}
    assert by_tip["9"].find_all("td")[0].all_text == "SM102, SM304"
    assert cells(by_tip["9"]) == ["·", "·", "✗ 3", "✓", "✗ 1", "✓", "✓", "✓"]
    assert cells(by_tip["3"]) == ["·"] * 8
    assert by_tip["3"].attrs["data-status"] == "n/a"
    assert cells(by_tip["0"]) == ["✓", "✓", "✓", "✗ 1", "✓", "✓", "✓", "✓"]
    assert {r.attrs["data-status"] for tip, r in by_tip.items() if tip not in ("3", "6")} == {"error"}


def test_every_fired_rule_is_named_with_its_finding(noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    html, findings = noncompliant
    root = parse(html).root.by_id("findings")
    items = root.find_all("li", **{"class": "finding"})
    assert len(items) == len(findings)
    assert {li.attrs["data-rule"] for li in items} == {f["rule"] for f in findings}
    texts = {li.all_text for li in items}
    for f in findings:
        assert any(t.startswith(f"Line {f['line']}, column {f['column']}: ") and t.endswith(f["message"])
                   for t in texts), f
    files = [a.attrs["data-path"] for a in root.find_all("article")]
    assert files == sorted({f["path"] for f in findings})
    for group in root.find_all("div"):
        if "data-rule" in group.attrs:
            text = group.all_text
            assert "How to fix:" in text and "Sources:" in text, group.attrs["data-rule"]
    sm304 = next(g for g in root.find_all("div") if g.attrs.get("data-rule") == "SM304")
    assert "NASW Code of Ethics (2017): 1.07(a), 1.07(m)" in sm304.all_text


def test_deadlines_overdue_are_listed(noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    root = parse(noncompliant[0]).root.by_id("deadlines")
    rows = [[td.all_text for td in tr.find_all("td")] for tr in root.find_all("tr")[1:]]
    assert rows == [
        ["2025-01-08", "417 day(s) overdue", "Policy reviewed within the last 12 months (SM101, last_reviewed)",
         "examples/noncompliant/policies/technology-policy.yaml:7"],
        ["2025-02-01", "393 day(s) overdue", "Business associate agreement has not expired (SM306, expires)",
         "examples/noncompliant/vendors/simplepractice.yaml:9"],
    ]


def test_deadlines_look_ninety_days_ahead(run: Run) -> None:
    def deadlines(today: str) -> list[list[str]]:
        html = run("check", "examples/compliant", "--today", today, "--format", "html")
        section = parse(html.stdout).root.by_id("deadlines")
        return [[td.all_text for td in tr.find_all("td")][:2] for tr in section.find_all("tr")[1:]]

    assert deadlines("2026-12-20") == [["2027-01-20", "in 31 day(s)"], ["2027-03-10", "in 80 day(s)"]]
    assert deadlines("2026-10-01") == []
    assert run("check", "examples/compliant", "--today", "2026-12-20", "--format", "html").exit_code == 0


def test_report_never_quotes_file_values(noncompliant: tuple[str, list[dict[str, Any]]]) -> None:
    html, _ = noncompliant
    assert "LAKESIDE COUNSELING" not in html
    assert "lakeside-counseling.example" not in html


def test_everything_is_escaped(run: Run, tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "kind: policy\norganisation: '<script>alert(1)</script> & Co'\nversion: '1'\neffective: 2026-01-01\n"
        "last_reviewed: 2026-01-01\napproved_by: {name: A, role: B}\nsections: {}\n", encoding="utf-8")
    (tmp_path / "v&<b>.yaml").write_text(
        "kind: vendor\nname: '\"><img src=x onerror=alert(1)>'\ncategory: storage\nhandles_client_data: true\n",
        encoding="utf-8")
    result = run("check", str(tmp_path), "--today", TODAY, "--format", "html")
    assert result.exit_code == 1
    tree = parse(result.stdout)
    assert not {tag for tag, _ in tree.tags} & {"script", "img", "b"}
    assert tree.root.find_all("h1")[0].all_text == "<script>alert(1)</script> & Co"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in result.stdout
    assert any(a.attrs["data-path"].endswith("v&<b>.yaml") for a in tree.root.find_all("article"))


def test_suppressed_and_waived_findings_are_an_audit_trail() -> None:
    finding = Finding("SM301", "vendor-client-data-without-baa", Severity.ERROR, "vendors/zoom.yaml", 8, 3, 8, 20,
                      "this vendor handles client data but has no signed business associate agreement",
                      "vendor", "/baa/status")
    report = Report((), 1, suppressed=(
        Suppressed(finding, "waiver", "BAA signed <pending> countersignature", ".smlint-waivers.yaml",
                   "2026-04-01", "Compliance Officer"),
        Suppressed(finding, "inline", "legacy account", "vendors/zoom.yaml:8")), today=TODAY)
    root = parse(render("html", report, RenderOptions())).root
    rows = [[td.all_text for td in tr.find_all("td")] for tr in root.by_id("suppressed").find_all("tr")[1:]]
    assert rows == [
        ["SM301", "vendors/zoom.yaml:8", "waiver", "BAA signed <pending> countersignature", "Compliance Officer",
         "2026-04-01", ".smlint-waivers.yaml"],
        ["SM301", "vendors/zoom.yaml:8", "inline", "legacy account", "—", "no expiry", "vendors/zoom.yaml:8"],
    ]
    assert root.by_id("headline").all_text == "No problems to fix."
    counts = {div.children[0].all_text: div.children[1].all_text for div in root.find_all("dl")[0].children}
    assert counts["Suppressed"] == "2"


def test_a_fresh_scaffold_reports_its_to_do_list(run: Run, tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "r"), "--org", "Riverbend Family Services").exit_code == 0
    result = run("check", str(tmp_path / "r"), "--today", TODAY, "--format", "html")
    assert result.exit_code == 0
    root = parse(result.stdout).root
    assert root.find_all("h1")[0].all_text == "Riverbend Family Services"
    assert root.by_id("headline").all_text == "No problems to fix, 40 decision(s) still to fill in."
    other = next(r for r in root.by_id("tips-matrix").find_all("tr") if r.attrs.get("data-tip") == "0")
    assert other.attrs["data-status"] == "info"
