"""``open_store``: which backend a URL chooses, and the default from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from racedesk.errors import StoreError
from racedesk.store import open_store
from racedesk.store.connect import database_url
from racedesk.store.sql import SqlStore


def test_the_default_is_the_sqlite_file_named_by_racedesk_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RACEDESK_DB", f"sqlite:///{tmp_path}/deep/er/racedesk.sqlite")
    store = open_store()
    assert isinstance(store, SqlStore) and store.dialect == "sqlite"
    assert (tmp_path / "deep" / "er" / "racedesk.sqlite").is_file()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()


def test_a_relative_sqlite_path_is_made_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RACEDESK_DB", raising=False)
    store = open_store()
    assert (tmp_path / "var" / "racedesk.sqlite").is_file()
    store.close()


def test_postgresql_urls_use_psycopg_3() -> None:
    for url in (
        "postgresql://u:secret@db:5432/racedesk",
        "postgres://u:secret@db:5432/racedesk",
        "postgresql+psycopg2://u:secret@db:5432/racedesk",
    ):
        assert database_url(url).drivername == "postgresql+psycopg"
        assert database_url(url).database == "racedesk"


def test_other_urls_are_refused_with_a_hint() -> None:
    with pytest.raises(StoreError, match="unsupported database 'mysql'") as caught:
        open_store("mysql://u:secret@db/racedesk")
    assert "secret" not in caught.value.message
    with pytest.raises(StoreError, match="cannot read the database URL"):
        open_store("not a url")


def test_the_url_shown_hides_the_password(store_url: str) -> None:
    store = open_store(store_url)
    assert ":racedesk@" not in store.url
    store.close()


def test_an_unreachable_server_is_reported_as_unavailable() -> None:
    from racedesk.store.base import StoreUnavailable

    with pytest.raises(StoreUnavailable):
        open_store("postgresql://nobody:x@127.0.0.1:1/none?connect_timeout=2")


def test_an_in_memory_store_works_in_one_process() -> None:
    store = open_store("sqlite://")
    assert store.latest_sequence("lavote:4324") is None
    store.close()
