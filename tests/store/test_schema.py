"""The migrations build exactly the tables ``racedesk.store.schema`` describes, on both
backends, and any number of processes may open (and so migrate) the same new database."""

from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from racedesk.store import migrations
from racedesk.store import schema as t
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
