"""Property tests: arbitrary bytes, and arbitrary mutations of the example artifacts, never raise and
always give a result for every file; the rule regex vetting never fails with anything but a rejection."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smlint.checks import Context
from smlint.engine import Engine, Selection
from smlint.loader import Limits, LoadResult, load_bytes
from smlint.model import Report
from smlint.registry import load_ruleset
from smlint.reporters import FORMATS, RenderOptions, render
from smlint.safe_regex import RegexRejected, vet_regex
from smlint.snippets import with_sources
from tests.conftest import EXAMPLES

RULESET = load_ruleset()
ENGINE = Engine(Selection.all_of(RULESET), Context(date(2026, 3, 1)))
SOURCES = {p.relative_to(EXAMPLES).as_posix(): p.read_bytes() for p in sorted(EXAMPLES.rglob("*.yaml"))}
NAMES = sorted(SOURCES)
SMALL = Limits(max_bytes=64 * 1024, max_depth=40, max_nodes=5_000, max_value_chars=2_000)
EXAMPLES_PER_PROPERTY = int(os.environ.get("SMLINT_PROPERTY_EXAMPLES", "150"))  # raise it for a deeper run
PROPERTY = settings(max_examples=EXAMPLES_PER_PROPERTY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# YAML's own punctuation, so that mutations reach the parser's odd corners rather than only its error paths
TOKENS = [b"[", b"]", b"{", b"}", b":", b": ", b"- ", b"? ", b"&a ", b"*a", b"!!python/object:os.system ",
          b"!tag ", b"<<: ", b"\n---\n", b"\n...\n", b"%YAML 1.1\n", b"'", b'"', b"|\n", b">-\n", b"#", b",",
          b"\t", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"~", b"1e400", b".nan", b"2026-02-30",
          b"536-22-8714", b"DOB 03/14/1986 John Smith", b"  ", b"\n"]


def _check(named: dict[str, bytes]) -> tuple[list[LoadResult], Report]:
    results = [load_bytes(raw, name, SMALL, is_json=name.endswith(".json")) for name, raw in named.items()]
    findings = ENGINE.check_files(results)
    findings = with_sources(findings, {r.path: r.lines for r in results}, date(2026, 3, 1))
    return results, Report(tuple(findings), len(results), RULESET.rules, today="2026-03-01")


def _every_file_has_a_result(named: dict[str, bytes], results: list[LoadResult], report: Report) -> None:
    assert [r.path for r in results] == list(named)
    for result in results:  # a file without documents and problems holds nothing but comments and markers
        # (and byte order marks, which YAML allows before any document and which are not text)
        assert result.documents or result.problems or all(
            not blank.strip() or blank.lstrip().startswith(("#", "...", "---"))
            for blank in (line.replace("\ufeff", "") for line in result.lines))
    for output_format in FORMATS:
        assert isinstance(render(output_format, report, RenderOptions(show_source=True)), str)


@PROPERTY
@given(st.binary(max_size=2_000), st.sampled_from(["a.yaml", "b.yml", "c.json"]))
def test_arbitrary_bytes_never_raise(raw: bytes, name: str) -> None:
    named = {name: raw, "examples-vendor.yaml": SOURCES["compliant/vendors/doxy-me.yaml"]}
    results, report = _check(named)
    _every_file_has_a_result(named, results, report)
    assert results[1].problems == ()  # the good file beside it is unaffected


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(NAMES))
    data = bytearray(SOURCES[name])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "replace":
            data[at:at + 1] = draw(st.sampled_from(TOKENS))
        else:
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[at:at] = data[at:end]
    return name, bytes(data)


@PROPERTY
@given(st.lists(_mutated(), min_size=1, max_size=3))
def test_mutated_examples_never_raise_and_every_file_gets_a_result(mutations: list[tuple[str, bytes]]) -> None:
    named = {f"{i}-{Path(name).name}": data for i, (name, data) in enumerate(mutations)}
    results, report = _check(named)
    _every_file_has_a_result(named, results, report)


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list("ab.*+?()[]^$|{}0123,-:=!<>\\dwsWSbBé ß")), max_size=40))
def test_regex_vetting_only_ever_rejects(pattern: str) -> None:
    """Vetting raises nothing but RegexRejected, and rejects exactly the patterns RE2 itself cannot compile;
    an accepted pattern is compiled case-insensitively, ready to search any text."""
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options)
        runs = True
    except Exception:
        runs = False
    try:
        compiled = vet_regex(pattern)
    except RegexRejected as rejected:
        assert not runs, f"{pattern!r} runs on RE2 but was rejected: {rejected}"
        assert str(rejected).startswith("RE2, smlint's linear-time engine, cannot run it (")
        assert str(rejected).endswith("); backreferences and lookahead/lookbehind are not supported")
        return
    assert runs, f"{pattern!r} does not compile on RE2 but was accepted"
    compiled.search(pattern)  # never raises, whatever the text
    if pattern.isascii() and pattern.isalpha():
        assert compiled.search(f"x {pattern.upper()} y") is not None  # matching ignores case


def test_regex_vetting_rejects_what_re2_cannot_run_and_overlong_patterns() -> None:
    for pattern in (r"(a)\1", "(?=a)b", "(?<!a)b", "(unclosed"):
        with pytest.raises(RegexRejected, match=r"^RE2, smlint's linear-time engine, cannot run it \("):
            vet_regex(pattern)
    with pytest.raises(RegexRejected, match=r"^longer than 2000 characters$"):
        vet_regex("a" * 2001)
    assert vet_regex("a" * 2000).search("A" * 2000) is not None
    assert vet_regex(r"\bTHERAPY\b").search("online therapy sessions") is not None
    assert vet_regex(r"\bTHERAPY\b").search("therapyst") is None
