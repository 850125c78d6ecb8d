"""The one error type that reaches the command-line boundary, where it becomes a message and exit 2."""

from __future__ import annotations


class SmlintError(Exception):
    """A usage, configuration or rule-definition problem. Exit code 2, one line, no traceback."""

    exit_code = 2


class LocatedError(SmlintError):
    """A problem in a file smlint reads for itself, located at its file, line and column."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        from smlint.redact import scrub  # a message may quote the file's text: it passes the boundary

        message = scrub(message)
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column


class RuleError(LocatedError):
    """A rule file that cannot be used."""


class ConfigError(LocatedError):
    """A configuration, waivers or baseline file that cannot be used."""
