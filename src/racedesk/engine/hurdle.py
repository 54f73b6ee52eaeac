"""Hurdle arithmetic: when the votes left can no longer change a place, and what a choice needs.

Pure functions on counts, used by :mod:`racedesk.engine.standing`. The definitions are those of
``../shared/domain/calls-and-hurdles.md``, written out with their edge cases in
``docs/hurdles.md``. Throughout:

- ``ballots`` (B) is the number of ballots left that carry the contest: a choice gains at most
  one vote per ballot;
- ``votes`` (R) is the number of votes those ballots may add, at most ``votes_allowed × B``;
- a choice's **place** among the top K is **clinched** when no allocation of the votes left lets
  K rivals reach or pass it, and **eliminated** when at least K rivals stay strictly ahead of it
  even if it gains a vote on every ballot left. A tie is never clinched nor eliminated: who wins
  a tie is not decided by the count (EC §15651: by lot; EC §8142: all tied candidates advance).

Votes counted are whole numbers; ``ballots`` and ``votes`` may be fractional estimates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction


def kth_rivals(ranked: Sequence[int], position: int, k: int) -> list[int]:
    """The votes of the ``k`` strongest rivals of the choice at ``position`` in ``ranked``
    (every choice's votes, most first), strongest first; fewer when there are fewer rivals."""
    if position < k:
        return [*ranked[:position], *ranked[position + 1 : k + 1]]
    return list(ranked[:k])


def rivals_can_reach(
    votes: int, rivals: Sequence[int], k: int, ballots: float, left: float
) -> bool:
    """Whether the votes left can bring ``k`` of ``rivals`` level with or ahead of ``votes``.

    ``rivals`` are the k strongest rivals (see :func:`kth_rivals`). The adversary gives the
    choice nothing and each rival j its deficit d_j = max(0, votes − v_j); with at most one vote
    per rival per ballot and ``left`` votes in all, that is feasible iff every d_j ≤ ``ballots``
    and Σ d_j ≤ ``left`` (the deficits can be laid out ballot by ballot, round robin, without
    giving any rival two votes on one ballot, as long as each fits in the ballots and the votes
    allowed per ballot are counted in ``left``). The k strongest rivals have the smallest deficits.
    """
    if len(rivals) < k:
        return False
    need = 0
    for v in rivals:
        d = votes - v
        if d > 0:
            if d > ballots:
                return False
            need += d
    return need <= left


def clinched_place(votes: int, rivals: Sequence[int], k: int, ballots: float, left: float) -> bool:
    """A place among the top ``k`` that no allocation of the votes left can take away."""
    return not rivals_can_reach(votes, rivals, k, ballots, left)


def eliminated_place(
    votes: int, rivals: Sequence[int], k: int, ballots: float, left: float
) -> bool:
    """No place among the top ``k``: ``k`` rivals stay strictly ahead even if the choice gains
    a vote on every ballot left (at most ``min(ballots, left)`` votes)."""
    if len(rivals) < k:
        return False
    return rivals[k - 1] > votes + min(ballots, left)


def two_way_needs(ahead: int, behind: int, others: int, left: float) -> float:
    """The share of the **two-way** votes left (the votes left for these two choices) that the
    choice behind needs to draw level with the one ahead: (D + R₂) / (2 R₂), with D the lead and
    R₂ = R × (v_ahead + v_behind) / Σv the votes left that go to these two if they keep their
    share of the count (``others`` is every other vote, write-ins included).

    The choice ahead needs 1 minus that. Not clipped: above 1 means the two-way split cannot
    close the gap. With no votes left it is ±infinity (0.5 at a tie).
    """
    total = ahead + behind + others
    pair = ahead + behind
    pair_left = left * pair / total if total > 0 else left
    return _needs(ahead - behind, pair_left)


def all_way_needs(lead: int, left: float) -> float:
    """The share of **all** votes left the choice behind needs to draw level, if every other
    choice gets none of them: (D + R) / (2 R). Used when the two-way split cannot express the
    need (D ≥ R₂) although the choice is not eliminated."""
    return _needs(lead, left)


def _needs(lead: float, pair_left: float) -> float:
    if pair_left <= 0:
        return 0.5 if lead == 0 else math.copysign(math.inf, lead)
    return (lead + pair_left) / (2 * pair_left)


def threshold_needs(votes: int, total: int, left: float, q: Fraction) -> float:
    """The share of the votes left a choice needs to end at share ``q`` of all votes:
    (q (V + R) − v) / R. For a majority (EC §8140) V counts every vote for the office, write-ins
    included; for a measure V is yes + no. Not clipped; ±infinity with no votes left."""
    gap = q.numerator * (total + left) / q.denominator - votes
    if left <= 0:
        return 0.0 if gap == 0 else math.copysign(math.inf, gap)
    return gap / left


def reaches_threshold(votes: float, total: float, q: Fraction, strict: bool) -> bool:
    """Whether ``votes`` of ``total`` is at least share ``q`` (more than ``q`` if ``strict``),
    compared exactly: v × den ≥ num × V."""
    a = votes * q.denominator
    b = q.numerator * total
    return a > b if strict else a >= b


def threshold_clinched(votes: int, total: int, left: float, q: Fraction, strict: bool) -> bool:
    """The choice ends at or above ``q`` (above, if ``strict``) however the votes left go: even
    if all ``left`` go to the others (the share v / (V + x) is lowest at the most votes left)."""
    return reaches_threshold(votes, total + left, q, strict)


def threshold_eliminated(
    votes: int, total: int, ballots: float, left: float, q: Fraction, strict: bool
) -> bool:
    """The choice cannot reach ``q`` even gaining a vote on every ballot left while the others
    gain nothing (the share (v + x) / (V + x) is highest at the most votes it can gain)."""
    gain = min(ballots, left)
    return not reaches_threshold(votes + gain, total + gain, q, strict)


def clip(share: float) -> float:
    """A share as shown: never below 0% nor above 100%."""
    if share != share:  # NaN: nothing to say
        return 0.0
    return 0.0 if share < 0.0 else 1.0 if share > 1.0 else share


__all__ = [
    "all_way_needs",
    "clinched_place",
    "clip",
    "eliminated_place",
    "kth_rivals",
    "reaches_threshold",
    "rivals_can_reach",
    "threshold_clinched",
    "threshold_eliminated",
    "threshold_needs",
    "two_way_needs",
]
