"""The store on SQLite or PostgreSQL, through SQLAlchemy Core: its queries (see
``docs/store.md``).

One implementation serves both backends. What differs between them is in
:mod:`racedesk.store.connect` (transactions, LISTEN/NOTIFY) and
:mod:`racedesk.store.statements` (the ingest's statements, bulk inserts); how values become rows
and rows values is in :mod:`racedesk.store.codec`. A commit on PostgreSQL sends ``NOTIFY
racedesk_releases`` inside its transaction and :meth:`SqlStore.wait_for_release` ``LISTEN``\\s;
on SQLite it polls :meth:`SqlStore.latest_sequence`.

Append-only throughout: every method inserts or reads, none updates or deletes.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import Connection, Row, Table, func, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError

from racedesk.errors import SequenceConflict, StoreError
from racedesk.model import (
    Election,
    OutstandingReport,
    RawPayload,
    Release,
    ReleaseEvent,
    sha256_hex,
)
from racedesk.model.answers import CallEvent, ContestState, Snapshot
from racedesk.model.editorial import EditorialAct
from racedesk.store import codec, money_rows
from racedesk.store import schema as t
from racedesk.store.base import Quarantined, StoredFiling, StoredMoney, StoredRelease
from racedesk.store.codec import FOREVER_US, ZLIB_LEVEL, from_us, now_us, row, to_us
from racedesk.store.compression import decompress_payload
from racedesk.store.connect import CHANNEL, Connections
from racedesk.store.migrations import upgrade
from racedesk.store.petitions import PetitionQueries
from racedesk.store.recent import Recent
from racedesk.store.statements import Statements

#: How many rebuilt releases a store keeps in memory (an LA general release is ~1 MB of objects).
RELEASE_CACHE = 256

#: How many decoded snapshots a store keeps in memory (a web server reads the latest often).
SNAPSHOT_CACHE = 16

#: How many snapshots' contest states (split, not decoded: ~470 KB an LA release) a store keeps
#: for contest histories (``racedesk status --contest`` reads one per contest it matches).
STATES_CACHE = 64

#: From how many bytes a snapshot (without its states) is compressed on another thread.
COMPRESS_ALONGSIDE = 64 * 1024


@dataclass
class _ReleaseRows:
    """A release's rows but its ``releases`` row, made before its transaction."""

    contests: list[tuple[Any, ...]]
    choices: list[tuple[Any, ...]]
    snapshot: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)


class SqlStore(PetitionQueries):
    """The append-only store over SQLite or PostgreSQL (see :class:`racedesk.store.base.Store`).

    ``url`` is shown with its password hidden. ``migrate`` brings the schema to the newest
    revision on opening (every process may do so: migrations are serialised). ``poll_interval``
    is how often :meth:`wait_for_release` polls on SQLite.
    """

    def __init__(self, url: str, *, migrate: bool = True, poll_interval: float = 0.1) -> None:
        self._db = Connections(url)
        self.url = self._db.url
        self.dialect = self._db.dialect
        self.engine = self._db.engine
        self.poll_interval = poll_interval
        self._statements = Statements(self.dialect)
        self._insert = sqlite_dialect.insert if self.dialect == "sqlite" else pg_dialect.insert
        self._election_keys: dict[str, int] = {}
        self._compressor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="racedesk-zlib")
        self._recent_releases: Recent[int, StoredRelease] = Recent(RELEASE_CACHE)
        self._recent_snapshots: Recent[int, Snapshot] = Recent(SNAPSHOT_CACHE)
        self._recent_states: Recent[int, list[msgspec.Raw]] = Recent(STATES_CACHE)
        if migrate:
            with self._db.write() as conn:
                upgrade(conn)

    def __repr__(self) -> str:
        return f"SqlStore({self.url!r})"

    def close(self) -> None:
        self._compressor.shutdown(wait=True)
        self._db.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # elections ------------------------------------------------------------------------------------
    def put_election(self, election: Election) -> int:
        definition = codec.election_definition(election)
        digest = sha256_hex(definition)
        d = t.election_definitions
        for _attempt in range(3):
            try:
                with self._db.write() as conn:
                    latest = conn.execute(
                        select(d.c.version, d.c.digest)
                        .where(d.c.election_id == election.id)
                        .order_by(d.c.version.desc())
                        .limit(1)
                    ).first()
                    if latest is not None and latest.digest == digest:
                        return int(latest.version)
                    now = now_us()
                    if latest is None:
                        e = t.elections
                        top = conn.execute(select(func.max(e.c.election_key))).scalar()
                        conn.execute(
                            e.insert(),
                            {
                                "election_id": election.id,
                                "election_key": (top or 0) + 1,
                                "stored_us": now,
                            },
                        )
                    version = 1 if latest is None else int(latest.version) + 1
                    conn.execute(
                        d.insert(),
                        {
                            "election_id": election.id,
                            "version": version,
                            "digest": digest,
                            "stored_us": now,
                            "definition": zlib.compress(definition, ZLIB_LEVEL),
                        },
                    )
                    return version
            except IntegrityError:
                continue  # another process stored a definition at the same moment: look again
        raise StoreError("could not store the election definition", where=election.id)

    def election(self, election_id: str, version: int | None = None) -> Election:
        d = t.election_definitions
        query = select(d.c.definition).where(d.c.election_id == election_id)
        if version is not None:
            query = query.where(d.c.version == version)
        with self._db.read() as conn:
            blob = conn.execute(query.order_by(d.c.version.desc()).limit(1)).scalar()
        if blob is None:
            which = f"version {version} of election" if version is not None else "election"
            raise StoreError(
                f"no {which} {election_id!r} in the store",
                where=self.url,
                hint="ingest its definition first (racedesk ingest)",
            )
        return codec.read_election(blob)

    def elections(self) -> list[Election]:
        d = t.election_definitions
        with self._db.read() as conn:
            rows = conn.execute(
                select(d.c.election_id, d.c.definition).order_by(d.c.election_id, d.c.version)
            ).all()
        latest: dict[str, bytes] = {}
        for r in rows:
            latest[r.election_id] = r.definition
        return [codec.read_election(blob) for blob in latest.values()]

    def election_versions(self, election_id: str) -> list[tuple[int, datetime]]:
        """Every version of an election's definition with the time it was stored."""
        d = t.election_definitions
        with self._db.read() as conn:
            rows = conn.execute(
                select(d.c.version, d.c.stored_us)
                .where(d.c.election_id == election_id)
                .order_by(d.c.version)
            ).all()
        return [(int(r.version), from_us(r.stored_us, "UTC")) for r in rows]

    def _election_key(self, election_id: str) -> int:
        """The election's key, the high bits of its releases' keys (read once)."""
        key = self._election_keys.get(election_id)
        if key is None:
            e = t.elections
            with self._db.read() as conn:
                key = conn.execute(
                    select(e.c.election_key).where(e.c.election_id == election_id)
                ).scalar()
            if key is None:
                raise StoreError(
                    f"no election {election_id!r} in the store",
                    where=self.url,
                    hint="store its definition first",
                )
            self._election_keys[election_id] = key
        return int(key)

    def _known(self, conn: Connection, election_id: str) -> bool:
        e = t.elections
        return (
            conn.execute(select(e.c.stored_us).where(e.c.election_id == election_id)).first()
            is not None
        )

    # raw payloads ------------------------------------------------------------------------------------
    def put_raw(self, raw: RawPayload) -> bool:
        values = row(t.raw_payloads, codec.raw_row(raw))
        with self._db.write() as conn:
            done = conn.exec_driver_sql(self._statements.text("put-raw"), values).first()
        return done is not None

    def has_raw(self, content_hash: str) -> bool:
        r = t.raw_payloads
        with self._db.read() as conn:
            return (
                conn.execute(select(r.c.size).where(r.c.content_hash == content_hash)).first()
                is not None
            )

    def raw_hashes(self) -> list[str]:
        r = t.raw_payloads
        with self._db.read() as conn:
            return list(conn.scalars(select(r.c.content_hash).order_by(r.c.content_hash)))

    def raw(self, content_hash: str) -> RawPayload | None:
        r = t.raw_payloads
        with self._db.read() as conn:
            found = conn.execute(select(r).where(r.c.content_hash == content_hash)).first()
        if found is None:
            return None
        return RawPayload(
            content_hash=found.content_hash,
            source=found.source,
            received_at=from_us(found.received_us, found.received_tz),
            data=decompress_payload(found.data, found.size),
            origin=found.origin,
        )

    def quarantine(self, raw: RawPayload, reason: str) -> None:
        values = codec.raw_row(raw)
        with self._db.write() as conn:
            conn.execute(self._insert(t.raw_payloads).on_conflict_do_nothing(), values)
            conn.execute(
                self._insert(t.quarantine).on_conflict_do_nothing(),
                {
                    "content_hash": raw.content_hash,
                    "reason": reason,
                    "source": raw.source,
                    "received_us": values["received_us"],
                    "received_tz": values["received_tz"],
                    "origin": raw.origin,
                    "stored_us": now_us(),
                },
            )

    def quarantined(self) -> list[Quarantined]:
        q = t.quarantine
        with self._db.read() as conn:
            rows = conn.execute(select(q).order_by(q.c.quarantine_id)).all()
        return [
            Quarantined(
                content_hash=r.content_hash,
                source=r.source,
                received_at=from_us(r.received_us, r.received_tz),
                reason=r.reason,
                origin=r.origin,
            )
            for r in rows
        ]

    # releases --------------------------------------------------------------------------------------------
    def commit_release(
        self, stored: StoredRelease, snapshot: Snapshot | None = None
    ) -> StoredRelease | None:
        key = self._release_key(stored.release, snapshot)
        rows = self._release_rows(key, stored, snapshot)
        try:
            with self._db.write() as conn:
                if not self._insert_release(conn, key, stored, rows):
                    return None
        except IntegrityError as exc:
            return self._after_conflict(stored, exc)
        return stored

    def _release_key(self, release: Release, snapshot: Snapshot | None) -> int:
        """The key of the row of ``release`` (its election's key, then its sequence), once its
        sequence and ``snapshot`` are found to be the release's."""
        eid = release.election_id
        seq = release.sequence
        if seq is None or seq < 0:
            raise StoreError(
                "the release has no sequence: set it to the latest sequence plus one", where=eid
            )
        if snapshot is not None and (
            snapshot.election_id != eid
            or snapshot.release_sequence != seq
            or snapshot.release_hash != release.content_hash
        ):
            raise StoreError(
                f"the snapshot is for release {snapshot.election_id} #{snapshot.release_sequence} "
                f"({snapshot.release_hash[:12]}), not {eid} #{seq} ({release.content_hash[:12]})",
                where=eid,
            )
        if seq >= 1 << t.RELEASE_KEY_SHIFT:
            raise StoreError(f"release #{seq} is beyond the store's limit per election", where=eid)
        return int((self._election_key(eid) << t.RELEASE_KEY_SHIFT) + seq)

    def _release_rows(
        self, key: int, stored: StoredRelease, snapshot: Snapshot | None
    ) -> _ReleaseRows:
        """The rows of a release, its snapshot and its new call events, made before the
        transaction so that the write lock is held only for the inserts.

        zlib runs without the GIL: a large snapshot (with its projections and calls) is
        compressed on another thread while this one encodes its states and makes the rows; a
        small one (about 1 KB without them) at once, as handing it over costs more than
        compressing it."""
        release = stored.release
        compressed: Future[bytes] | None = None
        if snapshot is not None:
            packed = codec.pack_snapshot(snapshot)
            if len(packed) >= COMPRESS_ALONGSIDE:
                compressed = self._compressor.submit(zlib.compress, packed, ZLIB_LEVEL)
            else:
                compressed = Future()
                compressed.set_result(zlib.compress(packed, ZLIB_LEVEL))
        contest_rows, choice_rows = codec.count_rows(key, release)
        rows = _ReleaseRows(contests=contest_rows, choices=choice_rows)
        if snapshot is not None and compressed is not None:
            states = codec.pack_states(snapshot)
            eid = release.election_id
            rows.events = [row(t.call_events, codec.event_row(eid, e)) for e in snapshot.new_events]
            made = codec.snapshot_row(key, release, snapshot, compressed.result(), states)
            rows.snapshot = [row(t.snapshots, made)]
        return rows

    def _insert_release(
        self, conn: Connection, key: int, stored: StoredRelease, rows: _ReleaseRows
    ) -> bool:
        """Insert a release's rows in the caller's transaction, when its sequence is the next
        one (a :class:`SequenceConflict` when another writer took it, a ``StoreError`` when it
        would leave a gap); False, and nothing inserted, when the same release is stored."""
        release = stored.release
        eid, seq = release.election_id, release.sequence
        statements = self._statements
        latest, known = conn.exec_driver_sql(
            statements.text("latest"), (release.content_hash, eid)
        ).one()
        if known:
            return False
        expected = 0 if latest is None else int(latest) + 1
        if seq is not None and seq < expected:
            raise SequenceConflict(
                f"{eid}: release #{seq} is taken (latest is #{latest}); recompute and retry"
            )
        if seq != expected:
            raise StoreError(
                f"release #{seq} would leave a gap: the next release is #{expected}", where=eid
            )
        statements.insert(conn, t.releases, [row(t.releases, codec.release_row(key, stored))])
        statements.insert(conn, t.contest_counts, rows.contests)
        statements.insert(conn, t.choice_counts, rows.choices)
        statements.insert(conn, t.snapshots, rows.snapshot)
        statements.insert(conn, t.call_events, rows.events)
        if self.dialect == "postgresql":
            conn.exec_driver_sql(statements.text("notify"), (CHANNEL, f"{eid}\t{seq}"))
        return True

    def _after_conflict(self, stored: StoredRelease, exc: IntegrityError) -> StoredRelease | None:
        """A concurrent writer won a unique constraint: say which, in the interface's terms."""
        release = stored.release
        eid = release.election_id
        if self.has_release(eid, release.content_hash):
            return None
        latest = self.latest_sequence(eid)
        if latest is not None and release.sequence is not None and latest >= release.sequence:
            raise SequenceConflict(
                f"{eid}: release #{release.sequence} was taken by another writer; recompute and retry"
            ) from exc
        if "call_events" in str(exc.orig):
            raise SequenceConflict(
                f"{eid}: a call event id was taken by another writer; recompute and retry"
            ) from exc
        raise StoreError(f"the release could not be stored: {exc.orig}", where=eid) from exc

    def _releases(
        self,
        conn: Connection,
        election_id: str,
        as_of: datetime | None,
        sequence: int | None = None,
    ) -> list[StoredRelease]:
        """Stored releases rebuilt from their rows, inside the caller's transaction.

        Rows are never changed once written, so a release rebuilt once is kept (the latest
        :data:`RELEASE_CACHE` of them) and only the release rows are read again."""
        r = t.releases
        where = [r.c.election_id == election_id]
        if sequence is not None:
            where.append(r.c.sequence == sequence)
        if as_of is not None:
            where.append(r.c.feed_us <= to_us(as_of, "as_of"))
        heads = conn.execute(select(r).where(*where).order_by(r.c.sequence)).all()
        found: dict[int, StoredRelease] = {}
        for h in heads:
            hit = self._recent_releases.get(h.release_key)
            if hit is not None:
                found[h.release_key] = hit
        missing = [h for h in heads if h.release_key not in found]
        if missing:
            rebuilt = self._rebuild(conn, missing, where if len(missing) == len(heads) else None)
            for stored_release, h in zip(rebuilt, missing, strict=True):
                found[h.release_key] = stored_release
                self._recent_releases.put(h.release_key, stored_release)
        return [found[h.release_key] for h in heads]

    @staticmethod
    def _rebuild(
        conn: Connection, heads: Sequence[Any], where: list[Any] | None
    ) -> list[StoredRelease]:
        """Rebuild the releases of ``heads`` (release rows) from their count rows, selected by
        the same ``where`` as the heads, or by their keys."""
        r, cc, ch = t.releases, t.contest_counts, t.choice_counts
        keys = [h.release_key for h in heads]
        contest_query = select(
            cc.c.release_key,
            cc.c.contest_id,
            cc.c.write_ins,
            cc.c.ballots,
            cc.c.full_ballots,
            cc.c.partial_ballots,
            cc.c.undervotes,
            cc.c.overvotes,
            cc.c.unused,
            cc.c.votes_by_type,
            cc.c.precincts_reporting,
            cc.c.precincts_total,
            cc.c.rounds,
        )
        choice_query = select(ch.c.release_key, ch.c.contest_id, ch.c.choice_id, ch.c.votes)
        if where is not None:
            contest_query = contest_query.join(r, r.c.release_key == cc.c.release_key).where(*where)
            choice_query = choice_query.join(r, r.c.release_key == ch.c.release_key).where(*where)
        else:
            contest_query = contest_query.where(cc.c.release_key.in_(keys))
            choice_query = choice_query.where(ch.c.release_key.in_(keys))
        contest_rows = conn.execute(contest_query.order_by(cc.c.release_key, cc.c.position)).all()
        choice_rows = conn.execute(choice_query.order_by(ch.c.release_key, ch.c.position)).all()
        return codec.read_releases(heads, contest_rows, choice_rows)

    def releases(self, election_id: str, as_of: datetime | None = None) -> list[StoredRelease]:
        with self._db.read() as conn:
            return self._releases(conn, election_id, as_of)

    def release(self, election_id: str, sequence: int) -> StoredRelease:
        with self._db.read() as conn:
            found = self._releases(conn, election_id, None, sequence)
        if not found:
            raise StoreError(
                f"no release #{sequence} of {election_id!r} in the store", where=self.url
            )
        return found[0]

    def latest_release(self, election_id: str) -> StoredRelease | None:
        r = t.releases
        with self._db.read() as conn:
            latest = conn.execute(
                select(func.max(r.c.sequence)).where(r.c.election_id == election_id)
            ).scalar()
            if latest is None:
                return None
            return self._releases(conn, election_id, None, int(latest))[0]

    def has_release(self, election_id: str, content_hash: str) -> bool:
        r = t.releases
        with self._db.read() as conn:
            found = conn.execute(
                select(r.c.sequence).where(
                    r.c.election_id == election_id, r.c.content_hash == content_hash
                )
            ).first()
        return found is not None

    # derived state ----------------------------------------------------------------------------------------
    def snapshot(self, election_id: str, as_of: datetime | None = None) -> Snapshot | None:
        s = t.snapshots
        query = select(s.c.release_key, s.c.feed_tz, s.c.sequence).where(
            s.c.election_id == election_id
        )
        if as_of is not None:
            query = query.where(s.c.feed_us <= to_us(as_of, "as_of"))
        with self._db.read() as conn:
            found = conn.execute(query.order_by(s.c.sequence.desc()).limit(1)).first()
            if found is None:
                return None
            revised = self._revision(conn, election_id, found.sequence, as_of)
            if revised is not None:
                return revised
            return self._snapshot(conn, found.release_key, found.feed_tz)

    def snapshot_at(
        self, election_id: str, sequence: int, as_of: datetime | None = None
    ) -> Snapshot | None:
        s = t.snapshots
        with self._db.read() as conn:
            found = conn.execute(
                select(s.c.release_key, s.c.feed_tz).where(
                    s.c.election_id == election_id, s.c.sequence == sequence
                )
            ).first()
            if found is None:
                return None
            revised = self._revision(conn, election_id, sequence, as_of)
            if revised is not None:
                return revised
            return self._snapshot(conn, found.release_key, found.feed_tz)

    def _revision(
        self, conn: Connection, election_id: str, sequence: int, as_of: datetime | None
    ) -> Snapshot | None:
        """The latest snapshot of release ``sequence`` made again by ``as_of`` (None when it
        was not made again by then)."""
        v = t.revised_snapshots
        query = select(v.c.data, v.c.states, v.c.made_tz).where(
            v.c.election_id == election_id, v.c.sequence == sequence
        )
        if as_of is not None:
            query = query.where(v.c.made_us <= to_us(as_of, "as_of"))
        found = conn.execute(query.order_by(v.c.revision.desc()).limit(1)).first()
        if found is None:
            return None
        return codec.read_snapshot(found.data, found.states, found.made_tz)

    def commit_revision(self, snapshot: Snapshot, made_at: datetime, cause: int) -> int:
        v = t.revised_snapshots
        eid, seq = snapshot.election_id, snapshot.release_sequence
        key = int((self._election_key(eid) << t.RELEASE_KEY_SHIFT) + seq)
        events = [codec.event_row(eid, e) for e in snapshot.new_events]
        try:
            with self._db.write() as conn:
                latest = conn.execute(
                    select(func.max(t.releases.c.sequence)).where(t.releases.c.election_id == eid)
                ).scalar()
                if latest != seq:
                    raise SequenceConflict(
                        f"{eid}: release #{latest} is the latest, not #{seq}; make the snapshot "
                        "of the latest release again"
                    )
                last = conn.execute(
                    select(func.max(v.c.revision)).where(
                        v.c.election_id == eid, v.c.sequence == seq
                    )
                ).scalar()
                revision = 1 if last is None else int(last) + 1
                conn.execute(
                    v.insert(), codec.revision_row(key, revision, made_at, cause, snapshot)
                )
                if events:
                    conn.execute(t.call_events.insert(), events)
        except IntegrityError as exc:
            raise SequenceConflict(
                f"{eid}: release #{seq} was revised, or its call events numbered, by another "
                "writer; read again and retry"
            ) from exc
        return revision

    def revision_times(self, election_id: str, sequence: int) -> list[datetime]:
        v = t.revised_snapshots
        with self._db.read() as conn:
            rows = conn.execute(
                select(v.c.made_us, v.c.made_tz)
                .where(v.c.election_id == election_id, v.c.sequence == sequence)
                .order_by(v.c.revision)
            ).all()
        return [codec.from_us(r.made_us, r.made_tz) for r in rows]

    def revisions(self, election_id: str) -> int:
        v = t.revised_snapshots
        with self._db.read() as conn:
            found = conn.execute(
                select(func.count()).select_from(v).where(v.c.election_id == election_id)
            ).scalar()
        return int(found or 0)

    # release events -------------------------------------------------------------------------------------
    def add_release_event(self, election_id: str, event: ReleaseEvent) -> ReleaseEvent:
        e = t.release_events
        try:
            with self._db.write() as conn:
                if not self._known(conn, election_id):
                    raise StoreError(f"no election {election_id!r} in the store", where=self.url)
                last = conn.execute(
                    select(func.max(e.c.event_id)).where(e.c.election_id == election_id)
                ).scalar()
                event = msgspec.structs.replace(event, event_id=0 if last is None else last + 1)
                conn.execute(e.insert(), codec.release_event_row(election_id, event))
        except IntegrityError as exc:
            raise SequenceConflict(
                f"{election_id}: release event {event.event_id} is taken; try again"
            ) from exc
        return event

    def release_events(self, election_id: str, as_of: datetime | None = None) -> list[ReleaseEvent]:
        rows = self._made_rows(t.release_events, election_id, as_of)
        return [codec.read_release_event(r.data, r.made_tz) for r in rows]

    def _made_rows(
        self, table: Table, election_id: str, as_of: datetime | None
    ) -> Sequence[Row[Any, Any]]:
        """The ``data`` and ``made_tz`` of an election's events in ``table`` made by ``as_of``
        (all when None), in the order they were made."""
        query = select(table.c.data, table.c.made_tz).where(table.c.election_id == election_id)
        if as_of is not None:
            query = query.where(table.c.made_us <= to_us(as_of, "as_of"))
        with self._db.read() as conn:
            return conn.execute(query.order_by(table.c.event_id)).all()

    # editors' acts ------------------------------------------------------------------------------------
    def add_editorial(
        self, election_id: str, act: EditorialAct, *, unless_repeated: bool = True
    ) -> tuple[EditorialAct, bool]:
        e = t.editorial_events
        try:
            with self._db.write() as conn:
                if election_id and not self._known(conn, election_id):
                    raise StoreError(f"no election {election_id!r} in the store", where=self.url)
                rows = conn.execute(
                    select(e.c.data, e.c.made_tz)
                    .where(e.c.election_id == election_id)
                    .order_by(e.c.event_id)
                ).all()
                earlier = [codec.read_editorial(r.data, r.made_tz) for r in rows]
                in_force = next((a for a in reversed(earlier) if a.subject == act.subject), None)
                if unless_repeated and in_force is not None and act.repeats(in_force):
                    return in_force, False
                act = msgspec.structs.replace(act, event_id=len(earlier))
                conn.execute(e.insert(), codec.editorial_row(election_id, act))
        except IntegrityError as exc:
            raise SequenceConflict(
                f"{election_id or 'the desk'}: editorial act {act.event_id} is taken; try again"
            ) from exc
        return act, True

    def editorial(self, election_id: str, as_of: datetime | None = None) -> list[EditorialAct]:
        rows = self._made_rows(t.editorial_events, election_id, as_of)
        return [codec.read_editorial(r.data, r.made_tz) for r in rows]

    def editorial_count(self, election_id: str) -> int:
        e = t.editorial_events
        with self._db.read() as conn:
            found = conn.execute(
                select(func.count()).select_from(e).where(e.c.election_id.in_((election_id, "")))
            ).scalar()
        return int(found or 0)

    def _snapshot(self, conn: Connection, key: int, zone: str) -> Snapshot:
        """The snapshot of release ``key``: its blob with its contest states. Snapshots never
        change once written, so the latest :data:`SNAPSHOT_CACHE` read are kept."""
        hit = self._recent_snapshots.get(key)
        if hit is not None:
            return hit
        s = t.snapshots
        blob, states = conn.execute(
            select(s.c.data, s.c.states).where(s.c.release_key == key)
        ).one()
        snapshot = codec.read_snapshot(blob, states, zone)
        self._recent_snapshots.put(key, snapshot)
        return snapshot

    def contest_history(self, election_id: str, contest_id: str) -> list[ContestState]:
        """One contest's state after every release, picked out of each snapshot's states: only
        that state is decoded, and a snapshot's states, once read, are kept (split, not
        decoded) for the next contest's history."""
        s = t.snapshots
        out = []
        at = 0
        with self._db.read() as conn:
            heads = conn.execute(
                select(s.c.release_key, s.c.feed_tz)
                .where(s.c.election_id == election_id)
                .order_by(s.c.sequence)
            ).all()
            # a cacheful of snapshots at a time, so that a long history is never all in memory
            for start in range(0, len(heads), STATES_CACHE):
                part = heads[start : start + STATES_CACHE]
                arrays = self._state_arrays(conn, [h.release_key for h in part])
                for (_key, zone), found in zip(part, arrays, strict=True):
                    at = codec.position(found, contest_id, at)
                    if at < 0:
                        at = 0
                        continue
                    out.append(codec.read_state(found[at], zone))
        return out

    def _state_arrays(self, conn: Connection, keys: list[int]) -> list[list[msgspec.Raw]]:
        """The contest states of the snapshots of releases ``keys``, each split into its
        states' MessagePack; the latest :data:`STATES_CACHE` read are kept."""
        found: dict[int, list[msgspec.Raw]] = {}
        for key in keys:
            hit = self._recent_states.get(key)
            if hit is not None:
                found[key] = hit
        missing = [key for key in keys if key not in found]
        if missing:
            s = t.snapshots
            rows = conn.execute(
                select(s.c.release_key, s.c.states).where(s.c.release_key.in_(missing))
            ).all()
            for key, states in rows:
                found[key] = codec.split_states(states)
                self._recent_states.put(key, found[key])
        return [found[key] for key in keys]

    # outstanding reports ------------------------------------------------------------------------------------
    def put_outstanding(self, election_id: str, report: OutstandingReport) -> bool:
        return self.put_outstanding_reports(election_id, [report]) == 1

    def put_outstanding_reports(
        self, election_id: str, reports: Sequence[OutstandingReport]
    ) -> int:
        insert = (
            self._insert(t.outstanding_reports)
            .on_conflict_do_nothing()
            .returning(t.outstanding_reports.c.report_id)
        )
        added = 0
        with self._db.write() as conn:
            if not self._known(conn, election_id):
                raise StoreError(f"no election {election_id!r} in the store", where=self.url)
            for report in reports:
                values = codec.report_row(election_id, report)
                added += conn.execute(insert, values).first() is not None
        return added

    def outstanding(
        self, election_id: str, as_of: datetime | None = None
    ) -> list[OutstandingReport]:
        upto = FOREVER_US if as_of is None else to_us(as_of, "as_of")
        with self._db.read() as conn:
            rows = conn.exec_driver_sql(
                self._statements.text("outstanding"), (election_id, upto)
            ).all()
        return [codec.read_report(data, zone) for data, zone in rows]

    # the call ledger ---------------------------------------------------------------------------------------
    def ledger(self, election_id: str, as_of: datetime | None = None) -> list[CallEvent]:
        c = t.call_events
        query = select(c.c.data, c.c.release_tz).where(c.c.election_id == election_id)
        if as_of is not None:
            query = query.where(c.c.release_us <= to_us(as_of, "as_of"))
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(c.c.event_id)).all()
        return [codec.read_event(r.data, r.release_tz) for r in rows]

    def append_calls(self, election_id: str, events: Sequence[CallEvent]) -> None:
        if not events:
            return
        rows = [codec.event_row(election_id, e) for e in events]
        try:
            with self._db.write() as conn:
                if not self._known(conn, election_id):
                    raise StoreError(f"no election {election_id!r} in the store", where=self.url)
                conn.execute(t.call_events.insert(), rows)
        except IntegrityError as exc:
            raise SequenceConflict(
                f"{election_id}: call event id {', '.join(str(r['event_id']) for r in rows)} "
                "is taken; read the ledger again and renumber"
            ) from exc

    # change notification -----------------------------------------------------------------------------------
    def latest_sequence(self, election_id: str) -> int | None:
        r = t.releases
        with self._db.read() as conn:
            latest = conn.execute(
                select(func.max(r.c.sequence)).where(r.c.election_id == election_id)
            ).scalar()
        return None if latest is None else int(latest)

    def wait_for_release(self, election_id: str, after: int | None, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        listener = self._db.listener() if self.dialect == "postgresql" else None
        while True:
            latest = self.latest_sequence(election_id)
            if latest is not None and (after is None or latest > after):
                return latest
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if listener is None:
                time.sleep(min(self.poll_interval, remaining))
                continue
            try:
                for _ in listener.notifies(timeout=remaining, stop_after=1):
                    pass
            except Exception:  # the server went away: poll until it is back
                self._db.drop_listener()
                listener = None

    # money (issue 21) ------------------------------------------------------------------------------------
    def put_money(self, raw: RawPayload, format: str, filings: Sequence[StoredFiling]) -> bool:
        with self._db.write() as conn:
            conn.execute(self._insert(t.raw_payloads).on_conflict_do_nothing(), codec.raw_row(raw))
            done = conn.execute(
                self._insert(t.money_payloads)
                .on_conflict_do_nothing()
                .returning(t.money_payloads.c.content_hash),
                {"content_hash": raw.content_hash, "format": format, "stored_us": now_us()},
            ).first()
            if done is None:
                return False
            rows = [money_rows.filing_row(f, n) for n, f in enumerate(filings)]
            if rows:
                conn.execute(t.money_filings.insert(), rows)
        return True

    def money_payloads(self) -> list[StoredMoney]:
        m, r = t.money_payloads, t.raw_payloads
        query = select(m.c.content_hash, m.c.format, m.c.stored_us, r.c.origin).join(
            r, r.c.content_hash == m.c.content_hash
        )
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(m.c.stored_us, m.c.content_hash)).all()
        return [
            StoredMoney(
                content_hash=row.content_hash,
                format=row.format,
                origin=row.origin,
                stored_at=from_us(row.stored_us, "UTC"),
            )
            for row in rows
        ]

    def money_filings(self) -> list[StoredFiling]:
        f, m = t.money_filings, t.money_payloads
        query = select(f).join(m, m.c.content_hash == f.c.content_hash)
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(m.c.stored_us, f.c.content_hash, f.c.position))
            return [money_rows.read_filing(row) for row in rows.all()]

    # inspection ------------------------------------------------------------------------------------------
    def row_counts(self) -> dict[str, int]:
        """Rows in every table (for ``racedesk`` status pages and tests)."""
        with self._db.read() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
                for table in t.TABLES
            }


__all__ = ["COMPRESS_ALONGSIDE", "RELEASE_CACHE", "SNAPSHOT_CACHE", "STATES_CACHE", "SqlStore"]
