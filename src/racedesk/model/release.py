"""A release: one publication of counts by the registrar, and the bytes it came from.

Adapters (``racedesk.sources``) turn a feed into these structures; the store keeps them; the
engine computes on them. A release's counts are not tracked by Python's cycle collector
(``gc=False``): a desk keeps every release of a canvass, each with a count per contest, and they
hold only numbers and strings, never a cycle.

Vocabulary (see ``../shared/domain/calls-and-hurdles.md``):

- a **release** is one publication of counts by the registrar (one ``TimeStamp`` of the feed);
- **ballots** are counted per contest (``ballots``, the feed's ``CBLT``) and county-wide;
- **votes** are marks for a choice: in a vote-for-N contest a ballot gives up to N votes;
- an **outstanding report** is the registrar's own estimate of ballots left to count.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal

import msgspec


class RoundCount(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One round of a ranked-choice count as the county published it with a release: its name
    in the county's words ("first choices", "round of three", "last round") and the votes of
    each candidate still in the count (choice id → votes)."""

    name: str
    tally: dict[str, int]


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

    ``rounds``: a ranked-choice contest's rounds so far as published (:class:`RoundCount`),
    the first choices first (as ``votes`` too); empty for any other contest.
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
    rounds: tuple[RoundCount, ...] = ()

    @property
    def total_votes(self) -> int:
        """All votes cast in the contest: every choice's plus write-ins."""
        return sum(self.votes.values()) + self.write_ins

    @property
    def choice_votes(self) -> int:
        """Votes for the named choices only (the denominator the registrar's shares use)."""
        return sum(self.votes.values())


#: Release statuses (a feed's own word) that say the registrar certified the count.
CERTIFIED_STATUSES = frozenset({"certified", "official", "final"})


def says_certified(status: str) -> bool:
    """Whether a feed's status word says the registrar certified the count
    (:data:`CERTIFIED_STATUSES`, case and spaces around it ignored)."""
    return status.strip().lower() in CERTIFIED_STATUSES


class ReleasePart(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One source's latest release inside a release of a joined election: which source, its
    own feed time and payload hash, and its county-wide ballot counters (None where its feed
    gives none)."""

    source: str
    feed_time: datetime
    content_hash: str
    ballots_counted: int | None = None
    ballots_mail: int | None = None
    ballots_in_person: int | None = None
    status: str = "unofficial"


class Release(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One publication of counts.

    ``feed_time`` is the feed's own timestamp (zone-aware); ``received_at`` is when racedesk
    got the payload; ``content_hash`` is the SHA-256 of the raw payload bytes, which the store
    keeps. County-wide ballot counters are the LA feed's ``MBLT``/``DBLT``/``EBLT``.
    ``sequence`` is given by the store: the release's place in its election's history (0-based).
    ``set_aside`` says, in words, what the adapter read but did not use: counts of a contest or
    a candidate the election's definition does not have (they stay in the raw payload).
    ``parts``: in an election joined from several sources, each source's latest release it
    is made of (:class:`ReleasePart`); empty otherwise.
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
    set_aside: tuple[str, ...] = ()
    parts: tuple[ReleasePart, ...] = ()

    def count(self, contest_id: str) -> ContestCount | None:
        for c in self.contests:
            if c.contest_id == contest_id:
                return c
        return None

    def counts_by_contest(self) -> dict[str, ContestCount]:
        return {c.contest_id: c for c in self.contests}


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


ReleaseEventKind = Literal["confirmed", "certified", "estimate", "retired", "admitted"]


class ReleaseEvent(msgspec.Struct, frozen=True, kw_only=True):
    """What the desk noted of a stored release after storing it (releases are never edited):

    - ``confirmed``: a release held as a likely mapping error (``engine.checks``, code
      ``held``) is confirmed, by an editor (``made_by`` their name) or by the next release,
      which continued from it (``made_by`` "the next release (#N)"), and is used from then on;
    - ``certified``: the registrar certified the count (``issuer`` the name the results are
      published under): nothing is left to count and every contest has its final outcome;
    - ``estimate``: a registrar's report of ballots left took effect on the latest release;
    - ``retired``: an editor retired the release from use;
    - ``admitted``: an editor chose to add a payload of another source (a NIST CDF report into
      an LA County election) to the election (``racedesk ingest --into-existing``); ``note``
      says which payload, of which format, and why.

    ``sequence`` is the release it concerns; ``made_at`` when it was made (as-of reads go by
    it, so that no answer given before it changes); ``event_id`` is given by the store.
    """

    kind: ReleaseEventKind
    sequence: int
    made_at: datetime
    made_by: str
    note: str = ""
    issuer: str = ""
    event_id: int = -1

    @property
    def said(self) -> str:
        """The event in words, as a snapshot it made again says why: "estimate by registrar:
        the registrar's estimate of 2024-11-06 17:00: 1,116,100 ballots left"."""
        return f"{self.kind} by {self.made_by}: {self.note}"


def estimate_event(report: OutstandingReport, sequence: int, made_at: datetime) -> ReleaseEvent:
    """The ``estimate`` event that puts a registrar's ``report`` in effect on release
    ``sequence`` at ``made_at``: made by its source (else "registrar"), its note saying what it
    says ("the registrar's estimate of 2024-11-06 17:00: 1,116,100 ballots left")."""
    note = f"the registrar's estimate of {report.as_of:%Y-%m-%d %H:%M}" + (
        f": {report.total:,} ballots left" if report.total is not None else ""
    )
    return ReleaseEvent(
        kind="estimate",
        sequence=sequence,
        made_at=made_at,
        made_by=report.source or "registrar",
        note=note,
    )


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex: a payload's content hash."""
    return hashlib.sha256(data).hexdigest()


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
