"""A contest counted by ranked choice, from a source that gives first choices alone, is never
called for the first-choice leader (``rules/ranked_places.py``).

The OpenElections file here is in the shape of its own (Alameda County's 2010 general), with
counts of our own in the proportions of Oakland's 2010 mayoral first choices: Perata led Quan
by 33.7% to 24.5%, and Quan won on the transfers."""

from __future__ import annotations

import pytest

from racedesk.engine.backtest import run_backtest
from racedesk.engine.params import default_params
from racedesk.engine.replay import replay
from racedesk.model.election import ElectionKind
from racedesk.rules.state_law import state_candidate_rule
from racedesk.sources import openelections


@pytest.mark.parametrize(
    ("state", "kind", "title", "seats", "candidates", "rule"),
    [
        ("CA", "general", "Mayor, City of Oakland", 1, 10, "ranked_choice"),
        ("CA", "general", "OAKLAND MAYOR", 1, 3, "ranked_choice"),
        ("CA", "general", "City of Berkeley Council District 4", 1, 3, "ranked_choice"),
        ("CA", "general", "Mayor (RCV)", 1, 3, "ranked_choice"),  # its title says so
        ("CA", "general", "Mayor, City of Oakland", 1, 2, None),  # two: the first choices decide
        ("CA", "general", "Mayor, City of Fremont", 1, 3, None),
        ("ME", "primary", "Governor - Democratic", 1, 4, "ranked_choice"),
        ("ME", "general", "U.S. House District 2", 1, 3, "ranked_choice"),
        ("ME", "general", "Governor", 1, 3, None),  # Maine's general: federal offices only
        ("AK", "general", "U.S. Representative", 1, 4, "ranked_choice"),
        ("AK", "primary", "U.S. Representative", 1, 2, "unknown"),  # top four, or a party's one
        ("NM", "general", "City of Santa Fe Mayor", 1, 3, "ranked_choice"),
        ("NM", "general", "Santa Fe County Commission District 2", 1, 3, None),
        ("MN", "general", "Minneapolis City Council Ward 3", 1, 4, "ranked_choice"),
        ("MA", "general", "Cambridge City Council", 9, 20, "unknown"),  # single transferable
        ("TX", "general", "Mayor, City of Portland", 1, 3, None),  # Oregon's Portland only
    ],
)
def test_a_ranked_count_is_told_by_its_place_or_its_words(
    state: str, kind: ElectionKind, title: str, seats: int, candidates: int, rule: str | None
) -> None:
    found = state_candidate_rule(state, kind, title, seats=seats, candidates=candidates)
    assert (found.kind if found else None) == rule


OAKLAND = """county,precinct,office,district,party,candidate,votes
Alameda,Oakland 1,"Mayor, City of Oakland",,,Don Perata,33700
Alameda,Oakland 1,"Mayor, City of Oakland",,,Jean Quan,24500
Alameda,Oakland 1,"Mayor, City of Oakland",,,Rebecca Kaplan,21400
Alameda,Oakland 1,"Mayor, City of Oakland",,,Joe Tuman,12300
Alameda,Oakland 1,"Mayor, City of Oakland",,,Marcie Hodge,8100
Alameda,Fremont 1,"Mayor, City of Fremont",,,Bob Wasserman,30000
Alameda,Fremont 1,"Mayor, City of Fremont",,,Anu Natarajan,20000
Alameda,Fremont 1,"Mayor, City of Fremont",,,Bill Harrison,10000
"""


def test_oakland_s_first_choice_leader_is_never_called() -> None:
    """Read as plurality, Perata's 9-point lead on a final count would have been called; the
    count is ranked, so nothing is called before its rounds are published. Fremont's count
    in the same file is not ranked and is called."""
    parsed = openelections.parse(
        OAKLAND.encode(), where="20101102__ca__general__alameda__precinct.csv"
    )
    rules = {c.title: c.rule for c in parsed.election.contests}
    assert rules["Mayor, City of Oakland"].kind == "ranked_choice"
    assert rules["Mayor, City of Oakland"].text == (
        "ranked choice: Oakland counts its offices by ranked choice"
    )
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    final = {c.title: c for c in report.contests}
    oakland = final["Mayor, City of Oakland"]
    assert oakland.call is None and oakland.call_events == 0
    fremont = final["Mayor, City of Fremont"]
    assert fremont.call is not None and fremont.call.choices == ["Bob Wasserman"]
    # the backtest's truth: the first choices decide nothing (a call of Perata is wrong)
    assert (oakland.final_status, oakland.final_winners) == ("too early", [])
    (last,) = replay(parsed.election, parsed.releases, [], default_params())
    assert last.calls["mayor-city-of-oakland"].sentence == (
        "the certified count cannot decide it: a ranked-choice contest is decided by its "
        "rounds, none of which is published, and no candidate holds a majority of the first "
        "choices"
    )
