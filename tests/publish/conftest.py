"""Fixtures of the web tests: desks over temporary SQLite stores, and a live server.

The 2024 general (``../shared/data/lavote/4324-2024-general``) is ingested once per session
into ``general_desk``, which the read-only tests share. Tests that write get their own desk.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from racedesk.desk import Desk
from racedesk.model import Choice, Contest, ContestCount, Election, Release, Rule
from racedesk.publish.static_site import ExportResult, export_site
from racedesk.publish.web.app import create_app
from racedesk.publish.web.server import DeskServer
from racedesk.sources.lavote import load_folder
from racedesk.store import open_store

TOKEN = "test-token-5f0c"
DA = "9547"
HOCHMAN = "23483"
GASCON = "23482"


@dataclass(frozen=True)
class Feed:
    """A feed folder read into memory: the election and each release's file name and bytes."""

    path: Path
    election: Election
    releases: list[tuple[Path, bytes]]


def new_desk(tmp: Path, election: Election) -> Desk:
    desk = Desk(open_store(f"sqlite:///{tmp / 'desk.sqlite'}"))
    desk.add_election(election)
    return desk


def ingest(desk: Desk, feed: Feed, upto: int | None = None) -> None:
    """Ingest the feed's releases ``[0, upto)`` (all by default), in order."""
    for path, data in feed.releases[:upto]:
        desk.ingest(feed.election.id, data, origin=path.name)


@pytest.fixture(scope="session")
def general_feed(general_2024: Path) -> Feed:
    election, releases = load_folder(general_2024)
    return Feed(path=general_2024, election=election, releases=releases)


@pytest.fixture(scope="session")
def general_desk(general_feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """Every release of the 2024 general, ingested once; do not write to it."""
    desk = new_desk(tmp_path_factory.mktemp("general"), general_feed.election)
    ingest(desk, general_feed)
    return desk


@pytest.fixture(scope="session")
def general_app(general_desk: Desk) -> FastAPI:
    return create_app(general_desk, token=TOKEN)


@pytest.fixture(scope="session")
def general_site(
    general_desk: Desk, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ExportResult]:
    """The static export of the 2024 general, written once."""
    out = tmp_path_factory.mktemp("site")
    return out, export_site(general_desk, general_desk.elections()[0].id, out)


# --- a small election whose names are hostile -------------------------------------------------------

HOSTILE_NAME = "<script>alert('x')</script>"
HOSTILE_TITLE = "Mayor <img src=x onerror=alert(1)> & Council"


def hostile_election() -> Election:
    """A one-contest election whose feed names carry markup, to check escaping."""
    return Election(
        id="test:1",
        title="Test <b>election</b>",
        date=date(2024, 11, 5),
        jurisdiction="Testville",
        kind="general",
        registration=10_000,
        source="test",
        contests=(
            Contest(
                id="1",
                title=HOSTILE_TITLE,
                kind="candidate",
                rule=Rule(kind="plurality"),
                choices=(
                    Choice(id="a", name=HOSTILE_NAME),
                    Choice(id="b", name='Ann "Quote" O\'Brien'),
                ),
            ),
        ),
    )


def hostile_release(election: Election, sequence: int, a: int, b: int) -> Release:
    moment = datetime(2024, 11, 6, 4, 0, tzinfo=UTC) + timedelta(hours=sequence)
    return Release(
        election_id=election.id,
        source="test",
        feed_time=moment,
        received_at=moment,
        content_hash=f"{sequence:064x}",
        contests=(
            ContestCount(
                contest_id="1",
                votes={"a": a, "b": b},
                ballots=a + b,
                full=a + b,
                partial=0,
                undervotes=0,
                overvotes=0,
            ),
        ),
        ballots_counted=a + b,
        ballots_mail=a + b,
        ballots_in_person=0,
    )


@pytest.fixture()
def hostile_desk(tmp_path: Path) -> Desk:
    election = hostile_election()
    desk = new_desk(tmp_path, election)
    desk.ingest_release(hostile_release(election, 0, 120, 80))
    desk.ingest_release(hostile_release(election, 1, 1500, 1100))
    return desk


# --- a live server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on a free loopback port, in a thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", timeout_graceful_shutdown=1
        )
        self.server = DeskServer(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture()
def live_server() -> Iterator[Callable[[FastAPI], LiveServer]]:
    """Start servers for apps; each is stopped at the end of the test."""
    started: list[LiveServer] = []

    def start(app: FastAPI) -> LiveServer:
        server = LiveServer(app).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
