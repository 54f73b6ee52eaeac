"""The store's connections to its database: the URL, the SQLite and PostgreSQL engines, their
transactions, and the PostgreSQL connections that LISTEN for releases (see ``docs/store.md``).

The two backends differ here and hardly anywhere else:

- **transactions**: SQLite runs in WAL mode with a busy timeout; writers open ``BEGIN
  IMMEDIATE`` (one writer at a time, readers never blocked), readers a deferred ``BEGIN`` (a
  consistent view across their statements). PostgreSQL writers use READ COMMITTED and rely on
  the unique constraints; readers use REPEATABLE READ.
- **change notification**: on PostgreSQL a commit sends ``NOTIFY racedesk_releases`` inside its
  transaction and a waiting reader ``LISTEN``\\s on a connection of its own
  (:meth:`Connections.listener`); SQLite has no such thing and is polled.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from racedesk.errors import StoreError
from racedesk.store.base import StoreUnavailable

#: PostgreSQL channel that every committed release is announced on (payload ``id\tsequence``).
CHANNEL = "racedesk_releases"

#: How long a SQLite writer waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 30.0


def _null(value: None) -> None:
    return value


# Python's sqlite3 binds a None through its adaptation protocol, which on CPython 3.11 looks
# for ``__adapt__`` on the protocol's type and formats an AttributeError for every NULL: half
# the time of a release's contest_counts insert (1,119 NULL counters for LA). An adapter for
# None is found first and binds the same NULL.
sqlite3.register_adapter(type(None), _null)


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


def sqlite_engine(url: URL) -> Engine:
    """An engine on a SQLite file (write-ahead logging, busy waits) or in memory, whose
    transactions begin as their connection's ``racedesk_begin`` option says (``DEFERRED``
    unless set)."""
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


#: What a user can do about a damaged SQLite file.
DAMAGED_HINT = (
    "stop writing to it; restore the file from a backup, or recover what it holds with "
    "`sqlite3 FILE .recover | sqlite3 NEW.sqlite` and check NEW.sqlite with `racedesk check`"
)


def damaged(where: str, detail: object) -> StoreError:
    """The error of a database whose file is damaged (``detail``: what SQLite found)."""
    return StoreError(f"the database file is damaged: {detail}", where=where, hint=DAMAGED_HINT)


def _damage_or(exc: DatabaseError, where: str) -> Exception:
    """:func:`damaged` when SQLite says its file is damaged ("database disk image is
    malformed", "file is not a database": a plain ``sqlite3.DatabaseError``), else ``exc``
    itself (a constraint, a server's error)."""
    return damaged(where, exc.orig) if type(exc.orig) is sqlite3.DatabaseError else exc


def sqlite_problems(engine: Engine, *, full: bool = False) -> list[str]:
    """What SQLite finds wrong with its file: ``PRAGMA quick_check`` (every page and b-tree
    read, indexes not compared with their tables), or ``integrity_check`` with ``full``; empty
    when the file is sound. A file SQLite cannot open at all is one problem."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"PRAGMA {pragma}").fetchall()
    except DatabaseError as exc:
        return [str(exc.orig)]
    found = [str(r[0]) for r in rows if r[0] != "ok"]
    # integrity_check heads its list with "*** in database main ***" and may fold lines
    lines = [line.strip() for text in found for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith("***")]


def postgres_engine(url: URL) -> Engine:
    """An engine on a PostgreSQL server (through psycopg 3), testing a pooled connection
    before use so that a server restarted in between is reconnected to."""
    return create_engine(url, pool_pre_ping=True)


class Connections:
    """A store's connections: its engine, write and read transactions in the backend's way
    (module docstring), and on PostgreSQL each thread's LISTEN connection.

    ``url`` is shown with its password hidden; ``dialect`` is ``sqlite`` or ``postgresql``.
    """

    def __init__(self, url: str) -> None:
        sa_url = database_url(url)
        self.url = sa_url.render_as_string(hide_password=True)
        self.dialect = sa_url.get_backend_name()
        self._sa_url = sa_url
        self._local = threading.local()
        self._listeners: list[Any] = []
        self._listeners_lock = threading.Lock()
        self._writer: Engine
        self._reader: Engine
        if self.dialect == "sqlite":
            self.engine = sqlite_engine(sa_url)
            self._writer = self.engine.execution_options(racedesk_begin="IMMEDIATE")
            self._reader = self.engine
            self._check_file()
        else:
            self.engine = postgres_engine(sa_url)
            self._writer = self.engine
            self._reader = self.engine.execution_options(isolation_level="REPEATABLE READ")

    def _check_file(self) -> None:
        """Refuse a SQLite file that is damaged (:func:`sqlite_problems`) before anything
        reads or writes it: the answers it would give could be wrong."""
        path = self._sa_url.database
        if not path or path == ":memory:" or not Path(path).expanduser().is_file():
            return
        problems = sqlite_problems(self.engine)
        if problems:
            self.engine.dispose()
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise damaged(path, problems[0] + more)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back when it raises;
        :class:`StoreUnavailable` when the database cannot complete it."""
        try:
            with self._writer.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreUnavailable(
                f"the database could not complete a write: {exc.orig}", where=self.url
            ) from exc
        except DatabaseError as exc:
            raise _damage_or(exc, self.url) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent view across its statements."""
        try:
            with self._reader.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreUnavailable(
                f"the database could not be read: {exc.orig}", where=self.url
            ) from exc
        except DatabaseError as exc:
            raise _damage_or(exc, self.url) from exc

    def listener(self) -> Any:
        """This thread's PostgreSQL connection that LISTENs for releases (made on first use;
        None when the server cannot be reached)."""
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

    def drop_listener(self) -> None:
        """Forget this thread's LISTEN connection (broken: the next wait makes a new one)."""
        listener = getattr(self._local, "listener", None)
        self._local.listener = None
        if listener is not None:
            with suppress(Exception):  # already broken
                listener.close()

    def close(self) -> None:
        """Close every LISTEN connection and the engine's pool."""
        with self._listeners_lock:
            for listener in self._listeners:
                with suppress(Exception):  # already broken: closing is all that is left to do
                    listener.close()
            self._listeners.clear()
        self.engine.dispose()


__all__ = [
    "CHANNEL",
    "DAMAGED_HINT",
    "SQLITE_BUSY_TIMEOUT",
    "Connections",
    "damaged",
    "database_url",
    "postgres_engine",
    "sqlite_engine",
    "sqlite_problems",
]
