"""Structural validation of artifacts against `schemas/<kind>.schema.json`.

jsonschema's own messages quote the offending value and speak in schema terms; a clinical director
needs to know which field is wrong and what it should hold. Each error is turned into a `Violation`
at a JSON Pointer, with a message built from the schema's own descriptions and never from the value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from smlint.document import child, join
from smlint.fastschema import compile_schema, is_date
from smlint.records import record
from smlint.redact import FIELD_LIKE, key_name, scrub
from smlint.resources import data_dir

if TYPE_CHECKING:
    from jsonschema import FormatChecker, ValidationError
    from jsonschema.protocols import Validator

    from smlint.fastschema import Check


@record
class Violation:
    pointer: str
    message: str


_TYPE_WORDS = {
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping of fields",
    "array": "a list",
    "null": "empty",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    with (data_dir("schemas") / f"{name}.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def quick_check(name: str) -> Check | None:
    """The fast validity predicate for a schema, or None when only jsonschema can judge it."""
    return compile_schema(load_schema(name), {"date": is_date})  # the same date test as _format_checker


@cache
def validator(name: str) -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name), format_checker=_format_checker())


def _format_checker() -> FormatChecker:
    """Checks `format: date` strictly, as check-jsonschema and editors do. Where a `<FILL IN: ...>`
    placeholder may stand for a date, the schema itself says so (`$defs/date-or-placeholder`: a date or
    a placeholder pattern), so the shipped schemas accept exactly what smlint accepts."""
    from jsonschema import FormatChecker

    return FormatChecker(formats=("date",))


def validate(kind: str, data: Any) -> list[Violation]:
    """Every structural problem of one artifact, deepest first within each branch.

    A document the fast check passes is valid; jsonschema (slow to import and to run) only explains
    the documents that fail it."""
    check = quick_check(kind)
    if check is not None and check(data):
        return []
    errors = sorted((_specific(e) for e in validator(kind).iter_errors(data)),
                    key=lambda e: [str(p) for p in e.absolute_path])
    violations = [Violation(v.pointer, scrub(v.message)) for error in errors for v in _explain(error)]
    return list(dict.fromkeys(violations))  # the same message can come from two branches of a schema


def _specific(error: ValidationError) -> ValidationError:
    """For `oneOf`/`anyOf` failures, the most relevant error among the alternatives."""
    from jsonschema.exceptions import best_match

    while error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        candidates = [e for e in error.context if len(e.absolute_path) == deepest]
        dates = [e for e in candidates if e.validator == "format"]  # a date, not its placeholder pattern
        error = dates[0] if dates else (best_match(candidates) or error)
    return error


def _explain(error: ValidationError) -> Iterable[Violation]:
    pointer = join([str(p) for p in error.absolute_path])
    field = _field_name(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    kind = error.validator
    if kind == "required":
        for name in _missing(error):
            yield Violation(pointer, f"{_where(field)}is missing the required field '{name}'")
    elif kind == "additionalProperties":
        for name in _extra(error):
            yield Violation(child(pointer, name), f"{key_name(name)} is not a field smlint knows{_in(field)}; "
                                                  "check its spelling and indentation")
    elif kind == "type":
        expected: Any = error.validator_value
        types = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        hint = " (put it in quotes)" if types == ["string"] else ""
        yield Violation(pointer, f"'{field}' should be {words}{hint}")
    elif kind == "format":
        yield Violation(pointer, f"'{field}' is not a real calendar date; write it as YYYY-MM-DD")
    elif kind in ("enum", "const"):
        value: Any = error.validator_value
        allowed = value if kind == "enum" else [value]
        choices = ", ".join(str(a) for a in allowed)
        yield Violation(pointer, f"'{field}' must be one of: {choices}")
    elif kind == "minLength":
        yield Violation(pointer, f"'{field}' is empty; write the wording or remove the field")
    elif kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        yield Violation(pointer, f"'{field}' must be {bound} {error.validator_value}")
    elif kind == "pattern":
        description = str(schema.get("description", ""))
        yield Violation(pointer, f"'{field}' is not in the expected form. {description}".strip())
    elif kind == "minItems":
        yield Violation(pointer, f"'{field}' needs at least {error.validator_value} item(s)")
    else:
        yield Violation(pointer, f"'{field}' does not have the expected shape ({kind})")


def _field_name(path: Iterable[Any]) -> str:
    parts = [str(p) for p in path]
    for part in reversed(parts):
        if not part.isdigit():
            name = part if FIELD_LIKE.fullmatch(part) else "field"  # see redact.key_name
            return name if part == parts[-1] else f"{name} item {int(parts[-1]) + 1}"
    return "document"


def _where(field: str) -> str:
    return "the document " if field == "document" else f"'{field}' "


def _in(field: str) -> str:
    return "" if field == "document" else f" in '{field}'"


def _missing(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    required = error.validator_value if isinstance(error.validator_value, list) else []
    return [str(name) for name in required if name not in instance]


def _extra(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    known = set(schema.get("properties", {}))
    return [str(name) for name in instance if name not in known]
