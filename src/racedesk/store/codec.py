"""How the store writes racedesk's values into rows and reads them back (see ``docs/store.md``).

- **times**: whole microseconds since 1970-01-01 UTC, with the name of their zone beside them
  (an IANA key, ``UTC`` or an offset), so that a time comes back in the zone it was given in;
- **counts**: a release's contests and choices as rows of ``contest_counts`` and
  ``choice_counts`` in the release's order, and the release rebuilt from them;
- **snapshots**: MessagePack, the contest states apart from the rest (zlib level
  :data:`ZLIB_LEVEL`), so that one contest's history reads one state of each;
- **definitions, problems, reports, call events**: JSON or MessagePack of the model's Structs;
  payloads' bytes are compressed by :mod:`racedesk.store.compression`.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from itertools import chain, count, groupby, repeat
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Table

from racedesk.errors import StoreError
from racedesk.model import (
    ContestCount,
    Election,
    OutstandingReport,
    RawPayload,
    Release,
    ReleaseEvent,
    ReleasePart,
    RoundCount,
    sha256_hex,
)
from racedesk.model.answers import CallEvent, ContestState, Problem, Snapshot
from racedesk.model.editorial import EditorialAct
from racedesk.store.base import StoredRelease
from racedesk.store.compression import compress_payload

#: zlib level for snapshots and definitions (payloads: see ``racedesk.store.compression``):
#: level 1 shrinks a snapshot about 4×, in a sixth of level 6's time.
ZLIB_LEVEL = 1

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
#: Later than any time kept (in microseconds since 1970): "as of" with no limit.
FOREVER_US = 2**62

_release_contest = itemgetter(0, 1)
_choice_votes = itemgetter(2, 3)

_json = msgspec.json.Encoder()
_pack = msgspec.msgpack.Encoder()
_election_dec = msgspec.json.Decoder(Election)
_problems_dec = msgspec.json.Decoder(tuple[Problem, ...])
_unused_dec = msgspec.json.Decoder(tuple[int, ...])
_rounds_dec = msgspec.json.Decoder(tuple[RoundCount, ...])
_parts_dec = msgspec.json.Decoder(tuple[ReleasePart, ...])
_by_type_dec = msgspec.json.Decoder(dict[str, dict[str, int]])
_snapshot_dec = msgspec.msgpack.Decoder(Snapshot)
_state_dec = msgspec.msgpack.Decoder(ContestState)
_states_dec = msgspec.msgpack.Decoder(tuple[ContestState, ...])
_raw_states_dec = msgspec.msgpack.Decoder(list[msgspec.Raw])
_release_event_dec = msgspec.msgpack.Decoder(ReleaseEvent)
_editorial_dec = msgspec.msgpack.Decoder(EditorialAct)
_event_dec = msgspec.msgpack.Decoder(CallEvent)
_report_dec = msgspec.msgpack.Decoder(OutstandingReport)


# --- times --------------------------------------------------------------------------------------


def to_us(moment: datetime, what: str = "time") -> int:
    """Whole microseconds since 1970-01-01 UTC; refuses a time without a zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StoreError(f"{what} {moment.isoformat()} has no time zone")
    return (moment - _EPOCH) // _US


def zone_name(moment: datetime) -> str:
    """The name of a time's zone: an IANA key, ``UTC``, or its offset (``-08:00``)."""
    tz = moment.tzinfo
    if isinstance(tz, ZoneInfo) and tz.key:
        return tz.key
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone(name: str) -> ZoneInfo | timezone:
    """The zone a :func:`zone_name` names (``ZoneInfo`` keeps each zone it made: the same
    name gives the same zone)."""
    if name == "UTC":
        return UTC
    if name[:1] in "+-" and ":" in name:
        hours, minutes = name[1:].split(":")
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-offset if name[0] == "-" else offset)
    return ZoneInfo(name)


def from_us(us: int, zone_name: str) -> datetime:
    """The time ``us`` microseconds after 1970-01-01 UTC, in the named zone."""
    return (_EPOCH + timedelta(microseconds=us)).astimezone(zone(zone_name))


def now_us() -> int:
    """Now, in microseconds since 1970-01-01 UTC."""
    return to_us(datetime.now(tz=UTC))


# --- rows written ---------------------------------------------------------------------------------


def row(table: Table, values: dict[str, Any]) -> tuple[Any, ...]:
    """A row given by column names, as a tuple in the table's column order."""
    return tuple(values[c.name] for c in table.columns)


def election_definition(election: Election) -> bytes:
    """An election's definition as stored (JSON; zlib'd at :data:`ZLIB_LEVEL` in its row)."""
    return _json.encode(election)


def raw_row(raw: RawPayload) -> dict[str, Any]:
    """The ``raw_payloads`` row of a payload (its bytes compressed, see
    :mod:`racedesk.store.compression`), under the hash it carries: a payload is hashed once,
    where it is made (:meth:`racedesk.model.RawPayload.of`), and the hash goes with it."""
    return {
        "content_hash": raw.content_hash,
        "source": raw.source,
        "received_us": to_us(raw.received_at, "received_at"),
        "received_tz": zone_name(raw.received_at),
        "origin": raw.origin,
        "size": len(raw.data),
        "data": compress_payload(raw.data),
    }


def release_row(key: int, stored: StoredRelease) -> dict[str, Any]:
    """The ``releases`` row of a stored release, whose key is ``key``."""
    release = stored.release
    return {
        "release_key": key,
        "election_id": release.election_id,
        "sequence": release.sequence,
        "content_hash": release.content_hash,
        "source": release.source,
        "feed_us": to_us(release.feed_time, "feed_time"),
        "feed_tz": zone_name(release.feed_time),
        "received_us": to_us(release.received_at, "received_at"),
        "received_tz": zone_name(release.received_at),
        "status": release.status,
        "ballots_counted": release.ballots_counted,
        "ballots_mail": release.ballots_mail,
        "ballots_in_person": release.ballots_in_person,
        "usable": stored.usable,
        "correction": stored.correction,
        "problems": _json.encode(stored.problems).decode(),
        "parts": _json.encode(release.parts).decode() if release.parts else None,
        "stored_us": now_us(),
    }


def count_rows(key: int, release: Release) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of ``contest_counts`` and ``choice_counts`` for a release, in column order. The
    choices' rows are zipped from the counts laid flat (the contests' order, then each
    contest's own), with no Python per choice."""
    encode = _json.encode
    counts = release.contests
    contest_rows = [
        (
            key,
            i,
            c.contest_id,
            c.write_ins,
            c.ballots,
            c.full,
            c.partial,
            c.undervotes,
            c.overvotes,
            encode(c.unused).decode(),
            encode(c.votes_by_type).decode() if c.votes_by_type else None,
            c.precincts_reporting,
            c.precincts_total,
            encode(c.rounds).decode() if c.rounds else None,
        )
        for i, c in enumerate(counts)
    ]
    contest_of = chain.from_iterable(
        map(repeat, [c.contest_id for c in counts], [len(c.votes) for c in counts])
    )
    choices = chain.from_iterable(c.votes for c in counts)
    votes = chain.from_iterable(c.votes.values() for c in counts)
    choice_rows = list(zip(repeat(key), count(), contest_of, choices, votes))
    return contest_rows, choice_rows


def pack_snapshot(snapshot: Snapshot) -> bytes:
    """A snapshot without its contest states, as MessagePack (to be zlib'd)."""
    return _pack.encode(msgspec.structs.replace(snapshot, states=()))


def pack_states(snapshot: Snapshot) -> bytes:
    """A snapshot's contest states, as MessagePack (kept apart: see the module docstring)."""
    return _pack.encode(snapshot.states)


def snapshot_row(
    key: int, release: Release, snapshot: Snapshot, data: bytes, states: bytes
) -> dict[str, Any]:
    """The ``snapshots`` row of release ``key``: ``data`` (:func:`pack_snapshot`, compressed)
    and ``states`` (:func:`pack_states`) beside it."""
    return {
        "release_key": key,
        "election_id": release.election_id,
        "sequence": release.sequence,
        "feed_us": to_us(release.feed_time, "feed_time"),
        "feed_tz": zone_name(release.feed_time),
        "usable": snapshot.usable,
        "model_version": snapshot.model_version,
        "data": data,
        "states": states,
    }


def event_row(election_id: str, e: CallEvent) -> dict[str, Any]:
    """The ``call_events`` row of a call event."""
    return {
        "election_id": election_id,
        "event_id": e.event_id,
        "contest_id": e.contest_id,
        "status": e.status,
        "choices": " ".join(e.choices),
        "release_sequence": e.release_sequence,
        "release_hash": e.release_hash,
        "release_us": to_us(e.release_time, "release_time"),
        "release_tz": zone_name(e.release_time),
        "approved_by": e.approved_by,
        "rescinds": e.rescinds,
        "reason": e.reason,
        "stored_us": now_us(),
        "data": _pack.encode(e),
    }


def report_row(election_id: str, report: OutstandingReport) -> dict[str, Any]:
    """The ``outstanding_reports`` row of a registrar's report."""
    data = _pack.encode(report)
    return {
        "election_id": election_id,
        "as_of_us": to_us(report.as_of, "as_of"),
        "as_of_tz": zone_name(report.as_of),
        "total": report.total,
        "digest": sha256_hex(data),
        "stored_us": now_us(),
        "data": data,
    }


# --- rows read ------------------------------------------------------------------------------------


def read_election(blob: bytes) -> Election:
    """An election's definition from its stored (zlib'd JSON) blob."""
    return _election_dec.decode(zlib.decompress(blob))


def read_releases(
    heads: Sequence[Any], contest_rows: Sequence[Any], choice_rows: Sequence[Any]
) -> list[StoredRelease]:
    """The stored releases of ``heads`` (rows of ``releases``), rebuilt from their count rows
    (those of ``contest_counts`` and ``choice_counts``, by release key and position)."""
    votes = {
        group: dict(map(_choice_votes, rows))
        for group, rows in groupby(choice_rows, _release_contest)
    }
    contests: dict[int, list[ContestCount]] = {h.release_key: [] for h in heads}
    for key, contest_id, *counters in contest_rows:
        contests[key].append(
            ContestCount(
                contest_id=contest_id,
                votes=votes.get((key, contest_id)) or {},
                write_ins=counters[0],
                ballots=counters[1],
                full=counters[2],
                partial=counters[3],
                undervotes=counters[4],
                overvotes=counters[5],
                unused=_unused_dec.decode(counters[6]) if counters[6] != "[]" else (),
                votes_by_type=_by_type_dec.decode(counters[7]) if counters[7] else {},
                precincts_reporting=counters[8],
                precincts_total=counters[9],
                rounds=_rounds_dec.decode(counters[10]) if counters[10] else (),
            )
        )
    return [
        StoredRelease(
            release=Release(
                election_id=h.election_id,
                source=h.source,
                feed_time=from_us(h.feed_us, h.feed_tz),
                received_at=from_us(h.received_us, h.received_tz),
                content_hash=h.content_hash,
                contests=tuple(contests[h.release_key]),
                ballots_counted=h.ballots_counted,
                ballots_mail=h.ballots_mail,
                ballots_in_person=h.ballots_in_person,
                status=h.status,
                sequence=h.sequence,
                parts=_parts_dec.decode(h.parts) if h.parts else (),
            ),
            problems=_problems_dec.decode(h.problems),
            usable=bool(h.usable),
            correction=bool(h.correction),
        )
        for h in heads
    ]


def read_snapshot(blob: bytes, states: bytes, zone_name: str) -> Snapshot:
    """A snapshot from its row (``data`` and ``states``), its times in the release's zone."""
    snapshot = msgspec.structs.replace(
        _snapshot_dec.decode(zlib.decompress(blob)), states=_states_dec.decode(states)
    )
    return _localize_snapshot(snapshot, zone_name)


def _localize_snapshot(snapshot: Snapshot, zone_name: str) -> Snapshot:
    """MessagePack keeps instants in UTC: put a snapshot's times back in the release's zone."""
    tz = zone(zone_name)
    replace = msgspec.structs.replace
    ballots_left = snapshot.ballots_left
    if ballots_left.as_of is not None:
        ballots_left = replace(ballots_left, as_of=ballots_left.as_of.astimezone(tz))
    return replace(
        snapshot,
        feed_time=snapshot.feed_time.astimezone(tz),
        ballots_left=ballots_left,
        states=tuple(replace(s, feed_time=s.feed_time.astimezone(tz)) for s in snapshot.states),
        new_events=tuple(
            replace(e, release_time=e.release_time.astimezone(tz)) for e in snapshot.new_events
        ),
        revised_at=snapshot.revised_at.astimezone(tz) if snapshot.revised_at else None,
    )


def split_states(states: bytes) -> list[msgspec.Raw]:
    """A snapshot's contest states, each still MessagePack (decoded one at a time)."""
    return _raw_states_dec.decode(states)


def read_state(raw: msgspec.Raw, zone_name: str) -> ContestState:
    """One contest state of :func:`split_states`, its time in the release's zone."""
    state = _state_dec.decode(raw)
    return msgspec.structs.replace(state, feed_time=state.feed_time.astimezone(zone(zone_name)))


class _ContestId(msgspec.Struct):
    """The one field of a contest state that says whose it is (the others are skipped)."""

    contest_id: str


_contest_id_dec = msgspec.msgpack.Decoder(_ContestId)


def position(states: list[msgspec.Raw], contest_id: str, hint: int) -> int:
    """Where the state of ``contest_id`` is among a snapshot's states (-1 when it has none),
    looking first at ``hint`` (a contest keeps its place from one release to the next)."""
    decode = _contest_id_dec.decode
    if hint < len(states) and decode(states[hint]).contest_id == contest_id:
        return hint
    for i, raw in enumerate(states):
        if decode(raw).contest_id == contest_id:
            return i
    return -1


def read_report(data: bytes, zone_name: str) -> OutstandingReport:
    """A registrar's report from its row, its time in the zone it was given in."""
    report = _report_dec.decode(data)
    return msgspec.structs.replace(report, as_of=report.as_of.astimezone(zone(zone_name)))


def release_event_row(election_id: str, event: ReleaseEvent) -> dict[str, Any]:
    """The ``release_events`` row of a release event (its ``event_id`` already given)."""
    return {
        "election_id": election_id,
        "event_id": event.event_id,
        "kind": event.kind,
        "sequence": event.sequence,
        "made_us": to_us(event.made_at, "made_at"),
        "made_tz": zone_name(event.made_at),
        "made_by": event.made_by,
        "stored_us": now_us(),
        "data": _pack.encode(event),
    }


def read_release_event(data: bytes, zone_name: str) -> ReleaseEvent:
    """A release event from its row, its time in the zone it was given in."""
    event = _release_event_dec.decode(data)
    return msgspec.structs.replace(event, made_at=event.made_at.astimezone(zone(zone_name)))


def editorial_row(election_id: str, act: EditorialAct) -> dict[str, Any]:
    """The ``editorial_events`` row of an editor's act (its ``event_id`` already given)."""
    return {
        "election_id": election_id,
        "event_id": act.event_id,
        "act": act.act,
        "contest_id": act.contest_id,
        "target": act.target,
        "made_us": to_us(act.made_at, "made_at"),
        "made_tz": zone_name(act.made_at),
        "made_by": act.made_by,
        "stored_us": now_us(),
        "data": _pack.encode(act),
    }


def read_editorial(data: bytes, zone_name: str) -> EditorialAct:
    """An editor's act from its row, its time in the zone it was given in."""
    act = _editorial_dec.decode(data)
    return msgspec.structs.replace(act, made_at=act.made_at.astimezone(zone(zone_name)))


def revision_row(
    key: int, revision: int, made_at: datetime, cause: int, snapshot: Snapshot
) -> dict[str, Any]:
    """The ``revised_snapshots`` row of a release's snapshot made again at ``made_at``."""
    return {
        "election_id": snapshot.election_id,
        "sequence": snapshot.release_sequence,
        "revision": revision,
        "release_key": key,
        "made_us": to_us(made_at, "made_at"),
        "made_tz": zone_name(made_at),
        "cause": cause,
        "data": zlib.compress(pack_snapshot(snapshot), ZLIB_LEVEL),
        "states": pack_states(snapshot),
    }


def read_event(data: bytes, zone_name: str) -> CallEvent:
    """A call event from its row, its release's time in the release's zone."""
    event = _event_dec.decode(data)
    return msgspec.structs.replace(
        event, release_time=event.release_time.astimezone(zone(zone_name))
    )


__all__ = [
    "FOREVER_US",
    "ZLIB_LEVEL",
    "count_rows",
    "editorial_row",
    "election_definition",
    "event_row",
    "from_us",
    "now_us",
    "pack_snapshot",
    "pack_states",
    "position",
    "raw_row",
    "read_editorial",
    "read_election",
    "read_event",
    "read_release_event",
    "read_releases",
    "read_report",
    "read_snapshot",
    "read_state",
    "release_event_row",
    "release_row",
    "report_row",
    "revision_row",
    "row",
    "snapshot_row",
    "split_states",
    "to_us",
    "zone",
    "zone_name",
]
