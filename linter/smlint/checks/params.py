"""A check's parameters: declared as a frozen dataclass, read and vetted when a rule loads.

Each field of a check's parameters dataclass is declared with `param(kind, description)`. The *kind* knows
the field's JSON schema (the rule schema's check branches are generated from it, `smlint.generate`) and how
to read a value from a rule file into the typed value a check receives: a `Condition` compiled once, a
`Selector`, a regular expression vetted for RE2 (`safe_regex`), a nested check. A value a kind cannot read
is a `ParamError` at a pointer inside the rule's `check:`; the registry turns it into a `RuleError` naming
the rule file, line and column (exit 2).

Custom rules are validated against the generated schema before they are read, so the kinds repeat only
what reading needs (the type of a value, a regular expression's safety), not every constraint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from smlint.checks.base import CheckSpec
from smlint.checks.conditions import Condition
from smlint.records import record
from smlint.safe_regex import RegexRejected, vet_regex

NOT_GIVEN: Any = dataclasses.MISSING
META = "smlint.param"


class ParamError(ValueError):
    """A parameter a rule gives that cannot be read: `pointer` is relative to the rule's `check:`."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


Reader = Callable[[Any, str, "Mapping[str, CheckSpec]"], Any]


@record
class Kind:
    """What a parameter holds: its JSON schema (without description) and how a value is read."""

    schema: Mapping[str, Any]
    read: Reader


@record
class Param:
    """A declared parameter field's kind and description (the field's metadata)."""

    kind: Kind
    description: str
    from_rule: bool = False  # read from the rule's key of the same name, not from `check:` (not in its schema)


def param(kind: Kind, description: str, default: Any = NOT_GIVEN) -> Any:
    """A field of a check's parameters: its kind, its description (schema and docs), its default (none:
    the rule must give it)."""
    metadata = {META: Param(kind, description)}
    if isinstance(default, (list, dict, set)):
        raise TypeError("a parameter's default must be immutable (a tuple, not a list)")
    return dataclasses.field(default=default, metadata=metadata)


def rule_param(kind: Kind, description: str, default: Any) -> Any:
    """A field filled from the rule itself (such as `unknown`), not from its `check:` mapping."""
    return dataclasses.field(default=default, metadata={META: Param(kind, description, from_rule=True)})


@cache
def declared_params(cls: type) -> tuple[tuple[dataclasses.Field[Any], Param], ...]:
    """The parameter fields of a check's parameters dataclass, looked up once per class (every rule loaded reads
    them)."""
    return tuple((f, f.metadata[META]) for f in dataclasses.fields(cls) if META in f.metadata)


@record
class NoParams:
    """The parameters of a check that takes none."""


# -- reading --------------------------------------------------------------------------------------


def read_params(cls: type, raw: Mapping[str, Any], checks: Mapping[str, CheckSpec], *, pointer: str = "",
                rule: Mapping[str, Any] | None = None, ignore: Sequence[str] = ("type", "when")) -> Any:
    """`raw` (a rule's `check:` less `ignore`) read into the dataclass `cls`."""
    values: dict[str, Any] = {}
    names = set()
    for f, spec in declared_params(cls):
        if not spec.from_rule:
            names.add(f.name)
        source = (rule or {}) if spec.from_rule else raw
        if f.name in source:
            values[f.name] = spec.kind.read(source[f.name], f"{pointer}/{f.name}", checks)
        elif f.default is NOT_GIVEN and not spec.from_rule:
            raise ParamError(pointer, f"the check needs '{f.name}'")
    for key in raw:
        if key not in names and key not in ignore:
            raise ParamError(f"{pointer}/{key}", f"'{key}' is not a parameter of this check")
    return cls(**values)


def _expect(kind: type | tuple[type, ...], words: str) -> Callable[[Any, str], None]:
    def check(value: Any, pointer: str) -> None:
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            raise ParamError(pointer, f"'{_name(pointer)}' should be {words}")

    return check


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _name(pointer: str) -> str:
    parts = [p for p in pointer.split("/") if p and not p.isdigit()]
    return parts[-1] if parts else "check"


_text = _expect(str, "text")
_list = _expect(list, "a list")
_mapping = _expect(Mapping, "a mapping of fields")


def _read_text(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> str:
    _text(value, pointer)
    return str(value)


def _read_texts(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> tuple[str, ...]:
    _list(value, pointer)
    return tuple(_read_text(item, f"{pointer}/{i}", checks) for i, item in enumerate(value))


def _read_pointer_or_pointers(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> str | tuple[str, ...]:
    return _read_texts(value, pointer, checks) if isinstance(value, list) else _read_text(value, pointer, checks)


def _read_regex(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> str:
    pattern = _read_text(value, pointer, checks)
    _vet(pattern, pointer)
    return pattern


def _vet(pattern: str, pointer: str) -> None:
    try:
        vet_regex(pattern)
    except RegexRejected as exc:
        raise ParamError(pointer, f"regular expression rejected: {exc}") from None


def read_condition(value: Any, pointer: str, checks: Mapping[str, CheckSpec] | None = None) -> Condition:
    """A condition (`when`, `expect`, `where`), its regular expressions (`matches`) vetted."""
    if not isinstance(value, (Mapping, list)):
        raise ParamError(pointer, f"'{_name(pointer)}' should be a condition or a list of conditions")
    for at, regex in _regexes(value, pointer):
        _vet(regex, at)
    return Condition(value)


def _regexes(condition: Any, pointer: str) -> list[tuple[str, str]]:
    """(pointer, pattern) of each `matches` in a condition, through lists, `all`, `any`, `not` and `where`."""
    if isinstance(condition, list):
        return [found for i, c in enumerate(condition) for found in _regexes(c, f"{pointer}/{i}")]
    if not isinstance(condition, Mapping):
        return []
    found = [(f"{pointer}/matches", str(condition["matches"]))] if "matches" in condition else []
    for key in ("all", "any", "not", "where"):
        if key in condition:
            found.extend(_regexes(condition[key], f"{pointer}/{key}"))
    return found


def _read_condition(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> Condition:
    return read_condition(value, pointer, checks)


@record
class Selector:
    """Which documents of a project one side of a join considers (a repository check's parameter)."""

    kind: str
    when: Condition | None = None
    at: str | tuple[str, ...] | None = None
    path: str | None = None
    expect: Condition | None = None

    def matches(self, kind: str | None, data: Any) -> bool:
        return kind == self.kind and (self.when is None or self.when(data))


def _read_selector(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> Selector:
    return _selector(value, pointer, checks, ("kind",))


def _read_selector_with_path(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> Selector:
    return _selector(value, pointer, checks, ("kind", "path"))


def _selector(value: Any, pointer: str, checks: Mapping[str, CheckSpec], needs: Sequence[str]) -> Selector:
    _mapping(value, pointer)
    unknown = [key for key in value if key not in ("kind", "when", "at", "path", "expect")]
    if unknown:
        raise ParamError(f"{pointer}/{unknown[0]}", f"'{unknown[0]}' is not a field of a selector")
    for key in needs:
        if key not in value:
            raise ParamError(pointer, f"'{_name(pointer)}' is missing the required field '{key}'")
    return Selector(
        kind=_read_text(value["kind"], f"{pointer}/kind", checks),
        when=read_condition(value["when"], f"{pointer}/when") if "when" in value else None,
        at=_read_pointer_or_pointers(value["at"], f"{pointer}/at", checks) if "at" in value else None,
        path=_read_text(value["path"], f"{pointer}/path", checks) if "path" in value else None,
        expect=read_condition(value["expect"], f"{pointer}/expect") if "expect" in value else None,
    )


@record
class NestedCheck:
    """An artifact check run by another check (form_set's `of`): its declaration, parameters and `when`."""

    spec: CheckSpec
    params: Any
    when: Condition | None = None


def nested_check(allowed: Sequence[str], description: str) -> Kind:
    """A kind for an artifact check given as a parameter, one of `allowed`."""

    def read(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> NestedCheck:
        _mapping(value, pointer)
        name = value.get("type")
        if name not in allowed or name not in checks:
            raise ParamError(f"{pointer}/type", f"'type' must be one of: {', '.join(allowed)}")
        spec = checks[name]
        when = read_condition(value["when"], f"{pointer}/when") if "when" in value else None
        return NestedCheck(spec, read_params(spec.params, value, checks, pointer=pointer), when)

    return Kind({"allOf": [{"$ref": "#/$defs/check"},
                           {"properties": {"type": {"enum": list(allowed), "description": description}}}]}, read)


def _scalar(kind: type | tuple[type, ...], words: str) -> Reader:
    check = _expect(kind, words)

    def read(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> Any:
        check(value, pointer)
        return value

    return read


def enum(*values: str) -> Kind:
    def read(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> str:
        if value not in values:
            raise ParamError(pointer, f"'{_name(pointer)}' must be one of: {', '.join(values)}")
        return str(value)

    return Kind({"enum": list(values)}, read)


def integer(minimum: int | None = None) -> Kind:
    schema: dict[str, Any] = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    check = _expect(int, "a whole number")

    def read(value: Any, pointer: str, checks: Mapping[str, CheckSpec]) -> int:
        check(value, pointer)
        if minimum is not None and value < minimum:
            raise ParamError(pointer, f"'{_name(pointer)}' must be at least {minimum}")
        return int(value)

    return Kind(schema, read)


def texts(*, min_items: int | None = None, item: Mapping[str, Any] | None = None) -> Kind:
    """A list of texts (a tuple once read); `item` is each one's schema (default: text, not empty)."""
    schema: dict[str, Any] = {"type": "array", "items": dict(item or {"type": "string", "minLength": 1})}
    if min_items is not None:
        schema["minItems"] = min_items
    return Kind(schema, _read_texts)


POINTER = Kind({"$ref": "#/$defs/pointer"}, _read_text)
POINTERS = Kind({"type": "array", "items": {"$ref": "#/$defs/pointer"}, "minItems": 1}, _read_texts)
POINTER_GLOBS = Kind({"type": "array", "items": {"$ref": "#/$defs/pointer"}}, _read_texts)
POINTER_OR_POINTERS = Kind({"oneOf": [{"$ref": "#/$defs/pointer"},
                                      {"type": "array", "items": {"$ref": "#/$defs/pointer"}, "minItems": 1}]},
                           _read_pointer_or_pointers)
AT = Kind({"$ref": "#/$defs/at"}, _read_pointer_or_pointers)
CONDITIONS = Kind({"$ref": "#/$defs/conditions"}, _read_condition)
SELECTOR = Kind({"$ref": "#/$defs/selector"}, _read_selector)
SELECTOR_WITH_PATH = Kind({"allOf": [{"$ref": "#/$defs/selector"}, {"required": ["path"]}]},
                          _read_selector_with_path)  # a selector whose documents give the values at `path`
REGEX = Kind({"type": "string", "minLength": 1}, _read_regex)
BOOLEAN = Kind({"type": "boolean"}, _scalar(bool, "true or false"))
UNKNOWN = enum("report", "ignore", "violation")


# -- the schema -----------------------------------------------------------------------------------


def schema_branch(spec: CheckSpec) -> dict[str, Any]:
    """The rule schema's `if`/`then` branch for one check: its parameters, `when` for an artifact check."""
    properties: dict[str, Any] = {"type": True}
    required = []
    for f, declared in declared_params(spec.params):
        if declared.from_rule:
            continue
        properties[f.name] = {**declared.kind.schema, "description": declared.description}
        if f.default is NOT_GIVEN:
            required.append(f.name)
    if spec.scope == "artifact":
        properties = {"type": True, "when": WHEN_SCHEMA, **{k: v for k, v in properties.items() if k != "type"}}
    then: dict[str, Any] = {"properties": properties}
    if required:
        then["required"] = required
    then["additionalProperties"] = False
    chosen = {"const": spec.name, "description": f"The `{spec.name}` check: the parameters below apply to it."}
    return {"if": {"properties": {"type": chosen}}, "then": then}


WHEN_SCHEMA = {"$ref": "#/$defs/conditions",
               "description": "Condition on the document: the check runs only when it holds."}


def check_schema(checks: Mapping[str, CheckSpec]) -> dict[str, Any]:
    """The rule schema's `$defs/check`: the closed set of check types and one branch for each."""
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(checks), "description": "The named check that runs (the closed set "
                                "in docs/writing-rules.md); the other keys are its parameters."}},
        "allOf": [schema_branch(spec) for spec in checks.values()],
    }
