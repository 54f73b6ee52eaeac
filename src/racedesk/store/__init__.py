"""The append-only store: releases, raw payloads, snapshots, the call ledger.

``open_store()`` opens the database named by a URL (default: ``RACEDESK_DB``, else the SQLite
file ``var/racedesk.sqlite`` under the current folder) and brings its schema up to date:

- ``sqlite:///path/to/file.sqlite``: one file (parent folders are created), WAL mode;
- ``postgresql://user:password@host:port/dbname`` (or ``postgresql+psycopg://…``): PostgreSQL
  through psycopg 3.

Both backends are the same code (:class:`racedesk.store.sql.SqlStore`); see ``docs/store.md``.
"""

from __future__ import annotations

from racedesk.settings import database_url
from racedesk.store.base import (
    Quarantined,
    Store,
    StoredRelease,
    StoreUnavailable,
)


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default :func:`racedesk.settings.database_url`), migrated to the
    newest schema."""
    from racedesk.store.sql import SqlStore

    return SqlStore(url or database_url())


__all__ = [
    "Quarantined",
    "Store",
    "StoreUnavailable",
    "StoredRelease",
    "open_store",
]
