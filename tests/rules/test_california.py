"""How the Secretary of State's feed says which rule a contest has (rules/california.py)."""

from __future__ import annotations

from racedesk.rules import california


def test_the_state_names_its_voter_nominated_offices() -> None:
    for office in ("U.S. Senate (Full Term)", "U.S. House of Representatives District 16",
                   "State Senate District 25", "State Assembly District 34"):  # fmt: skip
        rule = california.state_office_rule(office, primary=True)
        assert (rule.kind, rule.advance) == ("top_two", 2), office
        assert california.state_office_rule(office, primary=False).kind == "plurality"
    assert california.state_office_rule("President Democratic", primary=True).kind == "plurality"
