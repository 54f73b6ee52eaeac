"""Issue 14, items 5–7 on the real 2024 general, on SQLite and PostgreSQL: a genuine copy is used
behind a flagged release of the same feed time; a release with Hochman's and Gascón's totals
swapped is held and the District Attorney call stands until an editor (or the next release)
confirms it; a report of ballots left and the registrar's certification take effect at once,
dated when they were made, so that no earlier answer changes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest

from engine.test_replay_estimates import CALLED_ON_THE_ESTIMATE_OF_NOV_6
from racedesk.data import load_params
from racedesk.desk import Desk
from racedesk.engine.replay import replay
from racedesk.errors import NotFound, StoreError
from racedesk.model import Election
from racedesk.publish import cdf_export
from racedesk.sources import lavote
from racedesk.sources.base import Parsed
from racedesk.sources.outstanding import load_reports
from racedesk.store import open_store

DA, HOCHMAN, GASCON = "9547", "23483", "23482"  # District Attorney, 2024 general
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> tuple[Election, list[tuple[Path, bytes]]]:
    return lavote.load_folder(general_2024)


def _desk(url: str, election: Election) -> Desk:
    desk = Desk(open_store(url))
    desk.add_election(election)
    return desk


def _swapped(data: bytes) -> bytes:
    """The release with Hochman's and Gascón's totals swapped (a classic ID-mapping error):
    every identity of the feed still holds."""
    payload = json.loads(data)
    rows = {r["ReferenceID"]: r for r in payload["Data"] if r["ReferenceType"] == "CAND"}
    hochman, gascon = rows[int(HOCHMAN)], rows[int(GASCON)]
    hochman["Value"], gascon["Value"] = gascon["Value"], hochman["Value"]
    return json.dumps(payload).encode()


def _feed_time(election: Election, data: bytes) -> datetime:
    return lavote.read_release(data, election).feed_time


def _da_call(desk: Desk, election_id: str, as_of: datetime | None = None) -> tuple[str, tuple]:
    snap = desk.snapshot(election_id, as_of)
    assert snap is not None
    call = snap.calls[DA]
    return call.status, call.choices


def _torn(early: bytes, late: bytes, election: Election, stamp: str) -> bytes:
    """Contests in the first half of the ballot from ``late``, the rest (and the county-wide
    counters) from ``early``, under the feed time ``stamp``: a CDN's mix of two releases."""
    a, b = json.loads(early), json.loads(late)
    half = election.contests[: len(election.contests) // 2]
    newer = {int(c.id) for c in half} | {int(k.id) for c in half for k in c.choices}
    b["Data"] = [r for r in a["Data"] if r["ReferenceID"] not in newer] + [
        r for r in b["Data"] if r["ReferenceID"] in newer
    ]
    b["TimeStamp"] = stamp
    return json.dumps(b).encode()


# --- item 5: corrections --------------------------------------------------------------------------


def test_the_genuine_copy_is_used_behind_a_torn_release_of_its_feed_time(db_url: str, feed) -> None:
    """Before: the genuine copy of 2:28:33 am was "stale" behind the torn one and the desk stayed
    on 1:32:30 am until the county published again."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:14]:
        desk.ingest(election.id, data)
    genuine = files[14][1]
    torn = _torn(files[10][1], files[15][1], election, json.loads(genuine)["TimeStamp"])
    flagged = desk.ingest(election.id, torn, origin="torn.json")
    assert flagged.status == "stored" and not flagged.usable
    result = desk.ingest(election.id, genuine, origin="genuine.json")
    assert result.status == "stored" and result.usable and result.sequence == 15
    assert any(p.code == "correction" and "#14" in p.message for p in result.problems)
    stored = desk.releases(election.id)[-1]
    assert stored.correction and stored.usable
    da = desk.snapshot(election.id).state(DA)
    assert da is not None and da.votes[HOCHMAN] == 1_386_374  # the 2:28:33 am count
    # an older copy is still stale, and the same feed time behind a used release too
    again = json.loads(files[13][1])
    assert desk.ingest(election.id, json.dumps(again).encode()).status == "stale"
    copy = json.loads(genuine)
    copy["Data"] = copy["Data"][::-1]
    assert desk.ingest(election.id, json.dumps(copy).encode()).status == "stale"


def test_swapped_totals_are_held_and_the_call_stands_until_an_editor_confirms(
    db_url: str, feed
) -> None:
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:4]:
        desk.ingest(election.id, data)
    assert _da_call(desk, election.id) == ("called", (HOCHMAN,))
    ledger = desk.ledger(election.id)
    held = desk.ingest(election.id, _swapped(files[4][1]), origin="swapped.json")
    assert held.status == "stored" and not held.usable
    (hold,) = [p for p in held.problems if p.code == "held"]
    # Hochman had 1,116,647 votes at 9:34:20 pm; read under Gascón's id he has 711,675
    assert hold.contest_id == DA and "lost 404,972 of its 1,116,647 votes (36%)" in hold.message
    assert f"totals swapped with choice {GASCON}" in hold.message
    assert _da_call(desk, election.id) == ("called", (HOCHMAN,))
    assert desk.ledger(election.id) == ledger
    snap = desk.snapshot(election.id)
    assert snap.state(DA).votes[HOCHMAN] == 1_116_647  # the last release used
    assert any(p.code == "held" and p.blocking for p in snap.problems)
    # only a held release can be confirmed
    with pytest.raises(StoreError, match="not held"):
        desk.confirm_release(election.id, 3, "Ana Editor")
    with pytest.raises(NotFound):
        desk.confirm_release(election.id, 9, "Ana Editor")

    swapped_at = _feed_time(election, files[4][1])
    confirmed_at = swapped_at + timedelta(minutes=7)
    event = desk.confirm_release(election.id, 4, "Ana Editor", at=confirmed_at)
    assert (event.kind, event.sequence, event.made_by) == ("confirmed", 4, "Ana Editor")
    snap = desk.snapshot(election.id)
    assert snap.usable and snap.revised_at == confirmed_at
    assert snap.revised_because.startswith("confirmed by Ana Editor")
    da = snap.state(DA)
    assert da.votes[HOCHMAN] == 711_675 and da.votes[GASCON] == 1_130_977
    assert any(
        p.code == "held" and not p.blocking and "confirmed by Ana Editor" in p.message
        for p in da.problems
    )
    # the DA's call is rescinded; the snapshot made again may call other contests at that time
    new = desk.ledger(election.id)[len(ledger) :]
    (rescind,) = [e for e in new if e.status == "rescinded"]
    assert rescind.contest_id == DA and rescind.release_time == confirmed_at
    assert {e.release_time for e in new} == {confirmed_at}
    assert _da_call(desk, election.id)[0] != "called"
    # as of before the confirmation, the desk said what it said then
    before = confirmed_at - timedelta(seconds=1)
    assert _da_call(desk, election.id, before) == ("called", (HOCHMAN,))
    assert desk.ledger(election.id, before) == ledger
    assert [e.kind for e in desk.release_events(election.id, before)] == []
    assert [e.made_by for e in desk.release_events(election.id)] == ["Ana Editor"]
    with pytest.raises(StoreError, match="confirmed already"):
        desk.confirm_release(election.id, 4, "Ana Editor")


def test_the_next_release_confirms_a_held_release_it_continues_from(db_url: str, feed) -> None:
    """ "Confirmed by the next release": a release that passes its checks against the held one
    (it carries the held counts forward) confirms it, dated at its feed time."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:4]:
        desk.ingest(election.id, data)
    desk.ingest(election.id, _swapped(files[4][1]))
    onward = desk.ingest(election.id, _swapped(files[5][1]))
    assert onward.usable
    assert any(p.code == "confirms" and "#4" in p.message for p in onward.problems)
    (event,) = desk.release_events(election.id)
    assert (event.kind, event.sequence, event.made_by) == ("confirmed", 4, "the next release (#5)")
    assert event.made_at == _feed_time(election, files[5][1])
    da = desk.snapshot(election.id).state(DA)
    assert da.votes[HOCHMAN] == 716_100  # Gascón's count of 10:14:08 pm, under Hochman's id


def test_a_release_that_goes_back_leaves_the_held_one_unused(db_url: str, feed) -> None:
    """The feed fixed its mapping: the next release is checked against the last release used,
    and the held one is never used."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:4]:
        desk.ingest(election.id, data)
    desk.ingest(election.id, _swapped(files[4][1]))
    fixed = desk.ingest(election.id, files[5][1])
    assert fixed.usable and not any(p.code in ("held", "confirms") for p in fixed.problems)
    assert desk.release_events(election.id) == []
    assert _da_call(desk, election.id) == ("called", (HOCHMAN,))
    assert desk.snapshot(election.id).state(DA).votes[HOCHMAN] == 1_136_402


# --- item 6: a report of ballots left takes effect at once -----------------------------------------


def _reports(shared_data: Path, election: Election):
    csv = shared_data / "lavote" / "outstanding-reports.csv"
    return load_reports(csv, election.date, ZoneInfo(election.timezone))


def test_a_report_of_ballots_left_takes_effect_at_once(db_url: str, feed, shared_data) -> None:
    """Before: the registrar's estimate of Nov 6, 5 pm, added after the 4:30 pm release, changed
    nothing until the next release (Nov 7, 4:34 pm)."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:18]:  # up to Nov 6, 4:30:19 pm
        desk.ingest(election.id, data)
    (report,) = [
        r for r in _reports(shared_data, election) if r.as_of.date().isoformat() == "2024-11-06"
    ]
    before = desk.snapshot(election.id)
    ledger = desk.ledger(election.id)
    assert before.ballots_left.source == "model"
    added_at = report.as_of + timedelta(minutes=5)
    assert desk.add_outstanding(election.id, report, at=added_at)
    after = desk.snapshot(election.id)
    assert after.release_sequence == before.release_sequence == 17
    assert after.ballots_left.source == "registrar"
    assert after.ballots_left.ballots.mid == 1_116_100
    assert after.revised_at == added_at and after.revised_because.startswith("estimate")
    new = desk.ledger(election.id)[len(ledger) :]
    # the report narrows the votes left: 47 contests are called on it at once, Measure A (9880)
    # among them (9524 and 9623, called on it before the call rule read the envelope at the
    # stage the projection reckons, are called already)
    assert sorted((e.contest_id, e.status) for e in new) == CALLED_ON_THE_ESTIMATE_OF_NOV_6
    assert {("9524", "called"), ("9623", "called")} <= {(e.contest_id, e.status) for e in ledger}
    assert {e.release_time for e in new} == {added_at}
    (event,) = desk.release_events(election.id)
    assert (event.kind, event.sequence, event.made_at) == ("estimate", 17, added_at)
    # as of before the report was added the desk says what it said then
    assert desk.snapshot(election.id, added_at - timedelta(seconds=1)) == before
    assert desk.ledger(election.id, added_at - timedelta(seconds=1)) == ledger
    # the same report again changes nothing
    assert not desk.add_outstanding(election.id, report, at=added_at + timedelta(hours=1))
    assert desk.snapshot(election.id) == after


def test_an_estimate_a_day_after_the_latest_release_waits_for_the_next(
    db_url: str, feed, shared_data
) -> None:
    """The registrar's estimate of Nov 9, 5 pm (526,000 left) speaks of the ballots left after
    that day's update: taken before the desk holds the update, it would be read against Nov 8's
    count. It is kept, and makes the snapshot of Nov 9's release again as soon as it comes."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:20]:  # up to Nov 8, 4:42 pm
        desk.ingest(election.id, data)
    (report,) = [
        r for r in _reports(shared_data, election) if r.as_of.date().isoformat() == "2024-11-09"
    ]
    before = desk.snapshot(election.id)
    assert before.feed_time.isoformat() == "2024-11-08T16:42:07-08:00"
    assert desk.add_outstanding(election.id, report, at=report.as_of)
    assert desk.snapshot(election.id) == before and desk.release_events(election.id) == []
    desk.ingest(election.id, files[20][1])  # Nov 9, 4:44 pm
    after = desk.snapshot(election.id)
    assert after.feed_time.isoformat() == "2024-11-09T16:44:27-08:00"
    assert after.ballots_left.source == "registrar" and after.ballots_left.as_of == report.as_of
    assert after.revised_at == report.as_of
    (event,) = desk.release_events(election.id)
    assert (event.kind, event.sequence, event.made_at) == ("estimate", 20, report.as_of)


def test_a_whole_file_of_estimates_takes_the_one_of_the_latest_releases_day(
    db_url: str, feed, shared_data
) -> None:
    """``racedesk outstanding FILE`` with every estimate of the canvass, while the desk holds the
    releases up to Nov 6, 4:30 pm: the snapshot is made again with the estimate of 5 pm that day,
    never with a later one (Nov 26's would be read against Nov 6's count)."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[:18]:
        desk.ingest(election.id, data)
    assert desk.add_outstanding_reports(election.id, _reports(shared_data, election)) == 8
    after = desk.snapshot(election.id)
    assert after.ballots_left.source == "registrar"
    assert after.ballots_left.as_of is not None
    assert after.ballots_left.as_of.isoformat() == "2024-11-06T17:00:00-08:00"
    assert after.ballots_left.ballots is not None
    assert after.ballots_left.ballots.mid == 1_116_100


def test_a_past_canvass_ingested_with_its_reports_keeps_the_backtests_ledger(
    db_url: str, feed, shared_data
) -> None:
    """Ingested with the registrar's reports, the 2024 general's ledger is the one the backtest
    replays (``engine.replay`` with ``estimates``): each estimate of 5 pm makes the 4:30 pm
    release's snapshot again then, as it did live."""
    election, files = feed
    desk = _desk(db_url, election)
    reports = _reports(shared_data, election)
    releases = [lavote.read_release(data, election, where=str(path)) for path, data in files]
    parsed = Parsed(election=election, releases=tuple(releases), reports=tuple(reports))
    taken = desk.take(parsed, [None] * len(releases), origin="test")
    assert taken.reports == 8
    stored = [(e.contest_id, e.status, e.release_time) for e in desk.ledger(election.id)]
    replayed = [
        (e.contest_id, e.status, e.release_time)
        for s in replay(election, releases, reports, load_params(), estimates=True)
        for e in s.new_events
    ]
    assert stored == replayed
    assert [e.kind for e in desk.release_events(election.id)] == ["estimate"] * 8
    measure_a = next(e for e in desk.ledger(election.id) if e.contest_id == "9880")
    assert measure_a.release_time.isoformat() == "2024-11-06T17:00:00-08:00"


# --- item 7: the end of the count --------------------------------------------------------------------

ISSUER = "Los Angeles County Registrar-Recorder/County Clerk"


def test_the_certification_completes_the_canvass(db_url: str, feed, shared_data) -> None:
    """Before: on the last release the desk still showed ballots left, contests stayed
    "leading", and the CDF export said ``unofficial-partial`` issued by ``racedesk``."""
    election, files = feed
    desk = _desk(db_url, election)
    for report in _reports(shared_data, election):
        desk.add_outstanding(election.id, report)
    for _, data in files:
        desk.ingest(election.id, data)
    last = desk.releases(election.id)[-1].release
    before = desk.snapshot(election.id)
    assert before.ballots_left.ballots.high > 0
    open_before = {
        c: call.status
        for c, call in before.calls.items()
        if call.status in ("leading", "too close", "too early")
    }
    assert open_before == {
        "9573": "leading", "9638": "leading", "9728": "leading", "9488": "too close",
    }  # fmt: skip
    certified_at = last.feed_time + timedelta(days=1)
    event = desk.certify(election.id, "Ana Editor", ISSUER, at=certified_at)
    assert (event.kind, event.issuer, event.made_by) == ("certified", ISSUER, "Ana Editor")
    snap = desk.snapshot(election.id)
    assert snap.ballots_left.ballots.high == 0 and snap.revised_at == certified_at
    assert all(s.votes_left.votes is None or s.votes_left.votes.high == 0 for s in snap.states)
    statuses = {c: call.status for c, call in snap.calls.items()}
    undecided = {c: s for c, s in statuses.items() if s not in ("called", "passed", "failed")}
    write_ins = {c.id for c in election.contests if not c.choices}
    # LA's part of a contest is never given an outcome, certified or not (Wrightwood CSD, 25–25
    # for its second seat in LA, lies mostly in San Bernardino County)
    parts = {c.id for c in election.contests if c.portion}
    assert len(parts) == 38 and "9430" in parts
    assert undecided == {
        **dict.fromkeys(write_ins, "write-ins only"),
        **dict.fromkeys(parts, "portion only"),
    }
    for cid in open_before:
        assert statuses[cid] in ("called", "passed", "failed"), cid
    # the CDF export: certified, issued under the name the user gave
    cert = cdf_export.certification_of(desk.release_events(election.id))
    doc = json.loads(cdf_export.to_json(election, last, snap, certification=cert))
    assert (doc["Status"], doc["Issuer"]) == ("certified", ISSUER)
    earlier = certified_at - timedelta(seconds=1)
    assert cdf_export.certification_of(desk.release_events(election.id, earlier)) is None
    assert desk.snapshot(election.id, earlier) == before
    with pytest.raises(StoreError, match="certified already"):
        desk.certify(election.id, "Ana Editor", ISSUER)


def test_a_release_that_says_it_is_official_completes_the_canvass(db_url: str, feed) -> None:
    """A feed that carries the certification (a release status ``official``) needs no action."""
    election, files = feed
    desk = _desk(db_url, election)
    for _, data in files[-3:-1]:
        desk.ingest(election.id, data)
    last = lavote.read_release(files[-1][1], election)
    result = desk.ingest_release(msgspec.structs.replace(last, status="official"))
    assert result.usable
    snap = desk.snapshot(election.id)
    assert snap.ballots_left.ballots.high == 0
    assert snap.calls["9547"].status == "called"


# --- several processes over one store ------------------------------------------------------------


def test_an_act_of_another_process_is_seen_by_every_desk(db_url: str, feed) -> None:
    """The web app ingests while an editor confirms from the CLI: the ingesting desk reads the
    confirmation before judging its next release, and an act is made on the latest release
    whoever stored it."""
    election, files = feed
    ingester = _desk(db_url, election)
    editor = Desk(open_store(db_url))
    for _, data in files[:4]:
        ingester.ingest(election.id, data)
    ingester.ingest(election.id, _swapped(files[4][1]))
    editor.confirm_release(election.id, 4, "Ana Editor")
    # release 4 is used now: the unswapped 10:14:08 pm release takes Gascón's lead back off
    # him, which is held in turn
    back = ingester.ingest(election.id, files[5][1])
    assert not back.usable
    assert [p.contest_id for p in back.problems if p.code == "held"] == [DA]
    # the editor's desk read its history before release 5: it certifies release 5 all the same
    editor.certify(election.id, "Ana Editor", "LA County RR/CC")
    snap = ingester.snapshot(election.id)
    assert snap.release_sequence == 5 and snap.revised_because.startswith("certified")


def test_a_confirmation_by_the_next_release_survives_a_restart(
    db_url: str, feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk opened afresh knows the held release is used even when the process stopped
    between the confirming release's commit and its release event: from that release's
    ``confirms`` note, written in its own commit."""
    election, files = feed
    desk = _desk(db_url, election)
    monkeypatch.setattr(Desk, "_confirm", lambda *args: None)  # the event is never written
    for _, data in files[:4]:
        desk.ingest(election.id, data)
    desk.ingest(election.id, _swapped(files[4][1]))
    desk.ingest(election.id, _swapped(files[5][1]))
    assert desk.release_events(election.id) == []
    fresh = Desk(open_store(db_url))
    result = fresh.ingest(election.id, _swapped(files[6][1]))
    assert result.usable and not any(p.code in ("held", "confirms") for p in result.problems)
    # the same answers as a replay of the same seven releases, which uses release 4 too
    releases = [lavote.read_release(d, election) for _, d in files[:4]]
    releases += [lavote.read_release(_swapped(d), election) for _, d in files[4:7]]
    *_, replayed = replay(election, releases, [], fresh.params)
    assert fresh.snapshot(election.id).states == replayed.states
