"""When to colour terminal output, and the few ANSI styles the text reporter uses.

``--color always|never`` decides outright. With ``auto`` (the default): ``NO_COLOR`` set to any
non-empty value turns colour off, else ``FORCE_COLOR`` set to any non-empty value turns it on, else
colour is used only when the output is a terminal whose ``TERM`` is not ``dumb``.
"""

from __future__ import annotations

from collections.abc import Mapping

RESET = "\033[0m"
STYLES = {
    "bold": "\033[1m",
    "dim": "\033[2m",
    "red": "\033[31m",
    "yellow": "\033[33m",
    "blue": "\033[34m",
    "cyan": "\033[36m",
    "green": "\033[32m",
}


def should_color(choice: str, isatty: bool, environ: Mapping[str, str]) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return isatty and environ.get("TERM") != "dumb"


def paint(text: str, style: str, enabled: bool) -> str:
    return f"{STYLES[style]}{text}{RESET}" if enabled else text
