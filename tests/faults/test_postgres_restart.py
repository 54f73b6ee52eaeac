"""Stop and restart PostgreSQL during a replay: the ingester retries and resumes.

A real ``racedesk ingest`` (the CLI, as a subprocess) replays the LA County 2024 general into
PostgreSQL. While it runs, the server is stopped twice: once cleanly (``pg_ctlcluster … stop``,
which ends every session, open transactions included) and once as a crash (``-m immediate``:
no shutdown checkpoint, crash recovery on the next start), each time for a few seconds. The
ingester must ride both out (``Desk.patience``: it retries an ingest while the store is
unavailable), finish by itself, and leave exactly what an uninterrupted replay leaves: the same
releases, snapshots and ledger, every payload kept, nothing partial.

A web server (``racedesk serve``, another process) reads the same database throughout, with a
client subscribed to its server-sent events from before the first release. While the database
is down the API answers 503 (unavailable, try again), never a server error; afterwards the
server learns of the releases the ingester commits (``LISTEN/NOTIFY`` again) and the client
receives a ``release`` event for every one, in order, none twice.

The database server is a throwaway cluster made for this test (``pg_createcluster`` on a free port,
dropped afterwards), not the machine's ``main`` cluster: the suite runs on several workers at
once (``pytest -n 2``) and stopping ``main`` would break the other workers' PostgreSQL tests.
Making a cluster needs root (the test set-up runs as root); elsewhere the test skips, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from racedesk.desk import Desk
from racedesk.store import open_store

from . import Auditor, Feed, Outcome, child_env, differences, outcome, read_feed

#: How long each outage lasts (seconds), and the release after which it starts: early enough
#: that the ingester still has most of the canvass to store when the server goes down.
OUTAGE_SECONDS = 3.0
OUTAGES = ((4, "fast"), (10, "immediate"))


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://racedesk:racedesk@127.0.0.1:{self.port}/racedesk_faults"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", self.version, self.name, *args], check=True, capture_output=True
        )

    def psql(self, sql: str) -> None:
        subprocess.run(
            ["su", "postgres", "-c", f'psql -X -q -p {self.port} -c "{sql}"'],
            check=True,
            capture_output=True,
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster of our own, started, with a ``racedesk`` role and database."""
    if os.geteuid() != 0:
        pytest.skip(
            "stopping and starting a PostgreSQL cluster needs root (the test set-up's user)"
        )
    if not (shutil.which("pg_createcluster") and shutil.which("pg_ctlcluster")):
        pytest.skip("Debian's postgresql-common (pg_createcluster, pg_ctlcluster) is not installed")
    versions = sorted(Path("/usr/lib/postgresql").glob("*"), key=lambda p: float(p.name))
    if not versions:
        pytest.skip("no PostgreSQL server is installed in /usr/lib/postgresql")
    found = Cluster(versions[-1].name, f"racedesk_faults_{os.getpid()}", _free_port())
    made = subprocess.run(
        [
            "pg_createcluster",
            found.version,
            found.name,
            "--port",
            str(found.port),
            "--start-conf=manual",
        ],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot make a PostgreSQL cluster: {made.stderr.strip()[-300:]}")
    try:
        found.ctl("start")
        found.psql("CREATE ROLE racedesk LOGIN PASSWORD 'racedesk'")
        found.psql("CREATE DATABASE racedesk_faults OWNER racedesk")
        yield found
    finally:
        subprocess.run(["pg_dropcluster", "--stop", found.version, found.name], capture_output=True)


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> Feed:
    return read_feed(general_2024)


@pytest.fixture(scope="module")
def uninterrupted(feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The same replay without any fault, in this process, on SQLite."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'reference.sqlite'}")
    try:
        desk = Desk(store)
        desk.add_election(feed.election)
        for name, data in zip(feed.names, feed.payloads, strict=True):
            assert desk.ingest(feed.election.id, data, origin=name).status == "stored"
        return outcome(store, feed)
    finally:
        store.close()


class EventListener:
    """A client of a web server's server-sent events, in a thread: the sequence of every
    ``release`` event it receives. When its stream ends it reconnects with ``Last-Event-ID``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sequences: list[int] = []
        self.connections = 0
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        last_id: str | None = None
        with httpx.Client(timeout=httpx.Timeout(5.0, read=None)) as client:
            while not self.stop.is_set():
                headers = {"Last-Event-ID": last_id} if last_id else {}
                try:
                    with client.stream("GET", self.url, headers=headers) as answer:
                        self.connections += 1
                        event = ""
                        for line in answer.iter_lines():
                            if line.startswith("event:"):
                                event = line[6:].strip()
                            elif line.startswith("id:"):
                                last_id = line[3:].strip()
                            elif line.startswith("data:") and event == "ready":
                                self.ready.set()
                            elif line.startswith("data:") and event == "release":
                                self.sequences.append(json.loads(line[5:])["sequence"])
                            if self.stop.is_set():
                                return
                except httpx.HTTPError:
                    pass
                self.stop.wait(0.2)

    def wait_for(self, sequence: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while sequence not in self.sequences and time.monotonic() < deadline:
            time.sleep(0.05)


def _get(port: int, path: str) -> httpx.Response | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
    except httpx.HTTPError:
        return None


def _wait_for_sequence(
    url: str, election_id: str, wanted: int, proc: subprocess.Popen[bytes]
) -> None:
    store = open_store(url)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            latest = store.latest_sequence(election_id)
            if latest is not None and latest >= wanted:
                return
            if proc.poll() is not None:
                raise AssertionError(
                    f"racedesk ingest ended (exit {proc.returncode}) before release {wanted}"
                )
            time.sleep(0.02)
        raise AssertionError(f"release {wanted} was not stored in 300 s")
    finally:
        store.close()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_ingest_rides_out_postgres_restarts(
    feed: Feed, uninterrupted: Outcome, cluster: Cluster, tmp_path: Path
) -> None:
    eid = feed.election.id
    setup = Desk(open_store(cluster.url))  # the schema and the election, before anyone reads
    setup.add_election(feed.election)
    setup.store.close()
    err_path = tmp_path / "ingest.err"
    port = _free_port()
    listener: EventListener | None = None
    during: list[int | None] = []
    with err_path.open("wb") as err, (tmp_path / "serve.log").open("wb") as serve_log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "racedesk.cli",
                "serve",
                "--db",
                cluster.url,
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=serve_log,
            env=child_env(),
        )
        proc: subprocess.Popen[bytes] | None = None
        try:
            listener = EventListener(f"http://127.0.0.1:{port}/api/elections/{eid}/events")
            deadline = time.monotonic() + 120
            while not listener.ready.is_set() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert listener.ready.is_set(), "the web server did not start"
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "racedesk.cli",
                    "ingest",
                    str(feed.folder),
                    "--db",
                    cluster.url,
                    "--patience",
                    "120",
                ],
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=child_env(),
            )
            for after, mode in OUTAGES:
                _wait_for_sequence(cluster.url, eid, after, proc)
                cluster.ctl("stop", "-m", mode)
                time.sleep(OUTAGE_SECONDS / 2)
                answer = _get(port, f"/api/elections/{eid}")
                during.append(answer.status_code if answer is not None else None)
                time.sleep(OUTAGE_SECONDS / 2)
                assert proc.poll() is None, (
                    "the ingester gave up while the database was down: "
                    + err_path.read_text(errors="replace")[-3000:]
                )
                cluster.ctl("start")
            code = proc.wait(timeout=300)
            listener.wait_for(len(feed.payloads) - 1, timeout=30)
            after_all = _get(port, f"/api/elections/{eid}")
        finally:
            if listener is not None:
                listener.stop.set()
            for child in (proc, server):
                if child is not None and child.poll() is None:
                    child.kill()
                    child.wait()
    stderr = err_path.read_text(errors="replace")
    assert code == 0, stderr[-3000:]
    retries = stderr.count("trying again")
    assert retries >= len(OUTAGES), f"the ingester never waited for the database:\n{stderr[-3000:]}"

    store = open_store(cluster.url)
    try:
        assert Auditor(store, feed).audit(set(feed.hashes)) == len(feed.payloads)
        got = outcome(store, feed)
    finally:
        store.close()
    print(
        f"\nPostgreSQL stopped {len(OUTAGES)} times for {OUTAGE_SECONDS:.0f} s; {retries} retries; "
        f"API during the outages: {during}; events: {listener.sequences}"
    )
    assert differences(got, uninterrupted) == []
    assert got == uninterrupted

    # the web server said "unavailable" while the database was down, and caught up afterwards
    # (503 today; a server answering from what it already holds, 200, would do as well)
    assert len(during) == len(OUTAGES) and set(during) <= {503, 200}, during
    assert after_all is not None and after_all.status_code == 200
    assert after_all.json()["release"]["sequence"] == len(feed.payloads) - 1
    seen = listener.sequences
    assert seen == list(range(len(feed.payloads))), seen
