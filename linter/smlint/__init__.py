"""smlint: a policy-as-code linter for social-work practices."""

from __future__ import annotations

__version__ = "0.1.0"

# Where smlint's source and documentation are published: used for SARIF help links, the pre-commit hook
# and the CI templates that `smlint init` writes. Keep in step with [project.urls] in pyproject.toml.
PROJECT_URL = "https://github.com/smlint/smlint"
