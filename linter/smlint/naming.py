"""What an artifact calls itself (a policy's organisation, a vendor's name, a form's title), redacted and
shortened, for reports and for messages that name another artifact."""

from __future__ import annotations

from typing import Any

from smlint.kinds import NAME_FIELDS
from smlint.redact import scrub

MAX_NAME = 80


def artifact_name(kind: str | None, data: Any) -> str:
    """The artifact's own name, through the redaction boundary (`redact.scrub`); "" when it gives none."""
    field = NAME_FIELDS.get(kind or "")
    value = data.get(field) if field and isinstance(data, dict) else None
    if not isinstance(value, str):
        return ""
    text = scrub(" ".join(value.split()))
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"
