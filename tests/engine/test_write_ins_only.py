"""A contest with no candidate filed (issue 14, item 8): its votes are all write-ins, which LA's
feed counts together and never names, so the desk says so and never calls it, where it said
"no votes counted yet" and "too early" for ever (the golden digest was re-pinned for these four
contests of the 2024 general: 9693, 9717, 9718, 9746).

On the real 2024 general: El Segundo's City Clerk (9693, "No Candidates Filed"), 1,492 write-in
votes at the certified count.
"""

from __future__ import annotations

from pathlib import Path

from racedesk.data import load_params
from racedesk.engine.replay import replay
from racedesk.publish.words import contest_sentence
from racedesk.sources import lavote
from racedesk.sources.outstanding import load_reports

CLERK = "9693"


def test_a_contest_with_no_candidate_filed_says_write_ins_only(general_2024: Path) -> None:
    election, files = lavote.load_folder(general_2024)
    read = lavote.release_reader(election)
    releases = [read(data, where=str(path)) for path, data in files]
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", election.date)
    snapshots = list(replay(election, releases, reports, load_params()))
    contest = election.contest(CLERK)
    assert contest.choices == ()
    final = snapshots[-1]
    state = final.state(CLERK)
    assert state is not None and state.write_ins == state.total_votes == 1_492
    assert state.outcome == "write-ins only: no candidate filed"
    call = final.calls[CLERK]
    assert call.status == "write-ins only" and "1,492 write-in votes" in call.sentence
    sentence = contest_sentence(contest, state, None, call, [])
    assert sentence == (
        "No candidate filed: 1,492 write-in votes so far, which the feed does not name. "
        "Not called: write-ins only."
    )
    counted = [s for s in snapshots if (s.state(CLERK) or state).total_votes > 0]
    assert counted and all(s.calls[CLERK].status == "write-ins only" for s in counted)
    assert not [e for s in snapshots for e in s.new_events if e.contest_id == CLERK]
