"""A feed time that cannot be never freezes the canvass, and an editor can retire a release
from use (issue 17, item 1). Built from the real 2024 general, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from racedesk.cli import app as cli
from racedesk.desk import Desk
from racedesk.errors import StoreError
from racedesk.publish.library import Library
from racedesk.publish.web.app import create_app
from racedesk.sources import lavote
from racedesk.store import open_store

DA = "9547"
TOKEN = "t" * 32


@pytest.fixture(scope="module")
def feed(general_2024: Path):  # type: ignore[no-untyped-def]
    return lavote.load_folder(general_2024)


def _typo(data: bytes) -> bytes:
    """The same release with its year typed 2124 ("11/5/2124 9:34:20 PM")."""
    return re.sub(rb'("TimeStamp"\s*:\s*"\d+/\d+/)2024', rb"\g<1>2124", data)


def _da(desk: Desk, election_id: str) -> dict[str, int]:
    snap = desk.snapshot(election_id)
    assert snap is not None
    state = snap.state(DA)
    assert state is not None
    return state.votes


def test_a_release_dated_2124_leaves_the_canvass_live(db_url: str, feed, tmp_path: Path) -> None:
    election, files = feed
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    for _, data in files[:3]:
        desk.ingest(election.id, data)
    typo = desk.ingest(election.id, _typo(files[3][1]))
    assert typo.status == "stored" and not typo.usable
    assert [p.code for p in typo.problems if p.blocking] == ["implausible-time"]
    assert any("2124-11-05 21:34:20" in p.message for p in typo.problems)
    later = [desk.ingest(election.id, data) for _, data in files[4:7]]
    assert [r.status for r in later] == ["stored"] * 3 and all(r.usable for r in later)
    # the desk shows what it would without the typo'd release
    reference = Desk(open_store(f"sqlite:///{tmp_path / 'reference.sqlite'}"))
    reference.add_election(election)
    for _, data in [*files[:3], *files[4:7]]:
        reference.ingest(election.id, data)
    assert _da(desk, election.id) == _da(reference, election.id)
    # and answers as of any real time (the 2124 release sits out of order)
    library = Library(desk)
    assert library.sequence(election.id, as_of=later[1].feed_time) == later[1].sequence


def test_an_editor_retires_a_release_from_use(db_url: str, feed) -> None:
    election, files = feed
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    for _, data in files[:6]:
        desk.ingest(election.id, data)
    before = _da(desk, election.id)
    event = desk.retire_release(election.id, 5, "Ana Editor", "a bad upload")
    assert (event.kind, event.sequence, event.made_by) == ("retired", 5, "Ana Editor")
    now = _da(desk, election.id)
    assert now != before
    fresh = Desk(open_store(db_url))
    assert _da(fresh, election.id) == now  # a desk started afresh reads the retirement
    with pytest.raises(StoreError, match="retired already"):
        desk.retire_release(election.id, 5, "Ana Editor", "again")
    # the next release is compared with the last one used, and used
    nxt = desk.ingest(election.id, files[6][1])
    assert nxt.status == "stored" and nxt.usable


def test_retire_through_the_api_and_the_cli(tmp_path: Path, feed) -> None:
    election, files = feed
    db = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    desk = Desk(open_store(db))
    desk.add_election(election)
    for _, data in files[:4]:
        desk.ingest(election.id, data)
    client = TestClient(create_app(desk, token=TOKEN))
    url = f"/api/elections/{election.id}/releases/3/retire"
    assert client.post(url, json={"editor": "Ana"}).status_code == 401
    ok = client.post(
        url, json={"editor": "Ana", "why": "typo"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert ok.status_code == 201 and ok.json()["event"]["kind"] == "retired"
    again = client.post(url, json={"editor": "Ana"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 409 and "error" in again.json()
    result = CliRunner().invoke(cli, ["retire", "2", "--by", "Ana", "--why", "typo", "--db", db])
    assert result.exit_code == 0, result.output
    assert "release #2 retired by Ana" in " ".join(result.output.split())
