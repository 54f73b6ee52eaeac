"""Standings for every rule: against brute force, against each trap of calls-and-hurdles.md, and
on the real Los Angeles releases."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from fractions import Fraction
from itertools import combinations, combinations_with_replacement
from pathlib import Path
from unittest.mock import patch

import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from racedesk.engine.params import default_params
from racedesk.engine.standing import contest_state
from racedesk.engine.votes_left import contest_votes_left, county_ballots_left
from racedesk.model import Choice, Contest, ContestCount, Election, OutstandingReport, Release, Rule
from racedesk.model.answers import Interval, Problem, VotesLeft
from racedesk.rules import places
from racedesk.rules.names import name_list, short_name
from racedesk.sources import lavote
from racedesk.sources.outstanding import load_reports

WHEN = datetime(2024, 11, 6, 1, 12, 5, tzinfo=UTC)
RELEASE = Release(
    election_id="test:1",
    source="test",
    feed_time=WHEN,
    received_at=WHEN,
    content_hash="h",
    contests=(),
    sequence=7,
)


def contest(rule: Rule, names: Sequence[str], kind: str = "candidate") -> Contest:
    return Contest(
        id="c",
        title="TEST",
        kind=kind,  # type: ignore[arg-type]
        rule=rule,
        choices=tuple(Choice(id=str(i), name=n) for i, n in enumerate(names)),
    )


def count(votes: Sequence[int], write_ins: int = 0) -> ContestCount:
    return ContestCount(
        contest_id="c", votes={str(i): v for i, v in enumerate(votes)}, write_ins=write_ins
    )


def exactly(ballots: float, votes: float) -> VotesLeft:
    return VotesLeft(ballots=Interval.exact(ballots), votes=Interval.exact(votes), source="model")


def state_of(
    rule: Rule,
    votes: Sequence[int],
    left: VotesLeft,
    write_ins: int = 0,
    kind: str = "candidate",
    names: Sequence[str] | None = None,
):  # type: ignore[no-untyped-def]
    names = (
        names
        or ["ANN ADAMS", "BEN BAKER", "CAL CRUZ", "DEE DIAZ", "EVE ELLIS", "FAY FOX"][: len(votes)]
    )
    return contest_state(contest(rule, names, kind), count(votes, write_ins), RELEASE, left)


# --- brute force ------------------------------------------------------------------------------


def outcomes(votes: Sequence[int], ballots: int, allowed: int, left: int) -> Iterator[list[int]]:
    """Every final count after ``ballots`` ballots, each marking at most ``allowed`` choices
    (one vote each), with at most ``left`` votes in all."""
    n = len(votes)
    kinds = [k for size in range(min(allowed, n) + 1) for k in combinations(range(n), size)]
    for marked in combinations_with_replacement(kinds, ballots):
        if sum(len(k) for k in marked) > left:
            continue
        final = list(votes)
        for kind in marked:
            for c in kind:
                final[c] += 1
        yield final


def settle(results: set[str]) -> str:
    """clinched when the choice gets what it is after in every outcome, eliminated in none."""
    return "clinched" if results == {"in"} else "eliminated" if results == {"out"} else "contending"


def brute_places(votes: Sequence[int], k: int, ballots: int, allowed: int, left: int) -> list[str]:
    statuses = []
    for c in range(len(votes)):
        seen = set()
        for f in outcomes(votes, ballots, allowed, left):
            reach = sum(1 for j, v in enumerate(f) if j != c and v >= f[c])
            ahead = sum(1 for j, v in enumerate(f) if j != c and v > f[c])
            seen.add("in" if reach < k else "out" if ahead >= k else "open")
        statuses.append(settle(seen))
    return statuses


def brute_majority(votes: Sequence[int], write_ins: int, ballots: int, left: int) -> list[str]:
    """Majority or top-two runoff (one seat, vote for one; write-ins count toward all votes).
    The leader is after a majority until none is possible, then a runoff place; the others
    are after a runoff place (with no majority for anyone)."""
    n = len(votes)
    finals = list(outcomes([*votes, write_ins], ballots, 1, left))
    lead = max(range(n), key=lambda i: (votes[i], -i))

    def majority(f: list[int], c: int) -> bool:
        return 2 * f[c] > sum(f)

    def place(f: list[int], c: int) -> str:
        reach = sum(1 for j in range(n) if j != c and f[j] >= f[c])
        ahead = sum(1 for j in range(n) if j != c and f[j] > f[c])
        return "in" if reach < 2 else "out" if ahead >= 2 else "open"

    always = all(majority(f, lead) for f in finals)
    never = not any(majority(f, c) for f in finals for c in range(n))
    statuses = []
    for c in range(n):
        if c == lead and not never:
            statuses.append("clinched" if always else "contending")
            continue
        seen = set()
        for f in finals:
            if any(majority(f, j) for j in range(n) if j != c):
                seen.add("out")
            elif majority(f, c):
                seen.add("in")
            else:
                seen.add(place(f, c))
        statuses.append(settle(seen))
    return statuses


def brute_measure(
    yes: int, no: int, ballots: int, left: int, qs: Sequence[tuple[Fraction, bool]]
) -> str:
    seen = set()
    for f in outcomes([yes, no], ballots, 1, left):
        passes = [f[0] > q * sum(f) if strict else f[0] >= q * sum(f) for q, strict in qs]
        seen.add("in" if all(passes) else "out" if not any(passes) else "open")
    return settle(seen)


small = st.lists(st.integers(0, 7), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(votes=small, ballots=st.integers(0, 3), data=st.data())
def test_plurality_vote_for_one_matches_brute_force(
    votes: list[int], ballots: int, data: st.DataObject
) -> None:
    left = data.draw(st.integers(0, ballots))
    s = state_of(Rule(kind="plurality"), votes, exactly(ballots, left))
    assert [x.status for x in s.standings] == brute_places(votes, 1, ballots, 1, left)


@settings(max_examples=150, deadline=None)
@given(
    votes=st.lists(st.integers(0, 6), min_size=2, max_size=4),
    ballots=st.integers(0, 3),
    data=st.data(),
)
def test_plurality_vote_for_two_matches_brute_force(
    votes: list[int], ballots: int, data: st.DataObject
) -> None:
    left = data.draw(st.integers(0, 2 * ballots))
    rule = Rule(kind="plurality", seats=2, votes_allowed=2)
    s = state_of(rule, votes, exactly(ballots, left))
    assert [x.status for x in s.standings] == brute_places(votes, 2, ballots, 2, left)


@settings(max_examples=150, deadline=None)
@given(
    votes=st.lists(st.integers(0, 7), min_size=2, max_size=4),
    ballots=st.integers(0, 3),
    data=st.data(),
)
def test_top_two_matches_brute_force(votes: list[int], ballots: int, data: st.DataObject) -> None:
    left = data.draw(st.integers(0, ballots))
    s = state_of(Rule(kind="top_two", advance=2), votes, exactly(ballots, left))
    assert [x.status for x in s.standings] == brute_places(votes, 2, ballots, 1, left)


@settings(max_examples=200, deadline=None)
@given(
    votes=st.lists(st.integers(0, 9), min_size=2, max_size=4),
    write_ins=st.integers(0, 2),
    ballots=st.integers(0, 4),
    data=st.data(),
)
def test_majority_or_runoff_matches_brute_force(
    votes: list[int], write_ins: int, ballots: int, data: st.DataObject
) -> None:
    left = data.draw(st.integers(0, ballots))
    rule = Rule(kind="majority_or_runoff", advance=2)
    s = state_of(rule, votes, exactly(ballots, left), write_ins=write_ins)
    assert [x.status for x in s.standings] == brute_majority(votes, write_ins, ballots, left)


MEASURE_RULES = [
    Rule(kind="measure", threshold="1/2"),
    Rule(kind="measure", threshold="11/20"),
    Rule(kind="measure", threshold="2/3"),
    Rule(kind="measure", threshold="2/3", alt_threshold="11/20", condition="prop 5 passes"),
    Rule(kind="recall", threshold="1/2"),
]


@settings(max_examples=300, deadline=None)
@given(
    yes=st.integers(0, 12),
    no=st.integers(0, 12),
    ballots=st.integers(0, 5),
    rule=st.sampled_from(MEASURE_RULES),
    data=st.data(),
)
def test_measures_and_recalls_match_brute_force(
    yes: int, no: int, ballots: int, rule: Rule, data: st.DataObject
) -> None:
    left = data.draw(st.integers(0, ballots))
    qs = [(Fraction(t), t == "1/2") for t in (rule.threshold, rule.alt_threshold) if t]
    s = state_of(rule, [yes, no], exactly(ballots, left), kind=rule.kind, names=["YES", "NO"])
    expected = brute_measure(yes, no, ballots, left, qs)
    flipped = {"clinched": "eliminated", "eliminated": "clinched", "contending": "contending"}[
        expected
    ]
    assert [x.status for x in s.standings] == [expected, flipped]


@settings(max_examples=200, deadline=None)
@given(
    votes=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
    write_ins=st.integers(0, 500),
    low=st.floats(0, 5_000),
    spread=st.floats(0, 5_000),
    mid_at=st.floats(0, 1),
    rule=st.sampled_from(
        [
            Rule(kind="plurality"),
            Rule(kind="plurality", seats=2, votes_allowed=2),
            Rule(kind="top_two", advance=2),
            Rule(kind="majority_or_runoff", advance=2),
            *MEASURE_RULES,
        ]
    ),
)
@example(votes=[3, 2], write_ins=0, low=0.0, spread=0.0, mid_at=0.0, rule=MEASURE_RULES[3])
def test_every_need_is_within_0_and_100_percent(
    votes: list[int], write_ins: int, low: float, spread: float, mid_at: float, rule: Rule
) -> None:
    """Never a hurdle outside 0–100%, an interval in order, and a need only while contending:
    always then, but for a measure whose whole count lies between its two thresholds (60% yes,
    passing at 55%, failing at 2/3), which turns on the threshold, not on votes left to need."""
    if rule.kind in ("measure", "recall"):
        votes, write_ins = [*votes, 0][:2], 0
    high = low + spread
    left = VotesLeft(
        ballots=Interval(low=low, mid=low + mid_at * spread, high=high),
        votes=Interval(low=low * 0.9, mid=(low + mid_at * spread) * 0.9, high=high * 0.9),
        source="model",
    )
    s = state_of(
        rule,
        votes,
        left,
        write_ins=write_ins,
        kind="candidate" if rule.kind not in ("measure", "recall") else rule.kind,
        names=["YES", "NO"] if rule.kind in ("measure", "recall") else None,
    )
    for x in s.standings:
        if x.status != "contending":
            assert x.needs is None
            continue
        if x.needs is None:
            assert rule.alt_threshold is not None and high == 0
            continue
        assert x.denominator
        assert 0.0 <= x.needs.low <= x.needs.mid <= x.needs.high <= 1.0


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(st.integers(0, 2_000), min_size=2, max_size=2),
    write_ins=st.integers(0, 300),
    missing=st.booleans(),
    low=st.floats(0, 3_000),
    spread=st.floats(0, 3_000),
    mid_at=st.floats(0, 1),
    votes_per_ballot=st.sampled_from([0.5, 1.0, 1.3]),
    known=st.booleans(),
)
def test_a_duel_is_worked_out_as_any_contest_for_places(
    votes: list[int],
    write_ins: int,
    missing: bool,
    low: float,
    spread: float,
    mid_at: float,
    votes_per_ballot: float,
    known: bool,
) -> None:
    """One seat between two choices has its own path (``racedesk.rules.places.duel``, most
    contests): its state, words and numbers included, is the general path's for places."""
    mid, high = low + mid_at * spread, low + spread
    left = (
        VotesLeft(
            ballots=Interval(low=low, mid=mid, high=high),
            votes=Interval(
                low=low * votes_per_ballot,
                mid=mid * votes_per_ballot,
                high=high * votes_per_ballot,
            ),
            source="model",
        )
        if known
        else VotesLeft(ballots=None, votes=None, source="none")
    )
    race = contest(Rule(kind="plurality"), ["ANN ADAMS", "BEN BAKER"])
    counted = count(votes, write_ins)
    if missing:  # a feed that leaves out a choice with no votes
        counted = msgspec.structs.replace(counted, votes={"1": votes[1]})
    fast = contest_state(race, counted, RELEASE, left)
    with patch.object(places, "duel", lambda *_: None):
        general = contest_state(race, counted, RELEASE, left)
    assert fast == general


# --- the traps of calls-and-hurdles.md --------------------------------------------------------


def test_a_lead_larger_than_the_votes_left_is_eliminated_not_397_percent() -> None:
    """The trap "needs 397%": 6,940 behind with 1,000 votes left would be (D + R)/(2R) = 397%."""
    s = state_of(Rule(kind="plurality"), [16_940, 10_000], exactly(1_000, 1_000))
    lead, trailing = s.standings
    assert pytest.approx(3.97) == (6_940 + 1_000) / (2 * 1_000)
    assert trailing.status == "eliminated" and trailing.needs is None
    assert lead.status == "clinched" and lead.needs is None
    assert s.outcome == "Adams clinched"


def test_votes_left_below_zero_never_gives_needs_zero_percent() -> None:
    """The trap "needs 0.00%": the expected vote below the count (negative votes left). The
    registrar's total is passed by the count: no ballots are left at its middle, never fewer
    (at its high end, only the trickle of ballots that come after an estimate is spent)."""
    election = Election(
        id="test:1",
        title="T",
        date=WHEN.date(),
        jurisdiction="T",
        kind="general",
        contests=(contest(Rule(kind="plurality"), ["A B", "C D"]),),
        registration=1_000_000,
    )
    before = Release(
        election_id="test:1",
        source="t",
        feed_time=WHEN,
        received_at=WHEN,
        content_hash="a",
        contests=(),
        ballots_counted=500_000,
    )
    later = WHEN.replace(day=8)
    after = Release(
        election_id="test:1",
        source="t",
        feed_time=later,
        received_at=later,
        content_hash="b",
        contests=(),
        ballots_counted=700_000,
    )
    report = OutstandingReport(as_of=WHEN.replace(hour=2), total=100_000)
    params = default_params()
    left = county_ballots_left(election, [before, after], [report], params)
    assert left.ballots is not None
    # none at the low end or the middle; the high end is the trickle of late ballots
    assert left.ballots.low == left.ballots.mid == 0.0
    assert left.ballots.high == params.report_trickle * 700_000
    assert "passed the estimate by 100,000" in left.note
    # And a votes-left interval below zero, from wherever, is read as none left.
    s = state_of(
        Rule(kind="plurality"),
        [500, 400],
        VotesLeft(
            ballots=Interval(low=-50, mid=-20, high=-10),
            votes=Interval(low=-50, mid=-20, high=-10),
            source="model",
        ),
    )
    assert [x.status for x in s.standings] == ["clinched", "eliminated"]
    assert all(x.needs is None for x in s.standings)


def test_the_hurdle_is_on_the_same_denominator_as_the_two_way_batch_share() -> None:
    """With a third party, the one behind needs a share of the votes left *for the two*; if
    the votes left split at exactly that two-way share while the third party keeps its share of
    the count, the two end level."""
    votes = [52_000, 45_000, 3_000]  # 3% for the third party
    r = 20_000.0
    s = state_of(
        Rule(kind="plurality"),
        votes,
        exactly(r, r),
        names=["KAMALA D. HARRIS", "DONALD J. TRUMP", "JILL STEIN"],
    )
    behind = s.standings[1]
    assert behind.status == "contending" and behind.needs is not None
    assert behind.denominator == "two-way share of the votes left for Trump and Harris"
    pair_left = r * (52_000 + 45_000) / 100_000
    assert behind.needs.mid == pytest.approx((7_000 + pair_left) / (2 * pair_left))
    final_behind = 45_000 + behind.needs.mid * pair_left
    final_ahead = 52_000 + (1 - behind.needs.mid) * pair_left
    assert final_behind == pytest.approx(final_ahead)
    # On the share of *all* votes left the same need would read lower: the two differ.
    assert behind.needs.mid > (7_000 + r) / (2 * r)
    ahead = s.standings[0]
    assert ahead.needs is not None and ahead.needs.mid == pytest.approx(1 - behind.needs.mid)
    assert ahead.denominator == "two-way share of the votes left for Harris and Trump"


def test_when_the_two_way_split_cannot_close_the_gap_the_share_of_all_votes_left_is_stated() -> (
    None
):
    """Behind by more than the two-way votes left but not by more than all votes left: not
    eliminated, and the need is stated on all votes left with the others getting none."""
    s = state_of(Rule(kind="plurality"), [600, 450, 400], exactly(200, 200))
    behind = s.standings[1]
    assert behind.status == "contending"
    assert behind.denominator == "share of all votes left, if the other choices get none"
    assert behind.needs is not None and behind.needs.mid == pytest.approx((150 + 200) / 400)


def test_no_estimate_of_the_votes_left_leaves_every_standing_unknown() -> None:
    none = VotesLeft(ballots=None, votes=None, source="none")
    for rule, kind in [
        (Rule(kind="plurality"), "candidate"),
        (Rule(kind="majority_or_runoff", advance=2), "candidate"),
        (Rule(kind="measure", threshold="11/20"), "measure"),
    ]:
        s = state_of(rule, [900, 100], none, kind=kind, names=["YES", "NO"])
        assert {x.status for x in s.standings} == {"unknown"}
        assert all(x.needs is None for x in s.standings)


def test_an_interval_of_votes_left_gives_an_interval_of_needs_and_settles_at_its_high_end() -> None:
    left = VotesLeft(
        ballots=Interval(low=1_000, mid=2_000, high=4_000),
        votes=Interval(low=1_000, mid=2_000, high=4_000),
        source="registrar",
    )
    s = state_of(Rule(kind="plurality"), [10_000, 8_500], left)
    behind = s.standings[1]
    assert behind.needs is not None
    assert behind.needs.low == pytest.approx((1_500 + 4_000) / 8_000)
    assert behind.needs.mid == pytest.approx((1_500 + 2_000) / 4_000)
    assert behind.needs.high == 1.0  # at the low end (1,000 left) it would take 125%
    assert behind.status == "contending"  # at the high end (4,000) it is still possible
    tight = VotesLeft(
        ballots=Interval(low=100, mid=1_000, high=1_400),
        votes=Interval(low=100, mid=1_000, high=1_400),
        source="registrar",
    )
    assert [
        x.status for x in state_of(Rule(kind="plurality"), [10_000, 8_500], tight).standings
    ] == ["clinched", "eliminated"]


def test_conditional_threshold_is_settled_only_when_both_thresholds_agree() -> None:
    rule = Rule(
        kind="measure",
        threshold="2/3",
        alt_threshold="11/20",
        condition="prop 5 passes",
        text="2/3 votes, 55% if prop 5 passes",
    )
    # 60% yes with 100 votes left of 10,000: passes at 55% for sure, fails at 2/3 for sure.
    s = state_of(rule, [6_000, 4_000], exactly(100, 100), kind="measure", names=["YES", "NO"])
    yes, no = s.standings
    assert yes.status == no.status == "contending"
    assert yes.goal == "to pass at 2/3 (55% if prop 5 passes)"
    assert s.outcome == "passing at 55%, failing at 2/3"
    assert yes.needs is not None and yes.needs.low == 0.0 and yes.needs.high == 1.0
    # 70% yes: passes under both.
    s = state_of(rule, [7_000, 3_000], exactly(100, 100), kind="measure", names=["YES", "NO"])
    assert [x.status for x in s.standings] == ["clinched", "eliminated"] and s.outcome == "passes"


def test_an_unknown_threshold_text_leaves_the_measure_unknown() -> None:
    rule = Rule(kind="measure", threshold=None, text="three-fifths of the landowners")
    s = state_of(rule, [900, 100], exactly(10, 10), kind="measure", names=["YES", "NO"])
    assert {x.status for x in s.standings} == {"unknown"}
    assert s.outcome == "rule unknown: 'three-fifths of the landowners'"
    assert s.leaders == ()


def test_measure_thresholds_strict_for_a_majority_and_at_least_for_55_percent() -> None:
    half = state_of(
        Rule(kind="measure", threshold="1/2"),
        [50, 50],
        exactly(0, 0),
        kind="measure",
        names=["YES", "NO"],
    )
    assert [x.status for x in half.standings] == [
        "eliminated",
        "clinched",
    ] and half.outcome == "fails"
    q55 = state_of(
        Rule(kind="measure", threshold="11/20"),
        [55, 45],
        exactly(0, 0),
        kind="measure",
        names=["YES", "NO"],
    )
    assert [x.status for x in q55.standings] == [
        "clinched",
        "eliminated",
    ] and q55.outcome == "passes"
    assert q55.margin_votes == 0 and q55.leaders == ("0",)


def test_majority_needs_on_all_votes_left_with_write_ins() -> None:
    """t = (½(V + R) − v_L) / R with V counting write-ins (EC §8140: all votes for the office)."""
    s = state_of(
        Rule(kind="majority_or_runoff", advance=2),
        [4_800, 3_000, 2_000],
        exactly(1_000, 1_000),
        write_ins=200,
    )
    leader = s.standings[0]
    assert leader.goal == "for a majority" and leader.status == "contending"
    assert leader.needs is not None and leader.needs.mid == pytest.approx(
        (0.5 * 11_000 - 4_800) / 1_000
    )
    assert leader.denominator == "share of all votes left, write-ins included"
    assert s.outcome == "Adams leads, short of a majority"
    assert s.leaders == ("0", "1")


def test_runoff_ties_all_advance() -> None:
    """EC §8142: candidates tied for the last runoff place all advance."""
    s = state_of(Rule(kind="majority_or_runoff", advance=2), [500, 300, 300, 100], exactly(0, 0))
    assert s.leaders == ("0", "1", "2")
    assert s.outcome == "runoff certain: Adams, Baker and Cruz lead"
    assert [x.status for x in s.standings] == ["clinched", "contending", "contending", "eliminated"]
    assert s.margin_votes == 0


def test_a_tie_for_one_seat_is_a_tie() -> None:
    s = state_of(Rule(kind="plurality"), [300, 300, 10], exactly(0, 0))
    assert s.outcome == "Adams and Baker tied"
    assert [x.status for x in s.standings] == ["contending", "contending", "eliminated"]


def test_a_contest_absent_from_the_release_has_zero_votes() -> None:
    c = contest(Rule(kind="plurality", seats=2, votes_allowed=2), ["A", "B", "C"])
    s = contest_state(c, None, RELEASE, exactly(100, 200))
    assert s.votes == {"0": 0, "1": 0, "2": 0} and s.total_votes == 0 and s.ballots is None
    assert s.outcome == "too early" and s.leaders == ()
    assert all(x.share == 0.0 for x in s.standings)


def test_problems_of_the_contest_are_kept_and_a_blocking_one_makes_it_unusable() -> None:
    c = contest(Rule(kind="plurality"), ["A", "B"])
    problems = (
        Problem(code="counter-missing", message="x", contest_id="c", blocking=False),
        Problem(code="contest-votes", message="y", contest_id="other"),
    )
    s = contest_state(c, count([10, 5]), RELEASE, exactly(1, 1), problems=problems)
    assert s.problems == problems[:1] and s.usable
    s = contest_state(
        c,
        count([10, 5]),
        RELEASE,
        exactly(1, 1),
        problems=(Problem(code="county-coverage", message="z"),),
    )
    assert not s.usable and s.release_sequence == 7 and s.release_hash == "h"


def test_names_in_phrases() -> None:
    assert short_name("NATHAN HOCHMAN") == "Hochman"
    assert short_name("GEORGE GASCÓN") == "Gascón"
    assert short_name("CLAUDIA DE LA CRUZ") == "De La Cruz"
    assert short_name("ROBERT F. KENNEDY JR.") == "Kennedy"
    assert short_name("YES") == "Yes"
    assert name_list(["A", "B", "C"]) == "A, B and C"


# --- the 2020 District Attorney general: Lacey's hurdle on Nov 5, 2020 ------------------------


@pytest.mark.parametrize(("votes_per_ballot", "expected"), [(1.0, 0.6447), (0.95, 0.6523)])
def test_lacey_needed_about_64_to_66_percent_of_the_ballots_left(
    votes_per_ballot: float, expected: float
) -> None:
    """Gascón 1,655,481, Lacey 1,426,459 (lead 229,022) with 791,200 ballots left (the
    registrar's estimate of Nov 5, 2020). Assumptions: two candidates only (the two-way share
    is the share of all votes left; write-ins are left out) and every ballot left votes in the
    contest (roll-off 1.0) or 95% of them do. The news: "about 64–66%"."""
    ballots = 791_200
    s = state_of(
        Rule(kind="plurality"),
        [1_426_459, 1_655_481],
        exactly(ballots, ballots * votes_per_ballot),
        names=["JACKIE LACEY", "GEORGE GASCÓN"],
    )
    lacey = s.standings[0]
    assert lacey.status == "contending" and lacey.needs is not None
    assert lacey.needs.mid == pytest.approx(expected, abs=5e-5)
    assert 0.64 <= lacey.needs.mid <= 0.66
    assert lacey.needs.mid == pytest.approx(
        (229_022 + ballots * votes_per_ballot) / (2 * ballots * votes_per_ballot)
    )
    assert lacey.denominator == "two-way share of the votes left for Lacey and Gascón"
    assert s.outcome == "Gascón leads" and s.margin_votes == 229_022


def test_the_2020_registrar_estimate_flows_through_votes_left() -> None:
    """The same hurdle through county_ballots_left and contest_votes_left: the registrar's
    791,200 with nothing counted since, a county-wide contest counted in every ballot so far."""
    rule = Rule(kind="plurality")
    c = Contest(
        id="da",
        title="DISTRICT ATTORNEY",
        kind="candidate",
        rule=rule,
        choices=(Choice(id="l", name="JACKIE LACEY"), Choice(id="g", name="GEORGE GASCÓN")),
    )
    election = Election(
        id="t:2020",
        title="2020",
        date=datetime(2020, 11, 3).date(),
        jurisdiction="LA",
        kind="general",
        contests=(c,),
        registration=5_709_853,
    )
    when = datetime(2020, 11, 5, 16, 30, tzinfo=UTC)
    counted = 1_426_459 + 1_655_481
    release = Release(
        election_id="t:2020",
        source="t",
        feed_time=when,
        received_at=when,
        content_hash="x",
        contests=(
            ContestCount(
                contest_id="da",
                votes={"l": 1_426_459, "g": 1_655_481},
                ballots=counted,
                full=counted,
                partial=0,
                undervotes=0,
                overvotes=0,
            ),
        ),
        ballots_counted=counted,
    )
    report = OutstandingReport(as_of=when.replace(hour=17), total=791_200)
    params = default_params()
    county = county_ballots_left(election, [release], [report], params)
    assert (
        county.source == "registrar"
        and county.ballots is not None
        and county.ballots.mid == 791_200
    )
    left = contest_votes_left(election, c, [release], county, params)
    assert left.votes is not None and left.votes.mid == pytest.approx(791_200)
    s = contest_state(c, release.contests[0], release, left)
    assert s.standings[0].needs is not None
    assert s.standings[0].needs.mid == pytest.approx(0.6447, abs=5e-5)


# --- real releases ----------------------------------------------------------------------------


class Canvass:
    def __init__(self, folder: Path, shared: Path) -> None:
        self.election, files = lavote.load_folder(folder)
        self.releases = [lavote.read_release(b, self.election, where=str(p)) for p, b in files]
        self.reports = load_reports(
            shared / "lavote" / "outstanding-reports.csv", self.election.date
        )
        self.params = default_params()
        self._states: dict[tuple[int, bool], dict[str, object]] = {}

    def states(self, upto: int, with_reports: bool = True) -> dict[str, object]:
        """Every contest's state after release ``upto`` (all real releases are usable)."""
        key = (upto % len(self.releases), with_reports)
        if key not in self._states:
            self._states[key] = self._compute(upto, with_reports)
        return self._states[key]

    def _compute(self, upto: int, with_reports: bool) -> dict[str, object]:
        good = self.releases[: upto + 1] if upto >= 0 else self.releases
        latest = good[-1]
        reports = [r for r in self.reports if r.as_of <= latest.feed_time] if with_reports else []
        county = county_ballots_left(self.election, good, reports, self.params)
        counts = latest.counts_by_contest()
        return {
            c.id: contest_state(
                c,
                counts.get(c.id),
                latest,
                contest_votes_left(self.election, c, good, county, self.params),
            )
            for c in self.election.contests
        }


@pytest.fixture(scope="module")
def general(general_2024: Path, shared_data: Path) -> Canvass:
    return Canvass(general_2024, shared_data)


@pytest.fixture(scope="module")
def primary(primary_2024: Path, shared_data: Path) -> Canvass:
    return Canvass(primary_2024, shared_data)


def test_2024_general_district_attorney_final(general: Canvass) -> None:
    s = general.states(-1)["9547"]
    assert s.votes == {"23482": 1_328_710, "23483": 1_983_802}  # type: ignore[attr-defined]
    assert round(s.shares["23483"], 4) == 0.5989 and round(s.shares["23482"], 4) == 0.4011  # type: ignore[attr-defined]
    assert s.leaders == ("23483",)  # type: ignore[attr-defined]
    assert s.margin_votes == 1_983_802 - 1_328_710  # type: ignore[attr-defined]
    assert s.write_ins == 8_614  # type: ignore[attr-defined]
    # The registrar's last estimate known (19,700 on Nov 21) leaves far fewer votes than the lead.
    high = s.votes_left.votes.high  # type: ignore[attr-defined]
    assert 0 < high < 655_092
    assert [(x.name, x.status) for x in s.standings] == [
        ("Gascón", "eliminated"),
        ("Hochman", "clinched"),
    ]  # type: ignore[attr-defined]
    assert s.outcome == "Hochman clinched"  # type: ignore[attr-defined]


def test_2024_general_district_attorney_on_election_night_is_open(general: Canvass) -> None:
    """At the 1:12 am release of Nov 6 (Hochman 61.31%) no estimate is published yet: the model
    leaves up to registration − counted ballots, so nothing is settled by the count alone."""
    at = next(
        i
        for i, r in enumerate(general.releases)
        if r.feed_time.strftime("%m-%d %H:%M") == "11-06 01:12"
    )
    s = general.states(at)["9547"]
    assert s.votes_left.source == "model"  # type: ignore[attr-defined]
    gascon, hochman = s.standings  # type: ignore[attr-defined]
    assert round(hochman.share, 4) == 0.6131 and gascon.status == "contending"
    lead = hochman.votes - gascon.votes
    r = s.votes_left.votes  # type: ignore[attr-defined]
    pair_share = (hochman.votes + gascon.votes) / s.total_votes  # type: ignore[attr-defined]
    assert gascon.needs.mid == pytest.approx(0.5 + lead / (2 * r.mid * pair_share))
    assert gascon.needs.low == pytest.approx(0.5 + lead / (2 * r.high * pair_share))
    assert s.outcome == "Hochman leads"  # type: ignore[attr-defined]


def test_2024_primary_district_attorney_runoff(primary: Canvass) -> None:
    s = primary.states(-1)["9054"]
    ranked = sorted(s.standings, key=lambda x: -x.votes)  # type: ignore[attr-defined]
    gascon, hochman, hatami = ranked[:3]
    assert (gascon.name, gascon.votes, hochman.name, hochman.votes, hatami.name, hatami.votes) == (
        "Gascón",
        370_654,
        "Hochman",
        234_509,
        "Hatami",
        194_755,
    )
    assert round(gascon.share, 3) == 0.252 and round(hochman.share, 3) == 0.159
    # No majority, and none possible with the registrar's final estimate (2,742 on Mar 26).
    assert 2 * gascon.votes < s.total_votes  # type: ignore[attr-defined]
    high = s.votes_left.votes.high  # type: ignore[attr-defined]
    assert 2 * (gascon.votes + high) <= s.total_votes + high  # type: ignore[attr-defined]
    assert hochman.votes - hatami.votes > high
    assert (gascon.status, hochman.status, hatami.status) == ("clinched", "clinched", "eliminated")
    assert all(x.status == "eliminated" for x in ranked[3:])
    assert s.leaders == (gascon.choice_id, hochman.choice_id)  # type: ignore[attr-defined]
    assert s.outcome == "runoff certain: Gascón and Hochman advance"  # type: ignore[attr-defined]


def _independent_places(votes: list[int], k: int, ballots: float, left: float) -> list[str]:
    """A second formulation: c is clinched iff no set of k rivals can all draw level (each
    deficit within the ballots, together within the votes); eliminated iff k rivals are out of
    reach even with a vote for c on every ballot."""
    out = []
    for c, v in enumerate(votes):
        rivals = [j for j in range(len(votes)) if j != c]
        can = any(
            all(max(0, v - votes[j]) <= ballots for j in group)
            and sum(max(0, v - votes[j]) for j in group) <= left
            for group in combinations(rivals, k)
        )
        gone = sum(1 for j in rivals if votes[j] > v + min(ballots, left)) >= k
        out.append("clinched" if not can else "eliminated" if gone else "contending")
    return out


def test_multi_seat_contests_against_an_independent_count(general: Canvass) -> None:
    """Every vote-for-3 contest of the 2024 general, at an early and at the final release."""
    multi = [c for c in general.election.contests if c.rule.seats == 3]
    assert len(multi) == 16
    for at in (5, -1):
        states = general.states(at)
        for c in multi:
            s = states[c.id]
            votes = [s.votes[x.id] for x in c.choices]  # type: ignore[attr-defined]
            b, r = s.votes_left.ballots.high, s.votes_left.votes.high  # type: ignore[attr-defined]
            assert [x.status for x in s.standings] == _independent_places(
                votes, 3, b, min(r, 3 * b)
            ), c.title  # type: ignore[attr-defined]
            top = sorted(votes, reverse=True)
            assert s.margin_votes == top[2] - (top[3] if len(top) > 3 else 0)  # type: ignore[attr-defined]
            assert len(s.leaders) == min(3, len(votes))  # type: ignore[attr-defined]
    final = general.states(-1)
    settled = [c for c in multi if all(x.status != "contending" for x in final[c.id].standings)]  # type: ignore[attr-defined]
    assert len(settled) >= 10


def _threshold_check(s, q: Fraction, strict: bool) -> None:  # type: ignore[no-untyped-def]
    yes, no = s.standings
    v = yes.votes + no.votes
    r = s.votes_left.votes
    b = s.votes_left.ballots
    room = min(r.high, b.high)
    passes_anyway = yes.votes > q * (v + room) if strict else yes.votes >= q * (v + room)
    cannot = not (
        yes.votes + room > q * (v + room) if strict else yes.votes + room >= q * (v + room)
    )
    expected = "clinched" if passes_anyway else "eliminated" if cannot else "contending"
    assert yes.status == expected
    if expected == "contending":
        assert yes.needs.mid == pytest.approx(
            min(1.0, max(0.0, (float(q) * (v + r.mid) - yes.votes) / r.mid))
        )
        assert no.needs.mid == pytest.approx(1 - yes.needs.mid)


@pytest.mark.parametrize(("threshold", "count"), [("11/20", 28), ("2/3", 9)])
def test_55_percent_and_two_thirds_measures_against_an_independent_count(
    general: Canvass, threshold: str, count: int
) -> None:
    """The 55% and two-thirds measures LA's feed sees whole (four more 55% school bonds, of
    joint districts that lie partly in other counties, are LA's part only: no threshold
    standing, tests/rules/test_portion.py)."""
    measures = [
        c
        for c in general.election.contests
        if c.rule.threshold == threshold
        and c.rule.alt_threshold is None
        and c.kind == "measure"
        and not c.portion
    ]
    assert len(measures) == count
    q = Fraction(threshold)
    for at in (3, 18, -1):
        states = general.states(at)
        for c in measures:
            _threshold_check(states[c.id], q, strict=False)
    # The closest to its threshold at the final release, checked by name.
    final = general.states(-1)
    closest = min(measures, key=lambda c: abs(final[c.id].standings[0].share - float(q)))  # type: ignore[attr-defined]
    s = final[closest.id]
    yes_share = s.standings[0].share  # type: ignore[attr-defined]
    assert s.leaders == (
        (s.standings[0].choice_id,) if yes_share >= float(q) else (s.standings[1].choice_id,)
    )  # type: ignore[attr-defined]
    assert s.margin_share == pytest.approx(abs(yes_share - float(q)))  # type: ignore[attr-defined]


def test_primary_vote_for_seven_and_two_thirds_measure(primary: Canvass) -> None:
    final = primary.states(-1)
    sevens = [c for c in primary.election.contests if c.rule.seats == 7]
    assert len(sevens) == 27
    for c in sevens:
        s = final[c.id]
        votes = [s.votes[x.id] for x in c.choices]  # type: ignore[attr-defined]
        b, r = s.votes_left.ballots.high, s.votes_left.votes.high  # type: ignore[attr-defined]
        expected = _independent_places(votes, 7, b, min(r, 7 * b)) if len(votes) <= 12 else None
        if expected is not None:
            assert [x.status for x in s.standings] == expected  # type: ignore[attr-defined]
    (two_thirds,) = [c for c in primary.election.contests if c.rule.threshold == "2/3"]
    _threshold_check(final[two_thirds.id], Fraction(2, 3), strict=False)
    assert final[two_thirds.id].rule == "2/3 of votes cast"  # type: ignore[attr-defined]


@pytest.mark.parametrize("with_reports", [True, False], ids=["registrar", "model"])
def test_no_settled_standing_is_contradicted_by_the_final_count(
    general: Canvass, primary: Canvass, with_reports: bool
) -> None:
    """Every contest after every release of both canvasses, with the registrar's estimates and
    without them: every clinched or eliminated standing agrees with the final count; shares add
    up; no hurdle outside 0–100%. (A settled standing may reopen when a new estimate rises: it
    is exact for the votes left as known then, not a forecast.)"""
    nothing = exactly(0, 0)
    for canvass in (general, primary):
        last = canvass.releases[-1]
        counts = last.counts_by_contest()
        final = {
            c.id: {
                x.choice_id: x.status
                for x in contest_state(c, counts.get(c.id), last, nothing).standings
            }
            for c in canvass.election.contests
        }
        settled = 0
        for at in range(1, len(canvass.releases) - 1):
            for cid, s in canvass.states(at, with_reports).items():
                if sum(s.votes.values()):  # type: ignore[attr-defined]
                    assert sum(s.shares.values()) == pytest.approx(1.0)  # type: ignore[attr-defined]
                for x in s.standings:  # type: ignore[attr-defined]
                    if x.needs is not None:
                        assert 0.0 <= x.needs.low <= x.needs.mid <= x.needs.high <= 1.0
                    if x.status in ("clinched", "eliminated"):
                        settled += 1
                        assert final[cid][x.choice_id] in (x.status, "contending"), (
                            cid,
                            x.name,
                            at,
                        )
        # LA's part of 38 (general) and 27 (primary) contests is never settled (portions)
        assert settled > (5_000 if with_reports else 500)


def test_outcome_phrases() -> None:
    top_two = state_of(
        Rule(kind="top_two", advance=2), [10_000, 6_000, 4_000], exactly(3_000, 3_000)
    )
    assert [x.status for x in top_two.standings] == ["clinched", "contending", "contending"]
    assert top_two.outcome == "Adams advances; Baker leads"
    runoff = Rule(kind="majority_or_runoff", advance=2)
    won = state_of(runoff, [700, 200, 100], exactly(50, 50))
    assert won.outcome == "majority clinched by Adams" and won.leaders == ("0",)
    assert [x.status for x in won.standings] == ["clinched", "eliminated", "eliminated"]
    assert won.standings[1].goal == "to finish in the top 2"
    ahead = state_of(runoff, [520, 300, 60], exactly(200, 200))
    assert ahead.outcome == "Adams leads with a majority so far" and ahead.leaders == ("0",)
    assert ahead.margin_votes == 220
    safe = ahead.standings[1]
    assert (safe.status, safe.goal, safe.rival) == ("contending", "to reach a runoff", "0")
    assert safe.denominator == "share of all votes left going to others than Adams"
    assert safe.needs is not None and safe.needs.mid == pytest.approx(1 - (0.5 * 1_080 - 520) / 200)
