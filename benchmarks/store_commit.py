"""How long the store takes to commit one release of the LA 2024 general with its snapshot.

    uv run --frozen python benchmarks/store_commit.py [--db URL] [--rounds N]

Each round commits the 32 releases of ``../shared/data/lavote/4324-2024-general`` (373
contests, ~900 choice counts each) into a fresh database, each with a snapshot of the engine's
shape (a state, a projection and a call per contest). Prints the median and 90th percentile of
``commit_release`` per release, the part spent encoding before the transaction, the reads
(``releases``, ``snapshot``, ``contest_history`` of a contest, then of another one, which finds
the snapshots' states already read), and the machine. Default database: a SQLite
file in a temporary folder; ``--db postgresql+psycopg://…`` measures PostgreSQL (each round
in a fresh schema). Snapshots come from ``engine.run.advance`` when the engine is complete,
else from the test builder in ``tests/store/store_support.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))

from _machine import general_feed  # noqa: E402

from racedesk.model import Election, Release  # noqa: E402
from racedesk.model.answers import Snapshot  # noqa: E402
from racedesk.settings import shared_data_dir  # noqa: E402
from racedesk.sources.lavote import load_folder, release_reader  # noqa: E402
from racedesk.store.base import StoredRelease  # noqa: E402
from racedesk.store.sql import SqlStore  # noqa: E402


def snapshots_for(election: Election, releases: list[Release]) -> tuple[list[Snapshot], str]:
    try:
        from racedesk.engine.params import default_params
        from racedesk.engine.run import advance

        out: list[Snapshot] = []
        ledger: list = []
        for i in range(len(releases)):
            snap = advance(
                election, releases[: i + 1], [True] * (i + 1), [], ledger, default_params()
            )
            ledger.extend(snap.new_events)
            out.append(snap)
        return out, "engine.run.advance"
    except ImportError:
        import store_support  # tests/store/store_support.py

        return [
            store_support.snapshot(election, r) for r in releases
        ], "tests/store/store_support.py"


def ms(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(0.9 * (len(values) - 1))]
    return f"median {1e3 * statistics.median(values):6.2f} ms   p90 {1e3 * p90:6.2f} ms"


@dataclass
class Timings:
    """Seconds measured over every round: per release committed, and per read."""

    commit: list[float] = field(default_factory=list)
    commit_cpu: list[float] = field(default_factory=list)
    encode: list[float] = field(default_factory=list)
    reads: dict[str, list[float]] = field(
        default_factory=lambda: {
            "releases()": [],
            "snapshot()": [],
            "contest_history()": [],
            "contest_history(), next contest": [],
        }
    )


def parse_args() -> argparse.Namespace:
    """The command line: ``--db`` and ``--rounds``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--rounds", type=int, default=5)
    return parser.parse_args()


def load_general() -> tuple[Election, list[Release]]:
    """The LA 2024 general's election and its releases, numbered from 0 in the feed's order."""
    folder = general_feed(shared_data_dir())
    election, files = load_folder(folder)
    read_release = release_reader(election)
    releases = [
        msgspec.structs.replace(read_release(data, where=str(p)), sequence=i)
        for i, (p, data) in enumerate(files)
    ]
    return election, releases


def round_url(db: str, tmp: str, n: int) -> tuple[str, str]:
    """Round ``n``'s database URL and the PostgreSQL schema made for it ("" if none): a
    SQLite file in ``tmp`` by default, else ``db`` (in a fresh schema for PostgreSQL)."""
    schema = ""
    if db:
        url = db
        if url.startswith("postgres"):
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = SqlStore(url, migrate=False)
            with admin.engine.begin() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            admin.close()
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp}/round{n}.sqlite"
    return url, schema


def drop_schema(db: str, schema: str) -> None:
    """Drop a round's PostgreSQL schema with everything in it."""
    admin = SqlStore(db, migrate=False)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.close()


def time_commits(
    store: SqlStore,
    releases: list[Release],
    snaps: list[Snapshot],
    pack: msgspec.msgpack.Encoder,
    timings: Timings,
) -> None:
    """Commit every release with its snapshot, noting for each the encoding time beforehand
    and the commit's wall-clock and CPU time."""
    for release, snap in zip(releases, snaps, strict=True):
        t0 = time.perf_counter()
        zlib.compress(pack.encode(msgspec.structs.replace(snap, states=())), 1)
        pack.encode(snap.states)
        t1 = time.perf_counter()
        c1 = time.thread_time()
        if store.commit_release(StoredRelease(release=release), snap) is None:
            raise SystemExit("a release was refused as a duplicate")
        c2 = time.thread_time()
        t2 = time.perf_counter()
        timings.encode.append(t1 - t0)
        timings.commit.append(t2 - t1)
        timings.commit_cpu.append(c2 - c1)


def time_reads(store: SqlStore, election: Election, timings: Timings) -> None:
    """Time each read once, in order: the releases, the snapshot, two contests' histories."""
    for name, call, args_ in (
        ("releases()", store.releases, (election.id,)),
        ("snapshot()", store.snapshot, (election.id,)),
        ("contest_history()", store.contest_history, (election.id, "9547")),
        ("contest_history(), next contest", store.contest_history, (election.id, "9857")),
    ):
        t0 = time.perf_counter()
        call(*args_)
        timings.reads[name].append(time.perf_counter() - t0)


def print_figures(
    args: argparse.Namespace, releases: list[Release], made_by: str, timings: Timings
) -> None:
    """Print the run, the commits' and reads' median and p90, and the machine."""
    backend = "PostgreSQL" if args.db.startswith("postgres") else "SQLite"
    print(
        f"racedesk store benchmark: {backend}, LA 2024 general, {len(releases)} releases × "
        f"{args.rounds} rounds, snapshots from {made_by}"
    )
    print(f"  commit_release per release   {ms(timings.commit)}   (wall clock)")
    print(f"  commit_release per release   {ms(timings.commit_cpu)}   (CPU time of this process)")
    print(f"    of which encoding rows and snapshot {ms(timings.encode)}")
    for name, values in timings.reads.items():
        print(f"  {name:28} {ms(values)}")
    if backend == "SQLite":
        import sqlite3

        print(f"  SQLite {sqlite3.sqlite_version}, WAL, synchronous=NORMAL")
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    """Commit the general's releases ``--rounds`` times into fresh databases, then print."""
    args = parse_args()
    election, releases = load_general()
    snaps, made_by = snapshots_for(election, releases)
    timings = Timings()
    pack = msgspec.msgpack.Encoder()
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            url, schema = round_url(args.db, tmp, n)
            store = SqlStore(url)
            store.put_election(election)
            time_commits(store, releases, snaps, pack, timings)
            time_reads(store, election, timings)
            store.close()
            if schema:
                drop_schema(args.db, schema)
    print_figures(args, releases, made_by, timings)


if __name__ == "__main__":
    main()
