"""Server-sent events under load: N clients on loopback receive a release event; how fast?

Ingests the first releases of the LA County 2024 general into a temporary SQLite store, serves it
with ``racedesk.publish.web`` (uvicorn, one process) in a child process, opens N event streams
(``GET /api/elections/lavote:4324/events``) from this process with a small asyncio client, and
then, for each N in ``--clients`` (default 100 and 1,000), lands the next releases two ways:

- ``posted``: ``POST /api/elections/…/releases`` with the token. Latency runs from the request
  being sent to each client seeing the ``release`` event, so it includes parsing the release and
  recomputing all 373 contests (the "ingest" figure: until the POST's answer).
- ``committed``: another process commits the release into the store directly (as ``racedesk
  watch`` would); the server learns of it from the store. Latency runs from the commit to each
  client seeing the event.

Prints p50/p99/max delivery latency per N and the machine. Target (issue 4): p99 ≤ 1 s at 1,000
clients. Loopback only; bounded in clients, releases and time (every wait has a timeout).

    uv run python benchmarks/sse_load.py [--clients 100 1000] [--rounds 2] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import re
import socket
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import general_feed, machine

from racedesk.desk import Desk
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.store import open_store

ELECTION = "lavote:4324"
TOKEN = "bench-token"
FIRST = 8  # releases stored before the clients connect
WAIT = 20.0  # seconds any one wait may take
SENT = re.compile(rb'"kind":"release","sent_at":([0-9.]+)')


def build(db: str, folder: Path) -> list[bytes]:
    """Ingest the first releases into ``db``; the bytes of the rest, in order."""
    election, files = lavote.load_folder(folder)
    desk = Desk(open_store(db))
    desk.add_election(election)
    for path, data in files[:FIRST]:
        desk.ingest(election.id, data, origin=path.name)
    return [data for _, data in files[FIRST:]]


def run_server(db: str, port: int) -> None:
    import uvicorn

    from racedesk.publish.web.app import create_app
    from racedesk.publish.web.server import DeskServer

    app = create_app(Desk(open_store(db)), token=TOKEN)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, backlog=4096
    )
    DeskServer(config).run()


def run_writer(db: str, pipe: Connection) -> None:
    """Another process that commits releases it is sent; answers each with the commit time."""
    desk = Desk(open_store(db))
    while True:
        data = pipe.recv()
        if data is None:
            return
        result = desk.ingest(ELECTION, data, origin="bench writer")
        pipe.send((time.time(), result.status))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One event stream read raw: the arrival time of every ``ready`` and ``release`` event."""

    def __init__(self) -> None:
        self.ready = asyncio.Event()
        self.releases: list[float] = []
        self.sent: list[float] = []  # the hub's sent_at of each release event
        self.writer: asyncio.StreamWriter | None = None

    async def run(self, port: int) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(
            f"GET /api/elections/{ELECTION}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        tail = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            now = time.time()
            text = tail + chunk
            if b"event: ready" in text:
                self.ready.set()
            new = text.count(b"event: release") - tail.count(b"event: release")
            self.releases.extend([now] * new)
            if new:
                self.sent.extend(float(x) for x in SENT.findall(text)[-new:])
            tail = text[-32:]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def post(port: int, body: bytes) -> float:
    """POST a release; the time its answer came back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST /api/elections/{ELECTION}/releases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body
    )
    head = await reader.readuntil(b"\r\n\r\n")
    done = time.time()
    if b" 201 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"the release was not stored: {head!r}")
    writer.close()
    return done


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )


async def until(predicate, timeout: float = WAIT) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return bool(predicate())


async def measure(
    port: int, n: int, rounds: int, pending: list[bytes], writer_pipe: Connection
) -> None:
    clients = [Client() for _ in range(n)]
    gate = asyncio.Semaphore(200)

    async def start(client: Client) -> None:
        async with gate:
            task = asyncio.create_task(client.run(port))
            tasks.append(task)
            await asyncio.wait_for(client.ready.wait(), WAIT)

    tasks: list[asyncio.Task[None]] = []
    opened = time.monotonic()
    await asyncio.gather(*(start(c) for c in clients))
    print(f"{n} clients: all streams open in {time.monotonic() - opened:.1f} s")
    seen = 0
    for how in ("posted", "committed"):
        latencies: list[float] = []
        fanout: list[float] = []  # from the hub sending the event to each client having it
        detect: list[float] = []  # from landing to the hub sending the event
        ingest: list[float] = []
        missing = 0
        for _ in range(rounds):
            body = pending.pop(0)
            if how == "posted":
                sent = time.time()
                answered = await post(port, body)
                ingest.append(answered - sent)
            else:
                writer_pipe.send(body)
                sent, status = await asyncio.to_thread(writer_pipe.recv)
                assert status == "stored", status
            await until(lambda seen=seen: all(len(c.releases) > seen for c in clients))
            for c in clients:
                if len(c.releases) > seen:
                    latencies.append(c.releases[seen] - sent)
                    if len(c.sent) > seen:
                        fanout.append(c.releases[seen] - c.sent[seen])
                        detect.append(c.sent[seen] - sent)
                else:
                    missing += 1
            seen += 1
            await asyncio.sleep(0.5)
        extra = (
            f"; ingest (POST until answered) {statistics.median(ingest) * 1000:.0f} ms"
            if ingest
            else ""
        )
        print(
            f"  {how:9} {rounds} releases × {n} clients: delivery {summary(latencies)}"
            f"{extra}; missed {missing}\n"
            f"            of which: until the hub sent it {statistics.median(detect) * 1000:.0f} ms (median); "
            f"hub to clients {summary(fanout)}"
        )
    for c in clients:
        c.close()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=2, help="releases per way of landing")
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    folder = general_feed(args.data)
    if max(args.clients) > 5000:
        sys.exit("at most 5,000 clients")

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.sqlite"
        pending = build(db, folder)
        needed = 2 * args.rounds * len(args.clients)
        if needed > len(pending):
            sys.exit(f"{needed} releases needed, {len(pending)} left in the feed")
        port = free_port()
        spawn = multiprocessing.get_context("spawn")
        server = spawn.Process(target=run_server, args=(db, port), daemon=True)
        ours, theirs = spawn.Pipe()
        writer = spawn.Process(target=run_writer, args=(db, theirs), daemon=True)
        server.start()
        writer.start()
        try:
            print(f"machine: {machine()}")
            print(
                "server: uvicorn, 1 process, SQLite store; clients and writer on the same machine"
            )

            async def wait_up() -> None:
                async def up() -> bool:
                    try:
                        _, w = await asyncio.open_connection("127.0.0.1", port)
                        w.close()
                        return True
                    except OSError:
                        return False

                deadline = time.monotonic() + 60
                while not await up():
                    if time.monotonic() > deadline:
                        raise RuntimeError("the server did not start")
                    await asyncio.sleep(0.1)

            asyncio.run(wait_up())
            for n in args.clients:
                asyncio.run(measure(port, n, args.rounds, pending, ours))
        finally:
            ours.send(None)
            writer.join(timeout=10)
            server.terminate()
            server.join(timeout=10)


if __name__ == "__main__":
    main()
