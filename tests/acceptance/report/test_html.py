"""The HTML compliance report, read back with html.parser: structure, self-containment, escaping.

For examples/noncompliant the oracle is the JSON report and the rule catalog of the same run, so that
the tests hold however the catalog grows; fixed repositories built here give exact expectations.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from smlint.loader import load_file
from smlint.model import Finding, Report, Severity, Suppressed
from smlint.overview import artifacts
from smlint.reporters import RenderOptions, render
from tests.acceptance.report.conftest import Element, Expected, parse
from tests.conftest import EXAMPLES, TODAY, Run, run_cli

NONCOMPLIANT = sorted(p.relative_to(EXAMPLES.parent).as_posix() for p in (EXAMPLES / "noncompliant").rglob("*")
                      if p.suffix in (".yaml", ".json", ".html", ".md", ".docx")
                      and p.name != ".smlint.yaml")  # the agency's settings


def kinds_of(path: str) -> set[str]:
    """The kinds of artifact the rules see in a file: its own and its views' (a FHIR form is an intake form)."""
    return {a.kind for a in artifacts([load_file(EXAMPLES.parent / path, path)])}


def cells(row: Element) -> list[str]:
    return [td.all_text for td in row.find_all("td") if "cell" in td.attrs.get("class", "")]


def rows_of(section: Element) -> list[list[str]]:
    return [[td.all_text for td in tr.find_all("td")] for tr in section.find_all("tr")[1:]]


def counts(root: Element) -> dict[str, str]:
    return {div.children[0].all_text: div.children[1].all_text for div in root.find_all("dl")[0].children}


def test_report_loads_nothing_external(noncompliant: tuple[str, Expected]) -> None:
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


def test_header_names_the_organisation_date_and_counts(noncompliant: tuple[str, Expected]) -> None:
    html, expected = noncompliant
    root = parse(html).root
    (h1,) = root.find_all("h1")
    assert h1.all_text == "Lakeside Counseling Collective"
    summary = expected.summary
    deadlines = rows_of(root.by_id("deadlines"))
    overdue = sum(1 for row in deadlines if row[0] < TODAY)
    ahead = len(deadlines) - overdue
    assert root.by_id("headline").all_text == (
        f"{summary['errors']} problem(s) to fix, {summary['warnings']} warning(s), {overdue} date(s) overdue, "
        f"{ahead} deadline(s) in the next 90 days.")
    meta = root.find_all("p", **{"class": "meta"})[0].all_text
    assert meta == (f"As of {TODAY} · {len(NONCOMPLIANT)} file(s) checked, {len(NONCOMPLIANT)} of them artifacts, "
                    f"against {len(expected.rules)} rules")
    assert counts(root) == {"Problems to fix": str(summary["errors"]), "Warnings": str(summary["warnings"]),
                            "Notes and to-dos": str(summary["info"]), "Dates due or overdue": str(len(deadlines)),
                            "Suppressed": "0"}


def test_tips_matrix_has_each_tip_its_rules_and_a_cell_per_artifact(noncompliant: tuple[str, Expected]) -> None:
    html, expected = noncompliant
    matrix = parse(html).root.by_id("tips-matrix")
    heads = matrix.find_all("th", scope="col")
    assert [h.attrs.get("title") for h in heads[2:]] == NONCOMPLIANT
    assert [h.all_text for h in heads[:2]] == ["Tip", "Rules"]
    assert [h.all_text for h in heads[2:]] == [Path(path).stem for path in NONCOMPLIANT]  # wrapped, never cut
    rows = matrix.find_all("tr")[1:]
    assert [r.attrs["data-tip"] for r in rows] == [*(str(n) for n in range(1, 11)), "0"]
    fired = {f["rule"] for f in expected.findings}
    for row in rows:
        tip = int(row.attrs["data-tip"])
        rules = [r for r in expected.rules.values() if (tip in r["tips"] if tip else not r["tips"])]
        summary = row.find_all("td")[0]
        assert summary.all_text == f"{len(rules)} rule(s), {len(fired & {r['id'] for r in rules})} with findings"
        assert summary.attrs["title"] == ", ".join(r["id"] for r in rules)
        want = []
        for path in NONCOMPLIANT:
            applicable = {r["id"] for r in rules if kinds_of(path) & set(r["kinds"])}
            hits = [f for f in expected.findings if f["path"] == path and f["rule"] in applicable]
            worst = max((f["severity"] for f in hits), key=["info", "warning", "error"].index, default=None)
            symbol = {"error": "✗", "warning": "!", "info": "i"}.get(worst or "", "✓" if applicable else "·")
            want.append(f"{symbol} {len(hits)}" if hits else symbol)
        assert cells(row) == want, tip
    by_tip = {r.attrs["data-tip"]: r for r in rows}
    assert cells(by_tip["9"])[NONCOMPLIANT.index("examples/noncompliant/vendors/square.yaml")].startswith("✗")


def test_every_fired_rule_is_named_with_its_finding(noncompliant: tuple[str, Expected]) -> None:
    html, expected = noncompliant
    root = parse(html).root.by_id("findings")
    items = root.find_all("li", **{"class": "finding"})
    assert len(items) == len(expected.findings)
    assert {li.attrs["data-rule"] for li in items} == {f["rule"] for f in expected.findings}
    texts = {li.all_text for li in items}
    for f in expected.findings:
        # a finding about other places too (issue 18: related locations) ends with "See also" and them
        see_also = ("See also: " + ", ".join(f"{r['path']} line {r['line']}" for r in f["related"])
                    if f.get("related") else "")
        assert any(t.startswith(f"Line {f['line']}, column {f['column']}: ") and t.endswith(f["message"] + see_also)
                   for t in texts), f
    assert any("related" in f for f in expected.findings)  # the noncompliant agency has some
    assert [a.attrs["data-path"] for a in root.find_all("article")] == sorted({f["path"] for f in expected.findings})
    groups = [g for g in root.find_all("div") if "data-rule" in g.attrs]
    assert len(groups) == len({(f["path"], f["rule"]) for f in expected.findings})
    for group in groups:
        rule = expected.rules[group.attrs["data-rule"]]
        text = " ".join(group.all_text.split())
        heading = group.find_all("h4")[0].all_text
        assert heading.endswith(f"{rule['id']} {rule['problem']}"), heading  # the problem, not the passing title
        assert heading.removesuffix(f"{rule['id']} {rule['problem']}") in ("error", "warning", "info")
        assert f"How to fix: {' '.join(rule['remediation'].replace('`', '').split())}" in text
        for refs in rule["citations"].values():
            assert ", ".join(refs) in text


def test_overdue_deadlines_match_the_dated_errors(noncompliant: tuple[str, Expected]) -> None:
    html, expected = noncompliant
    rows = rows_of(parse(html).root.by_id("deadlines"))
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    overdue = {(re.search(r"\((SM\d+),", row[1])[1], row[2]) for row in rows  # type: ignore[index]
               if row[0] < TODAY}
    dated = {r["id"] for r in expected.rules.values() if r["check"] == "deadline"}
    located = {(f["rule"], f"{f['path']}:{f['line']}"): f["severity"] for f in expected.findings
               if f["rule"] in dated}
    assert overdue <= set(located)
    assert {where for where, severity in located.items() if severity == "error"} <= overdue
    assert ("SM306", "examples/noncompliant/vendors/simplepractice.yaml:9") in overdue
    assert ["2025-01-08", "The policy's last review is overdue: it was due by 2025-01-08 (417 days ago) "
            "(SM101, last_reviewed)", "examples/noncompliant/policies/technology-policy.docx:6"] in rows
    assert ["2025-02-01", "The business associate agreement expired on 2025-02-01 (393 days ago) (SM306, expires)",
            "examples/noncompliant/vendors/simplepractice.yaml:9"] in rows


def test_deadlines_look_ninety_days_ahead(run: Run, tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "kind: policy\norganisation: O\nversion: '1'\neffective: 2025-05-01\nlast_reviewed: 2025-05-20\n"
        "approved_by: {name: A, role: B}\nsections: {}\n", encoding="utf-8")
    for name, expires in (("a", "2026-05-20"), ("b", "2026-02-01"), ("c", "2026-09-01")):
        (tmp_path / f"{name}.yaml").write_text(
            f"kind: vendor\nname: {name}\ncategory: ehr\nhandles_client_data: true\n"
            f"baa: {{status: signed, signed: 2024-01-01, expires: {expires}}}\n", encoding="utf-8")
    html = run("check", str(tmp_path), "--today", TODAY, "--format", "html").stdout
    rows = rows_of(parse(html).root.by_id("deadlines"))
    assert [(row[0], row[1], Path(row[2]).name) for row in rows] == [
        ("2026-02-01", "The business associate agreement expired on 2026-02-01 (28 days ago) (SM306, expires)",
         "b.yaml:5"),
        ("2026-05-20", "The business associate agreement expires on 2026-05-20 (80 days left); arrange renewal "
         "(SM306, expires)", "a.yaml:5"),
        ("2026-05-20", "The policy's annual review is due by 2026-05-20 (80 days left) (SM101, last_reviewed)",
         "policy.yaml:5"),
    ]


def test_report_never_quotes_file_values(noncompliant: tuple[str, Expected]) -> None:
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
    assert rows_of(root.by_id("suppressed")) == [
        ["SM301", "vendors/zoom.yaml:8", "waiver", "BAA signed <pending> countersignature", "Compliance Officer",
         "2026-04-01", ".smlint-waivers.yaml"],
        ["SM301", "vendors/zoom.yaml:8", "inline", "legacy account", "—", "no expiry", "vendors/zoom.yaml:8"],
    ]
    assert root.by_id("headline").all_text == "No problems to fix."
    assert counts(root)["Suppressed"] == "2"


def test_a_fresh_scaffold_reports_its_to_do_list(run: Run, tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "r"), "--org", "Riverbend Family Services").exit_code == 0
    result = run("check", str(tmp_path / "r"), "--today", TODAY, "--format", "html")
    assert result.exit_code == 0
    root = parse(result.stdout).root
    assert root.find_all("h1")[0].all_text == "Riverbend Family Services"
    assert root.by_id("headline").all_text == "No problems to fix, 47 decision(s) still to fill in."
    other = next(r for r in root.by_id("tips-matrix").find_all("tr") if r.attrs.get("data-tip") == "0")
    assert other.attrs["data-status"] == "info"
    assert rows_of(root.by_id("deadlines")) == []


def test_files_checked_lists_every_file_with_its_kind(run: Run, tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "r"), "--org", "Riverbend Family Services").exit_code == 0
    html = run("check", str(tmp_path / "r"), "--today", TODAY, "--format", "html").stdout
    rows = {Path(row[0]).relative_to(tmp_path / "r").as_posix(): row[1:] for row in
            rows_of(parse(html).root.by_id("artifacts"))}
    assert rows[".pre-commit-config.yaml"] == ["not an artifact (read, not checked)", "", "✓ passes"]
    assert ".smlint.yaml" not in rows  # smlint's own settings are never walked as artifacts
    assert rows["policies/social-media-technology-policy.yaml"] == ["policy", "Riverbend Family Services",
                                                                   "i note"]
    assert rows["vendors/ehr.yaml"] == ["vendor", "<FILL IN: name of your electronic health record system>",
                                        "i note"]
    assert len(rows) == 9


def test_inline_suppressions_and_waivers_reach_the_audit_trail(run: Run, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "r"
    assert run("init", str(repo)).exit_code == 0
    video = repo / "vendors/telehealth-video.yaml"
    video.write_text(video.read_text(encoding="utf-8").replace(
        "  live_streaming: false",
        "  live_streaming: true  # smlint: disable=SM305 until=2026-06-30 -- public board meetings only"),
        encoding="utf-8")
    voip = repo / "vendors/phone-voip.yaml"
    voip.write_text(voip.read_text(encoding="utf-8").replace("  two_factor: true", "  two_factor: false"),
                    encoding="utf-8")
    before = {f["rule"] for f in json.loads(run("check", str(repo), "--today", TODAY, "--format", "json").stdout)
              ["findings"] if f["path"].endswith("phone-voip.yaml") and f["rule"] != "SM020"}
    assert before == {"SM313"}
    rule = "SM313"
    (repo / ".smlint.yaml").write_text("fail_on: error\nwaivers: waivers.yaml\n", encoding="utf-8")
    (repo / "waivers.yaml").write_text(
        f"waivers:\n  - path: vendors/phone-voip.yaml\n    rule: {rule}\n    reason: Transcripts <off> by July\n"
        "    owner: Office Manager\n    until: 2026-07-31\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    result = run_cli("check", "--today", TODAY, "--format", "html")
    trail = rows_of(parse(result.stdout).root.by_id("suppressed"))
    assert [row[0] for row in trail if row[2] == "inline"] == ["SM305"]
    inline = next(row for row in trail if row[2] == "inline")
    assert inline[1] == "vendors/telehealth-video.yaml:24"
    assert inline[3:6] == ["public board meetings only", "—", "2026-06-30"]
    waived = [row for row in trail if row[2] == "waiver"]
    assert {row[0] for row in waived} == {rule}
    assert waived[0][3:6] == ["Transcripts <off> by July", "Office Manager", "2026-07-31"]
    assert "Transcripts &lt;off&gt; by July" in result.stdout


def test_tips_chart_labels_each_bar_and_explains_its_colours_and_total(noncompliant: tuple[str, Expected]) -> None:
    html, expected = noncompliant
    root = parse(html).root
    rows = root.by_id("tips-matrix").find_all("tr")[1:11]
    counts_by_tip = [sum(int(c.split()[1]) for c in cells(row) if len(c.split()) == 2) for row in rows]
    figure = root.find_all("figure")[1]
    labels = [t.all_text for t in figure.find_all("text")]
    assert labels == [x for n, count in enumerate(counts_by_tip, 1) for x in (str(count), str(n))]
    assert [k.all_text for k in figure.find_all("span", **{"class": "key"})] == ["errors", "warnings, no errors"]
    assert {r.attrs["data-status"] for r in rows} == {"error", "warning"}
    caption = " ".join(figure.find_all("figcaption")[0].all_text.split())
    assert (f"The bars add up to {sum(counts_by_tip)} for {len(expected.findings)} finding(s): a finding counts "
            "under every tip its rule serves.") in caption
    assert sum(counts_by_tip) > len(expected.findings)


def test_footer_states_what_may_be_quoted(noncompliant: tuple[str, Expected]) -> None:
    html, expected = noncompliant
    footer = " ".join(parse(html).root.find_all("footer")[0].all_text.split())
    assert footer.endswith("A finding's message is the rule's own wording; where a rule looks for words, such as "
                           "'therapy' in a statement descriptor, it names which of the rule's words it found. "
                           "No other value is shown.")
    assert "never quote" not in html
    # what the footer allows is what the messages do: SM360 names the word of its own list that it found
    (sm360,) = [f for f in expected.findings if f["rule"] == "SM360"]
    assert "'THERAP'" in sm360["message"]
