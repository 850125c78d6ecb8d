"""One pipeline from targets to the findings of a project's files, whichever way the files are checked.

1. An executor maps the targets to per-file outcomes with one function, `Step.__call__`: load the file, note the
   export files its vendor documents name (`formats/exports.py`), check it (`Engine.check_file`) and release
   what later stages do not need (`Step.release`). `serial` does it in this process, one file at a time, as
   the next stage asks, so memory holds each file's findings and its facts (packed, `engine.Outcomes`), not
   its documents; `--jobs N` does it in worker processes
   (`parallel.map_in_processes`, which the application picks), with the same outcomes in the same order.
2. Exports are resolved once the targets are known (`resolve_exports`), in this process whatever the
   executor: a named export among the targets is checked again as its declared format, one outside them is
   loaded then, and each vendor file that names one is checked again with the facts its exports record.
3. The engine's repository entry (`Engine.check_project`) joins the outcomes' index entries with the project's
   other files' and returns every finding, sorted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from smlint.discovery import Target, display_path
from smlint.document import Document
from smlint.engine import Engine, FileOutcome, Outcomes
from smlint.formats.exports import Reference, as_kind, named_exports, references, vendor_exports, with_export_facts
from smlint.loader import JSON_SUFFIXES, Limits, LoadResult, load_bytes, load_file, may_hold_directive
from smlint.model import Finding
from smlint.records import record


@record
class Checked:
    """One target's outcome and the export files its vendor documents name."""

    outcome: FileOutcome
    references: tuple[Reference, ...] = ()


class TargetFiles(Mapping[str, Path]):
    """Each target's file by the path it is shown as, made a `Path` only when asked (`discovery.Target`: a
    large run would otherwise hold a `Path` for each of thousands of files)."""

    def __init__(self, targets: Sequence[Target]) -> None:
        self._targets = {target.display: target for target in targets}

    def __getitem__(self, name: str) -> Path:
        return self._targets[name].file

    def __contains__(self, name: object) -> bool:
        return name in self._targets  # no `Path` made to answer

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


@record
class Step:
    """The per-file work, the same in this process and in worker processes (it is sent to them once)."""

    engine: Engine
    limits: Limits
    files: Mapping[str, Path]  # every target's file by the path it is shown as: export references resolve to them
    keep_text: bool = False  # --show-source quotes the file
    keep_documents: bool = False  # the format shows the artifacts checked (HTML, Markdown)

    def __call__(self, target: Target) -> Checked:
        found, result = self.load(target)
        return Checked(self.check(result), tuple(found))

    def load(self, target: Target) -> tuple[list[Reference], LoadResult]:
        """The target's `LoadResult` (with a problem on each vendor file whose named export cannot be used),
        and the export files it names."""
        if target.content is None:
            loaded = load_file(target.path, target.display, self.limits, target.kind)
        else:
            loaded = load_bytes(target.content, target.display, self.limits, default_kind=target.kind,
                                is_json=target.file.suffix.lower() in JSON_SUFFIXES)
        found, (result,) = references([loaded], self.files)
        return found, result

    def check(self, result: LoadResult) -> FileOutcome:
        outcome = self.engine.check_file(result)
        return replace(outcome, result=self.release(result))

    def release(self, result: LoadResult) -> LoadResult:
        """What later stages need of a checked file: its path and its documents' kinds (the report's list of
        files); its text and documents only when an inline directive may be in it, `--show-source` quotes it
        or the format shows the artifacts (HTML, Markdown)."""
        if self.keep_text or self.keep_documents or may_hold_directive(result):
            return result
        return LoadResult(result.path, _shells(tuple(doc.kind for doc in result.documents)), result.problems)


@cache
def _shells(kinds: tuple[str | None, ...]) -> tuple[Document, ...]:
    """Released documents: their kinds only (no data, no positions), one tuple of them per sequence of kinds
    for the whole run (a file's path is its `LoadResult`'s)."""
    return tuple(Document("", kind, None, {}) for kind in kinds)


Executor = Callable[[Step, Sequence[Target]], Iterable[Checked]]


def serial(step: Step, targets: Sequence[Target]) -> Iterator[Checked]:
    """Each target in turn, in this process, as the caller asks for it: one file's documents at a time."""
    return (step(target) for target in targets)


def resolve_exports(checked: Iterable[Checked], step: Step, targets: Sequence[Target],
                    display: Callable[[Path], str]) -> Outcomes:
    """The outcomes, kept as they come (`engine.Outcomes`: findings, packed index entries, released
    files), with the few files that name exports, and those exports, checked again with each other (see
    the module's docstring); `display` shows a named export outside the targets. One vendor file and its
    exports are held at a time: an export is let go once the last vendor file naming it is checked."""
    done = Outcomes()
    refs: list[Reference] = []
    for item in checked:
        done.add(item.outcome)
        refs.extend(item.references)
    if not refs:
        return done
    by_name = {target.display: target for target in targets}
    kinds, extra, names = named_exports(refs, step.files, display)
    for name in sorted(extra):  # their places: after the targets, by name
        done.reserve(name)
    unused = Counter(names)  # how many references to each export are still to be read
    exports: dict[str, LoadResult] = {}  # loaded and checked, while a vendor file still to come names them

    def export(name: str) -> LoadResult:
        result = exports.get(name)
        if result is None:
            loaded = step.load(by_name[name])[1] if name in by_name else load_file(extra[name], name, step.limits)
            result = exports[name] = as_kind(loaded, kinds[name])
            done.add(step.check(result))
        return result

    by_vendor: dict[str, list[tuple[Reference, str]]] = {}
    for ref, name in zip(refs, names, strict=True):
        by_vendor.setdefault(ref.vendor, []).append((ref, name))
    for vendor, named in by_vendor.items():
        documents = vendor_exports([ref for ref, _ in named], [name for _, name in named],
                                   {name: export(name) for _, name in named}).get(vendor, [])
        for _, name in named:
            unused[name] -= 1
            if not unused[name]:
                del exports[name]  # checked; its documents are no longer needed
        if documents:
            done.add(step.check(with_export_facts(step.load(by_name[vendor])[1], documents)))
    return done


def check_targets(step: Step, targets: Sequence[Target], root: Path, run: Executor = serial) -> Outcomes:
    """Every target's outcome, exports resolved: steps 1 and 2 of the module's docstring."""
    return resolve_exports(run(step, targets), step, targets, lambda path: display_path(path, root))


def check_loaded(engine: Engine, results: Sequence[LoadResult]) -> list[Finding]:
    """The findings of files already loaded (a rule's examples, tests): each file's, then the project's."""
    return engine.check_project([engine.check_file(result) for result in results])
