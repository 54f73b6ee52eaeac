"""The registrar's estimate of ballots left by kind of ballot (``votes_left.ballots_left_by_type``):
its mail ballots less those the feed's mail counter took in since, its conditional voter
registration and provisional ballots less those its in-person counter took in, on LA's real
estimates of 2024 (``docs/hurdles.md``, step 1)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from racedesk.engine.params import default_params
from racedesk.engine.votes_left import ballots_left_by_type, county_ballots_left
from racedesk.model import OutstandingReport, Release
from racedesk.model.answers import BallotsLeftByType
from racedesk.settings import REPO_ROOT
from racedesk.sources import lavote
from racedesk.sources.outstanding import load_reports


def _canvass(folder: Path, shared_data: Path) -> tuple[list[Release], list[OutstandingReport]]:
    election, files = lavote.load_folder(folder)
    releases = sorted(
        (lavote.read_release(b, election, where=str(p)) for p, b in files),
        key=lambda r: r.feed_time,
    )
    reports = load_reports(shared_data / "lavote" / "outstanding-reports.csv", election.date)
    return releases, reports


def test_the_estimate_by_kind_of_ballot_less_what_each_counter_took_in_since(
    general_2024: Path, shared_data: Path
) -> None:
    """At the release of Nov 12, 2024, 4:35 pm the latest estimate is Nov 11's, 5 pm (89,000 by
    mail, 87,000 conditional voter registration, 11,300 provisional); since the release of Nov
    11, 4:36 pm the mail counter (MBLT) rose 45,999 and the in-person one (DBLT) 6,393."""
    releases, reports = _canvass(general_2024, shared_data)
    election, _ = lavote.load_folder(general_2024)
    (nov_12,) = [
        i for i, r in enumerate(releases) if r.feed_time.isoformat()[:13] == "2024-11-12T16"
    ]
    good = releases[: nov_12 + 1]
    known = [r for r in reports if r.as_of <= good[-1].feed_time]
    left = county_ballots_left(election, good, known, default_params())
    assert left.source == "registrar" and left.as_of is not None
    assert left.as_of.isoformat() == "2024-11-11T17:00:00-08:00"
    assert left.by_type == (
        BallotsLeftByType(
            kind="by mail", categories={"vbm": 89_000}, estimated=89_000,
            counted_since=45_999, left=43_001,
        ),
        BallotsLeftByType(
            kind="in person", categories={"cvr": 87_000, "provisional": 11_300},
            estimated=98_300, counted_since=6_393, left=91_907,
        ),
    )  # fmt: skip
    assert left.ballots is not None
    assert sum(t.left for t in left.by_type) == round(left.ballots.mid)


def test_a_kind_no_counter_tells_apart_is_kept_as_the_estimate_gave_it() -> None:
    """ "other" (write-ins, damaged ballots, cures) and a feed without the mail and in-person
    counters: the estimate's figure, nothing taken off it."""
    when = datetime(2020, 11, 4, 19, tzinfo=ZoneInfo("America/Los_Angeles"))
    report = OutstandingReport(
        as_of=when, total=618_200,
        breakdown={"vbm": 520_000, "cvr": 87_000, "provisional": 2_000, "other": 9_200},
    )  # fmt: skip
    bare = Release(
        election_id="e", source="s", feed_time=when, received_at=when, content_hash="h",
        contests=(), ballots_counted=10,
    )  # fmt: skip
    got = ballots_left_by_type(report, bare, bare)
    assert [(t.kind, t.estimated, t.counted_since, t.left) for t in got] == [
        ("by mail", 520_000, None, 520_000),
        ("in person", 89_000, None, 89_000),
        ("other", 9_200, None, 9_200),
    ]
    assert ballots_left_by_type(OutstandingReport(as_of=when, total=5), bare, bare) == ()


def test_the_states_report_by_county_says_nothing_by_kind(shared_data: Path) -> None:
    """The Secretary of State's unprocessed-ballots report breaks its total down by county
    (``alameda``, ``los_angeles`` …): no kind of ballot, so nothing is said by kind."""
    folder = shared_data / "ca-sos" / "2024-general-unprocessed-ballots"
    reports = load_reports(folder / "unprocessed-ballots-status", date(2024, 11, 5))
    assert reports and "los_angeles" in reports[0].breakdown
    when = reports[0].as_of
    bare = Release(
        election_id="e", source="s", feed_time=when, received_at=when, content_hash="h",
        contests=(), ballots_counted=10, ballots_mail=5, ballots_in_person=5,
    )  # fmt: skip
    assert all(ballots_left_by_type(r, bare, bare) == () for r in reports)


def test_what_came_of_each_kind_of_ballot_after_each_estimate(
    shared_data: Path, general_2024: Path, primary_2024: Path
) -> None:
    """After each of LA's 2024 estimates with a breakdown, the in-person ballots counted by the
    end were 74–93% of the estimate's (never more); the mail ballots 32–101%, but 178% after the
    primary's first estimate (Mar 6), which left out the mail still in the post."""
    came: dict[str, list[float]] = {"by mail": [], "in person": []}
    for folder in (primary_2024, general_2024):
        releases, reports = _canvass(folder, shared_data)
        for report in reports:
            if not report.breakdown:
                continue
            at = [r for r in releases if r.feed_time <= report.as_of][-1]
            for kind in ballots_left_by_type(report, at, releases[-1]):
                assert kind.counted_since is not None
                came[kind.kind].append(kind.counted_since / kind.estimated)
    in_person, mail = came["in person"], came["by mail"]
    assert len(in_person) == len(mail) == 8
    assert (round(100 * min(in_person)), round(100 * max(in_person))) == (74, 93)
    rest = sorted(mail)[:-1]
    assert (round(100 * min(rest)), round(100 * max(rest)), round(100 * max(mail))) == (
        32,
        101,
        178,
    )
    doc = " ".join((REPO_ROOT / "docs" / "hurdles.md").read_text(encoding="utf-8").split())
    assert "74–93% of the estimate's in-person ballots" in doc
    assert "mail 32–101%, but 178%" in doc
