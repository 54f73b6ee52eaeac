"""The store's interface: append-only releases, raw payloads, as-of queries, the call ledger.

SQLite (default, one file, WAL) and PostgreSQL implement the same interface
(``racedesk.store.sql.SqlStore``, chosen by the database URL). Nothing is ever updated in
place or deleted: a new release is a new row, a correction is a new release flagged as such, a
call is undone by a new ledger event.

As-of semantics: "as of T" means what the desk knew at feed time T: releases whose
``feed_time`` ≤ T, outstanding reports whose ``as_of`` ≤ T, ledger events whose
``release_time`` ≤ T, release events and editors' acts made by T, and the snapshot of the latest release whose
``feed_time`` ≤ T (its latest revision made by T, when it was made again).

Errors: ``racedesk.errors.SequenceConflict`` when another writer got there first (recompute,
retry), :class:`StoreUnavailable` when the database cannot be reached (retry later), and
``racedesk.errors.StoreError`` for a request the store refuses (an unknown election, a gap in
the sequence, a snapshot of another release). See ``docs/store.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

import msgspec

from racedesk.errors import StoreError
from racedesk.model import Election, OutstandingReport, RawPayload, Release, ReleaseEvent
from racedesk.model.answers import CallEvent, ContestState, Problem, Snapshot
from racedesk.model.editorial import EditorialAct
from racedesk.model.petition import Petition, PetitionEvent, PetitionStage
from racedesk.money.filings import Filing


class StoredRelease(msgspec.Struct, frozen=True, kw_only=True):
    """A release as the store keeps it: the release (with its ``sequence``), the problems
    its identities showed (``usable`` is False when any is blocking) and whether it is a
    correction (a count went down against the previous release), all three as the desk's
    checks found them: the store keeps them, it does not judge them."""

    release: Release
    problems: tuple[Problem, ...] = ()
    usable: bool = True
    correction: bool = False


class Quarantined(msgspec.Struct, frozen=True, kw_only=True):
    """A payload that was rejected, kept as bytes with the reason."""

    content_hash: str
    source: str
    received_at: datetime
    reason: str
    origin: str = ""


class StoredFiling(msgspec.Struct, frozen=True, kw_only=True):
    """A filing version a money payload holds, and how many lines it has there."""

    content_hash: str
    filing: Filing
    lines: int


class StoredMoney(msgspec.Struct, frozen=True, kw_only=True):
    """A campaign-finance payload kept: its bytes' hash, format, name and when it was stored."""

    content_hash: str
    format: str
    origin: str
    stored_at: datetime


class StoreUnavailable(StoreError):
    """The database cannot be reached (a server restarting, a file locked for too long).
    Nothing was written; the same call can be retried."""


class Store(Protocol):
    """What the rest of racedesk may ask of a store."""

    url: str

    # elections -------------------------------------------------------------------------
    def put_election(self, election: Election) -> int:
        """Store an election's definition and return its version (1, 2, …).

        Storing the definition the election already has changes nothing; a different one (a
        rules file changed, the feed corrected a name) is kept as the next version and becomes
        the current one. Earlier versions are kept."""

    def election(self, election_id: str, version: int | None = None) -> Election:
        """The election's current definition (or the given version), or ``StoreError``
        naming the id when it is unknown."""

    def elections(self) -> list[Election]: ...

    def election_versions(self, election_id: str) -> list[tuple[int, datetime]]:
        """Every version of the election's definition with the time it was stored (UTC)."""
        ...

    # raw payloads ------------------------------------------------------------------------
    def put_raw(self, raw: RawPayload) -> bool:
        """Keep a payload's bytes (compressed, by content hash) before it is parsed.
        Returns False when the same bytes were already kept."""

    def raw(self, content_hash: str) -> RawPayload | None: ...

    def raw_hashes(self) -> list[str]:
        """The content hash of every payload kept, sorted (``racedesk check`` reads each)."""

    def quarantine(self, raw: RawPayload, reason: str) -> None:
        """Keep a rejected payload's bytes with the reason; nothing else of it is stored."""

    def quarantined(self) -> list[Quarantined]: ...

    # releases ----------------------------------------------------------------------------
    def commit_release(
        self, stored: StoredRelease, snapshot: Snapshot | None = None
    ) -> StoredRelease | None:
        """Append a release with the desk's snapshot after it (contest states, projections,
        calls) and the call events it triggered (``snapshot.new_events``), in one transaction:
        all of it or none of it.

        ``stored.release.sequence`` must be the next sequence of the election (the latest
        plus one, 0 for the first); if another writer took it first,
        ``racedesk.errors.SequenceConflict`` is raised and nothing is written, so the caller
        recomputes and tries again (likewise when one of the new call events' ids is taken); a
        sequence that would leave a gap is a ``StoreError``. Returns None (and changes nothing) when a release with the same
        content hash is already stored for the election.

        The store judges nothing: ``stored.problems``, ``usable`` and ``correction`` are the
        caller's (the desk's checks, ``racedesk.engine.checks``), kept as given. Returns the
        release as stored."""

    def releases(self, election_id: str, as_of: datetime | None = None) -> list[StoredRelease]:
        """Every stored release of the election in sequence order, up to ``as_of``."""

    def release(self, election_id: str, sequence: int) -> StoredRelease: ...

    def latest_release(self, election_id: str) -> StoredRelease | None: ...

    def has_release(self, election_id: str, content_hash: str) -> bool: ...

    # derived state -------------------------------------------------------------------------
    def snapshot(self, election_id: str, as_of: datetime | None = None) -> Snapshot | None:
        """The desk's snapshot after the latest release up to ``as_of`` (None before any)."""

    def snapshot_at(
        self, election_id: str, sequence: int, as_of: datetime | None = None
    ) -> Snapshot | None:
        """The snapshot of release ``sequence``: its latest revision (made by ``as_of``, when
        given) when it was made again."""

    def commit_revision(self, snapshot: Snapshot, made_at: datetime, cause: int) -> int:
        """Append a release's snapshot made again at ``made_at`` (because of release event
        ``cause``) with the call events it triggered, in one transaction; returns its revision
        (1, 2, …). As of a time before ``made_at`` the release's earlier snapshot is read.
        ``SequenceConflict`` (nothing written) when the release is no longer the latest."""

    def revision_times(self, election_id: str, sequence: int) -> list[datetime]:
        """When release ``sequence``'s snapshot was made again, in order (empty: never)."""

    def revisions(self, election_id: str) -> int:
        """How many snapshots of the election were made again (a reader's caches of snapshots
        are stale when it grows); one indexed count."""

    # release events ------------------------------------------------------------------------------
    def add_release_event(self, election_id: str, event: ReleaseEvent) -> ReleaseEvent:
        """Append what the desk noted of a stored release (a confirmation, a certification, a
        report taking effect), numbered after the election's last; returns it numbered."""

    def release_events(self, election_id: str, as_of: datetime | None = None) -> list[ReleaseEvent]:
        """The election's release events made by ``as_of``, in order."""

    def contest_history(self, election_id: str, contest_id: str) -> list[ContestState]:
        """One contest's state after every release, in order."""

    # outstanding reports -----------------------------------------------------------------------
    def put_outstanding(self, election_id: str, report: OutstandingReport) -> bool:
        """Append a report; the same report (same time and figures) twice changes nothing."""

    def put_outstanding_reports(
        self, election_id: str, reports: Sequence[OutstandingReport]
    ) -> int:
        """Append reports in one transaction, all of them or none; returns how many were new."""

    def outstanding(
        self, election_id: str, as_of: datetime | None = None
    ) -> list[OutstandingReport]: ...

    # the call ledger -------------------------------------------------------------------------
    def ledger(self, election_id: str, as_of: datetime | None = None) -> list[CallEvent]: ...

    def append_calls(self, election_id: str, events: Sequence[CallEvent]) -> None:
        """Append call events made outside a release (an editor's approval, AP's call)."""

    # editors' acts (docs/editors.md) ----------------------------------------------------------
    def add_editorial(
        self, election_id: str, act: EditorialAct, *, unless_repeated: bool = True
    ) -> tuple[EditorialAct, bool]:
        """Append an editor's act (``election_id`` "" for the desk-wide publishing mode),
        numbered after the election's last, in one transaction. When ``unless_repeated`` and
        the act in force on the same subject says the same (``EditorialAct.repeats``), nothing
        is stored and that act is returned. Returns the act and whether it was stored."""

    def editorial(self, election_id: str, as_of: datetime | None = None) -> list[EditorialAct]:
        """The election's editorial acts made by ``as_of`` (with ``election_id`` "", the
        desk-wide mode changes), in order."""

    def editorial_count(self, election_id: str) -> int:
        """How many editorial acts the election and the desk-wide mode have (a reader's caches
        of published calls are stale when it grows); one indexed count."""

    # petitions (racedesk.store.petitions) --------------------------------------------------------
    def put_petition(self, petition: Petition) -> int:
        """Store a petition's definition; its version (the same definition again: no change)."""

    def petition(self, petition_id: str) -> Petition:
        """The petition's current definition, or ``StoreError`` naming it."""

    def petitions(self) -> list[Petition]: ...

    def commit_petition(
        self, petition_id: str, stages: Sequence[PetitionStage], events: Sequence[PetitionEvent]
    ) -> None:
        """Append a petition's new stages and the verdict events they brought, all or none;
        ``SequenceConflict`` when another writer took a sequence or event id first."""

    def petition_stages(self, petition_id: str, as_of: date | None = None) -> list[PetitionStage]:
        """The petition's stages in order; as of a date, those dated on or before it."""

    def petition_digests(self, petition_id: str) -> set[str]: ...

    def petition_ledger(self, petition_id: str, as_of: date | None = None) -> list[PetitionEvent]:
        """The petition's verdict events; as of a date, those dated on or before it."""

    # change notification ----------------------------------------------------------------------
    def latest_sequence(self, election_id: str) -> int | None:
        """The sequence of the election's latest committed release (None before any); one
        indexed lookup, cheap enough to call on every request."""

    def wait_for_release(self, election_id: str, after: int | None, timeout: float) -> int | None:
        """Wait until a release with a sequence above ``after`` (any, when None) is committed
        by any process, and return the latest sequence; None when ``timeout`` seconds pass
        first. PostgreSQL wakes on ``LISTEN/NOTIFY``; SQLite polls :meth:`latest_sequence`."""

    def put_money(self, raw: RawPayload, format: str, filings: Sequence[StoredFiling]) -> bool:
        """Keep a campaign-finance payload's bytes and the filings it holds; False when the
        same bytes were kept before (nothing is written again)."""
        ...

    def money_payloads(self) -> list[StoredMoney]:
        """Every money payload, in the order stored."""
        ...

    def money_filings(self) -> list[StoredFiling]:
        """Every filing version of every money payload, in the order stored."""
        ...

    def close(self) -> None:
        """Release the store's connections."""
