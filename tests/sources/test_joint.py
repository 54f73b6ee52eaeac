"""One election from two sources: LA County's feed and the Secretary of State's feed of the
March 5, 2024 primary, joined (issue 15, item 4), on the real archives."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path

import msgspec
import pytest

from racedesk.data import load_params
from racedesk.engine.backtest import BacktestReport, run_backtest
from racedesk.engine.joined import parts_disagree
from racedesk.engine.joined import slices as joined_slices
from racedesk.errors import InputError
from racedesk.model import sha256_hex
from racedesk.rules.california_matching import match_contests, office_key
from racedesk.sources import joint
from racedesk.sources.loader import Canvass, load_canvasses
from racedesk.sources.outstanding import load_reports


@pytest.fixture(scope="module")
def joined(primary_2024: Path, ca_primary: Path) -> Canvass:
    (canvass,) = load_canvasses(f"{primary_2024}+{ca_primary}")
    return canvass


@pytest.fixture(scope="module")
def joined_report(joined: Canvass, shared_data: Path) -> BacktestReport:
    reports = load_reports(shared_data / "lavote" / "outstanding-reports.csv", joined.election.date)
    return run_backtest(joined.election, joined.releases, reports, load_params())


@pytest.fixture(scope="module")
def state_report(ca_primary: Path) -> BacktestReport:
    (canvass,) = load_canvasses(str(ca_primary))
    return run_backtest(canvass.election, canvass.releases, [], load_params())


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("UNITED STATES REPRESENTATIVE, 27th District", "us-rep-district-27"),
        ("U.S. House of Representatives District 27", "us-rep-district-27"),
        ("STATE SENATOR, 25th District", "state-senate-district-25"),
        ("State Senate District 25", "state-senate-district-25"),
        ("MEMBER OF THE STATE ASSEMBLY, 41st District", "state-assembly-district-41"),
        ("State Assembly District 41", "state-assembly-district-41"),
        ("STATE MEASURE 1", "prop-1"),
        ("Proposition 1: Bonds for Mental Health Treatment Facilities", "prop-1"),
        ("PRESIDENTIAL PREFERENCE - DEMOCRATIC", "president-democrat"),
        ("PRESIDENTIAL CANDIDATE PREFERENCE - GREEN", "president-green"),
        ("President Peace and Freedom", "president-peace-and-freedom"),
        ("PRESIDENT AND VICE PRESIDENT", "president"),
        ("UNITED STATES SENATOR - Full Term", "us-senate"),
        ("U.S. Senate (Partial/Unexpired Term)", "us-senate-unexpired-term"),
        ("UNITED STATES SENATOR - Short Term (Unexpired term ending January 3, 2025)",
         "us-senate-unexpired-term"),
        ("GOVERNOR", "governor"),
        ("DISTRICT ATTORNEY", None),
        ("CITY OF LOS ANGELES MEASURE HLA", None),
        ("MEASURE A", None),
    ],
)  # fmt: skip
def test_both_feeds_titles_read_as_one_office(title: str, key: str | None) -> None:
    assert office_key(title) == key


def test_the_two_feeds_contests_are_matched(joined: Canvass) -> None:
    """LA's 27 portions (President's six primaries, both Senate contests, 18 districts that
    cross the county line, Prop 1) rest on the state's whole contests; the 28 districts wholly
    in LA are called from LA's count, the state's copies of them shown, never called."""
    election = joined.election
    assert election.id == "joint:lavote:4316+ca-sos:2024-03-05"
    assert [m.source for m in election.members] == ["lavote", "ca-sos"]
    records = {c.id: c.record for c in election.contests if c.record}
    assert records["9413"] == "prop-1"
    assert records["9021"] == "us-senate"
    assert records["9389"] == "us-senate-unexpired-term"
    assert records["9197"] == "president-democrat"
    assert records["9005"] == "us-rep-district-26"  # Ventura and LA
    assert records["us-rep-district-27"] == "9006"  # wholly in LA: LA's count is the record
    by_id = {c.id: c for c in election.contests}
    portions = [i for i in records if by_id[i].source == "lavote"]
    copies = [i for i in records if by_id[i].source == "ca-sos"]
    assert len(portions) == 27 and all(by_id[i].portion == "Los Angeles County" for i in portions)
    assert len(copies) == 28 and all(not by_id[i].portion for i in copies)
    matched = match_contests(
        msgspec.structs.replace(election, contests=tuple(c for c in election.contests if c.source == "lavote")),
        [msgspec.structs.replace(election, contests=tuple(c for c in election.contests if c.source == "ca-sos"))],
    )  # fmt: skip
    assert {(m.contest, m.record) for m in matched} == set(records.items())


def test_a_joined_release_is_read_back_as_it_was_made(joined: Canvass) -> None:
    """Each source's payload is kept byte for byte inside the joined one (LA's ends in a
    newline, so it is kept in base64), and reading the joined payload gives the same release
    and the same election."""
    election = joined.election
    read = joint.release_reader(election)
    for i in (0, 1, 40, len(joined.releases) - 1):
        payload = joined.payloads[i]
        assert payload is not None
        release = joined.releases[i]
        again = read(payload.data, where="test", received_at=release.received_at)
        assert again == release
        assert joint.read_election(payload.data) == election
    last = joined.releases[-1]
    assert [p.source for p in last.parts] == ["lavote", "ca-sos"]
    la = msgspec.json.decode(joined.payloads[-1].data)["members"][0]
    raw = base64.b64decode(la["release_base64"])
    assert last.parts[0].content_hash == sha256_hex(raw)


def test_releases_interleave_by_time(joined: Canvass) -> None:
    """Every release of either source is a joined release, in feed-time order, each carrying
    every source's latest counts (LA's 29, the state's 158, 187 in all)."""
    releases = joined.releases
    assert len(releases) == 29 + 158
    times = [r.feed_time for r in releases]
    assert times == sorted(times)
    assert all(r.feed_time == max(p.feed_time for p in r.parts) for r in releases)
    carried = 0
    for before, after in itertools.pairwise(releases):
        if len(before.parts) == 2 and before.parts[0] == after.parts[0]:
            assert before.parts[1] != after.parts[1]  # only the state's feed moved
            assert after.count("9006") == before.count("9006")  # LA's count carried forward
            assert after.ballots_counted == before.ballots_counted
            carried += 1
    assert carried > 100


def test_a_joined_release_of_another_shape_is_refused(joined: Canvass) -> None:
    payload = joined.payloads[5]
    assert payload is not None
    doc = msgspec.json.decode(payload.data)
    doc["members"] = doc["members"][:1]
    with pytest.raises(InputError, match="at least two sources"):
        joint.read_release(msgspec.json.encode(doc), joined.election, where="x")
    doc = msgspec.json.decode(payload.data)
    doc["bundle"] = "racedesk.joint/9"
    with pytest.raises(InputError, match="unknown joined-release format"):
        joint.read_election(msgspec.json.encode(doc), "x")


def test_the_joined_primary_calls_whole_contests_from_the_state_and_never_a_part(
    joined_report: BacktestReport,
) -> None:
    """Issue 15's done-when, LA's and the state's 2024 primary together."""
    s = joined_report.summary
    rows = {r.id: r for r in joined_report.contests}
    assert s.wrong_calls == 0
    assert 0.85 <= s.coverage_90 <= 0.95, s.coverage_90
    # LA's part of it is the canvass the shipped model was calibrated on: said in sample
    assert joined_report.in_sample
    # the figures docs/backtest.md quotes (261 called, 92.5%, before a district of the state's
    # could lag the whole's pace: docs/hurdles.md)
    assert (s.contests, s.called, s.pairs, round(s.coverage_90, 3)) == (951, 257, 48_979, 0.948)
    # never called from LA's portion, nor from the state's copy of an LA district
    parts = [r for r in joined_report.contests if r.portion]
    assert parts and all(r.call is None and r.call_events == 0 for r in parts)
    # Prop 1 (50.2%) is never called; the Senate's places go to Schiff and Garvey
    assert rows["prop-1"].call is None and rows["9413"].call is None
    senate = rows["us-senate"].call
    assert senate is not None and set(senate.choices) == {"Adam B. Schiff", "Steve Garvey"}
    assert rows["us-senate"].source == "ca-sos" and rows["9021"].source == "lavote"
    # District 16's second place ended tied: never called
    assert rows["us-rep-district-16"].call is None
    # LA's own contests are called from LA's count
    assert rows["9006"].call is not None and rows["9006"].correct


def test_the_state_contests_are_called_as_on_the_state_feed_alone(
    joined_report: BacktestReport, state_report: BacktestReport
) -> None:
    """Joined, the state's contests keep the call (and its release time) they get from the
    state's feed alone: their votes left go at the pace of the state's own feed time and their
    batches are the state's own releases. Only the copies of LA's districts are not called."""
    joined_rows = {r.id: r for r in joined_report.contests}
    moved = []
    for row in state_report.contests:
        mine = joined_rows[row.id]
        alone = row.call.release_time if row.call else None
        together = mine.call.release_time if mine.call else None
        if alone != together:
            moved.append((row.id, mine.portion))
    assert moved and all(portion.startswith("copy of contest") for _, portion in moved)


def test_la_part_and_the_state_slice_agree_wherever_both_counted_the_same(joined: Canvass) -> None:
    """``docs/formats.md``: LA's count of its part and the state feed's LA slice count the same
    votes at 4,229 (release, contest) pairs of the 2024 primary, and agree choice by choice
    there (no ``parts-disagree`` notice anywhere); elsewhere the state's copy lags LA's feed."""
    pairs = [(a, b) for a, b in joined_slices(joined.election)]
    assert len(pairs) == 27
    same = 0
    for release in joined.releases:
        counts = release.counts_by_contest()
        for part, twin in pairs:
            mine, theirs = counts.get(part.id), counts.get(twin.id)
            if mine is not None and theirs is not None:
                same += abs(mine.choice_votes - theirs.choice_votes) <= 0.005 * max(
                    mine.choice_votes, 1
                )
        assert parts_disagree(joined.election, release) == []
    assert same == 4_229
