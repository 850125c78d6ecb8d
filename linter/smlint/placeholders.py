"""The one placeholder marker: ``<FILL IN: what to write>``.

`smlint init` writes it wherever only the agency can decide (an approver, an owner, the dates of a
signed agreement, a licence number). Rule SM020 reports each one at info severity, so a scaffold passes
its own check and the findings are the to-do list. Where a date is expected, a value that is nothing but
a placeholder is accepted by the schemas (`$defs/date-or-placeholder` in the policy, intake-form and
vendor schemas: `PATTERN` below, as editors read it) and skipped by date checks, which only read real
YYYY-MM-DD dates.
"""

from __future__ import annotations

import re
from typing import Any

_WHOLE = re.compile(r"<FILL IN:[^<>]*>", re.IGNORECASE)
# `is_placeholder` as a JSON Schema (ECMA-262) pattern, which has no flags: the schemas' copy of it
PATTERN = "^\\s*<[Ff][Ii][Ll][Ll] [Ii][Nn]:[^<>]*>\\s*$"


def fill_in(what: str) -> str:
    """The marker around a short instruction, e.g. ``<FILL IN: date the BAA was signed (YYYY-MM-DD)>``."""
    return f"<FILL IN: {what}>"


def is_placeholder(value: Any) -> bool:
    """True when the whole value is one placeholder marker (surrounding spaces aside)."""
    return isinstance(value, str) and _WHOLE.fullmatch(value.strip()) is not None
