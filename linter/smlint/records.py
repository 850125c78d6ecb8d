"""Frozen records that cost less to declare than ``@dataclass(frozen=True)``.

A one-file run (the pre-commit case) declares about 75-80 record classes before it reads a file. On CPython
3.11 ``@dataclass(frozen=True)`` compiles six generated methods per class (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), about 3.5 M instructions a class: a fifth of
a one-file run (docs/performance.md, "One file: record classes"). ``@record`` asks ``dataclasses`` for
the field list and ``__init__`` only, and gives every record the same five other methods, written once
here and compiled with this module; a class costs about a quarter as much.

What stays the same: a record is a dataclass (``dataclasses.fields``, ``replace``, ``asdict`` and
``is_dataclass`` work), assigning or deleting an attribute raises ``FrozenInstanceError`` as a frozen
dataclass does, equality compares the fields marked ``compare`` when both sides are of the same class,
the hash is taken from the same fields (or those marked ``hash=True``; both compare tuples of the fields, as
``dataclass`` does on Python 3.10-3.12), and ``repr`` names the fields
marked ``repr``, in declaration order. Records declared with ``slots=True`` stay plain frozen dataclasses
(their pickling support comes from ``dataclass``); they are the few records a large run keeps by the
thousand, declared once each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import FrozenInstanceError
from operator import attrgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda function: function


__all__ = ["record"]

T = TypeVar("T", bound=type)
_Getter = Callable[[Any], tuple[Any, ...]]


def _getter(names: tuple[str, ...]) -> _Getter:
    """A function returning a tuple of the named attributes (one ``attrgetter`` call for two or more)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        single = attrgetter(names[0])
        return lambda obj: (single(obj),)
    return lambda obj: ()


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        compared: _Getter = self.__record_compare__
        return compared(self) == compared(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_hash__(self))


@recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _frozen_methods(cls: Any, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    """``__setattr__`` and ``__delattr__`` as ``dataclass(frozen=True)`` writes them, without compiling."""

    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _init_source(fields: tuple[dataclasses.Field[Any], ...]) -> tuple[str, dict[str, Any]]:
    """The source of an ``__init__`` that sets each field with ``object.__setattr__``, and its globals."""
    names: dict[str, Any] = {"__object_setattr": object.__setattr__, "__MISSING": dataclasses.MISSING}
    params = ["self"]
    body = []
    for field in fields:
        value = field.name
        if field.default is not dataclasses.MISSING:
            names[f"__default_{field.name}"] = field.default
        if field.default_factory is not dataclasses.MISSING:
            names[f"__factory_{field.name}"] = field.default_factory
        if field.init:
            if field.default is not dataclasses.MISSING:
                params.append(f"{field.name}=__default_{field.name}")
            elif field.default_factory is not dataclasses.MISSING:
                params.append(f"{field.name}=__MISSING")
                value = f"__factory_{field.name}() if {field.name} is __MISSING else {field.name}"
            else:
                params.append(field.name)
        elif field.default_factory is not dataclasses.MISSING:
            value = f"__factory_{field.name}()"
        else:  # init=False with a plain default (or none): the class attribute answers, as with dataclass
            continue
        body.append(f"    __object_setattr(self, {field.name!r}, {value})")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    return source, names


def _make_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    source, names = _init_source(fields)
    namespace: dict[str, Any] = {}
    exec(source, names, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def _has_init_only(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> bool:
    declared = getattr(cls, "__dataclass_fields__", {})
    return any("InitVar" in str(field.type) for field in declared.values() if field not in fields)


def _explicit_hash(namespace: Mapping[str, Any]) -> bool:
    """A ``__hash__`` written in the class (Python sets it to None beside a written ``__eq__``: not explicit)."""
    return "__hash__" in namespace and not (namespace["__hash__"] is None and "__eq__" in namespace)


def _finish(cls: Any, doc: str | None) -> Any:
    fields = dataclasses.fields(cls)
    if _has_init_only(cls, fields) or hasattr(cls, "__post_init__") or any(field.kw_only for field in fields):
        raise TypeError(f"{cls.__qualname__}: @record takes no InitVar, keyword-only field or __post_init__; "
                        "use @dataclass(frozen=True)")
    cls.__doc__ = doc  # not the "Name()" dataclass writes before the class has its __init__
    namespace = dict(cls.__dict__)
    if "__init__" not in namespace:
        cls.__init__ = _make_init(cls, fields)
    compared = tuple(field.name for field in fields if field.compare)
    hashed = tuple(field.name for field in fields if (field.compare if field.hash is None else field.hash))
    cls.__record_compare__ = staticmethod(_getter(compared))
    cls.__record_hash__ = staticmethod(_getter(hashed))
    cls.__record_repr__ = tuple(field.name for field in fields if field.repr)
    if "__eq__" not in namespace:
        cls.__eq__ = _eq
    if not _explicit_hash(namespace):
        cls.__hash__ = _hash
    if "__repr__" not in namespace:
        cls.__repr__ = _repr
    if "__setattr__" in namespace or "__delattr__" in namespace:
        raise TypeError(f"{cls.__qualname__}: a frozen record cannot define __setattr__ or __delattr__")
    setter, deleter = _frozen_methods(cls, frozenset(field.name for field in fields))
    cls.__setattr__ = setter
    cls.__delattr__ = deleter
    _describe_as_frozen(cls.__dataclass_params__)
    return cls


def _describe_as_frozen(params: Any) -> None:
    """Say in the class's dataclass parameters what the record does (``frozen``, ``__init__``, ``==``, ``repr``),
    so code asking ``dataclass`` whether a class is frozen (a frozen subclass, the check contract) is answered."""
    params.init = params.repr = params.eq = params.frozen = True


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: T, /) -> T:
    """Declare a frozen record (``@record`` where one would write ``@dataclass(frozen=True)``)."""
    bases = [vars(base)["__dataclass_params__"] for base in cls.__mro__[1:]
             if "__dataclass_params__" in vars(base)]
    if any(not params.frozen for params in bases):
        raise TypeError(f"{cls.__qualname__}: a frozen record cannot extend a dataclass that is not frozen")
    if bases:
        extended: Any = dataclasses.dataclass(frozen=True)(cls)  # a frozen base's subclass must be frozen
        return extended  # type: ignore[no-any-return]
    doc = cls.__dict__.get("__doc__")
    finished: T = _finish(dataclasses.dataclass(init=False, repr=False, eq=False)(cls), doc)
    return finished
