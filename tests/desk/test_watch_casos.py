"""``racedesk watch ca-sos:DATE`` against a local stand-in for the state's feeds, serving the real
files of the 2024 primary: conditional requests, a bundle stored when a feed changed, failures,
and a restart from the stored release."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from racedesk.desk import open_desk
from racedesk.desk.watch import casos_poller, watch_casos
from racedesk.errors import InputError
from racedesk.sources import casos
from racedesk.sources.casos_poll import FeedPoller


class _State:
    """Serves ``/returns/<path>``: each feed's current document (``serving``, by feed name),
    with an ETag answering 304 to a matching ``If-None-Match``; ``down`` answers 503."""

    def __init__(self) -> None:
        self.serving: dict[str, bytes] = {}
        self.down = False
        self.asked: list[tuple[str, str | None]] = []
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                feed = self.path.removeprefix("/returns/").replace("/", "-")
                state.asked.append((feed, self.headers.get("If-None-Match")))
                body = state.serving.get(feed)
                if state.down or body is None:
                    self.send_response(503 if state.down else 404)
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/returns"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def state() -> Iterator[_State]:
    s = _State()
    yield s
    s.server.shutdown()


@pytest.fixture(scope="module")
def feeds(shared_data: Path) -> Path:
    path = shared_data / "ca-sos" / "2024-primary"
    if not path.is_dir():
        pytest.skip(f"the state's 2024 primary feeds not found at {path}")
    return path


def test_watch_stores_a_bundle_when_a_feed_changed(
    state: _State, feeds: Path, tmp_path: Path
) -> None:
    d16 = feeds / "us-rep-district-16"
    props = feeds / "ballot-measures"
    state.serving = {
        "us-rep-district-16": (d16 / "2024-03-05T21-09-00.json").read_bytes(),
        "ballot-measures": (props / "2024-03-05T21-09-00.json").read_bytes(),
    }
    desk = open_desk(f"sqlite:///{tmp_path / 'sos.sqlite'}")
    poller = FeedPoller(("ballot-measures", "us-rep-district-16"), date(2024, 3, 5), base=state.url)
    lines: list[str] = []
    assert watch_casos(desk, poller, interval=0, max_polls=2, say=lines.append) == {
        "stored": 1,
        "not-modified": 1,
    }
    # the second poll asked each feed with the ETag it had been given
    assert [etag is not None for _, etag in state.asked[2:]] == [True, True]
    assert lines[0].startswith("stored: 2 feeds changed: ballot-measures, us-rep-district-16")
    state.serving["us-rep-district-16"] = (d16 / "2024-04-04T16-21-00.json").read_bytes()
    assert watch_casos(desk, poller, interval=0, max_polls=1, say=lines.append) == {"stored": 1}
    election = desk.election("ca-sos:2024-03-05")
    assert [c.id for c in election.contests] == ["prop-1", "us-rep-district-16"]
    first, second = desk.releases(election.id)
    count = second.release.count("us-rep-district-16")
    assert count is not None and count.votes["evan-low"] == count.votes["joe-simitian"] == 30_249
    assert second.release.count("prop-1") == first.release.count("prop-1")
    # every feed down: an error, and the loop backs off (nothing stored)
    state.down = True
    assert watch_casos(desk, poller, interval=0, max_polls=1, say=lines.append) == {"error": 1}
    assert lines[-1].startswith("error: every feed failed")
    # a restart polls the feeds of the latest stored release, from their stored documents
    state.down = False
    again = casos_poller(desk, "ca-sos:2024-03-05", base_url=state.url)
    assert again.feeds == ("ballot-measures", "us-rep-district-16")
    assert watch_casos(desk, again, interval=0, max_polls=1, say=lines.append) == {
        "not-modified": 1
    }
    assert len(desk.releases(election.id)) == 2


def test_a_feed_serving_garbage_is_set_aside_and_the_rest_used(
    state: _State, feeds: Path, tmp_path: Path
) -> None:
    state.serving = {
        "us-rep-district-16": (
            feeds / "us-rep-district-16" / "2024-03-06T03-01-00.json"
        ).read_bytes(),
        "ballot-measures": b"<html>Service Unavailable</html>",
    }
    desk = open_desk(f"sqlite:///{tmp_path / 'sos.sqlite'}")
    poller = FeedPoller(("ballot-measures", "us-rep-district-16"), date(2024, 3, 5), base=state.url)
    assert watch_casos(desk, poller, interval=0, max_polls=1, say=[].append) == {"stored": 1}
    (stored,) = desk.releases("ca-sos:2024-03-05")
    assert [c.contest_id for c in stored.release.contests] == ["us-rep-district-16"]
    # the bundle keeps what the feed served; read again, it says what was set aside
    raw = desk.store.raw(stored.release.content_hash)
    assert raw is not None and b"Service Unavailable" in raw.data
    again = casos.read_release(raw.data, desk.election("ca-sos:2024-03-05"), where="stored")
    assert again.set_aside == (
        "feed ballot-measures set aside: not JSON: '<html>Service Unavailable</html>'",
    )
    # only garbage: nothing readable, the bundle is kept in quarantine
    state.serving = {"ballot-measures": b"nope"}
    only = FeedPoller(("ballot-measures",), date(2024, 3, 5), base=state.url)
    lines: list[str] = []
    assert watch_casos(desk, only, interval=0, max_polls=1, say=lines.append) == {"garbage": 1}
    assert len(desk.store.quarantined()) == 1


def test_a_watch_needs_its_feeds(tmp_path: Path) -> None:
    desk = open_desk(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(InputError, match="no feeds to poll"):
        casos_poller(desk, "ca-sos:2024-03-05")
    with pytest.raises(InputError, match="expected ca-sos:YYYY-MM-DD"):
        casos_poller(desk, "ca-sos:primary")
    named = casos_poller(desk, "ca-sos:2024-03-05", ["us-senate"])
    assert named.feeds == ("us-senate",)
