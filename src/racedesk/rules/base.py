"""What every rule family answers, and the shapes of the answers.

A rule family is one module of :mod:`racedesk.rules` (places, majority-or-runoff, threshold);
:func:`racedesk.rules.logic_for` picks it once per contest. Each family answers every rule
question the desk asks, so no other stage branches on a rule's kind:

- what the choices seek (places sought, which choice is yes) and how the rule is named;
- a contest's standing after a release (:meth:`RuleLogic.standing`);
- how its projected draws read as outcomes (:meth:`RuleLogic.outcomes`);
- whether a call is safe (:meth:`RuleLogic.verdict`), what a standing call's outcome is
  projected at now and whether its choices lead the count;
- the final outcome of a final count (:meth:`RuleLogic.final_outcome`), the backtest's truth.

The arithmetic the families share is in :mod:`racedesk.rules.hurdle` (places, thresholds,
two-way needs) and :mod:`racedesk.rules.tally` (a count ranked, place standings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from racedesk.model import (
    CallEvent,
    CallStatus,
    Contest,
    ContestCount,
    ContestKind,
    ContestState,
    RoundCount,
    Rule,
)
from racedesk.model.answers import Interval, Projection, VotesLeft

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from racedesk.rules.tally import ContestFacts, StandingResult

#: The statuses that are calls (they enter the ledger).
CALL_STATUSES: frozenset[str] = frozenset({"called", "runoff", "advanced", "passed", "failed"})


@dataclass(frozen=True)
class Verdict:
    """What the desk says of one contest after one release, before it enters the ledger."""

    status: CallStatus
    choices: tuple[str, ...]
    reason: str
    probability: float | None = None
    hurdle: Interval | None = None

    @property
    def is_call(self) -> bool:
        return self.status in CALL_STATUSES


@dataclass(frozen=True)
class Condition:
    """Another contest's call that a contest's outcome waits on: a recall's successor takes
    office only if the recall question is called ``needs`` (:mod:`racedesk.rules.successor`).

    ``waiting`` says why a call waits while that question is not called; ``unmet`` why the
    contest is not called once the question is called otherwise."""

    question: str
    needs: CallStatus
    waiting: str
    unmet: str


@dataclass(frozen=True)
class Count:
    """A contest's count as the call rules read it: named choices' votes and votes left."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    votes: tuple[int, ...]
    counted: int
    left_low: float
    left_mid: float
    left_high: float
    ballots_high: float
    #: A ranked-choice contest's rounds so far (``ContestState.rounds``).
    rounds: tuple[RoundCount, ...] = ()
    #: The centre of the late shares (``engine.projection.late_centre``: the shares so far
    #: leaning toward the recent batches), in ``ids`` order; empty: the shares so far.
    centre: tuple[float, ...] = ()
    #: Whether the votes left come from the count's pace alone (no counter, registration or
    #: estimate: the state's feed), whose late batches stray further.
    pace: bool = False

    def late_share(self, i: int) -> float:
        """Choice ``i``'s expected share of the votes left: its ``centre``, else its share so
        far."""
        if self.centre:
            return self.centre[i]
        return self.votes[i] / self.counted if self.counted > 0 else 0.0

    def order(self) -> list[int]:
        """Choice indexes by votes, most first (ballot order among equals)."""
        return sorted(range(len(self.votes)), key=lambda i: (-self.votes[i], i))


@dataclass(frozen=True)
class Focus:
    """What a contest's sentence is about (:mod:`racedesk.publish.words`), as its rule says:

    - ``question``: a measure's yes (``choice``) against its ``threshold`` (None: unreadable);
    - ``majority``: the leader (``choice``) against half of all votes;
    - ``pair``: the choice first out of the places (``choice``) against the last one in
      (``rival``);
    - ``none``: nothing to say of a need.

    ``projected`` is the choice whose projected share the sentence gives.
    """

    mode: Literal["question", "majority", "pair", "none"]
    projected: int
    choice: int = -1
    rival: int = -1
    threshold: Fraction | None = None


class Judge(Protocol):
    """How sure the count must be before a call (``racedesk.engine.calls.CallJudge``): the
    families say which comparisons must hold, the judge how safely."""

    def pair_safe(self, count: Count, a: int, b: int) -> bool:
        """Whether choice ``b`` can no longer plausibly overtake choice ``a``."""
        ...

    def threshold_safe(self, count: Count, i: int, threshold: Fraction, above: bool) -> bool:
        """Whether choice ``i`` will plausibly end above (``above``) or below ``threshold``."""
        ...

    def guarded(self, margin: float) -> bool:
        """Whether a margin (a share) is within the recount guard."""
        ...

    def sure(self, probability: float) -> bool:
        """Whether a projected probability is high enough for a call."""
        ...

    def uncalled(self, probability: float, guarded: bool, what: str, many: bool = False) -> Verdict:
        """The verdict on a contest that is not called: too close, or leading; ``many`` when
        ``what`` names several choices ("A and B lead")."""
        ...


def pct(x: float) -> str:
    """A share in a call's reason: 0.6161 → "61.6%"."""
    return f"{100 * x:.1f}%"


def chance(p: float) -> str:
    """A projected probability in a call's reason, no more precisely than a few hundred draws
    can say it: "73.4%", but ">99.5%" rather than "100.0%" when every draw went one way, and
    "<0.5%" rather than "0.0%"."""
    if p >= 0.995:
        return ">99.5%" if p >= 1.0 else pct(p)
    if p <= 0.005:
        return "<0.5%" if p <= 0.0 else pct(p)
    return pct(p)


class RuleLogic:
    """One rule family's answers for one rule. Subclasses are the families' modules."""

    #: The family's name (its module): ``places``, ``runoff``, ``threshold``.
    family: ClassVar[str] = ""
    #: What kind of contest has this rule: ``candidate``, ``measure`` or ``recall``.
    contest_kind: ClassVar[ContestKind] = "candidate"
    #: The status of choices that go on to a later election (top-two's ``advanced``, a
    #: runoff's ``runoff``).
    advance_status: ClassVar[CallStatus] = "advanced"
    #: The status of a contest this logic never calls (:meth:`uncallable`).
    never_status: ClassVar[CallStatus] = "too early"

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        #: The call in another contest this contest's outcome waits on (:meth:`condition_in`).
        self.condition: Condition | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.rule.kind})"

    # --- what the choices seek ------------------------------------------------------------

    def name(self) -> str:
        """The rule in words, as shown to a user ("top two advance")."""
        raise NotImplementedError

    def places(self) -> int:
        """How many top places the choices compete for (seats or runoff places; 0: none)."""
        return 0

    def decided_words(self, contest: Contest, status: str) -> str:
        """The words that end a sentence for a passed or failed question ("Passed.")."""
        return "Passed." if status == "passed" else "Failed."

    def uncallable(self, contest: Contest) -> str:
        """Why the contest can never be projected or called under this rule ("" when it can)."""
        return ""

    def undecided_words(self, contest: Contest) -> str:
        """Why a final count whose outcome (:meth:`final_outcome`) is no call cannot decide the
        contest, in words: by default a tie for the last place, decided by lot (EC §15651)."""
        return "a tie for the last place is decided by lot"

    def condition_in(self, contest: Contest, contests: Sequence[Contest]) -> Condition | None:
        """The call among the election's ``contests`` that ``contest``'s outcome waits on
        (None: it waits on none)."""
        return None

    def default_advance(self, seats: int) -> int:
        """How many choices advance when the rule's writer does not say (0: none advance)."""
        return 0

    def problems(self) -> list[tuple[str, str]]:
        """What is wrong with the rule as written, as (field, problem) pairs: an empty list
        for a rule the desk can apply."""
        rule = self.rule
        if self.default_advance(1) and rule.advance < 1:
            return [("advance", f"a {rule.kind} rule needs advance ≥ 1")]
        if rule.votes_allowed < rule.seats:
            return [("votes_allowed", "votes_allowed is smaller than seats")]
        return []

    def vote_variation(self) -> tuple[str, str | None]:
        """The rule as NIST SP 1500-100's ``VoteVariation`` (and its ``OtherVoteVariation``)."""
        raise NotImplementedError

    def yes_no(self, contest: Contest) -> tuple[int, int]:
        """The positions of the yes and the no choice (-1, -1 where the rule has none)."""
        return -1, -1

    def names_each_winner(self) -> bool:
        """Whether the projection names an outcome for every choice ("X wins": one seat by
        plurality) rather than one for the choices ahead taking the places."""
        return False

    def top_set_key(self, names: Sequence[str]) -> str:
        """The name of the outcome "these choices take the places" in ``Projection.outcomes``."""
        return " and ".join(names) + " advance"

    def focus(self, count: Count) -> Focus:
        """What the contest's sentence is about: by default the choice first out of the
        places against the last one in (:class:`Focus`)."""
        order = count.order()
        places = self.places() or 1
        if len(order) >= 2 and places < len(order):
            return Focus("pair", order[0], order[places], order[places - 1])
        return Focus("none", order[0] if order else 0)

    # --- the count --------------------------------------------------------------------------

    def facts(self, contest: Contest) -> ContestFacts:
        """What :meth:`standing` needs of a contest, worked out once per contest."""
        raise NotImplementedError

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        """The contest's count, leaders, margin, standings and outcome in words."""
        raise NotImplementedError

    # --- projection -------------------------------------------------------------------------

    def outcome_group(self) -> tuple[str, int]:
        """Contests whose draws are read the same way share a group (family, places)."""
        return self.family, self.places()

    def outcomes(
        self,
        contests: Sequence[Contest],
        logics: Sequence[RuleLogic],
        votes: npt.NDArray[np.float64],
        final: npt.NDArray[np.floating],
    ) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
        """For contests of this group (``final`` their draws, (C, K, D)): each choice's
        probability of what it seeks, and each contest's outcomes with their probabilities."""
        raise NotImplementedError

    def alt_probabilities(self, contest: Contest, outcomes: dict[str, float]) -> list[float] | None:
        """Each choice's chance of what it seeks at the rule's conditional threshold, read from
        the contest's ``outcomes`` (:meth:`outcomes`); None for a rule with no such threshold."""
        del contest, outcomes
        return None

    # --- calls ------------------------------------------------------------------------------

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        """The verdict on a contest with enough evidence (``racedesk.engine.calls.decide``)."""
        raise NotImplementedError

    def called_probability(
        self, contest: Contest, event: CallEvent, projection: Projection
    ) -> float:
        """The projected probability, now, of the outcome a call named."""
        probs = {c.choice_id: c.probability for c in projection.choices}
        return min((probs.get(c, 0.0) for c in event.choices), default=0.0)

    def leading_now(self, contest: Contest, event: CallEvent, state: ContestState) -> bool:
        """Whether a call's choice(s) lead in the count so far (else: "winner not leading")."""
        ids = [c.id for c in contest.choices]
        votes = {c: state.votes.get(c, 0) for c in ids}
        n = len(event.choices)
        order = sorted(ids, key=lambda c: (-votes[c], ids.index(c)))
        return set(event.choices) <= set(order[:n])

    # --- the end of the count -------------------------------------------------------------

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        """The outcome of a final count with votes: a call status and the winning choice ids
        (``too close`` where the count cannot decide, as a tie for the last place)."""
        raise NotImplementedError

    def projected_contest(self, contest: Contest, state: ContestState) -> Contest:
        """The contest as its projection draws it: every choice (a ranked-choice contest: the
        candidates of its last round, the others having no votes left to take)."""
        return contest

    def deciding_votes(self, count: ContestCount) -> dict[str, int]:
        """The votes of a count that decide the contest, the ones its standing shows and its
        projection projects: the count's votes (a ranked-choice count's last round)."""
        return count.votes


def ranked(contest: Contest, count: ContestCount) -> list[str]:
    """The contest's choice ids by votes, most first (ballot order among equals)."""
    ids = [c.id for c in contest.choices]
    return sorted(ids, key=lambda c: (-count.votes.get(c, 0), ids.index(c)))


def places_with_ties(contest: Contest, count: ContestCount, places: int) -> list[str]:
    """The top ``places`` choices, and every choice tied with the last of them (EC §8142)."""
    order = ranked(contest, count)
    if places >= len(order):
        return order
    cut = count.votes.get(order[places - 1], 0)
    return [c for c in order if count.votes.get(c, 0) >= cut]


__all__ = [
    "CALL_STATUSES",
    "Condition",
    "Count",
    "Focus",
    "Judge",
    "RuleLogic",
    "Verdict",
    "chance",
    "places_with_ties",
    "ranked",
]
