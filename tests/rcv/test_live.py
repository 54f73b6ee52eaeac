"""A ranked-choice contest on the desk (issue 19, item 2), on San Francisco's 2018 mayoral
canvass as its reports were published (``../shared/data/sf-rcv/2018-06-05-mayor``): Leno led
the last round on election night, Breed from June 9, and won by 2,546 (certified 115,977 to
113,431). The desk never calls Leno, and calls Breed only once neither her lead in the last
round nor who reaches it can change."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from racedesk import load_canvass, replay
from racedesk.errors import InputError
from racedesk.sources import registry, sf_rcv
from racedesk.sources.loader import Canvass

BREED, LENO, KIM = "london-breed", "mark-leno", "jane-kim"


@pytest.fixture(scope="module")
def canvass(sf_mayor_2018: Path) -> Canvass:
    return load_canvass(sf_mayor_2018)


def last_round(canvass: Canvass, n: int) -> dict[str, int]:
    return canvass.releases[n].contests[0].rounds[-1].tally


def test_the_reports_are_one_contest_and_its_rounds(canvass: Canvass, sf_mayor_2018: Path) -> None:
    assert registry.adapter_for(str(sf_mayor_2018)) is sf_rcv
    assert not canvass.refused and len(canvass.releases) == 13
    election = canvass.election
    assert (election.id, election.date) == ("sf-rcv:2018-06-05-mayor", date(2018, 6, 5))
    (contest,) = election.contests
    assert contest.rule.kind == "ranked_choice" and len(contest.choices) == 8
    night = canvass.releases[1].contests[0]  # 20180605_4: election night's last report
    assert [r.name for r in night.rounds] == ["first choices", "round of three", "last round"]
    assert night.rounds[0].tally == night.votes and night.votes[BREED] == 53_630
    assert night.rounds[1].tally == {BREED: 60_356, LENO: 43_847, KIM: 37_855}
    assert night.rounds[2].tally == {BREED: 67_932, LENO: 69_078}
    assert night.ballots == 152_160
    final = canvass.releases[-1].contests[0]
    assert final.rounds[2].tally == {BREED: 115_977, LENO: 113_431}
    assert final.rounds[1].tally == {BREED: 102_767, LENO: 68_707, KIM: 66_043}
    assert canvass.releases[11].contests[0].write_ins == 3  # "Write-In Antoine R. Rogers"
    times = [r.feed_time for r in canvass.releases]
    assert times == sorted(times)
    assert times[-1].date() == date(2018, 6, 27) and times[1].date() == date(2018, 6, 5)


def test_the_last_round_s_leader_changes_on_june_9(canvass: Canvass) -> None:
    leaders = [max(last_round(canvass, n).items(), key=lambda kv: kv[1])[0] for n in range(13)]
    assert leaders == [BREED] + [LENO] * 4 + [BREED] * 8
    assert canvass.releases[5].feed_time.date() == date(2018, 6, 9)


def test_the_desk_never_calls_leno_and_calls_breed_on_the_certified_count(
    canvass: Canvass,
) -> None:
    snapshots = replay(canvass)
    events = [e for s in snapshots for e in s.new_events]
    assert all(LENO not in e.choices for e in events)
    assert all(LENO not in s.calls["mayor"].choices for s in snapshots)
    (call,) = events
    assert (call.status, call.choices, call.release_sequence) == ("called", (BREED,), 12)
    assert call.release_time.date() == date(2018, 6, 27)
    assert call.reason.startswith("London Breed leads the last round by 2,546 votes (1.1%)")
    assert "no candidate out of the count can still overtake one in it" in call.reason
    # Election night: Leno leads the last round, too close; the transfers could still change it.
    night = snapshots[1]
    assert night.states[0].votes[LENO] == 69_078 and night.states[0].votes[BREED] == 67_932
    assert night.states[0].outcome == "Leno leads in the last round"
    assert night.calls["mayor"].status == "too close"
    # June 15: Breed's last-round lead is safe, but Kim could still pass Leno in the round of
    # three (2,737 behind, the votes left not known better than the count's pace): not called.
    june_15 = snapshots[11].calls["mayor"]
    assert june_15.status == "leading"
    assert "Jane Kim trails Mark Leno by 2,737 votes in the round of three" in june_15.sentence
    projection = snapshots[11].projections["mayor"]
    assert projection.outcomes["London Breed wins"] == 1.0
    # Only the last round's two are projected. Breed's share on June 15 (90%: 50.40–50.97%)
    # holds the final 50.55%; on June 9, the day she took the lead, the projection is close to
    # a coin flip (52.75%, leaning toward the last round's recent batches).
    assert [c.choice_id for c in projection.choices] == [BREED, LENO]
    breed = projection.choices[0]
    assert round(breed.share_low, 4) == 0.504 and round(breed.share_high, 4) == 0.5097
    assert breed.share_low <= 115_977 / (115_977 + 113_431) <= breed.share_high
    assert snapshots[5].projections["mayor"].outcomes == {
        "London Breed wins": 0.5275,
        "Mark Leno wins": 0.4725,
    }


def test_candidates_out_of_the_count_are_eliminated_once_no_ballot_left_could_keep_them(
    canvass: Canvass,
) -> None:
    snapshots = replay(canvass)
    night = {s.choice_id: s for s in snapshots[1].states[0].standings}
    assert night[KIM].status == "contending"
    assert (
        night[KIM].goal == "to stay in the count (out after the round of three, 5,992 votes behind)"
    )
    final = {s.choice_id: s for s in snapshots[-1].states[0].standings}
    assert final[BREED].status == "clinched" and final[LENO].status == "eliminated"
    assert final["michelle-bravo"].status == "eliminated"
    assert final[KIM].status == "eliminated"
    assert final[KIM].goal.endswith("out after the round of three, 2,664 votes behind)")
    assert snapshots[-1].states[0].votes_left.ballots.high < 2_664


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("notes.md", "Total votes (for mayor) in this report: 1\n", "is named YYYYMMDD"),
        ("20180605_1_report.md", "Votes: 1\n", "the first line"),
        ("20180605_1_report.md", "Total votes (for mayor) in this report: 1\n", "no '# First"),
        ("x/20180606_report.md", "Total votes (for mayor) in this report: 1\n", "archive's folder"),
    ],
)
def test_a_report_that_cannot_be_read_says_why(name: str, text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        sf_rcv.parse(text.encode(), where=name)


def test_a_round_column_naming_no_candidate_is_refused(sf_mayor_2018: Path) -> None:
    path = sf_mayor_2018 / "reports" / "20180605_1_report.md"
    text = path.read_text().replace(
        "District | Breed | Leno | Kim", "District | Breed | Nobody | Kim"
    )
    with pytest.raises(InputError, match="column 'Nobody' names no one candidate"):
        sf_rcv.parse(text.encode(), where=str(path))
    assert sf_rcv.when(str(path))[1] == datetime.fromisoformat("2018-06-05T20:45:00-07:00")


def test_a_contest_of_another_rule_has_no_rounds() -> None:
    """The states of every other contest gain only an empty ``rounds`` (why the golden digests
    of the 2024 canvasses' states were pinned again, their projections, calls and events not)."""
    (snapshot, *_) = replay(
        load_canvass("scenario:la-da-2020", election="scenario:la-da-2020-primary")
    )
    assert all(state.rounds == () for state in snapshot.states)


def test_the_backtest_says_when_the_desk_called(canvass: Canvass) -> None:
    """The backtest's report of the canvass: called for Breed on release 12 (June 27), right;
    the 90% intervals of the last round's two held their final shares in every release before."""
    from racedesk.engine.backtest import run_backtest
    from racedesk.engine.params import default_params

    report = run_backtest(canvass.election, canvass.releases, [], default_params())
    (row,) = report.contests
    assert row.final_winners == ["London Breed"] and row.correct
    assert row.call is not None
    assert (row.call.release_index, row.call.release_time) == (12, "2018-06-27T16:00:00-07:00")
    assert row.coverage_90 == 1.0 and row.pairs == 12
