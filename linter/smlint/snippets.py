"""Source lines for `--show-source`, redacted.

Without `--show-source` no output format shows any text from the checked files. With it, each finding
carries the lines it points at (at most `MAX_LINES`, each cut to `MAX_CHARS`), and even then every
number-like token and e-mail address is masked down to its last four digits, and everything a
client-data detector would flag is masked. On lines that an SM5xx finding points at, names are masked too.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from datetime import date

from smlint.model import Finding
from smlint.redact import scrub

MAX_LINES = 3
MAX_CHARS = 200
# a line is scrubbed with this much more text than is shown, then cut: an identifier that the cut would
# split (an e-mail whose domain is past the cut no longer looks like an e-mail) is masked whole first
_CONTEXT_CHARS = 200
CLIENT_DATA_PREFIX = "SM5"


def redact_line(text: str, today: date, *, names: bool = False) -> str:
    """One source line through the redaction boundary (`redact.scrub`)."""
    return scrub(text, names=names, today=today)


def snippet(finding: Finding, lines: Sequence[str], today: date, strict_lines: Set[int] = frozenset()) -> str:
    """The redacted source lines of one finding ("" when the file's text is not available). Names are also
    masked on `strict_lines` (lines that some SM5xx finding points at)."""
    if not lines or finding.line < 1:
        return ""
    last = min(max(finding.end_line, finding.line), finding.line + MAX_LINES - 1, len(lines))
    return "\n".join(redact_line(lines[number - 1][:MAX_CHARS + _CONTEXT_CHARS], today,
                                  names=number in strict_lines)[:MAX_CHARS]
                     for number in range(finding.line, last + 1))


def with_sources(findings: Sequence[Finding], lines_by_path: Mapping[str, Sequence[str]], today: date
                 ) -> list[Finding]:
    strict: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        if f.rule.startswith(CLIENT_DATA_PREFIX):
            strict[f.path].update(range(f.line, max(f.end_line, f.line) + 1))
    return [dataclasses.replace(f, source=snippet(f, lines_by_path.get(f.path, ()), today, strict[f.path]))
            for f in findings]
