"""The ranked-choice rule family (``racedesk.rules.ranked_choice``) on small counts: the
standing is the last round's, candidates out of it are eliminated only once no ballot left could
have kept them in, and a call needs both the last round's lead and every elimination safe."""

from __future__ import annotations

import msgspec

from builders import contest, release
from racedesk.engine.calls import decide
from racedesk.engine.params import default_params
from racedesk.engine.standing import contest_state
from racedesk.model import ContestCount, Interval, RoundCount, Rule, VotesLeft
from racedesk.model.answers import ChoiceProjection, Projection
from racedesk.rules import logic_for

RCV = contest("m", ["ADA", "BEA", "CY", "DEE"], Rule(kind="ranked_choice", votes_allowed=3))
A, B, C, D = (c.id for c in RCV.choices)


def count(first: list[int], third: dict[str, int], last: dict[str, int]) -> ContestCount:
    votes = dict(zip([A, B, C, D], first, strict=True))
    return ContestCount(
        contest_id="m",
        votes=votes,
        rounds=(
            RoundCount(name="first choices", tally=votes),
            RoundCount(name="round of three", tally=third),
            RoundCount(name="last round", tally=last),
        ),
    )


def left(ballots: float | None) -> VotesLeft:
    if ballots is None:
        return VotesLeft(ballots=None, votes=None, source="none")
    interval = Interval(low=ballots / 2, mid=ballots, high=ballots)
    return VotesLeft(ballots=interval, votes=interval, source="registrar")


FIRST = [40_000, 30_000, 25_000, 5_000]
THIRD = {A: 42_000, B: 31_000, C: 26_000}
LAST = {A: 55_000, B: 40_000}


def state_of(ballots: float | None, third: dict[str, int] = THIRD):  # type: ignore[no-untyped-def]
    base = release([RCV], [FIRST])
    one = msgspec.structs.replace(base, contests=(count(FIRST, third, LAST),))
    return contest_state(RCV, one.contests[0], one, left(ballots))


def test_the_standing_is_the_last_round_s() -> None:
    state = state_of(2_000)
    assert state.votes == {A: 55_000, B: 40_000, C: 0, D: 0}
    assert state.outcome == "Ada clinched in the last round"  # short names, as everywhere
    assert [r.name for r in state.rounds] == ["first choices", "round of three", "last round"]
    standing = {s.choice_id: s for s in state.standings}
    # CY went out 5,000 behind BEA in the round of three: out for good with 2,000 ballots left.
    assert standing[C].status == "eliminated"
    assert (
        standing[C].goal
        == "to stay in the count (out after the round of three, 5,000 votes behind)"
    )
    assert standing[D].goal.endswith("out after the first choices, 20,000 votes behind)")
    # With 6,000 ballots left CY could still pass BEA; without an estimate nobody can say.
    assert {s.choice_id: s.status for s in state_of(6_000).standings}[C] == "contending"
    assert {s.choice_id: s.status for s in state_of(None).standings}[C] == "unknown"


def projection(p: float) -> Projection:
    shares = {A: 0.57, B: 0.43, C: 0.0, D: 0.0}
    return Projection(
        contest_id="m", model_version="test", seed=0, draws=400, level=0.9,
        choices=tuple(
            ChoiceProjection(choice_id=c, share_mid=s, share_low=s, share_high=s, probability=p)
            for c, s in shares.items()
        ),
        outcomes={"ADA wins": p},
    )  # fmt: skip


def test_a_call_needs_the_last_round_and_every_elimination_safe() -> None:
    params = default_params()
    called = decide(RCV, state_of(2_000), projection(1.0), 5, params)
    assert (called.status, called.choices) == ("called", (A,))
    assert called.reason.startswith("ADA leads the last round by 15,000 votes (15.8%)")
    # The same last round, but CY only 300 behind BEA in the round of three with 20,000 left:
    # CY could still reach the last round, so no call.
    close = {A: 42_000, B: 31_000, C: 30_700}
    held = decide(RCV, state_of(20_000, close), projection(1.0), 5, params)
    assert held.status in ("leading", "too close") and not held.choices
    assert "CY trails BEA by 300 votes in the round of three" in held.reason


def test_first_choices_alone_are_never_called() -> None:
    base = release([RCV], [FIRST])
    state = contest_state(RCV, base.contests[0], base, left(10))
    verdict = decide(RCV, state, projection(1.0), 5, default_params())
    assert verdict.status == "too early"
    assert "not called on first choices" in verdict.reason
    # nor decided on a final count of them, but for a majority of them (write-ins among them)
    logic = logic_for(RCV.rule)
    assert logic.final_outcome(RCV, base.contests[0]) == ("too early", [])
    most = release([RCV], [[51_000, 30_000, 14_000, 4_000]]).contests[0]
    assert logic.final_outcome(RCV, most) == ("called", [A])
    many_write_ins = msgspec.structs.replace(most, write_ins=3_000)
    assert logic.final_outcome(RCV, many_write_ins) == ("too early", [])
