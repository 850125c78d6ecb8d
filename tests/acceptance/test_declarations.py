"""A check declared in one place reaches everything that is derived from it.

In a temporary copy of the checkout, a throwaway check is added to one module of `checks/` (a decorated
function and its parameters dataclass, nothing else); `python -m smlint.generate --write` then writes it into
the rule schema and both checks tables, and a custom rule using it loads, is listed by `smlint rules`, runs,
and is refused with file, line and column when its parameters are wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.checkout_copy import copy_checkout, run_copy

pytestmark = pytest.mark.slow

THROWAWAY = '''

@record
class ShoutingParams:
    path: str = param(POINTER, "The heading that must not be written in capital letters.")
    shortest: int = param(integer(minimum=1), "Texts shorter than this are never judged.", 4)


@artifact_check("no_shouting", ShoutingParams, variables=["letters"])
def no_shouting(data: Any, params: ShoutingParams, ctx: Context) -> Iterator[Hit]:
    """The text at `path` must not be written in capital letters only.

    A throwaway check, declared for a test and nowhere else.
    """
    for pointer, value in resolve(data, params.path):
        if isinstance(value, str) and len(value) >= params.shortest and value.isupper():
            yield Hit(pointer, {"field": field_name(pointer), "letters": len(value)})
'''

RULE = """\
id: ACME101
name: policy-title-shouts
title: The policy's title is not written in capitals
severity: warning
kinds: [policy]
scope: artifact
tips: [5]
citations:
  other: ["Acme house style"]
rationale: Capitals read as shouting.
remediation: Write the title in sentence case.
check:
  type: no_shouting
  when: {path: /organisation, exists: true}
  path: /title
message: "the '{field}' is written in capitals ({letters} letters)"
examples:
  fail:
    - document: {kind: policy, organisation: Acme, title: OUR SOCIAL MEDIA POLICY}
  pass:
    - document: {kind: policy, organisation: Acme, title: Our social media policy}
    - document: {kind: policy, title: OUR SOCIAL MEDIA POLICY}
"""

POLICY = """\
kind: policy
organisation: Acme Counseling
title: SOCIAL MEDIA POLICY
"""


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_checkout(tmp_path_factory.mktemp("declarations"))
    module = root / "linter" / "smlint" / "checks" / "artifact.py"
    module.write_text(module.read_text(encoding="utf-8") + THROWAWAY, encoding="utf-8")
    done = run_copy(root, "-m", "smlint.generate", "--write")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["rewrote: schemas/rule.schema.json", "rewrote: docs/custom-rules.md",
                                        "rewrote: docs/architecture.md"]
    (root / "acme").mkdir()
    (root / "acme" / "acme101-policy-title-shouts.yaml").write_text(RULE, encoding="utf-8")
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return root


def test_the_copy_runs_its_own_package(checkout: Path) -> None:
    done = run_copy(checkout, "-c", "import smlint; print(smlint.__file__)")
    assert done.stdout.strip() == str(checkout / "linter" / "smlint" / "__init__.py")


def test_the_rule_schema_gets_the_check_and_its_parameters(checkout: Path) -> None:
    schema = json.loads((checkout / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
    check = schema["$defs"]["check"]
    assert "no_shouting" in check["properties"]["type"]["enum"]
    (branch,) = [b["then"] for b in check["allOf"] if b["if"]["properties"]["type"]["const"] == "no_shouting"]
    assert branch == {
        "properties": {
            "type": True,
            "when": {"$ref": "#/$defs/conditions",
                     "description": "Condition on the document: the check runs only when it holds."},
            "path": {"$ref": "#/$defs/pointer",
                     "description": "The heading that must not be written in capital letters."},
            "shortest": {"type": "integer", "minimum": 1, "description": "Texts shorter than this are never judged."},
        },
        "required": ["path"],
        "additionalProperties": False,
    }


def test_both_checks_tables_get_a_row(checkout: Path) -> None:
    rules_doc = (checkout / "docs" / "custom-rules.md").read_text(encoding="utf-8")
    assert ("| `no_shouting` | artifact | `when`, **`path`**, `shortest` | `{field}`, `{letters}` | "
            "The text at `path` must not be written in capital letters only. |") in rules_doc
    architecture = (checkout / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "| `no_shouting` | artifact | `checks.artifact.no_shouting` | `ShoutingParams` |  |" in architecture
    # and the regenerated files are current, as the drift test demands
    assert run_copy(checkout, "-m", "smlint.generate").stdout == "every generated file is current\n"


def test_smlint_rules_lists_a_custom_rule_using_it(checkout: Path) -> None:
    done = run_copy(checkout, "-m", "smlint", "rules", "--rules-dir", "acme", "--format", "json")
    assert done.returncode == 0, done.stderr
    (rule,) = [r for r in json.loads(done.stdout) if r["id"] == "ACME101"]
    assert (rule["check"], rule["builtin"], rule["scope"]) == ("no_shouting", False, "artifact")


def test_the_custom_rule_runs_its_examples_and_checks_files(checkout: Path) -> None:
    tested = run_copy(checkout, "-m", "smlint", "test-rules", "acme")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    done = run_copy(checkout, "-m", "smlint", "check", "policy.yaml", "--rules-dir", "acme", "--select", "ACME",
                    "--format", "concise")
    assert done.stdout == ("policy.yaml:3:1: ACME101 [warning] the 'title' is written in capitals (19 letters)\n"
                           "Found 1 finding(s) in 1 of 1 file(s) checked: 0 error(s), 1 warning(s), 0 info.\n")
    assert done.returncode == 0, done.stderr  # a warning does not fail the run


WHEN = "  when: {path: /organisation, exists: true}\n"
PATH = "  path: /title\n"


@pytest.mark.parametrize(("old", "new", "error"), [
    # the schema generated from the declaration: a parameter's kind, bounds and whether it is required
    (PATH, PATH + "  shortest: 0\n", "16:3: invalid rule: 'shortest' must be at least 1"),
    (PATH, "  path: [/title]\n", "15:3: invalid rule: 'path' should be text (put it in quotes)"),
    (PATH, "", "12:1: invalid rule: 'check' is missing the required field 'path'"),
    (PATH, PATH + "  colour: red\n", "16:3: invalid rule: 'colour' is not a field smlint knows in 'check'; check its "
                                      "spelling and indentation"),
    # reading the parameters: `when` compiled and its regular expressions vetted for RE2
    (WHEN, "  when: {path: /title, matches: '(?=x)'}\n", "14:24: regular expression rejected: RE2, smlint's "
                                                         "linear-time engine, cannot run it"),
    # the message may use only the variables the check declares
    ("({letters} letters)", "({words} words)", "16:1: message uses {words}, which this check does not provide "
                                               "(use {field}, {letters})"),
], ids=["bound", "type", "missing", "unknown-parameter", "regex", "variable"])
def test_a_bad_custom_rule_is_refused_with_file_line_and_column(checkout: Path, tmp_path: Path, old: str, new: str,
                                                                 error: str) -> None:
    assert old in RULE
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "acme101.yaml").write_text(RULE.replace(old, new), encoding="utf-8")
    done = run_copy(checkout, "-m", "smlint", "check", "policy.yaml", "--rules-dir", str(folder))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"smlint: error: {folder / 'acme101.yaml'}:{error}")
    assert done.stderr.count("\n") == 1  # one line, never a traceback
