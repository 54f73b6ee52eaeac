"""``racedesk check`` and the store's health on open (issue 17, item 8; F8), on SQLite and
PostgreSQL, over the first releases of the real 2024 general."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.errors import StoreError
from racedesk.store import open_store

runner = CliRunner()


@pytest.fixture
def feed_folder(general_2024: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    (folder / "releases").mkdir(parents=True)
    (folder / "election_data.json").write_bytes((general_2024 / "election_data.json").read_bytes())
    for path in sorted((general_2024 / "releases").glob("*.json"))[:4]:
        (folder / "releases" / path.name).write_bytes(path.read_bytes())
    return folder


def _check(url: str) -> tuple[int, str]:
    """The exit code and the output without any white space (the terminal folds long lines,
    paths included, wherever its width ends): compare with :func:`sq`."""
    ran = runner.invoke(app, ["check", "--db", url])
    return ran.exit_code, sq(ran.output)


def sq(text: str) -> str:
    return "".join(text.split())


def _sql(url: str, *statements: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def test_a_whole_database_checks_whole(db_url: str, feed_folder: Path) -> None:
    assert runner.invoke(app, ["ingest", str(feed_folder), "--db", db_url]).exit_code == 0
    code, said = _check(db_url)
    assert code == 0, said
    assert said.endswith(sq("4 payloads, 4 releases, 4 snapshots checked: whole"))
    doc = json.loads(runner.invoke(app, ["check", "--db", db_url, "--json"]).output)
    assert (doc["payloads"], doc["releases"], doc["snapshots"], doc["problems"]) == (4, 4, 4, [])


def test_check_names_every_kind_of_damage(db_url: str, feed_folder: Path) -> None:
    assert runner.invoke(app, ["ingest", str(feed_folder), "--db", db_url]).exit_code == 0
    with open_store(db_url) as store:
        first, second, third = (s.release for s in store.releases("lavote:4324")[:3])
    _sql(
        db_url,
        # a payload's bytes replaced by another's: they no longer hash to their key
        f"UPDATE raw_payloads SET data = (SELECT data FROM raw_payloads WHERE content_hash = "
        f"'{second.content_hash}'), size = (SELECT size FROM raw_payloads WHERE content_hash = "
        f"'{second.content_hash}') WHERE content_hash = '{first.content_hash}'",
        # a stored count that is not its payload's
        "UPDATE choice_counts SET votes = votes + 1 WHERE release_key = (SELECT release_key FROM "
        f"releases WHERE content_hash = '{second.content_hash}') AND choice_id = '23483'",
        # a release without its snapshot
        "DELETE FROM snapshots WHERE release_key = (SELECT release_key FROM releases WHERE "
        f"content_hash = '{third.content_hash}')",
    )
    code, said = _check(db_url)
    assert code == 1, said
    assert sq(f"problem: payload {first.content_hash[:12]}: its bytes do not hash") in said
    assert (
        sq(
            f"problem: lavote:4324, release 1 ({second.content_hash[:12]}): contest 9547's "
            "counts differ from its payload's"
        )
        in said
    )
    assert (
        sq(
            f"problem: lavote:4324, release 2 ({third.content_hash[:12]}): no snapshot of the "
            "desk's answers after it"
        )
        in said
    )
    # and release 0, read again from the bytes now kept under its hash, is another release
    assert sq(f"problem: lavote:4324, release 0 ({first.content_hash[:12]}): its feed time") in said
    assert said.endswith(sq("4 problems"))


def test_a_damaged_sqlite_file_is_refused_on_open(feed_folder: Path, tmp_path: Path) -> None:
    """F8: the last page overwritten; status crashed and ingest said "already known", exit 0."""
    path = tmp_path / "d.sqlite"
    url = f"sqlite:///{path}"
    assert runner.invoke(app, ["ingest", str(feed_folder), "--db", url]).exit_code == 0
    checkpoint = sqlite3.connect(path)  # every page in the file itself, as the review's was
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    with open(path, "r+b") as fh:
        fh.seek(os.path.getsize(path) - 4096)
        fh.write(os.urandom(4096))
    with pytest.raises(StoreError, match="the database file is damaged") as err:
        open_store(url)
    assert err.value.where == str(path) and ".recover" in err.value.hint
    for command in (["ingest", str(feed_folder)], ["status", "--json"], ["export", "--format",
                    "csv", "--out", str(tmp_path / "x.csv")]):  # fmt: skip
        ran = runner.invoke(app, [*command, "--db", url])
        assert (ran.exit_code == 2 and ran.exception is None) or isinstance(
            ran.exception, SystemExit
        )
        assert sq("the database file is damaged") in sq(ran.output)
    code, said = _check(url)
    assert code == 1 and said.startswith(sq(f"problem: {path}: the database file is damaged"))
