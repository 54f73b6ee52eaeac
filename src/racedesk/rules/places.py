"""Place rules: plurality (the ``seats`` choices with the most votes win, EC §15452) and
top-two (the ``advance`` choices with the most votes advance, Prop 14 of 2010).

A choice's place among the top k is clinched or eliminated exactly
(:func:`racedesk.rules.hurdle.place_statuses`); a choice still contending needs a share of the
**two-way** votes left against the choice at the edge of the winning places (the last winner,
or for a winner the first loser). A tie for the last seat is decided by lot (EC §15651), never
by the count; choices tied for the last top-two place all advance (EC §8142).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from racedesk.model import CallStatus, Contest, ContestCount, Rule
from racedesk.model.answers import Interval, Projection, Standing, StandingStatus, VotesLeft
from racedesk.rules.base import (
    Condition,
    Count,
    Judge,
    RuleLogic,
    Verdict,
    chance,
    pct,
    places_with_ties,
)
from racedesk.rules.hurdle import pair_hurdle
from racedesk.rules.names import name_list
from racedesk.rules.successor import condition_in as successor_condition_in
from racedesk.rules.successor import never_called_successor
from racedesk.rules.tally import (
    ALL_VOTES,
    WRITE_INS_ONLY,
    ContestFacts,
    Result,
    StandingResult,
    Tally,
    behind_needs,
    count_of,
    left_of,
    margin,
    need,
    place_standings,
    winning,
)


class PlaceFacts(ContestFacts):
    """A place contest's facts: whether it is a duel (one seat between two choices, the shape
    of most contests) and, for a duel, each side's two-way denominator in words."""

    __slots__ = ("duel", "duel_words")

    def __init__(self, contest: Contest, rule_text: str, duel: bool) -> None:
        super().__init__(contest, rule_text)
        self.duel = duel
        self.duel_words = (self.pair_text(0, 1), self.pair_text(1, 0)) if duel else ("", "")


class Places(RuleLogic):
    """The top ``places()`` choices take the seats or the places (module docstring)."""

    family = "places"
    #: Whether choices tied for the last place all take it (top-two) or it goes by lot.
    ties_advance = False
    #: The call status of the choices that take the places.
    call_status: CallStatus = "called"

    def uncallable(self, contest: Contest) -> str:
        """A recall's successor contest is never projected or called unless it waits on its
        recall question in the same election: its winner takes office only if the recall
        passes (:mod:`racedesk.rules.successor`)."""
        return "" if self.condition is not None else never_called_successor(contest.title)

    def condition_in(self, contest: Contest, contests: Sequence[Contest]) -> Condition | None:
        """A recall's successor contest waits on the recall question passing
        (:func:`racedesk.rules.successor.condition_in`)."""
        return successor_condition_in(contest, contests)

    def facts(self, contest: Contest) -> PlaceFacts:
        duel = not self.ties_advance and self.rule.seats == 1 and len(contest.choices) == 2
        return PlaceFacts(contest, self.name(), duel)

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        assert isinstance(facts, PlaceFacts)
        allowed = self.rule.votes_allowed
        if facts.duel:
            settled = duel(facts, count, votes_left, allowed)
            if settled is not None:
                return settled
        t = Tally(facts, count, votes_left, allowed)
        k = self.standing_places()
        return (t.votes, t.shown, t.total, *places_standing(k, self.ties_advance, t))

    def standing_places(self) -> int:
        """The places the standing ranks for (the seats, as the feed gives them)."""
        return self.rule.seats

    def outcomes(
        self,
        contests: Sequence[Contest],
        logics: Sequence[RuleLogic],
        votes: npt.NDArray[np.float64],
        final: npt.NDArray[np.floating],
    ) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
        """Each choice's chance of a place among the top ``places()``; one seat's outcomes are
        named "X wins" for every choice, otherwise the outcome is that the choices ahead now
        take the places ("A and B win"/"advance")."""
        return place_outcomes(contests, logics, votes, final, self.places())

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        return top_places_verdict(self, count, projection, self.places(), self.call_status, judge)

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        winners = places_with_ties(contest, count, self.places())
        if not self.ties_advance and len(winners) > self.places():
            return "too close", winners
        return self.call_status, winners


def plurality_rule(seats: int, votes_allowed: int | None = None, *, note: str = "") -> Rule:
    """The rule of a contest the ``seats`` choices with the most votes win (EC §15452), each
    voter choosing up to ``votes_allowed`` (``seats`` unless said), in the words every reader
    shows ("most votes wins"; "the 3 with the most votes win"), with ``note`` after them in
    brackets ("the file states no rule")."""
    text = f"the {seats} with the most votes win" if seats > 1 else "most votes wins"
    return Rule(
        kind="plurality",
        seats=seats,
        votes_allowed=seats if votes_allowed is None else votes_allowed,
        text=f"{text} ({note})" if note else text,
    )


class Plurality(Places):
    """Vote for N, the N with the most votes win (EC §15452)."""

    def name(self) -> str:
        return "most votes wins"

    def places(self) -> int:
        return max(1, self.rule.seats)

    def top_set_key(self, names: Sequence[str]) -> str:
        return " and ".join(names) + " win"

    def vote_variation(self) -> tuple[str, str | None]:
        return ("plurality" if self.rule.votes_allowed == 1 else "n-of-m"), None

    def names_each_winner(self) -> bool:
        return self.places() == 1


class TopTwo(Places):
    """The ``advance`` with the most votes advance (Prop 14); ties for the last place advance."""

    ties_advance = True
    call_status: CallStatus = "advanced"

    def name(self) -> str:
        return "top two advance"

    def places(self) -> int:
        return max(1, self.rule.advance or 2)

    def standing_places(self) -> int:
        return self.rule.advance or 2 * self.rule.seats

    def default_advance(self, seats: int) -> int:
        return 2 * seats

    def vote_variation(self) -> tuple[str, str | None]:
        return "other", "top-two"


def duel(
    info: PlaceFacts, count: ContestCount | None, votes_left: VotesLeft, allowed: int
) -> StandingResult | None:
    """One seat between two choices, the shape of 156 of the 373 contests of LA's 2024 general:
    what :func:`places_standing` gives with k = 1, worked out directly. With two choices the leader's
    place is clinched exactly when the trailer's is lost, when the lead exceeds the most the
    trailer can gain (min(B, R), :func:`~racedesk.rules.hurdle.place_statuses`); otherwise
    both need a share of the same two-way votes left, one the complement of the other.

    None (the general path decides) before any vote, at a tie, without an estimate of the votes
    left, or where rounding makes the two tests of ``place_statuses`` disagree.
    """
    left, ballots = left_of(votes_left, allowed)
    if count is None or left is None:
        return None
    votes, shown, total = count_of(info, count)
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
        at_lo, at_mid, at_hi, everyone = behind_needs(lead, shown, total, left)
        leader_needs = need(at_lo, at_mid, at_hi, True)
        trailer_needs = need(at_lo, at_mid, at_hi, False)
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


def places_standing(k: int, ties_advance: bool, t: Tally) -> Result:
    """Plurality vote for N (k = seats) and top-two (k = advance) contests."""
    if ties_advance:
        goal = f"to finish in the top {k}"
    else:
        goal = "to win" if k == 1 else f"to win one of the {k} seats"
    standings, statuses = place_standings(t, k, goal)
    w = winning(t, k, ties_advance)
    top = t.order[:w]
    leaders = tuple(map(t.ids.__getitem__, top))
    margin_votes, margin_share = margin(t, k)
    # The words change only when the leaders, their standing or a tie for the last place do.
    ranked = t.ranked
    tie = not ties_advance and t.total > 0 and len(ranked) > k and ranked[k - 1] == ranked[k]
    key = (k, tie, *top, *statuses[:w])
    outcome = t.info.outcomes.get(key)
    if outcome is None or tie:
        outcome = places_outcome(t, k, ties_advance, standings, w)
        t.info.outcomes[key] = outcome
    return leaders, margin_votes, margin_share, tuple(standings), outcome


def places_outcome(
    t: Tally, k: int, ties_advance: bool, standings: Sequence[Standing], winners: int
) -> str:
    if not t.votes:
        return WRITE_INS_ONLY
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


def top_places_verdict(
    logic: RuleLogic, count: Count, projection: Projection, places: int, status: CallStatus,
    judge: Judge,
) -> Verdict:  # fmt: skip
    """A verdict on which ``places`` choices take the seats or the runoff places."""
    order = count.order()
    top, rest = order[:places], order[places:]
    names = [count.names[i] for i in top]
    what = " and ".join(names)
    if not rest:
        return Verdict(
            status, tuple(count.ids[i] for i in top), f"{what}: no more candidates than places", 1.0
        )
    last, first_out = top[-1], rest[0]
    margin = (count.votes[last] - count.votes[first_out]) / count.counted
    proj = {c.choice_id: c for c in projection.choices}
    mid_margin = proj[count.ids[last]].share_mid - proj[count.ids[first_out]].share_mid
    if places == 1:
        prob = proj[count.ids[top[0]]].probability
    else:
        prob = projection.outcomes.get(logic.top_set_key(names), 0.0)
    guarded = judge.guarded(min(margin, mid_margin))
    hurdle = hurdle_interval(count, last, first_out)
    safe = all(judge.pair_safe(count, a, b) for a in top for b in rest)
    if safe and not guarded and judge.sure(prob):
        trailing = count.names[first_out]
        reason = (
            f"{trailing} cannot catch up even with every vote left; {chance(prob)} projected"
            if hurdle.low >= 1
            else f"{trailing} would need {pct(hurdle.low)} or more of the two-way vote left, "
            f"beyond any late swing seen; {chance(prob)} projected"
        )
        return Verdict(status, tuple(count.ids[i] for i in top), reason, prob, hurdle)
    verdict = judge.uncalled(prob, guarded, what, many=len(names) > 1)
    return Verdict(verdict.status, (), verdict.reason, prob, hurdle)


def hurdle_interval(count: Count, ahead: int, behind: int, clipped: bool = True) -> Interval:
    """The trailing choice's two-way hurdle over the votes-left interval (low at the most votes
    left), within 0–100% unless not ``clipped``."""
    va, vb = count.votes[ahead], count.votes[behind]

    def at(left: float) -> float:
        need = pair_hurdle(va, vb, count.counted, left)
        return min(max(need, 0.0), 1.0) if clipped else need

    return Interval(low=at(count.left_high), high=at(count.left_low), mid=at(count.left_mid))


def current_top(votes: npt.NDArray[np.float64], n: int) -> list[int]:
    """The ``n`` choices ahead in the count (ballot order among equals)."""
    order = sorted(range(len(votes)), key=lambda i: (-votes[i], i))
    return order[:n]


def in_top(
    final: npt.NDArray[np.floating], n: int
) -> npt.NDArray[np.floating] | npt.NDArray[np.bool_]:
    """Whether each choice finishes among the top ``n`` in each draw (``final`` is (C, K, D)).

    With one draw (a count that is final) the answer is each choice's share of a place: 1 in,
    0 out, and for choices tied for the last places the share of those places each would get by
    lot (EC §15651)."""
    _, k, d = final.shape
    if n >= k:
        return np.ones(final.shape, dtype=bool)
    if d == 1:
        shares = final[:, :, 0]
        ahead = (shares[:, None, :] > shares[:, :, None]).sum(axis=2)
        tied = (shares[:, None, :] == shares[:, :, None]).sum(axis=2)
        place: npt.NDArray[np.floating] = np.clip((n - ahead) / tied, 0.0, 1.0)
        return place[:, :, None]
    if n == 1:
        return final >= final.max(axis=1, keepdims=True)
    # the n-th largest (numpy's sort is vectorised and faster here than partition)
    return final >= np.sort(final, axis=1)[:, k - n : k - n + 1, :]


def share_of_draws(
    flags: npt.NDArray[np.floating] | npt.NDArray[np.bool_], axis: int
) -> npt.NDArray[np.float64]:
    """The mean over draws of 0/1 flags (or of shares of a place, with one draw)."""
    if flags.dtype == np.bool_:
        counted: npt.NDArray[np.float64] = np.count_nonzero(flags, axis=axis) / flags.shape[axis]
        return counted
    mean: npt.NDArray[np.float64] = flags.mean(axis=axis)
    return mean


def place_outcomes(
    contests: Sequence[Contest],
    logics: Sequence[RuleLogic],
    votes: npt.NDArray[np.float64],
    final: npt.NDArray[np.floating],
    n: int,
) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
    """Each choice's chance of a place among the top ``n`` in the draws ``final`` (C, K, D),
    and each contest's outcomes: "X wins" for every choice where one seat is at stake
    (:meth:`RuleLogic.names_each_winner`), else the chance that the choices ahead now all take
    the places, named by :meth:`RuleLogic.top_set_key`."""
    c_count, k, _ = final.shape
    top = in_top(final, n)
    probs = share_of_draws(top, 2)
    rows = probs.tolist()
    leaders = [current_top(votes[i], n) for i in range(c_count)]
    each = [logic.names_each_winner() for logic in logics]
    joint: dict[int, float] = {}
    pick = [j for j, single in enumerate(each) if not single]
    if pick:
        mask = np.zeros((len(pick), k), dtype=bool)
        for row, j in enumerate(pick):
            mask[row, leaders[j]] = True
        sub = top[pick]
        if sub.dtype == np.bool_:
            held = share_of_draws(np.all(sub | ~mask[:, :, None], axis=1), 1)
        else:
            held = np.prod(np.where(mask[:, :, None], sub, 1.0), axis=1).mean(axis=1)
        joint = dict(zip(pick, held.tolist(), strict=True))
    outs: list[dict[str, float]] = [{} for _ in range(c_count)]
    for j, contest in enumerate(contests):
        names = [c.name for c in contest.choices]
        if each[j]:
            outs[j].update(zip([f"{name} wins" for name in names], rows[j], strict=True))
        else:
            outs[j][logics[j].top_set_key([names[q] for q in leaders[j]])] = joint[j]
    return probs, outs


__all__ = [
    "PlaceFacts",
    "Places",
    "Plurality",
    "TopTwo",
    "current_top",
    "duel",
    "hurdle_interval",
    "in_top",
    "place_outcomes",
    "places_outcome",
    "places_standing",
    "share_of_draws",
    "top_places_verdict",
]
