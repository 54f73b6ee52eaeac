"""Fault tests: racedesk keeps working through killed ingesters, a restarting database and a
misbehaving feed (issue 6). Real processes and real servers throughout, never mocks.

This module holds what the fault tests share: the feed read once, the ingester subprocess
(``ingester.py``) with its step marks, the audit of a store after a fault (no partial release,
no lost payload) and the outcome of a replay to compare with an uninterrupted one.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from racedesk.model import Election, Release, sha256_hex
from racedesk.model.answers import CallEvent, Snapshot
from racedesk.sources import lavote
from racedesk.store.base import Store, StoredRelease

HERE = Path(__file__).resolve().parent
INGESTER = HERE / "ingester.py"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def child_env() -> dict[str, str]:
    """The environment of the subprocesses: this one, with Python's bytecode cached in a
    temporary folder (outside the repository), so that a restarted process does not compile
    every module again when the caller's environment forbids writing bytecode."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "racedesk-pycache")
    env["PYTHONUNBUFFERED"] = "1"
    return env


# --- the feed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """An LA County feed folder read once: the election, and every payload with its name,
    SHA-256 and the release the adapter reads from it."""

    folder: Path
    election: Election
    names: tuple[str, ...]
    payloads: tuple[bytes, ...]
    hashes: tuple[str, ...]
    releases: tuple[Release, ...]


def read_feed(folder: Path) -> Feed:
    election, files = lavote.load_folder(folder)
    return Feed(
        folder=folder,
        election=election,
        names=tuple(p.name for p, _ in files),
        payloads=tuple(d for _, d in files),
        hashes=tuple(sha256_hex(d) for _, d in files),
        releases=tuple(lavote.read_release(d, election, where=p.name) for p, d in files),
    )


# --- the ingester subprocess ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One line of the ingester: its monotonic time (ns), what happened and for which payload."""

    ns: int
    event: str
    index: int | None = None
    rest: tuple[str, ...] = ()


def _parse_mark(line: str) -> Mark:
    parts = line.split()
    index = int(parts[2]) if len(parts) > 2 and parts[2].lstrip("-").isdigit() else None
    return Mark(int(parts[0]), parts[1], index, tuple(parts[3:]))


class Ingesters:
    """``ingester.py --serve`` as a real subprocess: :meth:`start` forks a fresh ingester (one
    at a time), :meth:`kill` kills it with SIGKILL, :meth:`finish` waits for it to end. A thread
    reads every mark into :attr:`marks`; :attr:`run` holds the current ingester's."""

    def __init__(self, db_url: str, feed: Path, log_dir: Path) -> None:
        self.stderr_path = log_dir / f"ingesters-{time.monotonic_ns()}.err"
        self._stderr = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(INGESTER), "--db", db_url, "--feed", str(feed), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=child_env(),
            cwd=HERE.parent.parent,
        )
        self.marks: list[Mark] = []
        self.run: list[Mark] = []
        self.pid: int | None = None
        self.exit: int | None = None
        self._queue: queue.Queue[Mark | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for("ready")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode().strip()
            if line:
                self._queue.put(_parse_mark(line))
        self._queue.put(None)

    def start(self) -> None:
        """Fork a new ingester; it starts the feed from the first payload."""
        assert self.proc.stdin is not None
        self.run, self.pid, self.exit = [], None, None
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def _next(self, timeout: float) -> Mark:
        try:
            got = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"the ingester said nothing for {timeout:.0f} s{self._tail()}"
            ) from None
        if got is None:
            raise AssertionError(
                f"the ingester server ended (exit {self.proc.wait()}){self._tail()}"
            )
        self.marks.append(got)
        if got.event == "child":
            self.pid = got.index
        elif got.event == "exit":
            self.exit = int(got.rest[0])
        else:
            self.run.append(got)
        return got

    def wait_for(self, event: str, index: int | None = None, timeout: float = 120.0) -> Mark:
        """Read marks until ``event`` (for payload ``index``) arrives."""
        deadline = time.monotonic() + timeout
        while True:
            got = self._next(max(0.1, deadline - time.monotonic()))
            if got.event == event and (index is None or got.index == index):
                return got
            if got.event == "exit":
                raise AssertionError(
                    f"the ingester ended (exit {self.exit}) before {event} {index}{self._tail()}"
                )

    def kill(self) -> None:
        """SIGKILL the current ingester and wait until it is gone (every mark it wrote before
        dying is then read)."""
        if self.exit is not None:
            return
        while self.pid is None:
            self._next(30.0)
        with suppress(ProcessLookupError):  # it may have ended by itself a moment ago
            os.kill(self.pid, signal.SIGKILL)
        while self.exit is None:
            self._next(30.0)

    def finish(self, timeout: float = 300.0) -> int:
        """Wait for the current ingester to end by itself; its exit status."""
        deadline = time.monotonic() + timeout
        while self.exit is None:
            self._next(max(0.1, deadline - time.monotonic()))
        return self.exit

    def close(self) -> None:
        """End the server (EOF on its stdin) and any ingester still running."""
        if self.exit is None and self.pid is not None:
            self.kill()
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()

    def stderr(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def _tail(self) -> str:
        text = self.stderr()[-3000:]
        return f"; stderr ends:\n{text}" if text else ""


def phase_durations(marks: list[Mark]) -> dict[int, dict[str, float]]:
    """Seconds each payload spent in each phase of ``Desk.ingest`` (from an uninterrupted run):
    ``raw`` (keeping the bytes), ``engine`` (parse, identities, every contest recomputed),
    ``commit`` (the release's transaction) and ``after`` (until ``Desk.ingest`` returned)."""
    at: dict[tuple[str, int], int] = {
        (m.event, m.index): m.ns for m in marks if m.index is not None
    }
    out: dict[int, dict[str, float]] = {}
    for (event, index), _ in at.items():
        if event != "end":
            continue

        def span(a: str, b: str, i: int = index) -> float:
            return max(0.0, (at[b, i] - at[a, i]) / 1e9) if (a, i) in at and (b, i) in at else 0.0

        out[index] = {
            "raw": span("raw-start", "raw-end"),
            "engine": span("raw-end", "commit-start"),
            "commit": span("commit-start", "commit-end"),
            "after": span("commit-end", "end"),
        }
    return out


#: The phase a process was in after its last mark.
PHASE_AFTER = {
    "open": "starting",
    "begin": "raw",
    "raw-start": "raw",
    "raw-end": "engine",
    "commit-start": "commit",
    "commit-end": "after",
    "end": "between",
    "done": "done",
}


# --- auditing a store ---------------------------------------------------------------------------------


def _plain(release: Release) -> Release:
    """A release without what differs between two ingests of the same bytes."""
    return msgspec.structs.replace(release, received_at=_EPOCH, sequence=None)


class Auditor:
    """Checks, after every fault, that a store holds only whole releases of ``feed``, in order
    and without gaps, and every payload whose bytes the desk had kept.

    Whole means: the release's normalized rows give back exactly what the adapter reads from
    its payload, it has its snapshot with a state per contest and its raw bytes, its call
    events are in the ledger, and nothing of a later release is there (no snapshot, no count
    row, no call event). The store is append-only, so a release audited once is only
    counted afterwards.
    """

    def __init__(self, store: Store, feed: Feed) -> None:
        self.store = store
        self.feed = feed
        self.checked = 0
        self.triggered: set[int] = set()

    def audit(self, kept_raw: set[str]) -> int:
        """Audit the store; returns how many releases it holds."""
        store, feed = self.store, self.feed
        eid = feed.election.id
        latest = store.latest_sequence(eid)
        n = 0 if latest is None else latest + 1
        assert n <= len(feed.payloads), f"{n} releases from {len(feed.payloads)} payloads"
        contests = len(feed.election.contests)
        for seq in range(self.checked, n):
            s: StoredRelease = store.release(eid, seq)  # a gap raises StoreError
            assert s.release.sequence == seq
            assert s.release.content_hash == feed.hashes[seq], f"release {seq} is not payload {seq}"
            assert _plain(s.release) == _plain(feed.releases[seq]), f"release {seq}'s rows differ"
            snap = store.snapshot_at(eid, seq)
            assert snap is not None, f"release {seq} has no snapshot"
            assert snap.release_hash == feed.hashes[seq]
            assert len(snap.states) == contests, f"release {seq}: {len(snap.states)} states"
            self.triggered |= {e.event_id for e in snap.new_events}
        self.checked = n
        assert store.snapshot_at(eid, n) is None, f"a snapshot #{n} without its release"
        ledger = store.ledger(eid)
        assert all(e.release_sequence < n for e in ledger), "a call event of an unstored release"
        assert {e.event_id for e in ledger} == self.triggered, "the ledger and snapshots disagree"
        rows = getattr(store, "row_counts", None)
        if rows is None:
            assert len(store.releases(eid)) == n, "sequences with a gap"
        else:
            counts = rows()
            expect = {
                "releases": n,
                "snapshots": n,
                "contest_counts": sum(len(r.contests) for r in feed.releases[:n]),
                "choice_counts": sum(len(c.votes) for r in feed.releases[:n] for c in r.contests),
                "call_events": len(ledger),
            }
            found = {k: counts.get(k) for k in expect}
            assert found == expect, f"row counts {found}, expected {expect}"
        has_raw = getattr(store, "has_raw", None) or (lambda h: store.raw(h) is not None)
        for digest in set(kept_raw) | set(feed.hashes[:n]):
            assert has_raw(digest), f"payload {digest[:12]} was lost"
        return n


# --- outcomes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a replay left in a store: releases (as read back, without their receipt times),
    every snapshot, the ledger, the raw payloads kept whole and how many were quarantined."""

    releases: tuple[tuple[Release, bool, bool, tuple[Any, ...]], ...]
    snapshots: tuple[Snapshot | None, ...]
    ledger: tuple[CallEvent, ...]
    raw: frozenset[str]
    quarantined: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def outcome(store: Store, feed: Feed) -> Outcome:
    eid = feed.election.id
    stored = store.releases(eid)
    return Outcome(
        releases=tuple((_plain(s.release), s.usable, s.correction, s.problems) for s in stored),
        snapshots=tuple(store.snapshot_at(eid, s.release.sequence or 0) for s in stored),
        ledger=tuple(store.ledger(eid)),
        raw=frozenset(h for h in feed.hashes if _kept_whole(store, h)),
        quarantined=len(store.quarantined()),
    )


def _kept_whole(store: Store, digest: str) -> bool:
    """Are the payload's bytes kept, and do they still have their SHA-256?"""
    raw = store.raw(digest)
    return raw is not None and sha256_hex(raw.data) == digest


def differences(got: Outcome, want: Outcome) -> list[str]:
    """Where two outcomes differ, in words (empty when they are the same)."""
    out = []
    if len(got.releases) != len(want.releases):
        out.append(f"{len(got.releases)} releases, expected {len(want.releases)}")
    for i, (a, b) in enumerate(zip(got.releases, want.releases, strict=False)):
        if a != b:
            out.append(f"release {i} differs")
    for i, (a, b) in enumerate(zip(got.snapshots, want.snapshots, strict=False)):
        if a != b:
            out.append(f"snapshot {i} differs" + (_how(a, b) if len(out) < 3 else ""))
    if got.ledger != want.ledger:
        out.append(f"ledger: {len(got.ledger)} events, expected {len(want.ledger)}")
    if got.raw != want.raw:
        out.append(f"raw payloads: {len(got.raw)}, expected {len(want.raw)}")
    if got.quarantined != want.quarantined:
        out.append(f"quarantined: {got.quarantined}, expected {want.quarantined}")
    return out


def _how(a: Any, b: Any) -> str:
    """Which fields of two structs differ (and, for contest states, in which contest)."""
    if a is None or b is None:
        return f": {a!r:.80} against {b!r:.80}"
    fields = [f for f in a.__struct_fields__ if getattr(a, f) != getattr(b, f)]
    detail = f" in {', '.join(fields)}"
    if "states" in fields:
        for x, y in zip(a.states, b.states, strict=False):
            if x != y:
                inner = [f for f in x.__struct_fields__ if getattr(x, f) != getattr(y, f)]
                first = inner[0] if inner else ""
                detail += (
                    f" (contest {x.contest_id}: {', '.join(inner)}; "
                    f"{first} {getattr(x, first, '')!r:.200} against {getattr(y, first, '')!r:.200})"
                )
                break
    elif fields:
        detail += f" ({getattr(a, fields[0])!r:.200} against {getattr(b, fields[0])!r:.200})"
    return detail


# --- PostgreSQL -----------------------------------------------------------------------------------------


def psycopg_conninfo(url: str) -> dict[str, Any]:
    """psycopg's connection arguments for a SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    args = parsed.translate_connect_args(username="user", database="dbname")
    args.update({k: v for k, v in parsed.query.items() if isinstance(v, str)})
    return args


@contextmanager
def fresh_database(base_url: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside ``base_url``'s (dropped afterwards); yields
    its SQLAlchemy URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    db = f"{name}_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    with psycopg.connect(autocommit=True, **psycopg_conninfo(base_url)) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')  # type: ignore[arg-type]
    try:
        yield make_url(base_url).set(database=db).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(autocommit=True, **psycopg_conninfo(base_url)) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')  # type: ignore[arg-type]
