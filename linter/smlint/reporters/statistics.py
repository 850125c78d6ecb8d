"""``--statistics``: how many findings each rule produced, most first."""

from __future__ import annotations

from collections import Counter

from smlint.model import Report


def table(report: Report) -> str:
    counts = Counter((f.rule, f.name) for f in report.findings)
    if not counts:
        return "No findings to count.\n"
    width = len(str(max(counts.values())))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{n:>{width}}  {rule}  {name}\n" for (rule, name), n in rows)
