"""Raw vendor exports named by vendor files.

A vendor file either embeds the export (`export: {format: zoom-settings, data: {...}}`), which
becomes a view of the vendor file under `/export/data`, or names a file
(`export: {format: zoom-settings, file: ../exports/zoom-settings.json}`, relative to the vendor
file). A named file is checked as that format whatever its shape, and loaded even when it lies
outside the folders being checked, since it is part of the vendor's record.

A vendor with several exports of one account (Zoom's settings and its lock settings) lists them:
`export: [{format: zoom-settings, file: ...}, {format: zoom-lock-settings, file: ...}]`; each entry is
what a single `export:` mapping is, at `/export/<n>` (embedded data under `/export/<n>/data`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from smlint.document import Document
from smlint.kinds import EXPORT_KINDS, GOOGLE_WORKSPACE, MICROSOFT_365, VENDOR
from smlint.records import record
from smlint.toolrules import CONFLICT_RULE
from smlint.yamljson import JSON_SUFFIXES, YAML_SUFFIXES, LoadResult, Problem

Loader = Callable[[Path, str], LoadResult]


def export_entries(doc: Document) -> list[tuple[str, Mapping[str, Any]]]:
    """Each export a vendor document declares in a format smlint reads, with its pointer: `/export` for a
    single mapping, `/export/<n>` for the entries of a list."""
    data = doc.data
    if doc.kind != VENDOR or not isinstance(data, Mapping):
        return []
    export = data.get("export")
    if isinstance(export, Mapping):
        entries: list[tuple[str, Any]] = [("/export", export)]
    elif isinstance(export, list):
        entries = [(f"/export/{n}", entry) for n, entry in enumerate(export)]
    else:
        return []
    return [(pointer, entry) for pointer, entry in entries
            if isinstance(entry, Mapping) and entry.get("format") in EXPORT_KINDS]


def embedded_exports(doc: Document) -> list[Document]:
    """The exports embedded in a vendor document (`data:`), each a view of the vendor file as its format."""
    return [dataclasses.replace(doc, kind=entry["format"], data=entry["data"], prefix=f"{pointer}/data")
            for pointer, entry in export_entries(doc) if isinstance(entry.get("data"), Mapping)]


@record
class Reference:
    vendor: str
    file: Path
    kind: str


def references(results: Sequence[LoadResult], files: Mapping[str, Path]) -> tuple[list[Reference], list[LoadResult]]:
    """The export files vendor files name, and the results with a problem added to each vendor file whose
    export cannot be used (missing, not a regular file, or not YAML or JSON)."""
    found: list[Reference] = []
    updated: list[LoadResult] = []
    for result in results:
        problems: list[Problem] = []
        for doc in result.documents:
            for pointer, export in export_entries(doc):
                if not isinstance(export.get("file"), str) or result.path not in files:
                    continue
                target = files[result.path].parent / export["file"]
                message = _unusable(target)
                if message is None:
                    found.append(Reference(result.path, target, export["format"]))
                else:
                    span, _ = doc.locate(f"{pointer}/file")
                    problems.append(Problem(span, message, f"{pointer}/file"))
        updated.append(dataclasses.replace(result, problems=(*result.problems, *problems)) if problems else result)
    return found, updated


def _unusable(target: Path) -> str | None:
    if target.suffix.lower() not in YAML_SUFFIXES + JSON_SUFFIXES:
        return "the export file named in 'export.file' must be a .json, .yaml or .yml file"
    if not target.is_file():
        return ("the export file named in 'export.file' does not exist or is not a regular file "
                "(the path is relative to this vendor file)")
    return None


def attach(results: Sequence[LoadResult], files: Mapping[str, Path], load: Loader,
           display: Callable[[Path], str]) -> list[LoadResult]:
    """Results with every named export checked as its declared format (exports outside the targets are
    loaded with `load`), and each vendor file's data completed by the facts its exports record."""
    refs, updated = references(results, files)
    if not refs:
        return updated
    kinds, extra, names = named_exports(refs, files, display)
    loaded = [*updated, *(load(path, name) for name, path in sorted(extra.items()))]
    typed = [as_kind(result, kinds[result.path]) if result.path in kinds else result for result in loaded]
    per_vendor = vendor_exports(refs, names, {result.path: result for result in typed})
    return [with_export_facts(r, per_vendor[r.path]) if r.path in per_vendor else r for r in typed]


def names_export_file(result: LoadResult) -> bool:
    """Whether a vendor document of `result` names an export file (`export.file`, or an entry's `file`)."""
    return any(isinstance(entry.get("file"), str) for doc in result.documents for _, entry in export_entries(doc))


def named_export_files(result: LoadResult, file: Path) -> list[Path]:
    """The export files the vendor documents of `result` (loaded from `file`) name, usable or not."""
    if not names_export_file(result):
        return []
    return [file.parent / entry["file"] for doc in result.documents for _, entry in export_entries(doc)
            if isinstance(entry.get("file"), str)]


def with_named_exports(result: LoadResult, file: Path, load: Loader, display: Callable[[Path], str]) -> LoadResult:
    """A vendor file's result (loaded from `file`) with the facts of the export files it names, each loaded
    with `load` as its declared format: what `attach` gives a checked vendor file, for a file of the project
    read only as context, so that the joins see the same vendor whatever part of the project is checked (a
    policy checked alone still learns that the Microsoft 365 tenant does not enforce MFA)."""
    if not names_export_file(result):
        return result
    refs, _ = references([result], {result.path: file})
    if not refs:
        return result
    names = [display(ref.file) for ref in refs]
    loaded = {name: as_kind(load(ref.file, name), ref.kind) for ref, name in zip(refs, names, strict=True)}
    documents = vendor_exports(refs, names, loaded).get(result.path)
    return with_export_facts(result, documents) if documents else result


def named_exports(refs: Sequence[Reference], files: Mapping[str, Path], display: Callable[[Path], str]
                  ) -> tuple[dict[str, str], dict[str, Path], list[str]]:
    """The format each named export file is checked as (by display name), the named files that are not
    among `files` (to be loaded as well), and each reference's display name."""
    named = {ref.file.name for ref in refs}  # resolve only the targets that could be a named export
    by_file = {path.resolve(): display_name for display_name, path in files.items() if path.name in named}
    kinds: dict[str, str] = {}
    extra: dict[str, Path] = {}
    names: list[str] = []
    for ref in refs:
        name = by_file.get(ref.file.resolve()) or display(ref.file)
        names.append(name)
        kinds.setdefault(name, ref.kind)
        if name not in files:
            extra.setdefault(name, ref.file)
    return kinds, extra, names


def vendor_exports(refs: Sequence[Reference], names: Sequence[str], exports: Mapping[str, LoadResult]
                   ) -> dict[str, list[Document]]:
    """For each vendor file, the documents of the exports it names (each loaded as its format, by name)."""
    per_vendor: dict[str, list[Document]] = {}
    for ref, name in zip(refs, names, strict=True):
        export = exports.get(name)
        if export is not None and len(export.documents) == 1 and export.documents[0].kind == ref.kind:
            per_vendor.setdefault(ref.vendor, []).append(export.documents[0])
    return per_vendor


def with_export_facts(result: LoadResult, exports: Sequence[Document]) -> LoadResult:
    """The vendor file's result with its vendor document's data completed by the facts its exports record
    (formats/facts.py), and an SM031 problem, in the vendor file, for each fact they record differently."""
    documents = []
    problems = list(result.problems)
    for doc in result.documents:
        if doc.kind != VENDOR or not exports:
            documents.append(doc)
            continue
        merged, conflicts = export_facts(doc, exports)
        documents.append(merged)
        problems.extend(conflicts)
    return dataclasses.replace(result, documents=tuple(documents), problems=tuple(problems))


def export_facts(doc: Document, exports: Sequence[Document]) -> tuple[Document, list[Problem]]:
    """The vendor document with the facts `exports` record and it leaves out (`Document.supplied` says
    where each came from), and an SM031 problem for each fact both record differently."""
    from smlint.formats.facts import merge_all

    exports = [_provider_shaped(export) for export in exports]
    merged = merge_all(doc.data, [(export.kind or "", export.data) for export in exports])
    if not merged.supplied and not merged.conflicts:
        return doc, []
    supplied = []
    for fact in merged.supplied:
        export = exports[fact.export]
        span, _ = export.locate(fact.source)
        supplied.append((fact.target, export.path, export.source_pointer(fact.source), span.line, span.column))
    problems = []
    for conflict in merged.conflicts:
        export = exports[conflict.export]
        span, _ = export.locate(conflict.source)
        here, _ = doc.locate(conflict.target)
        problems.append(Problem(here, f"the vendor file records {conflict.label} differently from its export "
                                      f"{export.path} (line {span.line}): one of them is wrong",
                                conflict.target, CONFLICT_RULE,
                                ((export.path, span.line, span.column, export.source_pointer(conflict.source)),)))
    return dataclasses.replace(doc, data=merged.data, supplied=(*doc.supplied, *supplied)), problems



def _provider_shaped(export: Document) -> Document:
    """A Workspace or Microsoft 365 export as its rules read it (the settings view of a results file or a
    Policy API list: formats/scuba.py), whose pointers still lead to the file; any other export as it is."""
    if export.kind not in (GOOGLE_WORKSPACE, MICROSOFT_365):
        return export
    from smlint.formats.scuba import settings_view

    return settings_view(export) or export


def as_kind(result: LoadResult, kind: str) -> LoadResult:
    """The result with its raw documents checked as `kind`; smlint's own artifacts keep their kind."""
    documents = tuple(dataclasses.replace(doc, kind=kind)
                      if isinstance(doc.data, Mapping) and (doc.kind is None or doc.kind in EXPORT_KINDS) else doc
                      for doc in result.documents)
    return dataclasses.replace(result, documents=documents)
