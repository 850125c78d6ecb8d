"""The gate: the one place that decides which findings reach the report.

Every finding the engine makes passes here, in this order:

1. selection: a rule the configuration or the command line switched off has no findings (the engine does not
   run it, and the `FindingFactory` refuses to make its findings, the gate's own included);
2. per-file ignores (`per_file_ignores` in the configuration);
3. inline directives (`# smlint: disable=...` in the checked files), then waivers (the `waivers` file), then
   the baseline (`--baseline`, not while `--write-baseline` writes a new one): each may hide a finding, which
   the report lists as suppressed, with how and why.

A suppression stage may find problems of its own (a directive with no reason, an expired waiver, one that hides
nothing: SM010-SM015). They are findings like any other: made by the same factory (so their severity follows
the configuration), dropped by the per-file ignores, and passed through the stages after the one that found them
(a waiver may hide an inline directive's problem; the baseline may hide either).

The suppression machinery (`smlint.suppress`) is imported only when a run has something to read: a file that
may hold an inline directive, a waivers file or a baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from smlint.config import Config
from smlint.findings import FindingFactory, Selection
from smlint.loader import LoadResult, may_hold_directive
from smlint.model import Finding, Suppressed
from smlint.records import record
from smlint.registry import RuleSet
from smlint.selectors import FileIgnores

if TYPE_CHECKING:
    from collections.abc import Callable

    from smlint.suppress import Stage

    _StageFn = Callable[[list[Finding]], Stage]


@record
class Outcome:
    """What the gate let through, sorted as reports show it, and what it hid."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]


class Gate:
    """The decisions of one run (see the module's docstring). Built before the files are checked, so that a
    per-file ignore naming an unknown rule is an error (exit 2) before any work is done."""

    def __init__(self, ruleset: RuleSet, selection: Selection, today: date, *, config: Config | None = None,
                 inline: bool = True, baseline: Path | None = None, root: Path | None = None,
                 make: FindingFactory | None = None) -> None:
        self.ruleset = ruleset
        self.make = make or FindingFactory(selection)
        self.today = today
        self.config = config or Config()
        self.inline = inline
        self.baseline = baseline
        self.root = root or Path.cwd()
        self.ignores = FileIgnores(ruleset, self.config)
        self.ignores.validate()

    def admit(self, findings: Sequence[Finding]) -> list[Finding]:
        """Selection and per-file ignores: the findings that exist at all for this run."""
        selected = [f for f in findings if self.make.rule(f.rule) is not None]
        return self.ignores.drop(selected, self.root)

    def decide(self, findings: Sequence[Finding], results: Sequence[LoadResult]) -> Outcome:
        """The findings kept and those suppressed, for the checked files' `results` (their text is read for
        inline directives; waivers apply only to checked files)."""
        kept = self.admit(findings)
        suppressed: list[Suppressed] = []
        for stage in self._stages(results):
            kept, hidden, problems = stage(kept)
            suppressed.extend(hidden)
            kept.extend(self.admit(problems))
        return Outcome(tuple(sorted(kept, key=Finding.sort_key)),
                       tuple(sorted(suppressed, key=lambda s: s.finding.sort_key())))

    def _stages(self, results: Sequence[LoadResult]) -> list[_StageFn]:
        inline = self.inline and any(may_hold_directive(result) for result in results)
        waivers_file = self.config.waivers
        if not (inline or waivers_file or self.baseline):
            return []  # nothing to read: the suppression machinery is not even imported
        from smlint.suppress import Suppressor, load_baseline, load_waivers

        waivers = load_waivers(waivers_file, self.root) if waivers_file else None
        baseline = load_baseline(self.baseline, self.root) if self.baseline else None
        suppressor = Suppressor(self.ruleset, self.make, self.today, self.root)
        stages: list[_StageFn] = []
        if inline:
            stages.append(lambda found: suppressor.inline(found, results))
        if waivers is not None:
            checked = {result.path for result in results}
            stages.append(lambda found: suppressor.waive(found, waivers, checked))
        if baseline is not None:
            stages.append(lambda found: suppressor.baseline(found, baseline))
        return stages
