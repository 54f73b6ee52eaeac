"""What is published reaches every reader (issue 18, item 1), on the real 2024 general: push
tells open pages of an editor's act, the static export carries only approved calls in the
``recommend`` mode, and a page of an earlier release keeps what was published then."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from racedesk.publish.static_site import export_site
from racedesk.publish.web.app import create_app

from .conftest import DA, HOCHMAN, TOKEN, Feed, LiveServer, ingest, new_desk
from .test_events import Listener

E = "lavote:4324"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: The first contest the desk calls at the 8:56 pm release (ledger event 1).
FIRST_CALLED = "9534"


def test_an_editors_act_is_pushed_to_open_pages(general_feed: Feed, tmp_path: Path) -> None:
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, upto=3)
    with LiveServer(create_app(desk, token=TOKEN)) as server:
        listener = Listener(f"{server.url}/api/elections/{E}/events")
        try:
            listener.next("ready")
            body = {"act": "hold", "event_id": 17, "editor": "Ana Editor", "note": "wait"}
            posted = httpx.post(
                f"{server.url}/api/elections/{E}/editorial", json=body, headers=AUTH
            )
            assert posted.status_code == 201
            event = listener.next("editorial")
            assert event["data"]["act"]["act"] == "hold"
            assert event["data"]["act"]["made_by"] == "Ana Editor"
            assert event["data"]["contest"]["state"] == "held"
            assert event["data"]["contest"]["contest_id"] == DA
        finally:
            listener.close()


def test_the_static_export_carries_only_approved_calls(general_feed: Feed, tmp_path: Path) -> None:
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, upto=3)
    desk.editors.set_mode("recommend", "Night Editor")
    desk.editors.decide(E, "approve", 17, "Ana Editor")
    out = tmp_path / "site"
    export_site(desk, E, out)
    contests = out / "api" / "elections" / "lavote-4324" / "contests"
    da = json.loads((contests / f"{DA}.json").read_text())["contest"]["call"]
    assert (da["status"], da["choices"]) == ("called", [HOCHMAN])
    other = json.loads((contests / f"{FIRST_CALLED}.json").read_text())["contest"]["call"]
    assert (other["status"], other["choices"]) == ("leading", [])
    ledger = json.loads((out / "api" / "elections" / "lavote-4324" / "ledger.json").read_text())
    assert [e["event_id"] for e in ledger["events"]] == [17]


def test_a_page_of_an_earlier_release_keeps_what_was_published_then(
    general_feed: Feed, tmp_path: Path
) -> None:
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, upto=4)  # the DA called at release 2; release 3 received after
    client = TestClient(create_app(desk, token=TOKEN))
    url = f"/api/elections/{E}/contests/{DA}"
    assert client.get(url, params={"release": 2}).json()["contest"]["call"]["status"] == "called"
    body = {"mode": "recommend", "editor": "Night Editor"}
    assert client.post("/api/publishing-mode", json=body, headers=AUTH).status_code == 201
    # the mode changed after release 3 came in: release 2's page says what it said then
    assert client.get(url, params={"release": 2}).json()["contest"]["call"]["status"] == "called"
    assert client.get(url).json()["contest"]["call"]["status"] == "leading"
