"""kill -9 an ingester at random points of a release, many times, restarting it each time.

An ingester (``ingester.py``: ``Desk.ingest`` of every payload of the LA County 2024 general, in
order, as ``racedesk ingest`` does) runs as a real subprocess over a SQLite file, and over a
fresh PostgreSQL database when ``RACEDESK_TEST_PG`` is set. For each kill a seeded RNG picks a
release (spread over the whole canvass), a phase of its ingest (keeping the raw bytes; parsing,
checking and recomputing every contest; the commit transaction; just after it) and a delay
within that phase, scaled by how long the phase took in an uninterrupted run. The process is
killed with SIGKILL at that moment and a new ingester process takes its place at once (forked
from a warm parent, see ``ingester.py``), starting the feed again from the first payload as a
restarted ``racedesk ingest`` would.

After every kill the store is audited (``Auditor``): no partial release (every release has its
normalized rows, its snapshot with a state per contest and its call events, and nothing of a
later release is there), sequences without gaps, and no lost payload (every payload whose bytes
the desk had kept is still there). After the last kill the ingester runs to the end, and the store must hold
exactly what an uninterrupted replay left: the same releases, every snapshot and the ledger.

``RACEDESK_FAULT_KILLS`` (default 50) sets the number of kills and ``RACEDESK_FAULT_SEED``
(default 6) the seed. A replay takes up to 50 kills (fewer when kills that landed just after a
commit have stored every release early); more kills are more replays, each on a fresh database
and each compared with the uninterrupted one. ``docs/operations.md`` records a longer run. Each
run writes its figures to ``test-artifacts/faults/kill-ingester-<backend>.json``.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from racedesk.settings import REPO_ROOT
from racedesk.store import open_store

from . import (
    PHASE_AFTER,
    Auditor,
    Feed,
    Ingesters,
    Outcome,
    differences,
    fresh_database,
    outcome,
    phase_durations,
    read_feed,
)

KILLS = int(os.environ.get("RACEDESK_FAULT_KILLS", "50"))
SEED = int(os.environ.get("RACEDESK_FAULT_SEED", "6"))
#: Kills per replay: a longer run is several replays, each on a fresh database.
PER_ROUND = 50

#: Where in an ingest a kill is aimed, how often, and the mark that opens each phase.
PHASES = ("raw", "engine", "commit", "after")
WEIGHTS = (0.2, 0.3, 0.4, 0.1)
PHASE_START = {
    "raw": "raw-start",
    "engine": "raw-end",
    "commit": "commit-start",
    "after": "commit-end",
}


@dataclass(frozen=True)
class Reference:
    """An uninterrupted replay: what it left in its store, and how long each phase of each
    payload's ingest took (seconds)."""

    outcome: Outcome
    durations: dict[int, dict[str, float]]
    seconds: float


@dataclass(frozen=True)
class Kill:
    """One kill: where it was aimed and where it landed (the phase after the last mark)."""

    release: int
    aimed: str
    offset_ms: float
    landed: str
    landed_release: int | None
    stored_after: int


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> Feed:
    return read_feed(general_2024)


@pytest.fixture(scope="module")
def reference(feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    tmp = tmp_path_factory.mktemp("reference")
    url = f"sqlite:///{tmp / 'reference.sqlite'}"
    server = Ingesters(url, feed.folder, tmp)
    try:
        started = time.monotonic()
        server.start()
        assert server.finish() == 0, server.stderr()
        seconds = time.monotonic() - started
        marks = server.run
    finally:
        server.close()
    assert marks[-1].event == "done"
    store = open_store(url)
    try:
        found = outcome(store, feed)
    finally:
        store.close()
    assert len(found.releases) == len(feed.payloads) == 32
    return Reference(found, phase_durations(marks), seconds)


NewDatabase = Callable[[], AbstractContextManager[str]]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> NewDatabase:
    """Makes a fresh, empty database of the backend for each round."""
    rounds = iter(range(1_000_000))

    @contextmanager
    def sqlite() -> Iterator[str]:
        yield f"sqlite:///{tmp_path / f'round-{next(rounds)}.sqlite'}"

    if request.param == "sqlite":
        return sqlite
    base = os.environ.get("RACEDESK_TEST_PG")
    if not base:
        pytest.skip(
            'RACEDESK_TEST_PG is not set (start PostgreSQL: eval "$(bash scripts/postgres.sh)")'
        )
    return lambda: fresh_database(base, "racedesk_kill")


@dataclass
class Round:
    """One replay with kills, on a fresh database, to the end."""

    kills: list[Kill]
    kept_raw: set[str]
    outcome: Outcome


def kill_round(
    db_url: str, feed: Feed, reference: Reference, aims: list[int], rng: random.Random, tmp: Path
) -> Round:
    """Replay the feed into ``db_url`` with one kill aimed at each release of ``aims`` (in
    order; at the first release not yet stored when that one is), auditing the store after
    every kill, then let the ingester finish. Stops aiming when every release is stored."""
    n = len(feed.payloads)
    kills: list[Kill] = []
    kept_raw: set[str] = set()
    store = open_store(db_url)
    auditor = Auditor(store, feed)
    server = Ingesters(db_url, feed.folder, tmp)
    stored = 0
    try:
        for aim in aims:
            target = max(aim, stored)
            if target >= n:
                break
            server.start()
            phase = rng.choices(PHASES, WEIGHTS)[0]
            span = reference.durations[target][phase] + (0.002 if phase == "after" else 0.0)
            offset = rng.uniform(0.0, span)
            opened = server.wait_for(PHASE_START[phase], target)
            delay = opened.ns / 1e9 + offset - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            server.kill()
            assert server.exit == -9, f"the ingester ended by itself ({server.exit})"
            last = server.run[-1] if server.run else None
            kept_raw |= {
                feed.hashes[m.index]
                for m in server.run
                if m.event == "raw-end" and m.index is not None
            }
            stored = auditor.audit(kept_raw)
            landed = PHASE_AFTER[last.event] if last else "starting"
            kills.append(
                Kill(
                    target,
                    phase,
                    round(offset * 1000, 2),
                    landed,
                    last.index if last else None,
                    stored,
                )
            )
        server.start()
        assert server.finish() == 0, server.stderr()
        assert server.run[-1].event == "done"
        assert auditor.audit(kept_raw) == n
        return Round(kills, kept_raw, outcome(store, feed))
    finally:
        server.close()
        store.close()


@pytest.mark.slow
@pytest.mark.timeout(max(900, 10 * KILLS))
def test_kill_9_at_random_points_of_a_release(
    feed: Feed, reference: Reference, new_database: NewDatabase, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    n = len(feed.payloads)
    kills: list[Kill] = []
    rounds: list[dict[str, object]] = []
    started = time.monotonic()
    backend = ""
    while len(kills) < KILLS:
        # Aim at releases spread over the canvass (the last one is left to the final run);
        # a round ends early when kills that landed after a commit have stored every release.
        aims = sorted(rng.randrange(n - 1) for _ in range(min(PER_ROUND, KILLS - len(kills))))
        with new_database() as db_url:
            backend = db_url.split(":", 1)[0].split("+", 1)[0]
            done = kill_round(db_url, feed, reference, aims, rng, tmp_path)
        kills += done.kills
        problems = differences(done.outcome, reference.outcome)
        rounds.append(
            {"kills": len(done.kills), "kept_raw": len(done.kept_raw), "differences": problems}
        )
        assert problems == [], f"round {len(rounds)}: {problems}"
        assert done.outcome == reference.outcome
    seconds = time.monotonic() - started

    where = Counter(k.landed for k in kills)
    report = {
        "backend": backend,
        "kills": len(kills),
        "rounds": rounds,
        "seed": SEED,
        "seconds": round(seconds, 1),
        "uninterrupted_seconds": round(reference.seconds, 1),
        "landed": dict(where),
        "releases_killed": len({k.release for k in kills}),
        "kill_log": [asdict(k) for k in kills],
    }
    out = REPO_ROOT / "test-artifacts" / "faults" / f"kill-ingester-{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(
        f"\n{backend}: {len(kills)} kills in {len(rounds)} rounds, {seconds:.0f} s, "
        f"landed {dict(where)}"
    )
    assert len(kills) == KILLS
    if KILLS >= 20:
        # the kills reached the two places where a half-done release could be left behind
        assert where["engine"] > 0 and where["commit"] > 0, where


# --- the audit itself ------------------------------------------------------------------------------

#: Ways a release can be left half-written or a payload lost, made by hand in a whole store
#: (SQL on the store's own tables), each of which the audit must catch.
DAMAGE = {
    "the snapshot of a release that was never committed": (
        "INSERT INTO snapshots SELECT release_key + 1, election_id, sequence + 1, feed_us, "
        "feed_tz, usable, model_version, data, states FROM snapshots "
        "WHERE release_key = (SELECT max(release_key) FROM releases)",
        "a snapshot #3 without its release",
    ),
    "a release whose snapshot lost its states": (
        "UPDATE snapshots SET states = X'90' "
        "WHERE release_key = (SELECT max(release_key) FROM releases)",
        "release 2: 0 states",
    ),
    "a release without one choice's votes": (
        "DELETE FROM choice_counts WHERE position = 3 "
        "AND release_key = (SELECT release_key FROM releases WHERE sequence = 1)",
        "release 1's rows differ",
    ),
    "a lost payload": (
        "DELETE FROM raw_payloads "
        "WHERE content_hash = (SELECT content_hash FROM releases WHERE sequence = 1)",
        "was lost",
    ),
}


@pytest.fixture(scope="module")
def whole_store(feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the feed's first three releases, whole."""
    from racedesk.desk import Desk

    path = tmp_path_factory.mktemp("whole") / "whole.sqlite"
    store = open_store(f"sqlite:///{path}")
    desk = Desk(store)
    desk.add_election(feed.election)
    for name, data in zip(feed.names[:3], feed.payloads[:3], strict=True):
        assert desk.ingest(feed.election.id, data, origin=name).status == "stored"
    assert Auditor(store, feed).audit(set()) == 3
    store.close()
    return path


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_the_audit_catches_a_partial_release_or_a_lost_payload(
    feed: Feed, whole_store: Path, tmp_path: Path, damage: str
) -> None:
    import shutil
    import sqlite3

    path = tmp_path / "damaged.sqlite"
    shutil.copy(whole_store, path)  # closed: its write-ahead log is checkpointed into the file
    with sqlite3.connect(path) as conn:  # foreign keys off, as a crash would leave them unchecked
        conn.execute(DAMAGE[damage][0])
    store = open_store(f"sqlite:///{path}")
    try:
        with pytest.raises(AssertionError, match=DAMAGE[damage][1]):
            Auditor(store, feed).audit(set(feed.hashes[:3]))
    finally:
        store.close()
