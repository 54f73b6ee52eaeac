"""An election as its source describes it: its contests, their rules and their choices.

Identifiers are strings everywhere (``"9547"``, ``"23483"``), whatever the feed used, so that
every format maps onto the same model. An election's id names its source and the feed's own id,
for example ``"lavote:4324"``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

RuleKind = Literal[
    "plurality",
    "majority_or_runoff",
    "top_two",
    "ranked_choice",
    "measure",
    "recall",
    "retention",
    "unknown",
]
ContestKind = Literal["candidate", "measure", "recall", "retention"]
ElectionKind = Literal["general", "primary", "special"]


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    """How a contest is decided.

    - ``plurality``: the ``seats`` choices with the most votes win (EC §15452).
    - ``majority_or_runoff``: a candidate with more than half of all votes for candidates is
      elected; otherwise the top ``advance`` go to a runoff, ties for the last place all
      advancing (EC §8140–8142).
    - ``top_two``: the ``advance`` choices with the most votes advance (Prop 14, 2010).
    - ``measure``: yes passes at ``threshold`` of the yes+no votes (``"1/2"`` means *more* than
      half; ``"11/20"`` and ``"2/3"`` mean at least that share). ``alt_threshold`` holds a
      second threshold that applies under ``condition`` (kept verbatim), for texts like
      "2/3 votes, 55% if prop 5 passes".
    - ``recall``: a yes/no recall question, passed by more than half (EC §11000 ff.).
    - ``retention``: a judge's retention, yes/no: retained when yes has more than half of the
      votes on the question (California Constitution art. VI §16).
    - ``unknown``: a contest of a type racedesk does not know (``text`` says which): its counts
      are kept and shown, never projected or called, until a contest-rules file sets its rule.

    ``text`` keeps the feed's own words for the rule (for example ``MeasurePassRate``). What a
    rule means (standings, outcomes, calls) is its family's, in :mod:`racedesk.rules`.
    """

    kind: RuleKind
    seats: int = 1
    votes_allowed: int = 1
    advance: int = 0
    threshold: str | None = None
    alt_threshold: str | None = None
    condition: str = ""
    text: str = ""


class Choice(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate, or a measure's answer (``YES``/``NO``)."""

    id: str
    name: str
    party: str = ""


class Contest(msgspec.Struct, frozen=True, kw_only=True):
    """One contest on the ballot: its title, its rule and its choices, in ballot order.

    ``portion`` says how much of the contest's electorate the source covers: empty when it
    covers the whole contest; otherwise the name of the part it covers (``"Los Angeles
    County"``), for a statewide contest or a district that crosses the county line in a
    county's feed. A portion is shown, never called: its count is not the contest's.
    """

    id: str
    title: str
    kind: ContestKind
    rule: Rule
    choices: tuple[Choice, ...]
    group: str = ""
    party: str = ""
    portion: str = ""
    #: The question on the ballot as the feed words it (a measure's or a recall's), or "".
    question: str = ""
    #: In an election joined from several sources (:class:`Member`), the source whose feed
    #: counts this contest; "" in an election of one source.
    source: str = ""
    #: In a joined election, the contest of record when it is another one: the id of the
    #: contest whose count the desk projects and calls (the state feed's whole Proposition 1
    #: for Los Angeles County's part of it; the county feed's district wholly in the county for
    #: the state feed's copy of it). A contest with a record is shown, never called.
    record: str = ""

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """One source of an election joined from several (``racedesk.sources.joint``): the
    election as that source calls it, and what the desk needs of it to count its votes left
    (its registration; whether its releases give county-wide ballot counters)."""

    source: str
    election_id: str
    title: str = ""
    jurisdiction: str = ""
    registration: int | None = None


class Election(msgspec.Struct, frozen=True, kw_only=True):
    """An election as its source describes it.

    ``members`` is empty for an election of one source; an election joined from several
    sources (the LA County feed and the Secretary of State's feed of the same election) lists
    them, first the one whose county-wide counters and registrar's estimates the desk's ballots
    left rest on, and each contest says which source counts it (``Contest.source``).
    """

    id: str
    title: str
    date: date
    jurisdiction: str
    kind: ElectionKind
    contests: tuple[Contest, ...]
    registration: int | None = None
    source: str = ""
    timezone: str = "America/Los_Angeles"
    members: tuple[Member, ...] = ()

    def contest(self, contest_id: str) -> Contest:
        for c in self.contests:
            if c.id == contest_id:
                return c
        raise KeyError(contest_id)
