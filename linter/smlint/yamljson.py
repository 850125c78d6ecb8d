"""YAML and JSON text to documents. With composer.py, the only module that knows ruamel.yaml.

`loader.py` (above this module) reads files and sends each to its reader by its name: Markdown and Word
policies to `prose.py`, HTML pages to `formats/website.py`, YAML and JSON here (`read_text`). The records
every reader returns (`LoadResult`, `Problem`, `Limits`) are defined here, so the prose readers use them
without importing the loader that dispatches to them.

Nodes are composed (never constructed), so no tag can build an object or run code. Each scalar is
turned into plain data by its resolved tag; dates stay strings so that schemas judge them. Every
problem (encoding, syntax, duplicate keys, odd tags, limits) becomes a located `Problem`; nothing
raises out of this module.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from smlint.composer import SHARED_TAGS, parse_events, tag_text
from smlint.composer import compose_all as _compose_all
from smlint.document import Document, Positions, child, escape
from smlint.jsonreader import PointerMarks, Unreadable, has_lone_surrogate, read_json
from smlint.kinds import NAMES as KNOWN_KINDS
from smlint.model import Span
from smlint.records import record
from smlint.redact import key_name, scrub
from smlint.shapes import detect as detect_format
from smlint.toolrules import LIMIT_RULE, PARSE_RULE, SHAPE_RULE

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
TAG = "tag:yaml.org,2002:"


@record
class Limits:
    """Caps that keep one hostile file from hanging or exhausting a run (docs/security.md).

    `max_bytes`: a bigger file is not read. `max_depth`: deeper nesting is not parsed. `max_nodes`: a
    document that expands (through aliases or sheer size) to more values is not checked.
    `max_value_chars`: a longer text value is cut to this length before any rule sees it, which bounds
    the time every regular expression can take. Each breach is an SM002 finding.
    """

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 100
    max_nodes: int = 250_000
    max_value_chars: int = 20_000


DEFAULT_LIMITS = Limits()


@record
class Problem:
    """Why a file (or part of it) could not be read, and where."""

    span: Span
    message: str
    pointer: str = ""
    rule: str = PARSE_RULE
    related: tuple[tuple[str, int, int, str], ...] = ()  # other places it is about: (path, line, column, pointer)


@record
class LoadResult:
    """One file: its documents, what went wrong reading it, and its text (newlines normalised; empty
    when it could not be decoded)."""

    path: str
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    text: str = ""

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The text's lines, split on first use (directives and --show-source need them; most runs do not)."""
        return tuple(self.text.split("\n")) if self.text else ()

    def __reduce__(self) -> tuple[type[LoadResult], tuple[str, tuple[Document, ...], tuple[Problem, ...], str]]:
        # the fields only: lines split in one process are not sent to another
        return (LoadResult, (self.path, self.documents, self.problems, self.text))


class _LimitExceeded(Exception):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.span = span


def _span(start: Any, end: Any) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _marks(node: Any) -> tuple[int, int, int, int]:
    start, end = node.start_mark, node.end_mark
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _at(line: int, column: int) -> Span:
    return Span(line, column, line, column)


def decode(raw: bytes) -> str | Problem:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16/32; report anything else by position."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode_or_problem(raw, "utf-32")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_or_problem(raw, "utf-16")
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line, column = _line_col(raw, offset)
        return Problem(_at(line, column), "file contains NUL bytes: it looks binary, not YAML or JSON text")
    return _decode_or_problem(raw, "utf-8-sig")


def _decode_or_problem(raw: bytes, encoding: str) -> str | Problem:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw, exc.start) if encoding == "utf-8-sig" else (1, 1)
        return Problem(_at(line, column), f"file is not valid {encoding.replace('-sig', '').upper()} text "
                                          f"(byte offset {exc.start}); save it as UTF-8")
    if "\x00" in text:
        return Problem(_at(1, 1), "file contains NUL characters: it looks binary, not YAML or JSON text")
    return text.replace("\r\n", "\n")


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def read_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS, *, is_json: bool = False,
              default_kind: str | None = None) -> LoadResult:
    """A YAML or JSON text (`is_json`: read only as JSON) to its documents and problems."""
    if is_json:
        return _read_json(text, display, limits, default_kind)
    return _load_yaml(text, display, limits, default_kind=default_kind)


def _read_json(text: str, display: str, limits: Limits, default_kind: str | None) -> LoadResult:
    """A JSON file, read only as JSON (never as YAML): the standard library's decoder gives the data, the
    JSON reader the positions and what is wrong, and where.

    Plain JSON well within the limits and without a duplicate key (nearly every file) is decoded by the
    standard library alone, and its positions are read only if something asks where a value is; the rest
    is read with its positions at once, so that duplicate keys and over-long text are reported."""
    data = _plain_json(text, limits)
    if data is not _DECLINED:
        positions = Positions(source=json_marks(text, limits))
        return LoadResult(display, (_document(display, data, positions, 0, default_kind),),
                          tuple(_shape_problems(data, positions)), text)
    try:
        data, marks, notes = read_json(text, limits.max_depth, limits.max_nodes, limits.max_value_chars)
    except Unreadable as exc:
        problem = Problem(_at(exc.line, exc.column), exc.message, rule=LIMIT_RULE if exc.limit else PARSE_RULE)
        return LoadResult(display, (), (problem,), text)
    positions = Positions(marks)
    problems = [_note_problem(*note, limits) for note in notes]
    problems.extend(_shape_problems(data, positions))
    return LoadResult(display, (_document(display, data, positions, 0, default_kind),), tuple(problems), text)


_DECLINED = object()


def _plain_json(text: str, limits: Limits) -> Any:
    """The data of a JSON text that cannot break a limit, has no duplicate key, no NaN and no deep nesting;
    else `_DECLINED`. Values cannot outnumber the text's characters, and no text value (nor key) can be
    longer than the text's longest line, since JSON strings hold no raw line break."""
    cap = limits.max_value_chars
    if len(text) > limits.max_nodes or (len(text) > cap and max(map(len, text.split("\n"))) > cap) \
            or has_lone_surrogate(text):
        return _DECLINED
    duplicates: list[bool] = []

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicates.append(True)
        return result

    try:
        data = json.loads(text, object_pairs_hook=mapping, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return _DECLINED
    return _DECLINED if duplicates or _nesting(data) > limits.max_depth else data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: the reader reports them


def json_marks(text: str, limits: Limits) -> PointerMarks:
    """The positions of a JSON text `_plain_json` accepted, found pointer by pointer when asked: such a text
    is within every limit the reader checks and has no duplicate key, so the reader reads it and each
    pointer stands for one value (the differential tests hold it to that)."""
    return PointerMarks(text, limits.max_depth, limits.max_nodes, limits.max_value_chars)


def _note_problem(what: str, span: tuple[int, int, int, int], detail: Any, pointer: str, first_line: int,
                  limits: Limits) -> Problem:
    if what == "duplicate":
        return _duplicate_key(Span(*span), detail, pointer, first_line)
    return _over_long(Span(*span), detail, pointer, limits)


def _duplicate_key(span: Span, key: str, pointer: str, first_line: int) -> Problem:
    label = key_name(key, "(its text is not shown)")
    return Problem(span, f"duplicate key {label} (first defined on line {first_line}); only one may stay", pointer)


def _over_long(span: Span, length: int, pointer: str, limits: Limits) -> Problem:
    return Problem(span, f"a text value of {length:,} characters is over the limit of {limits.max_value_chars:,}; "
                         "rules saw only its first part (raise limits.max_value_chars in the configuration if it "
                         "is genuine)", pointer, LIMIT_RULE)


def _document(display: str, data: Any, positions: Positions, index: int, default_kind: str | None) -> Document:
    kind = detect_kind(data, default_kind)
    if kind is not None and "kind" not in data:  # declared by the configuration's `kinds` globs
        data = {"kind": kind, **data}
    return Document(display, kind, data, positions, index)


def _load_yaml(text: str, display: str, limits: Limits, *, default_kind: str | None) -> LoadResult:
    first = _depth_problem(text, limits)
    if first is not None:
        return LoadResult(display, (), (first,), text)
    problems: list[Problem] = []
    documents: list[Document] = []
    try:
        may_alias = "*" in text  # only aliases make a document bigger than its text
        for index, node in enumerate(_compose_all(text)):
            if may_alias:
                _check_size(node, limits.max_nodes)
            builder = _Builder(limits)
            data = builder.build(node, "", depth=0)
            problems.extend(builder.problems)
            positions = Positions(builder.marks)
            problems.extend(_shape_problems(data, positions))
            documents.append(_document(display, data, positions, index, default_kind))
    except _LimitExceeded as exc:
        problems.append(Problem(exc.span, str(exc), rule=LIMIT_RULE))
    except Exception as exc:
        problems.append(_parse_problem(exc))
    return LoadResult(display, tuple(documents), tuple(problems), text)


def _check_size(root: Any, cap: int) -> None:
    """Refuse a document whose values, with every alias expanded, outnumber `cap`, before building it.

    Aliased nodes are the same object, so their sizes are memoised: a billion-laughs document is
    measured in microseconds. Recursion is bounded by the depth limit checked before composing.
    """
    _expanded_size(root, cap, {})


def _expanded_size(node: Any, cap: int, sizes: dict[int, int]) -> int:
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    node_id = getattr(node, "id", "")
    children = ([n for pair in node.value for n in pair] if node_id == "mapping"
                else node.value if node_id == "sequence" else [])
    for item in children:
        total += _expanded_size(item, cap, sizes)
        if total > cap:
            raise _LimitExceeded(f"document expands to more than {cap:,} values (aliases or sheer size); not checked",
                                 _span(node.start_mark, node.end_mark))
    sizes[id(node)] = total
    return total


_OPENERS = re.compile(r"[\[{]|(?:^|\s)-\s")


def _depth_problem(text: str, limits: Limits) -> Problem | None:
    """Reject nesting past the cap before the C composer (which recurses natively) sees it, and a
    document with more values than the node cap before it is composed into millions of objects.

    The depth of a YAML document is bounded by its flow openers, block-sequence dashes, explicit keys and
    indentation, and its number of values (aliases aside) by its length; only when one of these cheap
    bounds is over its cap do we walk the event stream to measure exactly, stopping at the first breach.
    """
    openers = sum(text.count(token) for token in ("[", "{", "- ", "-\t", "?"))  # '?' nests explicit keys
    deep = openers + _max_indent(text) + 1 > limits.max_depth
    if not deep and len(text) <= limits.max_nodes:
        return None
    return _measure(text, limits)


def _nesting(value: Any) -> int:
    """How deeply lists and mappings nest in a parsed JSON value (a scalar is 0)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        items = current.values() if isinstance(current, dict) else current if isinstance(current, list) else None
        if items is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))
    return deepest


def _max_indent(text: str) -> int:
    return max((len(line) - len(line.lstrip(" ")) for line in text.split("\n")), default=0)


def _measure(text: str, limits: Limits) -> Problem | None:
    from ruamel.yaml.events import (
        CollectionEndEvent,
        CollectionStartEvent,
        DocumentStartEvent,
        ScalarEvent,
    )

    depth = nodes = 0
    try:
        for event in parse_events(text):
            if isinstance(event, DocumentStartEvent):
                nodes = 0
            elif isinstance(event, (CollectionStartEvent, ScalarEvent)):
                nodes += 1
                depth += isinstance(event, CollectionStartEvent)
                if depth > limits.max_depth:
                    return _limit_at(event, f"nesting is deeper than the limit of {limits.max_depth} levels; "
                                            "not parsed")
                if nodes > limits.max_nodes:
                    return _limit_at(event, f"document has more than {limits.max_nodes:,} values; not checked")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except Exception:  # syntax errors are reported, with their place, by the composer
        return None
    return None


def _limit_at(event: Any, message: str) -> Problem:
    mark = event.start_mark
    return Problem(_at(mark.line + 1, mark.column + 1), message, rule=LIMIT_RULE)


def _parse_problem(exc: Exception) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is not None:
        what = scrub(problem or str(exc).split("\n")[0])
        return Problem(_at(mark.line + 1, mark.column + 1), f"YAML syntax error: {what}")
    if isinstance(exc, RecursionError):
        return Problem(_at(1, 1), "nesting too deep to read")
    return Problem(_at(1, 1), f"file could not be parsed ({exc.__class__.__name__})")


def _shape_problems(data: Any, positions: Positions) -> list[Problem]:
    """An artifact that smlint would skip because of its shape gets a finding instead of silence: a list of
    artifacts (``- kind: vendor``), or a ``kind`` that is a list, mapping or number rather than text."""
    if isinstance(data, list) and any(detect_kind(item) for item in data):
        start = positions[""].value
        return [Problem(Span(start.line, start.column, start.line, start.column),
                        "this file is a list of artifacts, so none of them is checked: write one artifact per "
                        "document (a mapping of its fields), separating documents with ---", rule=SHAPE_RULE)]
    if isinstance(data, dict) and "kind" in data and not isinstance(data["kind"], str):
        key = positions["/kind"].key
        assert key is not None  # a mapping's field always has a key
        return [Problem(key, "'kind' must be one word, such as policy, intake-form or vendor, so this file is "
                             "not checked", "/kind", SHAPE_RULE)]
    if unrecognised_kind(data):
        value = positions["/kind"].value
        guess = _closest_kind(data["kind"])
        hint = f"; did you mean '{guess}'?" if guess else f" ({', '.join(KNOWN_KINDS)})"
        return [Problem(value, f"this 'kind' is not one smlint knows, so only the client-data rules (SM5xx) "
                               f"check this file{hint}", "/kind", SHAPE_RULE)]
    return []


def unrecognised_kind(data: Any) -> bool:
    """A mapping whose `kind` is text smlint does not know (a misspelling, a name): reported as SM003 and
    still searched for client data. A Kubernetes-style manifest (with `apiVersion`) is another tool's file
    and is left alone."""
    return (isinstance(data, dict) and isinstance(data.get("kind"), str) and data["kind"] not in KNOWN_KINDS
            and "apiVersion" not in data)


def _closest_kind(kind: str) -> str | None:
    """The known kind a misspelt `kind` most likely means (difflib), else None. The value itself is never
    quoted: it could be anything, a client's name included."""
    import difflib  # start-up boundary (docs/architecture.md): only for a file whose kind is unknown

    found = difflib.get_close_matches(kind.strip().lower(), KNOWN_KINDS, n=1, cutoff=0.6)
    return found[0] if found else None


def detect_kind(data: Any, default: str | None = None) -> str | None:
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    if isinstance(kind, str) and kind in KNOWN_KINDS:
        return kind
    if "kind" in data:  # some other tool's kind (a Kubernetes manifest, say): not ours
        return None
    return default if default is not None else detect_format(data)


_CORE = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "binary")}


class _Builder:
    """Turns one composed node tree into plain data, recording where every pointer stands.

    The hot path of loading: one call per value. Plain text (most values) returns early; tags resolved
    by the lean composer are known by identity (`SHARED_TAGS`), and only other tags are decoded."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.marks: dict[str, tuple[int, ...]] = {}
        self.problems: list[Problem] = []
        self.nodes = 0

    def build(self, node: Any, pointer: str, depth: int, key: tuple[int, int, int, int] | None = None) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes or depth > self.limits.max_depth:
            raise self._over_limit(node, depth)
        start, end = node.start_mark, node.end_mark
        marks = (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        self.marks[pointer] = marks if key is None else marks + key
        shared = SHARED_TAGS.get(id(node.ctag))
        if shared == _STR:  # plain text, resolved by the lean composer (a scalar: no explicit tag)
            return node.value if len(node.value) <= self.limits.max_value_chars else self._capped(node, pointer)
        tag = shared or tag_text(node)
        if tag not in _CORE:
            self._unknown_tag(node, pointer)
        node_id = node.id
        if node_id == "mapping":
            return self._mapping(node, pointer, depth)
        if node_id == "sequence":
            return [self.build(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)]
        value = scalar(tag, self._capped(node, pointer))
        if shared is None and tag in _TYPED and not _fits(tag, value):  # an explicit tag (`!!bool`) the value misfits
            self._unfit(node, pointer, tag)
            return node.value  # kept as the text it is: never a default such as False
        return value

    def _unfit(self, node: Any, pointer: str, tag: str) -> None:
        name = tag.removeprefix(TAG)
        self.problems.append(Problem(
            _span(node.start_mark, node.end_mark),
            f"this value is tagged !!{name} but is not {_TYPED[tag]}, so it is read as text; fix the value or "
            "remove the tag", pointer))

    def _over_limit(self, node: Any, depth: int) -> _LimitExceeded:
        span = _span(node.start_mark, node.end_mark)
        if depth > self.limits.max_depth:
            return _LimitExceeded(f"nesting is deeper than the limit of {self.limits.max_depth} levels", span)
        return _LimitExceeded(f"document expands to more than {self.limits.max_nodes:,} values (aliases or sheer "
                              "size); not checked", span)

    def _capped(self, node: Any, pointer: str) -> str:
        text: str = node.value
        cap = self.limits.max_value_chars
        if len(text) <= cap:
            return text
        self.problems.append(_over_long(_span(node.start_mark, node.end_mark), len(text), pointer, self.limits))
        return text[:cap]

    def _unknown_tag(self, node: Any, pointer: str) -> None:
        self.problems.append(Problem(
            _span(node.start_mark, node.end_mark),
            "unsupported YAML tag: smlint reads plain data only and never constructs tagged objects; "
            "remove the tag", pointer))

    def _mapping(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            if (SHARED_TAGS.get(id(key_node.ctag)) or tag_text(key_node)) == _MERGE:
                self._merge(result, value_node, pointer, depth)
                continue
            if key_node.id != "scalar":
                self.problems.append(Problem(_span(key_node.start_mark, key_node.end_mark),
                                             "a key must be plain text, not a list or mapping", pointer))
                continue
            key = key_node.value if isinstance(key_node.value, str) else str(key_node.value)
            key = key[:self.limits.max_value_chars]
            key_marks = _marks(key_node)
            same = _key_identity(SHARED_TAGS.get(id(key_node.ctag)) or tag_text(key_node), key)
            if same in first_seen:
                self.problems.append(_duplicate_key(Span(*key_marks), key, child(pointer, key), first_seen[same]))
                continue
            first_seen[same] = key_marks[0]
            segment = key if "/" not in key and "~" not in key else escape(key)
            result[key] = self.build(value_node, f"{pointer}/{segment}", depth + 1, key_marks)
        return result

    def _merge(self, result: dict[str, Any], value_node: Any, pointer: str, depth: int) -> None:
        sources = value_node.value if getattr(value_node, "id", "") == "sequence" else [value_node]
        for source in sources:
            if getattr(source, "id", "") != "mapping":
                self.problems.append(Problem(_span(source.start_mark, source.end_mark),
                                             "a merge key (<<) must refer to a mapping", pointer))
                continue
            merged = self._mapping(source, pointer, depth)
            for key, value in merged.items():
                result.setdefault(key, value)


_INT_PREFIXES = {"0x": 16, "0o": 8, "0b": 2}
_BOOL_WORDS = frozenset({"true", "false"})  # YAML 1.2: yes, no, on, off are text


_STR, _NULL, _BOOL, _INT, _FLOAT, _MERGE = (TAG + t for t in ("str", "null", "bool", "int", "float", "merge"))


def scalar(tag: str, text: str) -> Any:
    """Plain value of a resolved scalar; timestamps, binary and unknown tags stay text."""
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        lowered = text.lower()
        return lowered == "true" if lowered in _BOOL_WORDS else text
    if tag == _INT:
        return _int(text)
    if tag == _FLOAT:
        return _float(text)
    return text


_TIMESTAMP = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.\d*)?"
                        r"(?:[ \t]*(?:Z|([-+])(\d\d?)(?::(\d\d))?))?)?", re.ASCII)
_TYPED = {_BOOL: "true or false", _INT: "a whole number", _FLOAT: "a number", TAG + "timestamp": "a date or time"}


def _fits(tag: str, value: Any) -> bool:
    """Whether a scalar's value is what its standard tag says (an explicit `!!bool .NaN` is not)."""
    if tag == _BOOL:
        return isinstance(value, bool)
    if tag in (_INT, _FLOAT):
        return not isinstance(value, str)
    return _is_timestamp(value)


def _is_timestamp(text: str) -> bool:
    """A YAML timestamp that names a real day and time (`2026-02-30` and `25:00:00` do not)."""
    found = _TIMESTAMP.fullmatch(text)
    if found is None:
        return False
    year, month, day, hour, minute, second, sign, tz_hour, tz_minute = found.groups()
    try:
        datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        if sign:
            timezone(timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0)))
    except ValueError:
        return False
    return True


def _key_identity(tag: str, text: str) -> tuple[str, str]:
    """A key as YAML 1.2 compares keys: by tag and value, so `true:` and `TRUE:` (both the boolean true)
    or `1:` and `0x1:` are the same key; text keys compare as text."""
    if tag in (_BOOL, _INT, _FLOAT, _NULL):
        value = scalar(tag, text)
        if not isinstance(value, str):
            return tag, repr(value)
    return _STR if tag not in (_BOOL, _INT, _FLOAT, _NULL) else tag, text


_INT_DIGITS = {10: re.compile(r"[0-9]+"), 16: re.compile(r"[0-9a-fA-F]+"), 8: re.compile(r"[0-7]+"),
               2: re.compile(r"[01]+")}


def _int(text: str) -> Any:
    """A whole number: one optional sign, an optional base prefix (0x, 0o, 0b), ASCII digits (underscores
    between them are dropped, as ruamel does); anything else (`+-9`, `0x-1`, non-ASCII digits) stays text."""
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    body = cleaned[1:] if cleaned.startswith(("-", "+")) else cleaned
    base = _INT_PREFIXES.get(body[:2].lower(), 10)
    digits = body[2:] if base != 10 else body
    return sign * int(digits, base) if _INT_DIGITS[base].fullmatch(digits) else text


def _float(text: str) -> Any:
    if not text.isascii():  # Python's float() reads other scripts' digits; YAML does not
        return text
    lowered = text.lower().replace("_", "")
    if lowered in (".nan", "+.nan", "-.nan"):
        return math.nan
    if lowered in (".inf", "+.inf"):
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    try:
        return float(lowered)
    except ValueError:
        return text
