"""A contest's state after a release: shares, leaders, margin and every choice's standing.

For each rule of ``../shared/domain/calls-and-hurdles.md`` (written out in ``docs/hurdles.md``):

- **plurality** (EC §15452; vote for N elects N): a choice's place among the top ``seats`` is
  clinched or eliminated exactly (:func:`racedesk.engine.hurdle.place_statuses`); a choice still
  contending needs a share of the **two-way** votes left against the choice at the edge of the
  winning places (the last winner, or for a winner the first loser);
- **majority or runoff** (EC §8140–8142): the leader needs t = (½(V + R) − v_L) / R of all votes
  left, write-ins included, for a majority; the majority is clinched when the leader stays above
  half even if every vote left goes to others, and the runoff is certain when the leader cannot
  pass half even with a vote on every ballot left; the runoff places are top-``advance`` places,
  and candidates tied for the last one all advance (EC §8142);
- **top two** (Prop 14): top-``advance`` places, the same way;
- **measures** at threshold q (½ strictly, 55% and ⅔ at least) and **recalls** (q = ½): yes
  needs (q(V + R) − yes) / R of the yes+no votes left; a conditional threshold ("2/3, 55% if
  prop 5 passes") is settled only when both thresholds agree; a threshold racedesk cannot read
  leaves both choices unknown.

Shares are of the votes for the named choices, as the registrar shows them (write-ins are not in
the denominator); each hurdle names its own denominator in ``Standing.denominator``. A hurdle is
never shown outside 0–100%: beyond it the choice is clinched or eliminated, and with no estimate
of the votes left its standing is unknown. The status holds at the **high** end of the
votes-left interval (where the count can still change most); ``needs`` spans the interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Final

from racedesk.engine.hurdle import (
    clip,
    place_statuses,
    reaches,
    threshold_needs,
    threshold_status,
    two_way_needs3,
)
from racedesk.memo import PerObject
from racedesk.model import RULE_NAMES, Contest, ContestCount, Release
from racedesk.model.answers import (
    ContestState,
    Interval,
    Problem,
    Standing,
    StandingStatus,
    VotesLeft,
)

_PARTICLES: Final = frozenset(
    {"DE", "DEL", "LA", "LAS", "LOS", "VAN", "VON", "DA", "DI", "DU", "LE", "ST.", "ST"}
)
_SUFFIXES: Final = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})
_YES_WORDS: Final = ("YES", "FOR", "SI", "SÍ")
_NO_WORDS: Final = ("NO", "AGAINST")
ALL_VOTES: Final = "share of all votes left, if the other choices get none"
_FLIP: Final[dict[StandingStatus, StandingStatus]] = {
    "clinched": "eliminated",
    "eliminated": "clinched",
    "contending": "contending",
    "unknown": "unknown",
}

# --- names ----------------------------------------------------------------------------------


def short_name(name: str) -> str:
    """The name used in phrases: a candidate's surname with its particles ("NATHAN HOCHMAN" →
    "Hochman", "CLAUDIA DE LA CRUZ" → "De La Cruz"), title-cased when the feed shouts."""
    words = name.replace(",", " ").split()
    if not words:
        return name
    while len(words) > 1 and words[-1].upper() in _SUFFIXES:
        words.pop()
    start = len(words) - 1
    while start > 1 and words[start - 1].upper() in _PARTICLES:
        start -= 1
    short = " ".join(words[start:])
    return short.title() if short.isupper() else short


def name_list(names: Sequence[str]) -> str:
    """Names joined as a reader expects: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _threshold_words(q: Fraction) -> str:
    if q == Fraction(1, 2):
        return "a majority"
    if q.denominator in (3, 4):
        return f"{q.numerator}/{q.denominator}"
    return f"{float(q) * 100:g}%"


class _Threshold:
    __slots__ = ("den", "num", "strict", "words")

    def __init__(self, q: Fraction) -> None:
        self.num, self.den = q.numerator, q.denominator
        self.strict = q == Fraction(1, 2)  # a majority is more than half; 55% and 2/3 "at least"
        self.words = _threshold_words(q)


class _ContestInfo:
    """What contest_state needs of a contest, worked out once per contest."""

    __slots__ = (
        "_pairs",
        "contest",
        "denominator",
        "duel",
        "duel_words",
        "goal",
        "ids",
        "idset",
        "names",
        "no",
        "outcomes",
        "rule_text",
        "split_outcome",
        "thresholds",
        "yes",
        "zeros",
    )

    def __init__(self, contest: Contest) -> None:
        self.contest = contest
        self.ids = [c.id for c in contest.choices]
        self.idset = frozenset(self.ids)
        self.zeros = [0] * len(self.ids)
        shorts = [short_name(c.name) for c in contest.choices]
        self.names = (
            shorts if len(set(shorts)) == len(shorts) else [c.name for c in contest.choices]
        )
        rule = contest.rule
        self.rule_text = rule.text or RULE_NAMES.get(rule.kind, rule.kind)
        #: One seat between two choices (plurality): the shape of most contests, see _duel.
        self.duel = rule.kind == "plurality" and rule.seats == 1 and len(self.ids) == 2
        self.yes, self.no = _yes_no(contest)
        self._pairs: dict[int, str] = {}
        self.outcomes: dict[tuple[object, ...], str] = {}
        #: A duel's two-way denominators, each choice named first in its own.
        self.duel_words = (self.pair_text(0, 1), self.pair_text(1, 0)) if self.duel else ("", "")
        self.thresholds: list[_Threshold] = []
        self.goal = self.denominator = ""
        self.split_outcome = ""
        if rule.kind in ("measure", "recall"):
            try:
                qs = [Fraction(t) for t in (rule.threshold, rule.alt_threshold) if t is not None]
            except (ValueError, ZeroDivisionError):
                qs = []
            if rule.threshold is not None and all(0 < q < 1 for q in qs):
                self.thresholds = [_Threshold(q) for q in qs]
        if self.thresholds:
            main = self.thresholds[0]
            self.goal = f"to pass with {main.words}" if main.strict else f"to pass at {main.words}"
            self.denominator = "share of the yes+no votes left"
            if len(self.thresholds) > 1:
                alt = self.thresholds[1]
                self.goal += f" ({alt.words} if {rule.condition or 'its condition holds'})"
                self.denominator += f" (the range spans {alt.words} and {main.words})"
                # What the count says when the two thresholds disagree: passing at the lower.
                low, high = sorted(self.thresholds, key=lambda q: q.num / q.den)
                self.split_outcome = f"passing at {low.words}, failing at {high.words}"

    def pair_text(self, i: int, j: int) -> str:
        """The two-way denominator of choices ``i`` and ``j``, in words."""
        key = i * len(self.ids) + j
        text = self._pairs.get(key)
        if text is None:
            text = f"two-way share of the votes left for {self.names[i]} and {self.names[j]}"
            self._pairs[key] = text
        return text


def _yes_no(contest: Contest) -> tuple[int, int]:
    """Positions of a measure's yes and no choices, from their names (else ballot order)."""
    yes = no = -1
    for i, c in enumerate(contest.choices):
        first = (c.name.strip().upper().split() or [""])[0].rstrip(".,:")
        if yes < 0 and first in _YES_WORDS:
            yes = i
        elif no < 0 and first in _NO_WORDS:
            no = i
    if (yes < 0 or no < 0) and len(contest.choices) == 2:
        yes, no = 0, 1
    return yes, no


_info: PerObject[Contest, _ContestInfo] = PerObject(_ContestInfo, keep=8192)


# --- the count, ranked ------------------------------------------------------------------------


def _count_of(info: _ContestInfo, count: ContestCount | None) -> tuple[list[int], int, int]:
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


def _left_of(
    votes_left: VotesLeft, allowed: int
) -> tuple[tuple[float, float, float] | None, float]:
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
            _bound(lo, allowed * b.low),
            _bound(mid, allowed * b.mid),
            _bound(hi, allowed * b.high),
        )
    return (lo, mid, hi), b.high if b.high > 0.0 else 0.0


class _Tally:
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
        self, info: _ContestInfo, count: ContestCount | None, votes_left: VotesLeft, allowed: int
    ) -> None:
        self.info = info
        self.ids = info.ids
        self.names = info.names
        votes, self.shown, self.total = _count_of(info, count)
        self.votes = votes
        if len(votes) == 2:
            a, b = votes
            self.order, self.ranked = ([0, 1], [a, b]) if a >= b else ([1, 0], [b, a])
        else:
            self.order = order = sorted(range(len(votes)), key=votes.__getitem__, reverse=True)
            self.ranked = list(map(votes.__getitem__, order))
        self.left, self.ballots = _left_of(votes_left, allowed)

    def share(self, v: int) -> float:
        return v / self.shown if self.shown else 0.0


def _needs(low: float, mid: float, high: float) -> Interval:
    """A need as shown: each end within 0–100%, the middle between the ends (rounding in the
    arithmetic must not put it outside)."""
    low, high = clip(low), clip(high)
    mid = low if mid < low else high if mid > high else mid
    return Interval(low=low, mid=mid, high=high)


def _bound(votes: float, most: float) -> float:
    x = votes if votes < most else most
    return x if x > 0.0 else 0.0


_Result = tuple[tuple[str, ...], int, float, tuple[Standing, ...], str]
_Duel = tuple[list[int], int, int, tuple[str, ...], int, float, tuple[Standing, ...], str]


def _duel(
    info: _ContestInfo, count: ContestCount | None, votes_left: VotesLeft, allowed: int
) -> _Duel | None:
    """One seat between two choices, the shape of 156 of the 373 contests of LA's 2024 general:
    what :func:`_places` gives with k = 1, worked out directly. With two choices the leader's
    place is clinched exactly when the trailer's is lost, when the lead exceeds the most the
    trailer can gain (min(B, R), :func:`~racedesk.engine.hurdle.place_statuses`); otherwise
    both need a share of the same two-way votes left, one the complement of the other.

    None (the general path decides) before any vote, at a tie, without an estimate of the votes
    left, or where rounding makes the two tests of ``place_statuses`` disagree.
    """
    left, ballots = _left_of(votes_left, allowed)
    if count is None or left is None:
        return None
    votes, shown, total = _count_of(info, count)
    v0, v1 = votes
    if v0 == v1 or total == 0:
        return None
    first, second, ahead, behind = (0, 1, v0, v1) if v0 > v1 else (1, 0, v1, v0)
    hi = left[2]
    lead = ahead - behind
    clinched = lead > ballots or lead > hi
    if clinched != (ahead - (ballots if ballots < hi else hi) > behind):
        return None
    inv = 1.0 / shown
    ids, names = info.ids, info.names
    id_first, id_second = ids[first], ids[second]
    if clinched:
        leader: StandingStatus = "clinched"
        trailer: StandingStatus = "eliminated"
        leader_needs = trailer_needs = None
        leader_words = trailer_words = ""
        outcome = f"{names[first]} clinched"
    else:
        leader = trailer = "contending"
        at_lo, at_mid, at_hi, everyone = _behind_needs(lead, shown, total, left)
        leader_needs = _need(at_lo, at_mid, at_hi, True)
        trailer_needs = _need(at_lo, at_mid, at_hi, False)
        if everyone:
            leader_words = trailer_words = ALL_VOTES
        else:
            leader_words, trailer_words = info.duel_words[first], info.duel_words[second]
        outcome = f"{names[first]} leads"
    winner = Standing(
        choice_id=id_first,
        name=names[first],
        votes=ahead,
        share=ahead * inv,
        status=leader,
        goal="to win",
        needs=leader_needs,
        denominator=leader_words,
        rival=id_second,
    )
    loser = Standing(
        choice_id=id_second,
        name=names[second],
        votes=behind,
        share=behind * inv,
        status=trailer,
        goal="to win",
        needs=trailer_needs,
        denominator=trailer_words,
        rival=id_first,
    )
    return (
        votes,
        shown,
        total,
        (id_first,),
        lead,
        lead / shown,
        (winner, loser) if first == 0 else (loser, winner),
        outcome,
    )


def contest_state(
    contest: Contest,
    count: ContestCount | None,
    release: Release,
    votes_left: VotesLeft,
    *,
    problems: Sequence[Problem] = (),
) -> ContestState:
    """The state of ``contest`` after ``release``: its count, leaders, margin and standings.

    ``count`` is the contest's count in the release (None when the release does not have the
    contest: every choice then has zero votes); ``votes_left`` comes from
    :func:`racedesk.engine.votes_left.contest_votes_left`; of ``problems`` (the release's), those
    of this contest and the release-wide ones are kept, and a blocking one makes the state
    unusable.

    ``leaders`` are the winning places as counted: the top ``seats`` (plurality), the top
    ``advance`` with those tied for the last place (runoff rules; the leader alone while above
    half), YES or NO (measures, against the threshold). ``margin_votes``/``margin_share`` separate
    the last winning place from the next (measures: yes from its threshold).
    """
    info = _info(contest)
    rule = contest.rule
    kind = rule.kind
    duel = _duel(info, count, votes_left, rule.votes_allowed) if info.duel else None
    if duel is not None:
        votes, shown, total, leaders, margin_votes, margin_share, standings, outcome = duel
    elif kind in ("measure", "recall"):
        votes, shown, total = _count_of(info, count)
        left, ballots = _left_of(votes_left, rule.votes_allowed)
        leaders, margin_votes, margin_share, standings, outcome = _measure(
            info, votes, shown, left, ballots
        )
    else:
        t = _Tally(info, count, votes_left, rule.votes_allowed)
        if kind == "plurality":
            leaders, margin_votes, margin_share, standings, outcome = _places(rule.seats, False, t)
        elif kind == "majority_or_runoff" and rule.seats == 1:
            leaders, margin_votes, margin_share, standings, outcome = _majority(
                rule.advance or 2, t
            )
        else:
            leaders, margin_votes, margin_share, standings, outcome = _places(
                rule.advance or 2 * rule.seats, True, t
            )
            if kind == "majority_or_runoff":
                outcome += " (a majority for several seats is not evaluated)"
        votes, shown, total = t.votes, t.shown, t.total
    if total == 0:
        outcome = "too early"
    ids = info.ids
    mine: tuple[Problem, ...] = ()
    usable = True
    if problems:
        mine = tuple(p for p in problems if not p.contest_id or p.contest_id == contest.id)
        usable = not any(p.blocking for p in mine)
    return ContestState(
        contest_id=contest.id,
        title=contest.title,
        rule=info.rule_text,
        release_sequence=release.sequence if release.sequence is not None else -1,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        votes=dict(zip(ids, votes, strict=False)),
        shares=dict(zip(ids, map((1.0 / shown).__rmul__, votes), strict=False))
        if shown
        else dict.fromkeys(ids, 0.0),
        total_votes=total,
        write_ins=total - shown,
        ballots=count.ballots if count is not None else None,
        leaders=leaders,
        margin_votes=margin_votes,
        margin_share=margin_share,
        votes_left=votes_left,
        standings=standings,
        outcome=outcome,
        usable=usable,
        problems=mine,
    )


def _margin(t: _Tally, places: int) -> tuple[int, float]:
    """Votes (and share) between the last winning place and the next (0 votes past the end)."""
    ranked = t.ranked
    if not ranked or places <= 0:
        return 0, 0.0
    places = min(places, len(ranked))
    votes = ranked[places - 1] - (ranked[places] if places < len(ranked) else 0)
    return votes, t.share(votes)


def _winning(t: _Tally, places: int, ties_advance: bool) -> int:
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


def _behind_needs(
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


def _need(at_lo: float, at_mid: float, at_hi: float, ahead: bool) -> Interval:
    """The need shown for one of a pair, from what the one behind needs (:func:`_behind_needs`).

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


def _pair_needs(t: _Tally, i: int, rival: int, ahead: bool) -> tuple[Interval, str]:
    """What choice ``i`` needs against ``rival`` to draw level (:func:`_behind_needs`), and on
    what denominator."""
    v, vr = t.votes[i], t.votes[rival]
    at_lo, at_mid, at_hi, everyone = _behind_needs(
        v - vr if ahead else vr - v,
        v + vr,
        t.total,
        t.left,  # type: ignore[arg-type]
    )
    denominator = ALL_VOTES if everyone else t.info.pair_text(i, rival)
    return _need(at_lo, at_mid, at_hi, ahead), denominator


def _place_standings(t: _Tally, k: int, goal: str) -> tuple[list[Standing], list[str]]:
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
        needs, denominator = _pair_needs(t, i, edge, inside)
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


def _places(k: int, ties_advance: bool, t: _Tally) -> _Result:
    """Plurality vote for N (k = seats) and top-two (k = advance) contests."""
    if ties_advance:
        goal = f"to finish in the top {k}"
    else:
        goal = "to win" if k == 1 else f"to win one of the {k} seats"
    standings, statuses = _place_standings(t, k, goal)
    w = _winning(t, k, ties_advance)
    top = t.order[:w]
    leaders = tuple(map(t.ids.__getitem__, top))
    margin_votes, margin_share = _margin(t, k)
    # The words change only when the leaders, their standing or a tie for the last place do.
    ranked = t.ranked
    tie = not ties_advance and t.total > 0 and len(ranked) > k and ranked[k - 1] == ranked[k]
    key = (k, tie, *top, *statuses[:w])
    outcome = t.info.outcomes.get(key)
    if outcome is None or tie:
        outcome = _places_outcome(t, k, ties_advance, standings, w)
        t.info.outcomes[key] = outcome
    return leaders, margin_votes, margin_share, tuple(standings), outcome


def _places_outcome(
    t: _Tally, k: int, ties_advance: bool, standings: Sequence[Standing], winners: int
) -> str:
    if not t.votes:
        return "no named choices"
    tie_note = ""
    ranked, names = t.ranked, t.names
    if not ties_advance and t.total > 0 and len(ranked) > k and ranked[k - 1] == ranked[k]:
        tied = [names[i] for i in t.order if t.votes[i] == ranked[k - 1]]
        if k == 1:
            return f"{name_list(tied)} tied"
        tie_note = f"; {name_list(tied)} tied for the last seat"
    top = t.order[:winners]
    done = [names[i] for i in top if standings[i].status == "clinched"]
    open_ = [names[i] for i in top if standings[i].status != "clinched"]
    verb = ("advances" if len(done) == 1 else "advance") if ties_advance else "clinched"
    settled = f"{name_list(done)} {verb}"
    leading = f"{name_list(open_)} {'lead' if len(open_) > 1 else 'leads'}"
    text = settled if done and not open_ else f"{settled}; {leading}" if done else leading
    return text + tie_note


def _majority(k: int, t: _Tally) -> _Result:
    """Majority, else a runoff between the top ``k`` (one seat; EC §8140–8142)."""
    n = len(t.votes)
    if n == 0:
        return (), 0, 0.0, (), "no named choices"
    lead = t.order[0]
    v_lead = t.votes[lead]
    name = t.names[lead]
    majority_now = t.total > 0 and 2 * v_lead > t.total
    standings = _place_standings(t, k, f"to finish in the top {k}")[0]
    majority: StandingStatus = "unknown"
    if t.left is not None:
        majority = threshold_status(v_lead, t.total, t.ballots, t.left[2], 1, 2, True)
    if majority != "eliminated":
        # The leader's question is the majority, until a runoff is certain.
        st = standings[lead]
        if majority == "contending":
            need = [threshold_needs(v_lead, t.total, x, 1, 2) for x in t.left]  # type: ignore[union-attr]
            standings[lead] = Standing(
                choice_id=st.choice_id,
                name=st.name,
                votes=st.votes,
                share=st.share,
                status="contending",
                goal="for a majority",
                needs=_needs(min(need), need[1], max(need)),
                denominator="share of all votes left, write-ins included",
            )
        else:
            standings[lead] = Standing(
                choice_id=st.choice_id,
                name=st.name,
                votes=st.votes,
                share=st.share,
                status=majority,
                goal="for a majority",
            )
        for i, st in enumerate(standings):
            if i == lead or t.left is None:
                continue
            if majority == "clinched":
                standings[i] = _restate(st, "eliminated")  # no runoff: a majority is clinched
            elif st.status == "clinched":
                # The runoff place is safe; whether there is a runoff hangs on the leader's
                # majority: the others together must take more than 1 − t of the votes left.
                need = [threshold_needs(v_lead, t.total, x, 1, 2) for x in t.left]
                standings[i] = Standing(
                    choice_id=st.choice_id,
                    name=st.name,
                    votes=st.votes,
                    share=st.share,
                    status="contending",
                    goal="to reach a runoff",
                    needs=_needs(1 - max(need), 1 - need[1], 1 - min(need)),
                    denominator=f"share of all votes left going to others than {name}",
                    rival=t.ids[lead],
                )
    leaders = (
        (t.ids[lead],) if majority_now else tuple(t.ids[i] for i in t.order[: _winning(t, k, True)])
    )
    margin_votes, margin_share = _margin(t, 1 if majority_now else k)
    if majority == "clinched":
        outcome = f"majority clinched by {name}"
    elif majority == "eliminated":
        names = [t.names[t.ids.index(c)] for c in leaders]
        settled = all(standings[t.ids.index(c)].status == "clinched" for c in leaders)
        outcome = f"runoff certain: {name_list(names)} {'advance' if settled else 'lead'}"
    elif majority_now:
        outcome = f"{name} leads with a majority so far"
    else:
        outcome = f"{name} leads, short of a majority"
    return leaders, margin_votes, margin_share, tuple(standings), outcome


def _restate(st: Standing, status: StandingStatus) -> Standing:
    return Standing(
        choice_id=st.choice_id,
        name=st.name,
        votes=st.votes,
        share=st.share,
        status=status,
        goal=st.goal,
        rival=st.rival,
    )


def _measure(
    info: _ContestInfo,
    votes: list[int],
    shown: int,
    left: tuple[float, float, float] | None,
    ballots: float,
) -> _Result:
    """Measures and recalls: yes against its threshold(s), on the yes+no votes (``votes`` in
    ballot order, ``shown`` their sum; ``left`` and ``ballots`` as :func:`_left_of` gives
    them)."""
    y, no = info.yes, info.no
    ids, names = info.ids, info.names
    if y < 0 or no < 0:
        standings = tuple(
            Standing(
                choice_id=ids[i],
                name=names[i],
                votes=v,
                share=v / shown if shown else 0.0,
                status="unknown",
                goal="",
            )
            for i, v in enumerate(votes)
        )
        return (), 0, 0.0, standings, "cannot tell yes from no"
    yes, nay = votes[y], votes[no]
    total = yes + nay
    share_yes = yes / total if total else 0.0
    share_no = 1.0 - share_yes if total else 0.0
    qs = info.thresholds
    if not qs:
        standings = (
            Standing(
                choice_id=ids[y],
                name=names[y],
                votes=yes,
                share=share_yes,
                status="unknown",
                goal="to pass",
            ),
            Standing(
                choice_id=ids[no],
                name=names[no],
                votes=nay,
                share=share_no,
                status="unknown",
                goal="to defeat it",
            ),
        )
        return (), 0, 0.0, standings, f"rule unknown: {info.contest.rule.text!r}"
    main = qs[0]
    passing = total > 0 and reaches(yes, total, main.num, main.den, main.strict)
    split = False
    status: StandingStatus = "unknown"
    if left is not None:
        status = threshold_status(yes, total, ballots, left[2], main.num, main.den, main.strict)
    if len(qs) > 1:
        alt = qs[1]
        split = passing != (total > 0 and reaches(yes, total, alt.num, alt.den, alt.strict))
        if (
            left is not None
            and threshold_status(yes, total, ballots, left[2], alt.num, alt.den, alt.strict)
            != status
        ):
            status = "contending"
    if status == "contending":
        # The need is monotone in R: its ends are at the ends of the votes left.
        lo, mid, hi = left  # type: ignore[misc]
        a = threshold_needs(yes, total, lo, main.num, main.den)
        b = threshold_needs(yes, total, hi, main.num, main.den)
        low, high = (a, b) if a < b else (b, a)
        for q in qs[1:]:
            a = threshold_needs(yes, total, lo, q.num, q.den)
            b = threshold_needs(yes, total, hi, q.num, q.den)
            low, high = min(low, a, b), max(high, a, b)
        need = _needs(low, threshold_needs(yes, total, mid, main.num, main.den), high)
        yes_needs: Interval | None = need
        no_needs: Interval | None = Interval(
            low=1.0 - need.high, mid=1.0 - need.mid, high=1.0 - need.low
        )
        no_status: StandingStatus = status
        denominator = info.denominator
    else:
        yes_needs = no_needs = None
        no_status, denominator = _FLIP[status], ""
    yes_st = Standing(
        choice_id=ids[y],
        name=names[y],
        votes=yes,
        share=share_yes,
        status=status,
        goal=info.goal,
        needs=yes_needs,
        denominator=denominator,
        rival=ids[no],
    )
    no_st = Standing(
        choice_id=ids[no],
        name=names[no],
        votes=nay,
        share=share_no,
        status=no_status,
        goal="to defeat it",
        needs=no_needs,
        denominator=denominator,
        rival=ids[y],
    )
    standings = (yes_st, no_st) if y < no else (no_st, yes_st)
    leaders = () if not total else ((ids[y],) if passing else (ids[no],))
    margin_votes = abs(yes * main.den - main.num * total) // main.den
    margin_share = abs(share_yes - main.num / main.den) if total else 0.0
    if status == "clinched":
        outcome = "passes"
    elif status == "eliminated":
        outcome = "fails"
    elif split:
        outcome = info.split_outcome
    else:
        outcome = "passing" if passing else "failing"
    return leaders, margin_votes, margin_share, standings, outcome


__all__ = ["contest_state", "name_list", "short_name"]
