"""The redaction boundary (linter/smlint/redact.py, `scrub`): client identifiers planted in every field a user
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
from datetime import date
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
KINDS = ("ssn", "dob", "mrn", "phone", "email")
ROTATIONS = range(len(KINDS))  # rotation r plants kind (field index + r) % 5: every kind in every field


def _tag(index: int) -> str:
    """Two letters unique to a field, so that each field's identifiers differ from every other's."""
    return "aeiouy"[index // 6] + "aeiouy"[index % 6]


def _number_secrets(number: str) -> tuple[str, ...]:
    digits = "".join(ch for ch in number if ch.isdigit())
    hidden = digits[:-4]  # everything but the last four, when it is long enough to be unique to its field
    return (number, digits, *([hidden] if len(hidden) > 4 else []))


@st.composite
def _name_word(draw: st.DrawFn, stem: str) -> tuple[str, str]:
    """One word of a name as people write names, and the part of it that must never be shown: plain,
    O'..., Mc..., hyphenated, accented, or in capitals."""
    core = f"{stem}{draw(_letters)}"
    shape = draw(st.sampled_from(["plain", "apostrophe", "mc", "hyphen", "accent", "capitals"]))
    if shape == "apostrophe":
        prefix = draw(st.sampled_from(["O'", "O’", "D'"]))
        return f"{prefix}{core}", core
    if shape == "mc":
        return f"Mc{core}", f"Mc{core}"
    if shape == "hyphen":
        return f"{core}-Xa{draw(_letters)}", core
    if shape == "accent":
        return f"{core}{draw(st.sampled_from(['é', 'ñ', 'ü', 'ø']))}", core
    return (core.upper(), core) if shape == "capitals" else (core, core)


@st.composite
def identifier(draw: st.DrawFn, index: int, rotation: int = 0) -> Identifier:
    """A client named after a cue (two or three words, in the shapes names take), with one more identifier
    next to the name, in one of the ways people write it; all unique to `index`."""
    tag = _tag(index)
    words = [draw(_name_word(f"Zy{tag}")), *([draw(_name_word(f"Vo{tag}"))] if draw(st.booleans()) else []),
             draw(_name_word(f"Qu{tag}"))]
    name, names = " ".join(w for w, _ in words), tuple(core for _, core in words)
    cue = draw(st.sampled_from(["client", "patient", "guardian", "Client"]))
    kind = KINDS[(index + rotation) % len(KINDS)]
    if kind == "ssn":
        sep = draw(st.sampled_from(["-", " "]))
        value = f"{101 + index:03d}{sep}{draw(st.integers(10, 99)):02d}{sep}{draw(st.integers(1000, 9999)):04d}"
        text, extra = f"{cue} {name} SSN {value}", _number_secrets(value)
    elif kind == "dob":
        month, day, year = draw(st.integers(1, 12)), 10 + index % 18, 1931 + 3 * index + draw(st.integers(0, 2))
        value = draw(st.sampled_from([f"{month:02d}/{day:02d}/{year}", f"{year}-{month:02d}-{day:02d}",
                                      f"{date(2000, month, 1):%B} {day}, {year}"]))
        text, extra = f"{cue} {name} DOB {value}", (value,)
    elif kind == "mrn":
        number = 10_000_000 + 1_000_000 * index + draw(st.integers(0, 999_999))
        value = f"{draw(st.sampled_from(['', 'A', 'MR']))}{number}"
        text, extra = f"{cue} {name} MRN {value}", _number_secrets(value)
    elif kind == "phone":
        area, exchange, line = 220 + 30 * index % 770, draw(st.integers(201, 989)), draw(st.integers(1000, 9999))
        value = draw(st.sampled_from([f"{area}-{exchange}-{line}", f"({area}) {exchange}-{line}",
                                      f"{area}.{exchange}.{line}", f"+1 {area} {exchange} {line}"]))
        text, extra = f"{cue} {name} phone {value}", _number_secrets(value)
    else:
        local = f"zy{tag}{draw(_letters)}.q{draw(st.sampled_from(['', '+intake']))}"
        domain = f"{tag}{draw(_letters)}mail.net"
        value = f"{local}@{domain}"
        text, extra = f"{cue} {name} {value}", (value, local, domain)
    return Identifier(text, (*names, *extra))


FIELDS = ("suppression_reason", "waiver_reason", "waiver_owner", "organisation", "policy_title", "policy_text",
          "policy_comment", "intake_title", "intake_text", "vendor_name", "vendor_key", "vendor_notes",
          "custom_rule_key", "fhir_title", "fhir_item", "stripe_name", "twilio_name", "zoom_key",
          "config_glob", "config_exclude", "waiver_pointer", "markdown_heading", "markdown_text")


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
    (folder / "handbook.md").write_text(f"""---
kind: policy
---
# Social media

Staff do not accept friend requests from clients.

# Boundaries after {t['markdown_heading']}

Staff may accept friend requests from clients. {t['markdown_text']}.
""", encoding="utf-8")
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
    for fmt in ("text", "json"):
        for command, file in (("explain-form", "portal.fhir.json"), ("explain-policy", "handbook.md")):
            result = run_cli(command, file, "--format", fmt)
            assert result.exit_code == 0, result.stderr
            seen += [(f"{command} {fmt}", result.stdout), (f"{command} {fmt} stderr", result.stderr)]
    return seen


@pytest.mark.parametrize("rotation", ROTATIONS)
@settings(max_examples=2, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_planted_identifier_reaches_any_output(tmp_path_factory: pytest.TempPathFactory,
                                                  monkeypatch: pytest.MonkeyPatch, rotation: int,
                                                  data: st.DataObject) -> None:
    ids = data.draw(st.fixed_dictionaries({field: identifier(i, rotation) for i, field in enumerate(FIELDS)}))
    folder = tmp_path_factory.mktemp("agency")
    plant(folder, ids)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert len(FORMATS) == 9 and len(FIELDS) >= 10 and sum(len(i.secrets) for i in ids.values()) >= 20
    outputs = _outputs(folder)
    leaks = [(label, field, secret) for label, text in outputs for field, secret in _leaks(text, ids)]
    assert leaks == []


# --- standard error of runs that stop: every message that quotes a user's setting, rule file, waiver,
# baseline or command-line value passes the boundary too

RULE_WITH = """id: AG201
name: agency-rule
title: Agency rule
severity: {severity}
kinds: [vendor]
scope: artifact
tips: []
citations: {{other: ["agency rule"]}}
rationale: Agency rule.
remediation: Fix it.
check: {{type: text_matches, regex: {regex}}}
message: "the field '{{field}}' is flagged"
examples:
  fail:
    - document: {{kind: vendor, name: X, notes: flagme}}
  pass:
    - document: {{kind: vendor, name: X, notes: fine}}
"""

STOPS = ("config_value", "config_select", "config_link_id", "config_kinds", "rule_severity", "rule_regex",
         "waiver_until", "baseline_entry", "cli_select", "cli_today", "cli_format", "cli_explain")


def _stop(folder: Path, name: str, text: str) -> list[str]:
    """Set up one failing run in `folder`, planting `text`; the command line that runs it."""
    q = _q(text)
    (folder / "vendor.yaml").write_text("kind: vendor\nname: Zoom\ncategory: video\nhandles_client_data: true\n",
                                        encoding="utf-8")
    config = {"config_value": f"fail_on: {q}\n", "config_select": f"select: [{q}]\n",
              "config_link_id": f"fhir:\n  link_ids:\n    {q}: not_a_concept\n",
              "config_kinds": f"kinds:\n  {q}: not_a_kind\n"}
    if name in config:
        (folder / ".smlint.yaml").write_text(config[name], encoding="utf-8")
    elif name.startswith("rule_"):
        (folder / "rules").mkdir()
        severity, regex = (q, "flagme") if name == "rule_severity" else ("warning", _q(f"(?={text})x"))
        (folder / "rules" / "agency.yaml").write_text(RULE_WITH.format(severity=severity, regex=regex),
                                                      encoding="utf-8")
        (folder / ".smlint.yaml").write_text("rules_dirs: [rules]\n", encoding="utf-8")
    elif name == "waiver_until":
        (folder / ".smlint.yaml").write_text("waivers: waivers.yaml\n", encoding="utf-8")
        (folder / "waivers.yaml").write_text(
            f"waivers:\n  - path: vendor.yaml\n    rule: SM309\n    reason: ok\n    until: {q}\n", encoding="utf-8")
    elif name == "baseline_entry":
        entry = {"fingerprint": "0" * 16, "rule": "SM309", "path": "vendor.yaml", "pointer": "", text: 1}
        (folder / "baseline.json").write_text(json.dumps({"smlint_baseline": 1, "findings": [entry]}),
                                              encoding="utf-8")
        return ["check", ".", "--baseline", "baseline.json"]
    cli = {"cli_select": ["check", ".", "--select", text], "cli_today": ["check", ".", "--today", text],
           "cli_format": ["check", ".", "--format", text], "cli_explain": ["explain", text]}
    return cli.get(name, ["check", "."])


@pytest.mark.parametrize("rotation", ROTATIONS)
@settings(max_examples=1, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_planted_identifier_reaches_standard_error(tmp_path_factory: pytest.TempPathFactory,
                                                      monkeypatch: pytest.MonkeyPatch, rotation: int,
                                                      data: st.DataObject) -> None:
    ids = data.draw(st.fixed_dictionaries({name: identifier(i, rotation) for i, name in enumerate(STOPS)}))
    monkeypatch.delenv("SMLINT_TODAY", raising=False)
    leaks = []
    for name, ident in ids.items():
        folder = tmp_path_factory.mktemp(name)
        monkeypatch.chdir(folder)
        result = run_cli(*_stop(folder, name, ident.text))
        assert result.exit_code == 2 and result.stderr, (name, result.exit_code, result.stdout)
        leaks += [(name, secret, result.stderr) for _, secret in _leaks(result.stderr, {name: ident})]
        leaks += [(name, secret, result.stdout) for _, secret in _leaks(result.stdout, {name: ident})]
    assert leaks == []
