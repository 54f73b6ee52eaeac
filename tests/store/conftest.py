"""Store fixtures: every store test runs on SQLite and on PostgreSQL.

- ``store_url``: a fresh SQLite file per test, and a fresh PostgreSQL schema per test in the
  database named by ``RACEDESK_TEST_PG`` (``eval "$(bash scripts/postgres.sh)"`` sets it). The
  PostgreSQL half skips with a message when that variable is empty or the server cannot be
  reached.
- ``store``: a :class:`~racedesk.store.sql.SqlStore` opened (and migrated) at that URL.
- ``general``: the LA 2024 general, parsed once per session: its election, its 32 releases
  with their sequences and payload bytes, and a snapshot per release.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from store_support import Feed, parse_feed

from racedesk.store.sql import SqlStore

_admin: dict[str, Engine | str] = {}


def _pg_admin() -> Engine:
    """An engine on the test database, made once; skips when there is none."""
    url = os.environ.get("RACEDESK_TEST_PG", "")
    if not url:
        pytest.skip(
            "PostgreSQL half skipped: RACEDESK_TEST_PG is empty "
            '(run eval "$(bash scripts/postgres.sh)" first)'
        )
    found = _admin.get(url)
    if isinstance(found, str):
        pytest.skip(found)
    if found is None:
        engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception as exc:
            shown = make_url(url).render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            _admin[url] = f"PostgreSQL half skipped: cannot reach {shown}: {reason}"
            pytest.skip(str(_admin[url]))
        _admin[url] = engine
        return engine
    return found


def pg_schema_url(base: str, schema: str) -> str:
    """``base`` with every connection's search path set to ``schema``."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/store/racedesk.sqlite"
        return
    admin = _pg_admin()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(os.environ["RACEDESK_TEST_PG"], schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    opened = SqlStore(store_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def general(general_2024: Path) -> Feed:
    return parse_feed(general_2024)
