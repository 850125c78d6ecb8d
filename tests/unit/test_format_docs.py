"""The output formats the docs name are the registered ones (`reporters.FORMATS`): a new output format that
is not described in docs/ci.md and README.md's command table fails here (docs/architecture.md, "Adding ...")."""

from __future__ import annotations

import re

from smlint.reporters import FORMATS
from tests.conftest import ROOT


def test_docs_ci_describes_every_output_format() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    table = text.split("| format | for | shape |")[1].split("\n\n")[0]
    assert re.findall(r"^\| `([a-z]+)` \|", table, re.MULTILINE) == list(FORMATS)


def test_readme_command_table_lists_every_output_format() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (listed,) = re.findall(r"`--format ((?:[a-z]+\\\|)+[a-z]+)`", text)
    assert listed.split("\\|") == list(FORMATS)
