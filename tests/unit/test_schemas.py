"""The artifact schemas are usable in editors: valid 2020-12 schemas with a description on every property."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


def properties(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/{name}", sub
        for key, value in node.items():
            yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from properties(value, f"{where}/{index}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", ["policy", "intake-form", "vendor", "fhir-questionnaire", "zoom-settings",
                                  "zoom-lock-settings",
                                  "stripe-account", "square-account", "twilio-messaging-service",
                                  "google-workspace", "microsoft-365", "google-reviews", "website-page"])
def test_every_artifact_property_is_described(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    undescribed = [where for where, sub in properties(schema) if not (isinstance(sub, dict) and sub.get("description"))]
    assert undescribed == []


def date_formats(node: Any, where: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        if node.get("format") == "date":
            yield where
        for key, value in node.items():
            yield from date_formats(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from date_formats(value, f"{where}/{index}")


@pytest.mark.parametrize("name", ["policy", "intake-form", "vendor"])
def test_artifact_dates_accept_a_placeholder_as_smlint_does(name: str) -> None:
    """Every date of an artifact goes through `$defs/date-or-placeholder`, whose pattern is smlint's own
    placeholder test written for editors (JSON Schema patterns have no flags)."""
    import re

    from smlint.placeholders import PATTERN, is_placeholder

    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert list(date_formats(schema)) == ["/$defs/date-or-placeholder/anyOf/0"]
    assert schema["$defs"]["date-or-placeholder"]["anyOf"] == [{"format": "date"}, {"pattern": PATTERN}]
    samples = ["<FILL IN: x>", "<fill in: x>", "<Fill In:>", " <FILL IN: x> ", "<FILL IN: a> <FILL IN: b>",
               "by <FILL IN: x>", "<FILL IN: x", "<FILLIN: x>", "<FILL IN: a <b> >", "x", ""]
    assert [bool(re.search(PATTERN, s)) for s in samples] == [is_placeholder(s) for s in samples]
    assert [is_placeholder(s) for s in samples] == [True, True, True, True, False, False, False, False, False,
                                                    False, False]
