"""Alembic's entry point: run the migrations on the connection racedesk hands over.

racedesk applies migrations itself (``racedesk.store.migrations.upgrade``); this file also lets
a developer use the ``alembic`` command with ``-x url=…`` to write a new revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from racedesk.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database with: alembic -x url=sqlite:///file.sqlite …")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("racedesk's migrations run online only")
run_migrations_online()
