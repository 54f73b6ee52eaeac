"""The store's interface: append-only releases, raw payloads, as-of queries, the call ledger.

SQLite (default, one file, WAL) and PostgreSQL implement the same interface
(``racedesk.store.sql.SqlStore``, chosen by the database URL). Nothing is ever updated in
place or deleted: a new release is a new row, a correction is a new release flagged as such, a
call is undone by a new ledger event.

As-of semantics: "as of T" means what the desk knew at feed time T: releases whose
``feed_time`` ≤ T, outstanding reports whose ``as_of`` ≤ T, ledger events whose
``release_time`` ≤ T.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from racedesk.engine.types import CallEvent, ContestState, Problem, Snapshot
from racedesk.model import Election, OutstandingReport, RawPayload, Release


class StoredRelease(msgspec.Struct, frozen=True, kw_only=True):
    """A release as the store keeps it: the release (with its ``sequence``), the problems
    its identities showed (``usable`` is False when any is blocking) and whether it is a
    correction (a count went down against the previous release)."""

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


class SequenceConflict(Exception):
    """Another writer committed a release with this sequence first: recompute and retry."""


class Store(Protocol):
    """What the rest of racedesk may ask of a store."""

    url: str

    # elections -------------------------------------------------------------------------
    def put_election(self, election: Election) -> None:
        """Store an election's definition; storing the same definition again does nothing."""

    def election(self, election_id: str) -> Election:
        """The election, or ``StoreError`` naming the id when it is unknown."""

    def elections(self) -> list[Election]: ...

    # raw payloads ------------------------------------------------------------------------
    def put_raw(self, raw: RawPayload) -> bool:
        """Keep a payload's bytes (compressed, by content hash) before it is parsed.
        Returns False when the same bytes were already kept."""

    def raw(self, content_hash: str) -> RawPayload | None: ...

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
        plus one, 0 for the first); if another writer took it first, :class:`SequenceConflict`
        is raised and nothing is written, so the caller recomputes and tries again. Returns
        None (and changes nothing) when a release with the same content hash is already
        stored for the election."""

    def releases(self, election_id: str, as_of: datetime | None = None) -> list[StoredRelease]:
        """Every stored release of the election in sequence order, up to ``as_of``."""

    def release(self, election_id: str, sequence: int) -> StoredRelease: ...

    def latest_release(self, election_id: str) -> StoredRelease | None: ...

    def has_release(self, election_id: str, content_hash: str) -> bool: ...

    # derived state -------------------------------------------------------------------------
    def snapshot(self, election_id: str, as_of: datetime | None = None) -> Snapshot | None:
        """The desk's snapshot after the latest release up to ``as_of`` (None before any)."""

    def snapshot_at(self, election_id: str, sequence: int) -> Snapshot | None: ...

    def contest_history(self, election_id: str, contest_id: str) -> list[ContestState]:
        """One contest's state after every release, in order."""

    # outstanding reports -----------------------------------------------------------------------
    def put_outstanding(self, election_id: str, report: OutstandingReport) -> bool:
        """Append a report; the same report (same time and figures) twice changes nothing."""

    def outstanding(
        self, election_id: str, as_of: datetime | None = None
    ) -> list[OutstandingReport]: ...

    # the call ledger -------------------------------------------------------------------------
    def ledger(self, election_id: str, as_of: datetime | None = None) -> list[CallEvent]: ...

    def append_calls(self, election_id: str, events: Sequence[CallEvent]) -> None:
        """Append call events made outside a release (an editor's approval, AP's call)."""

    # change notification ----------------------------------------------------------------------
    def changes(self, election_id: str, after_sequence: int | None) -> Iterator[int]:
        """Sequences of releases committed after ``after_sequence`` (any process)."""
