"""Scores the clause reader on the prose corpus (tests/corpus/prose): ten Markdown and two Word policies
written as practices write them, against an answer key written before smlint read them.

A prediction is a concept found established or contradicted (with its number, where the key gives one);
it is right when the key says the same. Precision: right predictions / predictions; recall: right
predictions / concepts the key finds. `python -m tests.acceptance.test_prose_corpus` prints the table
per concept (docs/clause-catalogue.md quotes it).

A second group, tests/corpus/prose/heldout2/ (four policies and their key, written by someone who had not
seen the catalogue's phrasings), is scored on its own: it measures how the reader does on wording it was
not tuned for. `python -m tests.acceptance.test_prose_corpus heldout2 --totals` prints each document's
totals only; `--only NAME[,NAME]` restricts the documents (so a held-out text's misses stay unseen).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from smlint.clauses import CONTRADICTED, ESTABLISHED, NOT_FOUND, builtin_catalogue, read
from smlint.loader import DEFAULT_LIMITS, load_text
from smlint.prose import docx_blocks, markdown_blocks
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus" / "prose"
HELDOUT2 = CORPUS / "heldout2"
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90


@dataclass
class Score:
    right: Counter[str]
    predicted: Counter[str]
    expected: Counter[str]
    misses: list[str]

    def precision(self, concept: str | None = None) -> float:
        got = self.predicted[concept] if concept else sum(self.predicted.values())
        right = self.right[concept] if concept else sum(self.right.values())
        return right / got if got else 1.0

    def recall(self, concept: str | None = None) -> float:
        want = self.expected[concept] if concept else sum(self.expected.values())
        right = self.right[concept] if concept else sum(self.right.values())
        return right / want if want else 1.0


def answers(group: Path = CORPUS) -> dict[str, Any]:
    key = load_text((group / "answers.yaml").read_text(encoding="utf-8"), "answers.yaml").documents[0].data
    assert isinstance(key, dict)
    return key


def documents(folder: Path, group: Path = CORPUS) -> dict[str, Path]:
    """The group's policies: its Markdown files, and for the main corpus the Word files built into `folder`."""
    from tests.corpus.prose.make_docx import build

    found = {p.name: p for p in sorted(group.glob("*.md"))}
    if group == CORPUS:
        found.update(build(folder))
    return found


def predictions(path: Path) -> dict[str, tuple[str, Any]]:
    if path.suffix == ".docx":
        blocks, problem = docx_blocks(path.read_bytes(), DEFAULT_LIMITS)
        assert problem is None, problem
    else:
        blocks = markdown_blocks(path.read_text(encoding="utf-8"))
    reading = read(blocks)
    out = {}
    for concept in builtin_catalogue().concepts:
        state = reading.state(concept.name)
        if state != NOT_FOUND:
            fact = reading.decisive(concept.name)
            out[concept.name] = (state, fact.value if fact is not None else None)
    return out


def expected_of(entry: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    values = entry.get("values") or {}
    out = {name: (ESTABLISHED, values.get(name)) for name in entry.get("established") or ()}
    out.update({name: (CONTRADICTED, None) for name in entry.get("contradicted") or ()})
    return out


def score(folder: Path, group: Path = CORPUS, only: Sequence[str] = ()) -> Score:
    """The group's score over all its documents (or those named in `only`)."""
    result = Score(Counter(), Counter(), Counter(), [])
    for one in score_documents(folder, group, only).values():
        result.right.update(one.right)
        result.predicted.update(one.predicted)
        result.expected.update(one.expected)
        result.misses.extend(one.misses)
    return result


def score_documents(folder: Path, group: Path = CORPUS, only: Sequence[str] = ()) -> dict[str, Score]:
    """Each document's score."""
    key = answers(group)
    docs = documents(folder, group)
    assert sorted(key) == sorted(docs), "every corpus document has an answer key, and only those"
    assert set(only) <= set(docs), f"no such documents: {sorted(set(only) - set(docs))}"
    return {name: score_document(name, path, expected_of(key[name]))
            for name, path in docs.items() if not only or name in only}


def score_document(name: str, path: Path, want: Mapping[str, tuple[str, Any]]) -> Score:
    result = Score(Counter(), Counter(), Counter(), [])
    got = predictions(path)
    for concept, (state, value) in got.items():
        result.predicted[concept] += 1
        expected = want.get(concept)
        if expected is not None and expected[0] == state and (expected[1] is None or expected[1] == value):
            result.right[concept] += 1
        else:
            result.misses.append(f"{name}: {concept} read as {state} ({value!r}), key {expected}")
    for concept in want:
        result.expected[concept] += 1
        if concept not in got:
            result.misses.append(f"{name}: {concept} not found, key {want[concept]}")
    return result


@pytest.mark.parametrize("group", [CORPUS, HELDOUT2], ids=["corpus", "heldout2"])
def test_every_key_names_real_concepts(group: Path) -> None:
    names = {c.name for c in builtin_catalogue().concepts}
    for document, entry in answers(group).items():
        listed = [*(entry.get("established") or ()), *(entry.get("contradicted") or ()), *(entry.get("values") or {})]
        assert set(listed) <= names, document
        assert not set(entry.get("established") or ()) & set(entry.get("contradicted") or ()), document


def test_the_corpus_has_the_structures_the_issue_asks_for() -> None:
    key = answers()
    assert len(key) >= 12
    assert sum(1 for name in key if name.endswith(".docx")) >= 2
    assert sum(len(entry.get("contradicted") or ()) for entry in key.values()) >= 15  # negations and permissions


def test_concept_extraction_meets_the_floors(tmp_path: Path) -> None:
    result = score(tmp_path)
    assert result.precision() >= PRECISION_FLOOR, "\n".join(result.misses)
    assert result.recall() >= RECALL_FLOOR, "\n".join(result.misses)


def test_the_held_out_policies_meet_the_floors(tmp_path: Path) -> None:
    """The four policies written blind (heldout2: a county manual chapter, a couples practice's letter to
    clients, a school district procedure with a table, an OTP's terse staff rules) hold the corpus's floors."""
    scores = score_documents(tmp_path, HELDOUT2)
    assert sorted(scores) == ["county-bh-chapter9.md", "couples-practice-letter.md", "otp-staff-tech-rules.md",
                              "school-district-telehealth.md"]
    result = score(tmp_path, HELDOUT2)
    assert result.precision() >= PRECISION_FLOOR, "\n".join(result.misses)
    assert result.recall() >= RECALL_FLOOR, "\n".join(result.misses)
    for name, one in scores.items():  # and each on its own, so that one policy's reading cannot hide
        assert one.precision() >= PRECISION_FLOOR and one.recall() >= RECALL_FLOOR, (name, one.misses)


def test_the_corpus_policies_load_as_policy_documents(tmp_path: Path) -> None:
    from smlint.loader import load_bytes

    for name, path in [*documents(tmp_path).items(), *documents(tmp_path, HELDOUT2).items()]:
        result = load_bytes(path.read_bytes(), name)
        assert [d.kind for d in result.documents] == ["policy"], name
        assert not [p for p in result.problems if p.rule in ("SM000", "SM002", "SM003")], name


def test_the_set_search_prefilter_reads_what_trying_every_concept_reads(tmp_path: Path) -> None:
    """The clause reader searches each sentence once for all concepts (an RE2 set) and classifies only the
    concepts that matched; trying every concept on every sentence must give the same reading."""
    from smlint.prose import markdown_blocks as blocks_of

    paths = [*documents(tmp_path).values(), *documents(tmp_path, HELDOUT2).values(), *(ROOT / "examples").rglob("*.md"),
             *(ROOT / "examples").rglob("*.docx")]
    for path in paths:
        if path.suffix == ".docx":
            blocks, _ = docx_blocks(path.read_bytes(), DEFAULT_LIMITS)
        else:
            blocks = blocks_of(path.read_text(encoding="utf-8"))
        assert read(blocks) == read(blocks, prefilter=False), path.name


def table(result: Score) -> str:
    rows = ["| concept | found in key | read right | precision | recall |", "|---|---|---|---|---|"]
    for concept in sorted({*result.expected, *result.predicted}):
        rows.append(f"| {concept} | {result.expected[concept]} | {result.right[concept]} | "
                    f"{result.precision(concept):.0%} | {result.recall(concept):.0%} |")
    rows.append(f"| **all** | {sum(result.expected.values())} | {sum(result.right.values())} | "
                f"{result.precision():.1%} | {result.recall():.1%} |")
    return "\n".join(rows)


def totals(scores: Mapping[str, Score]) -> str:
    """Each document's totals and the group's (no concept named)."""
    rows = ["| document | found in key | predicted | read right | precision | recall |", "|---|---|---|---|---|---|"]
    every = Score(Counter(), Counter(), Counter(), [])
    for name, one in scores.items():
        every.right.update(one.right)
        every.predicted.update(one.predicted)
        every.expected.update(one.expected)
        rows.append(f"| {name} | {sum(one.expected.values())} | {sum(one.predicted.values())} | "
                    f"{sum(one.right.values())} | {one.precision():.1%} | {one.recall():.1%} |")
    rows.append(f"| **all** | {sum(every.expected.values())} | {sum(every.predicted.values())} | "
                f"{sum(every.right.values())} | {every.precision():.1%} | {every.recall():.1%} |")
    return "\n".join(rows)


def main(argv: Sequence[str]) -> None:  # pragma: no cover
    """`[heldout2] [--totals] [--only NAME,NAME] [-v]`: the main corpus's table (or heldout2's), per concept
    or (`--totals`) per document; `-v` lists the misses."""
    import tempfile

    group = HELDOUT2 if "heldout2" in argv else CORPUS
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else []
    with tempfile.TemporaryDirectory() as folder:
        scores = score_documents(Path(folder), group, only)
    if "--totals" in argv:
        print(totals(scores))
        return
    scored = Score(Counter(), Counter(), Counter(), [])
    for one in scores.values():
        scored.right.update(one.right)
        scored.predicted.update(one.predicted)
        scored.expected.update(one.expected)
        scored.misses.extend(one.misses)
    print(table(scored))
    if "-v" in argv:
        print("\n".join(scored.misses))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])

