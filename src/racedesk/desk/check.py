"""``racedesk check``: is a database whole? (issue 17, item 8)

:func:`check_store` reads everything a database holds and says what is wrong, in words:

1. **the file** (SQLite): ``PRAGMA integrity_check``, every page, b-tree and index;
2. **every raw payload**: its bytes can be read and their SHA-256 is the hash they are kept
   under (the bytes are what every release, quarantine row and replay stands on);
3. **every release** read again from its raw payload by its election's adapter gives the same
   feed time and counts as stored (a release an adapter of this version refuses is noted, not
   counted as damage: the rules of reading may have tightened since; a release with no payload
   of its own, a scenario's or one of a file holding several, is noted);
4. **every release's snapshot** is there and can be read (the answers the desk gave after it).

It writes nothing. A problem names the election, the release (sequence and hash) or the payload.
"""

from __future__ import annotations

import msgspec

from racedesk.errors import RacedeskError
from racedesk.model import Election, Release, sha256_hex
from racedesk.sources.registry import adapter_of
from racedesk.store.base import Store, StoredRelease
from racedesk.store.connect import sqlite_problems


class StoreHealth(msgspec.Struct, kw_only=True):
    """What :func:`check_store` read and what it found wrong (empty: the database is whole)."""

    database: str
    payloads: int = 0
    releases: int = 0
    snapshots: int = 0
    problems: list[str] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> StoreHealth:
    """Check every part of ``store`` (module docstring); never raises for what it finds."""
    health = StoreHealth(database=getattr(store, "url", ""))
    engine = getattr(store, "engine", None)
    if getattr(store, "dialect", "") == "sqlite" and engine is not None:
        health.problems += [f"the SQLite file: {p}" for p in sqlite_problems(engine, full=True)]
    _check_payloads(store, health)
    for election in store.elections():
        for stored in store.releases(election.id):
            health.releases += 1
            _check_release(store, election, stored, health)
    return health


def _check_payloads(store: Store, health: StoreHealth) -> None:
    for digest in store.raw_hashes():
        health.payloads += 1
        try:
            raw = store.raw(digest)
        except Exception as exc:  # a damaged blob: zlib's, zstd's or the driver's own error
            health.problems.append(f"payload {digest[:12]}: its bytes cannot be read ({exc})")
            continue
        if raw is None or sha256_hex(raw.data) != digest:
            health.problems.append(
                f"payload {digest[:12]}: its bytes do not hash to the hash they are kept under"
            )


def _check_release(
    store: Store, election: Election, stored: StoredRelease, health: StoreHealth
) -> None:
    release = stored.release
    here = f"{election.id}, release {release.sequence} ({release.content_hash[:12]})"
    try:
        snapshot = store.snapshot_at(election.id, release.sequence or 0)
    except Exception as exc:  # a damaged snapshot blob
        health.problems.append(f"{here}: its snapshot cannot be read ({exc})")
    else:
        if snapshot is None:
            health.problems.append(f"{here}: no snapshot of the desk's answers after it")
        else:
            health.snapshots += 1
    try:
        raw = store.raw(release.content_hash)
    except Exception:  # said once, by _check_payloads
        return
    if raw is None:  # a scenario's releases, or a file's that holds several, have none
        health.notes.append(f"{here}: no payload of its own to read again")
        return
    problem = _read_again(election, release, raw.data)
    if problem.startswith("refused"):
        health.notes.append(f"{here}: {problem}")
    elif problem:
        health.problems.append(f"{here}: {problem}")


def _read_again(election: Election, release: Release, data: bytes) -> str:
    """What differs between ``release`` and its payload read again ("" when nothing does)."""
    try:
        read = adapter_of(election).release_reader(election)
        again = read(data, where="payload", content_hash=release.content_hash)
    except RacedeskError as exc:
        return f"refused by this version's adapter when read again ({exc.message})"
    if again.feed_time != release.feed_time:
        return f"its feed time is stored as {release.feed_time}, its payload says {again.feed_time}"
    stored = release.counts_by_contest()
    for count in again.contests:
        if stored.get(count.contest_id) != count:
            return f"contest {count.contest_id}'s counts differ from its payload's"
    if len(stored) != len(again.contests):
        return f"{len(stored)} contests stored, {len(again.contests)} in its payload"
    return ""
