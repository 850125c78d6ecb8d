"""The ids of smlint's own rules (rules/sm0*.yaml, check `type: tool`) that code raises by id.

A leaf module: the loader, the formats, the engine, the gate and the reporters all name these rules, and none
of them should import another just for a constant.
"""

from __future__ import annotations

PARSE_RULE = "SM000"  # the file cannot be read (syntax, encoding)
SCHEMA_RULE = "SM001"  # a document breaks its kind's schema
LIMIT_RULE = "SM002"  # the file is past a size or depth limit
SHAPE_RULE = "SM003"  # a document smlint cannot tell the kind of (it still must hold no client data)

# suppressions that cannot be used (smlint.gate, smlint.suppress)
NO_REASON = "SM010"
EXPIRED = "SM011"
UNKNOWN_SUPPRESSED_RULE = "SM012"
UNUSED = "SM013"
MALFORMED = "SM014"
CLIENT_DATA = "SM015"

PLACEHOLDER_RULE = "SM020"  # a `<FILL IN: ...>` marker still in a file
UNKNOWN_RULE = "SM030"  # facts the rules needed and the files do not record (smlint.unknowns)
CONFLICT_RULE = "SM031"  # a vendor file and its export record a fact differently
# the prose rules SM040-SM043 are raised by smlint.clauses, which names them

