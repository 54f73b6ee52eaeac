"""Schema migrations (Alembic), applied by :func:`racedesk.store.open_store` on both backends.

No ``alembic.ini`` is needed at run time: :func:`upgrade` points Alembic at this folder and
hands it the connection. A new migration goes in ``versions/`` (``vNNNN_what.py``: see
:func:`new_revision` and ``docs/store.md``); ``racedesk.store.schema`` must describe the result,
which a test checks.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

HERE = Path(__file__).resolve().parent

#: Any fixed number: the PostgreSQL advisory lock that serialises migrations across processes.
_LOCK_KEY = 0x7261636564657368  # "racedesh" in ASCII, fits a bigint


def config() -> Config:
    """An Alembic configuration for these migrations, without a file."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    return cfg


def head() -> str | None:
    """The newest revision of the schema."""
    return ScriptDirectory.from_config(config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The revision a database is at (None for an empty one)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the database on ``connection`` to ``revision``, inside the caller's transaction.

    On PostgreSQL an advisory lock makes a second process that opens the same empty database
    wait, then find the tables made; on SQLite the caller's ``BEGIN IMMEDIATE`` does the same.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    cfg = config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def new_revision(connection: Connection, message: str, rev_id: str) -> None:
    """Write ``versions/v<rev_id>_<message>.py`` with the operations Alembic finds between
    the database on ``connection`` (at the newest revision) and ``racedesk.store.schema``,
    for a developer to check and complete."""
    cfg = config()
    cfg.attributes["connection"] = connection
    command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
