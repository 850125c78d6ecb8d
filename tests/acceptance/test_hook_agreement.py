"""Every place that names the pre-commit hook spells it the same way: the published hook of
.pre-commit-hooks.yaml, either run locally (`repo: local`, `language: system`) or fetched from smlint's
one project address at the current version's tag."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smlint import PROJECT_URL, __version__
from smlint.scaffold import InitOptions, render_files
from tests.conftest import ROOT

FENCE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
PLACES = ["README.md", "docs/ci.md", "docs/getting-started.md"]


def published() -> dict[str, dict[str, Any]]:
    hooks = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def pre_commit_configs(text: str) -> list[dict[str, Any]]:
    """The YAML blocks of a document (or a whole file) that are pre-commit configurations, with any
    commented-out `- repo:` entries uncommented, so that alternatives shown in comments are checked too."""
    blocks = [m.group(1) for m in FENCE.finditer(text)] if "```" in text else [text]
    configs = []
    for block in blocks:
        if "repos:" not in block:
            continue
        uncommented = re.sub(r"^(\s*)# (\s*)(- repo:|rev:|hooks:|- id:)", r"\1\2\3", block, flags=re.MULTILINE)
        configs.append(YAML(typ="safe", pure=True).load(uncommented))
    return configs


def check_config(config: dict[str, Any]) -> int:
    hooks = published()
    seen = 0
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            assert hook["id"] in hooks
            if repo["repo"] == "local":
                # a `language: system` hook installs nothing, so it has no additional_dependencies
                expected = {k: v for k, v in hooks[hook["id"]].items()
                            if k not in ("description", "additional_dependencies")}
                assert hook == {**expected, "language": "system"}
            else:
                assert repo["repo"] == PROJECT_URL
                assert repo["rev"] == f"v{__version__}"
                assert set(hook) == {"id"}
            seen += 1
    return seen


@pytest.mark.parametrize("place", PLACES)
def test_docs_name_the_hook_as_published(place: str) -> None:
    configs = pre_commit_configs((ROOT / place).read_text(encoding="utf-8"))
    assert configs, place
    forms = {repo["repo"] == "local" for config in configs for repo in config["repos"]}
    assert forms == {True, False}, f"{place} shows both the local and the remote form"
    assert sum(check_config(config) for config in configs) >= 2


def test_the_scaffold_names_the_hook_as_published(tmp_path: Path) -> None:
    text = render_files(InitOptions(tmp_path))[".pre-commit-config.yaml"]
    local = YAML(typ="safe", pure=True).load(text)
    assert [repo["repo"] for repo in local["repos"]] == ["local"]
    # the commented remote form is the one the docs show
    remote = re.sub(r"^# {0,3}", "", "\n".join(line for line in text.splitlines() if line.startswith("#   ")),
                    flags=re.MULTILINE)
    assert check_config(YAML(typ="safe", pure=True).load(remote)) == 1
    assert check_config(local) == 1


def test_the_published_hooks_comment_uses_the_project_address() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"#   - repo: {PROJECT_URL}\n#     rev: v{__version__}\n" in text
    assert "<owner>" not in text
