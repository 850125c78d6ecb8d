"""A YAML policy written out as a Word document (`smlint init --policy-format docx`, and the noncompliant
example agency's policy, tests/corpus/prose/examples/regenerate.py).

The document-control table takes the metadata; each section's `text` goes under a heading, where the
clause reader finds the facts; the approved vendors, the states telehealth clients may be in and the
licence roster go into fact tables (docs/formats.md). Core properties and zip entries carry fixed dates,
so the same policy gives the same bytes. Needs python-docx (the `docx` extra); imported only by those two.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from smlint.policymarkdown import HEADINGS

FIXED = datetime(2024, 1, 8, 9, 0, 0)  # the created/modified dates every generated file carries


def to_word(policy: Mapping[str, Any], texts: Mapping[str, str] | None = None,
            extra: Mapping[str, str] | None = None) -> bytes:
    """The policy as a .docx file: `texts` replaces sections' text, `extra` is appended to a section's."""
    import docx

    texts, extra = texts or {}, extra or {}
    document = docx.Document()
    properties = document.core_properties
    approved = policy.get("approved_by") or {}
    properties.author = properties.last_modified_by = str(approved.get("name", ""))
    properties.created = properties.modified = FIXED
    properties.revision = 1
    properties.title = str(policy.get("title", ""))
    document.add_paragraph(str(policy.get("title") or "Social Media and Technology Policy"), style="Title")
    _table(document, _control(policy))
    for key, section in (policy.get("sections") or {}).items():
        if key not in HEADINGS or not isinstance(section, Mapping):
            continue
        document.add_heading(HEADINGS[key], 1)
        document.add_paragraph(texts.get(key, " ".join(str(section.get("text", "")).split())) + extra.get(key, ""))
    if policy.get("approved_vendors"):
        document.add_heading("Approved technology", 1)
        _table(document, [("Vendor", "Approved"), *((str(name), "Yes") for name in policy["approved_vendors"])])
    telehealth = (policy.get("sections") or {}).get("telehealth") or {}
    if telehealth.get("client_states"):
        document.add_heading("Telehealth client locations", 1)
        _table(document, [("Client states",), *((str(state),) for state in telehealth["client_states"])])
    if telehealth.get("licences"):
        document.add_heading("Telehealth licences", 1)
        _table(document, [("Clinician", "State", "Licence", "Number", "Expires"),
                          *((str(lic.get("holder", "")), str(lic.get("state", "")), str(lic.get("type", "")),
                             str(lic.get("number", "")), str(lic.get("expires", "")))
                            for lic in telehealth["licences"])])
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _control(policy: Mapping[str, Any]) -> list[tuple[str, ...]]:
    approved = policy.get("approved_by") or {}
    rows = [("Organisation", policy.get("organisation", "")), ("Document type", "Policy"),
            ("Version", policy.get("version", "")), ("Effective date", policy.get("effective", "")),
            ("Last reviewed", policy.get("last_reviewed", "")),
            ("Review interval", f"{policy.get('review_interval_months', 12)} months"),
            ("Approved by", approved.get("name", "")), ("Approver role", approved.get("role", "")),
            ("Approval date", approved.get("date", "")), ("Owner", policy.get("owner", "")),
            ("Covered entity", "Yes" if policy.get("covered_entity") else "No")]
    return [(label, str(value)) for label, value in rows if value not in ("", None)]


def _table(document: Any, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def _fixed_zip(raw: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so that the bytes depend only on the content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
