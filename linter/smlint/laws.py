"""The laws, rule-makings and guidance the rules rely on, each with its status (`rules/laws.json`).

Every rule relies on one or more laws: those it names under `laws:`, or, when it names none, those its
citations imply (a 45 CFR 164.3xx section is the Security Rule, 164.4xx the Breach Notification Rule,
164.5xx the Privacy Rule, a Code standard the NASW Code, a Technology Standard the 2017 Standards).
A law's status decides whether rules relying on it run:

- ``in-force`` and ``verified``: run by default;
- ``proposed``: off unless the law is selected (``--law ID`` or the configuration's ``laws:``), or the rule
  is named exactly with ``--select``/``--extend-select``;
- ``vacated`` and ``superseded``: never run; selecting such a law, or such a rule by name, is an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from smlint.errors import SmlintError
from smlint.records import record
from smlint.resources import data_dir

STATUSES = ("in-force", "verified", "proposed", "vacated", "superseded")
DEFAULT_ON = frozenset({"in-force", "verified"})
NEVER = frozenset({"vacated", "superseded"})
DATE_KEYS = ("published", "effective", "revised", "compliance_date", "ended")

# how a citation implies a law when a rule names none (see the module docstring)
_HIPAA_PARTS = ((re.compile(r"^164\.3\d\d"), "hipaa-security-rule"),
                (re.compile(r"^164\.4\d\d"), "hipaa-breach-rule"),
                (re.compile(r"^164\.5\d\d"), "hipaa-privacy-rule"))


@record
class Law:
    id: str
    name: str
    status: str
    summary: str
    dates: tuple[tuple[str, str], ...] = ()
    binds: str = ""  # whom its duties fall on when not everyone: "covered-entity" (a profile trait, smlint.profile)

    @property
    def default_on(self) -> bool:
        return self.status in DEFAULT_ON

    @property
    def selectable(self) -> bool:
        return self.status not in NEVER

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "status": self.status, **dict(self.dates)}


@cache
def registry() -> Mapping[str, Law]:
    """Every law of `rules/laws.json`, by id."""
    data = json.loads((data_dir("rules") / "laws.json").read_text(encoding="utf-8"))
    return {item["id"]: Law(item["id"], item["name"], item["status"], item.get("summary", ""),
                            tuple((key, item[key]) for key in DATE_KEYS if key in item), item.get("binds", ""))
            for item in data["laws"]}


def get(law_id: str) -> Law | None:
    return registry().get(law_id.strip().lower())


def implied(citations: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The laws a rule's citations imply, in a stable order."""
    found: list[str] = []
    if citations.get("nasw_code"):
        found.append("nasw-code")
    if citations.get("tech_standards"):
        found.append("tech-standards")
    for section in citations.get("hipaa", ()):
        for pattern, law in _HIPAA_PARTS:
            if pattern.match(section) and law not in found:
                found.append(law)
    return tuple(found)


def status_of(law_ids: Iterable[str]) -> str:
    """The status that governs a rule relying on all of `law_ids`: the most restrictive one."""
    statuses = {registry()[law].status for law in law_ids if law in registry()}
    for status in ("vacated", "superseded", "proposed", "in-force"):
        if status in statuses:
            return status
    return "verified" if statuses else "in-force"


def records(law_ids: Iterable[str]) -> list[dict[str, str]]:
    """Each law of `law_ids` that smlint knows: id, name, status and dates (rules/laws.json)."""
    return [law.to_dict() for law in (get(law_id) for law_id in law_ids) if law is not None]


def enabled(names: Sequence[str], where: str) -> frozenset[str]:
    """The laws named by `--law` or the configuration; unknown or unselectable ones are an error."""
    chosen: set[str] = set()
    for name in names:
        law = get(name)
        if law is None:
            known = ", ".join(sorted(registry()))
            raise SmlintError(f"{where}: '{name}' is not a law smlint knows ({known}); `smlint laws` lists them")
        if not law.selectable:
            raise SmlintError(f"{where}: '{law.id}' is {law.status} ({law.summary}) and cannot be selected")
        chosen.add(law.id)
    return frozenset(chosen)


def off_reason(law_ids: Iterable[str], enabled_laws: frozenset[str]) -> str | None:
    """Why a rule relying on `law_ids` does not run, or None when it runs."""
    for law_id in law_ids:
        law = registry().get(law_id)
        if law is None:
            continue
        if not law.selectable:
            return f"it relies on {law.name}, which is {law.status}"
        if not law.default_on and law.id not in enabled_laws:
            return f"it relies on {law.name}, which is {law.status}; select it with --law {law.id}"
    return None
