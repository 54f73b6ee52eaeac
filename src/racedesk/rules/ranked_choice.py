"""Ranked choice (instant runoff): the count goes round by round, the candidate with the fewest
votes out each round and those ballots passed to their next choice still in the count, until one
candidate holds most of the ballots still counting (San Francisco Charter §13.102; the count
itself is :mod:`racedesk.rcv`'s, RCTab's).

While the canvass goes on, the county publishes with each release the first choices (the
count's ``votes``) and the rounds as they stand on the ballots counted so far
(``ContestCount.rounds``, in the county's words: "round of three", "last round"). The desk reads
the **last round published** as the count that decides: the standing, the projection (the last
round's shares, the votes left going to its candidates) and the call are about it. Every ballot
left is taken to reach the last round (none exhausts), which can only make a call later.

A call names the last round's leader once both hold:

- the leader's lead in the last round is safe against the votes left, as a one-seat plurality
  call is (:func:`racedesk.rules.places.top_places_verdict`: the pair no longer plausibly
  overtaken, outside the recount guard, the projection sure);
- the transfers left cannot change who reaches the last round: in each round published, the
  strongest candidate who is out of the next one is safely behind the weakest who stays
  (the same pair test), so no candidate out can still overtake one in.

Before any round is published the contest is not called: first choices alone do not decide it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import msgspec

from racedesk.model import CallStatus, Contest, ContestCount, RoundCount
from racedesk.model.answers import ContestState, Projection, Standing, StandingStatus, VotesLeft
from racedesk.rules.base import Count, Judge, Verdict, pct, places_with_ties
from racedesk.rules.places import PlaceFacts, Plurality, places_standing, top_places_verdict
from racedesk.rules.tally import ContestFacts, StandingResult, Tally


def last_round(count: ContestCount) -> RoundCount:
    """The last round published with ``count`` (its first choices when no round is)."""
    return count.rounds[-1] if count.rounds else RoundCount(name="first choices", tally=count.votes)


def eliminations(rounds: Sequence[RoundCount]) -> list[tuple[RoundCount, list[str], list[str]]]:
    """Each round with the candidates of it out of the next round published, and those who
    stay (choice ids); the last round has none."""
    steps = []
    for here, after in itertools.pairwise(rounds):
        out = [c for c in here.tally if c not in after.tally]
        stay = [c for c in here.tally if c in after.tally]
        if out and stay:
            steps.append((here, out, stay))
    return steps


class RankedChoice(Plurality):
    """The last round's leader wins, once the rounds left cannot change it (module docstring)."""

    family = "ranked_choice"
    call_status: CallStatus = "called"

    def name(self) -> str:
        return "ranked choice: instant runoff, the last round's leader wins"

    def places(self) -> int:
        return 1

    def vote_variation(self) -> tuple[str, str | None]:
        return "rcv", None

    def facts(self, contest: Contest) -> PlaceFacts:
        return PlaceFacts(contest, self.name(), False)

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        """The standing in the last round published; the candidates out of it are
        ``eliminated`` once even every ballot left could not have kept them in, else still
        ``contending`` to stay in the count (``unknown`` without an estimate of the ballots
        left)."""
        if count is None:
            return super().standing(facts, count, votes_left)
        last = last_round(count)
        t = Tally(
            facts, msgspec.structs.replace(count, votes=last.tally, write_ins=0), votes_left, 1
        )
        leaders, margin_votes, margin_share, standings, outcome = places_standing(1, False, t)
        ballots_left = votes_left.ballots.high if votes_left.ballots is not None else None
        behind = _behind_by(count.rounds)
        shown = list(standings)
        for i, st in enumerate(shown):
            if st.choice_id in last.tally:
                continue
            gap, where = behind.get(st.choice_id, (0, "first choices"))
            status: StandingStatus = "unknown"
            if ballots_left is not None:
                status = "eliminated" if gap > ballots_left else "contending"
            shown[i] = Standing(
                choice_id=st.choice_id,
                name=st.name,
                votes=0,
                share=0.0,
                status=status,
                goal=f"to stay in the count (out after the {where}, {gap:,} votes behind)",
            )
        if len(count.rounds) > 1:
            outcome = f"{outcome} in the {last.name}"
        return t.votes, t.shown, t.total, leaders, margin_votes, margin_share, tuple(shown), outcome

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        if len(count.rounds) < 2:
            return Verdict(
                "too early",
                (),
                "no round after the first choices published yet: a ranked-choice contest is "
                "not called on first choices",
            )
        last = count.rounds[-1]
        final = _sub_count(count, last.tally)
        verdict = top_places_verdict(self, final, projection, 1, self.call_status, judge)
        for here, out, stay in eliminations(count.rounds):
            part = _sub_count(count, here.tally)
            weakest = min(stay, key=here.tally.__getitem__)
            strongest = max(out, key=here.tally.__getitem__)
            a, b = part.ids.index(weakest), part.ids.index(strongest)
            if not judge.pair_safe(part, a, b):
                gap = here.tally[weakest] - here.tally[strongest]
                reason = (
                    f"the transfers left could still change the last round: {part.names[b]} "
                    f"trails {part.names[a]} by {gap:,} votes in the {here.name}"
                )
                if not verdict.is_call:
                    reason = f"{verdict.reason}; {reason}"
                status: CallStatus = "too close" if verdict.status == "too close" else "leading"
                return Verdict(status, (), reason, verdict.probability, verdict.hurdle)
        if verdict.is_call:
            first, second = sorted(final.votes, reverse=True)[:2] + [0] * (2 - len(final.votes))
            lead = first - second
            share = lead / final.counted if final.counted else 0.0
            leader = final.names[final.order()[0]]
            reason = (
                f"{leader} leads the {last.name} by {lead:,} votes ({pct(share)}); "
                f"{verdict.reason}; no candidate out of the count can still overtake one in it"
            )
            return dataclasses.replace(verdict, reason=reason)
        return verdict

    def projected_contest(self, contest: Contest, state: ContestState) -> Contest:
        if not state.rounds:
            return contest
        last = state.rounds[-1].tally
        return msgspec.structs.replace(
            contest, choices=tuple(c for c in contest.choices if c.id in last)
        )

    def deciding_votes(self, count: ContestCount) -> dict[str, int]:
        return last_round(count).tally

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        """The last round's leader (a tie: too close); where no round after the first choices
        is published, the first choices decide only a majority of them (write-ins among
        them), and otherwise nothing is decided ("too early")."""
        if len(count.rounds) < 2:
            first = places_with_ties(contest, count, 1)
            held = sum(count.votes.values()) + count.write_ins
            if len(first) == 1 and 2 * count.votes.get(first[0], 0) > held:
                return "called", first
            return "too early", []
        last = msgspec.structs.replace(count, votes=last_round(count).tally)
        winners = places_with_ties(contest, last, 1)
        return ("too close" if len(winners) > 1 else "called"), winners

    def undecided_words(self, contest: Contest) -> str:
        return (
            "a ranked-choice contest is decided by its rounds, none of which is published, and "
            "no candidate holds a majority of the first choices"
        )


def _sub_count(count: Count, votes: dict[str, int]) -> Count:
    """``count`` narrowed to the choices of one round, with that round's ``votes`` (the
    contest's order kept). The projection's centre is of the first choices, not of a round's
    transfers: a round's late shares are taken as its shares so far (``centre`` empty)."""
    keep = [i for i, c in enumerate(count.ids) if c in votes]
    got = tuple(votes[count.ids[i]] for i in keep)
    return dataclasses.replace(
        count,
        ids=tuple(count.ids[i] for i in keep),
        names=tuple(count.names[i] for i in keep),
        votes=got,
        counted=sum(got),
        centre=(),
    )


def _behind_by(rounds: Sequence[RoundCount]) -> dict[str, tuple[int, str]]:
    """Each candidate out of a later round: how many votes it trailed the weakest who stayed by,
    in the round it went out after, and that round's name."""
    behind = {}
    for here, out, stay in eliminations(rounds):
        weakest = min(here.tally[c] for c in stay)
        for c in out:
            behind[c] = (weakest - here.tally[c], here.name)
    return behind


__all__ = ["RankedChoice", "eliminations", "last_round"]
