"""The store on SQLite or PostgreSQL, through SQLAlchemy Core (see ``docs/store.md``).

One implementation serves both backends; the differences are kept to a few places:

- **transactions**: SQLite runs in WAL mode with a busy timeout; writers open ``BEGIN
  IMMEDIATE`` (one writer at a time, readers never blocked), readers a deferred ``BEGIN`` (a
  consistent view across their statements). PostgreSQL writers use READ COMMITTED and rely on
  the unique constraints; readers use REPEATABLE READ.
- **change notification**: on PostgreSQL a commit sends ``NOTIFY racedesk_releases`` inside its
  transaction and :meth:`SqlStore.wait_for_release` ``LISTEN``\\s; on SQLite it polls
  :meth:`SqlStore.latest_sequence`.

Append-only throughout: every method inserts or reads, none updates or deletes.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from itertools import chain, count, groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.pool import StaticPool

from racedesk.errors import SequenceConflict, StoreError
from racedesk.model import (
    ContestCount,
    Election,
    OutstandingReport,
    RawPayload,
    Release,
    sha256_hex,
)
from racedesk.model.answers import CallEvent, ContestState, Problem, Snapshot
from racedesk.store import schema as t
from racedesk.store.base import Quarantined, StoredRelease, StoreUnavailable
from racedesk.store.compression import compress_payload, decompress_payload
from racedesk.store.migrations import upgrade

#: PostgreSQL channel that every committed release is announced on (payload ``id\tsequence``).
CHANNEL = "racedesk_releases"

#: How long a SQLite writer waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 30.0

#: How many rebuilt releases a store keeps in memory (an LA general release is ~1 MB of objects).
RELEASE_CACHE = 256

#: How many decoded snapshots a store keeps in memory (a web server reads the latest often).
SNAPSHOT_CACHE = 16

#: How many snapshots' contest states (split, not decoded: ~470 KB an LA release) a store keeps
#: for contest histories (``racedesk status --contest`` reads one per contest it matches).
STATES_CACHE = 64

#: zlib level for snapshots and definitions (payloads: see ``racedesk.store.compression``):
#: level 1 shrinks a snapshot about 4×, in a sixth of level 6's time.
ZLIB_LEVEL = 1

#: From how many bytes a snapshot (without its states) is compressed on another thread.
COMPRESS_ALONGSIDE = 64 * 1024

#: From how many rows PostgreSQL is sent a COPY rather than INSERTs.
_COPY_FROM = 20

_release_contest = itemgetter(0, 1)
_choice_votes = itemgetter(2, 3)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
#: Later than any time kept (in microseconds since 1970): "as of" with no limit.
_FOREVER_US = 2**62

_json = msgspec.json.Encoder()
_pack = msgspec.msgpack.Encoder()


def _null(value: None) -> None:
    return value


# Python's sqlite3 binds a None through its adaptation protocol, which on CPython 3.11 looks
# for ``__adapt__`` on the protocol's type and formats an AttributeError for every NULL: half
# the time of a release's contest_counts insert (1,119 NULL counters for LA). An adapter for
# None is found first and binds the same NULL.
sqlite3.register_adapter(type(None), _null)
_election_dec = msgspec.json.Decoder(Election)
_problems_dec = msgspec.json.Decoder(tuple[Problem, ...])
_unused_dec = msgspec.json.Decoder(tuple[int, ...])
_by_type_dec = msgspec.json.Decoder(dict[str, dict[str, int]])
_snapshot_dec = msgspec.msgpack.Decoder(Snapshot)
_state_dec = msgspec.msgpack.Decoder(ContestState)
_states_dec = msgspec.msgpack.Decoder(tuple[ContestState, ...])
_raw_states_dec = msgspec.msgpack.Decoder(list[msgspec.Raw])
_event_dec = msgspec.msgpack.Decoder(CallEvent)
_report_dec = msgspec.msgpack.Decoder(OutstandingReport)


# --- times --------------------------------------------------------------------------------------


def to_us(moment: datetime, what: str = "time") -> int:
    """Whole microseconds since 1970-01-01 UTC; refuses a time without a zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StoreError(f"{what} {moment.isoformat()} has no time zone")
    return (moment - _EPOCH) // _US


def zone_name(moment: datetime) -> str:
    """The name of a time's zone: an IANA key, ``UTC``, or its offset (``-08:00``)."""
    tz = moment.tzinfo
    if isinstance(tz, ZoneInfo) and tz.key:
        return tz.key
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | timezone:
    if name == "UTC":
        return UTC
    if name[:1] in "+-" and ":" in name:
        hours, minutes = name[1:].split(":")
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-offset if name[0] == "-" else offset)
    return ZoneInfo(name)


def from_us(us: int, zone: str) -> datetime:
    """The time ``us`` microseconds after 1970-01-01 UTC, in the named zone."""
    return (_EPOCH + timedelta(microseconds=us)).astimezone(_zone(zone))


def _now_us() -> int:
    return to_us(datetime.now(tz=UTC))


# --- URLs and engines ----------------------------------------------------------------------------


def database_url(url: str) -> URL:
    """The SQLAlchemy URL for a racedesk database URL: ``sqlite:///path`` (parent folders are
    created), ``sqlite://`` (in memory, one process), ``postgresql://…`` or
    ``postgres://…`` (always through psycopg 3)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"cannot read the database URL {url!r}",
            hint="use sqlite:///path/to/file.sqlite or postgresql://user:password@host/dbname",
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return parsed.set(drivername="sqlite")
    raise StoreError(
        f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)}",
        hint="racedesk stores to SQLite (sqlite:///file) or PostgreSQL (postgresql://…)",
    )


def _sqlite_engine(url: URL) -> Engine:
    memory = not url.database or url.database == ":memory:"
    if memory:
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False}
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # racedesk opens every transaction itself (see _on_begin), so that a writer can take the
        # write lock up front with BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            _use_wal(cursor)
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("racedesk_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to write-ahead logging (it stays so: usually there is nothing to do).

    While another connection holds the write lock of a file still in the rollback journal (a
    store created at the same moment), SQLite answers the switch "database is locked" at once
    instead of waiting for the lock: it is tried again, as long as a lock is waited for.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(2 * pause, 0.1)


def _postgres_engine(url: URL) -> Engine:
    return create_engine(url, pool_pre_ping=True)


# --- encoding helpers --------------------------------------------------------------------------------


def _localize_snapshot(snapshot: Snapshot, zone: str) -> Snapshot:
    """MessagePack keeps instants in UTC: put a snapshot's times back in the release's zone."""
    tz = _zone(zone)
    replace = msgspec.structs.replace
    ballots_left = snapshot.ballots_left
    if ballots_left.as_of is not None:
        ballots_left = replace(ballots_left, as_of=ballots_left.as_of.astimezone(tz))
    return replace(
        snapshot,
        feed_time=snapshot.feed_time.astimezone(tz),
        ballots_left=ballots_left,
        states=tuple(replace(s, feed_time=s.feed_time.astimezone(tz)) for s in snapshot.states),
        new_events=tuple(
            replace(e, release_time=e.release_time.astimezone(tz)) for e in snapshot.new_events
        ),
    )


# --- the store ------------------------------------------------------------------------------------


class SqlStore:
    """The append-only store over SQLite or PostgreSQL (see :class:`racedesk.store.base.Store`).

    ``url`` is shown with its password hidden. ``migrate`` brings the schema to the newest
    revision on opening (every process may do so: migrations are serialised). ``poll_interval``
    is how often :meth:`wait_for_release` polls on SQLite.
    """

    def __init__(self, url: str, *, migrate: bool = True, poll_interval: float = 0.1) -> None:
        sa_url = database_url(url)
        self.url = sa_url.render_as_string(hide_password=True)
        self.dialect = sa_url.get_backend_name()
        self.poll_interval = poll_interval
        self._sa_url = sa_url
        self._local = threading.local()
        self._listeners: list[Any] = []
        self._listeners_lock = threading.Lock()
        self._election_keys: dict[str, int] = {}
        self._statements: dict[str, str] = {}
        self._variables: int | None = None
        self._compressor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="racedesk-zlib")
        self._cache_lock = threading.Lock()
        self._release_cache: OrderedDict[int, StoredRelease] = OrderedDict()
        self._snapshot_cache: OrderedDict[int, Snapshot] = OrderedDict()
        self._states_cache: OrderedDict[int, list[msgspec.Raw]] = OrderedDict()
        self._writer: Engine
        self._reader: Engine
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(sa_url)
            self._writer = self.engine.execution_options(racedesk_begin="IMMEDIATE")
            self._reader = self.engine
        else:
            self.engine = _postgres_engine(sa_url)
            self._writer = self.engine
            self._reader = self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._insert = sqlite_dialect.insert if self.dialect == "sqlite" else pg_dialect.insert
        if migrate:
            with self._write() as conn:
                upgrade(conn)

    def __repr__(self) -> str:
        return f"SqlStore({self.url!r})"

    # transactions -------------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._writer.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreUnavailable(
                f"the database could not complete a write: {exc.orig}", where=self.url
            ) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._reader.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreUnavailable(
                f"the database could not be read: {exc.orig}", where=self.url
            ) from exc

    def close(self) -> None:
        with self._listeners_lock:
            for listener in self._listeners:
                with suppress(Exception):  # already broken: closing is all that is left to do
                    listener.close()
            self._listeners.clear()
        self._compressor.shutdown(wait=True)
        self.engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # elections ------------------------------------------------------------------------------------
    def put_election(self, election: Election) -> int:
        definition = _json.encode(election)
        digest = sha256_hex(definition)
        d = t.election_definitions
        for _attempt in range(3):
            try:
                with self._write() as conn:
                    latest = conn.execute(
                        select(d.c.version, d.c.digest)
                        .where(d.c.election_id == election.id)
                        .order_by(d.c.version.desc())
                        .limit(1)
                    ).first()
                    if latest is not None and latest.digest == digest:
                        return int(latest.version)
                    now = _now_us()
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
        with self._read() as conn:
            blob = conn.execute(query.order_by(d.c.version.desc()).limit(1)).scalar()
        if blob is None:
            which = f"version {version} of election" if version is not None else "election"
            raise StoreError(
                f"no {which} {election_id!r} in the store",
                where=self.url,
                hint="ingest its definition first (racedesk ingest)",
            )
        return _election_dec.decode(zlib.decompress(blob))

    def elections(self) -> list[Election]:
        d = t.election_definitions
        with self._read() as conn:
            rows = conn.execute(
                select(d.c.election_id, d.c.definition).order_by(d.c.election_id, d.c.version)
            ).all()
        latest: dict[str, bytes] = {}
        for row in rows:
            latest[row.election_id] = row.definition
        return [_election_dec.decode(zlib.decompress(blob)) for blob in latest.values()]

    def election_versions(self, election_id: str) -> list[tuple[int, datetime]]:
        """Every version of an election's definition with the time it was stored."""
        d = t.election_definitions
        with self._read() as conn:
            rows = conn.execute(
                select(d.c.version, d.c.stored_us)
                .where(d.c.election_id == election_id)
                .order_by(d.c.version)
            ).all()
        return [(int(r.version), from_us(r.stored_us, "UTC")) for r in rows]

    # raw payloads ------------------------------------------------------------------------------------
    @staticmethod
    def _raw_row(raw: RawPayload) -> dict[str, Any]:
        """The ``raw_payloads`` row of a payload (its bytes compressed, see
        :mod:`racedesk.store.compression`), refused when they do not have the hash it claims."""
        if sha256_hex(raw.data) != raw.content_hash:
            raise StoreError(
                f"the payload's bytes do not have the SHA-256 it claims ({raw.content_hash[:12]}…)",
                where=raw.origin or raw.source,
            )
        return {
            "content_hash": raw.content_hash,
            "source": raw.source,
            "received_us": to_us(raw.received_at, "received_at"),
            "received_tz": zone_name(raw.received_at),
            "origin": raw.origin,
            "size": len(raw.data),
            "data": compress_payload(raw.data),
        }

    def put_raw(self, raw: RawPayload) -> bool:
        row = _row(t.raw_payloads, self._raw_row(raw))
        with self._write() as conn:
            done = conn.exec_driver_sql(self._sql("put-raw"), row).first()
        return done is not None

    def has_raw(self, content_hash: str) -> bool:
        r = t.raw_payloads
        with self._read() as conn:
            return (
                conn.execute(select(r.c.size).where(r.c.content_hash == content_hash)).first()
                is not None
            )

    def raw(self, content_hash: str) -> RawPayload | None:
        r = t.raw_payloads
        with self._read() as conn:
            row = conn.execute(select(r).where(r.c.content_hash == content_hash)).first()
        if row is None:
            return None
        return RawPayload(
            content_hash=row.content_hash,
            source=row.source,
            received_at=from_us(row.received_us, row.received_tz),
            data=decompress_payload(row.data, row.size),
            origin=row.origin,
        )

    def quarantine(self, raw: RawPayload, reason: str) -> None:
        row = self._raw_row(raw)
        with self._write() as conn:
            conn.execute(self._insert(t.raw_payloads).on_conflict_do_nothing(), row)
            conn.execute(
                self._insert(t.quarantine).on_conflict_do_nothing(),
                {
                    "content_hash": raw.content_hash,
                    "reason": reason,
                    "source": raw.source,
                    "received_us": row["received_us"],
                    "received_tz": row["received_tz"],
                    "origin": raw.origin,
                    "stored_us": _now_us(),
                },
            )

    def quarantined(self) -> list[Quarantined]:
        q = t.quarantine
        with self._read() as conn:
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
        release = stored.release
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
        key = (self._election_key(eid) << t.RELEASE_KEY_SHIFT) + seq
        # Rows are made and the snapshot encoded before the transaction, so that the write lock
        # is held only for the inserts. zlib runs without the GIL: a large snapshot (with its
        # projections and calls) is compressed on another thread while this one encodes its
        # states and makes the rows; a small one (about 1 KB without them) at once, as handing
        # it over costs more than compressing it.
        compressed: Future[bytes] | None = None
        if snapshot is not None:
            packed = _pack.encode(msgspec.structs.replace(snapshot, states=()))
            if len(packed) >= COMPRESS_ALONGSIDE:
                compressed = self._compressor.submit(zlib.compress, packed, ZLIB_LEVEL)
            else:
                compressed = Future()
                compressed.set_result(zlib.compress(packed, ZLIB_LEVEL))
        contest_rows, choice_rows = _count_rows(key, release)
        snapshot_row: dict[str, Any] | None = None
        event_rows: list[dict[str, Any]] = []
        if snapshot is not None and compressed is not None:
            states = _pack.encode(snapshot.states)
            event_rows = [_event_row(eid, e) for e in snapshot.new_events]
            snapshot_row = {
                "release_key": key,
                "election_id": eid,
                "sequence": seq,
                "feed_us": to_us(release.feed_time, "feed_time"),
                "feed_tz": zone_name(release.feed_time),
                "usable": snapshot.usable,
                "model_version": snapshot.model_version,
                "data": compressed.result(),
                "states": states,
            }
        try:
            with self._write() as conn:
                latest, known = conn.exec_driver_sql(
                    self._sql("latest"), (release.content_hash, eid)
                ).one()
                if known:
                    return None
                expected = 0 if latest is None else int(latest) + 1
                if seq < expected:
                    raise SequenceConflict(
                        f"{eid}: release #{seq} is taken (latest is #{latest}); recompute and retry"
                    )
                if seq > expected:
                    raise StoreError(
                        f"release #{seq} would leave a gap: the next release is #{expected}",
                        where=eid,
                    )
                self._bulk(conn, t.releases, [_row(t.releases, self._release_row(key, stored))])
                self._bulk(conn, t.contest_counts, contest_rows)
                self._bulk(conn, t.choice_counts, choice_rows)
                if snapshot_row is not None:
                    self._bulk(conn, t.snapshots, [_row(t.snapshots, snapshot_row)])
                    self._bulk(conn, t.call_events, [_row(t.call_events, e) for e in event_rows])
                if self.dialect == "postgresql":
                    conn.exec_driver_sql(self._sql("notify"), (CHANNEL, f"{eid}\t{seq}"))
        except IntegrityError as exc:
            return self._after_conflict(stored, exc)
        return stored

    def _election_key(self, election_id: str) -> int:
        key = self._election_keys.get(election_id)
        if key is None:
            e = t.elections
            with self._read() as conn:
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

    def _sql(self, name: str, rows: int = 1) -> str:
        """The few statements of an ingest (its writes, and the reads it makes on every
        release), as prepared text for the backend's driver: no SQL to compile on the way.
        A table's name gives its insert, of ``rows`` rows at once."""
        key = name if rows == 1 else f"{name}*{rows}"
        found = self._statements.get(key)
        if found is None:
            mark = "?" if self.dialect == "sqlite" else "%s"
            if name == "latest":
                found = (
                    f"SELECT max(sequence), max(CASE WHEN content_hash = {mark} THEN 1 END)"
                    f" FROM releases WHERE election_id = {mark}"
                )
            elif name == "notify":
                found = f"SELECT pg_notify({mark}, {mark})"
            elif name == "put-raw":
                found = f"{self._sql('raw_payloads')} ON CONFLICT DO NOTHING RETURNING size"
            elif name == "outstanding":
                found = (
                    f"SELECT data, as_of_tz FROM outstanding_reports WHERE election_id = {mark}"
                    f" AND as_of_us <= {mark} ORDER BY as_of_us, report_id"
                )
            else:
                table = t.metadata.tables[name]
                names = ", ".join(c.name for c in table.columns)
                marks = "(" + ", ".join(mark for _ in table.columns) + ")"
                found = f"INSERT INTO {name} ({names}) VALUES {', '.join([marks] * rows)}"
            self._statements[key] = found
        return found

    def _bulk(self, conn: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows (tuples in the table's column order, plain ints, strings, bools and
        bytes) in the caller's transaction, by prepared statements through the driver: on
        SQLite a statement of many ``VALUES`` takes them all at once (up to the driver's limit
        of parameters; a statement per row took twice as long), on PostgreSQL a ``COPY`` (never
        a multi-VALUES insert, whose parameters are limited to 65,535)."""
        if not rows:
            return
        if len(rows) == 1:
            conn.exec_driver_sql(self._sql(table.name), rows[0])
        elif self.dialect == "sqlite":
            per = self._sqlite_variables(conn) // len(table.columns)
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                values = tuple(chain.from_iterable(chunk))
                conn.exec_driver_sql(self._sql(table.name, len(chunk)), values)
        elif len(rows) > _COPY_FROM:
            names = ", ".join(c.name for c in table.columns)
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            conn.exec_driver_sql(self._sql(table.name), rows)

    def _sqlite_variables(self, conn: Connection) -> int:
        """How many parameters one SQLite statement may have (32,766 since SQLite 3.32)."""
        if self._variables is None:
            driver = conn.connection.driver_connection
            self._variables = int(driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))  # type: ignore[union-attr]
        return self._variables

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

    def _known(self, conn: Connection, election_id: str) -> bool:
        e = t.elections
        return (
            conn.execute(select(e.c.stored_us).where(e.c.election_id == election_id)).first()
            is not None
        )

    @staticmethod
    def _release_row(key: int, stored: StoredRelease) -> dict[str, Any]:
        release = stored.release
        return {
            "release_key": key,
            "election_id": release.election_id,
            "sequence": release.sequence,
            "content_hash": release.content_hash,
            "source": release.source,
            "feed_us": to_us(release.feed_time, "feed_time"),
            "feed_tz": zone_name(release.feed_time),
            "received_us": to_us(release.received_at, "received_at"),
            "received_tz": zone_name(release.received_at),
            "status": release.status,
            "ballots_counted": release.ballots_counted,
            "ballots_mail": release.ballots_mail,
            "ballots_in_person": release.ballots_in_person,
            "usable": stored.usable,
            "correction": stored.correction,
            "problems": _json.encode(stored.problems).decode(),
            "stored_us": _now_us(),
        }

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
        with self._cache_lock:
            for h in heads:
                hit = self._release_cache.get(h.release_key)
                if hit is not None:
                    self._release_cache.move_to_end(h.release_key)
                    found[h.release_key] = hit
        missing = [h for h in heads if h.release_key not in found]
        if missing:
            rebuilt = self._rebuild(conn, missing, where if len(missing) == len(heads) else None)
            with self._cache_lock:
                for stored_release, h in zip(rebuilt, missing, strict=True):
                    found[h.release_key] = stored_release
                    self._release_cache[h.release_key] = stored_release
                while len(self._release_cache) > RELEASE_CACHE:
                    self._release_cache.popitem(last=False)
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
        votes = {
            group: dict(map(_choice_votes, rows))
            for group, rows in groupby(choice_rows, _release_contest)
        }
        contests: dict[int, list[ContestCount]] = {h.release_key: [] for h in heads}
        for key, contest_id, *counters in contest_rows:
            contests[key].append(
                ContestCount(
                    contest_id=contest_id,
                    votes=votes.get((key, contest_id)) or {},
                    write_ins=counters[0],
                    ballots=counters[1],
                    full=counters[2],
                    partial=counters[3],
                    undervotes=counters[4],
                    overvotes=counters[5],
                    unused=_unused_dec.decode(counters[6]) if counters[6] != "[]" else (),
                    votes_by_type=_by_type_dec.decode(counters[7]) if counters[7] else {},
                    precincts_reporting=counters[8],
                    precincts_total=counters[9],
                )
            )
        return [
            StoredRelease(
                release=Release(
                    election_id=h.election_id,
                    source=h.source,
                    feed_time=from_us(h.feed_us, h.feed_tz),
                    received_at=from_us(h.received_us, h.received_tz),
                    content_hash=h.content_hash,
                    contests=tuple(contests[h.release_key]),
                    ballots_counted=h.ballots_counted,
                    ballots_mail=h.ballots_mail,
                    ballots_in_person=h.ballots_in_person,
                    status=h.status,
                    sequence=h.sequence,
                ),
                problems=_problems_dec.decode(h.problems),
                usable=bool(h.usable),
                correction=bool(h.correction),
            )
            for h in heads
        ]

    def releases(self, election_id: str, as_of: datetime | None = None) -> list[StoredRelease]:
        with self._read() as conn:
            return self._releases(conn, election_id, as_of)

    def release(self, election_id: str, sequence: int) -> StoredRelease:
        with self._read() as conn:
            found = self._releases(conn, election_id, None, sequence)
        if not found:
            raise StoreError(
                f"no release #{sequence} of {election_id!r} in the store", where=self.url
            )
        return found[0]

    def latest_release(self, election_id: str) -> StoredRelease | None:
        r = t.releases
        with self._read() as conn:
            latest = conn.execute(
                select(func.max(r.c.sequence)).where(r.c.election_id == election_id)
            ).scalar()
            if latest is None:
                return None
            return self._releases(conn, election_id, None, int(latest))[0]

    def has_release(self, election_id: str, content_hash: str) -> bool:
        r = t.releases
        with self._read() as conn:
            found = conn.execute(
                select(r.c.sequence).where(
                    r.c.election_id == election_id, r.c.content_hash == content_hash
                )
            ).first()
        return found is not None

    # derived state ----------------------------------------------------------------------------------------
    def snapshot(self, election_id: str, as_of: datetime | None = None) -> Snapshot | None:
        s = t.snapshots
        query = select(s.c.release_key, s.c.feed_tz).where(s.c.election_id == election_id)
        if as_of is not None:
            query = query.where(s.c.feed_us <= to_us(as_of, "as_of"))
        with self._read() as conn:
            row = conn.execute(query.order_by(s.c.sequence.desc()).limit(1)).first()
            if row is None:
                return None
            return self._snapshot(conn, row.release_key, row.feed_tz)

    def snapshot_at(self, election_id: str, sequence: int) -> Snapshot | None:
        s = t.snapshots
        with self._read() as conn:
            row = conn.execute(
                select(s.c.release_key, s.c.feed_tz).where(
                    s.c.election_id == election_id, s.c.sequence == sequence
                )
            ).first()
            if row is None:
                return None
            return self._snapshot(conn, row.release_key, row.feed_tz)

    def _snapshot(self, conn: Connection, key: int, zone: str) -> Snapshot:
        """The snapshot of release ``key``: its blob with its contest states. Snapshots never
        change once written, so the latest :data:`SNAPSHOT_CACHE` read are kept."""
        with self._cache_lock:
            hit = self._snapshot_cache.get(key)
            if hit is not None:
                self._snapshot_cache.move_to_end(key)
                return hit
        s = t.snapshots
        blob, states = conn.execute(
            select(s.c.data, s.c.states).where(s.c.release_key == key)
        ).one()
        snapshot = _localize_snapshot(
            msgspec.structs.replace(
                _snapshot_dec.decode(zlib.decompress(blob)), states=_states_dec.decode(states)
            ),
            zone,
        )
        with self._cache_lock:
            self._snapshot_cache[key] = snapshot
            while len(self._snapshot_cache) > SNAPSHOT_CACHE:
                self._snapshot_cache.popitem(last=False)
        return snapshot

    def contest_history(self, election_id: str, contest_id: str) -> list[ContestState]:
        """One contest's state after every release, picked out of each snapshot's states: only
        that state is decoded, and a snapshot's states, once read, are kept (split, not
        decoded) for the next contest's history."""
        s = t.snapshots
        out = []
        at = 0
        with self._read() as conn:
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
                    at = _position(found, contest_id, at)
                    if at < 0:
                        at = 0
                        continue
                    state = _state_dec.decode(found[at])
                    when = state.feed_time.astimezone(_zone(zone))
                    out.append(msgspec.structs.replace(state, feed_time=when))
        return out

    def _state_arrays(self, conn: Connection, keys: list[int]) -> list[list[msgspec.Raw]]:
        """The contest states of the snapshots of releases ``keys``, each split into its
        states' MessagePack; the latest :data:`STATES_CACHE` read are kept."""
        found: dict[int, list[msgspec.Raw]] = {}
        with self._cache_lock:
            for key in keys:
                hit = self._states_cache.get(key)
                if hit is not None:
                    self._states_cache.move_to_end(key)
                    found[key] = hit
        missing = [key for key in keys if key not in found]
        if missing:
            s = t.snapshots
            rows = conn.execute(
                select(s.c.release_key, s.c.states).where(s.c.release_key.in_(missing))
            ).all()
            with self._cache_lock:
                for key, states in rows:
                    found[key] = self._states_cache[key] = _raw_states_dec.decode(states)
                while len(self._states_cache) > STATES_CACHE:
                    self._states_cache.popitem(last=False)
        return [found[key] for key in keys]

    # outstanding reports ------------------------------------------------------------------------------------
    def put_outstanding(self, election_id: str, report: OutstandingReport) -> bool:
        data = _pack.encode(report)
        row = {
            "election_id": election_id,
            "as_of_us": to_us(report.as_of, "as_of"),
            "as_of_tz": zone_name(report.as_of),
            "total": report.total,
            "digest": sha256_hex(data),
            "stored_us": _now_us(),
            "data": data,
        }
        with self._write() as conn:
            if not self._known(conn, election_id):
                raise StoreError(f"no election {election_id!r} in the store", where=self.url)
            done = conn.execute(
                self._insert(t.outstanding_reports)
                .on_conflict_do_nothing()
                .returning(t.outstanding_reports.c.report_id),
                row,
            ).first()
        return done is not None

    def outstanding(
        self, election_id: str, as_of: datetime | None = None
    ) -> list[OutstandingReport]:
        upto = _FOREVER_US if as_of is None else to_us(as_of, "as_of")
        with self._read() as conn:
            rows = conn.exec_driver_sql(self._sql("outstanding"), (election_id, upto)).all()
        out = []
        for data, zone in rows:
            report = _report_dec.decode(data)
            out.append(msgspec.structs.replace(report, as_of=report.as_of.astimezone(_zone(zone))))
        return out

    # the call ledger ---------------------------------------------------------------------------------------
    def ledger(self, election_id: str, as_of: datetime | None = None) -> list[CallEvent]:
        c = t.call_events
        query = select(c.c.data, c.c.release_tz).where(c.c.election_id == election_id)
        if as_of is not None:
            query = query.where(c.c.release_us <= to_us(as_of, "as_of"))
        with self._read() as conn:
            rows = conn.execute(query.order_by(c.c.event_id)).all()
        out = []
        for row in rows:
            event_ = _event_dec.decode(row.data)
            out.append(
                msgspec.structs.replace(
                    event_, release_time=event_.release_time.astimezone(_zone(row.release_tz))
                )
            )
        return out

    def append_calls(self, election_id: str, events: Sequence[CallEvent]) -> None:
        if not events:
            return
        rows = [_event_row(election_id, e) for e in events]
        try:
            with self._write() as conn:
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
        with self._read() as conn:
            latest = conn.execute(
                select(func.max(r.c.sequence)).where(r.c.election_id == election_id)
            ).scalar()
        return None if latest is None else int(latest)

    def wait_for_release(self, election_id: str, after: int | None, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        listener = self._listener() if self.dialect == "postgresql" else None
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
                self._drop_listener()
                listener = None

    def _listener(self) -> Any:
        """This thread's PostgreSQL connection that LISTENs for releases (made on first use)."""
        listener = getattr(self._local, "listener", None)
        if listener is not None and not listener.closed:
            return listener
        import psycopg

        args = self._sa_url.translate_connect_args(username="user", database="dbname")
        args.update({k: v for k, v in self._sa_url.query.items() if isinstance(v, str)})
        try:
            listener = psycopg.connect(autocommit=True, **args)
            listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            return None
        self._local.listener = listener
        with self._listeners_lock:
            self._listeners.append(listener)
        return listener

    def _drop_listener(self) -> None:
        listener = getattr(self._local, "listener", None)
        self._local.listener = None
        if listener is not None:
            with suppress(Exception):  # already broken
                listener.close()

    # inspection ------------------------------------------------------------------------------------------
    def row_counts(self) -> dict[str, int]:
        """Rows in every table (for ``racedesk`` status pages and tests)."""
        with self._read() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
                for table in t.TABLES
            }


class _ContestId(msgspec.Struct):
    """The one field of a contest state that says whose it is (the others are skipped)."""

    contest_id: str


_contest_id_dec = msgspec.msgpack.Decoder(_ContestId)


def _position(states: list[msgspec.Raw], contest_id: str, hint: int) -> int:
    """Where the state of ``contest_id`` is among a snapshot's states (-1 when it has none),
    looking first at ``hint`` (a contest keeps its place from one release to the next)."""
    decode = _contest_id_dec.decode
    if hint < len(states) and decode(states[hint]).contest_id == contest_id:
        return hint
    for i, raw in enumerate(states):
        if decode(raw).contest_id == contest_id:
            return i
    return -1


def _row(table: Table, values: dict[str, Any]) -> tuple[Any, ...]:
    """A row given by column names, as a tuple in the table's column order."""
    return tuple(values[c.name] for c in table.columns)


def _count_rows(key: int, release: Release) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of ``contest_counts`` and ``choice_counts`` for a release, in column order. The
    choices' rows are zipped from the counts laid flat (the contests' order, then each
    contest's own), with no Python per choice."""
    encode = _json.encode
    counts = release.contests
    contest_rows = [
        (
            key,
            i,
            c.contest_id,
            c.write_ins,
            c.ballots,
            c.full,
            c.partial,
            c.undervotes,
            c.overvotes,
            encode(c.unused).decode(),
            encode(c.votes_by_type).decode() if c.votes_by_type else None,
            c.precincts_reporting,
            c.precincts_total,
        )
        for i, c in enumerate(counts)
    ]
    contest_of = chain.from_iterable(
        map(repeat, [c.contest_id for c in counts], [len(c.votes) for c in counts])
    )
    choices = chain.from_iterable(c.votes for c in counts)
    votes = chain.from_iterable(c.votes.values() for c in counts)
    choice_rows = list(zip(repeat(key), count(), contest_of, choices, votes))
    return contest_rows, choice_rows


def _event_row(election_id: str, e: CallEvent) -> dict[str, Any]:
    return {
        "election_id": election_id,
        "event_id": e.event_id,
        "contest_id": e.contest_id,
        "status": e.status,
        "choices": " ".join(e.choices),
        "release_sequence": e.release_sequence,
        "release_hash": e.release_hash,
        "release_us": to_us(e.release_time, "release_time"),
        "release_tz": zone_name(e.release_time),
        "approved_by": e.approved_by,
        "rescinds": e.rescinds,
        "reason": e.reason,
        "stored_us": _now_us(),
        "data": _pack.encode(e),
    }


__all__ = [
    "CHANNEL",
    "SqlStore",
    "database_url",
    "from_us",
    "to_us",
    "zone_name",
]
