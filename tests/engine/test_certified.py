"""A release that says its count is certified completes the canvass (issue 14, item 7): the
bundled 2020 District Attorney scenario ends on such releases (the primary's of Apr 2, 2020
says ``final``, the general's of Nov 30, 2020 ``certified``). Before, the engine read neither:
the primary's last snapshot still estimated ballots left from the registrar's earlier report.
This is why the golden digest of the two scenarios moved (their last states and projections)."""

from __future__ import annotations

import pytest

from racedesk.data import load_params
from racedesk.engine.replay import replay
from racedesk.engine.run import NOTHING_LEFT, is_certified
from racedesk.model.answers import Interval
from racedesk.sources.loader import Canvass, load_canvasses

DA = "district-attorney"


@pytest.fixture(scope="module")
def scenario() -> list[Canvass]:
    return load_canvasses("scenario:la-da-2020")


def test_the_certified_release_of_each_scenario_leaves_nothing_to_count(
    scenario: list[Canvass],
) -> None:
    outcomes = {}
    for canvass in scenario:
        releases = sorted(canvass.releases, key=lambda r: r.feed_time)
        snaps = list(replay(canvass.election, releases, canvass.reports, load_params(), seed=0))
        assert [is_certified(r) for r in releases] == [False, False, False, True]
        *before, last = snaps
        assert all(s.ballots_left.ballots.high > 0 for s in before if s.ballots_left.ballots)
        assert last.ballots_left == NOTHING_LEFT
        state = last.state(DA)
        assert state is not None and state.votes_left.votes == Interval.exact(0)
        assert all(s.status in ("clinched", "eliminated") for s in state.standings)
        call = last.calls[DA]
        outcomes[canvass.election.id] = (call.status, call.choices)
    assert outcomes == {
        "scenario:la-da-2020-primary": ("runoff", ("lacey", "gascon")),
        "scenario:la-da-2020-general": ("called", ("gascon",)),
    }


MEASURES = """county,precinct,office,district,party,candidate,votes
Alameda,P1,Measure A,,,Yes,6000
Alameda,P1,Measure A,,,No,4000
Alameda,P1,Measure B,,,Yes,5000
Alameda,P1,Measure B,,,No,5000
"""


def test_a_certified_count_says_why_it_leaves_a_measure_undecided() -> None:
    """A measure whose threshold the file does not state (a majority to two-thirds) at 60% yes:
    the certified count cannot settle it, and says so in the measure's words. Before, its
    sentence read "a tie for the last place is decided by lot"."""
    from racedesk.sources import openelections

    parsed = openelections.parse(MEASURES.encode(), where="20241105__ca__general__alameda.csv")
    (last,) = replay(parsed.election, parsed.releases, [], load_params())
    between = last.calls["measure-a"]
    assert (between.status, between.choices) == ("too close", ())
    assert between.sentence == (
        "the certified count cannot decide it: yes lies between its two thresholds, and this "
        "count does not settle whether the threshold, which the source does not state, is a "
        "majority"
    )
    assert last.calls["measure-b"].status == "failed"  # half is not more than half
