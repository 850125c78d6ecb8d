"""A JSON reader that gives the loader what the YAML composer gives it, in a fraction of the time.

A `.json` file is JSON, so it need not go through the YAML composer, which builds a node object per
value. Here the standard library's C decoder builds the data, and one pass of a regular expression over
the tokens records, for every JSON Pointer, the same marks the composer would: the span of each value
and of its key, lines and columns counted as libyaml counts them. Duplicate keys (the first stays) and
over-long text (cut to the limit) are noted for the loader to report, as its YAML builder does.

Anything else out of the ordinary (a syntax error, NaN, nesting past the limit, too many values, a key
over the length limit) makes it decline with `Unreadable`, and the loader takes the YAML route, which
says what is wrong and where.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from smlint.document import escape

# Between tokens: whitespace, and the commas and colons a valid text (the decoder checks) has there.
_TOKEN = re.compile(r'[ \t\n\r,:]*("(?:[^"\\]|\\.)*"|[{}\[\]]|[^ \t\n\r,:\]}]+)')
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
_TRAILING = re.compile(r"[ \t\n\r]*")
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break
# A \u escape of half a surrogate pair without its other half: no text can hold it (reports could not print
# it), so such a file goes the YAML route, which reports the escape.
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")

Marks = tuple[int, int, int, int]
Note = tuple[str, Marks, Any, str, int]


class Unreadable(Exception):
    """The text is not JSON this reader handles; the caller reads it another way."""


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
    length, pointer, 0)``. Raises `Unreadable` for anything but plain JSON within the limits."""
    if has_lone_surrogate(text):
        raise Unreadable("half a surrogate pair")
    try:
        marks, notes = _scan(text, max_depth, max_nodes, max_value_chars)
        duplicates = any(note[0] == "duplicate" for note in notes)
        data = json.loads(text, object_pairs_hook=_first_wins if duplicates else None)
    except (ValueError, RecursionError) as exc:  # the decoder's own complaints
        raise Unreadable(str(exc)) from None
    if any(note[0] == "long" for note in notes):
        data = _cut(data, max_value_chars)
    return data, marks, notes


def read_marks(text: str, max_depth: int, max_nodes: int, max_value_chars: int) -> dict[str, tuple[int, ...]]:
    """The marks alone, for a text whose data the decoder has already given (the loader's deferred
    positions), without decoding it again. Raises `Unreadable` as `read_json` does."""
    try:
        return _scan(text, max_depth, max_nodes, max_value_chars)[0]
    except (ValueError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None


def has_lone_surrogate(text: str) -> bool:
    return "\\u" in text and _LONE_SURROGATE.search(text) is not None


def _scan(text: str, max_depth: int, max_nodes: int, cap: int) -> tuple[dict[str, tuple[int, ...]], list[Note]]:
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    marks: dict[str, tuple[int, ...]] = {}
    notes: list[Note] = []
    stack: list[_Frame] = []
    nodes = end = 0
    for match in _TOKEN.finditer(text):
        if match.start() != end:
            raise Unreadable("unexpected text")
        end, begin, token = match.end(), match.start(1), match.group(1)
        first = token[0]
        if first in "}]":
            frame = stack.pop() if stack else None
            if frame is None or frame.is_object != (first == "}") or frame.key is not None:
                raise Unreadable("unbalanced")
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
                raise Unreadable("a key must be text")
            key = _decoded(token[1:-1])
            nodes += 1  # keys count towards the value limit, as on the YAML route's event walk
            if len(key) > cap or nodes > max_nodes:
                raise Unreadable("key over a limit")
            line = bisect_right(starts, end)
            top.key = (key, (*start, line, end - starts[line - 1] + 1))
            continue
        nodes += 1
        # containers nest at most `max_depth` deep (an empty one too); no text, number or literal is longer
        # than the value limit (the YAML route cuts and reports those)
        if nodes > max_nodes or (first in "{[" and len(stack) >= max_depth) or (first != '"' and len(token) > cap):
            raise Unreadable("over a limit")
        pointer, key_marks, skip = _place(top, notes)
        if first in "{[":
            stack.append(_Frame(pointer, first == "{", start, key_marks, skip))
            continue
        if first != '"' and _SCALAR.fullmatch(token) is None:
            raise Unreadable("not a JSON value")
        if skip:
            continue
        line = bisect_right(starts, end)
        value = (*start, line, end - starts[line - 1] + 1)
        marks[pointer] = value if key_marks is None else value + key_marks
        if first == '"' and len(token) - 2 > cap and len(_decoded(token[1:-1])) > cap:
            notes.append(("long", value, len(_decoded(token[1:-1])), pointer, 0))
    if stack or _TRAILING.match(text, end).end() != len(text) or not marks:  # type: ignore[union-attr]
        raise Unreadable("incomplete")
    return marks, notes


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
