"""What the desk's tests share: a database URL for each backend (``db_url``), SQLite in a
temporary folder and PostgreSQL in a schema of its own, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine


def pg_url() -> str:
    url = os.environ.get("RACEDESK_TEST_PG", "")
    if not url:
        pytest.skip(
            'PostgreSQL half skipped: RACEDESK_TEST_PG is empty (eval "$(bash scripts/postgres.sh)")'
        )
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/desk.sqlite"
        return
    base = pg_url()
    admin = create_engine(base)
    schema = f"d_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as exc:  # the server is down: say so rather than fail
        pytest.skip(f"PostgreSQL half skipped: {exc}")
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
