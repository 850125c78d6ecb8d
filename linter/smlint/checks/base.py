"""What every check is made of, and how a check declares itself.

A check is a pure function that yields `Hit`s (a pointer, message variables and an optional variant such as
``due_soon``). It declares itself where it is written, with `artifact_check`, `repository_check` or
`tool_check`: its name (what ``check: {type: ...}`` says in a rule file), its scope, its frozen parameters
dataclass (`smlint.checks.params`), the message variables and variants it provides and, from its docstring,
what it does. Everything else is derived from the declarations: the rule schema's check branches and the checks
table in the docs (`python -m smlint.generate --write`), the parsing and vetting of a rule's parameters when it loads
(`smlint.checks.load_check`), and the engine's dispatch.

The engine evaluates a rule's `when` before calling an artifact check: a check never sees a document its rule's
`when` refuses, and its parameters never hold `when`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from datetime import date
from typing import Any, Literal

from smlint.document import Document
from smlint.formats.fhirsettings import FhirSettings
from smlint.model import Severity
from smlint.profile import Profile
from smlint.records import record

Scope = Literal["artifact", "repository", "tool"]


@record
class Context:
    """What a check may know of the run besides the document: the day, FHIR settings, calendar, profile."""

    today: date
    fhir: FhirSettings = field(default_factory=FhirSettings)  # how FHIR Questionnaire items map to concepts
    # the report's calendar: dated checks also yield the dates due within this many days (0: no calendar)
    horizon_days: int = 0
    profile: Profile = field(default_factory=Profile)  # what the agency is, by its configuration (smlint.profile)


@record
class Hit:
    """One thing a check found: where, the message variables, and what the engine needs to judge it."""

    pointer: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    variant: str = ""
    severity: Severity | None = None
    # not empty: the check could not judge because these paths hold no value (see conditions.judge); the
    # engine applies the rule's `unknown` handling. `absent_fails`: reading a missing value the way the
    # test is written (two-valued, `conditions.holds`) fails, which `unknown: violation` reports.
    missing: tuple[str, ...] = ()
    absent_fails: bool = False
    # a dated check's date (`deadline`): the engine puts it in the report's calendar; `calendar_only`: the
    # date is due beyond the rule's own warning window, so it is no finding, only a calendar entry
    due: date | None = None
    calendar_only: bool = False


# an artifact check: one document's data, the rule's parameters (its declared dataclass), the run's context
ArtifactCheck = Callable[[Any, Any, Context], Iterator[Hit]]
# a repository check's two halves (see checks/repository.py): one document's facts for a rule, and the join
# over the facts of a project's documents, yielding (index of the document, where the finding points); the engine
# adds each document's display path to its facts as "@path" (never cached: the same file shows differently
# from another working folder) and "@report": whether findings on that document are wanted (false for the
# project's other files, which a run reads only as context; a check may skip judging those)
IndexFacts = Callable[[Document, Any], "dict[str, Any] | None"]
# (index of the document, where the finding points) and optionally extras: `missing` (the paths a fact the
# document does not record; the engine asks for them in its SM030 finding) and `related` (the indexes of the
# other documents the finding joined); a place is (path, pointer, line, column, end line, end column) and, for a
# prose policy, the label that says where in the document it is
Place = tuple[str, str, int, int, int, int] | tuple[str, str, int, int, int, int, str]
RepositoryCheck = Callable[[Sequence[Mapping[str, Any]], Any, Context],
                           Iterator["tuple[int, Place] | tuple[int, Place, Mapping[str, Any]]"]]

BASE_VARIABLES = frozenset({"field"})  # every check names the field its finding points at


@record
class CheckSpec:
    """One check as it declared itself."""

    name: str
    scope: Scope
    params: type  # a frozen dataclass whose fields are declared with `params.param`
    variables: frozenset[str]
    variants: frozenset[str]
    description: str  # the check's docstring: what it does, for the docs table
    artifact: ArtifactCheck | None = None
    repository: RepositoryCheck | None = None
    index: IndexFacts | None = None
    # the kinds of document `index` can give facts for, from a rule's parameters (None: any kind); the engine
    # tries a rule's index only on documents of those kinds (`index.IndexPlan`)
    index_kinds: Callable[[Any], Iterable[str]] | None = None
    judges_facts: bool = False  # reads facts three-valued, so a rule's `unknown:` handling applies

    @property
    def summary(self) -> str:
        """The first paragraph of the description, on one line."""
        return " ".join(self.description.split("\n\n")[0].split())


_DECLARED: dict[str, CheckSpec] = {}


def declared() -> dict[str, CheckSpec]:
    """Every check declared so far, by name, in the order they were declared."""
    return dict(_DECLARED)


def _declare(spec: CheckSpec) -> None:
    if spec.name in _DECLARED:
        raise ValueError(f"check '{spec.name}' is declared twice")
    settings = getattr(spec.params, "__dataclass_params__", None)
    if settings is None or not settings.frozen:
        raise TypeError(f"check '{spec.name}': params must be a frozen dataclass")
    _DECLARED[spec.name] = spec


def _doc(fn: Callable[..., Any]) -> str:
    return inspect.cleandoc(fn.__doc__ or "")


def artifact_check(name: str, params: type, *, variables: Sequence[str] = (), variants: Sequence[str] = (),
                   judges_facts: bool = False) -> Callable[[ArtifactCheck], ArtifactCheck]:
    """Declares the decorated function as the artifact check `name` (one document at a time)."""

    def declare(fn: ArtifactCheck) -> ArtifactCheck:
        _declare(CheckSpec(name, "artifact", params, BASE_VARIABLES | set(variables), frozenset(variants),
                           _doc(fn), artifact=fn, judges_facts=judges_facts))
        return fn

    return declare


def repository_check(name: str, params: type, *, index: IndexFacts, variables: Sequence[str] = (),
                     variants: Sequence[str] = (), judges_facts: bool = False,
                     index_kinds: Callable[[Any], Iterable[str]] | None = None
                     ) -> Callable[[RepositoryCheck], RepositoryCheck]:
    """Declares the decorated function as the repository check `name`, the join over what `index` gives of
    each document of a project. `index_kinds`, when given, names from a rule's parameters every kind of
    document `index` can give facts for: it must give none (None or empty) for any other kind."""

    def declare(fn: RepositoryCheck) -> RepositoryCheck:
        _declare(CheckSpec(name, "repository", params, BASE_VARIABLES | set(variables), frozenset(variants),
                           _doc(fn), repository=fn, index=index, index_kinds=index_kinds,
                           judges_facts=judges_facts))
        return fn

    return declare


def tool_check(name: str, params: type, description: str) -> None:
    """Declares a check that no function runs: a stage of smlint itself reports its rules (SM0xx)."""
    _declare(CheckSpec(name, "tool", params, frozenset(), frozenset(), inspect.cleandoc(description)))
