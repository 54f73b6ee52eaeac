"""The desk's ingest path on the real 2024 general, on SQLite and on PostgreSQL: what is kept, what
is refused, and that a torn release moves no contest."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import create_engine

from racedesk.desk import Desk
from racedesk.errors import InputError
from racedesk.model import sha256_hex
from racedesk.sources import lavote, registry
from racedesk.store import open_store

from .conftest import pg_url as _pg_url


@pytest.fixture(scope="module")
def feed(general_2024: Path):
    return lavote.load_folder(general_2024)


def _desk(url: str, election) -> Desk:
    desk = Desk(open_store(url))
    desk.add_election(election)
    return desk


def _numbers(desk: Desk, election_id: str) -> dict[str, dict[str, int]]:
    snap = desk.snapshot(election_id)
    assert snap is not None
    return {s.contest_id: dict(s.votes) for s in snap.states}


def _torn(early: bytes, late: bytes, election) -> bytes:
    """Contests in the first half of the ballot from ``late``, the rest (and the county-wide
    counters) from ``early``: a CDN's mix of two releases."""
    a, b = json.loads(early), json.loads(late)
    contests = [c for c in election.contests]
    newer = {int(c.id) for c in contests[: len(contests) // 2]}
    newer |= {int(k.id) for c in contests[: len(contests) // 2] for k in c.choices}
    rows = [r for r in a["Data"] if r["ReferenceID"] not in newer]
    rows += [r for r in b["Data"] if r["ReferenceID"] in newer]
    b["Data"] = rows
    b["TimeStamp"] = "11/6/2024 1:50:00 AM"  # between the two real releases that follow
    return json.dumps(b).encode()


def test_torn_release_is_kept_flagged_and_moves_nothing(db_url: str, feed) -> None:
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:14]:  # up to the 1:32:30 am release of Nov 6
        assert desk.ingest(election.id, data).status == "stored"
    before = _numbers(desk, election.id)
    ledger_before = desk.ledger(election.id)
    torn = _torn(files[10][1], files[15][1], election)
    result = desk.ingest(election.id, torn, origin="torn.json")
    assert result.status == "stored"
    assert result.usable is False
    assert any(p.blocking for p in result.problems)
    assert _numbers(desk, election.id) == before
    assert desk.ledger(election.id) == ledger_before
    stored = desk.releases(election.id)[-1]
    assert stored.usable is False and stored.release.sequence == 14
    # the next real release is used again
    assert desk.ingest(election.id, files[14][1]).usable is True
    assert _numbers(desk, election.id) != before


def test_duplicate_stale_and_unchanged_are_not_stored(db_url: str, feed) -> None:
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:5]:
        desk.ingest(election.id, data)
    assert desk.ingest(election.id, files[4][1]).status == "duplicate"
    # an older copy served after a newer one (its bytes differ: re-encoded by a CDN)
    older = json.dumps(json.loads(files[2][1])).encode()
    assert desk.ingest(election.id, older).status == "stale"
    # a new feed time with the same counts
    same = json.loads(files[4][1])
    same["TimeStamp"] = "11/5/2024 9:50:00 PM"
    assert desk.ingest(election.id, json.dumps(same).encode()).status == "unchanged"
    assert len(desk.releases(election.id)) == 5
    # every payload that arrived is kept as raw bytes, whatever became of it
    assert desk.store.raw(sha256_hex(older)) is not None


def test_bad_payload_is_quarantined_and_stores_nothing_else(db_url: str, feed) -> None:
    election, files = feed
    desk = _desk(db_url, election)
    desk.ingest(election.id, files[0][1])
    before = _numbers(desk, election.id)
    with pytest.raises(InputError, match="cut short") as err:
        desk.ingest(election.id, files[5][1][:1000], origin="truncated.json")
    assert "truncated.json" in err.value.message
    assert len(desk.releases(election.id)) == 1
    assert _numbers(desk, election.id) == before
    (kept,) = desk.store.quarantined()
    assert kept.origin == "truncated.json" and "cut short" in kept.reason


def test_as_of_each_release_returns_its_numbers(db_url: str, feed) -> None:
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files:
        desk.ingest(election.id, data)
    for index, (_, data) in enumerate(files):
        release = lavote.read_release(data, election)
        snap = desk.snapshot(election.id, as_of=release.feed_time)
        assert snap is not None and snap.release_sequence == index
        da = snap.state("9547")
        assert da is not None
        assert da.votes == release.count("9547").votes


def test_sqlite_and_postgresql_give_identical_ledgers(feed, tmp_path: Path) -> None:
    """Issue 6: the LA 2024 general replays to identical ledgers on both backends."""
    base = _pg_url()
    election, files = feed
    lite = _desk(f"sqlite:///{tmp_path}/lite.sqlite", election)
    admin = create_engine(base)
    schema = f"l_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as exc:
        pytest.skip(f"PostgreSQL half skipped: {exc}")
    try:
        pg = _desk(f"{base}?options=-csearch_path%3D{schema}", election)
        for _, data in files:
            lite.ingest(election.id, data)
            pg.ingest(election.id, data)
        lite_ledger = msgspec.json.encode(lite.ledger(election.id))
        pg_ledger = msgspec.json.encode(pg.ledger(election.id))
        assert lite.ledger(election.id), "the 2024 general makes calls"
        assert lite_ledger == pg_ledger
        assert msgspec.json.encode(lite.snapshot(election.id)) == msgspec.json.encode(
            pg.snapshot(election.id)
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def test_a_desk_without_projections_keeps_the_same_states_and_no_calls(
    db_url: str, feed, tmp_path: Path
) -> None:
    """``Desk(project=False)``, the foundation of issue 2: every contest's state as the whole
    desk has it, and no projection, call or ledger event."""
    election, files = feed
    foundation = Desk(open_store(db_url), project=False)
    foundation.add_election(election)
    whole = _desk(f"sqlite:///{tmp_path}/whole.sqlite", election)
    for _, data in files[:12]:
        assert foundation.ingest(election.id, data).status == "stored"
        assert whole.ingest(election.id, data).status == "stored"
    for sequence in range(12):
        kept = foundation.snapshot_at(election.id, sequence)
        full = whole.snapshot_at(election.id, sequence)
        assert kept is not None and full is not None
        assert kept.states == full.states and kept.ballots_left == full.ballots_left
        assert kept.projections == {} and kept.calls == {} and kept.new_events == ()
    assert whole.ledger(election.id), "the whole desk calls races by then"
    assert foundation.ledger(election.id) == []


def test_releases_another_writer_stored_are_found_at_the_commit(db_url: str, feed) -> None:
    """A desk reads an election's releases once; those another process stores afterwards are
    met when its commit finds their sequence taken, and it recomputes on them."""
    election, files = feed
    mine = _desk(db_url, election)
    other = _desk(db_url, election)
    for _, data in files[:3]:
        assert mine.ingest(election.id, data).status == "stored"
    for _, data in files[3:6]:
        assert other.ingest(election.id, data).status == "stored"
    assert mine.ingest(election.id, files[4][1]).status == "duplicate"
    assert mine.ingest(election.id, json.dumps(json.loads(files[2][1])).encode()).status == "stale"
    result = mine.ingest(election.id, files[6][1])
    assert result.status == "stored" and result.sequence == 6
    fresh = _desk(db_url, election)
    assert fresh.snapshot(election.id) == mine.snapshot(election.id)
    assert fresh.ingest(election.id, files[7][1]).sequence == 7
    assert [s.release.sequence for s in mine.releases(election.id)] == list(range(8))


def test_a_release_of_any_format_goes_through_the_same_door(
    shared_data: Path, tmp_path: Path
) -> None:
    """The desk reads a payload with the adapter its election's source names: a Clarity file
    posted to a Clarity election is read by the Clarity adapter, with no branch on the format."""
    path = shared_data / "formats" / "clarity" / "county.xml"
    data = path.read_bytes()
    desk = Desk(open_store(f"sqlite:///{tmp_path}/clarity.sqlite"))
    desk.add_election(registry.read(str(path)).election)
    result = desk.ingest("clarity:ar-2014-11-04", data, origin=path.name)
    assert result.status == "stored" and result.content_hash == sha256_hex(data)
    again = desk.ingest("clarity:ar-2014-11-04", data, origin=path.name)
    assert again.status == "duplicate"
    raw = desk.store.raw(result.content_hash)
    assert raw is not None and raw.data == data and raw.source == "clarity"
    with pytest.raises(InputError, match=r"not a Clarity detail\.xml"):
        desk.ingest("clarity:ar-2014-11-04", b"<ElectionResult/>", origin="empty.xml")
