"""A contest a source sees only part of: shown as that part's count, never called.

A county's feed carries contests whose voters are not all in the county: statewide propositions,
President, U.S. Senate, districts that cross the county line, special districts mostly in
another county (:func:`racedesk.rules.california.portion_in_county` says which; for a county's
results of any state, :func:`racedesk.rules.county_part.county_part`). The county's
count of such a contest is not the contest's: Los Angeles County's 2024 count passed State
Measures 5, 6 and 32, which failed statewide. So a portion's standing says who leads *in the
part* ("YES leads in Los Angeles County with 51.1%"), no choice is clinched or eliminated, the
contest is never projected or called from it, and its final outcome is not the part's
(``../shared/design/architecture.md``: never call what you cannot see whole).

:class:`Portion` wraps the contest's own rule family: the rule's words, its yes and no, its
places stay the family's; what the part cannot say is answered here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from racedesk.model import (
    CallEvent,
    CallStatus,
    Contest,
    ContestCount,
    ContestState,
)
from racedesk.model.answers import Projection, Standing, VotesLeft
from racedesk.rules.base import Count, Focus, Judge, RuleLogic, Verdict, pct
from racedesk.rules.names import name_list
from racedesk.rules.tally import ContestFacts, StandingResult


def never_called(contest: Contest) -> str:
    """Why a portion (or, in a joined election, a copy of a contest counted whole in another
    source) is never projected or called, in words."""
    if not contest.portion:
        return (
            f"this is a copy of contest {contest.record}, which another source of this election "
            "counts whole: racedesk projects and calls that one, never the copy"
        )
    whole = (
        f"; contest {contest.record}, the whole contest's count in another source of this "
        "election, is the one racedesk projects and calls"
        if contest.record
        else ""
    )
    return (
        f"racedesk sees only {contest.portion}'s part of this contest, not the whole contest's "
        f"count, so it never projects or calls it from that part{whole}"
    )


class Portion(RuleLogic):
    """The rule family ``inner`` of a contest seen only in ``part`` (module docstring)."""

    family: ClassVar[str] = "portion"
    never_status: ClassVar[CallStatus] = "portion only"

    def __init__(self, inner: RuleLogic, part: str) -> None:
        super().__init__(inner.rule)
        self.inner, self.part = inner, part
        # the wrapped family's class values, for this contest only
        self.contest_kind = inner.contest_kind  # type: ignore[misc]
        self.advance_status = inner.advance_status  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"Portion({self.inner!r}, {self.part!r})"

    def name(self) -> str:
        return self.inner.name()

    def places(self) -> int:
        return self.inner.places()

    def uncallable(self, contest: Contest) -> str:
        return never_called(contest)

    def default_advance(self, seats: int) -> int:
        return self.inner.default_advance(seats)

    def problems(self) -> list[tuple[str, str]]:
        return self.inner.problems()

    def vote_variation(self) -> tuple[str, str | None]:
        return self.inner.vote_variation()

    def yes_no(self, contest: Contest) -> tuple[int, int]:
        return self.inner.yes_no(contest)

    def focus(self, count: Count) -> Focus:
        return Focus("none", count.order()[0] if count.ids else 0)

    def facts(self, contest: Contest) -> ContestFacts:
        return self.inner.facts(contest)

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        """The family's count and leaders, every choice's status ``portion`` (neither clinched
        nor eliminated: the part cannot say), and who leads in the part, in words."""
        votes, shown, total, leaders, margin, margin_share, standings, _ = self.inner.standing(
            facts, count, votes_left
        )
        plain = tuple(
            Standing(
                choice_id=st.choice_id, name=st.name, votes=st.votes, share=st.share,
                status="portion", goal=st.goal,
            )
            for st in standings
        )  # fmt: skip
        return votes, shown, total, leaders, margin, margin_share, plain, self.outcome(facts, votes)

    def outcome(self, facts: ContestFacts, votes: Sequence[int]) -> str:
        """ "X leads in Los Angeles County with 51.1%" (ties: "X and Y are tied in …"); a
        copy's "X leads with 51.1% in this copy of the count"."""
        shown = sum(votes)
        if not self.part:
            if not shown:
                return "no votes counted yet in this copy of the count"
            top = max(votes)
            ahead = [facts.names[i] for i, v in enumerate(votes) if v == top]
            if len(ahead) > 1:
                return f"{name_list(ahead)} are tied in this copy of the count"
            return f"{ahead[0]} leads with {pct(top / shown)} in this copy of the count"
        if not shown:
            return f"no votes counted yet in {self.part}, its part of the contest only"
        top = max(votes)
        ahead = [facts.names[i] for i, v in enumerate(votes) if v == top]
        if len(ahead) > 1:
            return f"{name_list(ahead)} are tied in {self.part}, its part of the contest only"
        return (
            f"{ahead[0]} leads in {self.part} with {pct(top / shown)}, its part of the contest only"
        )

    def outcome_group(self) -> tuple[str, int]:
        return "portion", 0

    def outcomes(
        self,
        contests: Sequence[Contest],
        logics: Sequence[RuleLogic],
        votes: npt.NDArray[np.float64],
        final: npt.NDArray[np.floating],
    ) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
        """None: a portion is never projected (the projection leaves it out)."""
        c_count, k, _ = final.shape
        return np.full((c_count, k), np.nan), [{} for _ in range(c_count)]

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        return Verdict("portion only", (), never_called(contest))

    def called_probability(
        self, contest: Contest, event: CallEvent, projection: Projection
    ) -> float:
        return self.inner.called_probability(contest, event, projection)

    def leading_now(self, contest: Contest, event: CallEvent, state: ContestState) -> bool:
        return self.inner.leading_now(contest, event, state)

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        """Not the part's: the whole contest's outcome is not in this source."""
        return "portion only", []


__all__ = ["Portion", "never_called"]
