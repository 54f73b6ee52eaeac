"""The store on both backends, on the real LA 2024 general feed where there is real data.

Every test gets a fresh database (a SQLite file, or a PostgreSQL schema): see ``conftest.py``.
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest
import store_support
from sqlalchemy import select
from store_support import Feed

from racedesk.engine.checks import with_correction_note
from racedesk.engine.replay import revised_at
from racedesk.errors import InputError, RacedeskError, SequenceConflict, StoreError
from racedesk.model import ContestCount, OutstandingReport, RawPayload, Release
from racedesk.model.answers import Problem
from racedesk.sources.lavote import read_release
from racedesk.sources.outstanding import load_reports
from racedesk.store import codec
from racedesk.store import schema as t
from racedesk.store.base import StoredRelease
from racedesk.store.codec import from_us
from racedesk.store.sql import SqlStore

DA = "9547"  # District Attorney, 2024 general
HOCHMAN, GASCON = "23483", "23482"


def commit_all(store: SqlStore, feed: Feed, upto: int | None = None) -> None:
    store.put_election(feed.election)
    for release, snap in list(zip(feed.releases, feed.snapshots, strict=True))[:upto]:
        assert store.commit_release(StoredRelease(release=release), snap) is not None


def dump(store: SqlStore) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order."""
    out = {}
    with store.engine.connect() as conn:
        for table in t.TABLES:
            keys = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*keys))]
    return out


def raw_of(feed: Feed, i: int, data: bytes | None = None) -> RawPayload:
    """The feed's ``i``-th payload as the desk keeps it (or ``data`` in its place)."""
    where, payload = feed.payloads[i]
    return RawPayload.of(
        payload if data is None else data,
        source="lavote",
        received_at=feed.releases[i].received_at,
        origin=where,
    )


def ingest(store: SqlStore, feed: Feed) -> list[str]:
    """What the desk does with each payload: keep the bytes, parse, commit when new."""
    outcomes = []
    for i, (where, data) in enumerate(feed.payloads):
        raw = raw_of(feed, i)
        kept = store.put_raw(raw)
        if store.has_release(feed.election.id, raw.content_hash):
            outcomes.append(f"kept={kept} known")
            continue
        release = msgspec.structs.replace(
            read_release(data, feed.election, where=where), sequence=i
        )
        snap = store_support.snapshot(feed.election, release)
        done = store.commit_release(StoredRelease(release=release), snap)
        outcomes.append(f"kept={kept} stored={done is not None}")
    return outcomes


# --- releases ------------------------------------------------------------------------------------


def test_every_release_of_the_2024_general_comes_back_equal(store: SqlStore, general: Feed) -> None:
    commit_all(store, general)
    back = store.releases(general.election.id)
    assert [s.release for s in back] == general.releases
    assert [s.release.sequence for s in back] == list(range(32))
    final = back[-1].release
    da = final.count(DA)
    assert da is not None and da.votes == {GASCON: 1_328_710, HOCHMAN: 1_983_802}
    assert final.ballots_counted == 3_793_106
    assert len(final.contests) == 373
    assert sum(len(c.votes) for c in final.contests) == len(
        [k for c in general.election.contests for k in c.choices]
    )
    # the very timestamp it was read with: same instant, same zone
    assert final.feed_time.tzinfo == ZoneInfo("America/Los_Angeles")
    assert final.feed_time.isoformat() == general.releases[-1].feed_time.isoformat()
    assert store.release(general.election.id, 7).release == general.releases[7]
    latest = store.latest_release(general.election.id)
    assert latest is not None and latest.release == general.releases[-1]
    assert store.latest_sequence(general.election.id) == 31


def test_rows_beyond_one_statements_parameters_are_inserted_in_several(
    tmp_path: Path, general: Feed
) -> None:
    """On SQLite the count rows go in statements of many VALUES, as many rows each as the
    driver's limit of parameters allows (here made small): all of them are kept, in order.
    (PostgreSQL takes them by COPY, which has no such limit.)"""
    store = SqlStore(f"sqlite:///{tmp_path / 'chunks.sqlite'}")
    store._statements.variables = (
        27  # 5 choice rows (5 columns) or 2 contest rows (13) per statement
    )
    commit_all(store, general, upto=2)
    fresh = SqlStore(store.url)
    assert [s.release for s in fresh.releases(general.election.id)] == general.releases[:2]
    fresh.close()
    store.close()


def test_counters_nsel_and_write_ins_are_kept(store: SqlStore, general: Feed) -> None:
    commit_all(store, general, upto=1)
    last = general.releases[-1]
    store.commit_release(
        StoredRelease(release=msgspec.structs.replace(last, sequence=1)),
        msgspec.structs.replace(general.snapshots[-1], release_sequence=1),
    )
    back = store.release(general.election.id, 1).release
    artesia = general.election.contest("9668")  # Artesia city council, vote for two
    count = back.count(artesia.id)
    assert count is not None
    # the figures of ../shared/data/README.md, final release
    assert (count.ballots, count.full, count.partial, count.undervotes, count.overvotes) == (
        5_878,
        2_707,
        2_622,
        546,
        3,
    )
    assert count.unused == (3_171, 549)
    da = back.count(DA)
    assert da is not None and da.write_ins == 8_614
    # What the feed does not give is NULL in the rows, not a word or a zero.
    assert da.votes_by_type == {} and da.precincts_reporting is None
    with store.engine.connect() as conn:
        absent = conn.exec_driver_sql(
            "SELECT count(*), count(votes_by_type), count(precincts_reporting),"
            " count(precincts_total) FROM contest_counts"
        ).one()
    assert tuple(absent) == (2 * len(last.contests), 0, 0, 0)


def test_snapshots_and_contest_history_come_back_equal(store: SqlStore, general: Feed) -> None:
    commit_all(store, general)
    eid = general.election.id
    for k in (0, 1, 16, 31):
        assert store.snapshot_at(eid, k) == general.snapshots[k]
    assert store.snapshot(eid) == general.snapshots[-1]
    assert store.snapshot_at(eid, 32) is None
    history = store.contest_history(eid, DA)
    assert [s.release_sequence for s in history] == list(range(32))
    assert history[-1].votes == {GASCON: 1_328_710, HOCHMAN: 1_983_802}
    assert history == [s.state(DA) for s in general.snapshots]
    # times inside a snapshot come back in the release's zone
    snap = store.snapshot(eid)
    assert snap is not None and snap.states[0].feed_time.tzinfo == ZoneInfo("America/Los_Angeles")


def test_as_of_every_release_time_returns_that_release(store: SqlStore, general: Feed) -> None:
    commit_all(store, general)
    eid = general.election.id
    first = general.releases[0].feed_time
    assert store.releases(eid, as_of=first - timedelta(seconds=1)) == []
    assert store.snapshot(eid, as_of=first - timedelta(seconds=1)) is None
    for i, release in enumerate(general.releases):
        known = store.releases(eid, as_of=release.feed_time)
        assert len(known) == i + 1
        assert known[-1].release == release
        snap = store.snapshot(eid, as_of=release.feed_time)
        assert snap is not None and snap.release_sequence == i
        assert snap.state(DA) == general.snapshots[i].state(DA)
        if i + 1 < len(general.releases):
            just_before_next = general.releases[i + 1].feed_time - timedelta(microseconds=1)
            snap = store.snapshot(eid, as_of=just_before_next)
            assert snap is not None and snap.release_sequence == i


def test_the_same_payloads_twice_change_nothing(store: SqlStore, general: Feed) -> None:
    store.put_election(general.election)
    first = ingest(store, general)
    assert first == ["kept=True stored=True"] * 32
    before = dump(store)
    counts = store.row_counts()
    again = ingest(store, general)
    assert again == ["kept=False known"] * 32
    # committing the parsed releases again is refused as duplicates, whatever their sequence
    for i, release in enumerate(general.releases):
        assert store.commit_release(StoredRelease(release=release), general.snapshots[i]) is None
        moved = msgspec.structs.replace(release, sequence=32)
        assert store.commit_release(StoredRelease(release=moved)) is None
    assert store.put_election(general.election) == 1
    assert store.row_counts() == counts
    assert dump(store) == before
    assert counts["releases"] == 32
    assert counts["choice_counts"] == 32 * 904
    assert counts["contest_counts"] == 32 * 373
    assert counts["raw_payloads"] == 32


# --- sequence discipline and atomicity -------------------------------------------------------------


def test_a_taken_sequence_is_a_conflict_and_a_gap_an_error(store: SqlStore, general: Feed) -> None:
    commit_all(store, general, upto=2)
    before = store.row_counts()
    other = general.releases[5]
    with pytest.raises(SequenceConflict) as taken:
        store.commit_release(StoredRelease(release=msgspec.structs.replace(other, sequence=1)))
    # one error hierarchy: the CLI and the web app report it as any other racedesk error
    assert isinstance(taken.value, RacedeskError)
    assert "release #1 is taken (latest is #1); recompute and retry" in taken.value.message
    with pytest.raises(StoreError, match="gap"):
        store.commit_release(StoredRelease(release=msgspec.structs.replace(other, sequence=3)))
    with pytest.raises(StoreError, match="no sequence"):
        store.commit_release(StoredRelease(release=msgspec.structs.replace(other, sequence=None)))
    assert store.row_counts() == before
    stored = store.commit_release(
        StoredRelease(release=msgspec.structs.replace(other, sequence=2)),
        msgspec.structs.replace(general.snapshots[5], release_sequence=2),
    )
    assert stored is not None and stored.release.sequence == 2


def test_a_snapshot_for_another_release_is_refused(store: SqlStore, general: Feed) -> None:
    store.put_election(general.election)
    with pytest.raises(StoreError, match="snapshot is for release"):
        store.commit_release(StoredRelease(release=general.releases[0]), general.snapshots[1])
    assert store.latest_sequence(general.election.id) is None


def test_a_release_its_snapshot_and_its_calls_are_one_transaction(
    store: SqlStore, general: Feed
) -> None:
    commit_all(store, general, upto=3)
    eid = general.election.id
    store.append_calls(eid, [store_support.call_event(general.releases[2], 1, DA, HOCHMAN)])
    before = dump(store)
    # the snapshot's new call event takes an event id already in the ledger: the insert of the
    # call fails after the release, its counts and its snapshot were written, and all of it
    # must be rolled back
    release = general.releases[3]
    clash = store_support.call_event(release, 1, DA, HOCHMAN)
    snap = store_support.snapshot(general.election, release, events=[clash])
    with pytest.raises(SequenceConflict):
        store.commit_release(StoredRelease(release=release), snap)
    assert dump(store) == before
    assert store.snapshot_at(eid, 3) is None
    ok = store_support.call_event(release, 2, DA, HOCHMAN)
    snap = store_support.snapshot(general.election, release, events=[ok])
    assert store.commit_release(StoredRelease(release=release), snap) is not None
    assert [e.event_id for e in store.ledger(eid)] == [1, 2]


def test_an_unknown_election_is_an_error(store: SqlStore, general: Feed) -> None:
    with pytest.raises(StoreError, match="no election"):
        store.commit_release(StoredRelease(release=general.releases[0]))
    with pytest.raises(StoreError, match="no election"):
        store.election("lavote:1")
    with pytest.raises(StoreError, match="no election"):
        store.put_outstanding(
            "lavote:1", OutstandingReport(as_of=general.releases[0].feed_time, total=1)
        )


# --- corrections --------------------------------------------------------------------------------------


def _lowered(release: Release, contest_id: str, choice_id: str, by: int) -> Release:
    contests = tuple(
        msgspec.structs.replace(c, votes={**c.votes, choice_id: c.votes[choice_id] - by})
        if c.contest_id == contest_id
        else c
        for c in release.contests
    )
    return msgspec.structs.replace(
        release, contests=contests, content_hash=f"{release.content_hash[:-8]}corrects"
    )


def as_the_desk_stores(release: Release, just_before: Release) -> StoredRelease:
    """``release`` with the correction flag and note the desk gives it: the checks judge
    whether a count went down (``with_correction_note``), the store only keeps their answer."""
    problems = with_correction_note((), release, just_before)
    return StoredRelease(
        release=release,
        problems=problems,
        correction=any(p.code == "count-went-down" for p in problems),
    )


def test_a_count_that_goes_down_is_kept_and_flagged(store: SqlStore, general: Feed) -> None:
    commit_all(store, general, upto=3)
    eid = general.election.id
    before = general.releases[2].count(DA)
    assert before is not None
    # release 3 as a correction: Gascón ends 1,000 votes below his count in release 2
    after = general.releases[3].count(DA)
    assert after is not None
    drop = after.votes[GASCON] - before.votes[GASCON] + 1_000
    corrected = _lowered(general.releases[3], DA, GASCON, drop)
    stored = store.commit_release(as_the_desk_stores(corrected, general.releases[2]))
    assert stored is not None and stored.correction and stored.usable
    note = [p for p in stored.problems if p.code == "count-went-down"]
    assert len(note) == 1 and not note[0].blocking
    assert (
        f"contest {DA}, choice {GASCON}: {before.votes[GASCON]:,} → {before.votes[GASCON] - 1_000:,}"
        in note[0].message
    )
    kept = store.release(eid, 3)
    assert kept.correction and kept.release == corrected and kept.problems == stored.problems
    # the next real release goes up again from the correction: not flagged
    nxt = store.commit_release(as_the_desk_stores(general.releases[4], corrected))
    assert nxt is not None and not nxt.correction and nxt.problems == ()
    assert not store.release(eid, 4).correction


def test_the_store_keeps_the_flag_it_is_given_and_judges_nothing(
    store_url: str, general: Feed
) -> None:
    first = SqlStore(store_url)
    commit_all(first, general, upto=2)
    first.close()
    second = SqlStore(store_url)  # a fresh process: gives back what the database holds
    fewer = msgspec.structs.replace(
        general.releases[2], ballots_counted=(general.releases[1].ballots_counted or 0) - 1
    )
    caller_note = Problem(code="count-went-down", message="the caller's words", blocking=False)
    stored = second.commit_release(
        StoredRelease(release=fewer, problems=(caller_note,), correction=True)
    )
    assert stored is not None and stored.correction
    assert stored.problems == (caller_note,)  # the caller's note is kept, not doubled
    assert second.release(general.election.id, 2).correction
    # a count went down, but the caller did not say so: the store does not judge it again
    lower = msgspec.structs.replace(
        general.releases[3], ballots_counted=(general.releases[2].ballots_counted or 0) - 2
    )
    stored = second.commit_release(StoredRelease(release=lower))
    assert stored is not None and not stored.correction and stored.problems == ()
    kept = second.release(general.election.id, 3)
    assert not kept.correction and kept.problems == ()
    second.close()
    third = SqlStore(store_url)
    assert [s.correction for s in third.releases(general.election.id)] == [
        False,
        False,
        True,
        False,
    ]
    third.close()


# --- elections -----------------------------------------------------------------------------------------


def test_election_definitions_are_versioned(store: SqlStore, general: Feed) -> None:
    election = general.election
    assert store.put_election(election) == 1
    assert store.put_election(election) == 1
    assert store.election(election.id) == election
    renamed = msgspec.structs.replace(election, title=election.title + " (certified)")
    assert store.put_election(renamed) == 2
    assert store.put_election(renamed) == 2
    assert store.election(election.id) == renamed
    assert store.election(election.id, version=1) == election
    assert [v for v, _ in store.election_versions(election.id)] == [1, 2]
    assert store.elections() == [renamed]
    assert store.row_counts()["elections"] == 1


# --- raw payloads and quarantine ------------------------------------------------------------------------


def test_raw_payloads_are_kept_compressed_by_hash(store: SqlStore, general: Feed) -> None:
    raw = raw_of(general, -1)
    data = raw.data
    assert store.put_raw(raw) is True
    assert store.put_raw(raw) is False
    assert store.raw(raw.content_hash) == raw
    assert store.raw("0" * 64) is None
    with store.engine.connect() as conn:
        size, stored = conn.execute(select(t.raw_payloads.c.size, t.raw_payloads.c.data)).one()
    assert size == len(data) and len(stored) < len(data) / 4
    assert raw.content_hash == hashlib.sha256(data).hexdigest()  # made once, by RawPayload.of


def test_a_payload_kept_as_zlib_by_an_earlier_racedesk_reads_back(
    store: SqlStore, general: Feed
) -> None:
    raw = raw_of(general, -1)
    data = raw.data
    row = codec.raw_row(raw) | {"data": zlib.compress(data, 1)}
    with store.engine.begin() as conn:
        conn.execute(t.raw_payloads.insert(), row)
    assert store.raw(raw.content_hash) == raw
    assert store.put_raw(raw) is False


def test_a_payload_the_parser_rejects_is_quarantined_with_its_reason(
    store: SqlStore, general: Feed
) -> None:
    store.put_election(general.election)
    where, data = general.payloads[3]
    cut = data[: len(data) // 2]
    raw = raw_of(general, 3, cut)
    store.put_raw(raw)  # kept before parsing
    with pytest.raises(InputError) as caught:
        read_release(cut, general.election, where=where)
    store.quarantine(raw, caught.value.message)
    store.quarantine(raw, caught.value.message)  # the same rejection twice is kept once
    [q] = store.quarantined()
    assert q.content_hash == raw.content_hash and q.origin == where
    assert "cut short" in q.reason and where in q.reason
    assert store.raw(raw.content_hash) == raw
    assert store.latest_sequence(general.election.id) is None
    counts = store.row_counts()
    assert (counts["raw_payloads"], counts["quarantine"], counts["releases"]) == (1, 1, 0)


def test_quarantine_keeps_bytes_never_seen_before(store: SqlStore) -> None:
    data = b'{"TimeStamp": "not a time", "Data": []}'
    raw = RawPayload.of(
        data, source="lavote", received_at=from_us(1_730_865_394_000_000, "America/Los_Angeles")
    )
    store.quarantine(raw, "cannot read the feed time")
    assert store.raw(raw.content_hash) == raw
    assert [q.reason for q in store.quarantined()] == ["cannot read the feed time"]


# --- outstanding reports and the ledger -----------------------------------------------------------------


def test_outstanding_reports_as_of(store: SqlStore, general: Feed, shared_data: Path) -> None:
    store.put_election(general.election)
    eid = general.election.id
    reports = load_reports(
        shared_data / "lavote" / "outstanding-reports.csv", general.election.date
    )
    assert len(reports) >= 2
    for report in reports:
        assert store.put_outstanding(eid, report) is True
    for report in reports:
        assert store.put_outstanding(eid, report) is False
    back = store.outstanding(eid)
    assert back == sorted(reports, key=lambda r: r.as_of)
    nov6 = [r for r in back if r.total == 1_116_100]
    assert nov6 and nov6[0].breakdown.get("provisional") == 12_100
    for report in back:
        known = store.outstanding(eid, as_of=report.as_of)
        assert known[-1].as_of == report.as_of
        assert all(r.as_of <= report.as_of for r in known)
    assert store.outstanding(eid, as_of=back[0].as_of - timedelta(seconds=1)) == []


def test_the_ledger_keeps_calls_in_order_and_as_of(store: SqlStore, general: Feed) -> None:
    store.put_election(general.election)
    eid = general.election.id
    for i, (release, snap) in enumerate(
        zip(general.releases[:5], general.snapshots[:5], strict=True)
    ):
        events = [store_support.call_event(release, i + 1, DA, HOCHMAN)] if i in (1, 3) else []
        if events:
            snap = store_support.snapshot(general.election, release, events=events)
        assert store.commit_release(StoredRelease(release=release), snap) is not None
    approval = msgspec.structs.replace(
        store_support.call_event(general.releases[3], 5, DA, HOCHMAN), approved_by="editor"
    )
    store.append_calls(eid, [approval])
    ledger = store.ledger(eid)
    assert [(e.event_id, e.release_sequence, e.approved_by) for e in ledger] == [
        (2, 1, "racedesk"),
        (4, 3, "racedesk"),
        (5, 3, "editor"),
    ]
    assert ledger[0].release_time == general.releases[1].feed_time
    assert ledger[0].release_time.tzinfo == ZoneInfo("America/Los_Angeles")
    assert [e.event_id for e in store.ledger(eid, as_of=general.releases[2].feed_time)] == [2]
    assert store.ledger(eid, as_of=general.releases[0].feed_time) == []
    with pytest.raises(SequenceConflict):
        store.append_calls(eid, [approval])
    assert len(store.ledger(eid)) == 3


# --- change notification ----------------------------------------------------------------------------------


def test_wait_for_release_returns_at_once_or_after_the_timeout(
    store: SqlStore, general: Feed
) -> None:
    commit_all(store, general, upto=2)
    eid = general.election.id
    assert store.wait_for_release(eid, None, timeout=5) == 1
    assert store.wait_for_release(eid, 0, timeout=5) == 1
    assert store.wait_for_release(eid, 1, timeout=0.2) is None
    assert store.wait_for_release("lavote:1", None, timeout=0.1) is None


# --- times --------------------------------------------------------------------------------------------------


def test_a_release_with_unusual_counts_round_trips(store: SqlStore, general: Feed) -> None:
    """Counters other formats fill (votes by type, precincts) and ones they leave empty."""
    store.put_election(general.election)
    base = general.releases[0]
    contests = list(base.contests)
    contests[0] = ContestCount(
        contest_id=contests[0].contest_id,
        votes=dict(contests[0].votes),
        votes_by_type={k: {"mail": v, "election day": 0} for k, v in contests[0].votes.items()},
        precincts_reporting=10,
        precincts_total=4_551,
    )
    contests[1] = ContestCount(contest_id=contests[1].contest_id, votes={})
    odd = msgspec.structs.replace(
        base, contests=tuple(contests), ballots_counted=None, ballots_mail=None, status="certified"
    )
    assert store.commit_release(StoredRelease(release=odd, usable=False)) is not None
    back = store.release(general.election.id, 0)
    assert back.release == odd and back.usable is False


def test_a_release_made_again_is_read_as_it_stood_at_a_time(store: SqlStore, general: Feed) -> None:
    """A release's snapshot made again twice (a report of ballots left, then another) is read,
    by sequence as by time, as it stood at the time asked: before the first, the first
    snapshot; between the two, the first revision; after both, the second."""
    commit_all(store, general)
    eid = general.election.id
    last = general.snapshots[-1]
    seq = last.release_sequence
    assert store.revision_times(eid, seq) == []
    first = last.feed_time + timedelta(hours=1)
    second = first + timedelta(hours=2)
    for when, because in ((first, "one"), (second, "two")):
        store.commit_revision(revised_at(last, when, because), when, cause=1)
    assert store.revision_times(eid, seq) == [first, second]
    assert store.revision_times(eid, seq - 1) == []
    for as_of, because in (
        (first - timedelta(microseconds=1), ""),
        (first, "one"),
        (second - timedelta(microseconds=1), "one"),
        (second, "two"),
        (None, "two"),
    ):
        by_sequence = store.snapshot_at(eid, seq, as_of)
        assert by_sequence is not None and by_sequence.revised_because == because
        if as_of is not None:
            by_time = store.snapshot(eid, as_of)
            assert by_time is not None and by_time.revised_because == because
