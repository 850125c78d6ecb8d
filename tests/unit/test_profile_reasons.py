"""`Profile.says_not`: the reason reports give for a rule the configuration's profile switches off (JUnit's
skipped testcase), and none for a rule kept off only by a trait's default."""

from __future__ import annotations

from smlint.profile import Profile


def test_the_profile_says_why_a_rule_is_off_only_when_the_configuration_says_so() -> None:
    outside = Profile.from_data({"covered_entity": False, "part2_program": False})
    assert outside.says_not(["covered-entity"]) == (
        "it runs only for a HIPAA covered entity, and the configuration's profile says covered_entity: false")
    assert outside.says_not(["part2-program"]) == (
        "it runs only for a 42 CFR Part 2 program, and the configuration's profile says part2_program: false")
    assert outside.says_not(["serves-minors"]) == ""  # off by its default only: not said
    assert outside.says_not(["not-covered-entity"]) == ""  # runs
    assert outside.says_not([]) == ""
    assert Profile().says_not(["not-covered-entity"]) == ""  # covered by default, not by the configuration
    assert Profile.from_data(["part2-program"]).says_not(["not-covered-entity", "part2-program"]) == ""
    # off by a default and by what the configuration says: the reason is what it says
    assert Profile.from_data({"covered-entity": True}).says_not(["part2-program", "not-covered-entity"]) == (
        "it runs only for a practice that is not a HIPAA covered entity, and the configuration's profile says "
        "covered_entity: true")
