"""The `tool` check: rules that smlint itself reports (SM0xx), from a stage of its pipeline, not by a check
function: a file it cannot parse (SM000), a schema violation (SM001), a suppression problem (SM010-SM015),
a fact the rules need and the files do not record (SM030)..."""

from __future__ import annotations

from smlint.checks.base import tool_check
from smlint.checks.params import enum, param
from smlint.records import record

STAGES = ("parse", "limits", "schema", "suppression", "facts", "prose")


@record
class ToolParams:
    """The parameters of the `tool` check (a rule's `check:`)."""
    stage: str = param(enum(*STAGES), "The pipeline stage that reports this rule (SM0xx rules only).")


tool_check("tool", ToolParams, """A rule of smlint itself (SM0xx only), reported by the pipeline stage it names
(`stage`): parsing, limits, the schema, suppressions, facts not recorded, prose policies. No function
runs it and its message may use no variable.""")
