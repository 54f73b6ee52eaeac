"""A registrar's estimate published between two releases, replayed as the live desk takes it
(engine/replay.py, ``estimates``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from builders import T0, contest, election, release
from racedesk.data import load_params
from racedesk.engine.params import default_params
from racedesk.engine.replay import replay
from racedesk.model import OutstandingReport
from racedesk.sources.loader import load_canvasses
from racedesk.sources.outstanding import load_reports

#: What the live desk calls when the registrar's estimate of Nov 6, 2024, 5 pm (1,116,100
#: ballots left) comes after the 4:30 pm release: ``tests/desk/test_corrections.py``,
#: ``test_a_report_of_ballots_left_takes_effect_at_once``.
CALLED_ON_THE_ESTIMATE_OF_NOV_6 = [
    ("9476", "called"), ("9492", "called"), ("9499", "called"), ("9514", "called"),
    ("9515", "called"), ("9522", "called"), ("9527", "called"), ("9536", "called"),
    ("9548", "called"), ("9549", "called"), ("9551", "called"), ("9575", "called"),
    ("9603", "called"), ("9626", "called"), ("9633", "called"), ("9654", "called"),
    ("9662", "called"), ("9663", "called"), ("9680", "called"), ("9700", "called"),
    ("9708", "called"), ("9738", "called"), ("9744", "called"), ("9758", "called"),
    ("9761", "called"), ("9772", "called"), ("9780", "called"), ("9801", "called"),
    ("9802", "called"), ("9831", "called"), ("9838", "called"), ("9849", "called"),
    ("9860", "passed"), ("9876", "passed"), ("9880", "passed"), ("9885", "passed"),
    ("9886", "passed"), ("9896", "passed"), ("9913", "passed"), ("9921", "passed"),
    ("9922", "passed"), ("9931", "passed"), ("9934", "passed"), ("9935", "passed"),
    ("9937", "passed"), ("9943", "passed"), ("9955", "passed"),
]  # fmt: skip


def test_an_estimate_between_releases_makes_the_earlier_one_again_at_its_time() -> None:
    """Only an estimate published soon after a release (the one that goes with the day's
    update) makes it again; one published with a release goes with it, one a day later waits
    for the next release."""
    a = contest("1", ["ADA", "ALAN"])
    releases = [release([a], [[600, 400]], 0), release([a], [[1200, 800]], 10)]
    reports = [
        OutstandingReport(as_of=T0 - timedelta(hours=1), total=5_000),  # before any release
        OutstandingReport(as_of=T0.replace(minute=5), total=1_000),
        OutstandingReport(as_of=T0.replace(minute=10), total=900),  # with the second release
        OutstandingReport(as_of=T0.replace(minute=30), total=100),  # after the last
        # a day later: it may speak of counts published since, which the desk does not hold
        OutstandingReport(as_of=T0 + timedelta(days=1), total=50),
    ]
    plain = list(replay(election([a]), releases, reports, default_params()))
    assert [s.revised_at for s in plain] == [None, None]
    again = list(replay(election([a]), releases, reports, default_params(), estimates=True))
    assert [(s.release_sequence, s.revised_at) for s in again] == [
        (0, None),
        (0, T0.replace(minute=5)),
        (1, None),
        (1, T0.replace(minute=30)),
    ]
    revised = again[1]
    assert revised.feed_time == releases[0].feed_time
    assert revised.revised_because == (
        "estimate by registrar: the registrar's estimate of 2024-11-05 20:05: 1,000 ballots left"
    )
    assert revised.ballots_left.source == "registrar"
    assert revised.ballots_left.ballots is not None
    assert revised.ballots_left.ballots.mid == 1_000
    # the releases' own snapshots are those of the plain replay (the one at minute 10 takes
    # the report of minute 10 with it, as the live desk would)
    assert next(s for s in again if s.revised_at is None) == plain[0]
    assert again[2].ballots_left.ballots == plain[1].ballots_left.ballots


def test_the_backtest_takes_the_registrars_estimate_as_the_live_desk_does(
    shared_data: Path,
) -> None:
    """LA's 2024 general: the registrar's estimate of Nov 6, 5 pm came half an hour after the
    4:30 pm release; replayed with ``estimates`` it calls at 5 pm the 47 contests the live desk
    calls on it (Measure A among them), where the plain replay waited for Nov 7's release."""
    canvass = load_canvasses(str(shared_data / "lavote" / "4324-2024-general"))[0]
    election_ = canvass.election
    reports = load_reports(shared_data / "lavote" / "outstanding-reports.csv", election_.date)
    snapshots = list(replay(election_, canvass.releases, reports, load_params(), estimates=True))
    again = [s for s in snapshots if s.revised_at is not None]
    # 32 releases; each of the 8 estimates came out after a release, before the next
    assert (len(snapshots), len(again)) == (40, 8)
    first = again[0]
    assert (first.release_sequence, first.feed_time.isoformat(), first.revised_at.isoformat()) == (
        17, "2024-11-06T16:30:19-08:00", "2024-11-06T17:00:00-08:00",
    )  # fmt: skip
    assert first.revised_because.endswith(
        "the registrar's estimate of 2024-11-06 17:00: 1,116,100 ballots left"
    )
    assert sorted((e.contest_id, e.status) for e in first.new_events) == (
        CALLED_ON_THE_ESTIMATE_OF_NOV_6
    )
    assert {e.release_time for e in first.new_events} == {first.revised_at}
    assert {e.release_sequence for e in first.new_events} == {17}
    plain = list(replay(election_, canvass.releases, reports, load_params()))
    measure_a = [e for s in plain for e in s.new_events if e.contest_id == "9880"]
    assert measure_a[0].release_time.isoformat() == "2024-11-07T16:34:01-08:00"


def test_a_canvass_kept_as_some_updates_takes_each_estimate_at_the_next_release() -> None:
    """The 2020 scenario holds the DA primary's reported updates only (Mar 3, Mar 4, then Mar 20):
    the registrar's estimates of Mar 5–17 speak of ballots left after counts the scenario does
    not hold, so none makes the Mar 4 release again (one that did called Lacey's majority, which
    she lost, when trained on the two other small canvasses)."""
    (canvass,) = [
        c
        for c in load_canvasses("scenario:la-da-2020")
        if c.election.id == "scenario:la-da-2020-primary"
    ]
    snapshots = list(
        replay(
            canvass.election, canvass.releases, canvass.reports, default_params(), estimates=True
        )
    )
    assert len(canvass.reports) == 6
    assert [s.revised_at for s in snapshots] == [None] * len(canvass.releases)
