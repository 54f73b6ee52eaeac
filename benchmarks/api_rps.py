"""Requests per second of the JSON API's contest-state endpoint, on loopback.

Ingests the LA County 2024 general (32 releases, 373 contests) into a temporary SQLite store,
serves it with ``racedesk.publish.web`` (uvicorn, one process) in a child process, and drives
``GET /api/elections/lavote:4324/contests/{id}`` from this process with keep-alive connections
(a small asyncio HTTP/1.1 client, so that the load generator costs little of the 2 cores the
server shares with it). Two mixes, each for a fixed time after a warm-up:

- ``one contest``: the District Attorney (9547) again and again;
- ``every contest``: the 373 contests in turn (each one's state is cached after its first read).

Prints requests per second, latency p50/p99 and the machine. Target (issue 4): ≥ 1,000
requests per second on 2 cores. Loopback only; bounded in time.

    uv run python benchmarks/api_rps.py [--seconds 8] [--connections 16] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import general_feed, machine

from racedesk.desk import Desk
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.store import open_store

ELECTION = "lavote:4324"


def build(db: str, folder: Path) -> list[str]:
    """Ingest the feed folder into ``db``; the contest ids."""
    election, files = lavote.load_folder(folder)
    desk = Desk(open_store(db))
    desk.add_election(election)
    for path, data in files:
        desk.ingest(election.id, data, origin=path.name)
    return [c.id for c in election.contests]


def run_server(db: str, port: int) -> None:
    import uvicorn

    from racedesk.publish.web.app import create_app
    from racedesk.publish.web.server import DeskServer

    app = create_app(Desk(open_store(db)), token=None)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    DeskServer(config).run()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive GET; the status code."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def load(
    port: int, paths: list[str], connections: int, seconds: float
) -> tuple[int, list[float], int]:
    """Send requests over ``connections`` connections for ``seconds``; (done, latencies, errors)."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = offset
        while time.perf_counter() < stop:
            start = time.perf_counter()
            status = await get(reader, writer, paths[i % len(paths)])
            latencies.append(time.perf_counter() - start)
            errors += status != 200
            i += connections
        writer.close()

    await asyncio.gather(*(client(k) for k in range(connections)))
    return len(latencies), latencies, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per mix")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    folder = general_feed(args.data)

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.sqlite"
        contests = build(db, folder)
        port = free_port()
        server = multiprocessing.get_context("spawn").Process(
            target=run_server, args=(db, port), daemon=True
        )
        server.start()
        try:
            asyncio.run(wait_up(port))
            base = f"/api/elections/{ELECTION}/contests/"
            mixes = {
                "one contest (9547)": [base + "9547"],
                f"every contest ({len(contests)})": [base + c for c in contests],
            }
            print(f"machine: {machine()}")
            print(
                f"server: uvicorn, 1 process; client: {args.connections} keep-alive connections, same machine"
            )
            for name, paths in mixes.items():
                asyncio.run(load(port, paths, args.connections, min(2.0, args.seconds)))  # warm-up
                done, latencies, errors = asyncio.run(
                    load(port, paths, args.connections, args.seconds)
                )
                print(
                    f"{name}: {done / args.seconds:,.0f} requests/s over {args.seconds:g} s "
                    f"({done:,} requests, {errors} errors); latency p50 "
                    f"{statistics.median(latencies) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
                )
        finally:
            server.terminate()
            server.join(timeout=10)


if __name__ == "__main__":
    main()
