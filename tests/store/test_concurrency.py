"""Several processes on one store: two ingesters committing the same releases while a reader
watches, and a web server in another process woken by a new release (LISTEN/NOTIFY on
PostgreSQL, polling on SQLite). Real processes (``multiprocessing``, spawn), on both backends.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
import store_workers
from store_support import Feed

from racedesk.store.base import StoredRelease
from racedesk.store.sql import SqlStore

pytestmark = pytest.mark.timeout(600)


def _results(queue: Any, n: int, procs: list[Any]) -> list[dict[str, Any]]:
    out = [queue.get(timeout=300) for _ in range(n)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0, f"{p.name} exited with {p.exitcode}"
    return out


@pytest.mark.slow
def test_two_ingesters_and_a_reader(store_url: str, general_2024: Path, general: Feed) -> None:
    setup = SqlStore(store_url)  # migrated once before the processes start
    setup.put_election(general.election)
    setup.close()
    ctx = multiprocessing.get_context("spawn")
    start, queue = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(
            target=store_workers.writer,
            args=(store_url, str(general_2024), name, start, queue),
            name=name,
        )
        for name in ("ingester-a", "ingester-b")
    ]
    procs.append(
        ctx.Process(
            target=store_workers.reader,
            args=(store_url, general.election.id, len(general.releases) - 1, start, queue),
            name="reader",
        )
    )
    for p in procs:
        p.start()
    time.sleep(0.5)
    start.set()
    results = {r["name"]: r for r in _results(queue, 3, procs)}

    a, b, reader = results["ingester-a"], results["ingester-b"], results["reader"]
    # every release committed exactly once, by one or the other, with no gap
    assert sorted(a["committed"] + b["committed"]) == list(range(len(general.releases)))
    assert reader["torn"] == []
    assert reader["checks"] > 0 and reader["seen"][-1] == len(general.releases) - 1

    store = SqlStore(store_url)
    stored = store.releases(general.election.id)
    assert [s.release.content_hash for s in stored] == [r.content_hash for r in general.releases]
    assert [s.release.sequence for s in stored] == list(range(len(general.releases)))
    for s in stored:
        assert s.release.contests == general.releases[s.release.sequence or 0].contests
    counts = store.row_counts()
    assert counts["releases"] == counts["snapshots"] == len(general.releases)
    assert counts["contest_counts"] == len(general.releases) * 373
    snapshots = [store.snapshot_at(general.election.id, k) for k in range(len(general.releases))]
    assert all(s is not None and len(s.states) == 373 for s in snapshots)
    store.close()


def test_a_new_release_wakes_a_waiting_process(store_url: str, general: Feed) -> None:
    after = 0
    store = SqlStore(store_url)
    store.put_election(general.election)
    store.commit_release(StoredRelease(release=general.releases[0]), general.snapshots[0])
    nxt = after + 1
    # On PostgreSQL the waiter polls only once a minute: waking within seconds is NOTIFY's doing.
    poll = 60.0 if store.dialect == "postgresql" else 0.05
    ctx = multiprocessing.get_context("spawn")
    ready, queue = ctx.Event(), ctx.Queue()
    proc = ctx.Process(
        target=store_workers.waiter,
        args=(store_url, general.election.id, after, poll, ready, queue),
    )
    proc.start()
    assert ready.wait(60)
    time.sleep(1.0)  # the waiter is now inside wait_for_release
    assert queue.empty()
    assert store.commit_release(
        StoredRelease(release=general.releases[nxt]), general.snapshots[nxt]
    )
    committed_at = time.time()
    [result] = _results(queue, 1, [proc])
    assert result["sequence"] == nxt
    assert result["woke_at"] - committed_at < 5.0
    store.close()
