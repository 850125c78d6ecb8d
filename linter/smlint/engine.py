"""Evaluates a rule set over loaded files: parse problems, schema violations, artifact rules, then
repository rules. No I/O; the caller loads files and renders the result."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from smlint.checks import CHECKS, Context, Hit
from smlint.checks.conditions import gate, gate_key
from smlint.document import Document, getter
from smlint.findings import FindingFactory, Selection, render_message
from smlint.formats.views import views
from smlint.index import NO_FACTS, Entry, ProjectFacts, extract_all
from smlint.kinds import VENDOR
from smlint.loader import LoadResult, Problem, unrecognised_kind
from smlint.model import Finding, Related, Rule, Span
from smlint.redact import redact_pointer
from smlint.toolrules import SCHEMA_RULE, UNKNOWN_RULE
from smlint.unknowns import Need, merge, top_pointer

__all__ = ["Engine", "Selection"]  # Selection lives in smlint.findings; importing it from here is deprecated


Ranked = tuple[int, Rule]  # a rule with its place in the catalogue


@dataclass(frozen=True)
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
        when = entry[1].check.get("when")  # every artifact check tests `when` before anything else
        found = gate(when) if when is not None else None
        if found is None:
            always.append(entry)
        else:
            gated[found[0]][found[1]].append(entry)
    return _KindRules(tuple(always), tuple((getter(path), {k: tuple(v) for k, v in by_key.items()})
                                           for path, by_key in gated.items()))


@dataclass(frozen=True)
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


class Engine:
    """Holds the compiled plan for one run; `run` may be called once per batch of files."""

    def __init__(self, selection: Selection, context: Context,
                 project_of: Callable[[str], str] | None = None) -> None:
        self.selection = selection
        self.context = context
        self.make = FindingFactory(selection)  # every finding is built, and its severity decided, there
        self.plan = _plan(selection)
        # which project a document's file belongs to: repository rules join documents within a project
        self.project_of = project_of

    def check_files(self, results: Sequence[LoadResult], context: ProjectFacts = NO_FACTS) -> list[Finding]:
        """Findings for `results`; `context` (the index of the project's other files) is there only so that
        joins see them."""
        findings: list[Finding] = []
        entries: list[Entry] = []
        for result in results:
            found, indexed = self.check_file(result)
            findings.extend(found)
            entries.extend(indexed or ())
        return self._finish(findings, ProjectFacts.of_entries(entries), context)

    def check_file(self, result: LoadResult) -> tuple[list[Finding], list[Entry] | None]:
        """What one file gives on its own (parse problems, schema violations and artifact rules, for its
        documents and their views), and its documents' index entries for the repository rules: None when
        checking the file failed, which is reported while the file stays out of the joins and the others go
        on. Needs no other file, so `--jobs` runs it in worker processes."""
        findings = self.problem_findings(result.path, [*result.problems, *embedded_facts(result.documents)[1]])
        try:
            checked = [(doc, self.check_document(doc)) for doc in self.with_views(result.documents)]
            entries = extract_all((doc for doc, _ in checked), self.plan.repository)
            for doc in result.documents:
                if doc.kind is None and unrecognised_kind(doc.data):
                    findings.extend(self.client_data_findings(doc))
        except Exception as exc:  # a bug on odd data must not stop the run: the file fails, others go on
            findings.extend(self.problem_findings(result.path, [_unchecked(exc)]))
            return findings, None
        for _, found in checked:
            findings.extend(found)
        return findings, entries

    def index(self, result: LoadResult) -> list[Entry]:
        """The index entries of a file loaded only as context (a file that fails gives none)."""
        try:
            return extract_all(self.with_views(result.documents), self.plan.repository)
        except Exception:  # a context file that smlint cannot index is left out of the joins
            return []

    def finish(self, file_findings: Iterable[Finding], results: Sequence[LoadResult],
               context: ProjectFacts = NO_FACTS, unchecked: Collection[str] = ()) -> list[Finding]:
        """The per-file findings (`check_file`, run elsewhere) plus the repository rules, sorted. Files in
        `unchecked` (their check failed) stay out of the joins, as in `check_files`."""
        entries = extract_all(self.with_views(doc for r in results if r.path not in unchecked for doc in r.documents),
                              self.plan.repository)
        return self._finish(list(file_findings), ProjectFacts.of_entries(entries), context)

    def join(self, file_findings: Iterable[Finding], checked: ProjectFacts,
             context: ProjectFacts = NO_FACTS) -> list[Finding]:
        """The per-file findings plus the repository rules over the checked files' index (`checked`, each
        file's entries from `check_file`) and the project's other files' (`context`), sorted: no document
        is needed."""
        return self._finish(file_findings, checked, context)

    def _finish(self, file_findings: Iterable[Finding], checked: ProjectFacts,
                context: ProjectFacts) -> list[Finding]:
        findings = list(file_findings)
        findings.extend(self.check_repository(checked, context))
        rule = self.plan.tool.get(UNKNOWN_RULE)
        if rule is not None:
            findings = merge(findings, rule.message)
        findings.sort(key=Finding.sort_key)
        return findings

    def with_views(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Each known document, followed by the views derived from it (`formats/views.py`)."""
        for doc in embedded_facts([doc for doc in docs if doc.kind is not None])[0]:
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
            findings.extend(self.finding(rule, doc, hit) for hit in spec.artifact(doc.data, rule.check, self.context))
        return findings

    def check_document(self, doc: Document) -> list[Finding]:
        assert doc.kind is not None
        findings = self._schema_findings(doc)
        needs: list[Need] = []
        kind_rules = self.plan.by_kind.get(doc.kind)
        for rule in kind_rules.for_data(doc.data) if kind_rules is not None else ():
            spec = CHECKS[rule.check["type"]]
            assert spec.artifact is not None
            for hit in spec.artifact(doc.data, rule.check, self.context):
                if not hit.missing:
                    findings.append(self.finding(rule, doc, hit))
                elif rule.unknown == "report":
                    needs.extend(Need(path, rule.id) for path in hit.missing)
                elif rule.unknown == "violation" and hit.absent_fails:
                    findings.append(self.finding(rule, doc, hit))
        if needs:
            findings.extend(self.needs_finding(doc, needs))
        return findings

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
        from smlint.schema import validate

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
        for rule in self.plan.repository:
            by_project: dict[str, list[Entry]] = defaultdict(list)
            for entry in checked.concerning(rule.id):
                by_project[self._project(entry.path)].append(entry)
            for key, concerned in by_project.items():
                if key == joined:
                    concerned.extend(context.concerning(rule.id))
                projects.setdefault(key, []).extend(f for f in self._check_rule(rule, concerned, reported)
                                                    if f.path in reported)
        return [finding for key in sorted(projects) for finding in projects[key]]

    def _project(self, path: str) -> str:
        return self.project_of(path) if self.project_of else ""

    def _check_rule(self, rule: Rule, concerned: Sequence[Entry], reported: Collection[str]) -> list[Finding]:
        """One rule's findings on the files in `reported`, over the entries that have facts for it."""
        spec = CHECKS[rule.check["type"]]
        assert spec.repository is not None
        findings: list[Finding] = []
        # the path, and whether findings on it are wanted, are not cached
        facts = [{**entry.facts[rule.id], "@path": entry.path, "@report": entry.path in reported}
                 for entry in concerned]
        params = {**rule.check, "unknown": rule.unknown} if spec.judges_facts else rule.check
        for i, where, *extra in spec.repository(facts, params, self.context):
            extras: Mapping[str, Any] = extra[0] if extra else {}
            if extras.get("missing"):
                needs = [Need(path, rule.id) for path in extras["missing"]]
                findings.extend(self.placed_needs(concerned[i], where, needs))
            else:
                related = [(concerned[j], place, concerned[j].name or PurePath(concerned[j].path).name)
                           for j, place in extras.get("related", ())]
                findings.append(self.placed_finding(rule, concerned[i], where, related))
        return findings

    def placed_needs(self, entry: Entry, where: Sequence[Any], needs: Sequence[Need]) -> list[Finding]:
        """A partial SM030 finding at an index entry's top (`where`): facts a join needed from it."""
        rule = self.plan.tool.get(UNKNOWN_RULE)
        if rule is None:
            return []
        _, pointer, line, column, end_line, end_column = where
        span = Span(int(line), int(column), int(end_line), int(end_column))
        return [self.make.needs(rule, entry.path, span, entry.kind, str(pointer), needs)]

    def placed_finding(self, rule: Rule, entry: Entry, where: Sequence[Any],
                       related: Sequence[tuple[Entry, Sequence[Any], str]] = ()) -> Finding:
        """A repository rule's finding at a place an index entry recorded (`checks/repository.place`), with
        the other artifacts it joined as related locations; `{related}` names them (redacted names)."""
        name, pointer, line, column, end_line, end_column = where
        text = render_message(rule, {"field": name, "related": _names([n for _, _, n in related], MAX_RELATED)})
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
        if doc.labels:  # a prose policy's place: heading path, Word paragraph (scrubbed when made, formats/prose.py)
            where = doc.label(hit.pointer)
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
    """Vendor documents with the facts of the export embedded in them (`export: {format, data}`), as
    `formats.exports.export_facts` gives a named export's; and the problems for facts they disagree on."""
    from smlint.formats.exports import embedded_export, export_facts

    out: list[Document] = []
    problems: list[Problem] = []
    for doc in documents:
        embedded = embedded_export(doc) if doc.kind == VENDOR else None
        if embedded is None:
            out.append(doc)
            continue
        merged, found = export_facts(doc, [embedded])
        out.append(merged)
        problems.extend(found)
    return out, problems


def _unchecked(exc: Exception) -> Problem:
    return Problem(Span(1, 1, 1, 1), f"smlint could not finish checking this file ({exc.__class__.__name__} "
                                     "inside smlint); it has not been checked: please report this")
