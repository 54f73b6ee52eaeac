"""Server-sent events: releases, calls and rescinds pushed to subscribers, from any writer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from racedesk.desk import Desk
from racedesk.publish.events import QUEUE_EVENTS, Cursor, Event, Subscriber
from racedesk.publish.web.app import create_app
from racedesk.store import open_store

from .conftest import TOKEN, Feed, LiveServer, ingest, new_desk, wait_until

E = "lavote:4324"


# --- pieces ---------------------------------------------------------------------------------------------


def test_cursor_orders_and_round_trips() -> None:
    assert Cursor(3, 7) < Cursor(4, -1) < Cursor(4, 0)
    assert Cursor.parse(Cursor(12, 5).text()) == Cursor(12, 5)
    assert Cursor.parse("-1:-1") == Cursor()
    for bad in (None, "", "x", "1", "1:y"):
        assert Cursor.parse(bad) is None


def test_event_message_is_encoded_once_with_its_cursor() -> None:
    event = Event.make("release", Cursor(2, 9), {"election_id": E, "sequence": 2})
    assert event.message.event == "release"
    assert event.message.id == "2:9"
    data = json.loads(event.message.raw_data or "")
    assert abs(data.pop("sent_at") - time.time()) < 5
    assert data == {
        "schema": "racedesk.event/1",
        "kind": "release",
        "election_id": E,
        "sequence": 2,
    }


def test_a_slow_subscriber_is_dropped_not_waited_for() -> None:
    async def run() -> tuple[bool, list[Event | None]]:
        sub = Subscriber(E)
        event = Event.make("release", Cursor(1, 1), {})
        for _ in range(QUEUE_EVENTS + 5):
            sub.offer(event)
        drained = []
        while not sub.queue.empty():
            drained.append(sub.queue.get_nowait())
        return sub.dropped, drained

    dropped, drained = asyncio.run(run())
    assert dropped
    assert drained[-1] is None  # the end of its stream: the browser reconnects and catches up
    assert len(drained) == QUEUE_EVENTS


# --- over HTTP --------------------------------------------------------------------------------------------


class Listener:
    """Reads one SSE stream in a thread; parsed events land in a queue."""

    def __init__(self, url: str, last_event_id: str | None = None) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.url = url
        self.headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server went away: the stream is over
            self._read()

    def _read(self) -> None:
        with (
            httpx.Client(timeout=httpx.Timeout(30, read=60)) as client,
            client.stream("GET", self.url, headers=self.headers) as response,
        ):
            fields: dict[str, str] = {}
            for line in response.iter_lines():
                if self.stop.is_set():
                    return
                if not line:
                    if "event" in fields:
                        self.events.put(
                            {
                                "event": fields["event"],
                                "id": fields.get("id"),
                                "data": json.loads(fields["data"]),
                            }
                        )
                    fields = {}
                    continue
                if line.startswith(":"):
                    continue
                key, _, value = line.partition(":")
                fields[key] = value.removeprefix(" ")

    def next(self, kind: str | None = None, timeout: float = 5.0) -> dict[str, Any]:
        while True:
            event = self.events.get(timeout=timeout)
            if kind is None or event["event"] == kind:
                return event

    def close(self) -> None:
        self.stop.set()


@pytest.fixture()
def live_desk(general_feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    desk = new_desk(tmp_path_factory.mktemp("events"), general_feed.election)
    ingest(desk, general_feed, upto=2)
    return desk


@pytest.fixture()
def server(live_desk: Desk) -> Iterator[LiveServer]:
    with LiveServer(create_app(live_desk, token=TOKEN)) as running:
        yield running


def test_ready_then_a_release_posted_through_the_api(
    server: LiveServer, general_feed: Feed
) -> None:
    listener = Listener(f"{server.url}/api/elections/{E}/events")
    try:
        ready = listener.next("ready")
        assert ready["data"]["sequence"] == 1
        assert ready["id"].startswith("1:")
        body = general_feed.releases[2][1]
        response = httpx.post(
            f"{server.url}/api/elections/{E}/releases",
            content=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 201
        release = listener.next("release")
        assert release["data"]["sequence"] == 2
        assert release["data"]["hash"] == response.json()["content_hash"]
        assert release["data"]["schema"] == "racedesk.event/1"
        new_events = release["data"]["new_events"]
        for event_id in new_events:  # each call the release triggered follows as its own event
            call = listener.next(timeout=5)
            assert call["event"] in ("call", "rescind")
            assert call["data"]["event"]["event_id"] == event_id
    finally:
        listener.close()


def test_a_release_committed_by_another_writer_is_pushed(
    server: LiveServer, live_desk: Desk, general_feed: Feed
) -> None:
    """The hub learns of releases from the store, not from its own API only."""
    listener = Listener(f"{server.url}/api/elections/{E}/events")
    try:
        listener.next("ready")
        other = Desk(open_store(live_desk.store.url))  # its own connections, as another process
        other.ingest(E, general_feed.releases[2][1], origin="other writer")
        release = listener.next("release", timeout=5)
        assert release["data"]["sequence"] == 2
    finally:
        listener.close()


def test_an_approval_is_pushed_as_a_call_event(
    server: LiveServer, live_desk: Desk, general_feed: Feed
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = general_feed.releases[2][1]  # the first election-night count: the first calls
    assert (
        httpx.post(
            f"{server.url}/api/elections/{E}/releases", content=body, headers=auth
        ).status_code
        == 201
    )
    calls = [e for e in live_desk.ledger(E) if e.status != "rescinded"]
    assert calls, "release 2 of the 2024 general triggers calls"
    listener = Listener(f"{server.url}/api/elections/{E}/events")
    try:
        ready = listener.next("ready")
        assert ready["data"]["event_id"] == max(e.event_id for e in calls)
        response = httpx.post(
            f"{server.url}/api/elections/{E}/calls/{calls[0].event_id}/approve",
            json={"approver": "night editor"},
            headers=auth,
        )
        assert response.status_code == 201
        event = listener.next("call")
        assert event["data"]["event"]["approved_by"] == "night editor"
        assert event["data"]["event"]["event_id"] == response.json()["event"]["event_id"]
    finally:
        listener.close()


def test_a_reconnecting_client_gets_what_it_missed(server: LiveServer, general_feed: Feed) -> None:
    first = Listener(f"{server.url}/api/elections/{E}/events")
    try:
        cursor = first.next("ready")["id"]
    finally:
        first.close()
    for _, body in general_feed.releases[2:4]:
        response = httpx.post(
            f"{server.url}/api/elections/{E}/releases",
            content=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 201
    again = Listener(f"{server.url}/api/elections/{E}/events", last_event_id=cursor)
    try:
        assert again.next("ready")["data"]["sequence"] == 3
        assert [again.next("release")["data"]["sequence"] for _ in range(2)] == [2, 3]
    finally:
        again.close()


def test_unknown_election_stream_is_404(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/api/elections/nope:1/events")
    assert response.status_code == 404


def test_streams_end_when_the_server_stops(live_desk: Desk) -> None:
    running = LiveServer(create_app(live_desk, token=TOKEN)).__enter__()
    listener = Listener(f"{running.url}/api/elections/{E}/events")
    listener.next("ready")
    running.__exit__(None, None, None)
    assert not running.thread.is_alive()
    assert wait_until(lambda: not listener.thread.is_alive(), 5)


def test_replay_in_background_feeds_open_streams(live_desk: Desk, general_feed: Feed) -> None:
    """``replay_in_background`` (for ``racedesk demo``) lands releases at a pace while the
    server runs; the streams see each one."""
    from racedesk.desk.watch import replay_in_background

    with LiveServer(create_app(live_desk, token=None)) as running:
        listener = Listener(f"{running.url}/api/elections/{E}/events")
        try:
            listener.next("ready")
            bodies = [data for _, data in general_feed.releases[2:4]]
            thread, stop = replay_in_background(live_desk, E, bodies, delay=0.2)
            thread.join(timeout=30)
            assert not thread.is_alive() and not stop.is_set()
            assert [listener.next("release", timeout=10)["data"]["sequence"] for _ in bodies] == [
                2,
                3,
            ]
        finally:
            listener.close()


def test_idle_streams_get_keep_alive_comments(
    live_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from racedesk.publish import events

    monkeypatch.setattr(events, "PING_SECONDS", 0.2)
    app = create_app(live_desk, token=None)
    with (
        LiveServer(app) as running,
        httpx.stream("GET", f"{running.url}/api/elections/{E}/events", timeout=10) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        lines = response.iter_lines()
        seen = [next(lines) for _ in range(8)]
    assert ": ping" in seen
