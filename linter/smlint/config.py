"""Finds, reads and validates configuration: `.smlint.yaml`, or `[tool.smlint]` in `pyproject.toml`.

The search starts in the working folder and goes up to the filesystem root; the first folder with a
`.smlint.yaml` (or `.smlint.yml`), or a `pyproject.toml` holding a `[tool.smlint]` table, wins.
`--config FILE` names the file instead. Relative paths and globs in a configuration are relative to
the folder that holds it. Every problem is a `ConfigError` naming the file and line (exit 2).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from smlint.document import Document, child
from smlint.errors import ConfigError
from smlint.formats.fhir import unknown_concepts
from smlint.formats.fhirsettings import FhirSettings
from smlint.loader import DEFAULT_LIMITS, Limits, load_file
from smlint.model import Severity
from smlint.profile import Profile
from smlint.records import record
from smlint.redact import scrub
from smlint.schema import validate

YAML_NAMES = (".smlint.yaml", ".smlint.yml")
PYPROJECT = "pyproject.toml"
KEYS = ("select", "extend_select", "ignore", "severity", "kinds", "exclude", "per_file_ignores", "rules_dirs",
        "fail_on", "waivers", "baseline", "limits", "fhir",
        "laws", "profile")


@record
class Config:
    """The settings of one configuration file (all empty when there is none)."""

    file: Path | None = None
    display: str = ""
    base: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    kinds: tuple[tuple[str, str], ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rules_dirs: tuple[Path, ...] = ()
    fail_on: Severity | None = None
    waivers: Path | None = None
    baseline: Path | None = None
    limits: Limits = DEFAULT_LIMITS
    fhir: FhirSettings = field(default_factory=FhirSettings)
    laws: tuple[str, ...] = ()
    profile: Profile = field(default_factory=Profile)  # what the agency is (smlint.profile)
    given: tuple[str, ...] = ()
    locations: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def error(self, pointer: str, message: str) -> ConfigError:
        """A located error about the setting at `pointer` (e.g. ``/ignore/2``)."""
        line, column = self.locate(pointer)
        return ConfigError(self.display or "configuration", line, column, message)

    def locate(self, pointer: str) -> tuple[int, int]:
        return _nearest(self.locations, pointer)

    def relative(self, file: Path | str) -> str:
        """`file` as a path relative to the configuration's folder, for matching globs."""
        return relative_posix(file, self.base)

    def kind_for(self, file: Path | str) -> str | None:
        rel = self.relative(file)
        return next((kind for pattern, kind in self.kinds if glob_match(pattern, rel)), None)

    def excluded(self, file: Path | str) -> bool:
        rel = self.relative(file)
        return any(glob_match(pattern, rel) for pattern in self.exclude)

    def ignored_in(self, file: Path | str) -> list[tuple[int, str]]:
        """(index, selector) of every per-file ignore whose glob matches `file`."""
        rel = self.relative(file)
        return [(i, selector) for i, (pattern, selectors) in enumerate(self.per_file_ignores)
                if glob_match(pattern, rel) for selector in selectors]


def relative_posix(file: Path | str, base: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).absolute(), Path(base).absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(file).absolute().as_posix()


def glob_match(pattern: str, rel: str) -> bool:
    """A glob against a relative path: the whole path, a folder and everything below it (``archive/``),
    or, for a pattern without ``/``, any file name (``*.draft.yaml``)."""
    pattern = pattern.removeprefix("./")
    folder = pattern.rstrip("/")
    if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, folder + "/*"):
        return True
    return "/" not in folder and any(fnmatch.fnmatchcase(part, folder) for part in rel.split("/"))


# -- finding the file -------------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from `start` upwards, or None."""
    folder = Path(start).absolute()
    for candidate in (folder, *folder.parents):
        for name in YAML_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and has_tool_table(pyproject):
            return pyproject
    return None


def has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*smlint\s*[\].]", text, re.MULTILINE) is not None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """The configuration in force for a run from `start`: `explicit`, else the nearest file, else none."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(str(explicit), 1, 1, "configuration file not found")
        return read_config(explicit, start)
    found = find_config(start)
    return read_config(found, start) if found is not None else Config(base=Path(start).absolute())


def read_config(path: Path, cwd: Path) -> Config:
    display = _display(path, cwd)
    if path.suffix == ".toml":
        data, locations = _read_toml(path, display)
    else:
        data, locations = _read_yaml(path, display)
    return build(data, path, display, locations)


def _display(path: Path, cwd: Path) -> str:
    rel = relative_posix(path, cwd)
    return Path(path).absolute().as_posix() if rel.startswith("..") else rel


def read_document(path: Path, display: str) -> Document | None:
    """The one YAML or JSON document of a settings file (None when empty); problems are `ConfigError`s."""
    result = load_file(path, display)
    if result.problems:
        problem = result.problems[0]
        raise ConfigError(display, problem.span.line, problem.span.column, problem.message)
    if len(result.documents) > 1:
        raise ConfigError(display, 1, 1, "the file must hold a single document (no '---' separators)")
    return result.documents[0] if result.documents and result.documents[0].data is not None else None


def _read_yaml(path: Path, display: str) -> tuple[Any, dict[str, tuple[int, int]]]:
    doc = read_document(path, display)
    if doc is None:
        return {}, {}
    locations = {pointer: ((pos.key or pos.value).line, (pos.key or pos.value).column)
                 for pointer, pos in doc.positions.items()}
    return doc.data, locations


def _toml_module() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover - Python 3.10 only

    return tomli  # pragma: no cover


def _read_toml(path: Path, display: str) -> tuple[Any, dict[str, tuple[int, int]]]:
    toml = _toml_module()
    try:
        text = path.read_text(encoding="utf-8")
        document = toml.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(display, 1, 1, "the file is not UTF-8 text") from None
    except toml.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(match[1]), int(match[2])) if match else (max(1, len(text.splitlines())), 1)
        raise ConfigError(display, line, column, f"TOML syntax error: {str(exc).split(' (at line')[0]}") from None
    tool = document.get("tool", {}) if isinstance(document.get("tool"), dict) else {}
    if "smlint" in tool:
        data = tool["smlint"]
    elif path.name == PYPROJECT:
        raise ConfigError(display, 1, 1, "there is no [tool.smlint] table in this file")
    else:
        data = document
    return data, _toml_locations(text, data)


def _toml_locations(text: str, data: Any) -> dict[str, tuple[int, int]]:
    """Approximate lines for a TOML table's keys: the line where each top-level key or sub-table is written."""
    lines = text.split("\n")
    header = next((i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\s*\.\s*smlint\s*\]", line)), None)
    start = header if header is not None else 0
    locations = {"": (start + 1, 1)}
    if not isinstance(data, dict):
        return locations
    for key in data:
        pattern = re.compile(rf"^\s*(\[\s*tool\s*\.\s*smlint\s*\.\s*)?[\"']?{re.escape(key)}[\"']?\s*(=|\])")
        for number in range(start, len(lines)):
            if pattern.match(lines[number]):
                locations[child("", key)] = (number + 1, 1)
                break
    return locations


# -- validating and building --------------------------------------------------------------------------


def _normalise(data: Mapping[str, Any], path: str, locations: dict[str, tuple[int, int]],
               under: str = "") -> dict[str, Any]:
    """Keys (top-level, or of the mapping at `under`) with '-' spelt '_'; both spellings of one key at once
    is an error."""
    result: dict[str, Any] = {}
    original = dict(locations)
    for key, value in data.items():
        name = key.replace("-", "_") if isinstance(key, str) else key
        if name in result:
            line, column = original.get(child(under, key), (1, 1))
            raise ConfigError(path, line, column, f"'{key}' is given twice (once as '{name}')")
        if name != key:
            for pointer in [p for p in locations if p == child(under, key) or p.startswith(child(under, key) + "/")]:
                locations[child(under, name) + pointer[len(child(under, key)):]] = locations[pointer]
        result[name] = value
    return result


def build(raw: Any, file: Path, display: str, locations: dict[str, tuple[int, int]]) -> Config:
    if not isinstance(raw, dict):
        line, column = locations.get("", (1, 1))
        raise ConfigError(display, line, column, "the configuration must be a mapping of settings")
    data = _normalise(raw, display, locations)
    if isinstance(data.get("profile"), dict):  # `profile: {covered-entity: false}` as well as covered_entity
        data["profile"] = _normalise(data["profile"], display, locations, "/profile")
    violations = validate("config", data)
    if violations:
        first = violations[0]
        line, column = _nearest(locations, first.pointer)
        raise ConfigError(display, line, column, first.message)
    base = Path(file).absolute().parent
    config = Config(file=Path(file), display=display, base=base, given=tuple(k for k in KEYS if k in data),
                    locations=locations)
    return _with_values(config, data)


def _nearest(locations: Mapping[str, tuple[int, int]], pointer: str) -> tuple[int, int]:
    current = pointer
    while current not in locations and current:
        current = current[: current.rfind("/")]
    return locations.get(current, (1, 1))


def _with_values(config: Config, data: Mapping[str, Any]) -> Config:
    base = config.base
    limits = data.get("limits", {})
    rules_dirs = tuple(base / d for d in data.get("rules_dirs", ()))
    for index, directory in enumerate(rules_dirs):
        if not directory.is_dir():
            raise config.error(f"/rules_dirs/{index}", "this rules folder does not exist")
    fhir = FhirSettings.from_data(data.get("fhir"), str(base))
    _check_link_ids(config, fhir.link_ids)
    return replace(
        config,
        select=tuple(data["select"]) if "select" in data else None,
        extend_select=tuple(data.get("extend_select", ())),
        ignore=tuple(data.get("ignore", ())),
        severity={key: Severity.parse(value) for key, value in data.get("severity", {}).items()},
        kinds=tuple(data.get("kinds", {}).items()),
        exclude=tuple(data.get("exclude", ())),
        per_file_ignores=tuple((glob, tuple(sel)) for glob, sel in data.get("per_file_ignores", {}).items()),
        rules_dirs=rules_dirs,
        fail_on=Severity.parse(data["fail_on"]) if "fail_on" in data else None,
        waivers=base / data["waivers"] if "waivers" in data else None,
        baseline=base / data["baseline"] if "baseline" in data else None,
        limits=Limits(max_bytes=limits.get("max_file_bytes", DEFAULT_LIMITS.max_bytes),
                      max_depth=limits.get("max_depth", DEFAULT_LIMITS.max_depth),
                      max_nodes=limits.get("max_nodes", DEFAULT_LIMITS.max_nodes),
                      max_value_chars=limits.get("max_value_chars", DEFAULT_LIMITS.max_value_chars)),
        fhir=fhir,
        laws=tuple(data.get("laws", ())),
        profile=Profile.from_data(data.get("profile", ())),
    )


def _check_link_ids(config: Config, link_ids: Mapping[str, Any]) -> None:
    """Each linkId must map to a concept smlint knows (docs/formats.md lists them)."""
    if not link_ids:
        return
    unknown = unknown_concepts(link_ids)
    if unknown:
        raise config.error(child("/fhir/link_ids", unknown[0]),
                           f"linkId '{unknown[0]}' maps to a concept smlint does not know; "
                           "docs/formats.md lists the concepts")


# -- showing -----------------------------------------------------------------------------------------


def effective(config: Config) -> dict[str, Any]:
    """Every setting with its value in force (defaults filled in), as plain data."""
    limits = config.limits
    return {
        "select": list(config.select) if config.select is not None else ["ALL"],
        "extend_select": list(config.extend_select),
        "ignore": list(config.ignore),
        "severity": {k: v.label for k, v in config.severity.items()},
        "kinds": dict(config.kinds),
        "exclude": list(config.exclude),
        "per_file_ignores": {glob: list(sel) for glob, sel in config.per_file_ignores},
        "rules_dirs": [relative_posix(d, Path.cwd()) for d in config.rules_dirs],
        "fail_on": (config.fail_on or Severity.ERROR).label,
        "waivers": relative_posix(config.waivers, Path.cwd()) if config.waivers else None,
        "baseline": relative_posix(config.baseline, Path.cwd()) if config.baseline else None,
        "limits": {"max_file_bytes": limits.max_bytes, "max_depth": limits.max_depth, "max_nodes": limits.max_nodes,
                   "max_value_chars": limits.max_value_chars},
        "fhir": config.fhir.as_data(),
        "laws": list(config.laws),
        "profile": config.profile.as_data(),
    }


def show(config: Config, project: Path | None = None, cwd: Path | None = None, overridden: bool = False) -> str:
    """The effective configuration as YAML, each setting followed by where its value came from; with
    `project`, first the project folder the settings apply to."""
    if config.file:
        header = f"# configuration: {config.display}" + (" (--config)" if overridden else "")
    else:
        header = "# configuration: none found (defaults)"
    lines = [header]
    if project is not None or cwd is not None:
        where = relative_posix(project, cwd or Path.cwd()) if project is not None else "none"
        lines.append(f"# project: {where}")
    for key, value in effective(config).items():
        if key in config.given:
            line, _ = config.locate(child("", key))
            origin = f"{config.display}:{line}"
        else:
            origin = "default"
        lines.append(f"{key}: {json.dumps(_scrubbed(value), ensure_ascii=False)}  # {origin}")
    return "\n".join(lines) + "\n"


def _scrubbed(value: Any) -> Any:
    """A setting as `config --show` prints it: every text (globs, paths, map keys) through the redaction
    boundary (`redact.scrub`)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub(str(k)): _scrubbed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrubbed(v) for v in value]
    return value
