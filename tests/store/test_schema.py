"""The migrations build exactly the tables ``racedesk.store.schema`` describes, on both
backends, keep what a database holds, and any number of processes may open (and so migrate) the
same new database."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from store_support import Feed

from racedesk.store import migrations
from racedesk.store import schema as t
from racedesk.store.base import StoredRelease
from racedesk.store.sql import SqlStore


def test_the_migrations_make_the_schema(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diff == []
    names = set(inspect(store.engine).get_table_names())
    assert {table.name for table in t.TABLES} <= names


def test_the_migrations_go_down_and_up_again(store: SqlStore) -> None:
    cfg = migrations.config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert not {table.name for table in t.TABLES} & set(inspect(store.engine).get_table_names())
    with store.engine.begin() as conn:
        migrations.upgrade(conn)
        assert migrations.current(conn) == migrations.head()


def test_contest_states_survive_the_move_into_snapshots_and_back(
    store_url: str, general: Feed
) -> None:
    """0002 moved the states from a row per contest into each snapshot's row: a database
    written with the rows (made here by going down to 0001) comes back up with every state."""
    store = SqlStore(store_url)
    eid = general.election.id
    store.put_election(general.election)
    for release, snap in list(zip(general.releases, general.snapshots, strict=True))[:3]:
        assert store.commit_release(StoredRelease(release=release), snap) is not None
    cfg = migrations.config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        rows = conn.exec_driver_sql("SELECT count(*) FROM contest_states").scalar()
        assert rows == 3 * len(general.election.contests)
    store.close()
    reopened = SqlStore(store_url)  # migrates to the newest revision again
    for k in range(3):
        assert reopened.snapshot_at(eid, k) == general.snapshots[k]
    assert reopened.contest_history(eid, "9547") == [s.state("9547") for s in general.snapshots[:3]]
    reopened.close()


def test_a_new_sqlite_file_held_by_another_connection_is_waited_for(tmp_path: Path) -> None:
    """SQLite answers "database is locked" at once, without waiting, to a switch to write-ahead
    logging while another connection is about to write the file: opening a store waits for it as
    for any other lock (four openers of a new file raced into this)."""
    path = tmp_path / "held.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE elsewhere (x INTEGER)")
    other.execute("BEGIN IMMEDIATE")  # the write lock, still in the rollback journal
    errors: list[BaseException] = []
    opened: list[SqlStore] = []

    def open_it() -> None:
        try:
            opened.append(SqlStore(f"sqlite:///{path}"))
        except BaseException as exc:
            errors.append(exc)

    opener = threading.Thread(target=open_it)
    opener.start()
    time.sleep(0.3)
    assert not opened and not errors  # still waiting for the reader
    other.execute("COMMIT")
    other.close()
    opener.join(timeout=60)
    assert errors == [] and len(opened) == 1
    with opened[0].engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert migrations.current(conn) == migrations.head()
    opened[0].close()


def test_many_openers_of_a_new_database_all_succeed(store_url: str) -> None:
    errors: list[BaseException] = []
    opened: list[SqlStore] = []

    def open_it() -> None:
        try:
            opened.append(SqlStore(store_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    assert len(opened) == 4
    with opened[0].engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
    for s in opened:
        s.close()
