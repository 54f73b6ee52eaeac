"""How many a contest elects where its source does not say (``rules/seats.py``): a contest of
several seats taken for one would be called with all but its leader defeated."""

from __future__ import annotations

import pytest

from racedesk.rules.seats import seats_of, stated_seats


@pytest.mark.parametrize(
    ("text", "seats"),
    [
        ("City Council (Vote for 3)", 3),
        ("Board of Education, Vote for no more than two", 2),
        ("Governing Board Member (2 seats)", 2),
        ("Director, Elect Four", 4),
        ("Mayor (Vote for 1)", 1),
        ("City Council Seat 3", None),  # a seat's number, not a number of seats
        ("Board of Supervisors Dist. 1", None),
    ],
)
def test_the_words_of_a_contest_state_its_seats(text: str, seats: int | None) -> None:
    assert stated_seats(text) == seats


@pytest.mark.parametrize(
    ("state", "title", "district", "year", "seats"),
    [
        # Offices of one, whatever the state.
        ("AZ", "Presidential Elector", "", 2020, 1),
        ("AZ", "U.S. Senator", "", 2020, 1),
        ("AZ", "U.S. Representative in Congress Dist 1", "", 2020, 1),
        ("CA", "U.S. House", "27", 2024, 1),
        ("AZ", "County Sheriff", "", 2020, 1),
        ("AZ", "County Recorder", "", 2020, 1),
        ("CA", "Mayor", "", 2022, 1),
        # A recall's successor takes the one recalled officer's place, even on a board at large.
        (
            "CA",
            "Candidates to succeed JANE DOE as Member, Board of Trustees, if she is recalled",
            "",
            2022,
            1,
        ),
        ("CA", "Member, Board of Trustees", "", 2022, None),
        # Numbered districts, seats, areas and offices: one member each.
        ("AZ", "Board of Supervisors Dist. 1", "", 2020, 1),
        ("CA", "Governing Board Member, Trustee Area 3", "", 2022, 1),
        ("CA", "Judge of the Superior Court, Office No. 5", "", 2022, 1),
        ("TX", "Justice of the Peace, Precinct 1", "", 2022, 1),
        ("GA", "County Commission", "3", 2022, 1),
        (
            "CA",
            "GOVERNING BOARD MEMBER, SAN DIEGO UNIFIED SCHOOL DISTRICT, DISTRICT A",
            "",
            2024,
            1,
        ),
        ("CA", "DIRECTOR, PALOMAR HEALTH, SEAT B", "", 2024, 1),
        ("CA", "DISTRICT ATTORNEY", "", 2022, 1),
        ("CA", "GOVERNING BOARD MEMBER, GROSSMONT UNION HIGH SCHOOL DISTRICT", "", 2024, None),
        ("CA", "Board of Education, district a", "", 2024, None),  # a capital letter names it
        # Legislatures: one a district, but two in Arizona, New Jersey and the Dakotas.
        ("CA", "State Assembly", "5", 2020, 1),
        ("CA", "State Senate", "1", 2020, 1),
        ("VA", "House of Delegates", "12", 2019, 1),
        ("NY", "Member of Assembly", "65", 2022, 1),
        ("AZ", "State Representative Dist. 14", "", 2020, 2),  # Griffin and Nutt, 2020
        ("AZ", "State Senator Dist. 14", "", 2020, 1),
        ("NJ", "General Assembly", "3", 2021, 2),
        ("SD", "State House", "5", 2022, 2),
        ("SD", "State House", "26A", 2022, 1),
        ("ND", "State House", "4B", 2022, 1),
        # Districts of one to many members: not known.
        ("MD", "House of Delegates", "1A", 2022, None),
        ("NH", "State House", "Hillsborough 12", 2022, None),
        ("VT", "State Senate", "Chittenden", 2022, None),
        ("WV", "House of Delegates", "4", 2020, None),
        ("WV", "House of Delegates", "4", 2022, 1),
        # Washington elects by position: one a contest where the contest names it.
        ("WA", "State Representative Pos. 1", "3", 2022, 1),
        ("WA", "Representative, Position 2", "3", 2022, 1),
        ("WA", "State House", "3", 2022, None),  # both positions in one contest
        # Bodies of many, at large, and offices the desk cannot tell.
        ("AZ", "Corporation Commissioner", "", 2020, None),  # three elected in 2020
        ("CA", "Board of Education", "", 2022, None),
        ("OR", "City Council At-Large", "", 2022, None),
        ("KS", "Unified School District 497 Board Member", "", 2022, None),
        ("CA", "County Central Committee, 5th Assembly District", "", 2024, None),
        ("DE", "Delegate to the Democratic National Convention", "", 2020, None),
        (
            "PA",
            "Delegate to the Republican National Convention, Congressional District 5",
            "",
            2020,
            None,
        ),
        # What the words state wins over all the above.
        ("CA", "City Council (Vote for 3)", "", 2022, 3),
        ("AZ", "State Representative Dist. 14 (Vote for 1)", "", 2020, 1),
    ],
)
def test_seats_come_from_the_words_the_legislature_or_the_office(
    state: str, title: str, district: str, year: int, seats: int | None
) -> None:
    assert seats_of(state, title, district, year=year) == seats
