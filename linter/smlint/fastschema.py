"""A fast yes/no answer to "is this document valid against this schema?".

jsonschema explains every error, but importing it costs about 100 ms (a third of a one-file check) and
walking a valid document with it costs more than parsing the file. Most files are valid, so
`schema.validate` asks this module first and imports jsonschema only to explain a document that fails.

A schema is compiled once into nested closures. Only the keywords below are understood, with
jsonschema's Draft 2020-12 meaning (booleans are not numbers, 1.0 is an integer, `format` checks what
the caller's format checker checks); a schema with any other keyword compiles to None, and jsonschema
alone decides. The tests compare both verdicts on every example and on generated variants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default",
                         "deprecated", "readOnly", "writeOnly", "x-smlint-record"})
_DEFS = "#/$defs/"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class Unsupported(Exception):
    """The schema uses a keyword (or a form of one) this module does not implement."""


# the schema being compiled, its compiled "$ref"s and the formats that are checked
_ROOTS: list[tuple[Any, dict[str, Check], Mapping[str, Check]]] = []


def compile_schema(schema: Any, formats: Mapping[str, Check] | None = None) -> Check | None:
    """A predicate equivalent to jsonschema's validity verdict, or None when the schema is beyond it.

    `formats` maps each checked `format` to its test, as the validator's format checker does (default:
    dates only, `is_date`); any other format is an annotation."""
    _ROOTS.append((schema, {}, {"date": is_date} if formats is None else formats))
    try:
        return _compile(schema)
    except (Unsupported, re.error, TypeError, ValueError):
        return None
    finally:
        _ROOTS.pop()


def _compile(schema: Any) -> Check:
    if schema is True or schema == {}:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, Mapping):
        raise Unsupported(repr(schema))
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS:
            continue
        builder = _KEYWORDS.get(keyword)
        if builder is None:
            raise Unsupported(keyword)
        checks.append(builder(value, schema))
    if len(checks) == 1:
        return checks[0]

    def every(instance: Any) -> bool:  # a loop: all() over a generator costs more per node
        for check in checks:  # noqa: SIM110 (measured: faster than all() here)
            if not check(instance):
                return False
        return True

    return every


def _ref(value: Any, schema: Mapping[str, Any]) -> Check:
    """A reference into the root schema's `$defs` (the only kind smlint's schemas use); may recurse."""
    root, refs, _ = _ROOTS[-1]
    name = value[len(_DEFS):] if isinstance(value, str) and value.startswith(_DEFS) else ""
    defs = root.get("$defs") if isinstance(root, Mapping) else None
    if not name or "/" in name or "~" in name or not isinstance(defs, Mapping) or name not in defs:
        raise Unsupported(f"$ref {value!r}")
    if value not in refs:
        target: list[Check] = []
        refs[value] = lambda instance: target[0](instance)  # bound before compiling, for recursive definitions
        target.append(_compile(defs[name]))
    return refs[value]


def _always(instance: Any) -> bool:
    return True


def _never(instance: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _type(value: Any, schema: Mapping[str, Any]) -> Check:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(name, str) and name in _TYPES for name in names):
        raise Unsupported(f"type {value!r}")
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda instance: any(test(instance) for test in tests)


def equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema sees it: true is not 1, and lists and mappings compare item by item."""
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[k], two[k]) for k in one)
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False
    return bool(one == two)


def _enum(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list):
        raise Unsupported("enum")
    if all(isinstance(item, str) for item in value):
        allowed = frozenset(value)
        return lambda instance: isinstance(instance, str) and instance in allowed
    return lambda instance: any(equal(instance, item) for item in value)


def _const(value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda instance: equal(instance, value)


def _count_of(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unsupported(f"count {value!r}")
    return value


def _min_length(value: Any, schema: Mapping[str, Any]) -> Check:
    least = _count_of(value)
    return lambda instance: not isinstance(instance, str) or len(instance) >= least


def _max_length(value: Any, schema: Mapping[str, Any]) -> Check:
    most = _count_of(value)
    return lambda instance: not isinstance(instance, str) or len(instance) <= most


def _pattern(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, str):
        raise Unsupported("pattern")
    regex = re.compile(value)
    return lambda instance: not isinstance(instance, str) or regex.search(instance) is not None


def _format(value: Any, schema: Mapping[str, Any]) -> Check:
    test = _ROOTS[-1][2].get(value) if isinstance(value, str) else None
    return _always if test is None else test


def is_date(instance: Any) -> bool:
    """jsonschema's `date` format: text that is not YYYY-MM-DD or not a real day fails; non-text passes."""
    if not isinstance(instance, str):
        return True
    if not _DATE.fullmatch(instance):
        return False
    try:
        date.fromisoformat(instance)
    except ValueError:
        return False
    return True


def _bound(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Mapping[str, Any]], Check]:
    def build(value: Any, schema: Mapping[str, Any]) -> Check:
        if not _is_number(value):
            raise Unsupported("bound")
        return lambda instance: not _is_number(instance) or compare(instance, value)

    return build


def _count(kind: type[Any], compare: Callable[[int, int], bool]) -> Callable[[Any, Mapping[str, Any]], Check]:
    def build(value: Any, schema: Mapping[str, Any]) -> Check:
        bound = _count_of(value)
        return lambda instance: not isinstance(instance, kind) or compare(len(instance), bound)

    return build


def _items(value: Any, schema: Mapping[str, Any]) -> Check:
    if isinstance(value, list) or "prefixItems" in schema:
        raise Unsupported("items")
    item = _compile(value)
    return lambda instance: not isinstance(instance, list) or all(item(x) for x in instance)


def _unique_items(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, bool):
        raise Unsupported("uniqueItems")
    if not value:
        return _always
    # JSON equality (`equal`), pair by pair: the lists a configuration or artifact holds are short
    return lambda instance: not isinstance(instance, list) or not any(
        equal(a, b) for i, a in enumerate(instance) for b in instance[i + 1:])


def _required(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise Unsupported("required")
    names = tuple(value)
    return lambda instance: not isinstance(instance, dict) or all(name in instance for name in names)


def _properties(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, Mapping):
        raise Unsupported("properties")
    compiled = {name: _compile(sub) for name, sub in value.items()}

    def check(instance: Any) -> bool:  # walks the document's keys: usually fewer than the schema's
        if not isinstance(instance, dict):
            return True
        for name, value in instance.items():
            sub = compiled.get(name)
            if sub is not None and not sub(value):
                return False
        return True

    return check


def _additional(value: Any, schema: Mapping[str, Any]) -> Check:
    if "patternProperties" in schema:
        raise Unsupported("additionalProperties with patternProperties")
    known = frozenset(schema.get("properties", {}))
    extra = _compile(value)
    if extra is _never:
        return lambda instance: not isinstance(instance, dict) or all(key in known for key in instance)
    return lambda instance: not isinstance(instance, dict) or all(
        extra(v) for k, v in instance.items() if k not in known)


def _all_of(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not value:
        raise Unsupported("_all_of")
    subs = [_compile(sub) for sub in value]
    return lambda instance: all(sub(instance) for sub in subs)


def _any_of(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not value:
        raise Unsupported("_any_of")
    subs = [_compile(sub) for sub in value]
    return lambda instance: any(sub(instance) for sub in subs)


def _one_of(value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not value:
        raise Unsupported("_one_of")
    subs = [_compile(sub) for sub in value]
    return lambda instance: sum(1 for sub in subs if sub(instance)) == 1


def _not(value: Any, schema: Mapping[str, Any]) -> Check:
    sub = _compile(value)
    return lambda instance: not sub(instance)


def _if(value: Any, schema: Mapping[str, Any]) -> Check:
    condition = _compile(value)
    then = _compile(schema.get("then", True))
    otherwise = _compile(schema.get("else", True))
    return lambda instance: then(instance) if condition(instance) else otherwise(instance)


_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any]], Check]] = {
    "$ref": _ref,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "format": _format,
    "minimum": _bound(lambda a, b: a >= b),
    "maximum": _bound(lambda a, b: a <= b),
    "exclusiveMinimum": _bound(lambda a, b: a > b),
    "exclusiveMaximum": _bound(lambda a, b: a < b),
    "minItems": _count(list, lambda n, v: n >= v),
    "maxItems": _count(list, lambda n, v: n <= v),
    "minProperties": _count(dict, lambda n, v: n >= v),
    "maxProperties": _count(dict, lambda n, v: n <= v),
    "items": _items,
    "uniqueItems": _unique_items,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "then": lambda value, schema: _always,  # applied by "if"
    "else": lambda value, schema: _always,
}
