"""Source lines for `--show-source`, redacted.

Without `--show-source` no output format shows any text from the checked files. With it, each finding
carries the lines it points at (at most `MAX_LINES`, each cut to `MAX_CHARS`), and even then every
number-like token and e-mail address is masked down to its last four digits, and everything a
client-data detector would flag is masked. For SM5xx findings, names are masked as well.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date

from smlint.checks.client_data import all_spans, name_spans
from smlint.model import Finding
from smlint.redact import mask_spans, redact

MAX_LINES = 3
MAX_CHARS = 200
CLIENT_DATA_PREFIX = "SM5"


def redact_line(text: str, today: date, *, names: bool = False) -> str:
    spans = all_spans(text, today)
    if names:
        spans += name_spans(text)
    return redact(mask_spans(text, spans))


def snippet(finding: Finding, lines: Sequence[str], today: date) -> str:
    """The redacted source lines of one finding ("" when the file's text is not available)."""
    if not lines or finding.line < 1:
        return ""
    last = min(finding.end_line if finding.end_line >= finding.line else finding.line, finding.line + MAX_LINES - 1)
    names = finding.rule.startswith(CLIENT_DATA_PREFIX)
    chosen = lines[finding.line - 1:last]
    return "\n".join(redact_line(line[:MAX_CHARS], today, names=names) for line in chosen)


def with_sources(findings: Sequence[Finding], lines_by_path: Mapping[str, Sequence[str]], today: date
                 ) -> list[Finding]:
    return [dataclasses.replace(f, source=snippet(f, lines_by_path.get(f.path, ()), today)) for f in findings]
