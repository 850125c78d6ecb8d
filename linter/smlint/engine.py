"""Evaluates a rule set over loaded files: parse problems, schema violations, artifact rules, then
repository rules. No I/O; the caller loads files and renders the result."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from smlint.checks import CHECKS, Context, Hit
from smlint.checks.conditions import gate, gate_key
from smlint.document import Document, getter
from smlint.findings import FindingFactory, Selection, render_message
from smlint.formats.exports import embedded_exports, export_facts
from smlint.formats.views import views
from smlint.index import NO_FACTS, Entry, IndexPlan, Joined, PackedEntries, ProjectFacts, extract_all
from smlint.kinds import VENDOR
from smlint.loader import LoadResult, Problem, unrecognised_kind
from smlint.model import Deadline, Finding, Related, Rule, Span
from smlint.records import record
from smlint.redact import redact_pointer
from smlint.schema import validate
from smlint.toolrules import SCHEMA_RULE, UNKNOWN_RULE
from smlint.unknowns import Need, merge, top_pointer

__all__ = ["Engine", "Selection"]  # Selection lives in smlint.findings; importing it from here is deprecated


Ranked = tuple[int, Rule]  # a rule with its place in the catalogue


@record
class _KindRules:
    """One kind's artifact rules, indexed by their gates (`conditions.gate`): a rule whose `when` holds
    only if, say, ``/category`` equals ``voip`` is looked up by the document's category instead of being
    tried, and refused, on every other vendor."""

    always: tuple[Ranked, ...]
    gated: tuple[tuple[Callable[[Any], Any], Mapping[Any, tuple[Ranked, ...]]], ...]

    def for_data(self, data: Any) -> list[Rule]:
        """The rules that may apply to `data`, in catalogue order."""
        if not self.gated:
            return [rule for _, rule in self.always]
        chosen = list(self.always)
        for value_at, by_key in self.gated:
            key = gate_key(value_at(data))
            if key is not None:
                chosen.extend(by_key.get(key, ()))
        chosen.sort(key=lambda ranked: ranked[0])
        return [rule for _, rule in chosen]


def _kind_rules(ranked: list[Ranked]) -> _KindRules:
    always: list[Ranked] = []
    gated: dict[str, dict[Any, list[Ranked]]] = defaultdict(lambda: defaultdict(list))
    for entry in ranked:
        # the engine tests a rule's `when` before its check runs (`check_document`), so a rule whose `when`
        # cannot hold for a document need not be tried on it at all
        when = entry[1].check.get("when") if entry[1].when is not None else None
        found = gate(when) if when is not None else None
        if found is None:
            always.append(entry)
        else:
            gated[found[0]][found[1]].append(entry)
    return _KindRules(tuple(always), tuple((getter(path), {k: tuple(v) for k, v in by_key.items()})
                                           for path, by_key in gated.items()))


@record
class _Plan:
    by_kind: Mapping[str, _KindRules]
    repository: tuple[Rule, ...]
    tool: Mapping[str, Rule]


def _plan(selection: Selection) -> _Plan:
    by_kind: dict[str, list[Ranked]] = defaultdict(list)
    repository: list[Rule] = []
    tool: dict[str, Rule] = {}
    for rank, rule in enumerate(selection.rules):
        if rule.check.get("type") == "tool":
            tool[rule.id] = rule
        elif rule.scope == "repository":
            repository.append(rule)
        else:
            for kind in rule.kinds:
                by_kind[kind].append((rank, rule))
    return _Plan({k: _kind_rules(v) for k, v in by_kind.items()}, tuple(repository), tool)


@record
class FileOutcome:
    """What checking one file gives (`Engine.check_file`): the file as later stages need it (the pipeline
    releases what they do not, `pipeline.Step.release`), its own findings, its index entries for the repository
    rules (None: its check failed, so it stays out of the joins) and the dates its dated rules watch, for the
    report's calendar (only when `Context.horizon_days` asks for one)."""

    result: LoadResult
    findings: tuple[Finding, ...]
    entries: tuple[Entry, ...] | None
    deadlines: tuple[Deadline, ...] = ()


class Outcomes:
    """The outcomes of a run's files as the run keeps them while it goes on (`pipeline.py`): each file's
    released result, findings and dates by its path, in the order the files were first added, and its index
    entries packed (`index.PackedEntries`: compressed bytes, not objects, for every file read). A file added
    again (a vendor file checked again with its exports' facts) replaces its outcome and keeps its place."""

    def __init__(self, outcomes: Iterable[FileOutcome] = ()) -> None:
        self._results: dict[str, LoadResult] = {}
        self._findings: dict[str, tuple[Finding, ...]] = {}
        self._deadlines: dict[str, tuple[Deadline, ...]] = {}
        self.entries = PackedEntries()
        for outcome in outcomes:
            self.add(outcome)

    def add(self, outcome: FileOutcome) -> None:
        path = outcome.result.path
        self._results[path] = outcome.result
        self._findings[path] = outcome.findings
        self._deadlines[path] = outcome.deadlines
        self.entries.add(path, outcome.entries or ())  # None (the check failed): out of the joins

    def reserve(self, path: str) -> None:
        """Give the file shown as `path` its place now; its outcome is added later."""
        if path not in self._results:
            self._results[path] = LoadResult(path, (), ())
            self._findings[path] = ()
            self._deadlines[path] = ()
            self.entries.reserve(path)

    def __contains__(self, path: object) -> bool:
        return path in self._results

    @property
    def paths(self) -> list[str]:
        return list(self._results)

    def results(self) -> list[LoadResult]:
        return list(self._results.values())

    def findings(self) -> Iterator[Finding]:
        return (finding for found in self._findings.values() for finding in found)

    def deadlines(self) -> list[Deadline]:
        return [deadline for dates in self._deadlines.values() for deadline in dates]


class Engine:
    """Holds the compiled plan for one run: `check_file` for each file, then `check_project` once."""

    def __init__(self, selection: Selection, context: Context,
                 project_of: Callable[[str], str] | None = None) -> None:
        self.selection = selection
        self.context = context
        self.make = FindingFactory(selection)  # every finding is built, and its severity decided, there
        self.plan = _plan(selection)
        self.indexing = IndexPlan(self.plan.repository)  # which repository rules index which kinds
        # which project a document's file belongs to: repository rules join documents within a project
        self.project_of = project_of

    def check_file(self, result: LoadResult) -> FileOutcome:
        """The engine's one per-file entry: what one file gives on its own (parse problems, schema violations
        and artifact rules, for its documents and their views), its documents' index entries for the
        repository rules (None when checking the file failed, which is reported while the file stays out of
        the joins and the others go on), and the dates its dated rules watch. Needs no other file, so
        `--jobs` runs it in worker processes (`pipeline.py`)."""
        known, disagreements = embedded_facts([doc for doc in result.documents if doc.kind is not None])
        findings = self.problem_findings(result.path, [*result.problems, *disagreements])
        dates: list[Deadline] = []
        try:
            checked = [(doc, self.check_document(doc, dates)) for doc in self._and_views(known)]
            entries = extract_all((doc for doc, _ in checked), self.indexing)
            for doc in result.documents:
                if doc.kind is None and unrecognised_kind(doc.data):
                    findings.extend(self.client_data_findings(doc))
        except Exception as exc:  # a bug on odd data must not stop the run: the file fails, others go on
            findings.extend(self.problem_findings(result.path, [_unchecked(exc)]))
            return FileOutcome(result, tuple(findings), None)
        for _, found in checked:
            findings.extend(found)
        return FileOutcome(result, tuple(findings), tuple(entries), tuple(dates))

    def check_project(self, outcomes: Outcomes | Iterable[FileOutcome], context: ProjectFacts = NO_FACTS
                      ) -> list[Finding]:
        """The engine's one repository entry: the checked files' own findings (`check_file`) plus the
        repository rules over their index entries and the project's other files' (`context`, there only so
        that joins see them), each artifact's SM030 parts merged into one, sorted. No document is needed."""
        collected = outcomes if isinstance(outcomes, Outcomes) else Outcomes(outcomes)
        findings = list(collected.findings())
        findings.extend(self.check_repository(collected.entries.facts(), context))
        rule = self.plan.tool.get(UNKNOWN_RULE)
        if rule is not None:
            findings = merge(findings, rule.message)
        findings.sort(key=Finding.sort_key)
        return findings

    def index(self, result: LoadResult) -> list[Entry]:
        """The index entries of a file loaded only as context (a file that fails gives none)."""
        try:
            return extract_all(self.with_views(result.documents), self.indexing)
        except Exception:  # a context file that smlint cannot index is left out of the joins
            return []

    def with_views(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Each known document, followed by the views derived from it (`formats/views.py`)."""
        return self._and_views(embedded_facts([doc for doc in docs if doc.kind is not None])[0])

    def _and_views(self, known: Iterable[Document]) -> Iterator[Document]:
        """Each document (with its exports' facts embedded), followed by the views derived from it."""
        for doc in known:
            yield doc
            yield from views(doc, self.context.fhir)

    def problem_findings(self, path: str, problems: Iterable[Problem]) -> list[Finding]:
        """Problems found while loading, each under its own tool rule (SM000 syntax, SM002 limits)."""
        findings = []
        for p in problems:
            related = tuple(Related(where, line, column, redact_pointer(at)) for where, line, column, at in p.related)
            findings.extend(self.make.problem(p.rule, path, p.span, p.message, redact_pointer(p.pointer), related))
        return findings

    def client_data_findings(self, doc: Document) -> list[Finding]:
        """The client-data rules (check `client_identifiers`) on a document whose kind smlint does not know
        (SM003): whatever it is, it must not hold a client's identifiers."""
        findings: list[Finding] = []
        for rule in self.selection.rules:
            if rule.check.get("type") != "client_identifiers" or rule.scope != "artifact":
                continue
            spec = CHECKS[rule.check["type"]]
            assert spec.artifact is not None
            if rule.when is None or rule.when(doc.data):
                findings.extend(self.finding(rule, doc, hit)
                                for hit in spec.artifact(doc.data, rule.params, self.context))
        return findings

    def check_document(self, doc: Document, dates: list[Deadline] | None = None) -> list[Finding]:
        """The document's own findings; the dates its dated rules watch are added to `dates` (see
        `Context.horizon_days`)."""
        assert doc.kind is not None
        findings = self._schema_findings(doc)
        needs: list[Need] = []
        kind_rules = self.plan.by_kind.get(doc.kind)
        data = doc.data
        for rule in kind_rules.for_data(data) if kind_rules is not None else ():
            when = rule.when
            if when is not None and not when(data):  # the rule's `when`, compiled once when it loaded
                continue
            spec = CHECKS[rule.check["type"]]
            assert spec.artifact is not None
            for hit in spec.artifact(data, rule.params, self.context):
                if hit.due is not None:
                    self._date(rule, doc, hit, dates)
                    if hit.calendar_only:
                        continue
                if not hit.missing:
                    findings.append(self.finding(rule, doc, hit))
                elif rule.unknown == "report":
                    needs.extend(Need(path, rule.id) for path in hit.missing)
                elif rule.unknown == "violation" and hit.absent_fails:
                    findings.append(self.finding(rule, doc, hit))
        if needs:
            findings.extend(self.needs_finding(doc, needs))
        return findings

    def _date(self, rule: Rule, doc: Document, hit: Hit, dates: list[Deadline] | None) -> None:
        """A date a dated check watches goes in the report's calendar when it is overdue or falls due within
        `Context.horizon_days`."""
        horizon = self.context.horizon_days
        if dates is None or not horizon or hit.due is None or (hit.due - self.context.today).days > horizon:
            return
        span, _ = doc.locate(hit.pointer)
        dates.append(self.make.deadline(rule, doc.path, span, doc.kind or "", hit.variables, hit.variant))

    def needs_finding(self, doc: Document, needs: Sequence[Need]) -> list[Finding]:
        """A partial SM030 finding at the artifact's top: facts its rules need and it does not record
        (merged with the project step's into one per artifact, see `unknowns.merge`)."""
        rule = self.plan.tool.get(UNKNOWN_RULE)
        if rule is None:
            return []
        span, _ = doc.locate(top_pointer(doc.data))
        return [self.make.needs(rule, doc.path, span, doc.kind or "",
                                redact_pointer(doc.source_pointer(top_pointer(doc.data))), needs)]

    def _schema_findings(self, doc: Document) -> list[Finding]:
        rule = self.plan.tool.get(SCHEMA_RULE)
        if rule is None or doc.kind is None or not doc.validate:
            return []
        return [self.finding(rule, doc, Hit(v.pointer), message=v.message) for v in validate(doc.kind, doc.data)]

    def check_repository(self, checked: ProjectFacts, context: ProjectFacts = NO_FACTS) -> list[Finding]:
        """The repository rules, run once per project (see `discovery.ProjectScopes`) on index entries: the
        files checked (`checked`, whose findings are wanted) and the project's other files (`context`,
        joined to the project of its files, read only so that joins see them). Each fact mapping says
        whether findings on its file are wanted (`"@report"`), so that a check may skip judging what nobody
        will see; a rule no checked file of a project has facts for is not run there at all (its findings
        could only be on files nobody will see), and the context's facts for it are never read. The facts
        are asked for one rule at a time, so a run holds one rule's facts as objects at a time."""
        if not self.plan.repository:
            return []
        projects: dict[str, list[Finding]] = {}
        others = context.paths
        joined = self._project(others[0]) if others else None
        reported = set(checked.paths)
        project_of: dict[str, str] = {}  # each path's project, looked up once for all the rules
        for rule in self.plan.repository:
            by_project: dict[str, list[Joined]] = defaultdict(list)
            for entry in checked.concerning(rule.id):
                key = project_of.get(entry.path)
                if key is None:
                    key = project_of[entry.path] = self._project(entry.path)
                by_project[key].append(entry)
            for key, concerned in by_project.items():
                if key == joined:
                    concerned.extend(context.concerning(rule.id))
                projects.setdefault(key, []).extend(f for f in self._check_rule(rule, concerned, reported, context)
                                                    if f.path in reported)
        return [finding for key in sorted(projects) for finding in projects[key]]

    def _project(self, path: str) -> str:
        return self.project_of(path) if self.project_of else ""

    def _check_rule(self, rule: Rule, concerned: Sequence[Joined], reported: Collection[str],
                    context: ProjectFacts = NO_FACTS) -> list[Finding]:
        """One rule's findings on the files in `reported`, over the entries that have facts for it; `context`
        names the artifacts whose entries came from the project cache."""
        spec = CHECKS[rule.check["type"]]
        assert spec.repository is not None
        findings: list[Finding] = []
        # the path, and whether findings on it are wanted, are not cached
        facts = [{**entry.facts, "@path": entry.path, "@report": entry.path in reported}
                 for entry in concerned]
        for i, where, *extra in spec.repository(facts, rule.params, self.context):
            extras: Mapping[str, Any] = extra[0] if extra else {}
            if extras.get("missing"):
                needs = [Need(path, rule.id) for path in extras["missing"]]
                findings.extend(self.placed_needs(concerned[i], where, needs))
            else:
                related = [(concerned[j], place, context.name(concerned[j]) or PurePath(concerned[j].path).name)
                           for j, place in extras.get("related", ())]
                findings.append(self.placed_finding(rule, concerned[i], where, related))
        return findings

    def placed_needs(self, entry: Joined, where: Sequence[Any], needs: Sequence[Need]) -> list[Finding]:
        """A partial SM030 finding at an index entry's top (`where`): facts a join needed from it."""
        rule = self.plan.tool.get(UNKNOWN_RULE)
        if rule is None:
            return []
        _, pointer, line, column, end_line, end_column = where[:6]
        span = Span(int(line), int(column), int(end_line), int(end_column))
        return [self.make.needs(rule, entry.path, span, entry.kind, str(pointer), needs)]

    def placed_finding(self, rule: Rule, entry: Joined, where: Sequence[Any],
                       related: Sequence[tuple[Joined, Sequence[Any], str]] = ()) -> Finding:
        """A repository rule's finding at a place an index entry recorded (`checks/repository.place`), with
        the other artifacts it joined as related locations; `{related}` names them (redacted names)."""
        name, pointer, line, column, end_line, end_column = where[:6]
        text = render_message(rule, {"field": name, "related": _names([n for _, _, n in related], MAX_RELATED)})
        if len(where) > 6 and where[6]:  # a prose policy's place (`checks.repository.place`)
            text = f"{text} ({where[6]})"
        others = tuple(Related(other.path, int(at[2]), int(at[3]), str(at[1]))
                       for other, at, _ in related[:MAX_RELATED])
        return self.make.finding(rule, entry.path, Span(int(line), int(column), int(end_line), int(end_column)),
                                 text, kind=entry.kind, pointer=str(pointer), related=others)

    def finding(self, rule: Rule, doc: Document, hit: Hit, message: str | None = None) -> Finding:
        span, exact = doc.locate(hit.pointer)
        sources = supplied_by(doc, hit.pointer) if not exact else ()
        if sources:  # a fact from an export: point at the vendor's `export:`, and at the export's field
            span, _ = doc.locate("/export")
        text = message if message is not None else render_message(rule, hit.variables, hit.variant)
        where = doc.place(hit.pointer, found=not hit.missing)  # a prose policy: its clause's place, or "not found"
        text = f"{text} ({where})" if where else text
        pointer = redact_pointer(doc.source_pointer(hit.pointer))
        related = tuple(Related(path, line, column, redact_pointer(at)) for _, path, at, line, column in sources)
        return self.make.finding(rule, doc.path, span, text, kind=doc.kind or "", pointer=pointer, related=related,
                                 hit_severity=hit.severity)


# A cross-artifact finding in a large project may join hundreds of artifacts (every form that lacks a clause the
# policy promises): it carries the first few as related locations and names them, and counts the rest, so that
# a report's size and a run's memory grow with the findings, not with findings times artifacts.
MAX_RELATED = 5


def _names(names: Sequence[str], most: int | None = None) -> str:
    """Names as a reader lists them: "A", "A and B", "A, B and C" (each once); past `most`, "… and N others"."""
    unique = list(dict.fromkeys(n for n in names if n))
    if most is not None and len(unique) > most:
        unique = [*unique[:most], f"{len(unique) - most} others"]
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1] if unique else ""


def supplied_by(doc: Document, pointer: str) -> tuple[tuple[str, str, str, int, int], ...]:
    """The export places (`Document.supplied`) of the facts at `pointer` or below it."""
    return tuple(s for s in doc.supplied if s[0] == pointer or s[0].startswith(pointer + "/"))


def embedded_facts(documents: Sequence[Document]) -> tuple[list[Document], list[Problem]]:
    """Vendor documents with the facts of the exports embedded in them (`export: {format, data}`, or a list
    of such entries), as `formats.exports.export_facts` gives a named export's; and the problems for facts
    they disagree on."""
    out: list[Document] = []
    problems: list[Problem] = []
    for doc in documents:
        embedded = embedded_exports(doc) if doc.kind == VENDOR else []
        if not embedded:
            out.append(doc)
            continue
        merged, found = export_facts(doc, embedded)
        out.append(merged)
        problems.extend(found)
    return out, problems


def _unchecked(exc: Exception) -> Problem:
    return Problem(Span(1, 1, 1, 1), f"smlint could not finish checking this file ({exc.__class__.__name__} "
                                     "inside smlint); it has not been checked: please report this")
