"""The one identity of a finding across runs, used by the baseline, SARIF (`partialFingerprints`) and GitLab.

A fingerprint is built from the rule, the path and the JSON Pointer, not from line numbers, so an edit elsewhere
in the file keeps it. When two findings share all three (one rule finding several missing sections of the same
mapping), the message tells them apart; when even that repeats, the order of appearance does. The result is
the same for the same files on every run, and unique within the findings given.

Which path: reports use the path they show (relative to the working folder); a baseline uses the path relative
to the baseline file's folder, so that it matches from wherever smlint runs.

Baselines written before this module existed (`"smlint_baseline": 1`) hold another hash (rule, path, pointer
and a counter); `baseline_v1` computes it so that those files keep working. New baselines are written with
`fingerprints` (`"smlint_baseline": 2`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from smlint.model import Finding

TAG = "smlint/v1"  # part of every digest: a change of the recipe changes the tag


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _shown_path(finding: Finding) -> str:
    return finding.path


def fingerprints(findings: Sequence[Finding], path_of: Callable[[Finding], str] = _shown_path) -> list[str]:
    """One hex fingerprint per finding, in the same order, all distinct. `path_of` gives the path that goes
    into it (default: the path the finding shows)."""
    base = [(f.rule, path_of(f), f.pointer) for f in findings]
    shared = Counter(base)
    keys = [(*b, f.message if shared[b] > 1 else "") for b, f in zip(base, findings, strict=True)]
    repeats = Counter(keys)
    seen: Counter[tuple[str, ...]] = Counter()
    result = []
    for key in keys:
        seen[key] += 1
        occurrence = str(seen[key]) if repeats[key] > 1 else ""
        result.append(_digest(TAG, *key, occurrence))
    return result


def baseline_v1(findings: Iterable[Finding], path_of: Callable[[Finding], str]) -> Iterator[tuple[Finding, str]]:
    """The fingerprints of version 1 baselines, only to read them: rule, path and pointer, plus a counter (in
    report order) that tells identical ones apart, truncated to 32 hex digits."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for finding in sorted(findings, key=Finding.sort_key):
        key = (finding.rule, path_of(finding), finding.pointer)
        count = seen[key]
        seen[key] += 1
        yield finding, _digest(*key, str(count))[:32]
