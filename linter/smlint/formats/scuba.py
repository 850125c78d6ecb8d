"""The settings view of a Google Workspace or Microsoft 365 export.

The rules for `google-workspace` read ScubaGoggles' provider shape, ``policies.<org unit>.<section>.<field>``
(for example ``/policies/*/gmail_auto_forwarding/enableAutoForwarding``), and the rules for `microsoft-365`
read ScubaGear's provider shape (``/remote_domains/*/AutoForwardEnabled``). A file already in that shape
needs no view. The other shapes are read through a view of the same kind whose pointers map back to the
file, so that findings point at the real field:

* a ScubaGoggles or ScubaGear results file (``ScubaResults_<id>.json``) holds the provider output under
  ``Raw``: the view is that object, prefixed with ``/Raw``;
* the Cloud Identity Policy API's ``policies`` list (``GET /v1/policies``) holds one setting per item,
  ``{"policyQuery": {"orgUnit": ...}, "setting": {"type": "settings/gmail.auto_forwarding", "value": {...}}}``:
  the view regroups the items by org unit and section (``gmail_auto_forwarding``), as ScubaGoggles does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from smlint.document import Document, escape

RAW = "Raw"
SETTING_PREFIX = "settings/"


def settings_view(doc: Document) -> Document | None:
    """The provider-shaped view of a results file or a Policy API list; None when `doc` is already in
    the provider shape (or in no shape smlint reads)."""
    data = doc.data
    if not isinstance(data, Mapping):
        return None
    if isinstance(data.get("MetaData"), Mapping) and isinstance(data.get(RAW), Mapping):
        return dataclasses.replace(doc, data=data[RAW], prefix=f"{doc.prefix}/{RAW}", validate=False)
    if isinstance(data.get("policies"), list):
        return _policy_api_view(doc, data["policies"])
    return None


def _policy_api_view(doc: Document, items: list[Any]) -> Document:
    grouped: dict[str, dict[str, Any]] = {}
    pointers: dict[str, str] = {"": "", "/policies": "/policies"}
    order: dict[tuple[str, str], float] = {}
    for i, item in enumerate(items):
        placed = _placement(item)
        if placed is None:
            continue
        unit, section, value, sort_order = placed
        if order.get((unit, section), float("-inf")) > sort_order:
            continue  # the API applies the policy with the higher sortOrder
        order[(unit, section)] = sort_order
        grouped.setdefault(unit, {})[section] = value
        unit_pointer = f"/policies/{escape(unit)}"
        pointers.setdefault(unit_pointer, f"/policies/{i}")
        section_pointer = f"{unit_pointer}/{escape(section)}"
        pointers[section_pointer] = f"/policies/{i}/setting/value"
        for field in value:
            pointers[f"{section_pointer}/{escape(field)}"] = f"/policies/{i}/setting/value/{escape(field)}"
    return Document(doc.path, doc.kind, {"policies": grouped}, doc.positions, doc.index, prefix=doc.prefix,
                    pointer_map=pointers, validate=False)


def _placement(item: Any) -> tuple[str, str, Mapping[str, Any], float] | None:
    """(org unit or group, section, setting value, sort order) of one Policy API item, or None."""
    if not isinstance(item, Mapping):
        return None
    setting, query = item.get("setting"), item.get("policyQuery")
    if not isinstance(setting, Mapping) or not isinstance(setting.get("value"), Mapping):
        return None
    kind = setting.get("type")
    if not isinstance(kind, str) or not kind.startswith(SETTING_PREFIX):
        return None
    query = query if isinstance(query, Mapping) else {}
    org_unit, group = query.get("orgUnit"), query.get("group")
    unit = org_unit if isinstance(org_unit, str) else "customer"
    if isinstance(group, str):
        unit = f"{unit} (group {group})"
    sort_order = query.get("sortOrder")
    rank = float(sort_order) if isinstance(sort_order, (int, float)) and not isinstance(sort_order, bool) else 0.0
    section = kind[len(SETTING_PREFIX):].replace(".", "_")
    return unit, section, setting["value"], rank
