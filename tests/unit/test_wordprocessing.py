"""Word policies: paragraphs and table rows numbered as a reader counts them, metadata from the
document-control table (before the properties), and damaged or hostile files refused with a finding."""

from __future__ import annotations

import builtins
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from smlint.formats.wordprocessing import read_docx
from smlint.loader import DEFAULT_LIMITS, load_bytes
from smlint.writtendates import iso_date
from tests.conftest import TODAY, run_cli


def word(*content: tuple[str, Any], **properties: str) -> bytes:
    document = docx.Document()
    for key, value in properties.items():
        setattr(document.core_properties, key, value)
    for style, value in content:
        if style == "table":
            table = document.add_table(rows=0, cols=len(value[0]))
            for row in value:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        else:
            document.add_paragraph(value, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


CONTROL = ("table", [("Organisation", "Pine County Human Services"), ("Document type", "Policy"),
                     ("Version", "5.0"), ("Effective date", "March 1, 2026"), ("Last reviewed", "2026-03-01"),
                     ("Review interval", "Annual"), ("Approved by", "Agency Director, Director")])


def test_paragraphs_and_rows_are_numbered_with_their_heading_path() -> None:
    raw = word(("Title", "Technology Policy"), CONTROL, ("Normal", ""), ("Heading 1", "Texting"),
               ("List Bullet", "Staff may text clients about appointment times only."),
               ("table", [("Topic", "Rule"), ("Video", "FaceTime is not permitted.")]))
    found = read_docx(raw, DEFAULT_LIMITS)
    assert found.problem is None
    shown = [(b.kind, b.span.line, b.where, b.path) for b in found.blocks]
    assert shown == [
        ("heading", 1, "paragraph 1", ("Technology Policy",)),
        # the control table (rows 2-8) is metadata, not clauses; the empty paragraph is not counted
        ("heading", 9, "paragraph 9", ("Technology Policy", "Texting")),
        ("item", 10, "paragraph 10", ("Technology Policy", "Texting")),
        ("row", 11, "table 2, row 1", ("Technology Policy", "Texting")),
        ("row", 12, "table 2, row 2", ("Technology Policy", "Texting")),
    ]
    assert found.meta == {"organisation": "Pine County Human Services", "kind": "policy", "version": "5.0",
                          "effective": "2026-03-01", "last_reviewed": "2026-03-01", "review_interval_months": 12,
                          "approved_by": {"name": "Agency Director", "role": "Director"}}
    assert found.meta_positions["/version"][:2] == (4, 1)


def test_the_table_wins_over_the_properties_which_fill_what_it_lacks() -> None:
    raw = word(("table", [("Version", "5.0"), ("Organisation", "Pine County")]),
               ("Normal", "Staff do not text clients."), title="Tech rules", version="9", category="Policy")
    meta = read_docx(raw, DEFAULT_LIMITS).meta
    assert (meta["version"], meta["title"], meta["kind"]) == ("5.0", "Tech rules", "policy")


def test_a_word_file_that_does_not_say_it_is_a_policy_is_not_an_artifact() -> None:
    result = load_bytes(word(("Normal", "Minutes of the staff meeting.")), "minutes.docx")
    assert (result.documents, result.problems) == ((), ())
    result = load_bytes(word(("Normal", "Staff do not text clients.")), "p.docx", default_kind="policy")
    assert result.documents[0].data["sections"]["texting"]["allowed"] is False


def test_dates_in_common_forms_become_iso_dates() -> None:
    assert [iso_date(t) for t in ("March 1, 2026", "1 March 2026", "03/01/2026", "2026-03-01", "soon")] == [
        "2026-03-01", "2026-03-01", "2026-03-01", "2026-03-01", "soon"]


def problem_of(raw: bytes) -> tuple[str, str]:
    result = load_bytes(raw, "policy.docx")
    assert result.documents == ()
    (problem,) = result.problems
    return problem.rule, problem.message


def test_a_file_that_is_not_a_zip_is_sm000() -> None:
    rule, message = problem_of(b"{\\rtf1 this is a .doc saved with the wrong name}")
    assert rule == "SM000" and "not a Word document" in message


def test_a_zip_without_a_document_is_sm000() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert problem_of(out.getvalue()) == ("SM000", "this zip archive is not a Word document (it has no "
                                                   "word/document.xml)")


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 20_000_000)
    raw = out.getvalue()
    assert len(raw) < 100_000
    rule, message = problem_of(raw)
    assert rule == "SM002" and "compressed more than 100 to 1" in message


def test_a_damaged_word_file_is_sm000() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    rule, message = problem_of(out.getvalue())
    assert rule == "SM000" and message.startswith("this is not a Word document smlint can read (")


def test_without_python_docx_the_finding_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_docx(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "docx" or name.startswith("docx."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_docx)
    assert problem_of(word(("Normal", "x"))) == (
        "SM000", "reading Word policies needs the python-docx package, which is not installed: "
                 "pip install 'smlint[docx]'")


def test_findings_in_word_name_the_paragraph_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.docx").write_bytes(word(
        ("Title", "Technology Policy"), CONTROL, ("Heading 1", "Social media"),
        ("Normal", "Staff do not accept friend requests from clients."),
        ("Heading 1", "Boundaries"), ("Normal", "Staff may accept friend requests from clients.")))
    text = run_cli("check", "policy.docx", "--today", TODAY, "--select", "SM040").stdout
    assert text.splitlines()[1] == (
        "  12:1  error    SM040  this clause contradicts the one at paragraph 10 on 'Staff do not friend, follow or "
        "connect with clients on social media'; the policy is read as allowing it until one of them is changed "
        "(paragraph 12, under 'Technology Policy > Boundaries')")
    report = json.loads(run_cli("check", "policy.docx", "--today", TODAY, "--format", "json").stdout)
    sm103 = [f for f in report["findings"] if f["rule"] == "SM103"]
    assert [(f["line"], f["column"]) for f in sm103] == [(12, 1)]
    assert sm103[0]["message"].endswith("(paragraph 12, under 'Technology Policy > Boundaries')")
    sarif = json.loads(run_cli("check", "policy.docx", "--today", TODAY, "--format", "sarif").stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SM040")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert "paragraph 12" in result["message"]["text"]
    assert [f["rule"] for f in report["findings"] if f["rule"] in ("SM000", "SM001")] == []


def test_a_waiver_hides_a_finding_in_a_word_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".smlint.yaml").write_text("waivers: waivers.yaml\n", encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n  - path: policy.docx\n    pointer: /sections/social_networking/prohibits_client_connections\n"
        "    rule: SM103\n    reason: Board decision pending, see minutes.\n    owner: Clinical Director\n",
        encoding="utf-8")
    (tmp_path / "policy.docx").write_bytes(word(
        ("Title", "Technology Policy"), CONTROL, ("Heading 1", "Boundaries"),
        ("Normal", "Staff may accept friend requests from clients.")))
    report = json.loads(run_cli("check", "policy.docx", "--today", TODAY, "--format", "json").stdout)
    assert [f["rule"] for f in report["findings"] if f["rule"] in ("SM103", "SM013")] == []
    assert [(s["rule"], s["line"], s["suppression"]["how"]) for s in report["suppressed"]] == [("SM103", 10, "waiver")]


def test_a_word_comment_pins_its_paragraph_to_a_concept() -> None:
    document = docx.Document()
    document.add_paragraph("Boundaries", style="Heading 1")
    kept = document.add_paragraph("We keep our professional and personal lives apart online.")
    document.add_comment(kept.runs, text="smlint: clause=client-connections", author="Compliance")
    phones = document.add_paragraph("Phones are for calls.")
    document.add_comment(phones.runs, text="smlint: clause=!texting-allowed", author="Compliance")
    other = document.add_paragraph("Staff do not text clients.")
    document.add_comment(other.runs, text="Please check this wording", author="Reviewer")
    out = io.BytesIO()
    document.save(out)
    found = read_docx(out.getvalue(), DEFAULT_LIMITS)
    assert [b.anchors for b in found.blocks] == [(), ("client-connections",), ("!texting-allowed",), ()]
    from smlint.clauses import CONTRADICTED, ESTABLISHED, read

    reading = read(found.blocks)
    assert (reading.state("client-connections"), reading.state("texting-allowed")) == (ESTABLISHED, CONTRADICTED)
    assert reading.decisive("texting-allowed").pinned  # type: ignore[union-attr]
