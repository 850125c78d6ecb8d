"""A JSON reader that gives the loader what the YAML composer gives it, in a fraction of the time.

A `.json` file is JSON, so it need not go through the YAML composer, which builds a node object per
value. Here the standard library's C decoder builds the data, and one pass of a regular expression over
the tokens records, for every JSON Pointer, the same marks the composer would: the span of each value
and of its key, lines and columns counted as libyaml counts them. Duplicate keys (the first stays) and
over-long text (cut to the limit) are noted for the loader to report, as its YAML builder does. For a
plain file (decoded within every limit, no duplicate key: nearly every file) the loader does not scan at
all: `PointerMarks` finds the marks of the few pointers a run asks about, walking down to each.

Anything else stops the reader with `Unreadable`, which says what is wrong and where, for the loader to
report: a syntax error (the decoder's own message and place), NaN or Infinity (not JSON), half a
surrogate pair (no text can hold it), or a limit crossed (nesting, values, a key or number over the
length limit). A JSON file is never re-read as YAML.
"""

from __future__ import annotations

import json
import re
import sys
from bisect import bisect_right
from collections.abc import Callable
from json import decoder, scanner
from typing import Any

from smlint.document import escape

# Between tokens: whitespace, and the commas and colons a valid text (the decoder checks) has there.
_TOKEN = re.compile(r'[ \t\n\r,:]*("(?:[^"\\]|\\.)*"|[{}\[\]]|[^ \t\n\r,:\]}]+)')
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
_TRAILING = re.compile(r"[ \t\n\r]*")
_SPACE = _TRAILING
_OTHER_BREAK = re.compile("[\r\x85\u2028\u2029]")  # a line break besides "\n" (the loader made "\r\n" one)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break
# A \u escape of half a surrogate pair without its other half: no text can hold it (reports could not print
# it), so the reader reports it. May also match after an escaped backslash (`\\ud800` is text): a hint
# only, the decoded strings decide.
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")

Marks = tuple[int, int, int, int]
Note = tuple[str, Marks, Any, str, int]


class Unreadable(Exception):
    """Why the text cannot be read, and where (1-based line and column): `limit` when a limit is crossed
    (SM002), else text that is not JSON or cannot be held (SM000)."""

    def __init__(self, message: str, line: int = 1, column: int = 1, *, limit: bool = False) -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.limit = message, line, column, limit


class _NotJson(Exception):
    """The scan met text it cannot follow at `offset`: the decoder says why (`_syntax_error`)."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


# Python's int() refuses longer digit strings (CPython 3.11+, `sys.set_int_max_str_digits`); 0 means no limit
_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 0)()


class _Frame:
    """An object or array being read: where it started, its key's marks, and what it has seen."""

    __slots__ = ("count", "is_object", "key", "key_marks", "keys", "pointer", "skip", "start")

    def __init__(self, pointer: str, is_object: bool, start: tuple[int, int], key_marks: Marks | None,
                 skip: bool) -> None:
        self.pointer, self.is_object, self.start, self.key_marks = pointer, is_object, start, key_marks
        self.count = 0
        self.key: tuple[str, Marks] | None = None  # the key read, waiting for its value
        self.keys: dict[str, int] = {}  # key -> line of its first occurrence
        self.skip = skip  # inside the value of a duplicate key: nothing is recorded


def read_json(text: str, max_depth: int, max_nodes: int, max_value_chars: int
              ) -> tuple[Any, dict[str, tuple[int, ...]], list[Note]]:
    """The data, the marks (pointer -> value span, then key span) and, in the order met, the notes for the
    loader: ``("duplicate", key span, key, pointer, line of the first)`` and ``("long", value span,
    length, pointer, 0)``. Raises `Unreadable` (located) for anything that is not JSON within the limits."""
    marks, notes = read_marks_and_notes(text, max_depth, max_nodes, max_value_chars)
    duplicates = any(note[0] == "duplicate" for note in notes)
    try:
        data = json.loads(text, object_pairs_hook=_first_wins if duplicates else None)
    except json.JSONDecodeError as exc:  # the scan follows the decoder's grammar: not expected
        raise Unreadable(f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:  # nesting within a raised `max_depth`, but deeper than the decoder can go
        raise Unreadable("nesting too deep for the JSON decoder to read; not parsed", limit=True) from None
    if has_lone_surrogate(text):
        _refuse_lone_surrogates(data, marks)
    if any(note[0] == "long" for note in notes):
        data = _cut(data, max_value_chars)
    return data, marks, notes


def _refuse_lone_surrogates(data: Any, marks: dict[str, tuple[int, ...]]) -> None:
    """Half a surrogate pair (a `\\ud800` escape without its partner) decodes to a character no report can
    print: the file stops at the first key or value that holds one."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str) and _has_surrogate(value):
            _refuse_surrogate_at(marks[pointer][:2])
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in reversed(list(items)):
            path = f"{pointer}/{escape(str(key))}"
            if isinstance(key, str) and _has_surrogate(key):
                _refuse_surrogate_at(marks[path][4:6])
            stack.append((path, item))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _refuse_surrogate_at(where: tuple[int, ...]) -> None:
    raise Unreadable("a \\u escape of half a surrogate pair (\\ud800-\\udfff) without its other half: no text can "
                     "hold it; write the character itself, or both halves of the pair", *where)


def read_marks(text: str, max_depth: int, max_nodes: int, max_value_chars: int) -> dict[str, tuple[int, ...]]:
    """The marks alone, for a text whose data the decoder has already given (the loader's deferred
    positions), without decoding it again. Raises `Unreadable` as `read_json` does."""
    return read_marks_and_notes(text, max_depth, max_nodes, max_value_chars)[0]


def read_marks_and_notes(text: str, max_depth: int, max_nodes: int, max_value_chars: int
                         ) -> tuple[dict[str, tuple[int, ...]], list[Note]]:
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    try:
        marks, notes = _scan(text, starts, max_depth, max_nodes, max_value_chars)
    except _NotJson as exc:
        raise _syntax_error(text, starts, exc.offset) from None
    except ValueError:  # a bad escape in a key (`_decoded`)
        raise _syntax_error(text, starts, 0) from None
    return marks, notes


def _where(starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def _syntax_error(text: str, starts: list[int], offset: int) -> Unreadable:
    """What the decoder says is wrong, where it says; NaN and Infinity, which Python's decoder accepts
    although JSON has no such values, at the place the scan stopped."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return Unreadable(f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno)
    except (ValueError, RecursionError):
        pass
    line, column = _where(starts, offset)
    return Unreadable("JSON syntax error: NaN and Infinity are not JSON values; write a number, or text in "
                      "quotes", line, column)


def has_lone_surrogate(text: str) -> bool:
    return "\\u" in text and _LONE_SURROGATE.search(text) is not None


def _scan(text: str, starts: list[int], max_depth: int, max_nodes: int, cap: int
          ) -> tuple[dict[str, tuple[int, ...]], list[Note]]:
    marks: dict[str, tuple[int, ...]] = {}
    notes: list[Note] = []
    stack: list[_Frame] = []
    nodes = end = 0
    for match in _TOKEN.finditer(text):
        if match.start() != end:
            raise _NotJson(end)
        end, begin, token = match.end(), match.start(1), match.group(1)
        first = token[0]
        if first in "}]":
            frame = stack.pop() if stack else None
            if frame is None or frame.is_object != (first == "}") or frame.key is not None:
                raise _NotJson(begin)
            if not frame.skip:
                line = bisect_right(starts, end)
                value = (*frame.start, line, end - starts[line - 1] + 1)
                marks[frame.pointer] = value if frame.key_marks is None else value + frame.key_marks
            continue
        line = bisect_right(starts, begin)
        start = (line, begin - starts[line - 1] + 1)
        top = stack[-1] if stack else None
        if top is not None and top.is_object and top.key is None:  # a key
            if first != '"':
                raise _NotJson(begin)
            key = _decoded(token[1:-1])
            nodes += 1  # keys count towards the value limit, as in the YAML event walk
            if nodes > max_nodes:
                raise _too_many(start, max_nodes)
            if len(key) > cap:
                raise Unreadable(f"a key of {len(key):,} characters is over the limit of {cap:,}; not checked "
                                 "(raise limits.max_value_chars in the configuration if it is genuine)", *start,
                                 limit=True)
            line = bisect_right(starts, end)
            top.key = (key, (*start, line, end - starts[line - 1] + 1))
            continue
        nodes += 1
        if nodes > max_nodes:
            raise _too_many(start, max_nodes)
        if first in "{[" and len(stack) >= max_depth:  # an empty container is a level too
            raise Unreadable(f"nesting is deeper than the limit of {max_depth} levels; not parsed", *start,
                             limit=True)
        pointer, key_marks, skip = _place(top, notes)
        if first in "{[":
            stack.append(_Frame(pointer, first == "{", start, key_marks, skip))
            continue
        if first != '"':
            if _SCALAR.fullmatch(token) is None:
                raise _NotJson(begin)
            _check_number(token, start, cap)
        if skip:
            continue
        line = bisect_right(starts, end)
        value = (*start, line, end - starts[line - 1] + 1)
        marks[pointer] = value if key_marks is None else value + key_marks
        if first == '"' and len(token) - 2 > cap and len(_decoded(token[1:-1])) > cap:
            notes.append(("long", value, len(_decoded(token[1:-1])), pointer, 0))
    if stack or _TRAILING.match(text, end).end() != len(text) or not marks:  # type: ignore[union-attr]
        raise _NotJson(end)
    return marks, notes


class PointerMarks:
    """The marks of a valid JSON text, pointer by pointer, found when asked (`document.Positions`): the same
    marks `read_marks` gives, without scanning the whole text for them.

    Only for a text the decoder has read within every limit and without a duplicate key (the loader's plain
    JSON, `yamljson._plain_json`): then a pointer stands for exactly one value. A value is found by walking
    down from the root: each object or array on the way is read once, its own keys and items only (the
    decoder's C scanner steps over each item's content), and remembered, so the cost of finding a few
    pointers grows with the keys on their way, not with the file. `table` gives every pointer (one full
    scan, as `read_marks`) for those who ask for them all. A pickle holds the text and the limits only."""

    __slots__ = ("_children", "_limits", "_lines", "_marks", "_offsets", "_table", "text")

    def __init__(self, text: str, max_depth: int, max_nodes: int, max_value_chars: int) -> None:
        self.text = text
        self._limits = (max_depth, max_nodes, max_value_chars)
        self._table: dict[str, tuple[int, ...]] | None = None
        # pointer -> (value start, value end, key start, key end) as offsets into the text; key -1 when keyless
        self._offsets: dict[str, tuple[int, int, int, int]] = {}
        self._children: set[str] = set()  # the containers whose items are in `_offsets`
        self._marks: dict[str, tuple[int, ...] | None] = {}  # answers given
        self._lines: list[int] | None = None  # where each line starts (empty when "\n" is the only break)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PointerMarks, (self.text, *self._limits))

    def table(self) -> dict[str, tuple[int, ...]]:
        """Every pointer's marks (`read_marks`)."""
        if self._table is None:
            self._table = read_marks(self.text, *self._limits)
        return self._table

    def get(self, pointer: str) -> tuple[int, ...] | None:
        """The marks of one pointer (value span, then key span when it has a key), or None when the text has
        no value there."""
        if self._table is not None:
            return self._table.get(pointer)
        try:
            return self._marks[pointer]
        except KeyError:
            pass
        found = self._find(pointer)
        marks = None if found is None else self._to_marks(found)
        self._marks[pointer] = marks
        return marks

    def _find(self, pointer: str) -> tuple[int, int, int, int] | None:
        offsets = self._offsets
        found = offsets.get(pointer)
        if found is not None:
            return found
        if not pointer:
            start = _SPACE.match(self.text).end()  # type: ignore[union-attr]
            found = offsets[""] = (start, self._end_of(start), -1, -1)
            return found
        if pointer[0] != "/":
            return None
        head = pointer[:pointer.rfind("/")]
        if head in self._children:  # read already: no value there
            return None
        container = self._find(head)
        if container is None or self.text[container[0]] not in "{[":
            return None
        self._read_items(head, container[0])
        return offsets.get(pointer)

    def _read_items(self, pointer: str, start: int) -> None:
        """Remember where each key and item of the object or array at `start` stands."""
        text, offsets, space = self.text, self._offsets, _SPACE
        self._children.add(pointer)
        is_object = text[start] == "{"
        at = space.match(text, start + 1).end()  # type: ignore[union-attr]
        if text[at] in "}]":
            return
        count = 0
        while True:
            if is_object:
                key, key_end = _scanstring(text, at + 1)
                segment = key if "/" not in key and "~" not in key else escape(key)
                key_start, at = at, space.match(text, key_end).end() + 1  # type: ignore[union-attr]  # past ':'
                at = space.match(text, at).end()  # type: ignore[union-attr]
            else:
                segment, key_start, key_end = str(count), -1, -1
                count += 1
            end = self._end_of(at)
            offsets[f"{pointer}/{segment}"] = (at, end, key_start, key_end)
            at = space.match(text, end).end()  # type: ignore[union-attr]
            if text[at] != ",":
                return
            at = space.match(text, at + 1).end()  # type: ignore[union-attr]

    def _end_of(self, start: int) -> int:
        """Where the value starting at `start` ends (the decoder's C scanner reads it)."""
        return int(_SCAN_ONCE(self.text, start)[1])

    def _to_marks(self, found: tuple[int, int, int, int]) -> tuple[int, ...]:
        start, end, key_start, key_end = found
        value = (*self._where(start), *self._where(end))
        return value if key_start < 0 else (*value, *self._where(key_start), *self._where(key_end))

    def _where(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of `offset`, lines broken as libyaml breaks them."""
        text = self.text
        lines = self._lines
        if lines is None:  # empty: "\n" alone breaks lines, and counting them is enough
            lines = self._lines = [] if _OTHER_BREAK.search(text) is None else \
                [0, *(m.end() for m in _BREAK.finditer(text))]
        if not lines:
            return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        return _where(lines, offset)


# the decoder's own C functions (typeshed does not declare them): one string from its opening quote, and one
# value from its first character, each giving back where it ended
_scanstring: Callable[[str, int], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]
_SCAN_ONCE: Callable[[str, int], tuple[Any, int]] = scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _too_many(start: tuple[int, int], max_nodes: int) -> Unreadable:
    return Unreadable(f"document has more than {max_nodes:,} values; not checked", *start, limit=True)


def _check_number(token: str, start: tuple[int, int], cap: int) -> None:
    """A number is read exactly or not at all: one longer than the length limit, or a whole number with
    more digits than Python reads, stops the file (cutting it would change its value)."""
    whole = token.isdigit() or (token[0] == "-" and token[1:].isdigit())
    if len(token) > cap:
        raise Unreadable(f"a number of {len(token):,} characters is over the limit of {cap:,}; not checked "
                         "(raise limits.max_value_chars in the configuration if it is genuine)", *start, limit=True)
    if whole and _INT_DIGITS and len(token.lstrip("-")) > _INT_DIGITS:
        raise Unreadable(f"a whole number of {len(token.lstrip('-')):,} digits is longer than smlint can read "
                         f"({_INT_DIGITS:,} digits); not checked", *start)


def _place(top: _Frame | None, notes: list[Note]) -> tuple[str, Marks | None, bool]:
    """The pointer of the value about to be read, its key's marks, and whether it is not recorded (the
    value of a duplicate key, or inside one)."""
    if top is None:
        return "", None, False
    if not top.is_object:
        pointer = f"{top.pointer}/{top.count}"
        top.count += 1
        return pointer, None, top.skip
    assert top.key is not None
    key, key_marks = top.key
    top.key = None
    segment = key if "/" not in key and "~" not in key else escape(key)
    pointer = f"{top.pointer}/{segment}"
    if key in top.keys:
        if not top.skip:
            notes.append(("duplicate", key_marks, key, pointer, top.keys[key]))
        return pointer, key_marks, True
    top.keys[key] = key_marks[0]
    return pointer, key_marks, top.skip


def _decoded(raw: str) -> str:
    return raw if "\\" not in raw else str(json.loads(f'"{raw}"'))


def _first_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        result.setdefault(key, value)
    return result


def _cut(value: Any, cap: int) -> Any:
    """Every text value cut to the length limit, as the YAML builder cuts it."""
    if isinstance(value, str):
        return value[:cap]
    if isinstance(value, dict):
        return {key: _cut(item, cap) for key, item in value.items()}
    if isinstance(value, list):
        return [_cut(item, cap) for item in value]
    return value
