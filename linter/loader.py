"""Bytes to documents. The only module that knows ruamel.yaml.

Nodes are composed (never constructed), so no tag can build an object or run code. Each scalar is
turned into plain data by its resolved tag; dates stay strings so that schemas judge them. Every
problem (encoding, syntax, duplicate keys, odd tags, limits) becomes a located `Problem`; nothing
raises out of this module.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smlint.document import Document, Position, child
from smlint.formats import FORMAT_KINDS
from smlint.formats import detect as detect_format
from smlint.model import Span

_CLoader: Any
try:  # the C composer is 5-7x faster; fall back to pure Python when the extension is missing
    from ruamel.yaml.cyaml import CSafeLoader as _CLoader

    HAVE_C_PARSER = True
except ImportError:  # pragma: no cover - depends on the installed wheel
    _CLoader = None
    HAVE_C_PARSER = False

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
TAG = "tag:yaml.org,2002:"
KNOWN_KINDS = ("policy", "intake-form", "vendor", *FORMAT_KINDS)


@dataclass(frozen=True)
class Limits:
    """Caps that keep one hostile file from hanging or exhausting a run."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 100
    max_nodes: int = 250_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """Why a file (or part of it) could not be read, and where."""

    span: Span
    message: str
    pointer: str = ""


@dataclass(frozen=True)
class LoadResult:
    path: str
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    lines: tuple[str, ...] = ()


class _LimitExceeded(Exception):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.span = span


def _span(start: Any, end: Any) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _at(line: int, column: int) -> Span:
    return Span(line, column, line, column)


def load_file(file: Path, display: str, limits: Limits = DEFAULT_LIMITS, default_kind: str | None = None) -> LoadResult:
    """Read and parse one file; every failure is a `Problem`, never an exception.

    `default_kind` (from the configuration's `kinds` globs) is the kind of a mapping that does not
    declare one of its own."""
    try:
        size = file.stat().st_size
        if size > limits.max_bytes:
            return _failed(display, f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; "
                                    "not parsed (raise max_file_bytes in the configuration if it is genuine)")
        raw = file.read_bytes()
    except OSError as exc:
        return _failed(display, f"cannot read file: {exc.strerror or exc.__class__.__name__}")
    return load_bytes(raw, display, limits, is_json=file.suffix.lower() in JSON_SUFFIXES, default_kind=default_kind)


def load_bytes(raw: bytes, display: str, limits: Limits = DEFAULT_LIMITS, *, is_json: bool = False,
               default_kind: str | None = None) -> LoadResult:
    if len(raw) > limits.max_bytes:
        return _failed(display, f"file is {len(raw):,} bytes, over the {limits.max_bytes:,}-byte limit; not parsed")
    text_or_problem = decode(raw)
    if isinstance(text_or_problem, Problem):
        return LoadResult(display, (), (text_or_problem,))
    return load_text(text_or_problem, display, limits, is_json=is_json, default_kind=default_kind)


def _failed(display: str, message: str) -> LoadResult:
    return LoadResult(display, (), (Problem(_at(1, 1), message),))


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


def load_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS, *, is_json: bool = False,
              default_kind: str | None = None) -> LoadResult:
    lines = tuple(text.split("\n"))
    if is_json:
        problem = _json_syntax(text)
        if problem is not None:
            return LoadResult(display, (), (problem,), lines)
    depth_problem = _depth_problem(text, limits)
    if depth_problem is not None:
        return LoadResult(display, (), (depth_problem,), lines)
    problems: list[Problem] = []
    documents: list[Document] = []
    try:
        for index, node in enumerate(_compose_all(text)):
            builder = _Builder(limits)
            data = builder.build(node, "", depth=0)
            problems.extend(builder.problems)
            kind = detect_kind(data, default_kind)
            if kind is not None and "kind" not in data:  # declared by the configuration's `kinds` globs
                data = {"kind": kind, **data}
            documents.append(Document(display, kind, data, builder.positions, index))
    except _LimitExceeded as exc:
        problems.append(Problem(exc.span, str(exc)))
    except Exception as exc:
        problems.append(_parse_problem(exc))
    return LoadResult(display, tuple(documents), tuple(problems), lines)


def _json_syntax(text: str) -> Problem | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(_at(exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}")
    except (ValueError, RecursionError):
        return Problem(_at(1, 1), "JSON could not be read: nesting too deep or invalid numbers")
    return None


_OPENERS = re.compile(r"[\[{]|(?:^|\s)-\s")


def _depth_problem(text: str, limits: Limits) -> Problem | None:
    """Reject nesting past the cap before the C composer (which recurses natively) sees it.

    The depth of a YAML document is bounded by its flow openers, block-sequence dashes and indentation;
    only when that cheap bound is over the cap do we walk the event stream to measure it exactly.
    """
    bound = text.count("[") + text.count("{") + text.count("- ") + _max_indent(text) + 1
    if bound <= limits.max_depth:
        return None
    return _measure_depth(text, limits)


def _max_indent(text: str) -> int:
    return max((len(line) - len(line.lstrip(" ")) for line in text.split("\n")), default=0)


def _measure_depth(text: str, limits: Limits) -> Problem | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in YAML(typ="safe", pure=_CLoader is None).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    return Problem(_at(mark.line + 1, mark.column + 1),
                                   f"nesting is deeper than the limit of {limits.max_depth} levels; not parsed")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except Exception:
        return None
    return None


def _compose_all(text: str) -> Iterator[Any]:
    if _CLoader is not None:
        loader = _CLoader(text)
        try:
            while loader.check_node():
                yield loader.get_node()
        finally:
            loader.dispose()
        return
    from ruamel.yaml import YAML  # pragma: no cover - pure-Python fallback

    yield from YAML(typ="safe", pure=True).compose_all(text)  # pragma: no cover


def _parse_problem(exc: Exception) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is not None:
        what = problem or str(exc).split("\n")[0]
        return Problem(_at(mark.line + 1, mark.column + 1), f"YAML syntax error: {what}")
    if isinstance(exc, RecursionError):
        return Problem(_at(1, 1), "nesting too deep to read")
    return Problem(_at(1, 1), f"file could not be parsed ({exc.__class__.__name__})")


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
    """Turns one composed node tree into plain data, recording a `Position` for every pointer."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.positions: dict[str, Position] = {}
        self.problems: list[Problem] = []
        self.nodes = 0

    def build(self, node: Any, pointer: str, depth: int, key: Span | None = None) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _LimitExceeded(
                f"document expands to more than {self.limits.max_nodes:,} values (aliases or sheer size); "
                "not checked", _span(node.start_mark, node.end_mark))
        if depth > self.limits.max_depth:
            raise _LimitExceeded(f"nesting is deeper than the limit of {self.limits.max_depth} levels",
                                 _span(node.start_mark, node.end_mark))
        self.positions[pointer] = Position(key, _span(node.start_mark, node.end_mark))
        if node.tag not in _CORE:
            self._unknown_tag(node, pointer)
        node_id = getattr(node, "id", "")
        if node_id == "mapping":
            return self._mapping(node, pointer, depth)
        if node_id == "sequence":
            return [self.build(item, child(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        return scalar(node.tag, node.value)

    def _unknown_tag(self, node: Any, pointer: str) -> None:
        self.problems.append(Problem(
            _span(node.start_mark, node.end_mark),
            "unsupported YAML tag: smlint reads plain data only and never constructs tagged objects; "
            "remove the tag", pointer))

    def _mapping(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == TAG + "merge":
                self._merge(result, value_node, pointer, depth)
                continue
            if getattr(key_node, "id", "") != "scalar":
                self.problems.append(Problem(_span(key_node.start_mark, key_node.end_mark),
                                             "a key must be plain text, not a list or mapping", pointer))
                continue
            key = key_node.value if isinstance(key_node.value, str) else str(key_node.value)
            key_span = _span(key_node.start_mark, key_node.end_mark)
            if key in first_seen:
                self.problems.append(Problem(
                    key_span, f"duplicate key '{key}' (first defined on line {first_seen[key]}); "
                              "only one may stay", child(pointer, key)))
                continue
            first_seen[key] = key_span.line
            result[key] = self.build(value_node, child(pointer, key), depth + 1, key_span)
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


def scalar(tag: str, text: str) -> Any:
    """Plain value of a resolved scalar; timestamps, binary and unknown tags stay text."""
    if tag == TAG + "null":
        return None
    if tag == TAG + "bool":
        return text.lower() in ("true", "yes", "on")
    if tag == TAG + "int":
        return _int(text)
    if tag == TAG + "float":
        return _float(text)
    return text


def _int(text: str) -> Any:
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    body = cleaned.lstrip("+-")
    try:
        base = _INT_PREFIXES.get(body[:2].lower(), 10)
        return sign * int(body[2:] if base != 10 else body, base)
    except ValueError:
        return text


def _float(text: str) -> Any:
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
