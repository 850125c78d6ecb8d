"""Inline directives, waivers and the baseline: the three suppression stages of the gate (`smlint.gate`),
which runs them in that order between the engine's findings and the report.

Inline directives are YAML comments, read from the source lines (never by running anything):

    # smlint: disable=SM301,SM302 until=2026-06-30 -- reason
    # smlint: disable-file=SM305 -- reason

A line directive covers findings that start on its line; a file directive covers the whole file. A
directive with no reason, past its `until` date, naming an unknown rule or that cannot be read does not
suppress anything, and is itself reported (SM010..SM014); so is one that suppresses nothing. Waivers
do the same from one file, for JSON artifacts and for owners who want decisions in one place. The
baseline hides findings recorded earlier, matched by their fingerprint (`smlint.fingerprint`), never by line.
Each stage returns the findings it kept, those it hid and its own problems (findings of SM010..SM015, made by
the run's `FindingFactory`); the gate passes the problems through the later stages.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from smlint.config import read_document, relative_posix
from smlint.document import MISSING, Document, get
from smlint.errors import ConfigError
from smlint.findings import FindingFactory, Selection
from smlint.fingerprint import baseline_v1, fingerprints
from smlint.loader import JSON_SUFFIXES, MARKDOWN_SUFFIXES, WORD_SUFFIXES, LoadResult
from smlint.model import Finding, Span, Suppressed
from smlint.records import record
from smlint.redact import holds_client_data, scrub
from smlint.registry import RuleSet
from smlint.schema import validate
from smlint.toolrules import CLIENT_DATA, EXPIRED, MALFORMED, NO_REASON, UNUSED
from smlint.toolrules import UNKNOWN_SUPPRESSED_RULE as UNKNOWN_RULE

_PREFIX = re.compile(r"\s*smlint\s*:", re.IGNORECASE)
_BODY = re.compile(
    r"\s*(?P<action>disable-file|disable)\s*=\s*(?P<rules>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)"
    r"(?:\s+until\s*=\s*(?P<until>\S+))?\s*",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BASELINE_VERSION = 2  # 2: fingerprints of smlint.fingerprint, as SARIF and GitLab; 1 (read only): the older hash


# -- parsing directives ------------------------------------------------------------------------------


@record
class Directive:
    """One `# smlint:` comment. `error` says why it cannot be read; then the other fields are empty."""

    scope: str = ""  # "line" or "file"
    rules: tuple[str, ...] = ()
    reason: str = ""
    until: date | None = None
    error: str = ""


def parse_directive(comment: str) -> Directive | None:
    """The directive in a comment's text (after '#'), or None when the comment is not for smlint.

    Never raises: anything after ``smlint:`` that does not read as a directive gives an `error`.
    """
    prefix = _PREFIX.match(comment)
    if prefix is None:
        return None
    head, separator, reason = comment[prefix.end():].partition("--")
    body = _BODY.fullmatch(head)
    if body is None:
        return Directive(error="write it as '# smlint: disable=SM301 -- reason' "
                               "(or disable-file=...), optionally with until=YYYY-MM-DD before the '--'")
    until: date | None = None
    if body["until"] is not None:
        until = _parse_date(body["until"])
        if until is None:
            return Directive(error="its until date is not a real date; write it as YYYY-MM-DD")
    rules = tuple(r.strip() for r in body["rules"].split(","))
    scope = "file" if body["action"].lower() == "disable-file" else "line"
    return Directive(scope, rules, " ".join(reason.split()) if separator else "", until)


def _parse_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@record
class Located:
    directive: Directive
    line: int
    column: int
    end_column: int
    covers: int = 0  # the line whose findings a line directive hides: its own, or (Markdown) the next one

    @property
    def target(self) -> int:
        return self.covers or self.line


_HTML_COMMENT = re.compile(r"<!--(.*?)-->")
_CLAUSE_PIN = re.compile(r"\s*smlint\s*:\s*clause\s*=", re.IGNORECASE)


def scan(result: LoadResult) -> list[Located]:
    """Every smlint directive in a YAML file's real comments (not '#' inside strings or block text), or in
    a Markdown file's HTML comments. A Word file has none: waivers serve it."""
    path = result.path.lower()
    if path.endswith(MARKDOWN_SUFFIXES):
        return _markdown_directives(result.lines)
    if path.endswith(JSON_SUFFIXES + WORD_SUFFIXES):
        return []
    candidates = [n for n, text in enumerate(result.lines, 1) if "smlint" in text.lower() and "#" in text]
    if not candidates:
        return []
    spans = _scalar_spans(result.documents, result.lines, set(candidates)) if result.documents else None
    found = []
    for number in candidates:
        text = result.lines[number - 1]
        start = _comment_start(text, number, spans)
        if start is None:
            continue
        directive = parse_directive(text[start + 1:])
        if directive is not None:
            found.append(Located(directive, number, start + 1, len(text) + 1))
    return found


def _markdown_directives(lines: Sequence[str]) -> list[Located]:
    """`<!-- smlint: disable=SM139 -- reason -->` comments. One that shares its line with text hides that
    line's findings; one alone on its line hides the findings of the next line that is not blank (the
    paragraph, list item or heading it stands above). `clause=` comments are anchors, not directives."""
    found = []
    for number, text in enumerate(lines, 1):
        if "smlint" not in text.lower() or "<!--" not in text:
            continue
        for match in _HTML_COMMENT.finditer(text):
            inner = match.group(1)
            if _CLAUSE_PIN.match(inner):
                continue
            directive = parse_directive(inner)
            if directive is None:
                continue
            alone = not (text[:match.start()] + text[match.end():]).strip()
            covers = next((n for n in range(number + 1, len(lines) + 1) if lines[n - 1].strip()), number) \
                if alone else number
            found.append(Located(directive, number, match.start() + 1, match.end() + 1, covers))
    return found


def _comment_start(text: str, number: int, spans: Mapping[int, list[Span]] | None) -> int | None:
    if spans is None:
        return _lexical_comment_start(text)
    here = spans.get(number, [])
    for index, char in enumerate(text):
        if char == "#" and (index == 0 or text[index - 1] in " \t") and not _inside(here, number, index + 1):
            return index
    return None


def _inside(spans: Iterable[Span], line: int, column: int) -> bool:
    return any((s.line, s.column) <= (line, column) < (s.end_line, s.end_column) for s in spans)


def _scalar_spans(documents: Sequence[Document], lines: Sequence[str], wanted: set[int]) -> dict[int, list[Span]]:
    """Where keys and scalar values stand, by line (only the `wanted` lines): a '#' inside one of them is
    text, not a comment."""
    by_line: dict[int, list[Span]] = defaultdict(list)

    def add(span: Span) -> None:
        if span.end_line - span.line < len(wanted):
            lines = wanted.intersection(range(span.line, span.end_line + 1))
        else:
            lines = {line for line in wanted if span.line <= line <= span.end_line}
        for line in lines:
            by_line[line].append(span)

    for doc in documents:
        for pointer, position in doc.positions.items():
            if position.key is not None:
                add(position.key)
            value = get(doc.data, pointer)
            if value is MISSING or isinstance(value, (dict, list)):
                continue
            add(_block_content(position.value, lines))
    return by_line


def _block_content(span: Span, lines: Sequence[str]) -> Span:
    """A block scalar (`|` or `>`) starts on the next line: its indicator line may carry a comment."""
    if 0 < span.line <= len(lines):
        text = lines[span.line - 1]
        if 0 < span.column <= len(text) and text[span.column - 1] in "|>":
            return Span(span.line + 1, 1, span.end_line, span.end_column)
    return span


def _lexical_comment_start(text: str) -> int | None:
    """For files that did not parse: the first '#' outside quotes that starts a comment."""
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if quote and char == quote:
            if quote == "'" and text[index + 1:index + 2] == "'":
                index += 2
                continue
            quote = ""
        elif not quote and char in "'\"" and text[:index].rstrip()[-1:] in ("", ":", "-", "[", "{", ","):
            quote = char
        elif not quote and char == "#" and (index == 0 or text[index - 1] in " \t"):
            return index
        index += 1
    return None


# -- the filter --------------------------------------------------------------------------------------


@record
class Waiver:
    index: int
    line: int
    column: int
    path: str
    pointer: str | None
    rule: str
    reason: str
    until: date | None
    owner: str | None


@record
class Waivers:
    display: str
    base: Path
    entries: tuple[Waiver, ...]


@record
class Baseline:
    display: str
    base: Path
    fingerprints: frozenset[str]
    version: int = BASELINE_VERSION  # 1: written before smlint.fingerprint (read with `fingerprint.baseline_v1`)


@dataclass
class _Use:
    """Which of a directive's or waiver's rules suppressed something."""

    used: set[str] = field(default_factory=set)


_Active = tuple[Located, list[str], _Use]


Stage = tuple[list[Finding], list[Suppressed], list[Finding]]  # kept, hidden, the stage's own problems


@record
class Suppressor:
    """The suppression stages of one run (`smlint.gate.Gate` calls them)."""

    ruleset: RuleSet
    make: FindingFactory
    today: date
    root: Path = field(default_factory=Path.cwd)

    @property
    def selection(self) -> Selection:
        return self.make.selection

    # -- problems are findings of the SM01x rules --------------------------------------------------

    def _problem(self, rule_id: str, path: str, line: int, column: int, end_column: int, message: str,
                 pointer: str = "") -> list[Finding]:
        return self.make.problem(rule_id, path, Span(line, column, line, end_column), message, pointer)

    def _resolve(self, names: Iterable[str]) -> tuple[list[str], int]:
        ids, unknown = [], 0
        for name in names:
            rule = self.ruleset.get(name)
            if rule is None:
                unknown += 1
            else:
                ids.append(rule.id)
        return ids, unknown

    # -- inline ------------------------------------------------------------------------------------

    def inline(self, findings: Sequence[Finding], results: Sequence[LoadResult]) -> Stage:
        """The `# smlint:` directives in the checked files."""
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            by_path[finding.path].append(finding)
        loaded = {r.path for r in results}
        kept: list[Finding] = [f for f in findings if f.path not in loaded]
        hidden: list[Suppressed] = []
        problems: list[Finding] = []
        for result in results:
            file_findings = by_path.get(result.path, [])
            located = scan(result)
            if not located:
                kept.extend(file_findings)
                continue
            active, trouble = self._vet(result.path, located)
            problems.extend(trouble)
            file_kept, file_hidden = self._match(result.path, file_findings, active)
            kept.extend(file_kept)
            hidden.extend(file_hidden)
            problems.extend(self._unused(result.path, active))
        return kept, hidden, problems

    def _vet(self, path: str, located: Sequence[Located]) -> tuple[list[_Active], list[Finding]]:
        """Directives that may suppress, with their rule ids; and the problems of the others."""
        active = []
        problems: list[Finding] = []
        for item in located:
            d = item.directive
            where = (path, item.line, item.column, item.end_column)
            if d.error:
                problems += self._problem(MALFORMED, *where, f"this smlint comment cannot be read: {d.error}")
                continue
            ids, unknown = self._resolve(d.rules)
            trouble = []
            if unknown:
                trouble += self._problem(UNKNOWN_RULE, *where,
                                         "this suppression names a rule smlint does not know, so it suppresses "
                                         "nothing; check the rule id (`smlint rules` lists them)")
            if not d.reason:
                trouble += self._problem(NO_REASON, *where,
                                         "this suppression gives no reason, so it suppresses nothing; add why "
                                         "after ' -- ' (for example: -- BAA signed, copy in the compliance binder)")
            if d.until is not None and d.until < self.today:
                trouble += self._problem(EXPIRED, *where,
                                         f"this suppression expired on {d.until.isoformat()}, so the finding is "
                                         "reported again; fix it, or renew the decision with a new date and reason")
            if unknown or not d.reason or (d.until is not None and d.until < self.today):
                problems += trouble
                continue
            if holds_client_data(d.reason, self.today):
                problems += self._problem(CLIENT_DATA, *where, "this suppression's reason holds what looks like a "
                                          "client identifier; describe the decision without naming the client")
            active.append((item, ids, _Use()))
        return active, problems

    def _match(self, path: str, findings: Sequence[Finding], active: Sequence[_Active]
               ) -> tuple[list[Finding], list[Suppressed]]:
        by_line: dict[int, list[_Active]] = defaultdict(list)
        whole_file: list[_Active] = []
        for entry in active:
            (whole_file if entry[0].directive.scope == "file" else by_line[entry[0].target]).append(entry)
        kept, hidden = [], []
        for finding in findings:
            match = next(((item, use) for item, ids, use in (*by_line.get(finding.line, ()), *whole_file)
                          if finding.rule in ids), None)
            if match is None:
                kept.append(finding)
                continue
            item, use = match
            use.used.add(finding.rule)
            d = item.directive
            hidden.append(Suppressed(finding, "inline" if d.scope == "line" else "file",
                                     scrub(d.reason, today=self.today), f"{path}:{item.line}",
                                     d.until.isoformat() if d.until else None))
        return kept, hidden

    def _unused(self, path: str, active: Sequence[_Active]) -> list[Finding]:
        problems: list[Finding] = []
        for item, ids, use in active:
            idle = [i for i in dict.fromkeys(ids) if i not in use.used and self.selection.enabled(i)]
            if idle:
                where = "on this line" if item.directive.scope == "line" else "in this file"
                problems += self._problem(UNUSED, path, item.line, item.column, item.end_column,
                                          f"this suppression hides nothing: there is no {', '.join(idle)} finding "
                                          f"{where}; remove it, or list only the rules it is for")
        return problems

    # -- waivers -----------------------------------------------------------------------------------

    def waive(self, findings: Sequence[Finding], waivers: Waivers, checked: set[str]) -> Stage:
        """The waivers file's entries for the checked files."""
        source_path = waivers.display
        active: list[tuple[Waiver, str]] = []
        problems: list[Finding] = []
        files = {self._rel(path, waivers.base): path for path in checked}
        for waiver in waivers.entries:
            if waiver.path not in files:
                continue
            rule = self.ruleset.get(waiver.rule)
            where = (source_path, waiver.line, waiver.column, waiver.column + 1)
            pointer = f"/waivers/{waiver.index}"
            if rule is None:
                problems += self._problem(UNKNOWN_RULE, *where, "this waiver names a rule smlint does not know, "
                                          "so it waives nothing; check the rule id", pointer)
            elif waiver.until is not None and waiver.until < self.today:
                problems += self._problem(EXPIRED, *where, f"this waiver expired on {waiver.until.isoformat()}, "
                                          "so the finding is reported again; fix it, or renew the decision with "
                                          "a new date and reason", pointer)
            else:
                active.append((waiver, rule.id))
            if holds_client_data(waiver.reason, self.today) or holds_client_data(waiver.owner or "", self.today):
                problems += self._problem(CLIENT_DATA, *where, "this waiver's reason or owner holds what looks like "
                                          "a client identifier; describe the decision without naming the client",
                                          pointer)
        kept, hidden = [], []
        used: set[int] = set()
        for finding in findings:
            rel = self._rel(finding.path, waivers.base)
            match = next((w for w, rule_id in active if rule_id == finding.rule and w.path == rel
                          and _covers(scrub(w.pointer, "pointer") if w.pointer else None, finding.pointer)), None)
            if match is None:
                kept.append(finding)
                continue
            used.add(match.index)
            hidden.append(Suppressed(finding, "waiver", scrub(match.reason, today=self.today),
                                     f"{source_path}:{match.line}",
                                     match.until.isoformat() if match.until else None,
                                     scrub(match.owner, today=self.today) if match.owner else None))
        for waiver, rule_id in active:
            if waiver.index not in used and self.selection.enabled(rule_id):
                problems += self._problem(UNUSED, source_path, waiver.line, waiver.column, waiver.column + 1,
                                          f"this waiver hides nothing: there is no {rule_id} finding there; "
                                          "remove it", f"/waivers/{waiver.index}")
        return kept, hidden, problems

    def _rel(self, display: str, base: Path) -> str:
        return relative_posix(self.root / display, base)

    # -- baseline ----------------------------------------------------------------------------------

    def baseline(self, findings: Sequence[Finding], baseline: Baseline) -> Stage:
        """The findings recorded in the baseline; a baseline has no problems of its own."""
        kept, hidden = [], []
        for finding, fingerprint in baseline_fingerprints(findings, baseline.base, self.root, baseline.version):
            if fingerprint in baseline.fingerprints:
                hidden.append(Suppressed(finding, "baseline", "recorded in the baseline", baseline.display))
            else:
                kept.append(finding)
        return kept, hidden, []


def _covers(pointer: str | None, target: str) -> bool:
    return pointer is None or target == pointer or target.startswith(pointer.rstrip("/") + "/")


# -- baseline files ----------------------------------------------------------------------------------


def baseline_fingerprints(findings: Iterable[Finding], base: Path, root: Path,
                          version: int = BASELINE_VERSION) -> list[tuple[Finding, str]]:
    """Each finding, in report order, with its fingerprint (`smlint.fingerprint`) as a baseline in `base` (the
    baseline file's folder) records it: the path relative to that folder. Line numbers are left out, so edits
    elsewhere keep it stable."""
    def path_of(finding: Finding) -> str:
        return relative_posix(root / finding.path, base)

    ordered = sorted(findings, key=Finding.sort_key)
    if version == 1:
        return list(baseline_v1(ordered, path_of))
    return list(zip(ordered, fingerprints(ordered, path_of), strict=True))


def baseline_text(findings: Iterable[Finding], base: Path, root: Path) -> str:
    entries = [{"fingerprint": fp, "rule": f.rule, "path": relative_posix(root / f.path, base), "pointer": f.pointer}
               for f, fp in baseline_fingerprints(findings, base, root)]
    return json.dumps({"smlint_baseline": BASELINE_VERSION, "findings": entries}, indent=2,
                      ensure_ascii=False) + "\n"


def _load_checked(path: Path, display: str, schema: str, missing: str) -> Document:
    if not path.is_file():
        raise ConfigError(display, 1, 1, missing)
    doc = read_document(path, display)
    if doc is None:
        raise ConfigError(display, 1, 1, "the file is empty")
    violations = validate(schema, doc.data)
    if violations:
        span, _ = doc.locate(violations[0].pointer)
        raise ConfigError(display, span.line, span.column, violations[0].message)
    return doc


def load_baseline(path: Path, root: Path) -> Baseline:
    display = _display(path, root)
    doc = _load_checked(path, display, "baseline", "baseline file not found; create it with --write-baseline")
    return Baseline(display, path.absolute().parent, frozenset(e["fingerprint"] for e in doc.data["findings"]),
                    doc.data["smlint_baseline"])


def load_waivers(path: Path, root: Path) -> Waivers:
    display = _display(path, root)
    doc = _load_checked(path, display, "waivers", "waivers file not found (named by `waivers` in the configuration)")
    entries = []
    for index, entry in enumerate(doc.data["waivers"]):
        span, _ = doc.locate(f"/waivers/{index}")
        until = _parse_date(entry["until"]) if "until" in entry else None
        entries.append(Waiver(index, span.line, span.column, entry["path"].removeprefix("./"), entry.get("pointer"),
                              entry["rule"], " ".join(entry["reason"].split()), until, entry.get("owner")))
    return Waivers(display, path.absolute().parent, tuple(entries))


def _display(path: Path, root: Path) -> str:
    rel = relative_posix(path, root)
    return path.absolute().as_posix() if rel.startswith("..") else rel

