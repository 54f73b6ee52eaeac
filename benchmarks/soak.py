"""Soak: a release every second for a long replay, 1,000 SSE clients, a reader on the JSON API.

    uv run --frozen python benchmarks/soak.py [--clients 1000] [--releases 300] [--interval 1.0]
        [--readers 2] [--writer api|process] [--backend sqlite|postgresql] [--max-seconds 900]
        [--json-out FILE]

Everything runs on 127.0.0.1 and stops by itself (after ``--releases`` releases, or
``--max-seconds`` at the latest):

- a server: ``racedesk serve`` in a subprocess over a fresh database (a SQLite file in a
  temporary folder, or with ``--backend postgresql`` a new database beside
  ``RACEDESK_TEST_PG``'s, dropped afterwards) holding only the 2024 general's definition;
- ``--clients`` SSE clients (``GET /api/elections/lavote:4324/events``), in a process of their
  own, each recording when every ``release`` event reached it;
- a writer posting a release every ``--interval`` seconds: the 32 releases of
  ``../shared/data/lavote/4324-2024-general`` in order, cycled with their feed times moved on
  by whole cycles (so each is new); ``--writer api`` posts them to the server
  (``POST /api/elections/lavote:4324/releases`` with the write token), ``--writer process``
  ingests them in a separate process, as a newsroom's ingester does, and the server learns of
  them from the database;
- a reader in a process of its own, ``--readers`` connections each asking, as fast as answers
  come, for the District Attorney contest's state (9 requests in 10) or the whole election's
  summary (1 in 10).

It prints the machine, the server's resident memory over time (sampled every second from
``/proc``; flat means no leak: the slope is fitted over the second half of the run), the delivery
latency of release events (from the release's commit, read from the database afterwards, and
from the moment the writer sent it, to each client's receipt) and the API's throughput and
latency. ``docs/operations.md`` quotes its figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from _machine import general_feed, machine

from racedesk.settings import shared_data_dir
from racedesk.sources import lavote

ELECTION = "lavote:4324"
CONTEST = "9547"  # District Attorney
TOKEN = "soak-token"
HOST = "127.0.0.1"
#: Releases counted as the server's warm-up in the steady-state figures.
WARM_UP = 10
_STAMP = re.compile(rb'"TimeStamp"\s*:\s*"([^"]*)"')


# --- the releases ---------------------------------------------------------------------------------


def releases(folder: Path, count: int) -> list[bytes]:
    """``count`` payloads: the feed's releases in order, cycled, each cycle's feed times moved
    on by the whole canvass plus a day so that every payload is new and later than the last."""
    _, files = lavote.load_folder(folder)
    payloads = [data for _, data in files]
    times = [lavote.parse_timestamp(_STAMP.search(p).group(1).decode()) for p in payloads]  # type: ignore[union-attr]
    step = times[-1] - times[0] + timedelta(days=1)
    out = []
    for k in range(count):
        cycle, i = divmod(k, len(payloads))
        data = payloads[i]
        if cycle:
            moved = times[i] + cycle * step
            stamp = f"{moved.month}/{moved.day}/{moved.year} {moved.strftime('%I:%M:%S %p').lstrip('0')}"
            data = _STAMP.sub(b'"TimeStamp": "' + stamp.encode() + b'"', data, count=1)
        out.append(data)
    return out


# --- the SSE clients (a process of their own) ---------------------------------------------------------


async def _sse_client(
    port: int,
    received: dict[int, list[float]],
    ready: list[int],
    kinds: dict[bytes, int],
    stop: asyncio.Event,
) -> None:
    """One client: subscribe, then note the wall-clock time each ``release`` event arrives
    (and count every message by its kind)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        f"GET /api/elections/{ELECTION}/events HTTP/1.1\r\nHost: {HOST}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"the events stream answered {status!r}")
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        if line.lower().startswith(b"transfer-encoding:") and b"chunked" in line.lower():
            chunked = True
    buffer = b""
    event = b""
    read = asyncio.ensure_future(_read_some(reader, chunked))
    halt = asyncio.ensure_future(stop.wait())
    try:
        while True:
            done, _ = await asyncio.wait({read, halt}, return_when=asyncio.FIRST_COMPLETED)
            if halt in done:
                return
            data = read.result()
            if not data:
                return
            now = time.time()
            buffer += data
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                line = raw.rstrip(b"\r")
                if line.startswith(b"event:"):
                    event = line[6:].strip()
                elif line.startswith(b"data:"):
                    kinds[event] = kinds.get(event, 0) + 1
                    if event == b"ready":
                        ready.append(1)
                    elif event == b"release":
                        seq = json.loads(line[5:])["sequence"]
                        received.setdefault(seq, []).append(now)
                elif not line:
                    event = b""
            read = asyncio.ensure_future(_read_some(reader, chunked))
    finally:
        read.cancel()
        halt.cancel()
        writer.close()


async def _read_some(reader: asyncio.StreamReader, chunked: bool) -> bytes:
    if not chunked:
        return await reader.read(65536)
    size_line = await reader.readline()
    if not size_line:
        return b""
    size = int(size_line.split(b";")[0].strip() or b"0", 16)
    if size == 0:
        return b""
    data = await reader.readexactly(size)
    await reader.readexactly(2)
    return data


def clients_main(port: int, count: int, conn: Any, stop_flag: Any) -> None:
    """The clients' process: connect ``count`` clients (50 at a time), say how many are
    ready, run until ``stop_flag`` is set, then send back every receipt time."""

    async def run() -> None:
        received: dict[int, list[float]] = {}
        ready: list[int] = []
        kinds: dict[bytes, int] = {}
        stop = asyncio.Event()
        started = time.monotonic()
        tasks: list[asyncio.Task[None]] = []
        for first in range(0, count, 50):
            tasks += [
                asyncio.ensure_future(_sse_client(port, received, ready, kinds, stop))
                for _ in range(first, min(count, first + 50))
            ]
            while len(ready) < min(count, first + 50) and time.monotonic() - started < 120:
                failed = sum(1 for t in tasks if t.done())
                if failed and len(ready) + failed >= min(count, first + 50):
                    break
                await asyncio.sleep(0.02)
        failures = [repr(t.exception()) for t in tasks if t.done() and t.exception()]
        conn.send(
            {"ready": len(ready), "seconds": time.monotonic() - started, "failures": failures[:5]}
        )
        while not stop_flag.is_set():
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        dropped = sum(1 for t in tasks if t.done() and t.exception() is not None)
        conn.send(
            {
                "received": received,
                "dropped": dropped,
                "kinds": {k.decode(): v for k, v in kinds.items()},
            }
        )

    asyncio.run(run())


# --- the reader (a process of its own) ------------------------------------------------------------------


def reader_main(port: int, connections: int, conn: Any, stop_flag: Any) -> None:
    """``connections`` threads asking for the DA contest's state (and now and then the whole
    election's summary) as fast as answers come; sends back (start, seconds, status, path)."""
    paths = [f"/api/elections/{ELECTION}/contests/{CONTEST}"] * 9 + [f"/api/elections/{ELECTION}"]
    results: list[tuple[float, float, int, int]] = []
    lock = threading.Lock()

    def worker() -> None:
        mine: list[tuple[float, float, int, int]] = []
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
            i = 0
            while not stop_flag.is_set():
                which = i % len(paths)
                start = time.time()
                try:
                    status = client.get(paths[which]).status_code
                except httpx.HTTPError:
                    status = 0
                mine.append((start, time.time() - start, status, which == len(paths) - 1))
                i += 1
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn.send(results)


# --- the writer in a process of its own ------------------------------------------------------------------


def ingester_main(
    db: str, payloads: list[bytes], interval: float, start_at: float, conn: Any
) -> None:
    """Ingest one payload every ``interval`` seconds from ``start_at`` (wall clock), as a
    newsroom's ingester does; sends back (sequence, sent, done) per payload."""
    from racedesk.desk import open_desk

    desk = open_desk(db)
    log = []
    for k, data in enumerate(payloads):
        wait = start_at + k * interval - time.time()
        if wait > 0:
            time.sleep(wait)
        sent = time.time()
        result = desk.ingest(ELECTION, data, origin=f"soak #{k}")
        log.append((result.sequence, sent, time.time(), result.status))
    conn.send(log)


# --- measuring ------------------------------------------------------------------------------------------


@dataclass
class Rss:
    """The server's resident memory, sampled every second: (seconds since start, MB)."""

    pid: int
    samples: list[tuple[float, float]] = field(default_factory=list)
    cpu: list[tuple[float, float]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, started: float) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        while not self.stop.wait(1.0):
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
                stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return
            kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            now = time.monotonic() - started
            self.samples.append((now, kb / 1024))
            self.cpu.append((now, (int(stat[11]) + int(stat[12])) / ticks))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def database(backend: str, tmp: Path) -> Iterator[str]:
    """A fresh database URL for the run."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'soak.sqlite'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    base = os.environ.get("RACEDESK_TEST_PG")
    if not base:
        sys.exit('--backend postgresql needs RACEDESK_TEST_PG (eval "$(bash scripts/postgres.sh)")')
    url = make_url(base)
    args = url.translate_connect_args(username="user", database="dbname")
    name = f"racedesk_soak_{os.getpid()}"
    with psycopg.connect(autocommit=True, **args) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(autocommit=True, **args) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def commit_times(db: str) -> dict[int, float]:
    """Each release's commit time (wall clock, seconds), as the store recorded it."""
    from sqlalchemy import select

    from racedesk.store import open_store
    from racedesk.store import schema as t

    store = open_store(db)
    try:
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(
                select(t.releases.c.sequence, t.releases.c.stored_us).where(
                    t.releases.c.election_id == ELECTION
                )
            ).all()
    finally:
        store.close()
    return {int(seq): us / 1e6 for seq, us in rows}


# --- the run ------------------------------------------------------------------------------------------------


@dataclass
class Harness:
    """What the run's parts share: the database, the server and its port, the deadline, and
    the processes started with the flag that stops them."""

    db: str
    tmp: Path
    port: int
    server: subprocess.Popen[bytes]
    deadline: float
    ctx: Any
    stop_flag: Any
    procs: list[Any] = field(default_factory=list)


@dataclass
class Run:
    """What a run gathered for the report."""

    hello: dict[str, Any]
    got: dict[str, Any]
    posts: list[tuple[int | None, float, float, str]]
    reads: list[tuple[float, float, int, int]]
    rss: Rss
    idle_rss: float
    connected_rss: float
    replay_seconds: float


def parse_args() -> argparse.Namespace:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--releases", type=int, default=300)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--readers", type=int, default=2, help="API reader connections (0: none)")
    parser.add_argument("--writer", choices=("api", "process"), default="api")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    parser.add_argument("--json-out", type=Path)
    return parser.parse_args()


def main() -> None:
    """Run the soak over a fresh database and server, then print its figures."""
    args = parse_args()
    folder = general_feed(args.data)
    payloads = releases(folder, args.releases)
    election, _ = lavote.load_folder(folder)

    print(f"machine: {machine()}; load average before the run {os.getloadavg()[0]:.1f}")
    print(
        f"soak: {args.clients} SSE clients, {args.releases} releases one every {args.interval:g} s "
        f"(the 2024 general's 32, cycled), {args.readers} API reader connections, "
        f"writer {args.writer}, {args.backend}",
        flush=True,
    )
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp_name, database(args.backend, Path(tmp_name)) as db:
        tmp = Path(tmp_name)
        store_first(db, election, payloads[0])
        payloads = payloads[1:]

        port = free_port()
        server_log = (tmp / "server.log").open("wb")
        server = start_server(db, port, server_log)
        deadline = time.monotonic() + args.max_seconds
        harness = Harness(db, tmp, port, server, deadline, ctx, ctx.Event())
        try:
            run = soak(args, harness, payloads)
        finally:
            shut_down(harness, server_log)
        committed = commit_times(db)
        report(args, run, committed)


def store_first(db: str, election: Any, payload: bytes) -> None:
    """Store the election and its first payload before the server starts."""
    from racedesk.desk import open_desk

    # The first payload (the county's pre-election zero release) is stored before the
    # server starts, so that every read from the start has a release to answer about.
    setup = open_desk(db)
    setup.add_election(election)
    setup.ingest(ELECTION, payload, origin="soak #0")
    setup.store.close()


def start_server(db: str, port: int, log: Any) -> subprocess.Popen[bytes]:
    """``racedesk serve`` over ``db`` on ``port`` in a subprocess, its output to ``log``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "racedesk.cli",
            "serve",
            "--db",
            db,
            "--host",
            HOST,
            "--port",
            str(port),
            "--token",
            TOKEN,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for_server(h: Harness) -> None:
    """Wait up to a minute for the server's ``/healthz`` to answer 200; else exit with the
    end of its log."""
    for _ in range(600):
        try:
            if httpx.get(f"http://{HOST}:{h.port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    else:
        sys.exit("the server did not start: " + (h.tmp / "server.log").read_text()[-2000:])


def soak(args: argparse.Namespace, h: Harness, payloads: list[bytes]) -> Run:
    """The measured run: sample the server's memory, connect the clients and the reader,
    write the releases, then gather what the clients and the reader saw."""
    wait_for_server(h)
    started = time.monotonic()
    rss = Rss(h.server.pid)
    sampler = threading.Thread(target=rss.run, args=(started,), daemon=True)
    sampler.start()
    idle_rss = rss_now(h.server.pid)

    clients_conn, hello = start_clients(args, h)
    connected_rss = rss_now(h.server.pid)
    reader_conn = start_reader(args, h)

    first_release = time.monotonic()
    if args.writer == "api":
        posts = post_releases(args, h, payloads)
    else:
        posts = ingest_releases(args, h, payloads)
    replay_seconds = time.monotonic() - first_release
    time.sleep(3.0)  # let the last events arrive
    h.stop_flag.set()
    got = clients_conn.recv()
    reads = reader_conn.recv() if reader_conn is not None else []
    rss.stop.set()
    sampler.join()
    return Run(hello, got, posts, reads, rss, idle_rss, connected_rss, replay_seconds)


def start_clients(args: argparse.Namespace, h: Harness) -> tuple[Any, dict[str, Any]]:
    """Start the SSE clients' process and wait until they are connected; return its pipe and
    its hello (how many are ready, in how long, the first failures)."""
    clients_conn, child_conn = h.ctx.Pipe()
    clients = h.ctx.Process(
        target=clients_main, args=(h.port, args.clients, child_conn, h.stop_flag)
    )
    clients.start()
    h.procs.append(clients)
    hello = clients_conn.recv()
    print(
        f"connected: {hello['ready']}/{args.clients} clients ready in {hello['seconds']:.1f} s"
        + (f"; failures: {hello['failures']}" if hello["failures"] else ""),
        flush=True,
    )
    return clients_conn, hello


def start_reader(args: argparse.Namespace, h: Harness) -> Any:
    """Start the API reader's process (if ``--readers``); return its pipe, or None."""
    if not args.readers:
        return None
    reader_conn, child_reader = h.ctx.Pipe()
    reader = h.ctx.Process(
        target=reader_main, args=(h.port, args.readers, child_reader, h.stop_flag)
    )
    reader.start()
    h.procs.append(reader)
    return reader_conn


def post_releases(
    args: argparse.Namespace, h: Harness, payloads: list[bytes]
) -> list[tuple[int | None, float, float, str]]:
    """Post a payload to the API every ``--interval`` seconds until the deadline; return
    (sequence, sent, answered, status) per payload posted."""
    posts: list[tuple[int | None, float, float, str]] = []
    with httpx.Client(base_url=f"http://{HOST}:{h.port}", timeout=120,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:  # fmt: skip
        t0 = time.time() + 0.5
        for k, data in enumerate(payloads):
            if time.monotonic() > h.deadline:
                break
            wait = t0 + k * args.interval - time.time()
            if wait > 0:
                time.sleep(wait)
            sent = time.time()
            answer = client.post(f"/api/elections/{ELECTION}/releases", content=data,
                                 headers={"Content-Type": "application/json"})  # fmt: skip
            body = answer.json()
            posts.append(
                (
                    body.get("sequence"),
                    sent,
                    time.time(),
                    body.get("status", str(answer.status_code)),
                )
            )
            if (k + 1) % 60 == 0:
                print(
                    f"  {k + 1} releases, server RSS {rss_now(h.server.pid):.0f} MB",
                    flush=True,
                )
    return posts


def ingest_releases(
    args: argparse.Namespace, h: Harness, payloads: list[bytes]
) -> list[tuple[int | None, float, float, str]]:
    """Have a separate process ingest the payloads; wait for it until the deadline and return
    its (sequence, sent, stored, status) per payload ([] if it sent nothing back)."""
    writer_conn, child_writer = h.ctx.Pipe()
    writer = h.ctx.Process(target=ingester_main,
                           args=(h.db, payloads, args.interval, time.time() + 0.5, child_writer))  # fmt: skip
    writer.start()
    h.procs.append(writer)
    while not writer_conn.poll(1.0):
        if time.monotonic() > h.deadline or not writer.is_alive():
            break
    return writer_conn.recv() if writer_conn.poll(5) else []


def shut_down(h: Harness, server_log: Any) -> None:
    """Stop the processes (killing any that outstay 30 s), then the server, and close its log."""
    h.stop_flag.set()
    for p in h.procs:
        p.join(timeout=30)
        if p.is_alive():
            p.kill()
    h.server.send_signal(signal.SIGINT)
    try:
        h.server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        h.server.kill()
    server_log.close()


def rss_now(pid: int) -> float:
    """Process ``pid``'s resident memory now, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return (
        next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        / 1024
    )


# --- the report ---------------------------------------------------------------------------------------------


@dataclass
class Delivery:
    """The release events' figures: what was stored and delivered, and how late (seconds)."""

    stored: list[tuple[int | None, float, float, str]]
    delivered: int
    expected: int
    from_commit: list[float]
    from_sent: list[float]
    warm: list[float]
    per_release: dict[int, tuple[float, float]]
    per_client: dict[str, float]


def ms(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (seconds), in milliseconds."""
    return pct(values, q) * 1000


def report(args: argparse.Namespace, run: Run, committed: dict[int, float]) -> None:
    """Print the run's figures (and write them to ``--json-out`` if given); ``committed`` is
    each release's commit time."""
    d = delivery(run.hello, run.got, run.posts, committed)
    print_delivery(d, run.hello, run.got, run.posts, run.replay_seconds)
    api = print_api(run.reads)
    per_min = print_server(run.rss, run.idle_rss, run.connected_rss)
    if args.json_out:
        write_json(args, run.hello, d, api, run.rss.samples, per_min)


def delivery(
    hello: dict[str, Any],
    got: dict[str, Any],
    posts: list[tuple[int | None, float, float, str]],
    committed: dict[int, float],
) -> Delivery:
    """Each receipt's delay from its release's commit and from its sending, the same after
    the warm-up, each release's median and max delay, and the messages per client by kind."""
    received: dict[int, list[float]] = got["received"]
    stored = [p for p in posts if p[3] == "stored" and p[0] is not None]
    sent = {p[0]: p[1] for p in stored}
    from_commit = [
        t - committed[seq] for seq, times in received.items() if seq in committed for t in times
    ]
    from_sent = [t - sent[seq] for seq, times in received.items() if seq in sent for t in times]
    warm = [
        t - committed[seq]
        for seq, times in received.items()
        if seq in committed and seq > WARM_UP
        for t in times
    ]
    per_release = {
        seq: (statistics.median(times) - committed[seq], max(times) - committed[seq])
        for seq, times in received.items()
        if seq in committed and times
    }
    return Delivery(
        stored=stored,
        delivered=sum(len(v) for v in received.values()),
        expected=len(stored) * hello["ready"],
        from_commit=from_commit,
        from_sent=from_sent,
        warm=warm,
        per_release=per_release,
        per_client={k: v / max(1, hello["ready"]) for k, v in sorted(got["kinds"].items())},
    )


def print_delivery(
    d: Delivery,
    hello: dict[str, Any],
    got: dict[str, Any],
    posts: list[tuple[int | None, float, float, str]],
    replay_seconds: float,
) -> None:
    """Print the releases stored and their ingest time, the events delivered, and the
    delivery latencies (overall, after the warm-up, and the slowest releases)."""
    stored = d.stored
    ingest = [p[2] - p[1] for p in stored]
    print(f"releases: {len(stored)} stored of {len(posts)} sent in {replay_seconds:.0f} s; "
          f"ingest (send → stored) p50 {pct(ingest, 0.5) * 1000:.0f} ms, p99 {pct(ingest, 0.99) * 1000:.0f} ms")  # fmt: skip
    print(
        f"events: {d.delivered:,} release events delivered of {d.expected:,} expected "
        f"({hello['ready']} clients × {len(stored)} releases); {got['dropped']} streams ended early"
    )
    print("messages per client: " + ", ".join(f"{v:,.0f} {k}" for k, v in d.per_client.items()))
    from_commit, from_sent, warm = d.from_commit, d.from_sent, d.warm
    print(
        f"delivery from commit: p50 {ms(from_commit, 0.5):.0f} ms, p99 {ms(from_commit, 0.99):.0f} ms, "
        f"max {max(from_commit, default=float('nan')) * 1000:.0f} ms"
    )
    print(
        f"delivery from send:   p50 {ms(from_sent, 0.5):.0f} ms, p99 {ms(from_sent, 0.99):.0f} ms, "
        f"max {max(from_sent, default=float('nan')) * 1000:.0f} ms"
    )
    print(
        f"delivery from commit, after the first {WARM_UP} releases: p50 {ms(warm, 0.5):.0f} ms, "
        f"p99 {ms(warm, 0.99):.0f} ms, max {max(warm, default=float('nan')) * 1000:.0f} ms"
    )
    slow = sorted(d.per_release.items(), key=lambda kv: -kv[1][1])[:5]
    print(
        "slowest releases (sequence: median/max ms from commit): "
        + ", ".join(f"{seq}: {a * 1000:.0f}/{b * 1000:.0f}" for seq, (a, b) in slow)
    )
    late = sum(1 for a, _ in d.per_release.values() if a > 1.0)
    print(f"releases whose median delivery took over 1 s: {late} of {len(d.per_release)}")


def print_api(reads: list[tuple[float, float, int, int]]) -> dict[str, Any]:
    """Print the API's throughput, latency and errors for the contest and the election
    requests; return them by kind ({} without readers)."""
    api: dict[str, Any] = {}
    if reads:
        span = max(r[0] + r[1] for r in reads) - min(r[0] for r in reads)
        for name, big in (("contest", 0), ("election", 1)):
            lat = [r[1] for r in reads if r[3] == big]
            errors = sum(1 for r in reads if r[3] == big and r[2] != 200)
            statuses = sorted({r[2] for r in reads if r[3] == big and r[2] != 200})
            api[name] = {"requests": len(lat), "per_second": len(lat) / span, "p50_ms": ms(lat, 0.5),
                         "p99_ms": ms(lat, 0.99), "errors": errors}  # fmt: skip
            print(
                f"API {name:8}: {len(lat):,} requests, {len(lat) / span:.0f}/s, p50 {ms(lat, 0.5):.1f} ms, "
                f"p99 {ms(lat, 0.99):.1f} ms, {errors} errors"
                + (f" (HTTP {statuses})" if statuses else "")
            )
    return api


def print_server(rss: Rss, idle_rss: float, connected_rss: float) -> float:
    """Print the load average, the server's memory (idle, with clients, at the end, at most,
    and over time) and its CPU; return the memory's second-half slope in MB/min."""
    samples = rss.samples
    half = [s for s in samples if s[0] >= samples[-1][0] / 2] if samples else []
    per_min = slope(half) * 60
    print(f"load average after the run {os.getloadavg()[0]:.1f}")
    print(
        f"server RSS: idle {idle_rss:.0f} MB, with clients {connected_rss:.0f} MB, "
        f"end {samples[-1][1] if samples else float('nan'):.0f} MB, max {max(s[1] for s in samples):.0f} MB; "
        f"second-half slope {per_min:+.2f} MB/min"
    )
    cpu = rss.cpu
    if len(cpu) > 1:
        print(
            f"server CPU: {(cpu[-1][1] - cpu[0][1]) / (cpu[-1][0] - cpu[0][0]) * 100:.0f}% of one core on average"
        )
    every = max(1, len(samples) // 12)
    print("RSS timeline (s: MB): " + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in samples[::every]))
    return per_min


def write_json(
    args: argparse.Namespace,
    hello: dict[str, Any],
    d: Delivery,
    api: dict[str, Any],
    samples: list[tuple[float, float]],
    per_min: float,
) -> None:
    """Write the run's figures to ``--json-out``."""
    from_commit, from_sent, warm = d.from_commit, d.from_sent, d.warm
    args.json_out.write_text(json.dumps({
        "machine": machine(), "args": {k: str(v) for k, v in vars(args).items()},
        "clients_ready": hello["ready"], "releases_stored": len(d.stored), "events_delivered": d.delivered,
        "events_expected": d.expected, "delivery_from_commit_ms": {"p50": ms(from_commit, 0.5), "p99": ms(from_commit, 0.99)},
        "delivery_from_send_ms": {"p50": ms(from_sent, 0.5), "p99": ms(from_sent, 0.99)},
        "messages_per_client": d.per_client,
        "delivery_after_warm_up_ms": {"p50": ms(warm, 0.5), "p99": ms(warm, 0.99)},
        "api": api, "rss_mb": samples, "rss_slope_mb_per_min": per_min,
        "per_release_delivery_s": {str(k): v for k, v in sorted(d.per_release.items())},
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
