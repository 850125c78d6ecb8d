"""Each file is checked with the settings and the context of its own project, wherever smlint runs from.

A file's project is the nearest folder above it that holds a `.smlint.yaml`, `.smlint.yml`, `.git` or a
`pyproject.toml` with a `[tool.smlint]` table (`discovery.ProjectScopes`). Its settings are the nearest
configuration file at or above that folder (so they are the same whether smlint runs from the project, from
its parent or from `/`); `--config FILE` replaces them for every file. The files named on the command line
are grouped by project, and each group is one run of the pipeline in `app.py` with its project's settings;
the other artifacts of the project are loaded as context so that cross-artifact rules see them, while
findings are reported only for the files named. The groups' reports are merged into one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from smlint.config import Config, find_config, read_config
from smlint.discovery import ProjectScopes, Target, discover, display_path
from smlint.model import Finding, Report, Rule, Severity
from smlint.records import record


@record
class Project:
    """A project folder (None for files with no project folder above them) and the settings its files use."""

    root: Path | None
    config: Config


class Projects:
    """Resolves files and folders to their project and configuration; each folder and each configuration
    file is looked at once per run."""

    def __init__(self, cwd: Path, override: Config | None = None) -> None:
        self.cwd = cwd
        self.override = override
        self.scopes = ProjectScopes()
        self._configs: dict[str, Config] = {}
        self._projects: dict[str, Project] = {}  # by project folder: each is resolved once per run
        self._by_folder: dict[str, Project] = {}  # by a named file's folder, as its path gives it

    def of_folder(self, folder: Path | str) -> Project:
        key = self.scopes.of_folder(Path(folder).absolute())
        project = self._projects.get(key)
        if project is None:
            root = Path(key) if key else None
            project = self._projects[key] = Project(root, self._config_at(root))
        return project

    def of_file(self, file: Path) -> Project:
        return self.of_folder(Path(file).absolute().parent)

    def of_target(self, target: Target) -> Project:
        """`of_file` for a target, looked up once per folder (strings: this runs for every file named)."""
        folder, name = os.path.split(target.path)
        if name in ("", ".", ".."):  # not a file's name: `Path` reads the path otherwise
            return self.of_file(target.file)
        project = self._by_folder.get(folder)
        if project is None:
            project = self._by_folder[folder] = self.of_file(target.file)
        return project

    def _config_at(self, root: Path | None) -> Config:
        if self.override is not None:
            return self.override
        found = find_config(root) if root is not None else None
        if found is None:
            return Config(base=self.cwd.absolute())
        key = str(found)
        config = self._configs.get(key)
        if config is None:
            config = self._configs[key] = read_config(found, self.cwd)
        return config

    def excluded_folder(self, folder: Path | str) -> bool:
        """Whether the configuration in force for `folder` excludes it (walks do not enter it)."""
        config = self.of_folder(folder).config
        return bool(config.exclude) and config.excluded(folder)


def group_targets(targets: Iterable[Target], projects: Projects) -> list[tuple[Project, list[Target]]]:
    """The targets grouped by project, in the order of the project folders (files with no project first)."""
    groups: dict[str, tuple[Project, list[Target]]] = {}
    for target in targets:
        project = projects.of_target(target)
        key = str(project.root) if project.root is not None else ""
        groups.setdefault(key, (project, []))[1].append(target)
    return [groups[key] for key in sorted(groups)]


def context_targets(project: Project, checked: Sequence[Target], projects: Projects, cwd: Path,
                    configure: Callable[[list[Target]], list[Target]]) -> list[Target]:
    """The project's other artifacts (not those of projects nested in it), for the cross-artifact rules;
    `configure` applies the project's `exclude` and `kinds`. None for files outside any project."""
    root = project.root
    if root is None:
        return []
    names = {name for t in checked for name in (os.path.abspath(t.path), os.path.realpath(t.path))}  # noqa: PTH100
    top = str(root)
    config = project.config
    # strings, not Path objects: this runs for every file and folder of the project
    normal = os.path.isabs(top) and os.path.normpath(top) == top  # noqa: PTH117 - then a walked path is its abspath

    def prune(folder: str) -> bool:  # a nested project's folder, or one the project's `exclude` drops
        return projects.scopes.of_folder(folder) != top or (bool(config.exclude) and config.excluded(folder))

    walked = discover([top], cwd, prune, projects.scopes.learn)
    others = [t for t in walked if (t.path if normal else os.path.abspath(t.path)) not in names]  # noqa: PTH100
    return configure(others)


def rules_dirs(config: Config, extra: Sequence[Path], cwd: Path) -> tuple[Path, ...]:
    """The configuration's rules folders, then the command line's, each once, as shown to users."""
    unique: dict[Path, Path] = {}
    for directory in (*config.rules_dirs, *extra):
        unique.setdefault(Path(directory).resolve(), Path(display_path(Path(directory), cwd)))
    return tuple(unique.values())


def fail_threshold(cli: Severity | None, config: Config) -> Severity:
    """`--fail-on`, else the project's `fail_on`, else error."""
    return cli or config.fail_on or Severity.ERROR


def merge_reports(reports: Sequence[Report]) -> Report:
    """One report from the reports of several projects' runs (the same report when there is one)."""
    if len(reports) == 1:
        return reports[0]
    rules: dict[str, Rule] = {}
    for report in reports:
        for rule in report.rules:
            rules.setdefault(rule.id, rule)
    first = reports[0]
    return replace(
        first,
        findings=tuple(sorted((f for r in reports for f in r.findings), key=Finding.sort_key)),
        files_checked=sum(r.files_checked for r in reports),
        rules=tuple(rules.values()),
        suppressed=tuple(s for r in reports for s in r.suppressed),
        files=tuple(sorted((f for r in reports for f in r.files), key=lambda f: f.path)),
        artifacts=tuple(sorted((a for r in reports for a in r.artifacts), key=lambda a: (a.path, a.kind, a.name))),
        deadlines=tuple(sorted((d for r in reports for d in r.deadlines), key=lambda d: (d.due, d.path, d.line,
                                                                                        d.rule))),
    )
