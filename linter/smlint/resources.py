"""Where the shipped schemas and rules live: inside the installed package, or at the checkout's top level."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """The folder holding ``schemas`` or ``rules``.

    A wheel installs them as package data (``smlint/schemas``, ``smlint/rules``); an editable install
    leaves them at the top of the checkout, beside the ``linter`` folder that holds ``linter/smlint``.
    """
    package = Path(__file__).resolve().parent  # importlib.resources would cost more to import than it saves
    for candidate in (package / name, package.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"smlint is installed without its {name}/ folder")
