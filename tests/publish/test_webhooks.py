"""Outgoing webhooks (issue 18, item 2) on the real 2024 general: a receiver in the test (a local
HTTP server) gets the signed call of the District Attorney (contest 9547) within a second of the
release that made it; a notice answered 500 is tried again and delivered; a held release, its
confirmation's rescind and a flagged (torn) release reach the receiver too; a receiver that is
down never slows or breaks ingestion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import builders
from desk.test_corrections import _swapped, _torn
from racedesk.cli import app, db_url
from racedesk.desk import Desk, open_desk
from racedesk.desk.news import DeskNews, ReleaseNews
from racedesk.errors import ConfigError
from racedesk.model.answers import CallEvent, Problem
from racedesk.publish import notices
from racedesk.publish.webhooks import (
    DELIVERY_HEADER,
    KIND_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Retries,
    Webhooks,
    signature,
    verify,
)

from .conftest import DA, GASCON, HOCHMAN, TOKEN, Feed, free_port, ingest, new_desk, wait_until

SECRET = "whsec-test-4b1d"
QUICK = Retries(attempts=4, first_wait=0.05, longest_wait=0.2, timeout=2.0)


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes

    @property
    def doc(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that records every POST and answers with the statuses queued in
    ``answers`` (200 once they run out)."""

    url: str
    got: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.got) >= count, timeout)
            return list(self.got)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            rec = box[0]
            with rec.arrived:
                rec.got.append(Received(time.monotonic(), dict(self.headers.items()), body))
                status = rec.answers.pop(0) if rec.answers else 200
                rec.arrived.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box[0]
    server.shutdown()
    server.server_close()


def _genuine(got: Received) -> bool:
    return verify(SECRET, got.body, got.headers[TIMESTAMP_HEADER], got.headers[SIGNATURE_HEADER])


def _hooked(tmp_path: Path, feed: Feed, url: str, upto: int) -> tuple[Desk, Webhooks]:
    """A desk that has ingested the feed's first ``upto`` releases, then listens with webhooks
    to ``url``."""
    desk = new_desk(tmp_path, feed.election)
    ingest(desk, feed, upto)
    hooks = Webhooks([url], SECRET, retries=QUICK)
    desk.listen(hooks.hear)
    return desk, hooks


def test_the_district_attorney_call_arrives_signed_within_a_second(
    tmp_path: Path, general_feed: Feed, receiver: Receiver
) -> None:
    """Release #2 (8:56:08 pm on election night) is the one that calls the DA for Hochman."""
    desk, hooks = _hooked(tmp_path, general_feed, receiver.url, 2)
    name, data = general_feed.releases[2]
    result = desk.ingest(general_feed.election.id, data, origin=name.name)
    released = time.monotonic()
    assert result.sequence == 2
    calls = [e for e in result.new_events if e.contest_id == DA]
    assert [(e.status, e.choices) for e in calls] == [("called", (HOCHMAN,))]
    got = receiver.wait_for(len(result.new_events))
    hooks.close()
    da = [g for g in got if g.doc["contest_id"] == DA]
    assert len(da) == 1 and len(got) == len(result.new_events)
    (call,) = da
    assert call.at - released < 1.0
    assert _genuine(call)
    assert call.headers[KIND_HEADER] == "call"
    assert call.headers[DELIVERY_HEADER] == f"lavote:4324/event/{calls[0].event_id}"
    doc = call.doc
    assert doc["schema"] == "racedesk.webhook/1" and doc["kind"] == "call"
    assert doc["id"] == call.headers[DELIVERY_HEADER]
    assert doc["contest_title"] == "DISTRICT ATTORNEY"
    assert doc["event"]["choice_names"] == ["NATHAN HOCHMAN"]
    assert doc["release"]["sequence"] == 2
    assert doc["release"]["feed_time"] == "2024-11-05T20:56:08-08:00"
    assert doc["release"]["usable"] is None and doc["release"]["problems"] == []
    assert doc["text"] == (
        "Called: DISTRICT ATTORNEY — NATHAN HOCHMAN (release #2 of "
        f"{general_feed.election.title}, Nov 5 20:56)"
    )
    # the signature is of the timestamp and the body as sent, keyed by the secret
    stamp = int(call.headers[TIMESTAMP_HEADER])
    assert call.headers[SIGNATURE_HEADER] == signature(SECRET, stamp, call.body)
    assert not verify("another secret", call.body, str(stamp), call.headers[SIGNATURE_HEADER])
    assert not verify(SECRET, call.body + b" ", str(stamp), call.headers[SIGNATURE_HEADER])
    late = stamp + 301
    assert not verify(SECRET, call.body, str(stamp), call.headers[SIGNATURE_HEADER], now=late)


def test_a_notice_answered_500_is_tried_again_and_delivered(
    tmp_path: Path, general_feed: Feed, receiver: Receiver
) -> None:
    desk, hooks = _hooked(tmp_path, general_feed, receiver.url, 2)
    receiver.answers[:] = [500]
    events = len(desk.ingest(general_feed.election.id, general_feed.releases[2][1]).new_events)
    assert events == 97  # the first release of election night with calls: 97 ledger events
    got = receiver.wait_for(events + 1)
    hooks.close()
    first, again = got[0], got[1]
    assert first.headers[DELIVERY_HEADER] == again.headers[DELIVERY_HEADER]
    assert first.body == again.body and _genuine(first) and _genuine(again)
    assert again.at - first.at >= QUICK.first_wait
    assert hooks.counts["delivered"] == events and hooks.counts["failed"] == 0
    assert hooks.counts["attempts"] == events + 1


def test_a_receiver_down_gets_one_try_per_notice_until_it_is_back(receiver: Receiver) -> None:
    """The first notice fails every try (503): the receiver is down, the second is tried once
    (503 again), the third once (taken); back up, the fourth has every try again (500, then
    taken)."""
    receiver.answers[:] = [503] * QUICK.attempts + [503, 200, 500]
    hooks = Webhooks([receiver.url], SECRET, retries=QUICK)
    election = builders.election([builders.contest("1", ["A", "B"])])
    for n in range(4):
        hooks.hear(DeskNews(election, None, (_call(n),)))
    got = receiver.wait_for(QUICK.attempts + 4)
    hooks.close()
    ids = [g.headers[DELIVERY_HEADER] for g in got]
    assert ids == [f"test:1/event/{n}" for n in [0] * QUICK.attempts + [1, 2, 3, 3]]
    assert (hooks.counts["failed"], hooks.counts["delivered"]) == (2, 2)


def _call(event_id: int) -> CallEvent:
    return CallEvent(
        event_id=event_id, contest_id="1", status="called", choices=("1-0",),
        release_hash="ab" * 32, release_sequence=0, release_time=builders.T0, votes_left=None,
        hurdle=None, probability=None, model_version="test", reason="A won",
    )  # fmt: skip


def test_a_refused_notice_is_not_tried_again_and_one_down_receiver_never_slows_ingestion(
    tmp_path: Path, general_feed: Feed, receiver: Receiver
) -> None:
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, 2)
    receiver.answers[:] = [400]
    refused = Webhooks([receiver.url], SECRET, retries=QUICK)
    down = Webhooks(["http://127.0.0.1:9/nobody"], SECRET, retries=QUICK)
    desk.listen(refused.hear)
    desk.listen(down.hear)
    began = time.monotonic()
    result = desk.ingest(general_feed.election.id, general_feed.releases[2][1])
    assert result.status == "stored" and time.monotonic() - began < 5.0
    receiver.wait_for(len(result.new_events))
    refused.close()
    down.close()
    assert refused.counts["failed"] == 1 and refused.counts["attempts"] == len(result.new_events)
    # a receiver down: the first notice is tried in full, the later ones once each
    assert down.counts["failed"] == len(result.new_events)
    assert down.counts["attempts"] == QUICK.attempts + len(result.new_events) - 1


def test_a_held_release_its_rescind_and_a_flagged_release_are_noticed(
    tmp_path: Path, general_feed: Feed, receiver: Receiver
) -> None:
    """Hochman's and Gascón's totals swapped in release #4 (a mapping error) hold it; an editor's
    confirmation rescinds the DA call; a torn release (two releases mixed) is flagged."""
    election, files = general_feed.election, general_feed.releases
    desk, hooks = _hooked(tmp_path, general_feed, receiver.url, 4)
    held = desk.ingest(election.id, _swapped(files[4][1]), origin="swapped.json")
    assert not held.usable and not held.new_events
    (notice,) = receiver.wait_for(1)
    doc = notice.doc
    assert doc["kind"] == "release-held" and doc["id"] == "lavote:4324/release/4"
    assert doc["release"]["usable"] is False
    assert doc["text"].startswith(
        f"Held: release #4 of {election.title} (Nov 5 21:45) looks like a mapping error and is "
        "not used until an editor confirms it (racedesk confirm 4 --by NAME --election "
        "lavote:4324): DISTRICT ATTORNEY:"
    )
    assert f"totals swapped with choice {GASCON}" in doc["text"]
    before = len(desk.ledger(election.id))
    desk.confirm_release(election.id, 4, "Ana Editor")
    # the snapshot made again rescinds the DA's call and may call other contests: a notice each
    made = len(desk.ledger(election.id)) - before
    got = receiver.wait_for(1 + made)
    assert len(got) == 1 + made
    rescinds = [g.doc for g in got[1:] if g.doc["kind"] == "rescind"]
    (rescind,) = [r for r in rescinds if r["contest_id"] == DA]
    assert rescind["text"].startswith("Rescinded: DISTRICT ATTORNEY — the call of ledger event #17")
    count = len(receiver.got)
    torn = _torn(files[5][1], files[8][1], election, json.loads(files[7][1])["TimeStamp"])
    flagged = desk.ingest(election.id, torn, origin="torn.json")
    assert flagged.status == "stored" and not flagged.usable
    got = receiver.wait_for(count + 1)
    hooks.close()
    doc = got[count].doc
    assert doc["kind"] == "release-flagged" and doc["release"]["sequence"] == 5
    assert doc["text"].startswith(f"Flagged: release #5 of {election.title} (")
    assert "is kept but not used: " in doc["text"]
    assert all(_genuine(g) for g in got)


def test_in_the_recommend_mode_a_call_notice_says_it_is_not_published(
    tmp_path: Path, general_feed: Feed, receiver: Receiver
) -> None:
    """Editors publish the calls (``docs/editors.md``): a chat that posts the notices must not
    read the engine's recommendation as the desk's call."""
    desk, hooks = _hooked(tmp_path, general_feed, receiver.url, 2)
    desk.editors.set_mode("recommend", "Ana Editor")
    result = desk.ingest(general_feed.election.id, general_feed.releases[2][1])
    got = receiver.wait_for(len(result.new_events))
    (da,) = [g.doc for g in got if g.doc["contest_id"] == DA]
    assert da["kind"] == "call" and da["recommended"] is True
    assert da["text"].startswith(
        "Recommended, not published until an editor approves it (ledger event #17): Called: "
        "DISTRICT ATTORNEY — NATHAN HOCHMAN (release #2 of"
    )
    assert all(g.doc["recommended"] for g in got)
    # an editor publishes it, another holds it: a notice each; the same act again, none
    count = len(got)
    desk.editors.decide(general_feed.election.id, "approve", 17, "Ana Editor", "AP agrees")
    desk.editors.decide(general_feed.election.id, "approve", 17, "Ana Editor")
    desk.editors.decide(general_feed.election.id, "hold", 17, "Bo Editor")
    got = receiver.wait_for(count + 2)
    hooks.close()
    acts = [g.doc for g in got[count:]]
    assert len(got) == count + 2 and [a["kind"] for a in acts] == ["editorial", "editorial"]
    assert [a["text"] for a in acts] == [
        "Approved by Ana Editor: DISTRICT ATTORNEY — ledger event #17 is published. AP agrees",
        "Held by Bo Editor: DISTRICT ATTORNEY — ledger event #17 is not published",
    ]
    assert acts[0]["act"]["act"] == "approve" and acts[0]["act"]["target"] == 17
    assert acts[0]["id"] != acts[1]["id"] and acts[0]["contest_id"] == DA
    assert all(_genuine(g) for g in got)


def test_a_usable_release_with_notes_only_sends_nothing_of_itself() -> None:
    """Every LA release carries non-blocking notes (a counter the feed leaves empty): they are
    not worth an editor's attention."""
    news = DeskNews(
        builders.election([builders.contest("1", ["A", "B"])]),
        ReleaseNews(
            3,
            datetime(2024, 11, 5, 21, tzinfo=UTC),
            "ab" * 32,
            True,
            (Problem(code="counter-missing", message="no counter", blocking=False),),
        ),
        (),
    )
    assert notices.notices(news) == []


def test_webhooks_need_a_secret_and_a_web_address() -> None:
    with pytest.raises(ConfigError, match="shared secret"):
        Webhooks(["https://hooks.example/x"], "")
    with pytest.raises(ConfigError, match="https://"):
        Webhooks(["hooks.example/x"], SECRET)


def test_racedesk_ingest_with_webhook_sends_the_scenario_s_calls(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``racedesk ingest SOURCE --webhook URL``: every call of the ingest reaches the URL,
    signed with ``RACEDESK_WEBHOOK_SECRET``, before the command returns."""
    monkeypatch.setenv("RACEDESK_WEBHOOK_SECRET", SECRET)
    monkeypatch.delenv("RACEDESK_WEBHOOKS", raising=False)
    db = str(tmp_path / "desk.sqlite")
    result = CliRunner().invoke(
        app, ["ingest", "scenario:la-da-2020", "--db", db, "--webhook", receiver.url]
    )
    assert result.exit_code == 0, result.output
    desk = open_desk(db_url(db))
    ledgers = {
        election: desk.ledger(election)
        for election in ("scenario:la-da-2020-primary", "scenario:la-da-2020-general")
    }
    # the primary's runoff (Lacey and Gascón) and the general's call for Gascón
    assert [e.status for events in ledgers.values() for e in events] == ["runoff", "called"]
    sent = [f"{election}/event/{e.event_id}" for election, ev in ledgers.items() for e in ev]
    got = receiver.got
    assert [g.headers[DELIVERY_HEADER] for g in got] == sent
    assert all(_genuine(g) for g in got)


def test_racedesk_refuses_webhooks_without_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RACEDESK_WEBHOOK_SECRET", raising=False)
    monkeypatch.setenv("RACEDESK_WEBHOOKS", "https://hooks.example/racedesk")
    db = str(tmp_path / "desk.sqlite")
    result = CliRunner().invoke(app, ["ingest", "scenario:la-da-2020", "--db", db])
    assert result.exit_code == 2
    assert "webhooks need a shared secret" in result.output


def test_racedesk_serve_sends_the_call_of_a_posted_release_within_a_second(
    tmp_path: Path, general_feed: Feed, receiver: Receiver
) -> None:
    """``racedesk serve --webhook URL``, end to end: release #2 of the 2024 general posted to
    the API, the DA's call at the receiver, signed, within a second of the API's answer."""
    db = tmp_path / "desk.sqlite"
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, 2)
    port = free_port()
    env = {**os.environ, "RACEDESK_TOKEN": TOKEN, "RACEDESK_WEBHOOK_SECRET": SECRET}
    env.pop("RACEDESK_WEBHOOKS", None)
    command = "from racedesk.cli import main; main()"
    args = ["serve", "--db", str(db), "--port", str(port), "--webhook", receiver.url]
    server = subprocess.Popen([sys.executable, "-c", command, *args], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: _answers(f"{base}/healthz"), 30.0)
        posted = httpx.post(
            f"{base}/api/elections/lavote:4324/releases",
            content=general_feed.releases[2][1],
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60.0,
        )
        answered = time.monotonic()
        assert posted.status_code == 201, posted.text
        assert wait_until(lambda: any(g.doc["contest_id"] == DA for g in receiver.got), 1.0)
        (call,) = [g for g in receiver.got if g.doc["contest_id"] == DA]
        assert call.at - answered < 1.0 and _genuine(call)
        assert call.doc["event"]["choice_names"] == ["NATHAN HOCHMAN"]
    finally:
        server.terminate()
        server.wait(timeout=20)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def test_racedesk_demo_sends_its_calls(receiver: Receiver) -> None:
    """``racedesk demo --webhook URL``: the live replay's runoff (primary) and call (general)
    reach the receiver, signed: a newcomer can try a chat workflow on the demo."""
    env = {**os.environ, "RACEDESK_WEBHOOK_SECRET": SECRET}
    env.pop("RACEDESK_WEBHOOKS", None)
    args = ["demo", "--port", str(free_port()), "--pace", "0.2", "--webhook", receiver.url]
    demo = subprocess.Popen([sys.executable, "-c", "from racedesk.cli import main; main()",
                             *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        got = receiver.wait_for(2, timeout=60.0)
    finally:
        demo.terminate()
        demo.wait(timeout=20)
    assert [(g.doc["kind"], g.doc["event"]["status"]) for g in got] == [
        ("call", "runoff"),
        ("call", "called"),
    ]
    assert got[1].doc["election_id"] == "scenario:la-da-2020-general"
    assert got[1].doc["event"]["choice_names"] == ["George Gascón"]
    assert all(_genuine(g) for g in got)
