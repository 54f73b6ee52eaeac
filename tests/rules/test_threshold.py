"""Threshold rules (racedesk/rules/threshold.py): which choice is yes, one threshold parser, one
threshold hurdle, asked by every stage.

Two answers changed on purpose when the rules became one module (the golden digest was re-pinned
with these tests):

- "which choice is YES" had two definitions: the standing read the first word (YES, FOR, SÍ…),
  the projection, the calls, the backtest and the words took a name starting with "YES", else
  the first choice. On a measure whose choices are ``AGAINST, FOR`` (or ``NO, SÍ``) the hurdle
  and the probability described opposite choices. Now every stage asks :func:`yes_no`.
- the threshold hurdle was written twice (the standing's, exact in the threshold's numerator and
  denominator, and the calls' in floating point), and the two disagreed exactly at the threshold
  with nothing left to count (0 against −∞). Now there is one, whose figures differ from the
  calls' old ones in the last bit for 55% and two-thirds measures (the ledger's hurdles of 16
  events of the 2024 general moved by less than 1e-15; no call, status or time changed).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from racedesk.engine.backtest import final_outcome
from racedesk.engine.params import default_params
from racedesk.engine.run import advance
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    Election,
    OutstandingReport,
    Release,
    Rule,
)
from racedesk.publish.words import contest_sentence
from racedesk.rules import logic_for
from racedesk.rules.base import Count
from racedesk.rules.hurdle import threshold_needs
from racedesk.rules.threshold import need_interval, parse_threshold, thresholds, yes_no

LA = ZoneInfo("America/Los_Angeles")
T0 = datetime(2024, 11, 5, 21, 0, tzinfo=LA)


def measure(names: list[str], threshold: str = "1/2") -> Contest:
    return Contest(
        id="m",
        title="MEASURE M",
        kind="measure",
        rule=Rule(kind="measure", threshold=threshold),
        choices=tuple(Choice(id=f"m-{i}", name=n) for i, n in enumerate(names)),
    )


def snapshot_of(contest: Contest, batches: list[list[int]]):  # type: ignore[no-untyped-def]
    """The desk's snapshot after releases of cumulative ``batches`` (votes in ballot order),
    with the registrar's estimate of 40,000 ballots left."""
    election = Election(
        id="test:m", title="Test", date=T0.date(), jurisdiction="Test County",
        kind="general", contests=(contest,), registration=1_000_000,
    )  # fmt: skip
    history = []
    for n, votes in enumerate(batches):
        when = T0 + timedelta(hours=n)
        history.append(
            Release(
                election_id=election.id,
                source="test",
                feed_time=when,
                received_at=when,
                content_hash=f"h{n}",
                sequence=n,
                ballots_counted=sum(votes),
                contests=(
                    ContestCount(
                        contest_id="m",
                        ballots=sum(votes),
                        votes={c.id: v for c, v in zip(contest.choices, votes, strict=True)},
                    ),
                ),
            )
        )
    report = OutstandingReport(as_of=T0, total=40_000)
    usable = [True] * len(history)
    return advance(election, history, usable, [report], [], default_params(), seed=0)


@pytest.mark.parametrize(
    ("names", "yes"),
    [
        (["YES", "NO"], 0),
        (["NO", "YES"], 1),
        (["AGAINST", "FOR"], 1),
        (["FOR", "AGAINST"], 0),
        (["NO", "SÍ"], 1),
        (["Sí", "No"], 0),
        (["BONDS, YES", "BONDS, NO"], 0),  # neither first word tells: ballot order
    ],
)
def test_yes_is_told_by_the_first_word_else_by_ballot_order(names: list[str], yes: int) -> None:
    assert yes_no(measure(names)) == (yes, 1 - yes)


def test_three_choices_none_named_yes_have_no_yes() -> None:
    assert yes_no(measure(["A", "B", "C"])) == (-1, -1)


@pytest.mark.parametrize("names", [["AGAINST", "FOR"], ["NO", "SÍ"]])
def test_every_stage_reads_the_same_choice_as_yes(names: list[str]) -> None:
    """A measure whose yes comes second: the standing, the projection, the call and the
    backtest's truth all speak of the second choice (before, the projection and the call took
    the first, AGAINST or NO, for yes)."""
    contest = measure(names)
    # yes (the second choice) far ahead, then further ahead: passed
    snap = snapshot_of(contest, [[30_000, 70_000], [60_000, 140_000], [90_000, 210_000]])
    state = snap.states[0]
    by_id = {s.choice_id: s for s in state.standings}
    assert by_id["m-1"].goal.startswith("to pass") and by_id["m-0"].goal == "to defeat it"
    assert state.leaders == ("m-1",)
    projection = snap.projections["m"]
    probability = {c.choice_id: c.probability for c in projection.choices}
    assert probability["m-1"] == pytest.approx(projection.outcomes["passes"]) and (
        probability["m-1"] > 0.99
    )
    call = snap.calls["m"]
    assert (call.status, call.choices) == ("passed", ("m-1",))
    final = ContestCount(contest_id="m", votes={"m-0": 90_000, "m-1": 210_000})
    assert final_outcome(contest, final) == ("passed", ["m-1"])
    sentence = contest_sentence(contest, state, projection, call, [])
    assert sentence.startswith("Yes has 70.0%;"), sentence


def test_the_threshold_hurdle_at_the_threshold_with_nothing_left_is_zero() -> None:
    """Exactly at the threshold with nothing left to count, yes needs none of the (no) votes
    left: 0, in the standing's arithmetic and in the call's (which said −∞ before)."""
    assert threshold_needs(500, 1000, 0.0, 1, 2) == 0.0
    assert threshold_needs(501, 1000, 0.0, 1, 2) == -math.inf
    assert threshold_needs(499, 1000, 0.0, 1, 2) == math.inf
    count = Count(
        ids=("y", "n"), names=("YES", "NO"), votes=(500, 500), counted=1000,
        left_low=0.0, left_mid=0.0, left_high=0.0, ballots_high=0.0,
    )  # fmt: skip
    assert need_interval(count, 0, Fraction(1, 2), clipped=False).mid == 0.0


def test_the_call_s_hurdle_is_the_standing_s_need() -> None:
    """A two-thirds measure: the call's hurdle and yes's need in the standing come from the one
    threshold hurdle, so they are the same figure."""
    contest = measure(["YES", "NO"], "2/3")
    snap = snapshot_of(contest, [[7_000, 3_000], [14_000, 6_000], [21_000, 9_000]])
    yes = next(s for s in snap.states[0].standings if s.choice_id == "m-0")
    assert yes.status == "contending" and yes.needs is not None
    left = snap.states[0].votes_left.votes
    assert left is not None
    count = Count(
        ids=("m-0", "m-1"), names=("YES", "NO"), votes=(21_000, 9_000), counted=30_000,
        left_low=left.low, left_mid=left.mid, left_high=left.high, ballots_high=left.high,
    )  # fmt: skip
    hurdle = need_interval(count, 0, Fraction(2, 3))
    assert hurdle.mid == threshold_needs(21_000, 30_000, left.mid, 2, 3) == yes.needs.mid


@pytest.mark.parametrize(
    ("text", "q"),
    [("2/3", Fraction(2, 3)), ("55%", Fraction(11, 20)), ("11/20", Fraction(11, 20)),
     ("0.5", Fraction(1, 2)), (" 1/2 ", Fraction(1, 2)), ("1", None), ("0", None),
     ("abc", None), ("1/0", None), ("120%", None)],
)  # fmt: skip
def test_one_threshold_parser(text: str, q: Fraction | None) -> None:
    assert parse_threshold(text) == q


def test_an_unreadable_threshold_reads_as_none_at_every_stage() -> None:
    contest = measure(["YES", "NO"], "two thirds")
    assert thresholds(contest.rule) == []
    logic = logic_for(contest.rule)
    final = ContestCount(contest_id="m", votes={"m-0": 900, "m-1": 100})
    assert logic.final_outcome(contest, final) == ("too close", [])
    snap = snapshot_of(contest, [[700, 300], [1_400, 600]])
    assert snap.states[0].outcome.startswith("rule unknown")
    assert snap.calls["m"].status == "too early"
    assert math.isnan(snap.projections["m"].choices[0].probability)
