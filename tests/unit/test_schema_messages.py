"""Structural messages (smlint.schema.validate): each kind of schema error reads as a clinical director would
need it, names the field and never quotes the value. Each case takes the compliant example, breaks one field
and expects exactly one violation, written here before running smlint."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from smlint.loader import load_text
from smlint.schema import Violation, validate
from tests.conftest import COMPLIANT_POLICY_YAML, EXAMPLES, Run


def _example(path: str) -> dict[str, Any]:
    result = load_text((EXAMPLES / path).read_text(encoding="utf-8"), path)
    data: dict[str, Any] = result.documents[0].data
    return data


POLICY = _example(str(COMPLIANT_POLICY_YAML))  # the compliant agency's policy, as YAML
INTAKE = _example("compliant/intake/adult-outpatient-intake.yaml")
VENDOR = _example("compliant/vendors/doxy-me.yaml")


def test_the_examples_are_valid() -> None:
    assert validate("policy", POLICY) == []
    assert validate("intake-form", INTAKE) == []
    assert validate("vendor", VENDOR) == []


def broken(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    node: Any = changed
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return changed


DELETE = object()


@pytest.mark.parametrize(("path", "value", "expected"), [
    # minLength: an empty text
    (("organisation",), "",
     Violation("/organisation", "'organisation' is empty; write the wording or remove the field")),
    (("sections", "posting", "text"), "",
     Violation("/sections/posting/text", "'text' is empty; write the wording or remove the field")),
    # minimum and maximum, with the schema's own bound
    (("review_interval_months",), 0,
     Violation("/review_interval_months", "'review_interval_months' must be at least 1")),
    (("review_interval_months",), 37,
     Violation("/review_interval_months", "'review_interval_months' must be at most 36")),
    (("sections", "voip_video", "recording_retention_days"), -1,
     Violation("/sections/voip_video/recording_retention_days", "'recording_retention_days' must be at least 0")),
    # pattern: the schema's description, when it has one, says what form is expected
    (("sections", "telehealth", "licences", 0, "state"), "Ohio",
     Violation("/sections/telehealth/licences/0/state", "'state' is not in the expected form. Two-letter state code.")),
    (("sections", "telehealth", "client_states", 1), "oh",
     Violation("/sections/telehealth/client_states/1", "'client_states item 2' is not in the expected form.")),
    # type: words a reader knows; a string gets a hint about quotes
    (("review_interval_months",), "twelve",
     Violation("/review_interval_months", "'review_interval_months' should be a whole number")),
    (("version",), 2026.1, Violation("/version", "'version' should be text (put it in quotes)")),
    (("covered_entity",), "yes", Violation("/covered_entity", "'covered_entity' should be true or false")),
    (("approved_vendors",), "TherapyNotes", Violation("/approved_vendors", "'approved_vendors' should be a list")),
    (("approved_by",), "Dana", Violation("/approved_by", "'approved_by' should be a mapping of fields")),
    # a date that is not on the calendar (the placeholder alternative is not what went wrong)
    (("effective",), "2026-02-30",
     Violation("/effective", "'effective' is not a real calendar date; write it as YYYY-MM-DD")),
    # required, at the top and inside a field
    (("organisation",), DELETE, Violation("", "the document is missing the required field 'organisation'")),
    (("approved_by", "name"), DELETE, Violation("/approved_by", "'approved_by' is missing the required field 'name'")),
    # unknown fields: at the top, and inside a field (named)
    (("organization",), "Riverbend",
     Violation("/organization", "'organization' is not a field smlint knows; check its spelling and indentation")),
    (("approved_by", "title"), "Director",
     Violation("/approved_by/title",
               "'title' is not a field smlint knows in 'approved_by'; check its spelling and indentation")),
])
def test_one_broken_policy_field_gives_one_clear_violation(path: tuple[str | int, ...], value: Any,
                                                           expected: Violation) -> None:
    assert validate("policy", broken(POLICY, path, value)) == [expected]


def test_telehealth_example_has_what_the_cases_above_break() -> None:
    telehealth = POLICY["sections"]["telehealth"]
    assert len(telehealth["client_states"]) >= 2 and telehealth["licences"][0]["state"]


def test_min_items_and_enum_name_the_field_and_the_choices() -> None:
    assert validate("intake-form", broken(INTAKE, ("audience",), [])) == [
        Violation("/audience", "'audience' needs at least 1 item(s)")]
    [violation] = validate("intake-form", broken(INTAKE, ("audience",), ["grown-ups"]))
    assert violation.pointer == "/audience/0"
    assert violation.message.startswith("'audience item 1' must be one of: adults, minors, ")


def test_a_field_of_several_types_names_each_and_gives_no_quotes_hint() -> None:
    # Square's export: a business name is text or null
    assert validate("square-account", {"merchant": {"business_name": 5}}) == [
        Violation("/merchant/business_name", "'business_name' should be text or empty")]


def test_a_key_that_is_not_field_like_is_not_quoted() -> None:
    assert validate("policy", broken(POLICY, ("Jane Doe",), "x")) == [Violation(
        "/Jane Doe", "a key (its text is not shown) is not a field smlint knows; check its spelling and indentation")]


def test_several_unknown_and_missing_fields_are_each_reported_once() -> None:
    data = broken(broken(POLICY, ("organisation",), DELETE), ("version",), DELETE)
    data["zzz"] = 1
    data["aaa"] = 2
    # unknown fields in the order they are written, missing ones in the schema's order
    assert validate("policy", data) == [
        Violation("/zzz", "'zzz' is not a field smlint knows; check its spelling and indentation"),
        Violation("/aaa", "'aaa' is not a field smlint knows; check its spelling and indentation"),
        Violation("", "the document is missing the required field 'organisation'"),
        Violation("", "the document is missing the required field 'version'"),
    ]


def test_violations_are_ordered_by_where_they_are_in_the_document() -> None:
    data = broken(broken(POLICY, ("version",), 1), ("approved_by", "role"), 2)
    data["sections"]["posting"]["text"] = ""
    assert [v.pointer for v in validate("policy", data)] == [
        "/approved_by/role", "/sections/posting/text", "/version"]


def test_a_schema_message_reaches_the_report_at_the_fields_line_and_column(run: Run, tmp_path: Any) -> None:
    text = COMPLIANT_POLICY_YAML.read_text(encoding="utf-8")
    assert "review_interval_months: 12\n" in text
    line = text[:text.index("review_interval_months: 12")].count("\n") + 1
    (tmp_path / "policy.yaml").write_text(text.replace("review_interval_months: 12\n",
                                                       "review_interval_months: 48\n", 1), encoding="utf-8")
    result = run("check", "--select", "SM001", "--format", "concise", str(tmp_path / "policy.yaml"))
    assert result.exit_code == 1
    # a finding about a field's value points at the field (its key), as every rule's findings do
    assert f"policy.yaml:{line}:1: SM001 [error] 'review_interval_months' must be at most 36" in result.stdout
