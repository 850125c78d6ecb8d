"""`smlint init`: the scaffold passes its own check, its placeholders are the to-do list, and filling
them in clears it. Nothing is overwritten without --force."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smlint import __version__
from smlint.scaffold import FILES, HOOK_REPOSITORY, SCHEMAS
from tests.conftest import ROOT, TODAY, Run, run_cli

MARKER = re.compile(r'"(<FILL IN: [^">]*>)"')
ARTIFACTS = sorted(p for p in FILES.values() if p.startswith(("policies/", "intake/", "vendors/")))


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def marker_lines(repo: Path) -> set[tuple[str, int]]:
    return {(rel, number) for rel in ARTIFACTS
            for number, text in enumerate((repo / rel).read_text(encoding="utf-8").splitlines(), 1)
            if "<FILL IN:" in text and not text.lstrip().startswith("#")}


def findings(run: Run, repo: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("check", str(repo), "--today", TODAY, "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.fixture
def repo(run: Run, tmp_path: Path) -> Path:
    target = tmp_path / "policy-repo"
    result = run("init", str(target))
    assert result.exit_code == 0, result.stderr
    return target


def test_init_lists_what_it_wrote(run: Run, tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "new"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    written = [*FILES.values(), *SCHEMAS.values()]
    assert len(written) == 16
    assert lines[0] == f"Created a policy repository in {tmp_path / 'new'} (16 files):"
    assert lines[1:17] == [f"  {p}" for p in written]
    assert lines[17:19] == ["Next:", f"  1. smlint check {tmp_path / 'new'}"]
    assert sorted(p.relative_to(tmp_path / "new").as_posix() for p in (tmp_path / "new").rglob("*")
                  if p.is_file()) == sorted(written)


def test_scaffold_passes_and_every_placeholder_is_an_info_finding(run: Run, repo: Path) -> None:
    result = run("check", str(repo), "--today", TODAY)
    assert result.exit_code == 0, result.stdout
    code, found = findings(run, repo)
    assert code == 0
    assert {f["rule"] for f in found} == {"SM020"}
    assert {f["severity"] for f in found} == {"info"}
    located = {(Path(f["path"]).relative_to(repo).as_posix(), f["line"]) for f in found}
    assert located == marker_lines(repo)
    assert len(found) == len(located) == 48
    assert result.stdout.splitlines()[-1] == ("Found 48 finding(s) in 7 of 9 file(s) checked: "
                                              "0 error(s), 0 warning(s), 48 info.")


def test_placeholders_are_reported_where_they_stand(run: Run, repo: Path) -> None:
    _, found = findings(run, repo)
    vendor = [(f["line"], f["column"], f["pointer"]) for f in found if f["path"].endswith("vendors/phone-voip.yaml")]
    assert vendor == [(9, 1, "/name"), (17, 3, "/baa/signed"), (18, 3, "/baa/expires"), (28, 1, "/owner"),
                      (29, 1, "/last_reviewed")]
    assert all(f["message"] == f"'{f['pointer'].rsplit('/', 1)[-1]}' is still a placeholder: replace it with "
               "your agency's decision" for f in found if not f["pointer"].split("/")[-1].isdigit())


def fill_in(repo: Path) -> None:
    """Answer every placeholder as an agency would: the same question gets the same answer everywhere."""
    answers: dict[str, str] = {}

    def answer(match: re.Match[str]) -> str:
        question = match.group(1)
        if "YYYY-MM-DD" in question:
            return "2027-06-01" if re.search(r"ends|expiry", question) else "2026-01-10"
        return '"' + answers.setdefault(question, f"Answer {len(answers) + 1}") + '"'

    for rel in ARTIFACTS:
        path = repo / rel
        path.write_text(MARKER.sub(answer, path.read_text(encoding="utf-8")), encoding="utf-8")


def test_filling_in_the_placeholders_clears_the_list(run: Run, repo: Path) -> None:
    fill_in(repo)
    assert marker_lines(repo) == set()
    result = run("check", str(repo), "--today", TODAY)
    assert result.stdout == "All clear: 9 file(s) checked, no findings.\n"
    assert result.exit_code == 0


def test_filled_in_dates_are_checked(run: Run, repo: Path) -> None:
    """Once a placeholder date is replaced, the deadline rules see it."""
    fill_in(repo)
    code, found = findings(run, repo, "--today", "2027-07-01")
    assert code == 1
    assert ("SM306", "error") in {(f["rule"], f["severity"]) for f in found}
    assert ("SM101", "error") in {(f["rule"], f["severity"]) for f in found}


def test_placeholder_dates_are_not_schema_errors_but_partial_ones_are(run: Run, tmp_path: Path) -> None:
    vendor = tmp_path / "v.yaml"
    vendor.write_text("kind: vendor\nname: Doxy.me\ncategory: video\nhandles_client_data: true\nbaa:\n"
                      "  status: signed\n  signed: \"<FILL IN: date signed (YYYY-MM-DD)>\"\n"
                      "  expires: \"by <FILL IN: date (YYYY-MM-DD)>\"\n", encoding="utf-8")
    _, found = findings(run, vendor)
    assert [(f["rule"], f["line"], f["severity"]) for f in found if f["rule"] in ("SM001", "SM020")] == [
        ("SM020", 7, "info"), ("SM001", 8, "error"), ("SM020", 8, "info")]


def test_options_fill_organisation_states_and_covered_entity(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "r"
    result = run("init", str(target), "--org", 'Riverbend: "Family" & Youth', "--state", "or,WA",
                 "--state", "ca", "--not-covered-entity")
    assert result.exit_code == 0, result.stderr
    policy = load(target / "policies/social-media-technology-policy.yaml")
    assert policy["organisation"] == 'Riverbend: "Family" & Youth'
    assert policy["covered_entity"] is False
    telehealth = policy["sections"]["telehealth"]
    assert telehealth["offered"] is True
    assert telehealth["client_states"] == ["OR", "WA", "CA"]
    assert [lic["state"] for lic in telehealth["licences"]] == ["OR", "WA", "CA"]
    assert telehealth["licences"][0]["number"] == "<FILL IN: licence number in OR>"
    intake = load(target / "intake/adult-intake-and-consent.yaml")
    assert "telehealth" in intake["services"]
    assert intake["acknowledges_policy"] == policy["version"]
    assert {"telehealth_consent", "client_location"} <= set(intake["clauses"])
    code, found = findings(run, target)
    assert code == 0
    assert {f["rule"] for f in found} == {"SM020"}
    # the organisation is named; four blanks per licence; where the payment processor's terms are kept
    assert len(found) == 48 - 1 + 3 * 4 + 1
    # the configuration's profile says so too: the rules whose duty comes only from HIPAA do not run
    assert load(target / ".smlint.yaml")["profile"] == {"covered_entity": False, "part2_program": False,
                                                        "serves_minors": False}
    # its vendors record confidentiality agreements, which have no end date: no BAA to lapse (SM306)
    assert {vendor.name for vendor in (target / "vendors").glob("*.yaml")
            if "confidentiality_agreement" in load(vendor) and "baa" not in load(vendor)} == {
        "ehr.yaml", "telehealth-video.yaml", "phone-voip.yaml", "texting.yaml", "payments.yaml"}
    # the policy and the profile must agree: a policy that says covered is SM070 at its covered_entity line
    path = target / "policies/social-media-technology-policy.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("covered_entity: false", "covered_entity: true"), encoding="utf-8")
    line = text.splitlines().index("covered_entity: false") + 1
    code, found = findings(run, target)
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in found if f["rule"] != "SM020"] == [("SM070", line, 1)]


NOT_COVERED_VOIP = """\
# yaml-language-server: $schema=../.schemas/vendor.schema.json
# Internet phone (VoIP) service. Scaffolded by `smlint init`. A VoIP carrier that keeps voicemail or
# call records holds client information, not a mere conduit: it must be bound in writing to keep it
# confidential. Only a carrier that transmits and keeps nothing may be recorded as a conduit
# (conduit: true, stores: [none]). A traditional landline is `category: landline`.
# Other categories: texting, video, email, ehr, payment, website, scheduling, reviews, directory,
# storage, other.
kind: vendor
name: "<FILL IN: name of your internet phone (VoIP) service>"
category: voip
edition: business
handles_client_data: true
conduit: false
stores: [voicemail]
confidentiality_agreement:
  # outside HIPAA no business associate agreement is needed, but the vendor must be bound in
  # writing to keep client information confidential: by a signed confidentiality or data-protection
  # agreement (status: signed), or by its terms once you have read them and found that they bind it
  # (status: vendor-terms, and name them under document).
  status: signed
  signed: "<FILL IN: date the confidentiality agreement was signed (YYYY-MM-DD)>"
  document: "<FILL IN: where the signed confidentiality agreement is kept>"
encryption:
  in_transit: true
  at_rest: true
security:
  two_factor: true
  unique_user_ids: true
settings:
  voicemail_transcription: false
  cloud_recording: false
owner: "<FILL IN: role responsible for this vendor>"
last_reviewed: "<FILL IN: date you last reviewed this vendor's settings (YYYY-MM-DD)>"
"""


def test_a_practice_outside_hipaa_is_scaffolded_with_confidentiality_agreements_not_baas(
        run: Run, tmp_path: Path) -> None:
    """`--not-covered-entity`: each vendor keeping client data records the written confidentiality agreement
    SM325/SM326 ask for (a placeholder date and where it is kept), the comments say why, and nothing in the
    scaffold asks for a BAA or promises HIPAA's reports to HHS."""
    target = tmp_path / "r"
    assert run("init", str(target), "--not-covered-entity").exit_code == 0
    assert (target / "vendors/phone-voip.yaml").read_text(encoding="utf-8") == NOT_COVERED_VOIP
    signed = {"status": "signed", "signed": "<FILL IN: date the confidentiality agreement was signed (YYYY-MM-DD)>",
              "document": "<FILL IN: where the signed confidentiality agreement is kept>"}
    agreements = {path.name: (load(path).get("baa"), load(path)["confidentiality_agreement"])
                  for path in sorted((target / "vendors").glob("*.yaml"))}
    assert agreements == {
        "ehr.yaml": (None, signed), "phone-voip.yaml": (None, signed), "telehealth-video.yaml": (None, signed),
        "texting.yaml": (None, signed),
        "payments.yaml": (None, {"status": "vendor-terms",
                                 "document": "<FILL IN: where the processor's terms you rely on are kept>"})}
    assert (target / "vendors/telehealth-video.yaml").read_text(encoding="utf-8").splitlines()[1:3] == [
        "# Telehealth video platform. Scaffolded by `smlint init`: use a healthcare or business",
        "# edition whose vendor is bound in writing to keep sessions confidential."]
    # the only words about a BAA (or a report to HHS) are the comments saying none is needed
    mentions = sorted((path.relative_to(target).as_posix(), line.strip())
                      for path in target.rglob("*") if path.is_file() and ".schemas" not in path.parts
                      for line in path.read_text(encoding="utf-8").splitlines()
                      if re.search(r"\bBAA|business associate|\bto HHS\b", line))
    assert mentions == [(f"vendors/{name}", "# outside HIPAA no business associate agreement is needed, but the "
                                            + ("processor must be bound to keep" if name == "payments.yaml"
                                               else "vendor must be bound in"))
                        for name in ("ehr.yaml", "payments.yaml", "phone-voip.yaml", "telehealth-video.yaml",
                                     "texting.yaml")]
    policy = load(target / "policies/social-media-technology-policy.yaml")
    assert policy["relies_on"] == ["nasw-code", "tech-standards", "ftc-health-data-orders"]
    assert policy["sections"]["voip_video"]["text"] == (
        "Calls and video sessions use only the approved platforms below, each bound in writing to keep client "
        "information confidential. Public-facing platforms such as Facebook Live, TikTok and Twitch are never "
        "used. Sessions are not recorded.\n")
    assert "baa_required" not in policy["sections"]["voip_video"]
    breach = policy["sections"]["breach_notification"]
    assert breach["text"].endswith("within 60 days of its discovery. Every breach is logged.\n")
    assert not {"annual_small_breach_report", "hhs_notice_500", "media_notice"} & set(breach)
    readme = (target / "README.md").read_text(encoding="utf-8").splitlines()
    assert readme[4:8] == [
        "them against the NASW Code of Ethics, the Technology Standards and the FTC's health-data orders",
        "(the practice is not a HIPAA covered entity: `.smlint.yaml` says `covered_entity: false`, so",
        "the rules whose duty comes only from HIPAA do not run).", ""]
    assert "smlint explain SM325              # why a rule matters and how to fix it" in readme
    assert ("| `vendors/` | one file per vendor: what it is used for, the agreement that binds it to keep client "
            "information confidential and settings |") in readme
    # the placeholders of the agreement are on the to-do list, where they stand
    _, found = findings(run, target)
    assert [(f["line"], f["column"], f["pointer"]) for f in found if f["path"].endswith("vendors/phone-voip.yaml")] == [
        (9, 1, "/name"), (21, 3, "/confidentiality_agreement/signed"), (22, 3, "/confidentiality_agreement/document"),
        (32, 1, "/owner"), (33, 1, "/last_reviewed")]
    assert {f["rule"] for f in found} == {"SM020"}


def test_part2_program_and_minors_scaffold_passes_with_their_profile(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "p2"
    result = run("init", str(target), "--part2-program", "--serves-minors")
    assert result.exit_code == 0, result.stderr
    assert "  intake/minor-intake-and-consent.yaml" in result.stdout.splitlines()
    assert load(target / ".smlint.yaml")["profile"] == {"covered_entity": True, "part2_program": True,
                                                        "serves_minors": True}
    policy = load(target / "policies/social-media-technology-policy.yaml")
    assert set(policy["sections"]) >= {"part2", "security_management", "devices", "privacy", "tracking"}
    assert policy["sections"]["breach_notification"]["covers_part2_records"] is True
    assert "part2-2024" in policy["relies_on"]
    minor = load(target / "intake/minor-intake-and-consent.yaml")
    assert (minor["audience"], minor["signature"]["guardian"]) == (["minors"], True)
    assert minor["clauses"]["part2_consent"]["revocation"] is True
    code, found = findings(run, target)
    assert code == 0
    assert {f["rule"] for f in found} == {"SM020"}
    # the Part 2 rules run with this profile, and fire once the Part 2 section is taken out
    text = (target / "policies/social-media-technology-policy.yaml").read_text(encoding="utf-8")
    start = text.index("  # 42 CFR Part 2")
    end = text.index("  telehealth:")
    (target / "policies/social-media-technology-policy.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    code, found = findings(run, target)
    assert code == 1
    assert [f["rule"] for f in found if f["rule"] != "SM020"] == ["SM186"]


def test_without_states_telehealth_is_not_offered(repo: Path) -> None:
    policy = load(repo / "policies/social-media-technology-policy.yaml")
    assert policy["covered_entity"] is True
    assert policy["sections"]["telehealth"]["offered"] is False
    assert "licences" not in policy["sections"]["telehealth"]
    assert "telehealth" not in load(repo / "intake/adult-intake-and-consent.yaml")["services"]


def test_policy_covers_every_section_of_the_schema(repo: Path) -> None:
    from smlint.schema import load_schema

    sections = load_schema("policy")["properties"]["sections"]["properties"]
    policy = load(repo / "policies/social-media-technology-policy.yaml")
    assert set(policy["sections"]) == set(sections) - {"part2"}  # part2 only for --part2-program
    vendors = [load(repo / p) for p in ARTIFACTS if p.startswith("vendors/")]
    assert sorted(v["category"] for v in vendors) == ["ehr", "payment", "texting", "video", "voip"]


def test_never_overwrites_without_force(run: Run, repo: Path) -> None:
    readme = repo / "README.md"
    readme.write_text("ours\n", encoding="utf-8")
    (repo / "vendors/ehr.yaml").unlink()
    refused = run("init", str(repo))
    assert refused.exit_code == 2
    assert refused.stderr == (f"smlint: error: {repo / 'policies/social-media-technology-policy.yaml'}: already "
                              "exists; use --force to overwrite the scaffold's files\n")
    assert readme.read_text(encoding="utf-8") == "ours\n"
    assert not (repo / "vendors/ehr.yaml").exists()
    forced = run("init", str(repo), "--force")
    assert forced.exit_code == 0
    assert readme.read_text(encoding="utf-8").startswith("# Our agency: social media and technology policy")
    assert (repo / "vendors/ehr.yaml").exists()


def test_refuses_a_file_in_place_of_the_folder_and_unknown_states(run: Run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run("init", str(tmp_path / "file")).exit_code == 2
    bad = run("init", str(tmp_path / "r"), "--state", "XX")
    assert bad.exit_code == 2
    assert bad.stderr == "smlint: error: --state takes two-letter US state codes such as OR or WA, got 'XX'\n"
    assert not (tmp_path / "r").exists()


def test_config_hooks_and_ci_files(repo: Path) -> None:
    config = load(repo / ".smlint.yaml")
    assert config == {"fail_on": "error",
                      "profile": {"covered_entity": True, "part2_program": False, "serves_minors": False}}
    assert set(config) <= {"select", "ignore", "severity", "kinds", "exclude", "rules_dirs", "fail_on",
                           "waivers", "baseline", "profile"}
    hooks = load(repo / ".pre-commit-config.yaml")
    published = load(ROOT / ".pre-commit-hooks.yaml")[0]
    assert [repo["repo"] for repo in hooks["repos"]] == ["local"]
    # the published hook, run with the smlint installed here instead of one pre-commit would fetch
    assert hooks["repos"][0]["hooks"] == [{**{k: v for k, v in published.items()
                                              if k not in ("description", "additional_dependencies")},
                                           "language": "system"}]
    assert f"#     - repo: {HOOK_REPOSITORY}\n#       rev: v{__version__}\n" in (
        repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    github = load(repo / ".github/workflows/smlint.yml")
    assert github["env"] == {"SMLINT_REQUIREMENT": f"smlint=={__version__}"}
    steps = github["jobs"]["check"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    install = 'python -m pip install "$SMLINT_REQUIREMENT"'
    assert runs == [install,
                    "smlint check --format html --exit-zero --output-file smlint-report.html",
                    'smlint check --format markdown --exit-zero --output-file "$GITHUB_STEP_SUMMARY"',
                    "smlint check --format concise"]
    gitlab = load(repo / ".gitlab-ci.yml")["smlint"]
    assert gitlab["variables"] == {"SMLINT_REQUIREMENT": f"smlint=={__version__}"}
    assert gitlab["before_script"] == [install]
    assert gitlab["script"][-1] == "smlint check --format concise"
    assert gitlab["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}
    for text in [(repo / name).read_text(encoding="utf-8") for name in (".github/workflows/smlint.yml",
                                                                       ".gitlab-ci.yml", "README.md")]:
        assert "git+" not in text and "https://" not in text  # nothing to fetch from a code host
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "`<FILL IN: ...>`" in readme
    assert "pre-commit install" in readme


@pytest.mark.slow
def test_pre_commit_accepts_the_hook_configuration(repo: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_ci_command_runs_on_the_scaffold(run: Run, repo: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The smlint commands of both CI files, run as written in the new repository, exit 0."""
    import os
    import shlex

    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("SMLINT_TODAY", TODAY)
    monkeypatch.chdir(repo)
    github = [s["run"] for s in load(repo / ".github/workflows/smlint.yml")["jobs"]["check"]["steps"] if "run" in s]
    commands = [c for c in [*github, *load(repo / ".gitlab-ci.yml")["smlint"]["script"]] if c.startswith("smlint ")]
    assert len(commands) == 6
    for command in commands:
        result = run_cli(*shlex.split(os.path.expandvars(command))[1:])
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
    assert summary.read_text(encoding="utf-8").startswith("## Technology compliance report: ")
    assert (repo / "smlint-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))


SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)\n")


def test_every_artifact_names_its_schema_by_a_relative_path_to_a_copy(repo: Path) -> None:
    from smlint.resources import data_dir

    for rel in ARTIFACTS:
        text = (repo / rel).read_text(encoding="utf-8")
        match = SCHEMA_LINE.match(text)
        assert match, rel
        kind = load(repo / rel)["kind"]
        assert match["path"] == f"../.schemas/{kind}.schema.json"
        copy = (repo / rel).parent / match["path"]
        assert copy.read_text(encoding="utf-8") == (data_dir("schemas") / f"{kind}.schema.json").read_text(
            encoding="utf-8")


def test_schemas_only_refreshes_the_copies_and_nothing_else(run: Run, repo: Path) -> None:
    stale = repo / ".schemas/vendor.schema.json"
    stale.write_text("{}", encoding="utf-8")
    policy = repo / "policies/social-media-technology-policy.yaml"
    policy.write_text("kind: policy\n", encoding="utf-8")
    result = run("init", str(repo), "--schemas-only")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 3 schema copies in {repo / '.schemas'}\n"
    assert json.loads(stale.read_text(encoding="utf-8"))["$id"] == "urn:smlint:schemas:vendor"
    assert policy.read_text(encoding="utf-8") == "kind: policy\n"


def test_gitignore_keeps_reports_and_the_cache_out(repo: Path) -> None:
    ignored = [line for line in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")]
    assert ignored == ["/smlint-report.html", "/report.html", "/summary.md", "/smlint.sarif", "/smlint-junit.xml",
                       "/gl-code-quality-report.json", ".smlint_cache/"]
    # every report file the scaffold's own README and CI jobs write is ignored
    written = set()
    for name in ("README.md", ".github/workflows/smlint.yml", ".gitlab-ci.yml"):
        written |= set(re.findall(r"--output-file (\S+)", (repo / name).read_text(encoding="utf-8")))
    assert {w.strip('"') for w in written} - {"$GITHUB_STEP_SUMMARY"} <= {i.lstrip("/") for i in ignored}


UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port: every fetch fails at once


@pytest.mark.slow
def test_scaffold_hook_runs_with_no_route_to_any_code_host(tmp_path: Path) -> None:
    """`smlint init x && cd x && git init && pre-commit run --all-files`, as a user would, offline."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))
           and k.lower() not in {"no_proxy", "smlint_today", "pip_index_url", "pip_find_links"}}
    env.update({"PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
                "https_proxy": UNREACHABLE, "http_proxy": UNREACHABLE, "HTTPS_PROXY": UNREACHABLE,
                "HTTP_PROXY": UNREACHABLE, "ALL_PROXY": UNREACHABLE, "SMLINT_TODAY": TODAY,
                "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
                "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})

    def sh(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)

    assert sh("smlint", "init", "x", cwd=tmp_path).returncode == 0
    repo = tmp_path / "x"
    assert sh("git", "init", "-q", cwd=repo).returncode == 0
    assert sh("git", "add", "-A", cwd=repo).returncode == 0
    passed = sh(sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never", cwd=repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^smlint\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout

    voip = repo / "vendors/phone-voip.yaml"
    text = voip.read_text(encoding="utf-8")
    voip.write_text(text[:text.index("baa:\n")] + text[text.index("encryption:\n"):], encoding="utf-8")
    failed = sh(sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never", cwd=repo)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^smlint\.+Failed$", failed.stdout, re.MULTILINE), failed.stdout
    errors = sorted(line for line in failed.stdout.splitlines() if "[error]" in line)
    assert [e.split(" [")[0] for e in errors] == [
        # no agreement recorded: SM301 and SM302 say so; SM409 (the policy's BAA promise) waits for the
        # vendor to record one way or the other, which its SM030 warning asks for
        "vendors/phone-voip.yaml:10:1: SM302",
        "vendors/phone-voip.yaml:12:1: SM301",
    ]
    assert "Could not resolve host" not in failed.stdout + failed.stderr
