"""A lead that changed hands during the canvass: the 2022 Los Angeles mayor's race, replayed from
its releases as news pages reported them (``tests/fixtures/scenarios/la-mayor-2022.json``, every
number sourced) with the shipped parameters, which were calibrated on canvasses of 2024 only.

Caruso led every release of election night and the Thursday update; Bass led from Friday on and
won with 54.83% (``../shared/domain/california-canvass.md``); AP called the race for her at about
3:35 pm on Nov 16, after the Wednesday update. The desk must never call the early leader, and its
call of the winner must be one the whole count bears out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from racedesk.data import load_params
from racedesk.engine.replay import replay
from racedesk.model.answers import Snapshot
from racedesk.sources.loader import load_canvasses

LA = ZoneInfo("America/Los_Angeles")
SCENARIO = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "la-mayor-2022.json"
MAYOR = "mayor"
#: Bass's certified share (the domain notes), and AP's call (calls-and-hurdles.md).
BASS_FINAL = 0.5483
AP_CALL = datetime(2022, 11, 16, 15, 35, tzinfo=LA)


@pytest.fixture(scope="module")
def snapshots() -> list[Snapshot]:
    (canvass,) = load_canvasses(str(SCENARIO))
    releases = sorted(canvass.releases, key=lambda r: r.feed_time)
    return list(replay(canvass.election, releases, canvass.reports, load_params(), seed=0))


def test_the_lead_changes_hands_in_the_releases(snapshots: list[Snapshot]) -> None:
    leaders = [s.state(MAYOR).leaders for s in snapshots]  # type: ignore[union-attr]
    assert leaders == [("caruso",)] * 3 + [("bass",)] * 3


def test_the_early_leader_is_never_called_and_the_winner_before_ap(
    snapshots: list[Snapshot],
) -> None:
    statuses = [(s.feed_time, s.calls[MAYOR].status, s.calls[MAYOR].choices) for s in snapshots]
    assert all(choices in ((), ("bass",)) for _, _, choices in statuses)
    assert [status for _, status, _ in statuses] == [
        "too early", "too close", "too close", "too close", "too close", "called",
    ]  # fmt: skip
    when = statuses[-1][0]
    assert when == datetime(2022, 11, 14, 17, 0, tzinfo=LA) < AP_CALL
    (event,) = snapshots[-1].new_events
    assert event.status == "called" and event.choices == ("bass",)


def test_the_call_rests_on_the_registrar_s_estimate_and_caruso_s_need(
    snapshots: list[Snapshot],
) -> None:
    monday = snapshots[-1]
    state = monday.state(MAYOR)
    assert state is not None and state.votes_left.votes is not None
    assert monday.ballots_left.source == "registrar"
    assert monday.ballots_left.ballots.mid == 655_300
    # the city's votes left at their most exceed the county's ballots left: a city contest may
    # take up to twice its share so far of what is left
    assert round(state.votes_left.votes.high) > 655_300
    caruso = next(s for s in state.standings if s.choice_id == "caruso")
    assert caruso.needs is not None
    assert round(caruso.needs.low, 3) == 0.520  # of the most votes left
    assert round(caruso.needs.mid, 3) == 0.559
    # Bass's certified share lies inside the desk's 90% interval of her final share
    (bass,) = (c for c in monday.projections[MAYOR].choices if c.choice_id == "bass")
    assert bass.share_low < BASS_FINAL < bass.share_high
