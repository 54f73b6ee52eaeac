"""Contests whose rule racedesk does not know: kept, counted and shown, never projected or called.

A feed can carry a contest of a type the desk has never seen (LA County's ``"Type": "Judicial"``
before racedesk knew retention contests, a new kind of district question). Lenient in, loud
flags: the contest's counts are kept and shown with every choice's share, its standing is
unknown, it is never projected or called, and its outcome says which key of a contest-rules file
(``docs/formats.md``) settles it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from racedesk.model import Contest, ContestCount, ContestKind
from racedesk.model.answers import Projection, Standing, VotesLeft
from racedesk.rules.base import Count, Focus, Judge, RuleLogic, Verdict
from racedesk.rules.tally import ContestFacts, StandingResult, Tally


def settle_with(contest: Contest) -> str:
    """The words that say how a user gives the contest its rule."""
    return (
        f'set its rule in a contest-rules file: [contests."{contest.id}"] rule = "plurality", '
        f'"majority_or_runoff", "top_two", "measure", "recall" or "retention", with seats = N '
        f"for a contest electing N (--rules FILE)"
    )


class Unknown(RuleLogic):
    """A contest of an unknown type (module docstring); ``rule.text`` names what the feed said."""

    family = "unknown"
    contest_kind: ClassVar[ContestKind] = "candidate"

    def name(self) -> str:
        return "rule unknown"

    def facts(self, contest: Contest) -> ContestFacts:
        return ContestFacts(contest, self.name())

    def uncallable(self, contest: Contest) -> str:
        what = self.rule.text or "this contest's type"
        return f"the rule of {what} is unknown, so it is never projected or called: {settle_with(contest)}"

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        """The count, every choice's share, and an unknown standing for each."""
        t = Tally(facts, count, votes_left, self.rule.votes_allowed)
        inv = 1.0 / t.shown if t.shown else 0.0
        standings = tuple(
            Standing(
                choice_id=t.ids[i], name=t.names[i], votes=v, share=v * inv, status="unknown",
                goal="", denominator="its rule is not known",
            )
            for i, v in enumerate(t.votes)
        )  # fmt: skip
        outcome = (
            f"rule unknown ({self.rule.text or 'type not known'}): {settle_with(facts.contest)}"
        )
        return t.votes, t.shown, t.total, (), 0, 0.0, standings, outcome

    def outcomes(
        self,
        contests: Sequence[Contest],
        logics: Sequence[RuleLogic],
        votes: npt.NDArray[np.float64],
        final: npt.NDArray[np.floating],
    ) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
        """None: such a contest is never projected (the projection leaves it out)."""
        c_count, k, _ = final.shape
        return np.full((c_count, k), np.nan), [{} for _ in range(c_count)]

    def focus(self, count: Count) -> Focus:
        return Focus("none", count.order()[0] if count.ids else 0)

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        return Verdict("too early", (), self.uncallable(contest))

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        return "too early", []

    def vote_variation(self) -> tuple[str, str | None]:
        return "other", "rule unknown"


__all__ = ["Unknown", "settle_with"]
