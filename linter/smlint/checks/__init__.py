"""The closed set of named checks that rule files can use, and how a rule's `check:` is read.

A rule file names one check (``check: {type: deadline, ...}``) and gives its parameters. Each check declares
itself where it is written (`smlint.checks.base`: name, scope, frozen parameters dataclass, message variables,
docstring); importing this package imports every module that declares checks, so `CHECKS` holds them all.
Adding a check is one decorated function (and its parameters dataclass) in one of these modules; the rule
schema's check branches and the checks table in the docs are generated from the declarations
(`python -m smlint.generate --write`; a test fails when they are stale).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smlint.checks import artifact, client_data, forms, repository, tool  # noqa: F401 (each declares its checks)
from smlint.checks.base import CheckSpec, Context, Hit, declared
from smlint.checks.conditions import Condition
from smlint.checks.params import ParamError, read_condition, read_params
from smlint.records import record

__all__ = ["CHECKS", "CheckSpec", "Context", "Hit", "LoadedCheck", "ParamError", "load_check", "parse_params"]

_SCOPE_ORDER = {"artifact": 0, "repository": 1, "tool": 2}

# by scope, then name: the order of the rule schema's branches and of the docs table
CHECKS: dict[str, CheckSpec] = dict(sorted(declared().items(), key=lambda item: (_SCOPE_ORDER[item[1].scope],
                                                                                 item[0])))


@record
class LoadedCheck:
    """A rule's `check:` read: the check's declaration, its typed parameters and the rule's `when`."""

    spec: CheckSpec
    params: Any
    when: Condition | None


def load_check(check: Mapping[str, Any], rule: Mapping[str, Any]) -> LoadedCheck:
    """A rule's `check:` mapping read into its check's parameters dataclass (`rule` gives the rule-level keys
    some checks read, such as `unknown`). `ParamError` (pointer relative to `check:`) when it cannot be read."""
    name = check.get("type")
    spec = CHECKS.get(name) if isinstance(name, str) else None
    if spec is None:
        raise ParamError("/type", f"unknown check type '{name}'")
    when = None
    if spec.scope == "artifact" and "when" in check:
        when = read_condition(check["when"], "/when")
    ignore = ("type", "when") if spec.scope == "artifact" else ("type",)
    return LoadedCheck(spec, read_params(spec.params, check, CHECKS, rule=rule, ignore=ignore), when)


def parse_params(check_type: str, params: Mapping[str, Any], **rule: Any) -> Any:
    """The typed parameters of `check_type` from a mapping as a rule file gives them (without `type`; with
    `when`, which is read and left to the caller), as a check receives them: for tests and tools that call a
    check directly. `rule` gives rule-level keys such as `unknown`. `ParamError` when they cannot be read."""
    return load_check({**params, "type": check_type}, rule).params
