"""Adding a real format, as a contributor would (docs/architecture.md, "Kinds"): in a temporary copy of the
checkout, one record in the kinds registry, its shape predicate, its schema and one rule; then
`python -m smlint.generate --write`. The schemas, SM000/SM001, the docs' kind tables, `smlint rules` and
`smlint check` all pick the new kind up from that one record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.checkout_copy import copy_checkout, run_copy

RECORD = '''    Kind("acme-lock-settings", "Acme lock settings export", EXPORT,
         "Acme video account lock settings", "a vendor's `export`, or an `acme_lock` mapping",
         shape=True),
'''
SHAPE = '''
SHAPES = {**SHAPES, "acme-lock-settings": lambda data: isinstance(data.get("acme_lock"), Mapping)}
'''
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:smlint:schemas:acme-lock-settings",
    "title": "Acme lock settings",
    "type": "object",
    "properties": {"acme_lock": {"type": "object", "properties": {"waiting_room": {"type": "boolean"}}}},
}
RULE = """id: SM998
name: acme-waiting-room-not-locked
title: Acme's waiting room is locked on
problem: Acme's waiting room is not locked on
severity: error
kinds: [acme-lock-settings]
scope: artifact
tips: [7]
citations:
  other: ["a throwaway rule for a test"]
rationale: A throwaway rule.
remediation: Lock the waiting room on.
check: {type: assert, at: /acme_lock/waiting_room, expect: {path: /acme_lock/waiting_room, equals: true}}
message: "the waiting room is not locked on"
examples:
  fail:
    - document: {acme_lock: {waiting_room: false}}
  pass:
    - document: {acme_lock: {waiting_room: true}}
"""


def add_kind(root: Path) -> None:
    registry = root / "linter" / "smlint" / "kinds.py"
    text = registry.read_text(encoding="utf-8")
    end = text.index("\n)\n\nBY_NAME")
    registry.write_text(text[:end + 1] + RECORD + text[end + 1:], encoding="utf-8")
    shapes = root / "linter" / "smlint" / "shapes.py"
    shapes.write_text(shapes.read_text(encoding="utf-8") + SHAPE, encoding="utf-8")
    (root / "schemas" / "acme-lock-settings.schema.json").write_text(json.dumps(SCHEMA, indent=2) + "\n",
                                                                     encoding="utf-8")
    (root / "rules" / "sm998-acme-waiting-room.yaml").write_text(RULE, encoding="utf-8")


@pytest.mark.slow
def test_a_new_kind_is_picked_up_from_its_record(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    add_kind(root)

    stale = run_copy(root, "-m", "smlint.generate")
    assert stale.returncode == 1, stale.stderr
    assert stale.stdout.splitlines() == [
        "stale: schemas/rule.schema.json", "stale: schemas/vendor.schema.json", "stale: rules/sm000-tool.yaml",
        "stale: rules/index.json", "stale: docs/formats.md", "stale: docs/architecture.md"]
    written = run_copy(root, "-m", "smlint.generate", "--write")
    assert written.returncode == 0, written.stderr
    assert run_copy(root, "-m", "smlint.generate").stdout == "every generated file is current\n"

    # the schemas
    rule_schema = json.loads((root / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
    assert rule_schema["$defs"]["kind"]["enum"][-1] == "acme-lock-settings"
    vendor = json.loads((root / "schemas" / "vendor.schema.json").read_text(encoding="utf-8"))
    assert vendor["$defs"]["export-entry"]["properties"]["format"]["enum"][-1] == "acme-lock-settings"
    config = json.loads((root / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    assert "acme-lock-settings" not in config["properties"]["kinds"]["additionalProperties"]["enum"]
    # the docs' kind tables
    formats = (root / "docs" / "formats.md").read_text(encoding="utf-8")
    assert ("| Acme video account lock settings | `acme-lock-settings` | a vendor's `export`, or an `acme_lock` "
            "mapping | [`acme-lock-settings`](../schemas/acme-lock-settings.schema.json) |\n<!-- kinds-formats:end -->"
            ) in formats
    architecture = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert ("| `acme-lock-settings` | export | `kind:`, shape (`shapes.py`), a vendor's `export.format` | "
            "none | none | Acme lock settings export | [`acme-lock-settings.schema.json`]"
            "(../schemas/acme-lock-settings.schema.json) |\n<!-- kinds:end -->") in architecture

    # `smlint rules`: SM000 and SM001 now apply to it, and its rule is listed
    listed = run_copy(root, "-m", "smlint", "rules", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rules = {rule["id"]: rule for rule in json.loads(listed.stdout)}
    assert rules["SM000"]["kinds"][-1] == rules["SM001"]["kinds"][-1] == "acme-lock-settings"
    assert rules["SM998"]["kinds"] == ["acme-lock-settings"]
    assert run_copy(root, "-m", "smlint", "test-rules").returncode == 0

    # `smlint check`: a file of that shape is read as the new kind, and a vendor may name it as its export
    work = tmp_path / "agency"
    (work / "exports").mkdir(parents=True)
    (work / ".smlint.yaml").write_text("{}\n", encoding="utf-8")
    (work / "exports" / "acme.json").write_text('{\n  "acme_lock": {\n    "waiting_room": false\n  }\n}\n',
                                                encoding="utf-8")
    (work / "acme.yaml").write_text("kind: vendor\nname: Acme\ncategory: video\nhandles_client_data: false\n"
                                    "export: {format: acme-lock-settings, data: {acme_lock: {waiting_room: 1}}}\n",
                                    encoding="utf-8")
    checked = run_copy(root, "-m", "smlint", "check", ".", "--format", "concise", "--select", "SM0,SM998",
                       "--today", "2026-06-01", cwd=work)
    assert checked.stdout.splitlines() == [
        "acme.yaml:5:57: SM001 [error] 'waiting_room' should be true or false",
        "acme.yaml:5:57: SM998 [error] the waiting room is not locked on",  # the embedded export: 1 is not true
        "exports/acme.json:3:5: SM998 [error] the waiting room is not locked on",
        "Found 3 finding(s) in 2 of 2 file(s) checked: 3 error(s), 0 warning(s), 0 info.",
    ], checked.stdout + checked.stderr
    assert checked.returncode == 1
