"""Finding and reading configuration (linter/smlint/config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smlint.config import find_config, glob_match, load_config, show
from smlint.errors import ConfigError
from smlint.model import Severity


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("vendors/*.yaml", "vendors/zoom.yaml", True),
    ("vendors/*.yaml", "intake/zoom.yaml", False),
    ("vendors/", "vendors/old/zoom.yaml", True),
    ("vendors", "vendors/zoom.yaml", True),
    ("./vendors/zoom.yaml", "vendors/zoom.yaml", True),
    ("*.draft.yaml", "policies/p.draft.yaml", True),
    ("archive", "policies/archive/p.yaml", True),
    ("archive", "policies/archived.yaml", False),
    ("legacy/*.json", "legacy/a.yaml", False),
])
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_search_goes_upwards_and_skips_pyproject_without_a_tool_table(tmp_path: Path) -> None:
    (tmp_path / ".smlint.yaml").write_text("ignore: [SM3]\n", encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", encoding="utf-8")
    assert find_config(inner) == tmp_path / ".smlint.yaml"
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.smlint]\nfail_on = 'info'\n", encoding="utf-8")
    assert find_config(inner) == tmp_path / "a" / "pyproject.toml"
    config = load_config(inner)
    assert (config.fail_on, config.base) == (Severity.INFO, tmp_path / "a")


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "agency-rules").mkdir()
    (tmp_path / ".smlint.yaml").write_text("rules_dirs: [agency-rules]\nbaseline: b.json\nwaivers: w.yaml\n"
                                           "limits: {max_depth: 20}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    config = load_config(tmp_path / "sub")
    assert config.rules_dirs == (tmp_path / "agency-rules",)
    assert (config.baseline, config.waivers) == (tmp_path / "b.json", tmp_path / "w.yaml")
    assert (config.limits.max_depth, config.limits.max_nodes) == (20, 250_000)


def test_no_config_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.file is None
    assert show(config).splitlines()[0] == "# configuration: none found (defaults)"


def test_an_empty_config_file_is_valid(tmp_path: Path) -> None:
    (tmp_path / ".smlint.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_config(tmp_path).given == ()


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path, tmp_path / "nope.yaml")


def test_walks_do_not_enter_excluded_folders(tmp_path: Path) -> None:
    from smlint.discovery import discover

    for folder in ("keep", "archive/2019/deep", "docs/archive", "docs/current"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.yaml").write_text("kind: vendor\n", encoding="utf-8")
    (tmp_path / ".smlint.yaml").write_text("exclude: [archive/]\n", encoding="utf-8")
    config = load_config(tmp_path / ".smlint.yaml")
    asked: list[str] = []

    def prune(folder: str) -> bool:
        asked.append(Path(folder).relative_to(tmp_path).as_posix())
        return config.excluded(folder)

    found = [t.file.relative_to(tmp_path).as_posix() for t in discover([str(tmp_path)], tmp_path, prune)]
    assert found == ["docs/current/a.yaml", "keep/a.yaml"]
    assert sorted(asked) == ["archive", "docs", "docs/archive", "docs/current", "keep"]  # never inside archive/
    # every file below a pruned folder is one the exclude globs drop anyway
    assert all(config.excluded(tmp_path / f) for f in ("archive/2019/deep/a.yaml", "docs/archive/a.yaml"))
