"""The release model: the one shape that crosses every boundary of racedesk.

Adapters (``racedesk.sources``) turn a feed into these structures; the store keeps them; the
engine computes on them; the CLI and the web app show them. Nothing here does I/O.

A release's counts are not tracked by Python's cycle collector (``gc=False``): a desk keeps
every release of a canvass, each with a count per contest, and they hold only numbers and
strings, never a cycle.

Identifiers are strings everywhere (``"9547"``, ``"23483"``), whatever the feed used, so that
every format maps onto the same model. An election's id names its source and the feed's own id,
for example ``"lavote:4324"``.

Vocabulary (see ``docs/glossary.md`` and ``../shared/domain/calls-and-hurdles.md``):

- a **release** is one publication of counts by the registrar (one ``TimeStamp`` of the feed);
- **ballots** are counted per contest (``ballots``, the feed's ``CBLT``) and county-wide;
- **votes** are marks for a choice: in a vote-for-N contest a ballot gives up to N votes;
- an **outstanding report** is the registrar's own estimate of ballots left to count.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from fractions import Fraction
from itertools import chain, repeat
from operator import gt
from typing import Literal

import msgspec

from racedesk.memo import PerObject

RuleKind = Literal["plurality", "majority_or_runoff", "top_two", "measure", "recall"]
ContestKind = Literal["candidate", "measure", "recall"]
ElectionKind = Literal["general", "primary", "special"]

#: Names of the rules, as shown to a user.
RULE_NAMES: dict[str, str] = {
    "plurality": "most votes wins",
    "majority_or_runoff": "majority wins outright, otherwise the top two go to a runoff",
    "top_two": "top two advance",
    "measure": "passes at its threshold",
    "recall": "recall passes with a majority",
}


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

    ``text`` keeps the feed's own words for the rule (for example ``MeasurePassRate``).
    """

    kind: RuleKind
    seats: int = 1
    votes_allowed: int = 1
    advance: int = 0
    threshold: str | None = None
    alt_threshold: str | None = None
    condition: str = ""
    text: str = ""

    def threshold_fraction(self) -> Fraction | None:
        """The threshold as an exact fraction, or None for candidate contests."""
        return Fraction(self.threshold) if self.threshold is not None else None

    def alt_threshold_fraction(self) -> Fraction | None:
        return Fraction(self.alt_threshold) if self.alt_threshold is not None else None

    @property
    def strict(self) -> bool:
        """True when the threshold must be exceeded (a simple majority), not merely reached."""
        return self.threshold == "1/2"


class Choice(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate, or a measure's answer (``YES``/``NO``)."""

    id: str
    name: str
    party: str = ""


class Contest(msgspec.Struct, frozen=True, kw_only=True):
    """One contest on the ballot: its title, its rule and its choices, in ballot order."""

    id: str
    title: str
    kind: ContestKind
    rule: Rule
    choices: tuple[Choice, ...]
    group: str = ""
    party: str = ""

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)


class Election(msgspec.Struct, frozen=True, kw_only=True):
    """An election as its source describes it."""

    id: str
    title: str
    date: date
    jurisdiction: str
    kind: ElectionKind
    contests: tuple[Contest, ...]
    registration: int | None = None
    source: str = ""
    timezone: str = "America/Los_Angeles"

    def contest(self, contest_id: str) -> Contest:
        for c in self.contests:
            if c.id == contest_id:
                return c
        raise KeyError(contest_id)


class ContestCount(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One contest's counts in one release.

    ``votes`` maps a choice id to its votes. The ballot counters are the feed's own and may be
    absent (None) in formats that do not report them:

    - ``ballots``: ballots counted in the contest (LA ``CBLT``)
    - ``full``: ballots that used every selection allowed (``CFV``)
    - ``partial``: ballots that used some but not all selections (``CPV``)
    - ``undervotes``: ballots that left the contest blank (``CUV``)
    - ``overvotes``: overvoted ballots (``COV``)
    - ``unused``: ``unused[k-1]`` is the number of ballots with at least k unused selections
      (``NSEL-0k``)
    - ``write_ins``: write-in votes, all slots together (``WRTN-0k``)

    ``votes_by_type`` optionally splits the votes by vote type where the format says so, as
    vote type → choice id → votes (``{"Election Day": {"23483": 1200}}``); ``precincts_reporting``/``precincts_total`` likewise.
    """

    contest_id: str
    votes: dict[str, int]
    write_ins: int = 0
    ballots: int | None = None
    full: int | None = None
    partial: int | None = None
    undervotes: int | None = None
    overvotes: int | None = None
    unused: tuple[int, ...] = ()
    votes_by_type: dict[str, dict[str, int]] = {}
    precincts_reporting: int | None = None
    precincts_total: int | None = None

    @property
    def total_votes(self) -> int:
        """All votes cast in the contest: every choice's plus write-ins."""
        return sum(self.votes.values()) + self.write_ins

    @property
    def choice_votes(self) -> int:
        """Votes for the named choices only (the denominator the registrar's shares use)."""
        return sum(self.votes.values())


class Release(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One publication of counts.

    ``feed_time`` is the feed's own timestamp (zone-aware); ``received_at`` is when racedesk
    got the payload; ``content_hash`` is the SHA-256 of the raw payload bytes, which the store
    keeps. County-wide ballot counters are the LA feed's ``MBLT``/``DBLT``/``EBLT``.
    ``sequence`` is given by the store: the release's place in its election's history (0-based).
    """

    election_id: str
    source: str
    feed_time: datetime
    received_at: datetime
    content_hash: str
    contests: tuple[ContestCount, ...]
    ballots_counted: int | None = None
    ballots_mail: int | None = None
    ballots_in_person: int | None = None
    status: str = "unofficial"
    sequence: int | None = None

    def count(self, contest_id: str) -> ContestCount | None:
        for c in self.contests:
            if c.contest_id == contest_id:
                return c
        return None

    def counts_by_contest(self) -> dict[str, ContestCount]:
        return {c.contest_id: c for c in self.contests}


class LaidFlat:
    """A release's counts laid flat, to compare two releases with no Python per count.

    ``contests`` (their ids in order), ``contest_of`` (each choice's contest) and ``choices``
    (the choice ids) say what each count is; ``votes`` are the choices' votes in that order;
    ``values`` every count a later release should not have lower: the county's three ballot
    counters, each contest's write-ins and its ballots (-1 where absent), then the votes.
    """

    __slots__ = ("choices", "contest_of", "contests", "release", "values", "votes")

    def __init__(self, release: Release) -> None:
        counts = release.contests
        self.release = release
        self.contests = [c.contest_id for c in counts]
        self.contest_of = list(
            chain.from_iterable(map(repeat, self.contests, [len(c.votes) for c in counts]))
        )
        self.choices = list(chain.from_iterable(c.votes for c in counts))
        self.votes = list(chain.from_iterable(c.votes.values() for c in counts))
        county = (release.ballots_counted, release.ballots_mail, release.ballots_in_person)
        self.values = [-1 if v is None else v for v in county]
        self.values += [c.write_ins for c in counts]
        self.values += [-1 if c.ballots is None else c.ballots for c in counts]
        self.values += self.votes

    def nothing_went_down_since(self, before: LaidFlat) -> bool:
        """True when no count is lower than in ``before``, answered in C when both lay out the
        same contests and choices in the same order (the usual case); False means "look count
        by count" (a count that went down, or rows laid out differently)."""
        return (
            self.contests == before.contests
            and self.contest_of == before.contest_of
            and self.choices == before.choices
            and not any(map(gt, before.values, self.values))
        )


#: :class:`LaidFlat` of a release, kept for the releases in use: the desk checks a release
#: against the one before and the store then flags it against the same one, so each is laid
#: flat once.
laid_flat: PerObject[Release, LaidFlat] = PerObject(LaidFlat, keep=16)


class OutstandingReport(msgspec.Struct, frozen=True, kw_only=True):
    """The registrar's estimate of ballots left to count, county-wide, at a time.

    ``total`` may be None when the source gave only an approximate figure (kept in ``note``).
    ``breakdown`` holds categories such as ``vbm``, ``cvr``, ``provisional``, ``other``.
    Estimates can go up between reports as mail keeps arriving.
    """

    as_of: datetime
    total: int | None
    breakdown: dict[str, int] = {}
    counted_so_far: int | None = None
    election_date: date | None = None
    note: str = ""
    source: str = ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_last_digest: PerObject[bytes, str] = PerObject(_sha256, keep=1)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex: a payload's content hash.

    The desk, the payload's adapter and the store each ask for the digest of the same payload
    in turn (0.3 ms for an LA release), so the last one is kept, for those very bytes (the
    same ``bytes`` object, which never changes; other buffers are hashed every time)."""
    return _last_digest(data) if type(data) is bytes else _sha256(data)


class RawPayload(msgspec.Struct, frozen=True, kw_only=True):
    """Bytes as received, before any parsing, with where they came from."""

    content_hash: str
    source: str
    received_at: datetime
    data: bytes
    origin: str = ""

    @classmethod
    def of(cls, data: bytes, *, source: str, received_at: datetime, origin: str = "") -> RawPayload:
        """The payload of ``data``, addressed by the SHA-256 of its bytes."""
        return cls(
            content_hash=sha256_hex(data),
            source=source,
            received_at=received_at,
            data=data,
            origin=origin,
        )


__all__ = [
    "RULE_NAMES",
    "Choice",
    "Contest",
    "ContestCount",
    "ContestKind",
    "Election",
    "ElectionKind",
    "LaidFlat",
    "OutstandingReport",
    "RawPayload",
    "Release",
    "Rule",
    "RuleKind",
    "laid_flat",
    "sha256_hex",
]
