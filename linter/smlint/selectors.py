"""Rule selectors (`--select`, `--ignore`, and the configuration's rule lists): ids, prefixes or names.

`SM301` is one rule, `SM3` every rule whose id starts with it, `vendor-client-data-without-baa` a rule
by name, `ALL` every rule, and a law's id (`hipaa-2025-proposed`, see `smlint laws`) every rule relying on
that law; selecting a proposed law's id also switches its rules on, as `--law` does, and selecting a vacated
or superseded law's id is an error. Matching ignores case. An unknown selector is an error, never a no-op,
so that a typo cannot silently switch a safeguard off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smlint import laws
from smlint.config import Config
from smlint.document import child
from smlint.errors import SmlintError
from smlint.findings import Selection
from smlint.model import Finding, Rule, Severity
from smlint.records import record
from smlint.redact import scrub
from smlint.registry import RuleSet

Fail = Callable[[int, str], SmlintError]


def match(ruleset: RuleSet, selector: str) -> list[Rule]:
    """The rules a selector stands for; empty when it matches none."""
    text = selector.strip()
    if text.upper() == "ALL":
        return list(ruleset.rules)
    exact = ruleset.get(text)
    if exact is not None:
        return [exact]
    upper = text.upper()
    by_prefix = [rule for rule in ruleset.rules if rule.id.upper().startswith(upper)] if upper else []
    if by_prefix:
        return by_prefix
    return _by_law(ruleset, text)


def _by_law(ruleset: RuleSet, selector: str) -> list[Rule]:
    """The rules relying on the law whose id `selector` is; empty when it is no law's id."""
    law = laws.get(selector)
    return [] if law is None else [rule for rule in ruleset.rules if law.id in rule.laws]


def _is_law(selector: str) -> bool:
    return laws.get(selector) is not None


def law_selectors(ruleset: RuleSet, selectors: Sequence[str]) -> tuple[str, ...]:
    """The selectors that name a law rather than a rule id, prefix or name (`--select hipaa-2025-proposed`)."""
    return tuple(s.strip() for s in selectors if laws.get(s) is not None and not _names_rules(ruleset, s))


def _names_rules(ruleset: RuleSet, selector: str) -> bool:
    text = selector.strip()
    upper = text.upper()
    return (upper == "ALL" or ruleset.get(text) is not None
            or any(rule.id.upper().startswith(upper) for rule in ruleset.rules))


def resolve(ruleset: RuleSet, selectors: Sequence[str], fail: Fail) -> set[str]:
    """Rule ids of every selector; `fail(index, selector)` builds the error for an unknown one."""
    ids: set[str] = set()
    for index, selector in enumerate(selectors):
        rules = match(ruleset, selector)
        if not rules and not _is_law(selector):
            raise fail(index, selector)
        ids.update(rule.id for rule in rules)
    return ids


def split_option(values: Iterable[str]) -> tuple[str, ...]:
    """`--select SM1,SM3 --select SM402` -> ('SM1', 'SM3', 'SM402')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _cli_fail(option: str) -> Fail:
    def fail(index: int, selector: str) -> SmlintError:
        return SmlintError(f"{option}: '{scrub(selector)}' is not a rule id, prefix, name or law; "
                           "`smlint rules` and `smlint laws` list them")

    return fail


def _config_fail(config: Config, key: str, pointer: str = "") -> Fail:
    def fail(index: int, selector: str) -> SmlintError:
        return config.error(f"{pointer or '/' + key}/{index}", f"'{selector}' in {key} is not a rule id, prefix "
                                                               "or name; `smlint rules` lists them")

    return fail


@record
class RuleChoice:
    """What the command line asked for, on top of the configuration."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()  # --law: proposed rule-makings whose rules run as well (smlint.laws)


def build_selection(ruleset: RuleSet, config: Config, choice: RuleChoice) -> Selection:
    """Configuration first (select, extend-select, ignore), then the command line: `--select` replaces the
    configuration's choice of rules; `--extend-select` adds to it; `--ignore` removes from whatever is left."""
    every = {rule.id for rule in ruleset.rules}
    selected_laws = _selected_laws(ruleset, config, choice)
    if choice.select:
        chosen = resolve(ruleset, choice.select, _cli_fail("--select"))
    else:
        chosen = every if config.select is None else resolve(ruleset, config.select, _config_fail(config, "select"))
        chosen |= resolve(ruleset, config.extend_select, _config_fail(config, "extend_select"))
        chosen -= resolve(ruleset, config.ignore, _config_fail(config, "ignore"))
    chosen |= resolve(ruleset, choice.extend_select, _cli_fail("--extend-select"))
    chosen -= resolve(ruleset, choice.ignore, _cli_fail("--ignore"))
    named = _named_exactly(ruleset, (*choice.select, *choice.extend_select))
    by_law = laws_allow(ruleset, config, (*choice.laws, *selected_laws), named)
    profile = config.profile

    def runnable(rule: Rule) -> bool:  # a rule named exactly runs whatever the profile says
        return (rule.id in named or profile.allows(rule.profile)) and by_law(rule)

    rules = tuple(rule for rule in ruleset.rules if rule.id in chosen and runnable(rule))
    # chosen and allowed by the laws' status, but not for this agency, as its profile says
    off = {rule.id: why for rule in ruleset.rules
           if rule.id in chosen and not runnable(rule) and by_law(rule) and (why := profile.says_not(rule.profile))}
    return Selection(rules, severity_overrides(ruleset, config), off)


def _selected_laws(ruleset: RuleSet, config: Config, choice: RuleChoice) -> frozenset[str]:
    """Laws selected by their id among the rule selectors; a vacated or superseded one is an error."""
    chosen = set(laws.enabled(law_selectors(ruleset, choice.select), "--select"))
    chosen |= laws.enabled(law_selectors(ruleset, choice.extend_select), "--extend-select")
    if not choice.select:
        for key, selectors in (("select", config.select or ()), ("extend_select", config.extend_select)):
            for index, selector in enumerate(selectors):
                if law_selectors(ruleset, [selector]):
                    try:
                        chosen |= laws.enabled([selector], key)
                    except SmlintError as exc:
                        raise config.error(f"/{key}/{index}", str(exc)) from None
    return frozenset(chosen)


def _named_exactly(ruleset: RuleSet, selectors: Sequence[str]) -> frozenset[str]:
    """Rule ids named by their id or name (not by a prefix or ALL)."""
    return frozenset(rule.id for rule in (ruleset.get(s.strip()) for s in selectors) if rule is not None)


def laws_allow(ruleset: RuleSet, config: Config, cli_laws: Sequence[str],
               named: frozenset[str] = frozenset()) -> Callable[[Rule], bool]:
    """Whether the laws' status and the laws selected let a rule run (the profile is `build_selection`'s).

    A rule relying on a proposed law runs when the law is selected or the rule is named exactly; one
    relying on a vacated or superseded law never runs, and naming it exactly is an error."""
    for index, name in enumerate(config.laws):
        try:
            laws.enabled([name], "laws")
        except SmlintError as exc:
            raise config.error(f"/laws/{index}", str(exc)) from None
    enabled = laws.enabled(config.laws, "laws") | laws.enabled(cli_laws, "--law")
    for rule_id in sorted(named):
        rule = ruleset.get(rule_id)
        reason = laws.off_reason(rule.laws, enabled | {law for law in rule.laws}) if rule else None
        if reason:
            raise SmlintError(f"--select: {rule_id} cannot run: {reason}")

    def allowed(rule: Rule) -> bool:
        return laws.off_reason(rule.laws, enabled | (set(rule.laws) if rule.id in named else set())) is None

    return allowed


def severity_overrides(ruleset: RuleSet, config: Config) -> Mapping[str, Severity]:
    """Per-rule severities from the configuration; a more specific selector wins over a prefix."""
    overrides: dict[str, tuple[int, Severity]] = {}
    for selector, severity in config.severity.items():
        rules = match(ruleset, selector)
        if not rules:
            raise config.error(child("/severity", selector), f"'{selector}' in severity is not a rule id, prefix or "
                                                        "name; `smlint rules` lists them")
        specificity = 1000 if len(rules) == 1 and ruleset.get(selector) is not None else len(selector)
        for rule in rules:
            if rule.id not in overrides or overrides[rule.id][0] <= specificity:
                overrides[rule.id] = (specificity, severity)
    return {rule_id: severity for rule_id, (_, severity) in overrides.items()}


@dataclass
class FileIgnores:
    """Per-file ignores from the configuration, resolved once per file."""

    ruleset: RuleSet
    config: Config
    _cache: dict[str, frozenset[str]] = field(default_factory=dict)

    def validate(self) -> None:
        for glob, selectors in self.config.per_file_ignores:
            resolve(self.ruleset, selectors,
                    _config_fail(self.config, "per_file_ignores", child("/per_file_ignores", glob)))

    def ignored(self, display: str, root: Path) -> frozenset[str]:
        """Rule ids that do not apply to the file shown as `display` (relative to `root`)."""
        if display not in self._cache:
            selectors = [s for _, s in self.config.ignored_in(root / display)]
            self._cache[display] = frozenset(r.id for s in selectors for r in match(self.ruleset, s))
        return self._cache[display]

    def drop(self, findings: Iterable[Finding], root: Path) -> list[Finding]:
        if not self.config.per_file_ignores:
            return list(findings)
        return [f for f in findings if f.rule not in self.ignored(f.path, root)]
