"""A recall's successor contest (``rules/successor.py``): its winner takes office only if the
recall passes (Cal. Const. art. II §15(c)), so it is called only once the recall question of
the same election is called passed, and never once it is called failed."""

from __future__ import annotations

import msgspec
import pytest

from builders import contest, election, release, state
from racedesk.engine import calls, projection
from racedesk.engine.backtest import run_backtest
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams, default_params
from racedesk.model import Contest, Rule
from racedesk.model.answers import BallotsLeft, CallEvent, ContestCall, ContestState
from racedesk.publish.words import call_words
from racedesk.rules.successor import condition_in as successor_condition_in
from racedesk.rules.successor import successor_condition
from racedesk.rules.threshold import recall_question
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


@pytest.mark.parametrize(
    ("title", "recall"),
    [
        ("Shall GAVIN NEWSOM be recalled (removed) from the office of Governor?", True),
        ("RECALL OF COUNCIL MEMBER ANA", True),
        ("Recall Question", True),
        ("CITY OF MONTEBELLO RECALL ELECTION", True),
        ("Recall - Jane Doe, Trustee Area 2", True),
        ("Trustee Area 2 (Recall)", True),
        ("Candidates to succeed GAVIN NEWSOM as Governor if he is recalled:", False),
        ("CITY OF LOMITA RECALL MAYOR JANE DOE", True),
        ("Measure R: amend the charter's recall procedures", False),
        ("Measure R: Recall Provisions Amendment", False),
        ("Measure A", False),
    ],
)
def test_a_recall_question_is_told_by_its_words(title: str, recall: bool) -> None:
    assert recall_question(title) is recall


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
    question is called failed; the successor contest, which waits on it, never is, and says
    why."""
    parsed = openelections.parse(
        RECALL.encode(), where="20210914__ca__special__general__county.csv"
    )
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    final = {c.title: c for c in report.contests}
    successor = final["Candidates to succeed Gavin Newsom as Governor if he is recalled:"]
    assert successor.call is None and successor.call_events == 0
    # the backtest's truth: no one took office by it (a call of Elder would be scored wrong)
    assert (successor.final_status, successor.final_winners) == ("too early", [])
    question = final["Shall Gavin Newsom be recalled (removed) from the office of Governor?"]
    assert question.call is not None and question.call.status == "failed"
    contest = next(c for c in parsed.election.contests if c.id == successor.id)
    words = call_words(
        contest, ContestCall(contest_id=contest.id, status="too early", choices=(), sentence="")
    )
    assert words == (
        "Not called: its winner takes office only if he is recalled (Cal. Const. art. II "
        "§15(c)): racedesk calls it only once the recall question of the same election is "
        "called passed, and shows here who would succeed."
    )


RECALL_2003 = """county,office,district,party,candidate,votes
Alameda,Shall Gray Davis be recalled (removed) from the office of Governor?,,,Yes,554000
Alameda,Shall Gray Davis be recalled (removed) from the office of Governor?,,,No,446000
Alameda,Candidates to succeed Gray Davis as Governor if he is recalled:,,REP,Arnold Schwarzenegger,486000
Alameda,Candidates to succeed Gray Davis as Governor if he is recalled:,,DEM,Cruz M. Bustamante,315000
Alameda,Candidates to succeed Gray Davis as Governor if he is recalled:,,REP,Tom McClintock,134000
Alpine,Shall Gray Davis be recalled (removed) from the office of Governor?,,,Yes,300
Alpine,Shall Gray Davis be recalled (removed) from the office of Governor?,,,No,400
"""


def test_the_2003_recall_s_successor_is_called_once_the_recall_passes() -> None:
    """A state's file in the shape of California's 2003 recall (counts of our own): the
    question passes with 55.4%; the successor contest, which waits on it, is called for
    Schwarzenegger on the same count."""
    parsed = openelections.parse(
        RECALL_2003.encode(), where="20031007__ca__special__general__county.csv"
    )
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    final = {c.title: c for c in report.contests}
    question = final["Shall Gray Davis be recalled (removed) from the office of Governor?"]
    assert question.call is not None and question.call.status == "passed"
    successor = final["Candidates to succeed Gray Davis as Governor if he is recalled:"]
    assert successor.call is not None and successor.call.status == "called"
    assert successor.call.choices == ["Arnold Schwarzenegger"] and successor.correct
    assert (successor.final_status, successor.final_winners) == (
        "called",
        ["Arnold Schwarzenegger"],
    )
    # the question is a recall's, decided by more than half: not a measure whose threshold the
    # file does not state, which 55.4% could not settle
    rules = {c.title: c.rule for c in parsed.election.contests}
    assert rules[question.title].kind == "recall"
    assert rules[question.title].threshold == "1/2"


QUESTION = "Shall ADA LOVELACE be recalled (removed) from the office of Mayor?"
SUCCESSOR = "Candidates to succeed ADA LOVELACE as Mayor if she is recalled"


def _recall_ballot() -> tuple[Contest, Contest]:
    question = msgspec.structs.replace(
        contest("q", ["YES", "NO"], Rule(kind="recall", threshold="1/2")), title=QUESTION
    )
    successor = msgspec.structs.replace(
        contest("s", ["ALAN TURING", "GRACE HOPPER", "EDSGER DIJKSTRA"]), title=SUCCESSOR
    )
    return question, successor


def _decide(
    contests: list[Contest], states: list[ContestState], ledger: list[CallEvent] | None = None
) -> tuple[list[CallEvent], dict[str, ContestCall]]:
    """The calls after the second of two releases with the counts of ``states``."""
    el = election(contests)
    votes = [[s.votes[k.id] for k in c.choices] for c, s in zip(contests, states, strict=True)]
    good = [release(contests, votes, n) for n in range(2)]
    index = ElectionIndex(el)
    left = BallotsLeft(ballots=None, source="none")
    projections = projection.project_all(el, good, states, left, PARAMS, 0, index)
    return calls.decide_all(
        el, good[-1], states, projections, ledger or [], PARAMS, usable=True, good=good,
        index=index,
    )  # fmt: skip


PARAMS = ModelParams(version="test-successor", draws=2000, late_shift_max=(0.1,) * 5)


def test_the_question_is_found_by_the_officer_it_names() -> None:
    question, successor = _recall_ballot()
    other = msgspec.structs.replace(
        question, id="q2", title="Shall ALAN TURING be recalled (removed) from the office of Clerk?"
    )
    found = successor_condition_in(successor, [other, question, successor])
    assert found is not None and (found.question, found.needs) == ("q", "passed")
    # a question naming someone else, or one counted in part, is not the one it waits on
    assert successor_condition_in(successor, [other, successor]) is None
    part = msgspec.structs.replace(question, portion="Los Angeles County")
    assert successor_condition_in(successor, [part, successor]) is None
    # a successor naming no one waits on the election's only recall question, not on one of two
    unnamed = msgspec.structs.replace(successor, title="Successor to the Mayor (Recall)")
    assert successor_condition_in(unnamed, [question, unnamed]) is not None
    assert successor_condition_in(unnamed, [question, other, unnamed]) is None
    assert successor_condition_in(question, [question, successor]) is None


def test_the_successor_is_called_with_the_question_passed() -> None:
    question, successor = _recall_ballot()
    events, status = _decide(
        [successor, question],
        [state(successor, [6000, 3000, 1000], 0), state(question, [6000, 4000], 0)],
    )
    assert [(e.contest_id, e.status, e.choices) for e in events] == [
        ("q", "passed", ("q-0",)),
        ("s", "called", ("s-0",)),
    ]
    assert list(status) == ["s", "q"]


def test_the_successor_waits_while_the_question_is_not_called() -> None:
    question, successor = _recall_ballot()
    events, status = _decide(
        [question, successor],
        [state(question, [5010, 4990], 0), state(successor, [6000, 3000, 1000], 0)],
    )
    assert events == []
    assert status["q"].status == "too close"
    assert status["s"].status == "leading"
    assert status["s"].sentence.endswith(
        "but its winner takes office only if she is recalled, and the recall question "
        f"({QUESTION}) is not called yet"
    )


def test_the_successor_is_never_called_with_the_question_failed() -> None:
    question, successor = _recall_ballot()
    events, status = _decide(
        [question, successor],
        [state(question, [4000, 6000], 0), state(successor, [6000, 3000, 1000], 0)],
    )
    assert [(e.contest_id, e.status) for e in events] == [("q", "failed")]
    said = status["s"]
    assert (said.status, said.choices) == ("too early", ())
    words = call_words(successor, said, ElectionIndex(election([question, successor])).logic("s"))
    assert words == (
        "Not called: its winner takes office only if she is recalled, and the recall question "
        f"({QUESTION}) is called otherwise: no one takes office by this contest."
    )


def test_the_successor_s_call_is_rescinded_with_the_question_s() -> None:
    question, successor = _recall_ballot()
    contests = [question, successor]
    first, _ = _decide(
        contests, [state(question, [6000, 4000], 0), state(successor, [6000, 3000, 1000], 0)]
    )
    assert [e.status for e in first] == ["passed", "called"]
    # a corrected count of the question: its call is rescinded, and the successor's with it
    later, status = _decide(
        contests, [state(question, [4000, 6000], 0), state(successor, [6000, 3000, 1000], 0)],
        first,
    )  # fmt: skip
    assert [(e.contest_id, e.status, e.rescinds) for e in later] == [
        ("q", "rescinded", 1),
        ("s", "rescinded", 2),
    ]
    assert status["s"].status == "rescinded"
    assert calls.active_calls([*first, *later]) == {}


def test_a_held_call_says_what_it_waits_on() -> None:
    question, successor = _recall_ballot()
    _, status = _decide(
        [question, successor],
        [state(question, [5010, 4990], 0), state(successor, [6000, 3000, 1000], 0)],
    )
    logic = ElectionIndex(election([question, successor])).logic("s")
    assert call_words(successor, status["s"], logic) == (
        "Not called yet: its winner takes office only if she is recalled, and the recall "
        f"question ({QUESTION}) is not called yet."
    )
