"""Loads rule files (built-in and custom) into a `RuleSet`.

A rule file holds one rule, or a family under ``rules:``. Custom rules are validated against
``schemas/rule.schema.json``; built-in ones are validated by the test suite, which keeps start-up
fast. Both get the semantic checks the schema cannot express: a known check of the right scope, its
parameters read into the check's declared dataclass (`smlint.checks.load_check`: regular expressions vetted
for RE2, conditions compiled once), message placeholders the check provides, and no duplicate ids or names.
Any problem is a `RuleError` naming the file, line and column (exit 2).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from smlint import laws
from smlint.checks import LoadedCheck, ParamError, load_check
from smlint.clausedirs import family_files
from smlint.document import Document, Positions, child
from smlint.errors import RuleError
from smlint.loader import load_file
from smlint.model import Example, Rule, Severity
from smlint.records import record
from smlint.rulecache import builtin_rule_files, builtin_rules_dir, plain_data, read_index, rule_files
from smlint.schema import validate

__all__ = ["RuleSet", "builtin_rule_files", "builtin_rules_dir", "load_dir", "load_rule_file", "load_ruleset",
           "plain_data", "rule_files"]

TOOL_PREFIX = "SM0"


@record
class RuleSet:
    rules: tuple[Rule, ...]
    _index: Mapping[str, Rule] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleSet:
        ordered = tuple(sorted(rules, key=lambda r: r.id))
        index = {key: rule for rule in ordered for key in (rule.id, rule.id.lower(), rule.name)}
        return cls(ordered, index)

    def get(self, id_or_name: str) -> Rule | None:
        return self._index.get(id_or_name) or self._index.get(id_or_name.lower())

    def __iter__(self) -> Any:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


def load_ruleset(custom_dirs: Sequence[Path] = (), *, include_builtin: bool = True,
                 validate_builtin: bool = False) -> RuleSet:
    rules: list[Rule] = []
    if include_builtin:
        rules.extend(load_dir(builtin_rules_dir(), builtin=True, validate=validate_builtin))
    for directory in custom_dirs:
        if not directory.is_dir():
            raise RuleError(str(directory), 1, 1, "rules directory does not exist")
        rules.extend(load_dir(directory, builtin=False, validate=True))
    _reject_duplicates(rules)
    _check_clause_families(custom_dirs)
    return RuleSet.of(rules)


def _check_clause_families(custom_dirs: Sequence[Path]) -> None:
    """An agency's clause families (`clauses/` beside its rules) are validated with its rules, whether or
    not the run reads a prose policy: a broken one is a `RuleError` naming its file and line (exit 2)."""
    files = family_files(custom_dirs)
    if files:
        from smlint.clauses import agency_catalogue

        agency_catalogue(files)


def load_dir(directory: Path, *, builtin: bool, validate: bool) -> list[Rule]:
    files = rule_files(directory)
    if builtin and not validate:
        indexed = _indexed_builtin(files)
        if indexed is not None:
            return indexed
    return [rule for path in files for rule in load_rule_file(path, builtin=builtin, validate=validate)]


def _indexed_builtin(files: Sequence[Path]) -> list[Rule] | None:
    """Built-in rules from the shipped index (`rulecache`); None to parse the YAML instead, which also
    locates any problem exactly (indexed data has no positions)."""
    data = read_index(files)
    if data is None:
        return None
    try:
        return [rule for path, item in zip(files, data, strict=True)
                for rule in _rules_of(Document(str(path), None, item, Positions()), builtin=True)]
    except Exception:
        return None


def load_rule_file(path: Path, *, builtin: bool = False, validate: bool = True) -> list[Rule]:
    display = str(path)
    result = load_file(path, display)
    if result.problems:
        problem = result.problems[0]
        raise RuleError(display, problem.span.line, problem.span.column, problem.message)
    if len(result.documents) != 1:
        raise RuleError(display, 1, 1, "a rule file must hold exactly one YAML document")
    doc = result.documents[0]
    if validate:
        _validate_schema(doc)
    return _rules_of(doc, builtin)


def _rules_of(doc: Document, builtin: bool) -> list[Rule]:
    if isinstance(doc.data, dict) and "rules" in doc.data:
        entries = [(child("/rules", i), entry) for i, entry in enumerate(doc.data["rules"])]
    else:
        entries = [("", doc.data)]
    return [_build(doc, pointer, entry, builtin) for pointer, entry in entries]


def _validate_schema(doc: Document) -> None:
    violations = validate("rule", doc.data)
    if violations:
        first = violations[0]
        span, _ = doc.locate(first.pointer)
        raise RuleError(doc.path, span.line, span.column, f"invalid rule: {first.message}")


def _fail(doc: Document, pointer: str, message: str) -> RuleError:
    span, _ = doc.locate(pointer)
    return RuleError(doc.path, span.line, span.column, message)


def _build(doc: Document, pointer: str, entry: Mapping[str, Any], builtin: bool) -> Rule:
    check = entry["check"]
    rule_id = entry["id"]
    loaded = _load_check(doc, pointer, entry)
    spec = loaded.spec
    check_type = spec.name
    if spec.scope == "tool":
        if not rule_id.startswith(TOOL_PREFIX):
            raise _fail(doc, child(pointer, "check"), f"only SM0xx rules may use the {check_type} check")
    else:
        if spec.scope != entry["scope"]:
            raise _fail(doc, child(pointer, "scope"),
                        f"check '{check_type}' works at {spec.scope} scope, but the rule says {entry['scope']}")
        _check_messages(doc, pointer, entry, spec.variables, spec.variants)
    if "unknown" in entry and not spec.judges_facts:
        raise _fail(doc, child(pointer, "unknown"),
                    f"check '{check_type}' reads no fact that can be left unrecorded, so 'unknown' does not apply")
    examples = entry["examples"]
    laws = _laws(doc, pointer, entry)
    return Rule(
        id=rule_id,
        name=entry["name"],
        title=entry["title"],
        problem=entry.get("problem", ""),
        severity=Severity.parse(entry["severity"]),
        kinds=tuple(entry["kinds"]),
        scope=entry["scope"],
        tips=tuple(entry["tips"]),
        citations={k: tuple(v) for k, v in entry["citations"].items()},
        rationale=" ".join(entry["rationale"].split()),
        remediation=" ".join(entry["remediation"].split()),
        # built-in rules are documented in docs/rules.md; a custom rule has a link only if it gives one
        help_uri=entry.get("help_uri") or (f"docs/rules.md#{rule_id.lower()}-{entry['name']}" if builtin else ""),
        check=check,
        message=entry["message"],
        messages=dict(entry.get("messages", {})),
        pass_examples=tuple(_example(e) for e in examples["pass"]),
        fail_examples=tuple(_example(e) for e in examples["fail"]),
        source=doc.path,
        builtin=builtin,
        laws=laws,
        profile=tuple(entry.get("profile", ())),
        params=loaded.params,
        when=loaded.when,
        unknown=entry.get("unknown", "report") if spec.judges_facts else "n/a",
    )


def _load_check(doc: Document, pointer: str, entry: Mapping[str, Any]) -> LoadedCheck:
    """The rule's `check:` read into its check's parameters; a problem at the exact place it is written."""
    try:
        return load_check(entry["check"], entry)
    except ParamError as exc:
        raise _fail(doc, child(pointer, "check") + exc.pointer, exc.message) from None


def _laws(doc: Document, pointer: str, entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The laws the rule names (each must be in rules/laws.json), else those its citations imply."""
    named = entry.get("laws")
    if not named:
        return laws.implied(entry["citations"])
    for index, law_id in enumerate(named):
        if laws.get(law_id) is None:
            raise _fail(doc, child(child(pointer, "laws"), str(index)),
                        f"unknown law '{law_id}'; `smlint laws` lists the laws smlint knows")
    return tuple(law_id.lower() for law_id in named)


def _example(entry: Mapping[str, Any]) -> Example:
    documents = entry.get("documents") or ([entry["document"]] if "document" in entry else [])
    return Example(documents=tuple(documents), source=entry.get("source"), today=entry.get("today"),
                   note=entry.get("note", ""), filename=entry.get("filename", "example.yaml"))


def _placeholders(template: str) -> list[str]:
    """The names a message template uses. Plain ``{name}`` only: a conversion or format spec
    (``{field!r}``, ``{field:>999999999}``) is refused, so that a message can neither call ``repr`` on
    anything nor allocate without bound."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(f"{{{name}}} may not carry a conversion or format (write it as {{{name}}})")
        names.append(name)
    return names


def _check_messages(doc: Document, pointer: str, entry: Mapping[str, Any], variables: frozenset[str],
                    variants: frozenset[str]) -> None:
    templates = {"message": entry["message"]}
    for variant, template in entry.get("messages", {}).items():
        if variant not in variants:
            known = ", ".join(sorted(variants)) or "none"
            raise _fail(doc, child(child(pointer, "messages"), variant),
                        f"this check has no '{variant}' outcome (it has: {known})")
        templates[f"messages/{variant}"] = template
    for where, template in templates.items():
        try:
            names = _placeholders(template)
        except ValueError as exc:
            raise _fail(doc, pointer + "/" + where, f"message template is malformed: {exc}") from None
        for name in names:
            if name not in variables:
                allowed = ", ".join("{" + v + "}" for v in sorted(variables))
                raise _fail(doc, pointer + "/" + where,
                            f"message uses {{{name}}}, which this check does not provide (use {allowed})")


def _reject_duplicates(rules: Sequence[Rule]) -> None:
    seen: dict[str, Rule] = {}
    for rule in rules:
        for key in (rule.id, rule.name):
            if key in seen:
                other = seen[key]
                raise RuleError(rule.source, 1, 1, f"rule {key} is already defined in {other.source}")
            seen[key] = rule
