"""What the agency is: the configuration's `profile`, and which rules follow it.

A profile states traits of the agency. Each trait has a default; a rule that names traits under `profile:`
runs only when every one of them holds (`selectors.build_selection`). The configuration writes the profile as a
mapping (``profile: {covered_entity: false, part2_program: true}``, keys spelt with ``_`` or ``-``) or, as
a shorthand, as the list of traits that hold (``profile: [part2-program]``; the others keep their default).

- ``covered-entity`` (default: holds): the agency is a HIPAA covered entity. Rules whose duty comes only
  from HIPAA declare it, so they do not run for a practice whose profile says ``covered_entity: false``.
- ``part2-program`` (default: does not hold): a federally assisted substance-use program (42 CFR Part 2).
- ``serves-minors`` (default: does not hold): clients under 18, whose parent or guardian signs.

A rule may also declare a negated trait (`NEGATIONS`): ``not-covered-entity`` runs only for a practice whose
profile says ``covered_entity: false``; it carries a duty that binds every social worker, worded for a practice
outside HIPAA (a written confidentiality agreement where a covered entity needs a BAA).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smlint.records import record


@record
class Trait:
    default: bool
    runs_only: str  # how `smlint explain` says which agencies a rule declaring the trait runs for


TRAITS: Mapping[str, Trait] = {
    "covered-entity": Trait(True, "a HIPAA covered entity: it does not run when the configuration's profile "
                                  "says `covered_entity: false`"),
    "part2-program": Trait(False, "a 42 CFR Part 2 program: the configuration's profile must say "
                                  "`part2_program: true` (or list `part2-program`)"),
    "serves-minors": Trait(False, "an agency serving minors: the configuration's profile must say "
                                  "`serves_minors: true` (or list `serves-minors`)"),
}


# rule-side traits that hold when a configuration trait does not: name -> (trait, how explain says it)
NEGATIONS: Mapping[str, tuple[str, str]] = {
    "not-covered-entity": ("covered-entity", "a practice that is not a HIPAA covered entity: the configuration's "
                                             "profile must say `covered_entity: false`"),
}


def trait_name(key: str) -> str:
    """`covered_entity` or `covered-entity` -> `covered-entity`."""
    return key.replace("_", "-")


def key_name(trait: str) -> str:
    """`covered-entity` -> `covered_entity`, as the configuration's mapping spells it."""
    return trait.replace("-", "_")


@record
class Profile:
    """The traits the configuration states, each true or false; the others keep their default."""

    stated: tuple[tuple[str, bool], ...] = ()

    @classmethod
    def from_data(cls, value: Any) -> Profile:
        """The configuration's `profile` (already checked against the schema): a list of the traits that
        hold, or a mapping of trait to true or false."""
        if isinstance(value, Mapping):
            return cls(tuple((trait_name(str(key)), bool(on)) for key, on in value.items()))
        return cls(tuple((trait_name(str(name)), True) for name in value or ()))

    def has(self, trait: str) -> bool:
        """Whether the trait holds: as stated, else its default (a negated trait: whether its trait does not)."""
        if trait in NEGATIONS:
            return not self.has(NEGATIONS[trait][0])
        return dict(self.stated).get(trait, TRAITS[trait].default if trait in TRAITS else False)

    def states(self, trait: str) -> bool:
        """Whether the configuration says it, either way (not only by default)."""
        return trait in dict(self.stated)

    def allows(self, required: tuple[str, ...] | list[str]) -> bool:
        """Whether a rule declaring `required` traits runs for this profile."""
        return all(self.has(trait) for trait in required)

    def says_not(self, required: tuple[str, ...] | list[str]) -> str:
        """Why a rule declaring `required` traits does not run, when the configuration says so: 'it runs only
        for a HIPAA covered entity, and the configuration's profile says covered_entity: false'. '' when the rule
        runs, or when only defaults keep it off (a profile that never mentions Part 2 has not said the agency
        is no Part 2 program; reports leave such a rule out, as they leave out a deselected one)."""
        for trait in required:
            base = NEGATIONS[trait][0] if trait in NEGATIONS else trait
            if self.has(trait) or not self.states(base):
                continue
            return (f"it runs only for {_runs_only(trait).split(':', 1)[0]}, and the configuration's profile says "
                    f"{key_name(base)}: {str(self.has(base)).lower()}")
        return ""

    def as_data(self) -> dict[str, bool]:
        """Every trait with its value in force, as the configuration's mapping spells it."""
        return {key_name(trait): self.has(trait) for trait in TRAITS}


def runs_only(traits: tuple[str, ...] | list[str]) -> str:
    """`smlint explain`'s sentence for a rule declaring `traits`, or '' for none."""
    if not traits:
        return ""
    return "Runs only for " + "; and for ".join(_runs_only(t) for t in traits) + "."


def _runs_only(trait: str) -> str:
    if trait in TRAITS:
        return TRAITS[trait].runs_only
    return NEGATIONS[trait][1] if trait in NEGATIONS else trait
