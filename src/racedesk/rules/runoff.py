"""Majority-or-runoff: a candidate with more than half of all votes for the office is elected;
otherwise the top ``advance`` go to a runoff, ties for the last place all advancing
(EC §8140–8142: California's nonpartisan county, judicial and city primaries).

The leader needs t = (½(V + R) − v_L) / R of all votes left, write-ins included, for a majority
(:func:`racedesk.rules.hurdle.threshold_needs`); the majority is clinched when the leader stays
above half even if every vote left goes to others, and the runoff is certain when the leader
cannot pass half even with a vote on every ballot left. The runoff places are top-``advance``
places, as :mod:`racedesk.rules.places` reads them. A majority for several seats is not
evaluated: such a contest is read for its runoff places only.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from racedesk.model import CallEvent, CallStatus, Contest, ContestCount
from racedesk.model.answers import Projection, Standing, StandingStatus, VotesLeft
from racedesk.rules.base import (
    Count,
    Focus,
    Judge,
    RuleLogic,
    Verdict,
    pct,
    places_with_ties,
    ranked,
)
from racedesk.rules.hurdle import threshold_needs, threshold_status
from racedesk.rules.names import name_list
from racedesk.rules.places import (
    place_outcomes,
    places_standing,
    share_of_draws,
    top_places_verdict,
)
from racedesk.rules.tally import (
    WRITE_INS_ONLY,
    ContestFacts,
    Result,
    StandingResult,
    Tally,
    margin,
    place_standings,
    restate,
    shown_need,
    winning,
)
from racedesk.rules.threshold import need_interval


class MajorityOrRunoff(RuleLogic):
    """Majority wins outright, otherwise the top ``advance`` go to a runoff (module docstring)."""

    family = "runoff"
    advance_status: ClassVar[CallStatus] = "runoff"

    def name(self) -> str:
        return "majority wins outright, otherwise the top two go to a runoff"

    def places(self) -> int:
        return max(1, self.rule.advance or 2)

    def facts(self, contest: Contest) -> ContestFacts:
        return ContestFacts(contest, self.name())

    def default_advance(self, seats: int) -> int:
        return 2 * seats

    def vote_variation(self) -> tuple[str, str | None]:
        return "majority", None

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        rule = self.rule
        t = Tally(facts, count, votes_left, rule.votes_allowed)
        if rule.seats == 1:
            return (t.votes, t.shown, t.total, *majority_standing(rule.advance or 2, t))
        leaders, margin_votes, margin_share, standings, outcome = places_standing(
            rule.advance or 2 * rule.seats, True, t
        )
        outcome += " (a majority for several seats is not evaluated)"
        return t.votes, t.shown, t.total, leaders, margin_votes, margin_share, standings, outcome

    def outcomes(
        self,
        contests: Sequence[Contest],
        logics: Sequence[RuleLogic],
        votes: npt.NDArray[np.float64],
        final: npt.NDArray[np.floating],
    ) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
        """Each choice's chance of a runoff place (EC §8141), the chance that the choices
        ahead now take the places, and as outcomes each choice's chance of a majority ("X wins
        a majority": more than half, EC §8140) and of a runoff."""
        probs, outs = place_outcomes(contests, logics, votes, final, self.places())
        half = np.array([0.5 / max(1, c.rule.seats) for c in contests])
        majority = np.asarray(final > half[:, None, None], dtype=np.bool_)
        p_majority = share_of_draws(majority, 2).tolist()
        nobody = np.asarray(~majority.any(axis=1), dtype=np.bool_)
        p_runoff = share_of_draws(nobody, 1).tolist()
        for j, contest in enumerate(contests):
            names = [c.name for c in contest.choices]
            outs[j].update(
                zip([f"{name} wins a majority" for name in names], p_majority[j], strict=True)
            )
            outs[j]["runoff"] = p_runoff[j]
        return probs, outs

    def focus(self, count: Count) -> Focus:
        """The leader's majority while the leader has at least 40%; else the runoff places."""
        order = count.order()
        if len(order) >= 2 and count.votes[order[0]] / count.counted >= 0.4:
            return Focus("majority", order[0], order[0], threshold=Fraction(1, 2))
        return super().focus(count)

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        return majority_verdict(self, contest, count, projection, judge)

    def called_probability(
        self, contest: Contest, event: CallEvent, projection: Projection
    ) -> float:
        if event.status == "called":
            name = contest.choice(event.choices[0]).name
            return projection.outcomes.get(f"{name} wins a majority", 0.0)
        places = super().called_probability(contest, event, projection)
        return min(places, projection.outcomes.get("runoff", 0.0))

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        total = count.choice_votes
        order = ranked(contest, count)
        if self.rule.seats <= 1 and Fraction(count.votes.get(order[0], 0), total) > Fraction(1, 2):
            return "called", [order[0]]
        return "runoff", places_with_ties(contest, count, self.places())


def majority_standing(k: int, t: Tally) -> Result:
    """Majority, else a runoff between the top ``k`` (one seat; EC §8140–8142)."""
    n = len(t.votes)
    if n == 0:
        return (), 0, 0.0, (), WRITE_INS_ONLY
    lead = t.order[0]
    v_lead = t.votes[lead]
    name = t.names[lead]
    majority_now = t.total > 0 and 2 * v_lead > t.total
    standings = place_standings(t, k, f"to finish in the top {k}")[0]
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
                needs=shown_need(min(need), need[1], max(need)),
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
                standings[i] = restate(st, "eliminated")  # no runoff: a majority is clinched
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
                    needs=shown_need(1 - max(need), 1 - need[1], 1 - min(need)),
                    denominator=f"share of all votes left going to others than {name}",
                    rival=t.ids[lead],
                )
    leaders = (
        (t.ids[lead],) if majority_now else tuple(t.ids[i] for i in t.order[: winning(t, k, True)])
    )
    margin_votes, margin_share = margin(t, 1 if majority_now else k)
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


def majority_verdict(
    logic: RuleLogic, contest: Contest, count: Count, projection: Projection, judge: Judge
) -> Verdict:
    """Called for the leader once its majority is safe (EC §8140); a runoff once no majority
    is possible and the runoff places are safe (EC §8141)."""
    order = count.order()
    leader = order[0]
    name = count.names[leader]
    seats = max(1, contest.rule.seats)
    q = Fraction(1, 2 * seats)
    share = count.votes[leader] / count.counted
    mid = next(c.share_mid for c in projection.choices if c.choice_id == count.ids[leader])
    guarded = judge.guarded(min(abs(share - q), abs(mid - q)))
    p_majority = projection.outcomes.get(f"{name} wins a majority", 0.0)
    p_runoff = projection.outcomes.get("runoff", 0.0)
    need = need_interval(count, leader, q)
    if not guarded and judge.threshold_safe(count, leader, q, True) and judge.sure(p_majority):
        reason = f"{name} has {pct(share)} and needs at most {pct(need.high)} of the votes left to keep a majority"
        return Verdict("called", (count.ids[leader],), reason, p_majority, need)
    no_majority = all(judge.threshold_safe(count, i, q, False) for i in range(len(count.ids)))
    if not guarded and no_majority and judge.sure(p_runoff):
        places = top_places_verdict(logic, count, projection, logic.places(), "runoff", judge)
        if places.is_call:
            reason = f"no majority is possible ({name} would need {pct(need.low)} of the votes left); {places.reason}"
            return Verdict(
                "runoff",
                places.choices,
                reason,
                min(p_runoff, places.probability or 0.0),
                places.hurdle,
            )
        return Verdict(
            places.status, (), f"a runoff is certain; {places.reason}", p_runoff, places.hurdle
        )
    lean = max(p_majority, p_runoff)
    verdict = judge.uncalled(
        lean, guarded, f"{name}'s majority" if p_majority >= p_runoff else "a runoff"
    )
    return Verdict(verdict.status, (), verdict.reason, lean, need)


__all__ = ["MajorityOrRunoff", "majority_standing", "majority_verdict"]
