"""An editor's approval never brings back a rescinded call, never rewrites the ledger as of an
earlier time, never approves an approval, and is made once (issue 17, item 4). Built from the
real 2024 general (lavote:4324), on SQLite and PostgreSQL: the District Attorney (contest 9547)
is called for NATHAN HOCHMAN (23483) at the 8:56 pm release, and a copy of the 9:34 pm release
with the two candidates' votes swapped, held as a likely mapping error until an editor confirms
it, rescinds that call."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.engine.calls import active_calls
from racedesk.errors import NotFound, StoreError
from racedesk.model import Election
from racedesk.publish.web.app import create_app
from racedesk.sources import lavote
from racedesk.store import open_store

DA, GASCON, HOCHMAN = "9547", "23482", "23483"
TOKEN = "t" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MADE_AT = datetime(2024, 11, 6, 18, 0, tzinfo=UTC)  # 10 am in Los Angeles, the morning after


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> tuple[Election, list[tuple[Path, bytes]]]:
    return lavote.load_folder(general_2024)


def _swapped(data: bytes) -> bytes:
    """The release with Gascón's and Hochman's votes swapped (the DA's leader changes)."""
    doc = json.loads(data)
    rows = {
        r["ReferenceID"]: r
        for r in doc["Data"]
        if r["ReferenceType"] == "CAND" and str(r["ReferenceID"]) in (GASCON, HOCHMAN)
    }
    a, b = rows.values()
    a["Value"], b["Value"] = b["Value"], a["Value"]
    return json.dumps(doc).encode()


def _desk(db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]) -> Desk:
    """The first three releases (the DA called for Hochman)."""
    election, files = feed
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    for _, data in files[:3]:
        desk.ingest(election.id, data)
    return desk


def _rescind(desk: Desk, election_id: str, data: bytes) -> None:
    """Store the swapped copy of ``data`` and confirm it, which rescinds the DA call."""
    held = desk.ingest(election_id, _swapped(data))
    assert held.status == "stored" and held.sequence is not None and not held.usable
    desk.confirm_release(election_id, held.sequence, "Ana Editor")


def _da_call(desk: Desk, election_id: str) -> int:
    (call,) = [e for e in desk.ledger(election_id) if e.contest_id == DA]
    assert (call.status, call.choices) == ("called", (HOCHMAN,))
    return call.event_id


def test_the_da_call_cannot_be_brought_back_by_approving_its_rescinded_event(
    db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]
) -> None:
    election, files = feed
    desk = _desk(db_url, feed)
    called = _da_call(desk, election.id)
    _rescind(desk, election.id, files[3][1])
    ledger = desk.ledger(election.id)
    (rescind,) = [e for e in ledger if e.status == "rescinded" and e.rescinds == called]
    assert DA not in active_calls(ledger)
    with pytest.raises(StoreError, match=f"event {called} was rescinded"):
        desk.approve_call(election.id, called, "mallory")
    with pytest.raises(StoreError, match="is a rescind"):
        desk.approve_call(election.id, rescind.event_id, "mallory")
    assert desk.ledger(election.id) == ledger
    with pytest.raises(NotFound):
        desk.approve_call(election.id, 999_999, "mallory")


def test_an_approval_is_dated_when_made_and_made_once(
    db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]
) -> None:
    election, _ = feed
    desk = _desk(db_url, feed)
    called = _da_call(desk, election.id)
    before = desk.ledger(election.id, as_of=MADE_AT)
    approval = desk.approve_call(election.id, called, "night editor", made_at=MADE_AT)
    assert approval.approves == called and approval.approved_by == "night editor"
    assert approval.release_time == MADE_AT
    assert approval.release_time.utcoffset() is not None
    assert str(approval.release_time.tzinfo) == "America/Los_Angeles"
    # the ledger as of a moment before the approval is what it was
    assert desk.ledger(election.id, as_of=MADE_AT.replace(minute=0, hour=17)) == before
    assert desk.ledger(election.id, as_of=MADE_AT)[-1] == approval
    # the same approval again adds nothing; an approval of the approval is refused
    again = desk.approve_call(election.id, called, "night editor", made_at=MADE_AT)
    assert again == approval
    with pytest.raises(StoreError, match=f"is an approval of event {called}"):
        desk.approve_call(election.id, approval.event_id, "mallory")
    assert [e.event_id for e in desk.ledger(election.id)][-1] == approval.event_id
    assert active_calls(desk.ledger(election.id))[DA] == approval


def test_the_api_refuses_with_409_and_repeats_with_200(
    tmp_path: Path, feed: tuple[Election, list[tuple[Path, bytes]]]
) -> None:
    election, files = feed
    desk = _desk(f"sqlite:///{tmp_path / 'desk.sqlite'}", feed)
    called = _da_call(desk, election.id)
    client = TestClient(create_app(desk, token=TOKEN))
    url = f"/api/elections/{election.id}/calls/{{}}/approve"
    first = client.post(url.format(called), json={"approver": "night editor"}, headers=AUTH)
    assert first.status_code == 201
    approval = first.json()["event"]
    assert approval["approves"] == called
    second = client.post(url.format(called), json={"approver": "night editor"}, headers=AUTH)
    assert (second.status_code, second.json()["event"]) == (200, approval)
    chained = client.post(url.format(approval["event_id"]), headers=AUTH)
    assert chained.status_code == 409
    assert "is an approval" in chained.json()["error"]["problem"]
    _rescind(desk, election.id, files[3][1])
    resurrect = client.post(url.format(called), headers=AUTH)
    assert resurrect.status_code == 409
    assert (
        "superseded" in resurrect.json()["error"]["problem"]
        or "rescinded" in (resurrect.json()["error"]["problem"])
    )
