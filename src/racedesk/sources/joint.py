"""One election from several sources: a county's feed and the state's feed of the same election.

Los Angeles County's feed counts its own contests whole and only its part of statewide and
cross-county contests; the Secretary of State's feed counts those whole. A desk covering the
election follows both, as one election (issue "Whole contests"): this format joins them.

A **joined release** (``racedesk.joint/1``) is a JSON document holding, for every source, its
election as racedesk read it (``Election`` JSON, the same in every release) and the latest payload
that source published by then, byte for byte (JSON inline as served; any other bytes in
``release_base64``), with the matches of contests across the sources (``matches``, from
:mod:`racedesk.rules.california_matching` or a reviewed contest-rules file)::

    {"bundle": "racedesk.joint/1",
     "members": [{"election": {…}, "release_base64": "…LA's GetCounterData…", "origin": "…"},
                 {"election": {…}, "release": {…the state's bundle…}}],
     "matches": [{"contest": "9413", "record": "prop-1"}, …]}

Read back, it is one :class:`~racedesk.model.Election` (``joint:`` + the sources' election ids)
whose contests are every source's, each with ``Contest.source``, and one
:class:`~racedesk.model.Release` per joined release: every source's latest counts, carried
forward until that source publishes again, each source's own feed time, payload hash and counters
in ``Release.parts``. Its feed time is the latest source's; its county-wide counters are the first
source's (the county whose registrar's estimates the ballots left rest on). A contest id two
sources share is kept for the first and prefixed with the source (``ca-sos/1234``) for the
others. :func:`join` makes the joined releases of canvasses read from each source's archive, in
feed-time order.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import msgspec

from racedesk.errors import InputError
from racedesk.model import (
    ContestCount,
    Election,
    Member,
    RawPayload,
    Release,
    ReleasePart,
    Rule,
    sha256_hex,
)
from racedesk.model.release import says_certified
from racedesk.sources.base import FeedFolder, Parsed, ReadRelease, election_and_release

NAME = "joint"
SOURCE = NAME
BUNDLE = "racedesk.joint/1"


class _Member(msgspec.Struct, kw_only=True):
    election: msgspec.Raw
    release: msgspec.Raw = msgspec.Raw(b"null")
    release_base64: str = ""
    origin: str = ""


class _Match(msgspec.Struct, kw_only=True):
    contest: str
    record: str


class _Joint(msgspec.Struct, kw_only=True):
    bundle: str
    members: list[_Member]
    matches: list[_Match] = []


_joint_decoder = msgspec.json.Decoder(_Joint)
_election_decoder = msgspec.json.Decoder(Election)
_encoder = msgspec.json.Encoder()


def sniff(data: bytes, name: str) -> bool:
    """A joined release names its format near its start."""
    return b'"racedesk.joint/' in data[:200]


def _decode(data: bytes, where: str) -> _Joint:
    try:
        joint = _joint_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise InputError(f"not a joined release: {exc}", where=where) from None
    if joint.bundle != BUNDLE:
        raise InputError(
            f"unknown joined-release format {joint.bundle!r} (known: {BUNDLE})", where=where
        )
    if len(joint.members) < 2:
        raise InputError("a joined release names at least two sources", where=where)
    return joint


def _member_elections(joint: _Joint, where: str) -> list[Election]:
    elections = []
    for i, member in enumerate(joint.members):
        try:
            elections.append(_election_decoder.decode(member.election))
        except msgspec.DecodeError as exc:
            raise InputError(f"source {i + 1}'s election: {exc}", where=where) from None
    return elections


def _renamed(elections: Sequence[Election]) -> list[dict[str, str]]:
    """For each source, its contest ids as the joined election names them: the first source's
    as they are, a later source's prefixed with its source where an earlier one took the id."""
    taken: set[str] = set()
    names: list[dict[str, str]] = []
    for election in elections:
        mine = {}
        for contest in election.contests:
            new = contest.id if contest.id not in taken else f"{election.source}/{contest.id}"
            mine[contest.id] = new
        taken.update(mine.values())
        names.append(mine)
    return names


def joined_id(election_ids: Sequence[str]) -> str:
    """The id of the election joined from the sources' elections ``election_ids``, the county's
    first: ``joint:lavote:4316+ca-sos:2024-03-05``."""
    return f"{SOURCE}:" + "+".join(election_ids)


def joined_election(elections: Sequence[Election], matches: Sequence[tuple[str, str]]) -> Election:
    """The one election of ``elections`` (one per source, the county's first) with the
    ``matches`` (contest, contest of record) set on its contests."""
    first = elections[0]
    names = _renamed(elections)
    records = dict(matches)
    contests = []
    for election, mine in zip(elections, names, strict=True):
        for contest in election.contests:
            new_id = mine[contest.id]
            contests.append(
                msgspec.structs.replace(
                    contest, id=new_id, source=election.source, record=records.get(new_id, "")
                )
            )
    members = tuple(
        Member(
            source=e.source,
            election_id=e.id,
            title=e.title,
            jurisdiction=e.jurisdiction,
            registration=e.registration,
        )
        for e in elections
    )
    others = " and ".join(e.jurisdiction for e in elections[1:])
    return Election(
        id=joined_id([e.id for e in elections]),
        title=f"{first.title} ({first.jurisdiction}, with {others})",
        date=first.date,
        jurisdiction=first.jurisdiction,
        kind=first.kind,
        contests=tuple(contests),
        registration=first.registration,
        source=SOURCE,
        timezone=first.timezone,
        members=members,
    )


def read_election(
    data: bytes, where: str = "joint", rules: Mapping[str, Rule] | None = None
) -> Election:
    """The joined election a joined release describes (``rules`` is not used: each source's
    election was read with its rules before it was joined)."""
    joint = _decode(data, where)
    elections = _member_elections(joint, where)
    return joined_election(elections, [(m.contest, m.record) for m in joint.matches])


def _payload(member: _Member, where: str) -> bytes | None:
    if member.release_base64:
        try:
            return base64.b64decode(member.release_base64, validate=True)
        except ValueError:
            raise InputError("release_base64 is not base64", where=where) from None
    raw = bytes(member.release)
    return None if raw.strip() == b"null" else raw


def _merge(
    election: Election,
    releases: Sequence[Release | None],
    *,
    received_at: datetime,
    content_hash: str,
) -> Release:
    """One joined release of ``election`` from each source's latest release (None: none yet)."""
    names = _renamed_from(election)
    contests: list[ContestCount] = []
    parts: list[ReleasePart] = []
    set_aside: list[str] = []
    for member, release in zip(election.members, releases, strict=True):
        if release is None:
            continue
        mine = names[member.source]
        for count in release.contests:
            new = mine.get(count.contest_id, count.contest_id)
            contests.append(
                count if new == count.contest_id else msgspec.structs.replace(count, contest_id=new)
            )
        parts.append(
            ReleasePart(
                source=member.source,
                feed_time=release.feed_time,
                content_hash=release.content_hash,
                ballots_counted=release.ballots_counted,
                ballots_mail=release.ballots_mail,
                ballots_in_person=release.ballots_in_person,
                status=release.status,
            )
        )
        set_aside.extend(f"{member.source}: {note}" for note in release.set_aside)
    if not parts:
        raise InputError("a joined release holds no source's release", where=election.id)
    counters = releases[0]
    certified = len(parts) == len(election.members) and all(says_certified(p.status) for p in parts)
    return Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=max(p.feed_time for p in parts),
        received_at=received_at,
        content_hash=content_hash,
        contests=tuple(contests),
        ballots_counted=counters.ballots_counted if counters is not None else None,
        ballots_mail=counters.ballots_mail if counters is not None else None,
        ballots_in_person=counters.ballots_in_person if counters is not None else None,
        status="certified" if certified else "unofficial",
        set_aside=tuple(set_aside),
        parts=tuple(parts),
    )


def _renamed_from(election: Election) -> dict[str, dict[str, str]]:
    """Each source's contest ids (as its feed names them) → the joined election's."""
    names: dict[str, dict[str, str]] = {m.source: {} for m in election.members}
    for contest in election.contests:
        own = contest.id
        prefix = f"{contest.source}/"
        if own.startswith(prefix):
            own = own[len(prefix) :]
        names.setdefault(contest.source, {})[own] = contest.id
    return names


class _Readers:
    """Each source's release reader, kept per source election (its JSON's hash)."""

    def __init__(self) -> None:
        self.readers: dict[str, tuple[Election, ReadRelease]] = {}

    def reader(self, raw: bytes, where: str) -> tuple[Election, ReadRelease]:
        from racedesk.sources import registry

        key = sha256_hex(raw)
        found = self.readers.get(key)
        if found is None:
            try:
                election = _election_decoder.decode(raw)
            except msgspec.DecodeError as exc:
                raise InputError(f"a source's election: {exc}", where=where) from None
            found = (election, registry.adapter_of(election).release_reader(election))
            self.readers[key] = found
        return found


def _read(
    readers: _Readers,
    data: bytes,
    election: Election,
    *,
    where: str,
    received_at: datetime | None = None,
    content_hash: str | None = None,
) -> Release:
    joint = _decode(data, where)
    if len(joint.members) != len(election.members):
        raise InputError(
            f"the joined release has {len(joint.members)} sources; election {election.id} has "
            f"{len(election.members)}",
            where=where,
        )
    releases: list[Release | None] = []
    for member, served in zip(election.members, joint.members, strict=True):
        at = f"{where} › {member.source}"
        own, read = readers.reader(bytes(served.election), at)
        if own.id != member.election_id:
            raise InputError(
                f"holds election {own.id} where {election.id} has {member.election_id}", where=at
            )
        payload = _payload(served, at)
        releases.append(
            None
            if payload is None
            else read(
                payload,
                where=f"{at} ({served.origin})" if served.origin else at,
                received_at=received_at,
            )
        )
    return _merge(
        election,
        releases,
        received_at=received_at or datetime.now(tz=UTC),
        content_hash=content_hash or sha256_hex(data),
    )


def read_release(
    data: bytes,
    election: Election,
    *,
    where: str = "release",
    received_at: datetime | None = None,
    content_hash: str | None = None,
) -> Release:
    """The joined release ``data`` of ``election`` (module docstring)."""
    return _read(
        _Readers(), data, election, where=where, received_at=received_at,
        content_hash=content_hash,
    )  # fmt: skip


def release_reader(election: Election) -> ReadRelease:
    """:func:`read_release` for ``election``, each source's reader made once."""
    return partial(_read, _Readers(), election=election)


def parse(
    data: bytes,
    *,
    where: str = "joint",
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """The joined election and its one release that a joined release holds."""
    return election_and_release(
        read_election, read_release, data, where=where, received_at=received_at, rules=rules,
        content_hash=content_hash,
    )  # fmt: skip


def feed_folder(folder: Path) -> FeedFolder | None:
    """``None``: joined releases are made by :func:`join`, not archived as a folder."""
    return None


def _member_json(election_json: bytes, payload: RawPayload | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"election": msgspec.Raw(election_json)}
    if payload is None:
        return entry
    data = payload.data
    try:
        inline = bytes(msgspec.json.decode(data, type=msgspec.Raw)) == data
    except (msgspec.DecodeError, UnicodeDecodeError):
        inline = False
    if inline:
        entry["release"] = msgspec.Raw(data)
    else:  # not JSON, or JSON with bytes around it (a final newline) that must be kept
        entry["release_base64"] = base64.b64encode(data).decode()
    entry["origin"] = payload.origin
    return entry


def joined_payload(
    elections: Sequence[Election],
    payloads: Sequence[RawPayload | None],
    matches: Sequence[tuple[str, str]],
) -> bytes:
    """The bytes of a joined release: each source's election and its latest payload (None: it
    has published none yet), and the matches (module docstring)."""
    document = {
        "bundle": BUNDLE,
        "members": [
            _member_json(_encoder.encode(e), p) for e, p in zip(elections, payloads, strict=True)
        ],
        "matches": [{"contest": c, "record": r} for c, r in matches],
    }
    return _encoder.encode(document)


def members_of(data: bytes, where: str = "joint") -> list[tuple[Election, bytes | None]]:
    """Each source's election and latest payload (None: none yet) in a joined release: what a
    live desk starts again from after a restart."""
    joint = _decode(data, where)
    elections = _member_elections(joint, where)
    return [
        (e, _payload(m, f"{where} › {e.source}"))
        for e, m in zip(elections, joint.members, strict=True)
    ]


def join(
    elections: Sequence[Election],
    histories: Sequence[Sequence[tuple[Release, RawPayload]]],
    matches: Sequence[tuple[str, str]],
) -> tuple[Election, list[tuple[Release, RawPayload]]]:
    """The joined election of ``elections`` (one per source, the county's first) and its joined
    releases, one each time any source published (``histories[i]``: source i's releases with
    the payloads they were read from), in feed-time order; each release made from the sources'
    releases already read, as :func:`read_release` reads its payload."""
    election = joined_election(elections, matches)
    timeline = sorted(
        (release.feed_time, i, n)
        for i, h in enumerate(histories)
        for n, (release, _) in enumerate(h)
    )
    latest: list[tuple[Release, RawPayload] | None] = [None] * len(elections)
    out: list[tuple[Release, RawPayload]] = []
    for _, i, n in timeline:
        latest[i] = histories[i][n]
        data = joined_payload(elections, [item[1] if item else None for item in latest], matches)
        trigger = histories[i][n][1]
        raw = RawPayload.of(
            data, source=SOURCE, received_at=trigger.received_at, origin=f"joined: {trigger.origin}"
        )
        release = _merge(
            election,
            [item[0] if item is not None else None for item in latest],
            received_at=raw.received_at,
            content_hash=raw.content_hash,
        )
        out.append((release, raw))
    return election, out


__all__ = [
    "BUNDLE",
    "NAME",
    "join",
    "joined_election",
    "joined_id",
    "joined_payload",
    "members_of",
    "parse",
    "read_election",
    "read_release",
    "release_reader",
    "sniff",
]
