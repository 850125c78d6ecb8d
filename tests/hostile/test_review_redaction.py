"""A Google reviews export holds clients' names and words: reviewers' names, their reviews and the
practice's replies. Identifiers planted in each of those fields never reach any output format, with or
without --show-source, and without --show-source not even a plain word of a reply does (docs/security.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from smlint.reporters import FORMATS
from tests.conftest import run_cli

TODAY = "2026-03-01"
# each planted with the cue the client-data detectors use, as in test_redaction_boundary
PLANTED = {
    "reviewer": ("client Zyaqorbel Quavmeno", ("Zyaqorbel", "Quavmeno")),
    "review": ("client Zyebtisk Quebnaro SSN 536-22-8714 says", ("Zyebtisk", "Quebnaro", "536-22-8714", "536228714")),
    "reply": ("client Zyiklomp Quirvato phone 503-282-1934, your sessions", ("Zyiklomp", "Quirvato", "503-282-1934",
                                                                           "5032821934")),
    "reply_email": ("client Zyolpesk Quorbano zyolpesk.q@ovhmail.net", ("Zyolpesk", "Quorbano",
                                                                       "zyolpesk.q@ovhmail.net")),
}
# a word of a reply with no cue at all: the default output must never hold it either
PLAIN = "Xylocarpine"


def _plant(folder: Path) -> None:
    reviews = [
        {"name": "accounts/1/locations/2/reviews/a", "reviewId": "a", "starRating": "ONE",
         "reviewer": {"displayName": PLANTED["reviewer"][0]}, "comment": PLANTED["review"][0],
         "reviewReply": {"comment": f"{PLANTED['reply'][0]} with {PLAIN}; we enjoyed working with you."}},
        {"reviewId": "b", "starRating": "TWO", "reviewer": {"displayName": "Sample Reviewer"},
         "comment": "fine",
         "reviewReply": {"comment": f"{PLANTED['reply_email'][0]}: your insurance and your anxiety"}},
    ]
    (folder / "reviews.json").write_text(json.dumps({"reviews": reviews}, indent=2), encoding="utf-8")


def _leaks(text: str, secrets: list[str]) -> list[str]:
    folded = text.casefold()
    return [s for s in secrets if re.search(rf"(?<![0-9a-z]){re.escape(s.casefold())}(?![0-9a-z])", folded)]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_reviewer_identifier_reaches_any_format(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _plant(tmp_path)
    monkeypatch.chdir(tmp_path)
    secrets = [s for _, found in PLANTED.values() for s in found]
    plain = run_cli("check", ".", "--today", TODAY, "--format", fmt)
    shown = run_cli("check", ".", "--today", TODAY, "--format", fmt, "--show-source")
    assert (plain.exit_code, shown.exit_code) == (1, 1), plain.stderr + shown.stderr
    for result in (plain, shown):
        assert _leaks(result.stdout + result.stderr, secrets) == []
    assert _leaks(plain.stdout + plain.stderr, [PLAIN]) == []


def test_the_findings_are_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above would pass on no output at all: the replies are judged."""
    _plant(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", ".", "--today", TODAY, "--format", "json")
    got = [(f["rule"], f["pointer"]) for f in json.loads(result.stdout)["findings"]]
    assert got == [("SM440", "/reviews"),
                   ("SM377", "/reviews/0/reviewReply/comment"), ("SM378", "/reviews/0/reviewReply/comment"),
                   ("SM379", "/reviews/1/reviewReply/comment"), ("SM380", "/reviews/1/reviewReply/comment")]
