"""Dates as people write them in documents ("March 1, 2026", "03/01/2026"), read as ISO dates. A leaf module:
the Word reader (metadata, fact tables) and the clause reader (dates a clause states) both use it."""

from __future__ import annotations

from datetime import datetime

_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y", "%B %d %Y")


def iso_date(text: str) -> str:
    """A date as YYYY-MM-DD when it is written in a common form; else the text as written (the schema
    then reports it)."""
    cleaned = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, form).date().isoformat()
        except ValueError:
            continue
    return text.strip()
