"""smlint: a policy-as-code linter for social-work practices."""

from __future__ import annotations

__version__ = "0.1.0"
