"""A recall's successor contest is shown and never called (``rules/successor.py``): its winner
takes office only if the recall passes (Cal. Const. art. II §15(c))."""

from __future__ import annotations

import pytest

from racedesk.engine.backtest import run_backtest
from racedesk.engine.params import default_params
from racedesk.model.answers import ContestCall
from racedesk.publish.words import call_words
from racedesk.rules.successor import successor_condition
from racedesk.sources import openelections


@pytest.mark.parametrize(
    ("title", "condition"),
    [
        ("Candidates to succeed GAVIN NEWSOM as Governor if he is recalled:", "if he is recalled"),
        ("CANDIDATES TO SUCCEED GAVIN NEWSOM AS GOVERNOR IF HE IS RECALLED", "if he is recalled"),
        ("Successor to Council Member Smith (Recall)", "if the recall passes"),
        ("Replacement Candidate, City Council Seat 2, Recall Election", "if the recall passes"),
        ("Shall GAVIN NEWSOM be recalled (removed) from the office of Governor?", ""),
        ("CITY OF MONTEBELLO RECALL ELECTION", ""),
        ("Governor", ""),
        ("Member of the City Council, if elected at large", ""),
    ],
)
def test_a_successor_contest_is_told_by_its_words(title: str, condition: str) -> None:
    assert successor_condition(title) == condition


RECALL = """county,office,district,party,candidate,votes
Alameda,Shall Gavin Newsom be recalled (removed) from the office of Governor?,,,Yes,389000
Alameda,Shall Gavin Newsom be recalled (removed) from the office of Governor?,,,No,611000
Alameda,Candidates to succeed Gavin Newsom as Governor if he is recalled:,,REP,Larry Elder,484000
Alameda,Candidates to succeed Gavin Newsom as Governor if he is recalled:,,DEM,Kevin Paffrath,96000
Alameda,Candidates to succeed Gavin Newsom as Governor if he is recalled:,,REP,Kevin Faulconer,81000
Alpine,Shall Gavin Newsom be recalled (removed) from the office of Governor?,,,Yes,300
Alpine,Shall Gavin Newsom be recalled (removed) from the office of Governor?,,,No,400
"""


def test_the_2021_recall_s_successor_is_never_called_for_its_leader() -> None:
    """A state's file of a recall, in the shape of California's 2021 (counts of our own): the
    question fails with 61.1% voting no; Elder leads the successor contest with 73%. The
    question is called; the successor contest never is, and says why."""
    parsed = openelections.parse(
        RECALL.encode(), where="20210914__ca__special__general__county.csv"
    )
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    final = {c.title: c for c in report.contests}
    successor = final["Candidates to succeed Gavin Newsom as Governor if he is recalled:"]
    assert successor.call is None and successor.call_events == 0
    question = final["Shall Gavin Newsom be recalled (removed) from the office of Governor?"]
    assert question.call is not None and question.call.status == "failed"
    contest = next(c for c in parsed.election.contests if c.id == successor.id)
    words = call_words(
        contest, ContestCall(contest_id=contest.id, status="too early", choices=(), sentence="")
    )
    assert words == (
        "Not called: its winner takes office only if he is recalled (Cal. Const. art. II "
        "§15(c)), which the recall question decides: racedesk projects and calls that "
        "question, and shows here who would succeed."
    )
