"""Editorial control over HTTP (issue 18, item 1): in the ``recommend`` mode the public API
shows the District Attorney's call (contest 9547, ledger event 17, NATHAN HOCHMAN, after the
real 2024 general's 8:56 pm release) only once an editor approves it; holds, rejections, calls
and rescinds by hand need the token or the signed-in editor's cookie."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.publish.web.app import create_app

from .conftest import Feed, ingest, new_desk

DA, GASCON, HOCHMAN = "9547", "23482", "23483"
TOKEN = "t" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def desk(general_feed: Feed, tmp_path: Path) -> Desk:
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, upto=3)
    return desk


def _public(client: TestClient, eid: str) -> tuple[dict, list[int]]:
    """The DA's call in the public contest document, and the public ledger's DA events."""
    call = client.get(f"/api/elections/{eid}/contests/{DA}").json()["contest"]["call"]
    ledger = client.get(f"/api/elections/{eid}/ledger").json()["events"]
    return call, [e["event_id"] for e in ledger if e["contest_id"] == DA]


def test_the_public_api_shows_a_call_only_once_an_editor_approves(desk: Desk) -> None:
    eid = desk.elections()[0].id
    client = TestClient(create_app(desk, token=TOKEN))
    url = f"/api/elections/{eid}/editorial"
    assert client.get("/api/publishing-mode").json()["mode"] == "auto"
    call, events = _public(client, eid)
    assert (call["status"], call["choices"], events) == ("called", [HOCHMAN], [17])

    body = {"mode": "recommend", "editor": "Night Editor"}
    assert client.post("/api/publishing-mode", json=body).status_code == 401
    assert client.post("/api/publishing-mode", json=body, headers=AUTH).status_code == 201
    assert client.post("/api/publishing-mode", json=body, headers=AUTH).status_code == 200
    call, events = _public(client, eid)
    assert (call["status"], call["choices"], events) == ("leading", [], [])
    page = client.get(f"/elections/{eid}/contests/{DA}").text
    assert "Called for Hochman" not in page and "Not called yet." in page

    held = client.post(url, json={"act": "hold", "event_id": 17, "editor": "Ana", "note": "wait"})
    assert held.status_code == 401
    held = client.post(
        url, json={"act": "hold", "event_id": 17, "editor": "Ana", "note": "wait"}, headers=AUTH
    )
    assert held.status_code == 201
    doc = held.json()
    assert doc["schema"] == "racedesk.editorial-act/1" and doc["stored"]
    assert (doc["act"]["act"], doc["act"]["made_by"], doc["act"]["note"]) == ("hold", "Ana", "wait")
    assert doc["contest"]["state"] == "held" and doc["contest"]["status"] is None
    assert _public(client, eid)[0]["status"] == "leading"

    approve = {"act": "approve", "event_id": 17, "editor": "Ana"}
    assert client.post(url, json=approve, headers=AUTH).status_code == 201
    call, events = _public(client, eid)
    assert (call["status"], call["choices"], events) == ("called", [HOCHMAN], [17])
    assert "Called for Hochman." in client.get(f"/elections/{eid}/contests/{DA}").text
    again = client.post(url, json=approve, headers=AUTH)
    assert again.status_code == 200 and not again.json()["stored"]

    reject = {"act": "reject", "event_id": 17, "editor": "Chief", "note": "not sure"}
    assert client.post(url, json=reject, headers=AUTH).json()["contest"]["state"] == "rejected"
    assert _public(client, eid)[0]["status"] == "leading"

    # the editorial document is for editors only
    assert client.get(url).status_code == 401
    doc = client.get(url, params={"state": "rejected"}, headers=AUTH).json()
    assert doc["schema"] == "racedesk.editorial/1" and doc["mode"] == "recommend"
    assert [r["contest_id"] for r in doc["contests"]] == [DA]
    assert [a["act"] for a in doc["acts"]] == ["hold", "approve", "reject"]


def test_an_editor_signed_in_calls_and_rescinds_by_hand(desk: Desk) -> None:
    eid = desk.elections()[0].id
    client = TestClient(create_app(desk, token=TOKEN))
    url = f"/api/elections/{eid}/editorial"
    wrong = client.post("/editor/sign-in", data={"token": "nope", "name": "Ana"})
    assert wrong.status_code == 401
    # the election ledger page is for editors: a reader is sent to sign in
    away = client.get(f"/elections/{eid}/ledger", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/editor?back=")
    assert 'id="editor"' not in client.get(f"/elections/{eid}/contests/{DA}").text
    signed = client.post(
        "/editor/sign-in",
        data={"token": TOKEN, "name": "Ana Editor", "back": f"/elections/{eid}"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == f"/elections/{eid}"
    assert TOKEN not in signed.headers["set-cookie"]
    made = client.post(
        url, json={"act": "call", "contest_id": DA, "choices": [GASCON], "editor": "Ana Editor"}
    )
    assert made.status_code == 201, made.text
    call, _ = _public(client, eid)
    assert (call["status"], call["choices"]) == ("called", [GASCON])
    assert call["sentence"] == "called by Ana Editor"
    page = client.get(f"/elections/{eid}/contests/{DA}").text
    assert 'id="editor"' in page and "Editor: Ana Editor" in page
    ledger = client.get(f"/elections/{eid}/ledger", params={"q": "attorney"}).text
    assert "DISTRICT ATTORNEY" in ledger and "editor&#39;s call" in ledger
    gone = client.post(url, json={"act": "rescind", "contest_id": DA, "editor": "Ana Editor"})
    assert gone.json()["contest"]["state"] == "published"  # the desk's own call again
    nothing = client.post(url, json={"act": "approve", "editor": "Ana Editor"})
    assert nothing.status_code == 422 and nothing.json()["error"]["where"] == "body.event_id"
    missing = client.post(url, json={"act": "approve", "event_id": 999, "editor": "Ana"})
    assert missing.status_code == 404
    client.post("/editor/sign-out", data={"back": "/"})
    assert (
        client.post(url, json={"act": "rescind", "contest_id": DA, "editor": "A"}).status_code
        == 401
    )
