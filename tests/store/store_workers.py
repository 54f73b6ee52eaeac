"""Processes for the store's concurrency tests: real processes, each with its own store.

Run through ``multiprocessing`` with the ``spawn`` method; each reports back through a queue.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import msgspec
import store_support

from racedesk.errors import SequenceConflict
from racedesk.store.base import StoredRelease
from racedesk.store.sql import SqlStore


def writer(url: str, folder: str, name: str, start: Any, out: Any) -> None:
    """Commit every release of the feed in order, as an ingester does: skip what is stored,
    take the next sequence, retry on a conflict. Reports the sequences it committed."""
    feed = store_support.parse_feed(Path(folder))
    eid = feed.election.id
    store = SqlStore(url)
    store.put_election(feed.election)
    start.wait()
    committed: list[int] = []
    conflicts = duplicates = 0
    for release in feed.releases:
        while not store.has_release(eid, release.content_hash):
            latest = store.latest_sequence(eid)
            mine = msgspec.structs.replace(release, sequence=0 if latest is None else latest + 1)
            snap = store_support.snapshot(feed.election, mine)
            try:
                done = store.commit_release(StoredRelease(release=mine), snap)
            except SequenceConflict:
                conflicts += 1
                continue
            if done is None:
                duplicates += 1
            else:
                committed.append(mine.sequence or 0)
            break
    store.close()
    out.put(
        {"name": name, "committed": committed, "conflicts": conflicts, "duplicates": duplicates}
    )


def reader(url: str, election_id: str, last: int, start: Any, out: Any, limit: float = 240) -> None:
    """Watch the store while writers commit: every release seen must come with its snapshot,
    its contest states and all its counts. Reports what it saw and anything torn."""
    store = SqlStore(url, migrate=False)
    election = store.election(election_id)
    choices = sum(len(c.choices) for c in election.contests)
    start.wait()
    seen: set[int] = set()
    torn: list[str] = []
    checks = 0
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        latest = store.latest_sequence(election_id)
        if latest is None:
            continue
        checks += 1
        snap = store.snapshot_at(election_id, latest)
        stored = store.release(election_id, latest)
        if snap is None:
            torn.append(f"release #{latest} without its snapshot")
        elif len(snap.states) != len(stored.release.contests):
            torn.append(f"release #{latest}: {len(snap.states)} contest states")
        if len(stored.release.contests) != len(election.contests) or choices != sum(
            len(c.votes) for c in stored.release.contests
        ):
            torn.append(f"release #{latest} with missing counts")
        newest = store.snapshot(election_id)
        if newest is None or newest.release_sequence < latest:
            torn.append(f"latest snapshot behind release #{latest}")
        seen.add(latest)
        if latest >= last:
            break
    store.close()
    out.put({"name": "reader", "seen": sorted(seen), "torn": torn, "checks": checks})


def waiter(
    url: str, election_id: str, after: int | None, poll: float, ready: Any, out: Any
) -> None:
    """Wait for a release after ``after`` and report which, and when it woke."""
    store = SqlStore(url, migrate=False, poll_interval=poll)
    ready.set()
    got = store.wait_for_release(election_id, after, timeout=60)
    out.put({"sequence": got, "woke_at": time.time()})
    store.close()
