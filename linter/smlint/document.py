"""A loaded artifact and JSON Pointer helpers.

A `Document` holds plain data (dicts, lists, str, int, float, bool, None) and, for every JSON Pointer
into it, where the key and the value stand in the source file. Checks see only the data; the engine
asks the document where a pointer is when it makes a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from smlint.model import Span
from smlint.records import record

WILDCARD = "*"


class _Missing:
    """Marker for a pointer that resolves to nothing (distinct from an explicit null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@record
class Position:
    """Where a pointer's key (None for list items and the root) and value stand."""

    key: Span | None
    value: Span


class MarkSource(Protocol):
    """Marks worked out when asked (`jsonreader.PointerMarks`): one pointer's, or all of them."""

    def get(self, pointer: str) -> tuple[int, ...] | None: ...

    def table(self) -> dict[str, tuple[int, ...]]: ...


class Positions(Mapping[str, Position]):
    """Every pointer's `Position`, stored as flat tuples of ints and built into records on lookup.

    A document has a position per value but a run asks for a few, so this keeps loading and the transfer
    of documents between `--jobs` processes cheap (tuples pickle an order of magnitude faster than records).
    Each entry is ``(line, column, end_line, end_column)`` of the value, followed by the same four for the
    key when there is one.

    With a `source` instead of `marks`, positions are worked out when asked (see `yamljson.py`: a JSON
    file's positions are read only if something asks where a value is): `get` asks the source for that
    pointer alone, and what needs every pointer (iterating, `len`, `table`) has the source work out the
    whole table once. Until then a pickle holds the source (the text), not the table.
    """

    __slots__ = ("_marks", "_source")

    def __init__(self, marks: dict[str, tuple[int, ...]] | None = None, source: MarkSource | None = None) -> None:
        self._marks = {} if marks is None and source is None else marks
        self._source = source

    def table(self) -> dict[str, tuple[int, ...]]:
        """The flat table, worked out now if it was deferred."""
        if self._marks is None:
            assert self._source is not None
            self._marks = self._source.table()
        return self._marks

    def _get(self, pointer: str) -> tuple[int, ...] | None:
        marks = self._marks
        if marks is None:
            assert self._source is not None
            return self._source.get(pointer)
        return marks.get(pointer)

    def __getitem__(self, pointer: str) -> Position:
        marks = self._get(pointer)
        if marks is None:
            raise KeyError(pointer)
        return _position(marks)

    def get(self, pointer: str, default: Any = None) -> Any:  # `Mapping.get`, without raising for a miss
        marks = self._get(pointer)
        return default if marks is None else _position(marks)

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self._get(pointer) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.table())

    def __len__(self) -> int:
        return len(self.table())

    def __reduce__(self) -> tuple[Any, ...]:
        if self._marks is None:
            return (Positions, (None, self._source))
        return (Positions, (self._marks,))


def _position(marks: tuple[int, ...]) -> Position:
    key = Span(marks[4], marks[5], marks[6], marks[7]) if len(marks) > 4 else None
    return Position(key, Span(marks[0], marks[1], marks[2], marks[3]))


# how a finding on a prose policy says that the reader found no clause at its place (`Document.place`)
NOT_FOUND = "no clause on this was found in the text"


@record
class Document:
    """One artifact. A *view* (a FHIR Questionnaire read as an intake form, an export embedded in a
    vendor file) holds derived data but the positions of its source file: `prefix` or `pointer_map`
    turn the view's pointers into the source's, so that findings point at the real field."""

    path: str
    kind: str | None
    data: Any
    positions: Mapping[str, Position]
    index: int = 0
    prefix: str = ""
    pointer_map: Mapping[str, str] | None = None
    validate: bool = True
    # a prose policy (Markdown, Word): where each pointer's clause stands, as people find it (the heading
    # path, and the paragraph or table cell in Word), already scrubbed (formats/prose.label); findings name it
    labels: Mapping[str, str] | None = None

    # facts a vendor's exports supplied to `data` (formats/facts.py): (pointer in data, the export file's
    # path, the pointer in the export, its line, its column)
    supplied: tuple[tuple[str, str, str, int, int], ...] = ()

    def label(self, pointer: str) -> str:
        """How a finding at `pointer` names its place in a prose document (its own clause's, else its
        nearest ancestor's); empty for YAML and JSON, whose line and column say enough."""
        if not self.labels:
            return ""
        current = pointer
        while True:
            found = self.labels.get(current)
            if found is not None or not current:
                return found or ""
            current = parent(current)

    def place(self, pointer: str, found: bool = True) -> str:
        """What a finding's message adds about its place in a prose document: where the clause stands
        (`label`), or, when the fact the finding is about is not recorded (`found` false: a check judged
        it unknown; or nothing stands at `pointer`, as for a `required` field or section), that the reader
        found no clause on it. The reader misses wording it does not know, so what it did not find is said
        to be not found, never stated as what the document says. Empty for YAML and JSON."""
        if self.labels is None:
            return ""
        return self.label(pointer) if found and get(self.data, pointer) is not MISSING else NOT_FOUND

    def source_pointer(self, pointer: str) -> str:
        """The pointer into the source file that ``pointer`` (into `data`) stands for.

        With a `pointer_map`, a pointer that has no entry stands for its nearest mapped ancestor.
        """
        if self.pointer_map is None:
            return self.prefix + pointer
        current = pointer
        while current not in self.pointer_map:
            if not current:
                return self.prefix
            current = parent(current)
        return self.prefix + self.pointer_map[current]

    def locate(self, pointer: str) -> tuple[Span, bool]:
        """The span to report for ``pointer`` and whether the pointer exists.

        An existing pointer is reported from its key (or list item) to the end of its value. A missing
        one is reported at the key of its nearest existing ancestor: the mapping that lacks it.
        """
        if self.prefix or self.pointer_map is not None:
            return self._locate_source(pointer)
        return self._locate(pointer)

    def _locate_source(self, pointer: str) -> tuple[Span, bool]:
        source = self.source_pointer(pointer)
        exact = self.pointer_map is None or pointer in self.pointer_map
        span, exists = self._locate(source)
        if exact and exists:
            return span, True
        pos = self.positions.get(source)
        if pos is None:
            return span, False
        # the source element that lacks the field: its key, or the whole list item (a FHIR item) when keyless
        return (_key_span(pos) if pos.key is not None else pos.value), False

    def _locate(self, pointer: str) -> tuple[Span, bool]:
        pos = self.positions.get(pointer)
        if pos is not None:
            return _span_of(pos), True
        current = pointer
        while current:
            current = parent(current)
            pos = self.positions.get(current)
            if pos is not None:
                return _key_span(pos), False
        return Span(1, 1, 1, 1), False


def _span_of(pos: Position) -> Span:
    if pos.key is None:
        return pos.value
    return Span(pos.key.line, pos.key.column, pos.value.end_line, pos.value.end_column)


def _key_span(pos: Position) -> Span:
    return pos.key if pos.key is not None else Span(pos.value.line, pos.value.column,
                                                      pos.value.line, pos.value.column)


def escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def split(pointer: str) -> list[str]:
    return list(_parts(pointer))


@lru_cache(maxsize=4096)
def _parts(pointer: str) -> tuple[str, ...]:
    """A pointer's segments, parsed once per run: rules ask for the same few hundred pointers in every file."""
    if not pointer:
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"JSON Pointer must start with '/': {pointer!r}")
    return tuple(unescape(part) for part in pointer[1:].split("/"))


def join(parts: list[str] | tuple[str, ...]) -> str:
    return "".join("/" + escape(p) for p in parts)


def child(pointer: str, segment: str | int) -> str:
    return f"{pointer}/{escape(str(segment))}"


def parent(pointer: str) -> str:
    return pointer[: pointer.rfind("/")] if pointer else ""


def last_segment(pointer: str) -> str:
    return unescape(pointer[pointer.rfind("/") + 1 :]) if pointer else ""


def _step(value: Any, segment: str) -> Any:
    if isinstance(value, dict):  # the usual case, ahead of the slower Mapping check
        return value.get(segment, MISSING)
    if isinstance(value, list):
        if not segment.isdigit():
            return MISSING
        index = int(segment)
        return value[index] if index < len(value) else MISSING
    if isinstance(value, Mapping):
        return value.get(segment, MISSING)
    return MISSING


def get(data: Any, pointer: str) -> Any:
    """The value at a pointer without wildcards, or MISSING."""
    return _get(data, _parts(pointer))


def getter(pointer: str) -> Callable[[Any], Any]:
    """`get` for one pointer without wildcards, parsed once: the compiled conditions call it per document."""
    parts = _parts(pointer)
    if len(parts) == 1:
        key = parts[0]

        def get_one(data: Any) -> Any:
            return data.get(key, MISSING) if type(data) is dict else _step(data, key)

        return get_one

    def get_path(data: Any) -> Any:
        value = data
        for segment in parts:
            value = value.get(segment, MISSING) if type(value) is dict else _step(value, segment)
            if value is MISSING:
                return MISSING
        return value

    return get_path


def _get(data: Any, parts: tuple[str, ...]) -> Any:
    value = data
    for segment in parts:
        value = _step(value, segment)
        if value is MISSING:
            return MISSING
    return value


def resolve(data: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Every (concrete pointer, value) that ``pointer`` matches; ``*`` matches each item or key."""
    parts = _parts(pointer)
    if WILDCARD in parts:
        yield from _resolve(data, parts, "")
        return
    value = _get(data, parts)
    if value is not MISSING:
        yield _canonical(pointer), value


@lru_cache(maxsize=4096)
def _canonical(pointer: str) -> str:
    return join(_parts(pointer))


def _resolve(value: Any, parts: Sequence[str], prefix: str) -> Iterator[tuple[str, Any]]:
    if not parts:
        yield prefix, value
        return
    head, rest = parts[0], parts[1:]
    if head == WILDCARD:
        if isinstance(value, Mapping):
            items: Iterator[tuple[Any, Any]] = iter(value.items())
        elif isinstance(value, list):
            items = iter(enumerate(value))
        else:
            return
        for key, item in items:
            yield from _resolve(item, rest, child(prefix, key))
        return
    nxt = _step(value, head)
    if nxt is not MISSING:
        yield from _resolve(nxt, rest, child(prefix, head))


def has_wildcard(pointer: str) -> bool:
    return WILDCARD in _parts(pointer)
