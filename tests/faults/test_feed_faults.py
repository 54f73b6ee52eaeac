"""A feed that goes down, serves an older release or serves garbage, under a real watcher.

``tests/sources/test_poll.py`` checks what the poller makes of each answer (in process, with
recorded callbacks). This test runs the whole thing as it runs in a newsroom: ``racedesk watch``
as a real process writing to a real database, against a local stand-in for the county's feed
whose behaviour the test changes while the watcher runs. The feed's server is shut down
(connections refused), then comes back serving an older release, then a truncated payload. Each
time the watcher must say what happened, keep running, and leave the last good state alone: the
database's latest release and snapshot stay exactly what they were. When the feed publishes a
new release again, the watcher stores it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from racedesk.store import open_store
from racedesk.store.base import Store

from . import Feed, child_env, read_feed

ELECTION = "lavote:4324"


class LiveFeed:
    """The county feed's two endpoints on 127.0.0.1, answering whatever :attr:`body` holds
    now; :meth:`down` closes the port (connections refused) and :meth:`up` opens it again."""

    def __init__(self, election_data: bytes) -> None:
        self.election_data = election_data
        self.body = b""
        self.counter_requests = 0
        self.gone = False
        self._connections: list[socket.socket] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ElectionResults"

    def up(self) -> None:
        feed = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                feed._connections.append(self.connection)

            def do_GET(self) -> None:
                if feed.gone:  # a connection kept alive from before: drop it unanswered
                    self.close_connection = True
                    return
                if "GetElectionData" in self.path:
                    body = feed.election_data
                else:
                    feed.counter_requests += 1
                    body = feed.body
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.gone = False
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def down(self) -> None:
        self.gone = True
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for conn in self._connections:  # and the connections kept alive
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._connections.clear()


class Watcher:
    """``racedesk watch`` as a subprocess; its output lines are read by a thread."""

    def __init__(self, db: str, base_url: str) -> None:
        env = {**child_env(), "COLUMNS": "300"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "racedesk.cli",
                "watch",
                ELECTION,
                "--db",
                db,
                "--interval",
                "0.2",
                "--base-url",
                base_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def expect(self, text: str, timeout: float = 60.0) -> str:
        """The next output line containing ``text`` (the lines before it are kept too)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"the watcher never said {text!r}; it said:\n" + "\n".join(self.lines[-20:])
                ) from None
            if line is None:
                raise AssertionError(
                    f"the watcher ended (exit {self.proc.wait()}):\n" + "\n".join(self.lines[-20:])
                )
            self.lines.append(line)
            if text in line:
                return line

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> Feed:
    return read_feed(general_2024)


@pytest.fixture()
def live(feed: Feed) -> Iterator[LiveFeed]:
    server = LiveFeed((feed.folder / "election_data.json").read_bytes())
    server.body = feed.payloads[0]
    server.up()
    try:
        yield server
    finally:
        server.down()


def _state(store: Store) -> tuple[int | None, object]:
    return store.latest_sequence(ELECTION), store.snapshot(ELECTION)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_watcher_reports_feed_faults_and_keeps_the_last_good_state(
    feed: Feed, live: LiveFeed, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'watch.sqlite'}"
    watcher = Watcher(db, live.base_url)
    store: Store | None = None
    try:
        watcher.expect("election: General Election")
        for i in range(3):
            live.body = feed.payloads[i]
            watcher.expect(f"stored as release {i}")
        store = open_store(db)
        good = _state(store)
        assert good[0] == 2

        live.down()  # the county's server is gone: connections refused
        line = watcher.expect("error:")
        assert "request failed: ConnectError" in line and "next poll in" in line
        assert _state(store) == good

        live.body = feed.payloads[1]  # back, but a CDN node serves an older release
        live.up()
        line = watcher.expect("stale:")
        assert "older" in line
        assert _state(store) == good

        body = feed.payloads[3]
        live.body = body[: len(body) // 3]  # cut short
        line = watcher.expect("garbage:")
        assert _state(store) == good

        live.body = feed.payloads[3]  # the feed is well again
        watcher.expect("stored as release 3")
        latest, snapshot = _state(store)
        assert latest == 3
        assert snapshot is not None and snapshot != good[1]
        assert [s.release.content_hash for s in store.releases(ELECTION)] == list(feed.hashes[:4])
        assert watcher.proc.poll() is None, "the watcher stopped"
    finally:
        code = watcher.stop()
        if store is not None:
            store.close()
    kinds = [w for line in watcher.lines for w in ("error:", "stale:", "garbage:") if w in line]
    assert kinds[:3] == ["error:", "stale:", "garbage:"], watcher.lines
    assert code in (0, 130, -signal.SIGINT), "\n".join(watcher.lines[-20:])
    if os.environ.get("RACEDESK_FAULT_VERBOSE"):
        print("\n".join(watcher.lines))
