"""Hurdle arithmetic: when the votes left can no longer change a place, and what a choice needs.

Pure functions on counts, shared by every rule family (:mod:`racedesk.rules`) and the calls. The definitions are those of
``../shared/domain/calls-and-hurdles.md``, written out with their edge cases in
``docs/hurdles.md``. Throughout:

- ``ballots`` (B) is the number of ballots left that carry the contest: a choice gains at most
  one vote per ballot;
- ``left`` (R) is the number of votes those ballots may add, at most ``votes_allowed × B``;
- a choice's **place** among the top K is **clinched** when no allocation of the votes left lets
  K rivals reach or pass it, and **eliminated** when at least K rivals stay strictly ahead of it
  even if it gains a vote on every ballot left. A tie is never clinched nor eliminated: who wins
  a tie is not decided by the count (EC §15651: by lot; EC §8142: all tied candidates advance).

Votes counted are whole numbers; ``ballots`` and ``left`` may be fractional estimates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

PlaceStatus = Literal["clinched", "eliminated", "contending"]


def place_statuses(ranked: Sequence[int], k: int, ballots: float, left: float) -> list[PlaceStatus]:
    """The status of every choice for a place among the top ``k``, in the order of ``ranked``
    (votes, most first).

    **Clinched** iff no allocation lets k rivals reach or pass the choice. The adversary gives
    the choice nothing and its k strongest rivals (the smallest deficits d_j = max(0, v − v_j))
    exactly their deficits; with at most one vote per rival per ballot, that is feasible iff
    every d_j ≤ B and Σ d_j ≤ R (the deficits can be laid out ballot by ballot, round robin,
    and R counts the votes allowed per ballot). With fewer than k rivals the place is clinched.

    **Eliminated** iff the k-th strongest rival is strictly ahead of v + min(B, R), the most the
    choice can gain (rivals never lose votes).

    For a choice inside the top k its k strongest rivals are those above it (deficit 0) and
    those below it down to position k; for a choice outside, the k above it all have deficit 0,
    so it is never clinched, and it is eliminated iff the k-th is out of reach. O(n) for all.
    """
    n = len(ranked)
    if n - 1 < k:
        return ["clinched"] * n
    if k <= 0:
        return ["eliminated"] * n
    out: list[PlaceStatus] = []
    last = ranked[k]  # the first choice outside: the k-th strongest rival of those inside
    below = 0  # the votes of the choices below this one, down to the first outside
    for p in range(k - 1, -1, -1):
        v = ranked[p]
        below += ranked[p + 1]
        need = (k - p) * v - below
        out.append("clinched" if v - last > ballots or need > left else "contending")
    out.reverse()
    reach = ranked[k - 1] - (ballots if ballots < left else left)
    for v in ranked[k:]:
        out.append("eliminated" if reach > v else "contending")
    return out


def two_way_needs(lead: int, pair: int, total: int, left: float) -> float:
    """The share of the **two-way** votes left (those for the two choices) that the choice
    behind by ``lead`` needs to draw level: (D + R₂) / (2 R₂), with R₂ = R × pair / total the
    votes left that go to these two if they keep their share of the count (``pair`` = their
    votes, ``total`` = all votes, write-ins included). The choice ahead needs 1 minus that.

    Not clipped: above 1 means the two-way split cannot close the gap. With no votes left it is
    ±infinity (½ at a tie). With ``pair == total`` it is the share of **all** votes left: what
    the choice behind needs if every other choice gets none, (D + R)/(2R), stated where the
    two-way split cannot express the need (D ≥ R₂) although the choice is not eliminated.
    """
    pair_left = left * pair / total if total > 0 else left
    if pair_left <= 0:
        return _no_votes_left(lead)
    return 0.5 + lead / (2 * pair_left)


def pair_hurdle(ahead: int, behind: int, counted: int, left: float) -> float:
    """The share of the two-way vote left the trailing choice of a pair needs to overtake
    (calls-and-hurdles.md): :func:`two_way_needs` of the pair, ``counted`` all votes."""
    return two_way_needs(ahead - behind, ahead + behind, counted, left)


def two_way_needs3(
    lead: int, pair: int, total: int, left: tuple[float, float, float]
) -> tuple[float, float, float]:
    """:func:`two_way_needs` at the three points of the votes left (low, middle, high)."""
    f = pair / total if total > 0 else 1.0
    half = 0.5 * lead
    lo, mid, hi = left[0] * f, left[1] * f, left[2] * f
    return (
        0.5 + half / lo if lo > 0.0 else _no_votes_left(lead),
        0.5 + half / mid if mid > 0.0 else _no_votes_left(lead),
        0.5 + half / hi if hi > 0.0 else _no_votes_left(lead),
    )


def _no_votes_left(lead: int) -> float:
    return 0.5 if lead == 0 else math.copysign(math.inf, lead)


def threshold_needs(votes: int, total: int, left: float, num: int, den: int) -> float:
    """The share of the votes left a choice needs to end at share q = num/den of all votes:
    (q (V + R) − v) / R. For a majority (EC §8140) V counts every vote for the office, write-ins
    included; for a measure V is yes + no. Not clipped; ±infinity with no votes left."""
    gap = num * (total + left) / den - votes
    if left <= 0:
        return 0.0 if gap == 0 else math.copysign(math.inf, gap)
    return gap / left


def reaches(votes: float, total: float, num: int, den: int, strict: bool) -> bool:
    """Whether ``votes`` of ``total`` is at least share num/den (more than it if ``strict``),
    compared without division: v × den ≥ num × V."""
    a = votes * den
    b = num * total
    return a > b if strict else a >= b


def threshold_status(
    votes: int, total: int, ballots: float, left: float, num: int, den: int, strict: bool
) -> PlaceStatus:
    """Whether a choice's final share of all votes is sure to reach q = num/den (more than q if
    ``strict``), sure not to, or still open.

    **Clinched**: it reaches q even if every vote left goes to others (its share v / (V + x) is
    lowest at the most votes the others can gain, x = min(B, R): one vote per ballot, as in a
    vote-for-one contest or a measure). **Eliminated**: it cannot reach q even gaining a vote on
    every ballot left while the others gain nothing ((v + x) / (V + x) is highest at the most it
    can gain, x = min(B, R)).
    """
    room = ballots if ballots < left else left
    if reaches(votes, total + room, num, den, strict):
        return "clinched"
    if not reaches(votes + room, total + room, num, den, strict):
        return "eliminated"
    return "contending"


def clip(share: float) -> float:
    """A share as shown: never below 0% nor above 100%."""
    if share != share:  # NaN
        return 0.0
    return 0.0 if share < 0.0 else 1.0 if share > 1.0 else share


__all__ = [
    "PlaceStatus",
    "clip",
    "pair_hurdle",
    "place_statuses",
    "reaches",
    "threshold_needs",
    "threshold_status",
    "two_way_needs",
    "two_way_needs3",
]
