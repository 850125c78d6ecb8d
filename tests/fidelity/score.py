"""Score smlint's findings on the held-out fidelity agency against its answer key.

    python -m tests.fidelity.score                      # run smlint on tests/fidelity/agency and score it
    python -m tests.fidelity.score --mode all           # ... also from the parent folder and per subfolder
    python -m tests.fidelity.score --findings out.json  # score a saved `smlint check --format json` report

The matching rules are written at the top of answer_key.yaml; this module implements them. It prints
precision, recall, every false positive (with the key item it contradicts, or "unmatched") and every
miss. The exit code is 0 unless --min-precision/--min-recall are given and not reached (then 1).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KEY_PATH = HERE / "answer_key.yaml"
AGENCY = HERE / "agency"
REPO_ROOT = HERE.parent.parent
SUBFOLDERS = ("policy", "forms", "vendors", "exports")
MODES = ("agency", "parent", "inside", "per-folder")
QUIET_SEVERITIES = frozenset({"warning", "info"})
UNKNOWN_RULE = "SM030"  # "record X (needed by ...)": matched against acceptable_unknowns by the rules it names
RULE_ID = re.compile(r"\bSM\d{3}\b")


@dataclass(frozen=True)
class Finding:
    """One finding of a JSON report, its path made relative to the agency root."""

    file: str
    rule: str
    line: int | None
    severity: str
    message: str
    related: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"{self.file}:{self.line or '-'} {self.severity} {self.rule} {self.message}"


@dataclass(frozen=True)
class Planted:
    id: str
    file: str
    rules: frozenset[str]
    problem: str
    also_at: frozenset[str] = frozenset()
    lines: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Listed:
    """A fine, tolerated or acceptable-unknown entry: a file and the rules it covers."""

    id: str
    file: str
    rules: frozenset[str]
    why: str


@dataclass(frozen=True)
class Key:
    planted: tuple[Planted, ...]
    fine: tuple[Listed, ...]
    tolerated: tuple[Listed, ...]
    unknowns: tuple[Listed, ...]
    message_pattern: re.Pattern[str]
    negative_fact_pattern: re.Pattern[str]


@dataclass(frozen=True)
class Verdict:
    finding: Finding
    outcome: str  # true-positive | duplicate | false-positive | tolerated | accepted-unknown
    item: str  # the key item's id, or "unmatched"


@dataclass
class Score:
    verdicts: list[Verdict] = field(default_factory=list)
    misses: list[Planted] = field(default_factory=list)
    planted_total: int = 0

    def of(self, outcome: str) -> list[Verdict]:
        return [v for v in self.verdicts if v.outcome == outcome]

    @property
    def precision(self) -> float:
        tp, fp = len(self.of("true-positive")), len(self.of("false-positive"))
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        found = self.planted_total - len(self.misses)
        return found / self.planted_total if self.planted_total else 1.0


# --- the key ------------------------------------------------------------------------------------

def _rules(entry: Mapping[str, Any], *names: str) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        value = entry.get(name)
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, list):
            out.update(str(v) for v in value)
    return frozenset(out)


def _listed(entries: Iterable[Mapping[str, Any]], prefix: str) -> tuple[Listed, ...]:
    return tuple(Listed(str(e.get("id", f"{prefix}{i + 1:02d}")), str(e["file"]), _rules(e, "rules"),
                        str(e.get("why", ""))) for i, e in enumerate(entries))


def parse_key(data: Mapping[str, Any]) -> Key:
    planted = tuple(
        Planted(id=str(p["id"]), file=str(p["file"]), rules=_rules(p, "rule", "alt_rules"),
                problem=str(p.get("problem", "")), also_at=frozenset(str(f) for f in p.get("also_at", [])),
                lines=frozenset(int(n) for n in p.get("lines", [])))
        for p in data.get("planted", []))
    unknowns = data.get("acceptable_unknowns") or {}
    return Key(planted=planted, fine=_listed(data.get("fine", []), "F"),
               tolerated=_listed(data.get("tolerated", []), "T"),
               unknowns=_listed(unknowns.get("entries", []), "U"),
               message_pattern=re.compile(unknowns.get("message_pattern", r"(?!)")),
               negative_fact_pattern=re.compile(unknowns.get("negative_fact_pattern", r"(?!)")))


def load_key(path: Path = KEY_PATH) -> Key:
    from ruamel.yaml import YAML

    with path.open(encoding="utf-8") as handle:
        return parse_key(YAML(typ="safe").load(handle))


def key_conflicts(key: Key) -> list[str]:
    """File+rule pairs that the key both plants and calls fine (which would make scoring ambiguous)."""
    fine = {(f.file, r): f.id for f in key.fine for r in f.rules}
    out = []
    for p in key.planted:
        for place in {p.file, *p.also_at}:
            for rule in p.rules:
                if (place, rule) in fine:
                    out.append(f"{p.id} and {fine[place, rule]} both cover {rule} at {place}")
    return out


# --- matching -----------------------------------------------------------------------------------

def _matches_planted(finding: Finding, item: Planted) -> bool:
    if finding.rule not in item.rules:
        return False
    if item.lines and finding.line not in item.lines:
        return False
    if finding.file == item.file:
        return True
    if finding.file in item.also_at:
        return not finding.related or item.file in finding.related
    return False


def _listed_match(finding: Finding, entries: Sequence[Listed]) -> Listed | None:
    return next((e for e in entries if e.file == finding.file and finding.rule in e.rules), None)


def _acceptable_unknown(finding: Finding, key: Key) -> Listed | None:
    if finding.severity not in QUIET_SEVERITIES:
        return None
    if not key.message_pattern.search(finding.message) or key.negative_fact_pattern.search(finding.message):
        return None
    if finding.rule == UNKNOWN_RULE:
        return _unknown_request(finding, key)
    return _listed_match(finding, key.unknowns)


def named_rules(finding: Finding) -> frozenset[str]:
    """The rules an SM030 finding ("record X (needed by SM313, SM407)") asks on behalf of."""
    return frozenset(RULE_ID.findall(finding.message))


def _unknown_request(finding: Finding, key: Key) -> Listed | None:
    """An SM030 finding is one request for several facts: acceptable when the key expects missing
    information (or tolerates a finding) for every rule it names at its file."""
    named = named_rules(finding)
    allowed = {rule for entry in (*key.unknowns, *key.tolerated) if entry.file == finding.file for rule in entry.rules}
    if not named or not named <= allowed:
        return None
    return next(e for e in key.unknowns if e.file == finding.file) if any(
        e.file == finding.file for e in key.unknowns) else None


def _fine_match(finding: Finding, key: Key) -> Listed | None:
    """The `fine` item a finding contradicts; an SM030 finding contradicts one when it asks for a fact on
    behalf of a rule that the key says has nothing to report at that file."""
    if finding.rule == UNKNOWN_RULE:
        return next((e for e in key.fine if e.file == finding.file and named_rules(finding) & e.rules), None)
    return _listed_match(finding, key.fine)


def judge(finding: Finding, key: Key, matched: set[str]) -> Verdict:
    fine = _fine_match(finding, key)
    if fine is not None:
        return Verdict(finding, "false-positive", fine.id)
    for item in key.planted:
        if _matches_planted(finding, item):
            if item.id in matched:
                return Verdict(finding, "duplicate", item.id)
            matched.add(item.id)
            return Verdict(finding, "true-positive", item.id)
    tolerated = _listed_match(finding, key.tolerated)
    if tolerated is not None:
        return Verdict(finding, "tolerated", tolerated.id)
    unknown = _acceptable_unknown(finding, key)
    if unknown is not None:
        return Verdict(finding, "accepted-unknown", unknown.id)
    return Verdict(finding, "false-positive", "unmatched")


def score(findings: Iterable[Finding], key: Key) -> Score:
    matched: set[str] = set()
    result = Score(planted_total=len(key.planted))
    ordered = sorted(findings, key=lambda f: (f.file, f.line or 0, f.rule, f.message))
    result.verdicts = [judge(f, key, matched) for f in ordered]
    result.misses = [p for p in key.planted if p.id not in matched]
    return result


# --- reading reports ----------------------------------------------------------------------------

def _relative(raw: str, cwd: Path, root: Path) -> str:
    path = Path(raw)
    full = path if path.is_absolute() else cwd / path
    return Path(os.path.relpath(os.path.normpath(full), root)).as_posix()


def findings_from_report(report: Mapping[str, Any], cwd: Path, root: Path = AGENCY) -> list[Finding]:
    out = []
    for raw in report.get("findings", []):
        related = tuple(_relative(str(r["path"]), cwd, root) for r in raw.get("related") or [] if "path" in r)
        out.append(Finding(file=_relative(str(raw["path"]), cwd, root), rule=str(raw["rule"]),
                           line=raw.get("line"), severity=str(raw.get("severity", "")),
                           message=str(raw.get("message", "")), related=related))
    return out


def run_smlint(paths: Sequence[str], cwd: Path, today: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "smlint", "check", *paths, "--format", "json", "--today", today, "--exit-zero"]
    # Settings come from the agency's own files, not from the caller's environment; SMLINT_NO_CACHE is kept so that
    # the test suite (which sets it) leaves no .smlint_cache/ in the checkout.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMLINT_") or k == "SMLINT_NO_CACHE"}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"smlint failed (exit {done.returncode}) in {cwd}: {done.stderr.strip()}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def collect(mode: str, today: str) -> list[Finding]:
    """Run smlint the way users do: on the agency from the repository root, from the parent, per subfolder."""
    if mode == "agency":
        return findings_from_report(run_smlint([str(AGENCY.relative_to(REPO_ROOT))], REPO_ROOT, today), REPO_ROOT)
    if mode == "parent":
        return findings_from_report(run_smlint([AGENCY.name], AGENCY.parent, today), AGENCY.parent)
    if mode == "inside":
        return findings_from_report(run_smlint(["."], AGENCY, today), AGENCY)
    if mode == "per-folder":
        # A vendor's named export is checked with the vendor, so the exports/ run repeats those
        # findings: the user sees each problem once per run, and the union counts it once.
        found: dict[Finding, None] = {}
        for sub in SUBFOLDERS:
            cwd = AGENCY / sub
            found.update(dict.fromkeys(findings_from_report(run_smlint(["."], cwd, today), cwd)))
        return list(found)
    raise ValueError(f"unknown mode {mode!r}")


# --- printing -----------------------------------------------------------------------------------

def render(title: str, result: Score, key: Key) -> str:
    items = {p.id: p for p in key.planted}
    whys = {e.id: e.why for e in (*key.fine, *key.tolerated, *key.unknowns)}
    tp = len(result.of("true-positive"))
    fp = result.of("false-positive")
    lines = [f"== {title}",
             f"precision {result.precision:.1%} ({tp} true / {tp + len(fp)} counted findings)",
             f"recall    {result.recall:.1%} ({result.planted_total - len(result.misses)} of "
             f"{result.planted_total} planted problems found)",
             f"false positives: {len(fp)}"]
    lines += [f"  [{v.item}] {v.finding.describe()}" + (f"\n      key: {whys[v.item]}" if v.item in whys else "")
              for v in fp]
    lines.append(f"misses: {len(result.misses)}")
    lines += [f"  [{p.id}] {p.file} {'/'.join(sorted(p.rules))}: {p.problem}" for p in result.misses]
    for outcome in ("duplicate", "tolerated", "accepted-unknown"):
        group = result.of(outcome)
        lines.append(f"{outcome}: {len(group)}")
        lines += [f"  [{v.item}] {v.finding.describe()}" for v in group]
    lines.append(f"true positives: {tp}")
    lines += [f"  [{v.item}] {v.finding.describe()}  <- {items[v.item].problem}" for v in result.of("true-positive")]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fidelity.score", description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=(*MODES, "all"), default="agency",
                        help="how to run smlint: on the agency from the repository root (default), from the "
                             "agency's parent folder, from inside the agency (`smlint check .`), once from "
                             "each subfolder, or all four")
    parser.add_argument("--findings", type=Path, help="score this saved JSON report instead of running smlint")
    parser.add_argument("--cwd", type=Path, default=REPO_ROOT,
                        help="the folder the saved report's paths are relative to (default: repository root)")
    parser.add_argument("--today", default="2026-12-02", help="the date the key is judged at")
    parser.add_argument("--key", type=Path, default=KEY_PATH)
    parser.add_argument("--min-precision", type=float, default=0.0, help="exit 1 below this (0-1)")
    parser.add_argument("--min-recall", type=float, default=0.0, help="exit 1 below this (0-1)")
    args = parser.parse_args(argv)
    key = load_key(args.key)
    if key_conflicts(key):
        raise SystemExit("answer key is ambiguous: " + "; ".join(key_conflicts(key)))
    if args.findings is not None:
        runs = {str(args.findings): findings_from_report(json.loads(args.findings.read_text(encoding="utf-8")),
                                                         args.cwd.resolve())}
    else:
        modes = MODES if args.mode == "all" else (args.mode,)
        runs = {mode: collect(mode, args.today) for mode in modes}
    ok = True
    summary = []
    for title, found in runs.items():
        result = score(found, key)
        print(render(title, result, key), end="\n\n")
        summary.append(f"{title:<12} precision {result.precision:6.1%}  recall {result.recall:6.1%}  "
                       f"({len(result.of('false-positive'))} false positive(s), {len(result.misses)} miss(es))")
        ok = ok and result.precision >= args.min_precision and result.recall >= args.min_recall
    print("\n".join(["== summary", *summary]))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
