"""The one error type that reaches the command-line boundary, where it becomes a message and exit 2."""

from __future__ import annotations


class SmlintError(Exception):
    """A usage, configuration or rule-definition problem. Exit code 2, one line, no traceback."""

    exit_code = 2


class RuleError(SmlintError):
    """A rule file that cannot be used, located at its file and line."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column


class ConfigError(SmlintError):
    """A configuration file that cannot be used, located at its file and line."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
