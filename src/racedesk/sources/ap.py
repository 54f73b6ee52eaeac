"""The Associated Press Elections API: v2 JSON, open to v3 fields.

Layout (``../shared/domain/formats.md``): ``{electionDate, timestamp, races: [{raceID,
raceType, raceTypeID, officeID, officeName, seatName, party, reportingUnits: [{statePostal,
level ("state", "subunit", "district" …), reportingunitName, reportingunitID, lastUpdated,
precinctsReporting, precinctsTotal, candidates: [{first, last, party, candidateID, ballotOrder,
voteCount, winner}]}]}]}``. An initialization payload (``omitResults=True``) lists each race's
``candidates`` without reporting units or votes.

How it maps onto the release model:

- one contest per race, id ``"{statePostal}-{raceID}"`` (AP's race ids are unique within a
  state only); its choices are the candidates (``candidateID``), in ballot order;
- with ``level="state"`` (the default) a contest's counts are its state-level reporting unit's,
  or the sum of its ``subunit`` units when the payload has no state-level unit (a payload asked
  for some reporting units only). Such a sum is whole when its units are every county of the
  state; else it is the race's part ("Jefferson County", "the 3 reporting units listed"),
  shown and never called (a rules file's ``portion = ""`` takes it whole); with
  ``level="subunit"`` every subunit is kept as its own contest, id
  ``"{statePostal}-{raceID}-{reportingunitID}"``, a county's part of the race
  (``Contest.portion``: shown, never called, :mod:`racedesk.rules.portion`);
- AP's calls are imported as calls from an outside source (``outside="AP"``, ``approved_by=
  "outside: AP"``; shown in the ledger, never the desk's standing call):
  ``winner: "X"`` → ``called`` (``passed``/``failed`` for a ballot measure), ``winner: "R"`` →
  ``runoff`` naming the candidates in the runoff;
- v3 fields are read when present: ``raceCallStatus`` ("Too Close to Call" becomes a ``too
  close`` event; a call status never overrides the ``winner`` flags) and ``eevp`` (AP's estimated
  expected vote, percent counted), which sets the ``votes_left`` a call assumed;
- rules: AP does not state them. A single-seat race of more than two candidates where the
  state's law asks a majority (a Georgia or Texas primary, a Georgia general, a California
  special primary, whose ``raceType`` says "Special": :mod:`racedesk.rules.state_law`) is
  majority-or-runoff from the start. A ballot measure
  (``officeID`` "I") has a threshold from a majority to two-thirds, settled only where all
  agree (Florida's amendments need 60%: :func:`racedesk.rules.california.unstated_measure_rule`);
  a recall question (a ballot measure whose name says recall) passes with more than half (EC
  §11000 ff. in California); a race where AP marks a runoff is majority-or-runoff (top two
  advance); every other race is plurality with ``numWinners`` seats (1 when absent). A rules
  file says otherwise.

The payload's ``timestamp`` is the release's feed time. An elections list (``elections``) or a
trend report (``trendtable``) is not a results payload: it is refused with an error saying so.
A follow-up payload fetched with ``minDateTime`` holds only the races that changed; racedesk
treats each payload as a whole release, so poll without it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

import msgspec

from racedesk.errors import InputError
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    ContestKind,
    Election,
    ElectionKind,
    Release,
    Rule,
    sha256_hex,
)
from racedesk.model.answers import CallEvent, CallStatus, Interval
from racedesk.rules.california import unstated_measure_rule
from racedesk.rules.county_part import county_name_of, every_county
from racedesk.rules.places import plurality_rule
from racedesk.rules.state_law import state_candidate_rule
from racedesk.rules.threshold import recall_question
from racedesk.sources import safety
from racedesk.sources.base import Parsed, WholeFile
from racedesk.sources.plausible import checked_release
from racedesk.sources.rules_file import apply_rules

NAME = "ap"
SOURCE = NAME
MODEL_VERSION = "AP"
Level = Literal["state", "subunit"]

_PRIMARY_TYPES = {"D", "R", "E", "S", "J", "K", "A", "B"}
_TOO_CLOSE = re.compile(r"too\s*close", re.IGNORECASE)


# --- payload shapes ---------------------------------------------------------------------------


class _Candidate(msgspec.Struct, kw_only=True, gc=False):
    candidateID: str
    first: str = ""
    last: str = ""
    suffix: str = ""
    party: str = ""
    ballotOrder: int | None = None
    voteCount: int | None = None
    winner: str = ""
    polID: str = ""


class _Unit(msgspec.Struct, kw_only=True, gc=False):
    level: str = ""
    statePostal: str = ""
    stateName: str = ""
    reportingunitName: str = ""
    reportingunitID: str = ""
    lastUpdated: str = ""
    precinctsReporting: int | None = None
    precinctsTotal: int | None = None
    eevp: float | None = None
    candidates: list[_Candidate] = []


class _Race(msgspec.Struct, kw_only=True, gc=False):
    raceID: str
    raceType: str = ""
    raceTypeID: str = ""
    officeID: str = ""
    officeName: str = ""
    seatName: str = ""
    description: str = ""
    party: str = ""
    statePostal: str = ""
    test: bool = False
    numWinners: int | None = None
    numRunoff: int | None = None
    lastUpdated: str = ""
    # v3
    eevp: float | None = None
    raceCallStatus: str | None = None
    tabulationStatus: str | None = None
    reportingUnits: list[_Unit] = []
    candidates: list[_Candidate] = []


class _Payload(msgspec.Struct, kw_only=True, gc=False):
    electionDate: str
    timestamp: str = ""
    races: list[_Race]
    apiVersion: str = ""


_decoder = msgspec.json.Decoder(_Payload)


# --- sniffing -------------------------------------------------------------------------------------


def sniff(data: bytes, name: str) -> bool:
    """An AP Elections API JSON payload (results, or the elections list or a trend report)."""
    head = data[:2048].lstrip()
    if not head.startswith(b"{"):
        return False
    if b'"races"' in data[:65536] and b'"electionDate"' in head:
        return True
    return b'"trendtable"' in head or b'"queryExplorer"' in head


# --- reading --------------------------------------------------------------------------------------


def _decode(data: bytes, where: str) -> _Payload:
    head = data[:2048]
    if b'"trendtable"' in head:
        raise InputError(
            "an AP trend report (party seat counts), not race results: nothing to ingest",
            where=where,
        )
    if b'"queryExplorer"' in head or (b'"elections"' in head and b'"races"' not in head):
        raise InputError(
            "an AP elections list (dates with results), not race results: nothing to ingest",
            where=where,
        )
    safety.decode_text(data, where, what="JSON payload")  # a clear error for a wrong encoding
    try:
        decoded = _decoder.decode(data)
    except RecursionError:
        raise InputError("the JSON is nested too deeply", where=where) from None
    except msgspec.ValidationError as exc:
        raise InputError(f"not an AP Elections API payload: {exc}", where=where) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the JSON is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            where=where,
        ) from None
    except msgspec.DecodeError as exc:
        text = str(exc)
        if "truncated" in text.lower():
            raise InputError(
                f"the JSON is cut short: not a whole payload ({text})", where=where
            ) from None
        if "utf-8" in text.lower():
            raise InputError(f"the JSON is not UTF-8 ({text})", where=where) from None
        raise InputError(f"not valid JSON: {text}", where=where) from None
    safety.refuse_duplicate_keys(data, where)
    return decoded


def _time(text: str, where: str) -> datetime:
    """An AP timestamp ("2015-11-10T18:55:18.832Z") as an aware datetime (UTC when unzoned)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"cannot read the time {text!r}", where=where) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _name(c: _Candidate) -> str:
    return " ".join(f"{c.first} {c.last} {c.suffix}".split())


def _is_measure(race: _Race) -> bool:
    return race.officeID.upper() == "I" or "ballot issue" in race.raceType.lower()


def _title(race: _Race, state: str) -> str:
    parts = [state, race.officeName.strip(), race.seatName.strip()]
    title = " ".join(p for p in parts if p)
    kind = " ".join(p for p in (race.party.strip(), race.raceType.strip()) if p)
    if kind and kind.lower() not in ("general", "ballot issue"):
        title += f" ({kind})"
    return title


def _is_recall(race: _Race) -> bool:
    return _is_measure(race) and recall_question(race.officeName, race.seatName, race.description)


def _rule(race: _Race, runoff: bool) -> Rule:
    if _is_recall(race):
        return Rule(kind="recall", threshold="1/2", text="recall passes with a majority")
    if _is_measure(race):
        return unstated_measure_rule()
    seats = race.numWinners or 1
    if runoff:
        advance = race.numRunoff or 2 * seats
        return Rule(kind="majority_or_runoff", seats=seats, votes_allowed=seats, advance=advance,
                    text="a majority elects; otherwise the top two go to a runoff (AP marked a runoff)")  # fmt: skip
    kind: ElectionKind = "primary" if race.raceTypeID.upper() in _PRIMARY_TYPES else "general"
    named = max([len(u.candidates) for u in race.reportingUnits] + [len(race.candidates)])
    by_law = state_candidate_rule(
        _state_of(race),
        kind,
        _title(race, _state_of(race)),
        seats=seats,
        candidates=named,
        special="special" in race.raceType.lower(),
    )
    if by_law is not None:
        return by_law
    return plurality_rule(seats)


def _state_of(race: _Race) -> str:
    if race.statePostal:
        return race.statePostal.strip().upper()
    for unit in race.reportingUnits:
        if unit.statePostal:
            return unit.statePostal.strip().upper()
    return ""


def _votes(unit: _Unit, where: str) -> dict[str, int]:
    votes: dict[str, int] = {}
    for c in unit.candidates:
        if c.candidateID in votes:
            raise InputError(f"candidate {c.candidateID} appears twice", where=where)
        v = c.voteCount if c.voteCount is not None else 0
        if v < 0:
            raise InputError(
                f"candidate {c.candidateID} has a negative vote count ({v})", where=where
            )
        votes[c.candidateID] = v
    return votes


def _sum_units(units: list[_Unit], where: str) -> _Unit:
    """One unit holding the sum of ``units``' votes and precincts (a state from its counties).
    A candidate AP marks as the race's winner (or in its runoff) in any unit keeps the mark."""
    totals: dict[str, int] = {}
    first: dict[str, _Candidate] = {}
    marks: dict[str, set[str]] = {}
    for u in units:
        for cid, v in _votes(u, where).items():
            totals[cid] = totals.get(cid, 0) + v
        for c in u.candidates:
            first.setdefault(c.candidateID, c)
            marks.setdefault(c.candidateID, set()).add(c.winner.upper())
    reporting = [u.precinctsReporting for u in units]
    total = [u.precinctsTotal for u in units]

    def mark(cid: str) -> str:
        return "X" if "X" in marks[cid] else "R" if "R" in marks[cid] else ""

    return _Unit(
        level="state",
        statePostal=units[0].statePostal,
        precinctsReporting=None if None in reporting else sum(r or 0 for r in reporting),
        precinctsTotal=None if None in total else sum(t or 0 for t in total),
        candidates=[
            msgspec.structs.replace(first[cid], voteCount=v, winner=mark(cid))
            for cid, v in totals.items()
        ],
    )


def _summed_part(race: _Race, subunits: list[_Unit]) -> str:
    """What the sum of a race's ``subunits`` covers when the payload has no state-level unit
    (a payload asked for some reporting units only): the whole race when they are every county
    of the state (:func:`racedesk.rules.county_part.every_county`: Colorado's 64, Kentucky's
    120); else, since nothing says a race AP covers lies inside the units listed (its races are
    a state's and its districts'), one county's name ("Jefferson County") or "the N reporting
    units listed": the race's part, shown, never called. A rules file's ``portion = ""`` takes
    the sum whole (a county's own race)."""
    state = _state_of(race)
    listed = {u.reportingunitID or u.reportingunitName.strip() for u in subunits}
    if every_county(state, len(listed)):
        return ""
    if len(listed) == 1:
        return county_name_of(subunits[0].reportingunitName, state)
    return f"the {len(listed)} reporting units listed"


def _state_unit(race: _Race, where: str) -> tuple[_Unit | None, str]:
    """The unit holding the race's state-wide counts (None for an initialization race), and
    the part of the race it covers: ``""`` for AP's state-level unit, else the part its
    subunits' sum covers (:func:`_summed_part`)."""
    units = race.reportingUnits
    if not units:
        return None, ""
    state = [u for u in units if u.level.lower() == "state"]
    if len(state) > 1:
        raise InputError("the race has more than one state-level reporting unit", where=where)
    if state:
        return state[0], ""
    subunits = [u for u in units if u.level.lower() == "subunit"]
    if subunits:
        return _sum_units(subunits, where), _summed_part(race, subunits)
    if len(units) == 1:
        return units[0], ""
    raise InputError(
        f"the race has no state-level reporting unit and no subunits to sum (levels: "
        f"{sorted({u.level for u in units})})",
        where=where,
    )


def _choices(candidates: list[_Candidate]) -> tuple[Choice, ...]:
    ordered = sorted(
        enumerate(candidates),
        key=lambda ic: (ic[1].ballotOrder if ic[1].ballotOrder is not None else 1_000_000, ic[0]),
    )
    return tuple(Choice(id=c.candidateID, name=_name(c), party=c.party.strip()) for _, c in ordered)


def _known_choices(
    known: dict[tuple[str, ...], tuple[Choice, ...]], candidates: list[_Candidate]
) -> tuple[Choice, ...]:
    key = tuple(c.candidateID for c in candidates)
    found = known.get(key)
    if found is None:
        found = known[key] = _choices(candidates)
    return found


def _calls(
    race: _Race, contest: Contest, unit: _Unit, counted: int, release: Release, first_id: int
) -> list[CallEvent]:
    """AP's calls in ``race`` as ledger events from an outside source."""
    winners = tuple(c.candidateID for c in unit.candidates if c.winner.upper() == "X")
    runoff = tuple(c.candidateID for c in unit.candidates if c.winner.upper() == "R")
    eevp = unit.eevp if unit.eevp is not None else race.eevp
    left: Interval | None = None
    if eevp is not None and 0 < eevp <= 100:
        left = Interval.exact(round(counted * (100 / eevp - 1)))
    events: list[tuple[CallStatus, tuple[str, ...], str]] = []
    names = {k.id: k.name for k in contest.choices}
    if winners:
        if contest.kind in ("measure", "recall"):
            yes = any(
                names.get(w, "").strip().lower() in ("yes", "for", "approve") for w in winners
            )
            status: CallStatus = "passed" if yes else "failed"
            reason = f"AP called the measure: {names.get(winners[0], winners[0])}"
        else:
            status = "called"
            reason = "AP declared " + " and ".join(names.get(w, w) for w in winners) + " the winner"
            if len(winners) > 1:
                reason += "s"
        events.append((status, winners, reason))
    if runoff:
        events.append(
            (
                "runoff",
                runoff,
                "AP: " + " and ".join(names.get(r, r) for r in runoff) + " advance to a runoff",
            )
        )
    if not events and race.raceCallStatus and _TOO_CLOSE.search(race.raceCallStatus):
        events.append(("too close", (), f"AP: {race.raceCallStatus.strip()}"))
    return [
        CallEvent(
            event_id=first_id + i,
            contest_id=contest.id,
            status=status,
            choices=choices,
            release_hash=release.content_hash,
            release_sequence=release.sequence or 0,
            release_time=release.feed_time,
            votes_left=left,
            hurdle=None,
            probability=None,
            model_version=MODEL_VERSION,
            reason=reason,
            approved_by="outside: AP",
            outside="AP",
        )
        for i, (status, choices, reason) in enumerate(events)
    ]


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
    level: Level = "state",
) -> Parsed:
    """Read an AP Elections API JSON payload into an election, one release and AP's calls.

    Rejected with an :class:`InputError` naming ``where`` (and the race): JSON that is cut short
    or not UTF-8, a payload of another shape (an elections list, a trend report), an unreadable
    date or time, a negative vote count, a candidate listed twice, a race id given twice.
    An initialization payload (no reporting units) gives the election and no release.
    """
    payload = _decode(safety.unpack(data, where, suffixes=(".json",)), where)
    try:
        day = date.fromisoformat(payload.electionDate.strip()[:10])
    except ValueError:
        raise InputError(
            f"cannot read the election date {payload.electionDate!r}", where=where
        ) from None
    feed_time = _time(payload.timestamp, where) if payload.timestamp else None
    read = _Races()
    for race in payload.races:
        read.add(race, level, where)
    if not read.contests:
        raise InputError("the payload holds no races", where=where)
    election = _election(day, read, apply_rules(read.contests, rules, where))
    if read.initialization:
        return Parsed(election=election, releases=())
    if feed_time is None:
        raise InputError("the payload has no timestamp", where=where)
    release = Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=feed_time,
        received_at=received_at or datetime.now(tz=UTC),
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=tuple(read.counts),
    )
    release = checked_release(release, where)
    calls: list[CallEvent] = []
    if level == "state":  # a subunit's winner flag is the race's, not the subunit's
        by_id = {c.id: c for c in election.contests}
        for (race, unit), count in zip(read.units_used, read.counts, strict=True):
            calls += _calls(
                race, by_id[count.contest_id], unit, count.total_votes, release, len(calls) + 1
            )
    return Parsed(election=election, releases=(release,), calls=tuple(calls))


@dataclass
class _Races:
    """The races of a payload read so far: a contest per race (or per subunit), the counts of
    those with results and the units they came from, the states and race types seen."""

    contests: list[Contest] = field(default_factory=list)
    counts: list[ContestCount] = field(default_factory=list)
    units_used: list[tuple[_Race, _Unit]] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    initialization: bool = True  # no race has reporting units yet

    def add(self, race: _Race, level: Level, where: str) -> None:
        """Read one race: its contest (or one per subunit) and, when it reports, its counts."""
        state = _state_of(race)
        if state:
            self.states.add(state)
        self.kinds.add(race.raceTypeID.upper())
        rid = f"{state}-{race.raceID}"
        here = f"{where}, race {rid} ({race.officeName})"
        runoff = any(c.winner.upper() == "R" for u in race.reportingUnits for c in u.candidates)
        rule = _rule(race, runoff)
        kind: ContestKind = (
            "recall" if _is_recall(race) else "measure" if _is_measure(race) else "candidate"
        )
        base_title = _title(race, state)
        known: dict[tuple[str, ...], tuple[Choice, ...]] = {}  # the race's units list the same
        for cid, unit, portion in self._units(race, rid, level, here):
            if cid in self.seen:
                raise InputError(f"contest {cid} appears twice", where=here)
            self.seen.add(cid)
            candidates = unit.candidates if unit is not None else race.candidates
            if not candidates:
                raise InputError("the race lists no candidates", where=here)
            self.contests.append(
                Contest(
                    id=cid,
                    title=base_title
                    if unit is None or cid == rid
                    else f"{base_title} — {unit.reportingunitName.strip()}",
                    kind=kind,
                    rule=rule,
                    choices=_known_choices(known, candidates),
                    group=race.officeName.strip(),
                    party=race.party.strip(),
                    portion=portion,
                )
            )
            if unit is not None:
                self.counts.append(
                    ContestCount(
                        contest_id=cid,
                        votes=_votes(unit, f"{where}, contest {cid}"),
                        precincts_reporting=unit.precinctsReporting,
                        precincts_total=unit.precinctsTotal,
                    )
                )
                self.units_used.append((race, unit))

    def _units(
        self, race: _Race, rid: str, level: Level, here: str
    ) -> list[tuple[str, _Unit | None, str]]:
        """The race's contests by id with the unit that reports each (``None``: no results)
        and the part of the race it covers (``""``: the whole race)."""
        if not race.reportingUnits:
            return [(rid, None, "")]
        self.initialization = False
        state = _state_of(race)
        if level == "subunit" and any(u.level.lower() == "subunit" for u in race.reportingUnits):
            return [
                (f"{rid}-{u.reportingunitID}", u, county_name_of(u.reportingunitName, state))
                for u in race.reportingUnits
                if u.level.lower() == "subunit"
            ]
        unit, portion = _state_unit(race, here)
        return [(rid, unit, portion)]


def _election(day: date, read: _Races, contests: tuple[Contest, ...]) -> Election:
    """The election of the races read: a primary when every race type is a primary's."""
    primary = bool(read.kinds) and read.kinds <= _PRIMARY_TYPES
    election_kind: ElectionKind = "primary" if primary else "general"
    states = read.states
    suffix = "-".join(sorted(s.lower() for s in states))
    return Election(
        id=f"{SOURCE}:{day.isoformat()}" + (f"-{suffix}" if suffix else ""),
        title=f"AP results, {day.isoformat()}"
        + (f" ({', '.join(sorted(states))})" if states else ""),
        date=day,
        jurisdiction=", ".join(sorted(states)),
        kind=election_kind,
        contests=contests,
        source=SOURCE,
        timezone="America/New_York",
    )


# --- the adapter's verbs -----------------------------------------------------------------------

_verbs = WholeFile(parse)
read_election = _verbs.read_election
read_release = _verbs.read_release
release_reader = _verbs.release_reader
feed_folder = _verbs.feed_folder


__all__ = [
    "NAME",
    "feed_folder",
    "parse",
    "read_election",
    "read_release",
    "release_reader",
    "sniff",
]
