"""How a rule's citations are labelled wherever they are shown (`smlint explain`, docs/rules.md, the HTML and
SARIF reports). A leaf module, so that reporters need not import the CLI's rule documentation (`ruledoc`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CITATION_LABELS = {
    "nasw_code": "NASW Code of Ethics (2017)",
    "tech_standards": "NASW/ASWB/CSWE/CSWA Technology Standards (2017)",
    "hipaa": "HIPAA, 45 CFR",
    "other": "Also",
}


def citation_label(key: str) -> str:
    """The label of a citation group (`nasw_code`, `hipaa`, ...); an unknown group is shown by its key."""
    return CITATION_LABELS.get(key, key)


def citation_lines(citations: Mapping[str, Iterable[str]]) -> list[str]:
    """One line per citation group: its label, then the sections cited."""
    return [f"{citation_label(k)}: {', '.join(v)}" for k, v in citations.items()]
