"""The configuration's profile decides which rules run: a practice that is not a HIPAA covered entity
(`profile: {covered_entity: false}`) gets the duties of the NASW Code, the Technology Standards and the FTC
orders, not those that come only from HIPAA; a policy that records the agency the other way is SM070.

The private practice in tests/acceptance/data/private-practice/ was written first, with its planted findings
listed in its README, before smlint was run on it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

from smlint import laws
from smlint.profile import NEGATIONS, TRAITS
from smlint.registry import load_ruleset
from smlint.schema import load_schema
from tests.conftest import ROOT, Run, located

PRACTICE = ROOT / "tests" / "acceptance" / "data" / "private-practice"
POLICY = "policies/technology-policy.yaml"
VENDOR = "vendors/doxy-me.yaml"
DRIVE = "vendors/cloud-drive.yaml"  # keeps client files; nothing on record binds it to confidentiality
PHONE = "vendors/parkline-voice.yaml"  # keeps voicemail; its terms bind it to confidentiality, no BAA

# what binds every social worker, planted in the practice's files (NASW Code 1.07(m), the FTC orders)
BINDS_EVERYONE = [
    (POLICY, "SM117", 66, 5),  # messages not required to be encrypted in transit
    (POLICY, "SM408", 68, 5),  # multi-factor sign-in required, but the video vendor does not enforce it
    (POLICY, "SM193", 136, 5),  # health data shared with advertisers
    (VENDOR, "SM313", 16, 3),  # the video vendor does not enforce two-factor sign-in
]
# the vendor duty as it binds a practice outside HIPAA: a written confidentiality agreement, not a BAA
NOT_COVERED_ONLY = [(DRIVE, "SM325", 4, 1)]
# the same duty for a covered entity: a BAA with each vendor keeping client data (the lapsed one is SM306)
BAA_MISSING = [(DRIVE, "SM301", 4, 1), (PHONE, "SM301", 4, 1), (PHONE, "SM302", 3, 1)]
# what binds only a HIPAA covered entity: the lapsed BAA, no yearly report of small breaches to HHS
HIPAA_ONLY = [(POLICY, "SM124", 101, 3), (VENDOR, "SM306", 10, 3), *BAA_MISSING]
CONTRADICTION = (POLICY, "SM070", 13, 1)  # the policy's `covered_entity: false`
# covered-entity rule asking for a BAA -> its version for a practice outside HIPAA
SPLIT = {"SM301": "SM325", "SM302": "SM326", "SM441": "SM442",
         # HIPAA's 60 days and six years -> the Code's duty without a number: a breach procedure, a records section
         "SM123": "SM601", "SM132": "SM602",
         # HIPAA's periodic review -> tip 5's yearly review, which names individual practitioners (a warning)
         "SM101": "SM603",
         # each person's training documented (HIPAA) -> the date of the last training (the Code, the Standards)
         "SM131": "SM604"}


RUN_OUTSIDE_HIPAA = [rule for rule in load_ruleset().rules if "covered-entity" not in rule.profile]
BAA = re.compile(r"\bBAAs?\b|[Bb]usiness associate")  # `baa:`, the vendor file's key, is a field name
HIPAA_DUTY = re.compile(r"\b(HIPAA|HHS|Security Rule|Privacy Rule|Breach Notification Rule)\b[^.;]*?"
                        r"\b(requires?|expects?|asks?|allows?|permits?)\b")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+(?=[A-Z`(])", " ".join(text.split())) if s]


def findings(run: Run, folder: Path, *args: str) -> list[tuple[str, str, int, int]]:
    result = run("check", str(folder), "--format", "json", "--today", "2026-12-02", "--show-info", *args)
    assert result.exit_code in (0, 1), result.stderr
    return located(result.stdout, folder)


def messages(run: Run, folder: Path, rule: str) -> list[str]:
    result = run("check", str(folder), "--format", "json", "--today", "2026-12-02", "--select", rule)
    return [f["message"] for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    copy = tmp_path / "practice"
    shutil.copytree(PRACTICE, copy)
    return copy


def test_a_practice_outside_hipaa_gets_the_duties_that_bind_every_social_worker(run: Run) -> None:
    assert findings(run, PRACTICE) == sorted([*BINDS_EVERYONE, *NOT_COVERED_ONLY])
    result = run("check", str(PRACTICE), "--today", "2026-12-02", "--format", "concise")
    assert result.exit_code == 1
    # one file alone, as pre-commit passes it: the profile of its configuration still applies
    vendor = run("check", str(PRACTICE / VENDOR), "--format", "json", "--today", "2026-12-02")
    assert [(f["rule"], f["line"]) for f in json.loads(vendor.stdout)["findings"]] == [("SM313", 16)]


def test_without_the_profile_the_practice_is_treated_as_covered_and_told_so(run: Run, practice: Path) -> None:
    (practice / ".smlint.yaml").unlink()
    assert findings(run, practice) == sorted([*BINDS_EVERYONE, *HIPAA_ONLY, CONTRADICTION])
    assert messages(run, practice, "SM070") == [
        "the policy records covered_entity: false, but the configuration's profile does not say covered_entity, "
        "so smlint treats the agency as a HIPAA covered entity and runs every HIPAA rule; add "
        "`profile: {covered_entity: false}` to the configuration"]
    # the list form names only what holds: the practice is still taken as a covered entity (and as serving
    # minors, so SM424 asks for a form a guardian signs)
    (practice / ".smlint.yaml").write_text("profile: [serves-minors]\n", encoding="utf-8")
    assert findings(run, practice) == sorted([*BINDS_EVERYONE, *HIPAA_ONLY, CONTRADICTION, (POLICY, "SM424", 3, 1)])


def test_a_profile_that_contradicts_the_policy_is_sm070_and_the_profile_decides(run: Run, practice: Path) -> None:
    (practice / ".smlint.yaml").write_text("profile:\n  covered-entity: true\n", encoding="utf-8")
    assert findings(run, practice) == sorted([*BINDS_EVERYONE, *HIPAA_ONLY, CONTRADICTION])
    assert messages(run, practice, "SM070") == [
        "the policy records covered_entity: false, but the configuration's profile says covered_entity: true, "
        "and the profile decides which rules run"]
    # the policy says covered, the profile says not: the HIPAA-only rules stay off, SM070 says why
    policy = practice / POLICY
    policy.write_text(policy.read_text(encoding="utf-8").replace("covered_entity: false", "covered_entity: true"),
                      encoding="utf-8")
    (practice / ".smlint.yaml").write_text("profile: {covered_entity: false}\n", encoding="utf-8")
    assert findings(run, practice) == sorted([*BINDS_EVERYONE, *NOT_COVERED_ONLY, CONTRADICTION])
    # a policy that does not record it contradicts nothing
    policy.write_text(policy.read_text(encoding="utf-8").replace("covered_entity: true\n", ""), encoding="utf-8")
    assert [f[1] for f in findings(run, practice) if f[0] == POLICY] == ["SM117", "SM193", "SM408"]


def test_naming_a_hipaa_only_rule_exactly_runs_it_whatever_the_profile(run: Run) -> None:
    assert findings(run, PRACTICE, "--select", "SM306") == [(VENDOR, "SM306", 10, 3)]
    assert findings(run, PRACTICE, "--select", "SM3") == sorted([(VENDOR, "SM313", 16, 3), *NOT_COVERED_ONLY])
    # named exactly, the covered-entity version runs too (and the not-covered one for a covered entity)
    assert findings(run, PRACTICE, "--select", "SM301,SM325") == sorted(
        [(DRIVE, "SM301", 4, 1), (PHONE, "SM301", 4, 1), *NOT_COVERED_ONLY])


def test_explain_says_which_rules_run_only_for_a_covered_entity(run: Run) -> None:
    sentence = ("Runs only for a HIPAA covered entity: it does not run when the configuration's profile says "
                "`covered_entity: false`.")
    assert sentence in run("explain", "SM306").stdout
    assert sentence not in run("explain", "SM313").stdout
    listed = {r["id"]: r for r in json.loads(run("rules", "--format", "json").stdout)}
    assert listed["SM306"]["profile"] == ["covered-entity"]
    assert listed["SM313"]["profile"] == []


def test_config_show_prints_the_profile_in_force(run: Run, practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(practice)
    shown = run("config", "--show").stdout.splitlines()
    assert 'profile: {"covered_entity": false, "part2_program": false, "serves_minors": false}  # .smlint.yaml:2' \
        in shown
    (practice / ".smlint.yaml").unlink()
    shown = run("config", "--show").stdout.splitlines()
    assert 'profile: {"covered_entity": true, "part2_program": false, "serves_minors": false}  # default' in shown


@pytest.mark.parametrize(("text", "message"), [
    ("profile: {covered_entity: maybe}\n", ".smlint.yaml:1:11: 'covered_entity' should be true or false"),
    ("profile: {hipaa: false}\n",
     ".smlint.yaml:1:11: 'hipaa' is not a field smlint knows in 'profile'; check its spelling and indentation"),
    ("profile: yes\n", ".smlint.yaml:1:1: 'profile' should be a mapping of fields or a list"),
    ("profile: [not-covered]\n",
     ".smlint.yaml:1:11: 'profile item 1' must be one of: covered-entity, part2-program, serves-minors"),
    ("profile:\n  covered_entity: false\n  covered-entity: false\n",
     ".smlint.yaml:3:3: 'covered-entity' is given twice (once as 'covered_entity')"),
])
def test_a_profile_mistake_stops_the_run_naming_file_and_line(run: Run, practice: Path, text: str,
                                                              message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(practice)
    (practice / ".smlint.yaml").write_text(text, encoding="utf-8")
    result = run("check", ".")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"smlint: error: {message}\n")


def test_every_rule_relying_only_on_laws_that_bind_covered_entities_declares_it() -> None:
    """The data behind the switch: rules/laws.json says which laws bind only covered entities (HIPAA and its
    guidance); a rule relying only on those declares `profile: [covered-entity]`, and a rule that also rests on
    the NASW Code, the Technology Standards, the FTC orders or Part 2 does not."""
    covered_only = {law.id for law in laws.registry().values() if law.binds == "covered-entity"}
    assert {"hipaa-privacy-rule", "hipaa-security-rule", "hipaa-breach-rule", "ocr-tracking-bulletin"} <= covered_only
    assert not {"nasw-code", "tech-standards", "ftc-health-data-orders", "part2-2024"} & covered_only
    declared = {r.id for r in load_ruleset().rules if "covered-entity" in r.profile}
    expected = {r.id for r in load_ruleset().rules if r.laws and set(r.laws) <= covered_only}
    # the vendor rules that also cite the NASW Code but ask for a BAA run only for a covered entity; a
    # practice outside HIPAA gets their version asking for a written confidentiality agreement instead
    assert declared == expected | set(SPLIT)
    assert {r.id for r in load_ruleset().rules if "not-covered-entity" in r.profile} == set(SPLIT.values())
    assert len(declared) == 76


def test_the_schemas_know_every_trait() -> None:
    rule_traits = load_schema("rule")["$defs"]["rule"]["properties"]["profile"]["items"]["enum"]
    config = load_schema("config")["properties"]["profile"]
    assert set(rule_traits) == set(TRAITS) | set(NEGATIONS)  # a rule may say `not-covered-entity`
    assert set(config["then"]["properties"]) == {t.replace("-", "_") for t in TRAITS}  # the mapping
    assert set(config["else"]["items"]["enum"]) == set(TRAITS)  # the list


def test_each_project_of_one_run_follows_its_own_profile(run: Run, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PRACTICE, tmp_path / "outside")
    shutil.copytree(PRACTICE, tmp_path / "covered")
    (tmp_path / "covered" / ".smlint.yaml").write_text("profile: {covered_entity: true}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "outside", "covered", "--format", "json", "--today", "2026-12-02", "--jobs", "2")
    found = sorted((f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"])
    assert found == sorted([*((f"outside/{path}", rule) for path, rule, _, _ in [*BINDS_EVERYONE, *NOT_COVERED_ONLY]),
                            *((f"covered/{path}", rule) for path, rule, _, _ in
                              [*BINDS_EVERYONE, *HIPAA_ONLY, CONTRADICTION])])


@pytest.mark.parametrize(("policy_format", "policy", "where", "breach"), [
    ("yaml", "social-media-technology-policy.yaml", None, (158, 3)),  # sections.breach_notification
    ("markdown", "social-media-technology-policy.md", None, (42, 3)),  # the front matter's breach_notification
    ("docx", "social-media-technology-policy.docx", (12, 1), (39, 1)),  # the "Covered entity" row of the Word
])                                                                       # table, the breach heading's paragraph
def test_init_not_covered_passes_in_every_policy_format_and_sm070_finds_the_policys_answer(
        run: Run, tmp_path: Path, policy_format: str, policy: str, where: tuple[int, int] | None,
        breach: tuple[int, int]) -> None:
    target = tmp_path / "r"
    assert run("init", str(target), "--not-covered-entity", "--policy-format", policy_format).exit_code == 0
    result = run("check", str(target), "--format", "json")
    assert (result.exit_code, {f["rule"] for f in json.loads(result.stdout)["findings"]}) == (0, {"SM020"})
    config = target / ".smlint.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("covered_entity: false", "covered_entity: true"),
                      encoding="utf-8")
    result = run("check", str(target), "--format", "json")
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] != "SM020"]
    if where is None:  # YAML and the Markdown front matter: the line that says it
        lines = (target / "policies" / policy).read_text(encoding="utf-8").splitlines()
        where = (lines.index("covered_entity: false") + 1, 1)
    # taken as covered, every vendor keeping client data (recorded with a confidentiality agreement or the
    # processor's terms) needs a BAA or the agency's determination that it needs none, the VoIP service one
    # for its call content; and the breach section plans no yearly report of small breaches to HHS
    assert (result.exit_code, [(f["rule"], Path(f["path"]).name, f["line"], f["column"]) for f in found]) == (
        1, [("SM070", policy, *where), ("SM124", policy, *breach), ("SM301", "ehr.yaml", 7, 1),
            ("SM301", "payments.yaml", 8, 1), ("SM302", "phone-voip.yaml", 10, 1), ("SM301", "phone-voip.yaml", 12, 1),
            ("SM301", "telehealth-video.yaml", 9, 1), ("SM301", "texting.yaml", 8, 1)])


def test_no_rule_that_runs_for_a_practice_outside_hipaa_says_hipaa_requires_it() -> None:
    """A rule without `covered-entity` runs for every practice: its findings' messages do not invoke HIPAA
    (SM070's does, since it is about the profile itself)."""
    saying = [rule.id for rule in load_ruleset().rules if "covered-entity" not in rule.profile and rule.id != "SM070"
              and any("hipaa" in text.lower() for text in (rule.message, *rule.messages.values()))]
    assert saying == []



def test_no_rule_that_runs_for_a_practice_outside_hipaa_asks_it_for_a_business_associate_agreement() -> None:
    """A BAA is a HIPAA contract: findings a practice outside HIPAA can get never ask for one; and wherever its
    title, remediation or rationale (`smlint explain`, the reports' rule descriptions) speaks of a BAA, the same
    sentence names the confidentiality agreement a practice outside HIPAA records instead, or says that the BAA
    is a covered entity's (or that a practice outside HIPAA needs none)."""
    asking = [rule.id for rule in RUN_OUTSIDE_HIPAA
              if any(BAA.search(text) for text in (rule.message, rule.problem, *rule.messages.values()))]
    assert asking == []
    unscoped = [(rule.id, field, sentence) for rule in RUN_OUTSIDE_HIPAA
                for field in ("title", "remediation", "rationale") for sentence in sentences(getattr(rule, field))
                if BAA.search(sentence) and not re.search(r"confidential|covered entit|outside HIPAA", sentence)]
    assert unscoped == []


def test_no_rule_that_runs_for_a_practice_outside_hipaa_tells_it_hipaa_binds_it() -> None:
    """A sentence of a title, remediation or rationale saying what HIPAA, HHS or a HIPAA rule requires, expects,
    asks, allows or permits says whom it binds (a covered entity), so it stays true for a practice outside HIPAA
    reading it; SM070, about the profile itself, is the exception."""
    unscoped = [(rule.id, field, sentence) for rule in RUN_OUTSIDE_HIPAA if rule.id != "SM070"
                for field in ("title", "remediation", "rationale") for sentence in sentences(getattr(rule, field))
                if HIPAA_DUTY.search(sentence)
                and not re.search(r"covered entit|outside HIPAA|whether or not HIPAA|HIPAA does not", sentence)]
    assert unscoped == []
    # the test reads what it should: the old wording of SM120 and SM364 is caught
    assert HIPAA_DUTY.search("HIPAA requires a unique identity for each user.")
    assert HIPAA_DUTY.search("The Security Rule asks the agency to verify who signs in.")
    assert BAA.search("Measure those pages with a tool whose vendor signs a BAA.")
    assert not BAA.search("A signed `baa:` also counts.")  # the vendor file's key, not the contract asked for


def test_a_practice_outside_hipaa_is_asked_for_a_confidentiality_agreement_not_a_baa(run: Run, practice: Path) -> None:
    """A private-pay practice needs no business associate agreement; the NASW Code still asks it to make sure a
    vendor keeping client data is bound to keep it confidential. The vendor whose terms bind it passes."""
    assert messages(run, PRACTICE, "SM325") == [
        "this vendor handles client data but no confidentiality agreement or binding terms of service is recorded "
        "for it"]
    every = run("check", str(PRACTICE), "--format", "json", "--today", "2026-12-02", "--show-info")
    assert not [f for f in json.loads(every.stdout)["findings"]
                if "business associate" in f["message"].lower() or "baa" in f["message"].lower().split()]
    # the phone service's agreement withdrawn: SM326 asks for one, as SM325 does
    phone = practice / PHONE
    phone.write_text(phone.read_text(encoding="utf-8").replace("status: vendor-terms", "status: none"),
                     encoding="utf-8")
    assert sorted(f for f in findings(run, practice) if f[0] == PHONE) == [(PHONE, "SM325", 7, 3),
                                                                         (PHONE, "SM326", 7, 3)]
    assert messages(run, practice, "SM326") == [  # `conduit` is not recorded: the message for what is unknown
        "no confidentiality agreement or binding terms of service is recorded for this VoIP phone service"]
    text = phone.read_text(encoding="utf-8")
    recorded = text.replace("stores: [voicemail]", "conduit: false\nbaa: {status: none}\nstores: [voicemail]")
    phone.write_text(recorded, encoding="utf-8")
    assert messages(run, practice, "SM326") == [
        "this VoIP phone service is not recorded as a pure conduit and nothing on record binds it to keep call "
        "content confidential (no signed confidentiality agreement or terms)"]
    phone.write_text(text, encoding="utf-8")
    # a covered entity is asked for the BAA, not for this
    (practice / ".smlint.yaml").write_text("profile: {covered_entity: true}\n", encoding="utf-8")
    assert sorted(f for f in findings(run, practice) if f[0] == PHONE) == [(PHONE, "SM301", 4, 1),
                                                                         (PHONE, "SM302", 3, 1)]


def test_explain_says_the_confidentiality_rules_run_only_outside_hipaa(run: Run) -> None:
    sentence = ("Runs only for a practice that is not a HIPAA covered entity: the configuration's profile must say "
                "`covered_entity: false`.")
    for rule in SPLIT.values():
        assert sentence in run("explain", rule).stdout
    for rule in SPLIT:
        assert "Runs only for a HIPAA covered entity" in run("explain", rule).stdout


NOT_FOR_OUTSIDE = ("does not apply to this agency: it runs only for a HIPAA covered entity, and the configuration's "
                   "profile says covered_entity: false")


def junit_cases(run: Run, folder: Path, *args: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(file, rule id) -> (outcome, message) of every JUnit testcase: pass, failure or skipped."""
    result = run("check", str(folder), "--format", "junit", "--today", "2026-12-02", *args)
    cases: dict[tuple[str, str], tuple[str, str]] = {}
    for suite in ElementTree.fromstring(result.stdout):
        for case in suite:
            outcome = next((child for child in case if child.tag in ("failure", "skipped")), None)
            key = (Path(str(suite.get("name"))).relative_to(folder).as_posix(), str(case.get("name")).split()[0])
            cases[key] = ("pass", "") if outcome is None else (outcome.tag, str(outcome.get("message")))
    return cases


def test_junit_never_counts_a_rule_the_profile_switched_off_as_a_passed_test(run: Run, practice: Path) -> None:
    """A CI dashboard reading JUnit must not learn that a HIPAA check passed for a practice it does not bind:
    each rule the profile switched off is a skipped testcase saying why, and every rule for the file's kind
    that ran is a test, passed or failed."""
    cases = junit_cases(run, practice)
    assert cases[(VENDOR, "SM301")] == ("skipped", NOT_FOR_OUTSIDE)
    assert cases[(VENDOR, "SM306")] == ("skipped", NOT_FOR_OUTSIDE)  # its BAA lapsed, but that binds no one here
    assert cases[(VENDOR, "SM313")][0] == "failure"
    assert cases[(VENDOR, "SM325")] == ("pass", "")  # its signed BAA counts as a confidentiality agreement
    assert cases[(DRIVE, "SM325")] == ("skipped", "warning, below the fail threshold (error): this vendor handles "
                                                  "client data but no confidentiality agreement or binding terms of "
                                                  "service is recorded for it")
    assert cases[(POLICY, "SM124")] == ("skipped", NOT_FOR_OUTSIDE)
    rules = load_ruleset().rules
    # the vendor rules listed: all but those of a proposed law and those kept off only by a trait's default
    # (the practice's profile does not mention Part 2 or minors: those rules are left out, not skipped)
    vendor_rules = {r.id for r in rules if "vendor" in r.kinds and laws.off_reason(r.laws, frozenset()) is None
                    and not set(r.profile) & {"part2-program", "serves-minors"}}
    assert {rule for (path, rule), _ in cases.items() if path == VENDOR} == vendor_rules
    assert {rule for (path, rule), (outcome, _) in cases.items() if path == VENDOR and outcome == "skipped"} == {
        r.id for r in rules if r.id in vendor_rules and "covered-entity" in r.profile}
    assert not [key for key in cases if key[1] in {"SM186", "SM231", "SM424"}]  # Part 2 and minors rules
    covered_only = {r.id for r in rules if "covered-entity" in r.profile}
    assert {outcome for (_, rule), (outcome, _) in cases.items() if rule in covered_only} == {"skipped"}
    # the rules a selector left out are not tests at all; those it chose but the profile switched off are skipped
    chosen = junit_cases(run, practice, "--select", "SM3")
    assert {rule[:3] for _, rule in chosen} == {"SM3"}
    assert chosen[(VENDOR, "SM301")] == ("skipped", NOT_FOR_OUTSIDE)
    # nor is a rule a per-file ignore leaves out for that file (the other files still list it)
    config = practice / ".smlint.yaml"
    profile = config.read_text(encoding="utf-8")
    config.write_text(profile + "per-file-ignores:\n  vendors/doxy-me.yaml: [SM313, SM301]\n", encoding="utf-8")
    ignoring = junit_cases(run, practice)
    assert [key for key in ignoring if key[0] == VENDOR and key[1] in {"SM313", "SM301"}] == []
    assert ignoring[(PHONE, "SM313")] == ("pass", "")
    assert ignoring[(PHONE, "SM301")] == ("skipped", NOT_FOR_OUTSIDE)
    config.write_text(profile, encoding="utf-8")
    # a rule named exactly runs whatever the profile says
    named = junit_cases(run, practice, "--select", "SM301")
    assert named == {(path, "SM301"): outcome for path, outcome in [
        (DRIVE, ("failure", "this vendor handles client data but no business associate agreement is recorded for "
                            "it")),
        (PHONE, ("failure", "this vendor handles client data but no business associate agreement is recorded for "
                            "it")),
        (VENDOR, ("pass", ""))]}
    # for a covered entity, the version of the duty for a practice outside HIPAA is the one that does not apply
    (practice / ".smlint.yaml").write_text("profile: {covered_entity: true}\n", encoding="utf-8")
    assert junit_cases(run, practice)[(VENDOR, "SM325")] == (
        "skipped", "does not apply to this agency: it runs only for a practice that is not a HIPAA covered entity, "
                   "and the configuration's profile says covered_entity: true")


# The practice's policy edited as a practice outside HIPAA may write it: clients told of a breach within 90
# days, records kept three years. Line numbers are the shipped file's (each edit stays on its line).
SLOW_AND_SHORT = {"    text: Clients whose information is exposed are told without unreasonable delay and within 60 "
                  "days.\n": "    text: Clients whose information is exposed are told in writing within 90 days.\n",
                  "    notice_days: 60\n": "    notice_days: 90\n",
                  "    text: Records are kept for seven years and destroyed by certified shredding or secure wiping.\n":
                  "    text: Records are kept for three years and destroyed by certified shredding or secure wiping.\n",
                  "    retention_years: 7\n": "    retention_years: 3\n"}
PROFILES = {"false": "profile:\n  covered_entity: false\n", "true": "profile: {covered_entity: true}\n",
            "unstated": "fail_on: error\n"}
PLANTED = "SM117,SM193,SM313,SM325,SM408"  # the practice's planted findings, the same under every profile


def edited(practice: Path, replacements: dict[str, str]) -> None:
    policy = practice / POLICY
    text = policy.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    policy.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("covered", ["true", "unstated", "false"])
def test_hipaas_60_days_and_six_years_are_asked_only_of_a_covered_entity(run: Run, practice: Path,
                                                                         covered: str) -> None:
    """SM123 (breach notice within 60 days) and SM132 (records kept six years) state HIPAA's numbers: the
    same policy, allowing 90 days and keeping records three years, is reported for a covered entity (stated or
    by default) and not for a practice whose profile says it is outside HIPAA, for which no number is
    verified (the Code asks for timely notice and for records kept as long as state law, agency policy and
    contracts require). Its sections are there, so SM601 and SM602 have nothing to report either."""
    edited(practice, SLOW_AND_SHORT)
    (practice / ".smlint.yaml").write_text(PROFILES[covered], encoding="utf-8")
    numbers = [(POLICY, "SM123", 103, 5), (POLICY, "SM132", 114, 5)]
    expected = {"true": [*BINDS_EVERYONE, *HIPAA_ONLY, CONTRADICTION, *numbers],
                "unstated": [*BINDS_EVERYONE, *HIPAA_ONLY, CONTRADICTION, *numbers],
                "false": [*BINDS_EVERYONE, *NOT_COVERED_ONLY]}[covered]
    assert findings(run, practice) == sorted(expected)
    # without the planted findings: a covered entity fails (SM123, SM132, the HIPAA-only errors), the practice
    # outside HIPAA passes with no finding at all
    result = run("check", str(practice), "--format", "json", "--today", "2026-12-02", "--show-info",
                 "--ignore", PLANTED)
    left = sorted(set(expected) - set(BINDS_EVERYONE) - set(NOT_COVERED_ONLY))
    assert (result.exit_code, located(result.stdout, practice)) == ((0, []) if covered == "false" else (1, left))
    if covered != "false":
        assert messages(run, practice, "SM123") == [
            "the policy does not commit to telling affected clients of a breach within 60 days"]
        assert messages(run, practice, "SM132") == [
            "the policy does not keep documentation and records for at least six years"]
    # JUnit, read by CI dashboards: outside HIPAA, HIPAA's numbers are skipped saying why, never passed or failed
    cases = junit_cases(run, practice)
    policy = {rule: cases.get((POLICY, rule)) for rule in ("SM123", "SM132", "SM601", "SM602")}
    if covered == "false":
        assert policy == {"SM123": ("skipped", NOT_FOR_OUTSIDE), "SM132": ("skipped", NOT_FOR_OUTSIDE),
                          "SM601": ("pass", ""), "SM602": ("pass", "")}
    else:  # stated covered: the versions outside HIPAA are skipped; unstated: left out, as a Part 2 rule is
        outside = ("skipped", "does not apply to this agency: it runs only for a practice that is not a HIPAA "
                              "covered entity, and the configuration's profile says covered_entity: true")
        assert policy == {
            "SM123": ("failure", "the policy does not commit to telling affected clients of a breach within 60 days"),
            "SM132": ("failure", "the policy does not keep documentation and records for at least six years"),
            "SM601": outside if covered == "true" else None, "SM602": outside if covered == "true" else None}


# The same policy without its breach and records sections (lines 101-103 and 112-116): every later line
# moves up eight; `sections:` is line 18.
WITHOUT_SECTIONS = {"  breach_notification:\n"
                    "    text: Clients whose information is exposed are told without unreasonable delay and within "
                    "60 days.\n    notice_days: 60\n": "",
                    "  records:\n    text: Records are kept for seven years and destroyed by certified shredding or "
                    "secure wiping.\n    retention_years: 7\n    secure_disposal: true\n"
                    "    electronic_messages_in_record: true\n": ""}


@pytest.mark.parametrize("covered", ["true", "unstated", "false"])
def test_a_policy_without_breach_and_records_sections_is_told_what_binds_it(run: Run, practice: Path,
                                                                            covered: str) -> None:
    """No breach procedure and no records section: a covered entity gets SM123 and SM132 (HIPAA's numbers, at
    `sections:`); a practice outside HIPAA gets their versions without a number, SM601 and SM602 (warnings,
    below the practice's fail threshold), and never HIPAA's 60 days or six years."""
    edited(practice, WITHOUT_SECTIONS)
    (practice / ".smlint.yaml").write_text(PROFILES[covered], encoding="utf-8")
    moved = [(path, rule, line - 8 if path == POLICY and line > 116 else line, column)
             for path, rule, line, column in BINDS_EVERYONE]
    assert (POLICY, "SM193", 128, 5) in moved
    hipaa_only = [f for f in HIPAA_ONLY if f[1] != "SM124"]  # SM124 reads the breach section, now gone
    expected = {"true": [*moved, *hipaa_only, CONTRADICTION, (POLICY, "SM123", 18, 1), (POLICY, "SM132", 18, 1)],
                "unstated": [*moved, *hipaa_only, CONTRADICTION, (POLICY, "SM123", 18, 1), (POLICY, "SM132", 18, 1)],
                "false": [*moved, *NOT_COVERED_ONLY, (POLICY, "SM601", 18, 1), (POLICY, "SM602", 18, 1)]}[covered]
    assert findings(run, practice) == sorted(expected)
    result = run("check", str(practice), "--format", "json", "--today", "2026-12-02", "--show-info",
                 "--ignore", PLANTED)
    left = sorted(set(expected) - set(moved) - set(NOT_COVERED_ONLY))
    assert (result.exit_code, located(result.stdout, practice)) == (0 if covered == "false" else 1, left)
    if covered == "false":
        assert messages(run, practice, "SM601") == [
            "the policy does not say how clients are told when their confidential information is exposed"]
        assert messages(run, practice, "SM602") == [
            "the policy does not say how long client records are kept or how they are disposed of"]
        every = run("check", str(practice), "--format", "json", "--today", "2026-12-02", "--show-info")
        assert not [f for f in json.loads(every.stdout)["findings"]
                    if re.search(r"60 days|six years|HIPAA", f["message"])]


MD_POLICY = "policies/social-media-technology-policy.md"
MD_BREACH = ("Affected clients are told of a breach of their information without unreasonable delay and within 60 days "
             "of its discovery.")
MD_RECORDS = "client records are kept for at least seven years"


def markdown_practice(run: Run, tmp_path: Path, profile: str) -> Path:
    """`smlint init --not-covered-entity --policy-format markdown`, its profile set to `profile`, its policy
    allowing 90 days for breach notice and keeping records three years, in the prose a practice would write."""
    target = tmp_path / "md"
    assert run("init", str(target), "--not-covered-entity", "--policy-format", "markdown").exit_code == 0
    policy = target / MD_POLICY
    text = policy.read_text(encoding="utf-8")
    assert text.count(MD_BREACH) == 1 and text.count(MD_RECORDS) == 1
    text = text.replace(MD_BREACH, "Affected clients are told of a breach of their information within 90 days of its "
                                   "discovery.").replace(MD_RECORDS, "client records are kept for at least three years")
    policy.write_text(text, encoding="utf-8")
    config = target / ".smlint.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("covered_entity: false", profile), encoding="utf-8")
    return target


@pytest.mark.parametrize(("covered", "profile"), [("true", "covered_entity: true"), ("unstated", ""),
                                                  ("false", "covered_entity: false")])
def test_a_markdown_policy_read_clause_by_clause_gets_hipaas_numbers_only_if_covered(
        run: Run, tmp_path: Path, covered: str, profile: str) -> None:
    """The prose reader finds 90 days and three years in the text; only a covered entity is told they fall short
    of HIPAA's 60 days and six years (at the sentences), beside what init's scaffold already gets when taken as
    covered (test_init_not_covered_passes_in_every_policy_format_and_sm070_finds_the_policys_answer)."""
    target = markdown_practice(run, tmp_path, profile)
    result = run("check", str(target), "--format", "json", "--show-info")
    found = [f for f in located(result.stdout, target) if f[1] != "SM020"]  # SM020: init's placeholders
    as_covered = [(MD_POLICY, "SM070", 16, 1), (MD_POLICY, "SM124", 42, 3), (MD_POLICY, "SM123", 117, 1),
                  (MD_POLICY, "SM132", 125, 1), ("vendors/ehr.yaml", "SM301", 7, 1),
                  ("vendors/payments.yaml", "SM301", 8, 1), ("vendors/phone-voip.yaml", "SM301", 12, 1),
                  ("vendors/phone-voip.yaml", "SM302", 10, 1), ("vendors/telehealth-video.yaml", "SM301", 9, 1),
                  ("vendors/texting.yaml", "SM301", 8, 1)]
    assert (result.exit_code, found) == ((0, []) if covered == "false" else (1, sorted(as_covered)))


def test_a_markdown_policy_outside_hipaa_is_asked_for_its_breach_and_records_sections_by_their_headings(
        run: Run, tmp_path: Path) -> None:
    """Outside HIPAA, SM601 and SM602 read the prose: a `## Breach notification` or `## Records` heading is the
    section, also when the front matter records none of its facts; without the heading, the section is there
    only if a clause the reader files under it is (init's Devices paragraph says how devices are disposed of,
    which is the records section's `secure_disposal`). Both are warnings: exit 0 at init's fail_on: error."""
    target = markdown_practice(run, tmp_path, "covered_entity: false")
    policy = target / MD_POLICY
    text = policy.read_text(encoding="utf-8")
    front = ("  breach_notification:\n    risk_assessment: true\n    notices_documented: true\n"
             "    vendor_notice_days: 30\n", "  records:\n    electronic_messages_in_record: true\n")
    assert all(text.count(block) == 1 for block in front)
    for block in front:
        text = text.replace(block, "")
    policy.write_text(text, encoding="utf-8")

    def found() -> tuple[int, list[tuple[str, str, int, int]]]:
        result = run("check", str(target), "--format", "json", "--show-info")
        return result.exit_code, [f for f in located(result.stdout, target) if f[1] != "SM020"]

    assert found() == (0, [])
    lines = text.splitlines(keepends=True)
    for heading in ("## Breach notification\n", "## Records\n"):  # the heading, its paragraph, the blank lines
        start = lines.index(heading)
        del lines[start:start + 4]
    policy.write_text("".join(lines), encoding="utf-8")
    assert found() == (0, [(MD_POLICY, "SM601", 28, 1)])  # at the front matter's `sections:`
    assert messages(run, target, "SM601") == [  # read from prose: what the reader did not find, not what the text says
        "the policy does not say how clients are told when their confidential information is exposed"
        " (no clause on this was found in the text)"]
    disposal = " Devices are wiped before re-use and destroyed or wiped at end of life."
    assert "".join(lines).count(disposal) == 1
    policy.write_text("".join(lines).replace(disposal, ""), encoding="utf-8")
    assert found() == (0, [(MD_POLICY, "SM601", 28, 1), (MD_POLICY, "SM602", 28, 1)])
    assert messages(run, target, "SM602") == [
        "the policy does not say how long client records are kept or how they are disposed of"
        " (no clause on this was found in the text)"]
