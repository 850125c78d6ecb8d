"""The redaction boundary (linter/redact.py, `scrub`): client identifiers planted in every field a user
writes (every artifact kind, the configuration, waivers, baseline, a custom rule, comments, suppression
reasons) never reach any output: the nine formats, --show-source, the GitHub step summary,
--write-baseline, `smlint config --show` and standard error.

Identifiers are generated (hypothesis) so that none can be in smlint's own texts by chance: names are
made-up capitalised words, numbers are drawn from the ranges the detectors accept.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from smlint.reporters import FORMATS
from tests.conftest import run_cli

TODAY = "2026-03-01"


@dataclass(frozen=True)
class Identifier:
    text: str  # as planted, with the cue the detectors need
    secrets: tuple[str, ...]  # what must never appear in any output


_letters = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=3, max_size=6)


def _tag(index: int) -> str:
    """Two letters unique to a field, so that each field's identifiers differ from every other's."""
    return "aeiouy"[index // 6] + "aeiouy"[index % 6]


def _number_secrets(number: str) -> tuple[str, ...]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (number, digits, digits[:-4])  # the whole, its digits, and everything but the last four


@st.composite
def identifier(draw: st.DrawFn, index: int) -> Identifier:
    """A client named after a cue, with one more identifier next to the name; all unique to `index`."""
    tag = _tag(index)
    first, last = f"Zy{tag}{draw(_letters)}", f"Qu{tag}{draw(_letters)}o"
    kind = draw(st.sampled_from(["ssn", "dob", "mrn", "phone", "email"]))
    if kind == "ssn":
        value = f"{101 + index:03d}-{draw(st.integers(10, 99)):02d}-{draw(st.integers(1000, 9999)):04d}"
        text, extra = f"client {first} {last} SSN {value}", _number_secrets(value)
    elif kind == "dob":
        value = f"{draw(st.integers(1, 12)):02d}/{10 + index % 18:02d}/{1931 + 3 * index + draw(st.integers(0, 2))}"
        text, extra = f"client {first} {last} DOB {value}", (value,)
    elif kind == "mrn":
        value = str(10_000_000 + 1_000_000 * index + draw(st.integers(0, 999_999)))
        text, extra = f"patient {first} {last} MRN {value}", _number_secrets(value)
    elif kind == "phone":
        value = f"{220 + 30 * index % 770}-{draw(st.integers(201, 989))}-{draw(st.integers(1000, 9999))}"
        text, extra = f"client {first} {last} phone {value}", _number_secrets(value)
    else:
        local, domain = f"zy{tag}{draw(_letters)}.q", f"{tag}{draw(_letters)}mail.net"
        value = f"{local}@{domain}"
        text, extra = f"client {first} {last} {value}", (value, local, domain)
    return Identifier(text, (first, last, *extra))


FIELDS = ("suppression_reason", "waiver_reason", "waiver_owner", "organisation", "policy_title", "policy_text",
          "policy_comment", "intake_title", "intake_text", "vendor_name", "vendor_key", "vendor_notes",
          "custom_rule_key", "fhir_title", "fhir_item", "stripe_name", "twilio_name", "zoom_key",
          "config_glob", "config_exclude", "waiver_pointer")


def _q(text: str) -> str:
    return json.dumps(text)  # a YAML (and JSON) double-quoted scalar


def plant(folder: Path, ids: dict[str, Identifier]) -> None:
    """One agency whose every user-written field holds an identifier."""
    t = {name: ident.text for name, ident in ids.items()}
    (folder / "rules").mkdir()
    (folder / "exports").mkdir()
    (folder / ".smlint.yaml").write_text(
        f"rules_dirs: [rules]\nwaivers: waivers.yaml\n"
        f"per_file_ignores:\n  {_q('archive/' + t['config_glob'] + '/*.yaml')}: [SM101]\n"
        f"exclude: [{_q(t['config_exclude'] + '/')}]\n", encoding="utf-8")
    (folder / "waivers.yaml").write_text(
        "waivers:\n"
        f"  - path: vendor.yaml\n    rule: SM313\n    reason: {_q('approved for ' + t['waiver_reason'])}\n"
        f"    owner: {_q('case manager of ' + t['waiver_owner'])}\n"
        f"  - path: vendor.yaml\n    rule: AG101\n    pointer: {_q('/extra/' + t['waiver_pointer'])}\n"
        "    reason: the marker is expected there\n", encoding="utf-8")
    (folder / "rules" / "agency.yaml").write_text("""id: AG101
name: flagged-marker
title: No text is marked FLAGME
severity: warning
kinds: [vendor]
scope: artifact
tips: []
citations: {other: ["agency rule"]}
rationale: Agency rule.
remediation: Remove the marker.
check: {type: text_matches, regex: flagme}
message: "the field '{field}' holds the marker"
examples:
  fail:
    - document: {kind: vendor, name: X, notes: flagme}
  pass:
    - document: {kind: vendor, name: X, notes: fine}
""", encoding="utf-8")
    (folder / "policy.yaml").write_text(f"""kind: policy
organisation: {_q(t['organisation'])}
title: {_q(t['policy_title'])}
version: "1"
last_reviewed: 2020-01-01  # {t['policy_comment']}
sections:
  social_networking:
    text: {_q(t['policy_text'])}
""", encoding="utf-8")
    (folder / "intake.yaml").write_text(f"""kind: intake-form
title: {_q(t['intake_title'])}
version: "1"
clauses:
  electronic_communication_risks:
    text: {_q(t['intake_text'])}
""", encoding="utf-8")
    (folder / "vendor.yaml").write_text(f"""kind: vendor
name: {_q(t['vendor_name'])}
category: video
handles_client_data: true
settings:
  live_streaming: true  # smlint: disable=SM305 -- {t['suppression_reason']}
{_q(t['vendor_key'])}: true
notes: {_q(t['vendor_notes'])}
extra:
  {_q(t['custom_rule_key'])}: flagme
  {_q(t['waiver_pointer'])}: flagme
""", encoding="utf-8")
    (folder / "exports" / "stripe.json").write_text(json.dumps(
        {"id": "acct_1", "object": "account", "business_profile": {"name": t["stripe_name"]},
         "settings": {"payments": {"statement_descriptor": t["stripe_name"][:22]}}}), encoding="utf-8")
    (folder / "exports" / "twilio.json").write_text(json.dumps(
        {"account_sid": "AC1", "friendly_name": t["twilio_name"], "inbound_request_url": "http://x.example/in"}),
        encoding="utf-8")
    (folder / "exports" / "zoom.json").write_text(json.dumps(
        {"recording": {"cloud_recording": True, t["zoom_key"]: True}}), encoding="utf-8")
    (folder / "payments.yaml").write_text(
        "kind: vendor\nname: Stripe\ncategory: payment\nhandles_client_data: true\n"
        "export: {format: stripe-account, file: exports/stripe.json}\n", encoding="utf-8")
    (folder / "texting.yaml").write_text(
        "kind: vendor\nname: Twilio\ncategory: texting\nhandles_client_data: true\n"
        "export: {format: twilio-messaging-service, file: exports/twilio.json}\n", encoding="utf-8")
    (folder / "video.yaml").write_text(
        "kind: vendor\nname: Zoom\ncategory: video\nhandles_client_data: true\n"
        "export: {format: zoom-settings, file: exports/zoom.json}\n", encoding="utf-8")
    (folder / "portal.fhir.json").write_text(json.dumps(
        {"resourceType": "Questionnaire", "title": t["fhir_title"], "status": "draft",
         "item": [{"linkId": "1", "text": t["fhir_item"], "type": "boolean"}]}), encoding="utf-8")


def _leaks(text: str, ids: dict[str, Identifier]) -> list[tuple[str, str]]:
    """Each secret found standing alone (a run of hexadecimal in a fingerprint is not a leak)."""
    folded = text.casefold()
    return [(field, secret) for field, ident in ids.items() for secret in ident.secrets
            if re.search(rf"(?<![0-9a-z]){re.escape(secret.casefold())}(?![0-9a-z])", folded)]


def _outputs(folder: Path) -> list[tuple[str, str]]:
    """Every output smlint gives on the planted agency, labelled."""
    seen: list[tuple[str, str]] = []
    summary = folder.parent / f"{folder.name}-summary.md"
    for fmt in sorted(FORMATS):
        for extra in ((), ("--show-source",)):
            os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
            try:
                result = run_cli("check", ".", "--today", TODAY, "--format", fmt, *extra)
            finally:
                del os.environ["GITHUB_STEP_SUMMARY"]
            assert result.exit_code == 1, (fmt, result.stderr)
            seen += [(f"{fmt}{extra}", result.stdout), (f"{fmt}{extra} stderr", result.stderr)]
    seen.append(("step summary", summary.read_text(encoding="utf-8")))
    result = run_cli("check", ".", "--today", TODAY, "--write-baseline", "baseline.json")
    assert result.exit_code == 0, result.stderr
    seen += [("baseline", (folder / "baseline.json").read_text(encoding="utf-8")), ("baseline stdout", result.stdout),
             ("baseline stderr", result.stderr)]
    result = run_cli("check", ".", "--today", TODAY, "--baseline", "baseline.json", "--format", "json")
    seen += [("with baseline", result.stdout), ("with baseline stderr", result.stderr)]
    result = run_cli("config", "--show")
    assert result.exit_code == 0, result.stderr
    seen += [("config --show", result.stdout), ("config --show stderr", result.stderr)]
    return seen


@settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ids=st.fixed_dictionaries({field: identifier(i) for i, field in enumerate(FIELDS)}))
def test_no_planted_identifier_reaches_any_output(tmp_path_factory: pytest.TempPathFactory,
                                                  monkeypatch: pytest.MonkeyPatch, ids: dict[str, Identifier]) -> None:
    folder = tmp_path_factory.mktemp("agency")
    plant(folder, ids)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert len(FORMATS) == 9 and len(FIELDS) >= 10 and sum(len(i.secrets) for i in ids.values()) >= 20
    outputs = _outputs(folder)
    leaks = [(label, field, secret) for label, text in outputs for field, secret in _leaks(text, ids)]
    assert leaks == []
