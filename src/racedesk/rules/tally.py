"""A contest's count as the rule families read it, and the standings they share.

:class:`ContestFacts` holds what is worked out once per contest (ids, names, the rule's words);
:class:`Tally` ranks one release's count with the votes left at their three points; the place
standings (:func:`place_standings`) serve every family that ranks choices for places (plurality,
top-two and the runoff places of majority-or-runoff). The arithmetic is
:mod:`racedesk.rules.hurdle`'s; the definitions are ``docs/hurdles.md``'s.
"""

from __future__ import annotations

from typing import Final

from racedesk.model import Contest, ContestCount
from racedesk.model.answers import Interval, Standing, StandingStatus, VotesLeft
from racedesk.rules.hurdle import clip, place_statuses, two_way_needs3
from racedesk.rules.names import short_name

ALL_VOTES: Final = "share of all votes left, if the other choices get none"
#: The outcome of a contest with no named choice ("No Candidates Filed"): write-ins only.
WRITE_INS_ONLY: Final = "write-ins only: no candidate filed"

#: What a family's standing gives: (leaders, margin votes, margin share, standings, outcome).
Result = tuple[tuple[str, ...], int, float, tuple[Standing, ...], str]
#: The same with the count it rests on first: (votes in ballot order, votes for the named
#: choices, all votes), then :data:`Result`'s five.
StandingResult = tuple[list[int], int, int, tuple[str, ...], int, float, tuple[Standing, ...], str]


class ContestFacts:
    """What a contest's standing needs of the contest, worked out once per contest: its choice
    ids and names (short names where they tell the choices apart), the rule in words, and the
    words already said (the outcome of a ranking, a pair's denominator), kept for reuse.
    Families with more to work out subclass it."""

    __slots__ = ("_pairs", "contest", "ids", "idset", "names", "outcomes", "rule_text", "zeros")

    def __init__(self, contest: Contest, rule_text: str) -> None:
        self.contest = contest
        self.ids = [c.id for c in contest.choices]
        self.idset = frozenset(self.ids)
        self.zeros = [0] * len(self.ids)
        shorts = [short_name(c.name) for c in contest.choices]
        self.names = (
            shorts if len(set(shorts)) == len(shorts) else [c.name for c in contest.choices]
        )
        self.rule_text = contest.rule.text or rule_text
        self._pairs: dict[int, str] = {}
        self.outcomes: dict[tuple[object, ...], str] = {}

    def pair_text(self, i: int, j: int) -> str:
        """The two-way denominator of choices ``i`` and ``j``, in words."""
        key = i * len(self.ids) + j
        text = self._pairs.get(key)
        if text is None:
            text = f"two-way share of the votes left for {self.names[i]} and {self.names[j]}"
            self._pairs[key] = text
        return text


def count_of(info: ContestFacts, count: ContestCount | None) -> tuple[list[int], int, int]:
    """A contest's votes in ballot order (0 for a choice the count does not name), the votes
    for the named choices and all votes, write-ins included."""
    if count is None:
        return list(info.zeros), 0, 0
    got = count.votes
    ids = info.ids
    votes = (
        list(map(got.__getitem__, ids))
        if got.keys() == info.idset
        else list(map(got.get, ids, info.zeros))
    )
    shown = sum(votes)
    return votes, shown, shown + count.write_ins


def left_of(votes_left: VotesLeft, allowed: int) -> tuple[tuple[float, float, float] | None, float]:
    """The votes left at their low, middle and high points (None without an estimate), never
    negative and never more than the votes allowed on every ballot left, and the most ballots
    left."""
    r, b = votes_left.votes, votes_left.ballots
    if r is None or b is None:
        return None, 0.0
    lo, mid, hi = r.low, r.mid, r.high
    if not (
        lo >= 0.0 and hi <= allowed * b.high and mid <= allowed * b.mid and lo <= allowed * b.low
    ):
        lo, mid, hi = (
            bound(lo, allowed * b.low),
            bound(mid, allowed * b.mid),
            bound(hi, allowed * b.high),
        )
    return (lo, mid, hi), b.high if b.high > 0.0 else 0.0


class Tally:
    """One contest's count, ranked (ties in ballot order), with the votes left at their low,
    middle and high points (``left``, None without an estimate) and the most ballots left."""

    __slots__ = (
        "ballots",
        "ids",
        "info",
        "left",
        "names",
        "order",
        "ranked",
        "shown",
        "total",
        "votes",
    )

    def __init__(
        self, info: ContestFacts, count: ContestCount | None, votes_left: VotesLeft, allowed: int
    ) -> None:
        self.info = info
        self.ids = info.ids
        self.names = info.names
        votes, self.shown, self.total = count_of(info, count)
        self.votes = votes
        if len(votes) == 2:
            a, b = votes
            self.order, self.ranked = ([0, 1], [a, b]) if a >= b else ([1, 0], [b, a])
        else:
            self.order = order = sorted(range(len(votes)), key=votes.__getitem__, reverse=True)
            self.ranked = list(map(votes.__getitem__, order))
        self.left, self.ballots = left_of(votes_left, allowed)

    def share(self, v: int) -> float:
        return v / self.shown if self.shown else 0.0


def shown_need(low: float, mid: float, high: float) -> Interval:
    """A need as shown: each end within 0–100%, the middle between the ends (rounding in the
    arithmetic must not put it outside)."""
    low, high = clip(low), clip(high)
    mid = low if mid < low else high if mid > high else mid
    return Interval(low=low, mid=mid, high=high)


def bound(votes: float, most: float) -> float:
    x = votes if votes < most else most
    return x if x > 0.0 else 0.0


def margin(t: Tally, places: int) -> tuple[int, float]:
    """Votes (and share) between the last winning place and the next (0 votes past the end)."""
    ranked = t.ranked
    if not ranked or places <= 0:
        return 0, 0.0
    places = min(places, len(ranked))
    votes = ranked[places - 1] - (ranked[places] if places < len(ranked) else 0)
    return votes, t.share(votes)


def winning(t: Tally, places: int, ties_advance: bool) -> int:
    """How many choices, in ranked order, hold the winning places; with ``ties_advance``, those
    tied with the last place count too. None (0) before any vote."""
    ranked = t.ranked
    if t.total == 0:
        return 0
    n = min(places, len(ranked))
    if ties_advance and n > 0:
        last = ranked[n - 1]
        while n < len(ranked) and ranked[n] == last:
            n += 1
    return n


def behind_needs(
    lead: int, pair: int, total: int, left: tuple[float, float, float]
) -> tuple[float, float, float, bool]:
    """What the one of a pair behind by ``lead`` needs to draw level, at the three points of the
    votes left: the two-way share of the votes left for the two
    (:func:`~racedesk.engine.hurdle.two_way_needs`); where the two-way split cannot say it (the
    lead exceeds the two-way votes left, but not all votes left), the share of all votes left
    with the others getting none, said by the last value (True)."""
    at_lo, at_mid, at_hi = two_way_needs3(lead, pair, total, left)
    if at_mid <= 1.0 or pair == total:
        return at_lo, at_mid, at_hi, False
    at_lo, at_mid, at_hi = two_way_needs3(lead, 1, 1, left)
    return at_lo, at_mid, at_hi, True


def need(at_lo: float, at_mid: float, at_hi: float, ahead: bool) -> Interval:
    """The need shown for one of a pair, from what the one behind needs (:func:`behind_needs`).

    The lead is never negative, so the need of the one behind is at least 1/2 and falls as the
    votes left grow (its low end is at the high end of R); the one ahead needs 1 minus it."""
    if ahead:
        return Interval(
            low=1.0 - at_lo if at_lo < 1.0 else 0.0,
            mid=1.0 - at_mid if at_mid < 1.0 else 0.0,
            high=1.0 - at_hi if at_hi < 1.0 else 0.0,
        )
    return Interval(
        low=at_hi if at_hi < 1.0 else 1.0,
        mid=at_mid if at_mid < 1.0 else 1.0,
        high=at_lo if at_lo < 1.0 else 1.0,
    )


def pair_needs(t: Tally, i: int, rival: int, ahead: bool) -> tuple[Interval, str]:
    """What choice ``i`` needs against ``rival`` to draw level (:func:`behind_needs`), and on
    what denominator."""
    v, vr = t.votes[i], t.votes[rival]
    at_lo, at_mid, at_hi, everyone = behind_needs(
        v - vr if ahead else vr - v,
        v + vr,
        t.total,
        t.left,  # type: ignore[arg-type]
    )
    denominator = ALL_VOTES if everyone else t.info.pair_text(i, rival)
    return need(at_lo, at_mid, at_hi, ahead), denominator


def place_standings(t: Tally, k: int, goal: str) -> tuple[list[Standing], list[str]]:
    """Every choice's standing for a place among the top ``k``, in ballot order, and the
    statuses in ranked order."""
    ranked, order, ids, names = t.ranked, t.order, t.ids, t.names
    n = len(ranked)
    out: list[Standing] = [None] * n  # type: ignore[list-item]
    left = t.left
    inv = 1.0 / t.shown if t.shown else 0.0
    # The choice at the edge of the top k: the first outside for those in, the last in for the
    # others.
    edge_in = order[k] if k < n else -1
    edge_out = order[k - 1] if 0 < k <= n else -1
    rival_in = ids[edge_in] if edge_in >= 0 else ""
    rival_out = ids[edge_out] if edge_out >= 0 else ""
    if left is None:
        for p, i in enumerate(order):
            out[i] = Standing(
                choice_id=ids[i],
                name=names[i],
                votes=ranked[p],
                share=ranked[p] * inv,
                status="unknown",
                goal=goal,
                rival=rival_in if p < k else rival_out,
            )
        return out, ["unknown"] * n
    statuses = place_statuses(ranked, k, t.ballots, left[2])
    for p, i in enumerate(order):
        v = ranked[p]
        status = statuses[p]
        inside = p < k
        if status != "contending":
            out[i] = Standing(
                choice_id=ids[i],
                name=names[i],
                votes=v,
                share=v * inv,
                status=status,
                goal=goal,
                rival=rival_in if inside else rival_out,
            )
            continue
        # Contending, so there is a choice at the edge (fewer than k rivals clinches).
        edge = edge_in if inside else edge_out
        needs, denominator = pair_needs(t, i, edge, inside)
        out[i] = Standing(
            choice_id=ids[i],
            name=names[i],
            votes=v,
            share=v * inv,
            status=status,
            goal=goal,
            needs=needs,
            denominator=denominator,
            rival=ids[edge],
        )
    return out, statuses  # type: ignore[return-value]


def restate(st: Standing, status: StandingStatus) -> Standing:
    return Standing(
        choice_id=st.choice_id,
        name=st.name,
        votes=st.votes,
        share=st.share,
        status=status,
        goal=st.goal,
        rival=st.rival,
    )


__all__ = [
    "ALL_VOTES",
    "WRITE_INS_ONLY",
    "ContestFacts",
    "Result",
    "StandingResult",
    "Tally",
    "behind_needs",
    "bound",
    "count_of",
    "left_of",
    "margin",
    "need",
    "pair_needs",
    "place_standings",
    "restate",
    "shown_need",
    "winning",
]
