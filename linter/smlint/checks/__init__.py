"""The closed set of named checks that rule files can use.

A rule file names one check (``check: {type: deadline, ...}``) and gives its parameters; the check is a
pure function that yields `Hit`s (a pointer, message variables and an optional variant such as
``due_soon``). Artifact checks see one document's data; repository checks see every document, grouped
by kind. Adding a check means adding a function here and a branch in ``schemas/rule.schema.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from smlint.document import Document
from smlint.formats.fhirsettings import FhirSettings
from smlint.model import Severity


@dataclass(frozen=True)
class Context:
    today: date
    fhir: FhirSettings = field(default_factory=FhirSettings)  # how FHIR Questionnaire items map to concepts


@dataclass(frozen=True)
class Hit:
    pointer: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    variant: str = ""
    severity: Severity | None = None
    # not empty: the check could not judge because these paths hold no value (see conditions.judge); the
    # engine applies the rule's `unknown` handling. `absent_fails`: reading a missing value the way the
    # test is written (two-valued, `conditions.holds`) fails, which `unknown: violation` reports.
    missing: tuple[str, ...] = ()
    absent_fails: bool = False


ArtifactCheck = Callable[[Any, Mapping[str, Any], Context], Iterator[Hit]]
# a repository check's two halves (see checks/repository.py): one document's facts for a rule, and the join
# over the facts of a project's documents, yielding (index of the document, where the finding points); the engine
# adds each document's display path to its facts as "@path" (never cached: the same file shows differently
# from another working folder) and "@report": whether findings on that document are wanted (false for the
# project's other files, which a run reads only as context; a check may skip judging those)
IndexFacts = Callable[[Document, Mapping[str, Any]], "dict[str, Any] | None"]
# (index of the document, where the finding points) and optionally extras: `missing` (the paths a fact the
# document does not record; the engine asks for them in its SM030 finding) and `related` (the indexes of the
# other documents the finding joined); a place is `checks.repository.Place`
RepositoryCheck = Callable[[Sequence[Mapping[str, Any]], Mapping[str, Any], Context],
                           Iterator["tuple[int, Place] | tuple[int, Place, Mapping[str, Any]]"]]
Place = tuple[str, str, int, int, int, int] | tuple[str, str, int, int, int, int, str]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    scope: str
    variables: frozenset[str]
    variants: frozenset[str]
    artifact: ArtifactCheck | None = None
    repository: RepositoryCheck | None = None
    index: IndexFacts | None = None
    judges_facts: bool = False  # reads facts three-valued, so a rule's `unknown:` handling applies

    @property
    def doc(self) -> str:
        fn = self.artifact or self.repository
        return (fn.__doc__ or "").strip() if fn else ""


def _registry() -> dict[str, CheckSpec]:
    from smlint.checks import artifact, client_data, forms, repository

    base = frozenset({"field"})
    return {
        "required": CheckSpec("required", "artifact", base | {"section"}, frozenset(), artifact=artifact.required),
        "assert": CheckSpec("assert", "artifact", base, frozenset({"unknown"}), artifact=artifact.assert_,
                            judges_facts=True),
        "deadline": CheckSpec("deadline", "artifact", base | {"due", "days_overdue", "days_left"},
                              frozenset({"due_soon"}), artifact=artifact.deadline),
        "forbidden_words": CheckSpec("forbidden_words", "artifact", base | {"word"}, frozenset(),
                                     artifact=artifact.forbidden_words),
        "pattern": CheckSpec("pattern", "artifact", base, frozenset(), artifact=artifact.pattern),
        "text_matches": CheckSpec("text_matches", "artifact", base, frozenset(), artifact=artifact.text_matches),
        "each": CheckSpec("each", "artifact", base, frozenset({"unknown"}), artifact=artifact.each, judges_facts=True),
        "fhir_mapped": CheckSpec("fhir_mapped", "artifact", base, frozenset(), artifact=artifact.fhir_mapped),
        "client_identifiers": CheckSpec("client_identifiers", "artifact", base, frozenset(),
                                        artifact=client_data.client_identifiers),
        "requires_any": CheckSpec("requires_any", "repository", base, frozenset(),
                                  repository=repository.requires_any,
                                  index=repository.index_requires_any),
        "all_satisfy": CheckSpec("all_satisfy", "repository", base | {"related"}, frozenset(),
                                 repository=repository.all_satisfy,
                                 index=repository.index_all_satisfy, judges_facts=True),
        "member_of": CheckSpec("member_of", "repository", base, frozenset(), repository=repository.member_of,
                                  index=repository.index_member_of),
        "form_set": CheckSpec("form_set", "repository", base, frozenset(), repository=forms.form_set,
                              index=forms.index_form_set),
        "form_reference": CheckSpec("form_reference", "repository", base, frozenset(),
                                    repository=forms.form_reference, index=forms.index_form_reference),
        "compare": CheckSpec("compare", "repository", base, frozenset(), repository=repository.compare,
                                  index=repository.index_compare),
    }


CHECKS: dict[str, CheckSpec] = _registry()
