"""Stable identities for findings, shared by the SARIF and GitLab reporters.

A fingerprint is built from the rule, the path and the JSON Pointer, not from line numbers, so an edit
elsewhere in the file keeps it. When two findings share all three (one rule finding several missing
sections of the same mapping), the message tells them apart; when even that repeats, the order of
appearance does. The result is the same for the same files on every run, and unique within a report.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from smlint.model import Finding


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One hex fingerprint per finding, in the same order, all distinct."""
    base = [(f.rule, f.path, f.pointer) for f in findings]
    shared = Counter(base)
    keys = [(*b, f.message if shared[b] > 1 else "") for b, f in zip(base, findings, strict=True)]
    repeats = Counter(keys)
    seen: Counter[tuple[str, ...]] = Counter()
    result = []
    for key in keys:
        seen[key] += 1
        occurrence = str(seen[key]) if repeats[key] > 1 else ""
        result.append(_digest("smlint/v1", *key, occurrence))
    return result
