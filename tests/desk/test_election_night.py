"""What holds the 2024 general's election night back (``docs/method.md``, "The late shift a call
must rule out"): the calls the desk makes by the end of the night with its own votes left, and
with the ballots still to come known exactly, trained on the other small canvasses."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import msgspec
import pytest

from racedesk.data import load_params
from racedesk.desk.crossval import CanvassSpec, rows_task
from racedesk.engine.backtest import is_election_night
from racedesk.engine.calibrate import fit
from racedesk.engine.calls import late_allowance
from racedesk.engine.params import ModelParams, default_params
from racedesk.engine.projection import fraction_bucket
from racedesk.engine.replay import replay
from racedesk.model import OutstandingReport
from racedesk.rules import CALL_STATUSES
from racedesk.settings import REPO_ROOT
from racedesk.sources.loader import load_canvasses

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(shared_data: Path) -> ModelParams:
    """Calibrated on the LA primary (with LA's reports), San Diego's special primary and the
    2020 scenario: every canvass of ``tests/desk/test_crossval_figures.py`` but the general."""
    la = shared_data / "lavote"
    sd = shared_data / "sandiego" / "2025-04-08-bos1-special-primary"
    if not sd.is_dir():
        pytest.skip(f"San Diego's 2025 canvass not found at {sd}")
    specs = [
        CanvassSpec(str(la / "4316-2024-primary"), str(la / "outstanding-reports.csv")),
        CanvassSpec(str(sd), str(sd / "metadata.json")),
        CanvassSpec("scenario:la-da-2020"),
    ]
    found = [got for spec in specs for got in rows_task(spec)]
    return fit([r for _, rows in found for r in rows], [eid for eid, _ in found], default_params())


def _called_by_night(general_2024: Path, params: ModelParams, exact: bool) -> int:
    canvass = load_canvasses(str(general_2024))[0]
    election = canvass.election
    ordered = sorted(canvass.releases, key=lambda r: r.feed_time)
    final = ordered[-1].ballots_counted or 0
    night = [r for r in ordered if is_election_night(election, r.feed_time)]
    # the county's ballots still to come, known at each release of the night
    reports = (
        [
            OutstandingReport(as_of=r.feed_time, total=final - (r.ballots_counted or 0))
            for r in night
        ]
        if exact
        else []
    )
    last = None
    for snapshot in replay(election, night, reports, params):
        last = snapshot
    assert last is not None
    return sum(1 for c in last.calls.values() if c.status in CALL_STATUSES)


def test_the_ballots_still_to_come_would_call_half_the_general_by_the_end_of_the_night(
    general_2024: Path, trained: ModelParams
) -> None:
    exact = msgspec.structs.replace(trained, report_rise=0.0, report_fall=0.0)
    rows = {
        "the desk's": _called_by_night(general_2024, trained, False),
        "county exact": _called_by_night(general_2024, exact, True),
        "shares up to 1.6": _called_by_night(
            general_2024, msgspec.structs.replace(exact, coverage_high=1.6, rolloff_high=1.0), True
        ),
        "contest exact": _called_by_night(
            general_2024, msgspec.structs.replace(exact, coverage_high=1.0, rolloff_high=1.0), True
        ),
        "no cap": _called_by_night(
            general_2024,
            msgspec.structs.replace(
                exact, coverage_high=1.0, rolloff_high=1.0, late_cap=(), late_cap_minor=()
            ),
            True,
        ),
    }
    assert rows == {
        "the desk's": 139,
        "county exact": 172,
        "shares up to 1.6": 188,
        "contest exact": 219,
        "no cap": 159,
    }
    method = (REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    said = re.findall(r"^\| [^|]+ \| ([0-9]+) \(([0-9.]+)%\) \|$", method, re.MULTILINE)
    assert said == [(str(n), f"{100 * n / 373:.1f}") for n in rows.values()]


def test_the_nights_votes_left_against_what_came(general_2024: Path, trained: ModelParams) -> None:
    """At the night's last release (3:46 am) the registration bound allowed 2.7 times the ballots
    that came, and each contest's high end a median 2.6 times its votes counted."""
    canvass = load_canvasses(str(general_2024))[0]
    election = canvass.election
    ordered = sorted(canvass.releases, key=lambda r: r.feed_time)
    final = ordered[-1]
    night = [r for r in ordered if is_election_night(election, r.feed_time)]
    *_, last = replay(election, night, [], trained)
    assert last.feed_time.isoformat() == "2024-11-06T03:46:07-08:00"
    assert last.ballots_left.ballots is not None
    came = (final.ballots_counted or 0) - (last.ballots_counted or 0)
    assert (round(last.ballots_left.ballots.high), came) == (3_121_262, 1_177_565)
    ends = final.counts_by_contest()
    whole = {c.id for c in election.contests if not c.portion}
    ratios, highs, shares = [], [], []
    for state in last.states:
        end = ends.get(state.contest_id)
        left = state.votes_left.votes
        if state.contest_id not in whole or end is None or left is None or left.high <= 0:
            continue
        if not state.ballots or state.ballots < 1_000 or end.ballots is None:
            continue
        counted = state.total_votes + state.write_ins
        to_come = end.total_votes + end.write_ins - counted
        highs.append(left.high / counted)
        ratios.append(to_come / left.high)
        share_now = state.ballots / (last.ballots_counted or 1)
        shares.append((end.ballots - state.ballots) / came / share_now)
    assert round(statistics.median(highs), 1) == 2.6
    assert round(statistics.median(ratios), 2) == 0.17
    assert round(max(shares), 2) == 1.57
    method = (REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    for said in ("3,121,262", "1,177,565", "1.57 times", "median\n2.6 times", "median 17%"):
        assert said.replace("\n", " ") in " ".join(method.split()), said


def _two_way_lead(kind: str, margin: float) -> float:
    """A contest's lead, two-way: a measure's yes against its no is twice its distance from the
    threshold (``margin_share``); a seat's last winner against the first loser is the margin."""
    return 2 * margin if kind == "measure" else margin


def test_calling_every_large_lead_of_the_night_would_not_make_half(general_2024: Path) -> None:
    """With the shipped parameters and no reports, at the night's last release: 148 whole
    contests led by 20 points or more two-way, 114 of them called and no other contest; the 34
    not called are small (``docs/method.md``)."""
    canvass = load_canvasses(str(general_2024))[0]
    election = canvass.election
    ordered = sorted(canvass.releases, key=lambda r: r.feed_time)
    night = [r for r in ordered if is_election_night(election, r.feed_time)]
    *_, last = replay(election, night, [], load_params())
    called = {cid for cid, c in last.calls.items() if c.status in CALL_STATUSES}
    large: dict[str, int] = {}
    for contest in election.contests:
        state = last.state(contest.id)
        if contest.portion or contest.record or state is None or state.margin_share is None:
            continue
        if _two_way_lead(contest.kind, state.margin_share) >= 0.20:
            large[contest.id] = sum(state.votes.values())  # votes for its choices
    assert (len(large), len(called), called <= large.keys()) == (148, 114, True)
    left_out = [v for cid, v in large.items() if cid not in called]
    kept = [v for cid, v in large.items() if cid in called]
    assert (len(left_out), statistics.median(left_out), statistics.median(kept)) == (
        34,
        4133.5,
        14171.5,
    )
    assert round(100 * len(large) / len(election.contests), 1) == 39.7
    params = load_params()
    allowed = []
    for cid in large.keys() - called:
        state = last.state(cid)
        assert state is not None and state.votes_left.votes is not None
        high, counted = state.votes_left.votes.high, sum(state.votes.values())
        stage = fraction_bucket(counted / (counted + high), params)
        allowed.append(late_allowance(min(state.shares.values()), high, params, stage))
    assert (round(min(allowed), 3), round(max(allowed), 3)) == (0.175, 0.267)
    method = " ".join((REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8").split())
    for said in (
        "148 of the contests",
        "called 114 of them",
        "The 34 it did not call",
        "median 4,134 votes for its choices",
        "14,172 for those called",
        "148 of 373 (39.7%)",
        "(17.5 to 26.7 points)",
    ):
        assert said in method, said


def test_the_primarys_largest_residual_is_a_partys(primary_2024: Path) -> None:
    """Assembly 48's Republican, Dan Tran, had 43.5% on Mar 6, 2024 and 32.6% of the votes still
    to come (``docs/method.md``)."""
    canvass = load_canvasses(str(primary_2024))[0]
    ordered = sorted(canvass.releases, key=lambda r: r.feed_time)
    (mar_6,) = [r for r in ordered if r.feed_time.isoformat().startswith("2024-03-06T16")]
    now, end = mar_6.count("9035"), ordered[-1].count("9035")
    assert now is not None and end is not None
    tran = "23070"
    share = now.votes[tran] / sum(now.votes.values())
    late = (end.votes[tran] - now.votes[tran]) / (sum(end.votes.values()) - sum(now.votes.values()))
    assert (round(100 * share, 1), round(100 * late, 1)) == (43.5, 32.6)
