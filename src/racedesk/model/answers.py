"""What the engine answers, as typed structures shared by the CLI, the web app and the store.

All of these are plain msgspec Structs, so that they encode to the versioned JSON schema
(``racedesk.state/1``, see ``docs/json-schema.md``) without any glue. Those made by the
thousand for every release (a contest's state and what it holds) are not tracked by Python's
cycle collector (``gc=False``): they hold only numbers, strings and each other, never a cycle,
and tracking them made every collection walk them all.

Shares are fractions in [0, 1]; the CLI and the web app format them as percentages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from racedesk.model.release import RoundCount

StandingStatus = Literal["clinched", "eliminated", "contending", "unknown", "portion"]
VotesLeftSource = Literal["registrar", "model", "count pace", "registration bound", "none"]
CallStatus = Literal[
    "too early",
    "too close",
    "leading",
    "called",
    "runoff",
    "advanced",
    "passed",
    "failed",
    "winner not leading",
    "rescinded",
    "write-ins only",
    "portion only",
]


class Interval(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A quantity known only between two bounds, with a central value between them."""

    low: float
    high: float
    mid: float

    @classmethod
    def exact(cls, value: float) -> Interval:
        return cls(low=value, high=value, mid=value)


class Problem(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A broken identity of a release (see ``engine.checks``).

    ``code`` is stable (``"ballots-split"``, ``"contest-counters"``, ``"contest-votes"``,
    ``"county-coverage"``, ``"count-went-down"`` …); ``contest_id`` is empty for
    election-wide problems; ``blocking`` problems make the release unusable for the engine,
    non-blocking ones are notes (a counter the feed is known not to fill, a correction).
    """

    code: str
    message: str
    contest_id: str = ""
    blocking: bool = True


class BallotsLeftByType(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One kind of ballot in the registrar's estimate of ballots left, and what of it the
    count has taken in since.

    ``kind`` is ``"by mail"`` (the estimate's vote-by-mail ballots, counted in the feed's mail
    counter), ``"in person"`` (conditional voter registration and provisional ballots, cast at
    a vote center and counted in its in-person counter) or the estimate's own name for any
    other category (``"other"``: write-ins, damaged ballots, signature cures), which no counter
    tells apart. ``categories`` are the estimate's figures it is made of; ``estimated`` their
    sum; ``counted_since`` the ballots of the kind counted since the estimate (None where the
    feed does not count the kind apart); ``left`` the estimate less those, never below 0.
    """

    kind: str
    categories: dict[str, int]
    estimated: int
    counted_since: int | None
    left: int


class BallotsLeft(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """County-wide ballots left to count after a release, as an interval, with its source.

    ``source`` says where the number comes from: the registrar's estimate (``as_of`` its
    time), the model, or only the bound from registration; ``note`` is a sentence a user reads.
    """

    ballots: Interval | None
    source: VotesLeftSource
    as_of: datetime | None = None
    note: str = ""
    #: The registrar's estimate by kind of ballot, where it gives a breakdown (source
    #: ``"registrar"``): what is left of its mail and its in-person ballots.
    by_type: tuple[BallotsLeftByType, ...] = ()


class VotesLeft(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Votes left in one contest: its ballots left times its vote rate, times up to N.

    ``ballots`` is the contest's share of the county's ballots left; ``votes`` the votes those
    ballots may still add (ballots × share that vote in the contest × votes allowed).
    """

    ballots: Interval | None
    votes: Interval | None
    source: VotesLeftSource
    note: str = ""


class Standing(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One choice's standing after a release.

    - ``clinched``: the outcome the choice is after (a seat, a runoff place, a majority,
      passage) can no longer be taken away, whatever the votes left do;
    - ``eliminated``: it can no longer be reached;
    - ``contending``: still open; ``needs`` is the share of the votes left the choice needs,
      on the denominator named by ``denominator``, as an interval when the votes left are;
    - ``unknown``: no estimate of votes left, or no known rule (``denominator`` then says
      so), so neither can be said;
    - ``portion``: the source sees only part of the contest (a county's part of a statewide
      contest), so its count cannot say.

    ``goal`` names what the choice is after in words ("to win", "to finish in the top 2",
    "for a majority", "to pass at 55%"); ``rival`` is the choice it must overtake, if any.
    """

    choice_id: str
    name: str
    votes: int
    share: float
    status: StandingStatus
    goal: str
    needs: Interval | None = None
    denominator: str = ""
    rival: str = ""


class ContestState(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A contest's state after one release: what the count says and what it can still become."""

    contest_id: str
    title: str
    rule: str
    release_sequence: int
    feed_time: datetime
    release_hash: str
    votes: dict[str, int]
    shares: dict[str, float]
    total_votes: int
    write_ins: int
    ballots: int | None
    leaders: tuple[str, ...]
    margin_votes: int
    margin_share: float
    votes_left: VotesLeft
    standings: tuple[Standing, ...]
    outcome: str
    usable: bool = True
    problems: tuple[Problem, ...] = ()
    #: A ranked-choice contest's rounds as published so far (``ContestCount.rounds``).
    rounds: tuple[RoundCount, ...] = ()


class ChoiceProjection(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The distribution of one choice's final share, and its chance of the outcome it seeks.

    ``probability_alt`` is that chance at a measure's conditional threshold (the rule's
    ``alt_threshold``: the one that holds if its condition does, or a majority where the source
    states no threshold); None, and left out of the encoding, where the rule has one threshold.
    """

    choice_id: str
    share_mid: float
    share_low: float
    share_high: float
    probability: float
    probability_alt: float | None = None


class Projection(msgspec.Struct, frozen=True, kw_only=True):
    """How a contest is projected to end: per choice, and per outcome the rule allows.

    ``outcomes`` maps an outcome in words (``"Hochman wins"``, ``"runoff"``, ``"passes"``)
    to its probability. ``level`` is the central interval's coverage (0.9 for 90%).
    """

    contest_id: str
    model_version: str
    seed: int
    draws: int
    level: float
    choices: tuple[ChoiceProjection, ...]
    outcomes: dict[str, float]


class CallEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event of the call ledger. Events are never edited: a call is undone by a
    ``rescinded`` event that names the event it rescinds.

    ``outside`` is empty for the desk's own calls (and an editor's approvals of them); a call
    made by an outside source (AP's ``winner``, a NIST CDF report's ``PostElectionStatus``)
    says there who made it and where it came from ("AP, from ap.json"). Such a call is shown
    in the ledger, never taken as the desk's standing call (``engine.calls.active_calls``).
    """

    event_id: int
    contest_id: str
    status: CallStatus
    choices: tuple[str, ...]
    release_hash: str
    release_sequence: int
    release_time: datetime
    votes_left: Interval | None
    hurdle: Interval | None
    probability: float | None
    model_version: str
    reason: str
    approved_by: str = "racedesk"
    rescinds: int | None = None
    # the event an editor's approval approves (Desk.approve_call); None for every other event
    approves: int | None = None
    outside: str = ""


class ContestCall(msgspec.Struct, frozen=True, kw_only=True):
    """The call status a contest has after a release (called or not), with a sentence."""

    contest_id: str
    status: CallStatus
    choices: tuple[str, ...]
    sentence: str
    event_id: int | None = None


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the desk knows after one release (see ``engine.run.advance``).

    When the release is not usable (a blocking problem), ``states`` are those of the last usable
    release and ``usable`` is False.
    """

    election_id: str
    release_sequence: int
    feed_time: datetime
    release_hash: str
    usable: bool
    problems: tuple[Problem, ...]
    ballots_left: BallotsLeft
    states: tuple[ContestState, ...]
    projections: dict[str, Projection]
    calls: dict[str, ContestCall]
    new_events: tuple[CallEvent, ...]
    model_version: str = ""
    ballots_counted: int | None = None
    # contest id → the sentence said of it after this release (publish.words.contest_sentences),
    # stored with the snapshot so that a page as of this release says what was said then
    sentences: dict[str, str] = {}
    # when the snapshot of this release was made again after it was stored, and why (a
    # racedesk.model.ReleaseEvent: a report of ballots left, a confirmation, a certification)
    revised_at: datetime | None = None
    revised_because: str = ""

    def state(self, contest_id: str) -> ContestState | None:
        for s in self.states:
            if s.contest_id == contest_id:
                return s
        return None


__all__ = [
    "BallotsLeft",
    "CallEvent",
    "CallStatus",
    "ChoiceProjection",
    "ContestCall",
    "ContestState",
    "Interval",
    "Problem",
    "Projection",
    "Snapshot",
    "Standing",
    "StandingStatus",
    "VotesLeft",
    "VotesLeftSource",
]
