"""The hurdle arithmetic against brute force: every way the ballots left can be marked.

A small contest (a few choices, a few ballots left, each ballot giving up to ``allowed`` votes,
at most one per choice, at most ``left`` votes in all) is enumerated completely; a place is
clinched when it holds in every outcome, eliminated when it holds in none.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import combinations, combinations_with_replacement

from hypothesis import given, settings
from hypothesis import strategies as st

from racedesk.rules.hurdle import (
    clip,
    place_statuses,
    reaches,
    threshold_needs,
    threshold_status,
    two_way_needs,
    two_way_needs3,
)


@cache
def _ballot_kinds(n: int, allowed: int) -> tuple[tuple[int, ...], ...]:
    """Every way one ballot can be marked: a set of at most ``allowed`` choices (or none)."""
    kinds: list[tuple[int, ...]] = []
    for size in range(min(allowed, n) + 1):
        kinds.extend(combinations(range(n), size))
    return tuple(kinds)


def outcomes(votes: Sequence[int], ballots: int, allowed: int, left: int) -> Iterator[list[int]]:
    """Every final count: ``ballots`` ballots marked in every way, with at most ``left`` votes."""
    kinds = _ballot_kinds(len(votes), allowed)
    for marked in combinations_with_replacement(kinds, ballots):
        if sum(len(k) for k in marked) > left:
            continue
        final = list(votes)
        for kind in marked:
            for c in kind:
                final[c] += 1
        yield final


def brute_place(votes: Sequence[int], c: int, k: int, ballots: int, allowed: int, left: int) -> str:
    """Clinched if in every outcome fewer than k rivals reach or pass c; eliminated if in every
    outcome at least k rivals are strictly ahead of c."""
    safe = out = True
    for final in outcomes(votes, ballots, allowed, left):
        reach = sum(1 for j, v in enumerate(final) if j != c and v >= final[c])
        ahead = sum(1 for j, v in enumerate(final) if j != c and v > final[c])
        safe &= reach < k
        out &= ahead >= k
    return "clinched" if safe else "eliminated" if out else "contending"


def ranked_status(votes: Sequence[int], c: int, k: int, ballots: float, left: float) -> str:
    order = sorted(range(len(votes)), key=votes.__getitem__, reverse=True)
    ranked = [votes[i] for i in order]
    return place_statuses(ranked, k, ballots, left)[order.index(c)]


small_counts = st.lists(st.integers(0, 6), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    votes=small_counts,
    ballots=st.integers(0, 3),
    allowed=st.integers(1, 2),
    k=st.integers(1, 3),
    data=st.data(),
)
def test_place_statuses_match_brute_force(
    votes: list[int], ballots: int, allowed: int, k: int, data: st.DataObject
) -> None:
    """Vote for 1 and vote for 2, top-k places, with and without roll-off (left < allowed × B)."""
    left = data.draw(st.integers(0, allowed * ballots), label="left")
    for c in range(len(votes)):
        assert ranked_status(votes, c, k, ballots, left) == brute_place(
            votes, c, k, ballots, allowed, left
        ), (votes, c)


def test_place_statuses_never_settle_a_tie() -> None:
    # Tied for the one seat with nothing left: neither has clinched, neither is eliminated.
    assert ranked_status([5, 5], 0, 1, 0, 0) == "contending"
    assert ranked_status([5, 5], 1, 1, 0, 0) == "contending"
    # Behind by 2 with 2 ballots left: a tie is still possible.
    assert ranked_status([7, 5], 1, 1, 2, 2) == "contending"
    assert ranked_status([7, 5], 1, 1, 1, 1) == "eliminated"
    # Fewer rivals than places: clinched even at zero votes.
    assert ranked_status([0, 0], 0, 2, 100, 100) == "clinched"


def test_vote_for_two_needs_distinct_ballots() -> None:
    """Two rivals each 3 behind, 3 ballots of vote-for-2: 6 votes are enough in total and each
    fits in 3 ballots, so both can draw level (a ballot gives each at most one vote)."""
    assert brute_place([10, 7, 7], 0, 2, 3, 2, 6) == "contending"
    assert ranked_status([10, 7, 7], 0, 2, 3, 6) == "contending"
    # With one vote per ballot they cannot both draw level: the place is clinched.
    assert ranked_status([10, 7, 7], 0, 2, 3, 3) == "clinched"
    # A rival 4 behind cannot draw level in 3 ballots, whatever the votes per ballot.
    assert ranked_status([10, 6, 9], 0, 2, 3, 6) == "clinched"


# --- two-way needs ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(ahead=st.integers(0, 50), behind=st.integers(0, 50), left=st.integers(1, 40))
def test_two_way_needs_is_the_share_that_draws_level(ahead: int, behind: int, left: int) -> None:
    """Two choices alone: the smallest whole number of the votes left that lets the one behind
    draw level is the hurdle × R, rounded up."""
    if behind > ahead:
        ahead, behind = behind, ahead
    lead = ahead - behind
    need = two_way_needs(lead, ahead + behind, ahead + behind, left)
    fewest = next((x for x in range(left + 1) if behind + x >= ahead + left - x), None)
    if fewest is None:
        assert need > 1
    else:
        assert math.ceil(need * left - 1e-9) == fewest


def test_two_way_needs_with_third_parties_splits_the_votes_left_in_proportion() -> None:
    # 600 / 300 / 100 counted, 1,000 votes left: the two get 900 of them if the rest keep 10%.
    need = two_way_needs(300, 900, 1000, 1000)
    assert need == (300 + 900) / (2 * 900)
    assert two_way_needs(300, 1000, 1000, 1000) == (300 + 1000) / (2 * 1000)  # all votes left
    assert two_way_needs3(300, 900, 1000, (500.0, 1000.0, 2000.0)) == (
        two_way_needs(300, 900, 1000, 500.0),
        two_way_needs(300, 900, 1000, 1000.0),
        two_way_needs(300, 900, 1000, 2000.0),
    )


def test_two_way_needs_with_nothing_left() -> None:
    assert two_way_needs(0, 10, 10, 0) == 0.5
    assert two_way_needs(3, 10, 10, 0) == math.inf
    assert two_way_needs3(3, 10, 10, (0.0, 0.0, 0.0)) == (math.inf, math.inf, math.inf)


# --- thresholds: majority, measures -----------------------------------------------------------

THRESHOLDS = [(1, 2, True), (11, 20, False), (2, 3, False)]


def brute_threshold(
    votes: int, total: int, ballots: int, left: int, num: int, den: int, strict: bool
) -> str:
    """Vote for one; the choice gets x of the votes left and the others y, x + y ≤ min(B, R)."""
    room = min(ballots, left)
    results = {
        reaches(votes + x, total + x + y, num, den, strict)
        for x in range(room + 1)
        for y in range(room - x + 1)
    }
    return "clinched" if results == {True} else "eliminated" if results == {False} else "contending"


@settings(max_examples=400, deadline=None)
@given(
    votes=st.integers(0, 30),
    others=st.integers(0, 30),
    ballots=st.integers(0, 12),
    left=st.integers(0, 12),
    q=st.sampled_from(THRESHOLDS),
)
def test_threshold_status_matches_brute_force(
    votes: int, others: int, ballots: int, left: int, q: tuple[int, int, bool]
) -> None:
    num, den, strict = q
    total = votes + others
    expected = brute_threshold(votes, total, ballots, left, num, den, strict)
    assert threshold_status(votes, total, ballots, left, num, den, strict) == expected


@settings(max_examples=400, deadline=None)
@given(
    votes=st.integers(0, 30),
    others=st.integers(0, 30),
    left=st.integers(1, 20),
    q=st.sampled_from(THRESHOLDS),
)
def test_threshold_needs_is_the_boundary_of_passing(
    votes: int, others: int, left: int, q: tuple[int, int, bool]
) -> None:
    """(q(V + R) − v) / R × R is where the fewest votes of R (all cast) that reach q lie: at
    least that many for 55% and 2/3, more than that for a majority."""
    num, den, strict = q
    total = votes + others
    need = threshold_needs(votes, total, left, num, den)
    boundary = need * left
    fewest = next(
        (x for x in range(left + 1) if reaches(votes + x, total + left, num, den, strict)), None
    )
    if fewest is None:
        assert need > 1 - 1e-12 if strict else need > 1
        return
    if fewest == 0:  # it passes already, whatever the votes left do
        assert boundary < 1e-9 if strict else boundary <= 1e-9
    elif strict:
        assert fewest - 1 <= boundary + 1e-9 and boundary < fewest + 1e-9
    else:
        assert fewest - 1 < boundary + 1e-9 and boundary <= fewest + 1e-9


def test_exactly_half_is_not_a_majority_but_exactly_55_percent_passes() -> None:
    assert not reaches(50, 100, 1, 2, True)
    assert reaches(51, 100, 1, 2, True)
    assert reaches(55, 100, 11, 20, False)
    assert not reaches(54, 100, 11, 20, False)
    assert reaches(2, 3, 2, 3, False)


def test_clip_keeps_shares_within_0_and_1() -> None:
    assert clip(3.97) == 1.0
    assert clip(-0.2) == 0.0
    assert clip(math.nan) == 0.0
    assert clip(0.4) == 0.4
