"""Fact tables: the lists a prose policy keeps as tables rather than as clauses.

A table is recognised by its header row: the approved vendors (first header cell Vendor, Service,
Platform...), the telehealth licence roster (State with Licence type or Expires columns, and Clinician,
Number) or the states telehealth clients may be in (first header cell "Client states", "States served").
Its rows become the YAML policy's lists (`approved_vendors`, `sections.telehealth.licences`,
`sections.telehealth.client_states`), each entry at its row's line; the rows are not clauses. Word
(`wordprocessing.py`) and Markdown (`markdown.py`) tables are read the same way (docs/formats.md).
"""

from __future__ import annotations

import re
from typing import Any

from smlint.records import record
from smlint.writtendates import iso_date


@record
class FactTable:
    """What a table of the policy records besides clauses: the approved vendors (a table whose first header
    cell says Vendor, Service, Platform...), the telehealth licence roster (a table with State and Licence
    type or Expires columns) or the states telehealth clients may be in (first header cell "Client states"
    or "States served"), with the line (row number) of each entry."""

    pointer: str
    value: list[Any]
    lines: tuple[int, ...]


_VENDOR_HEADER = re.compile(r"^(?:approved )?(?:vendors?|services?|products?|platforms?|systems?|technology|tools?|"
                            r"software|apps?)(?: name)?$", re.IGNORECASE)
_LICENCE_COLUMNS = {
    "holder": re.compile(r"^(?:clinician|holder|licen[cs]ee|name|staff(?: member)?|therapist|counsel+or|"
                         r"social worker|provider)s?$", re.IGNORECASE),
    "state": re.compile(r"^(?:state|jurisdiction)(?: of licen[cs]ure)?$", re.IGNORECASE),
    "type": re.compile(r"^(?:licen[cs]e(?: type)?|type|credential)$", re.IGNORECASE),
    "number": re.compile(r"^(?:licen[cs]e )?(?:number|no\.?|#)$", re.IGNORECASE),
    "expires": re.compile(r"^(?:expires|expiry(?: date)?|expiration(?: date)?|valid (?:until|through)|renewal date)$",
                          re.IGNORECASE),
}
_STATES = {"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
           "connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
           "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
           "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
           "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
           "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
           "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
           "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
           "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
           "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR"}


_CLIENT_STATES_HEADER = re.compile(r"^(?:(?:telehealth )?client (?:states|locations)|states served|"
                                   r"(?:states|locations) (?:served|where clients (?:are|may be) located))$",
                                   re.IGNORECASE)


def fact_table(rows: list[tuple[int, list[str]]]) -> FactTable | None:
    """The facts a table lists: approved vendors, the telehealth licence roster or the states telehealth
    clients may be in (each recognised by its header row), else None (its rows are clauses)."""
    if len(rows) < 2:
        return None
    header = [" ".join(cell.lower().rstrip(":").split()) for cell in rows[0][1]]
    body = [(number, cells) for number, cells in rows[1:] if any(cells)]
    if header and _CLIENT_STATES_HEADER.match(header[0]):
        states = [(number, _state(cells[0])) for number, cells in body if cells and cells[0]]
        return FactTable("/sections/telehealth/client_states", [s for _, s in states], tuple(n for n, _ in states))
    if header and _VENDOR_HEADER.match(header[0]) and not _licence_columns(header):
        names = [(number, cells[0]) for number, cells in body if cells and cells[0]]
        return FactTable("/approved_vendors", [name for _, name in names], tuple(n for n, _ in names))
    columns = _licence_columns(header)
    if "state" in columns and ("type" in columns or "expires" in columns):
        licences = []
        lines = []
        for number, cells in body:
            entry: dict[str, Any] = {}
            for key, index in columns.items():
                value = cells[index].strip() if index < len(cells) else ""
                if value:
                    entry[key] = _state(value) if key == "state" else iso_date(value) if key == "expires" else value
            if entry:
                licences.append(entry)
                lines.append(number)
        return FactTable("/sections/telehealth/licences", licences, tuple(lines))
    return None


def _licence_columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for key, pattern in _LICENCE_COLUMNS.items():
            if key not in found and pattern.match(cell):
                found[key] = index
                break
    return found


def _state(text: str) -> str:
    """A state as its two-letter code ('Minnesota' or 'MN' -> 'MN'); anything else as written (the schema
    then reports it)."""
    cleaned = " ".join(text.split())
    if re.fullmatch(r"[A-Za-z]{2}", cleaned):
        return cleaned.upper()
    return _STATES.get(cleaned.lower(), cleaned)


def put_table(meta: dict[str, Any], positions: dict[str, tuple[int, ...]], table: FactTable) -> None:
    parts = table.pointer.strip("/").split("/")
    target = meta
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    if parts[-1] in target or not table.value:
        return  # the first table of each kind counts
    target[parts[-1]] = table.value
    first = table.lines[0]
    positions[table.pointer] = (first, 1, first, 1) * 2  # not its section's: that is its heading
    for index, line in enumerate(table.lines):
        positions[f"{table.pointer}/{index}"] = (line, 1, line, 1) * 2
