"""`smlint.records.record` behaves as `@dataclass(frozen=True)` does, for every feature the linter uses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
from dataclasses import FrozenInstanceError, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from smlint.records import record

LINTER = Path(__file__).resolve().parents[2] / "linter" / "smlint"


def _pair(body: dict[str, Any], namespace: dict[str, Any] | None = None) -> tuple[type, type]:
    """The same class declared with @record and with @dataclass(frozen=True)."""
    made = []
    for decorate in (record, dataclass(frozen=True)):
        cls = type("Sample", (), {"__annotations__": dict(body), **(namespace or {})})
        made.append(decorate(cls))
    return made[0], made[1]


# Each shape: the fields' annotations, their defaults, and the arguments one instance is built with.
SHAPES = [
    ({}, {}, {}),
    ({"a": "int"}, {}, {"a": 1}),
    ({"a": "int", "b": "str"}, {"b": "x"}, {"a": 2}),
    ({"a": "int", "b": "tuple[int, ...]"}, {"b": field(default_factory=tuple)}, {"a": 3}),
    ({"a": "int", "b": "int"}, {"b": field(default=5, compare=False)}, {"a": 4}),
    ({"a": "int", "b": "dict[str, int]"}, {"b": field(default_factory=dict, repr=False, compare=False)}, {"a": 1}),
    ({"a": "int", "b": "int"}, {"b": field(default=0, init=False)}, {"a": 9}),
    ({"a": "int", "b": "int"}, {"b": field(default=1, hash=False)}, {"a": 9}),
    ({"a": "tuple[str, ...]"}, {"a": ()}, {}),
]


@pytest.mark.parametrize(("annotations", "defaults", "arguments"), SHAPES)
def test_a_record_behaves_as_a_frozen_dataclass(
    annotations: dict[str, str], defaults: dict[str, Any], arguments: dict[str, Any]
) -> None:
    fast, slow = _pair(annotations, dict(defaults))
    one, other = fast(**arguments), slow(**arguments)
    assert repr(one) == repr(other)
    assert dataclasses.asdict(one) == dataclasses.asdict(other)
    assert vars(one) == vars(other)  # every field set on the instance, init=False ones too
    assert [f.name for f in dataclasses.fields(one)] == [f.name for f in dataclasses.fields(other)]
    assert one == fast(**arguments)
    assert hash(one) == hash(fast(**arguments)) == hash(other)
    assert (one == other) is False  # another class, as between two dataclasses
    assert one.__match_args__ == other.__match_args__
    for name in [*annotations, "not_a_field"]:
        with pytest.raises(FrozenInstanceError, match=f"cannot assign to field '{name}'"):
            setattr(one, name, 1)
        with pytest.raises(FrozenInstanceError, match=f"cannot delete field '{name}'"):
            delattr(one, name)
    assert dataclasses.is_dataclass(one)
    assert fast.__dataclass_params__.frozen is True


def test_equality_and_hash_read_only_the_compared_fields() -> None:
    fields = {"b": field(default=0, compare=False), "c": field(default=0, hash=False)}
    fast, _ = _pair({"a": "int", "b": "int", "c": "int"}, fields)
    assert fast(1, 2, 3) == fast(1, 7, 3)
    assert fast(1, 2, 3) != fast(1, 2, 4)
    assert hash(fast(1, 2, 3)) == hash(fast(1, 9, 8))
    assert fast(1) != (1,)


def test_defaults_factories_and_replace() -> None:
    fields = {"b": field(default_factory=list), "c": field(default=3, init=False)}
    fast, _ = _pair({"a": "int", "b": "list[int]", "c": "int"}, fields)
    one, two = fast(1), fast(1)
    assert one.b == [] and one.b is not two.b
    assert one.c == 3
    assert fast(1, [2]).b == [2]
    assert dataclasses.replace(one, a=5) == fast(5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'c'"):
        fast(1, c=4)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
        fast()


def test_methods_written_in_the_class_are_kept() -> None:
    def __eq__(self: Any, other: object) -> bool:
        return True

    def __repr__(self: Any) -> str:
        return "written"

    fast, _ = _pair({"a": "int"}, {"__eq__": __eq__, "__repr__": __repr__})
    assert fast(1) == fast(2)
    assert repr(fast(1)) == "written"
    assert hash(fast(1)) == hash(fast(1))  # a written __eq__ alone does not make it unhashable


def test_hash_and_init_written_in_the_class_are_kept() -> None:
    def __hash__(self: Any) -> int:
        return 7

    def __init__(self: Any, a: int) -> None:
        object.__setattr__(self, "a", a * 2)

    hashed, _ = _pair({"a": "int"}, {"__hash__": __hash__})
    assert hash(hashed(1)) == 7
    built, _ = _pair({"a": "int"}, {"__init__": __init__})
    assert built(2).a == 4


def test_comparing_with_another_type_asks_the_other_side() -> None:
    class Anything:
        def __eq__(self, other: object) -> bool:
            return True

    fast, slow = _pair({"a": "int"})
    assert fast(1) == Anything()
    assert slow(1) == Anything()
    assert fast(1) != (1,)


def test_a_subclass_adds_fields_and_stays_frozen() -> None:
    @record
    class Base:
        a: int

    @record
    class Child(Base):
        b: str = "x"

    child = Child(1)
    assert (child.a, child.b) == (1, "x")
    assert repr(child) == "test_a_subclass_adds_fields_and_stays_frozen.<locals>.Child(a=1, b='x')"
    assert child != Base(1)
    with pytest.raises(FrozenInstanceError):
        child.a = 2  # type: ignore[misc]

    @record
    class Grandchild(Child):  # a record extending a record
        c: int = 0

    assert Grandchild(1, "y", 2) == Grandchild(1, "y", 2)

    @dataclass(frozen=True)
    class Plain(Base):  # a stdlib frozen dataclass may extend a record
        c: int = 0

    assert Plain(1).c == 0


@record
class Picklable:
    name: str
    values: tuple[int, ...] = ()


def test_records_pickle_and_copy() -> None:
    one = Picklable("a", (1, 2))
    assert pickle.loads(pickle.dumps(one)) == one
    assert copy.deepcopy(one) == one
    assert copy.copy(one) == one


def test_what_record_refuses() -> None:
    with pytest.raises(TypeError, match="takes no InitVar, keyword-only field or __post_init__"):
        _pair({"a": "int"}, {"__post_init__": lambda self: None})
    with pytest.raises(TypeError, match="keyword-only field"):
        _pair({"a": "int"}, {"a": field(default=0, kw_only=True)})

    @dataclass
    class Mutable:
        a: int = 0

    with pytest.raises(TypeError, match="cannot extend a dataclass that is not frozen"):
        record(type("Sample", (Mutable,), {"__annotations__": {"b": "int"}}))
    with pytest.raises(TypeError, match="cannot define __setattr__"):
        record(type("Sample", (), {"__annotations__": {"a": "int"}, "__setattr__": lambda *a: None}))


def test_the_linter_declares_its_records_with_record() -> None:
    """A plain ``@dataclass(frozen=True)`` costs four times as much at every start-up (docs/performance.md);
    only records with slots, kept by the thousand, stay plain dataclasses."""
    plain = re.compile(r"^@(?:dataclasses\.)?dataclass\(frozen=True\)\s*$", re.MULTILINE)
    paths = sorted(LINTER.rglob("*.py"))
    offenders = [str(path.relative_to(LINTER)) for path in paths if plain.search(path.read_text())]
    assert offenders == []


def test_repr_of_a_record_holding_itself_and_what_help_shows() -> None:
    @record
    class Box:
        items: list[Any]

    box = Box([])
    box.items.append(box)
    assert repr(box) == "test_repr_of_a_record_holding_itself_and_what_help_shows.<locals>.Box(items=[...])"
    assert Box.__doc__ is None  # not the "Box()" dataclass writes before the class has its __init__
    assert Box.__init__.__module__ == __name__
    assert Picklable.__doc__ is None and Picklable.__init__.__qualname__ == "Picklable.__init__"
