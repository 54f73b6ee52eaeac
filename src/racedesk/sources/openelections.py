"""OpenElections CSV: final results by county or by precinct, for baselines and history.

Layout (``../shared/domain/formats.md``): one row per candidate and unit,
``county,precinct,office,district,party,candidate,votes``; some files add ``incumbent``,
``write_in``, or vote-type columns (``election_day``, ``mail``, ``early_voting``,
``provisional`` …). The file name says the election: ``20201103__ca__general__county.csv``,
``20200303__ca__primary__amador__precinct.csv`` (date, state, kind, county, level).

How it maps onto the release model (one file is one release: the final count):

- a contest per ``office`` + ``district``, its counts summed over the file's counties and
  precincts; in a party primary the parties' contests are kept apart (a pseudo-row such as
  "Total Votes Cast" repeated under several parties in one precinct shows it, as does the
  President in a file named ``…__primary__…``), id and title then ending with the party;
- pseudo-offices are not contests: "Registered Voters" gives the election's registration and
  "Ballots Cast" the ballots counted (also as ``SOVC`` rows "Registered Voters - Total",
  "Ballots Cast - Total");
- pseudo-candidates are not choices: "Write-in Totals"/"Write-In" give ``write_ins``,
  "Overvotes"/"Undervotes" the over- and undervotes, "Contest Total" the ballots counted in a
  vote-for-one contest; "Total Votes Cast" must equal the choices plus write-ins;
- any other column whose every value is a whole number is a vote type, kept in
  ``votes_by_type`` (vote type → choice id → votes);
- a county's file (``…__alpine__precinct.csv``, or a file whose rows name one county) sees
  only the county's part of a contest reaching beyond it (President, a district crossing the
  county line): ``Contest.portion`` names the county ("Alpine County"), so the contest is shown
  and never called (:mod:`racedesk.rules.county_part`); a state's file sees its contests whole;
- rules: the files do not say them. A contest whose choices are yes and no is a measure whose
  threshold may be anything from a majority to two-thirds, settled only where all agree. Any
  other elects as many as its words or its office say (:mod:`racedesk.rules.seats`: "Vote for
  3", Arizona's two representatives a district, a sheriff), by plurality unless the state's law
  asks a majority (:mod:`racedesk.rules.state_law`); where nothing says how many it elects, its
  rule is unknown (shown, never called). A rules file says otherwise (a contest's seats, a
  primary's top-two or majority-or-runoff contests, a measure's threshold);
- a special election's name states its stage (``…__special__primary__los_angeles__…``): a
  special primary's rules are a primary's, and in California a majority in it elects outright.

The release is dated the election day at noon UTC, which is election day in every US time zone
(the files carry no publication time; at midnight UTC a Pacific desk showed the day before), and
has status ``final``. Precincts reporting = precincts in the contest (final results).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import Final, NamedTuple

from racedesk.errors import InputError
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    Election,
    ElectionKind,
    Release,
    Rule,
    sha256_hex,
)
from racedesk.rules import logic_for
from racedesk.rules.california import measure_rule
from racedesk.rules.county_part import county_name_of, county_part
from racedesk.rules.places import plurality_rule
from racedesk.rules.seats import seats_of, unstated_seats_rule
from racedesk.rules.state_law import state_candidate_rule
from racedesk.rules.threshold import recall_question
from racedesk.sources import safety
from racedesk.sources.base import Parsed, WholeFile
from racedesk.sources.plausible import checked_release
from racedesk.sources.rules_file import apply_rules

NAME = "openelections"
SOURCE = NAME

_DESCRIPTIVE = {"county", "precinct", "office", "district", "party", "candidate", "votes",
                "incumbent", "write_in", "winner", "notes", "jurisdiction", "ward", "fips",
                "parish", "town", "state", "year"}  # fmt: skip
_NAME = re.compile(
    r"^(?P<date>\d{8})__(?P<state>[a-z]{2})__(?P<kind>[a-z_]+?)(?:__(?P<rest>.+))?$", re.IGNORECASE
)


def _norm(text: str) -> str:
    return " ".join(text.replace("-", " ").split()).casefold()


def _pseudo_office(office: str, candidate: str) -> str | None:
    """``"registration"`` or ``"ballots"`` for a row that is a turnout figure, not a vote."""
    o, c = _norm(office), _norm(candidate)
    for text in (o, c if o in ("sovc", "statistics", "turnout", "") else ""):
        if text.startswith("registered voters"):
            return "registration"
        if text.startswith("ballots cast"):
            return "ballots"
    return None


def _pseudo_candidate(candidate: str) -> str | None:
    c = _norm(candidate)
    if re.fullmatch(r"write ?ins?( totals?| votes?)?", c):
        return "write_ins"
    if c in ("overvotes", "over votes", "overvote"):
        return "overvotes"
    if c in ("undervotes", "under votes", "undervote"):
        return "undervotes"
    if c in ("total votes cast", "total votes", "total"):
        return "total"
    if c in ("contest total", "contest totals", "total ballots"):
        return "ballots"
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _whole(text: str, where: str, column: str) -> int:
    value = safety.read_count(text, grouped=True)
    if value is None:
        raise InputError(f"{column} is {text!r}, not a whole number ≥ 0", where=where)
    return value


def sniff(data: bytes, name: str) -> bool:
    """A CSV whose header names office, candidate and votes (or an OpenElections file name)."""
    header = data[:1024].split(b"\n", 1)[0].lower()
    cols = {c.strip().strip(b'"') for c in header.split(b",")}
    if {b"office", b"candidate", b"votes"} <= cols:
        return True
    stem = PurePath(name).name
    return stem.endswith(".csv") and bool(_NAME.match(stem[:-4]))


class FileName(NamedTuple):
    """The election an OpenElections file name states."""

    day: date
    state: str
    kind: ElectionKind
    #: "primary" or "general" where the name says it (a special election's stage:
    #: ``20170404__ca__special__primary__los_angeles__precinct.csv``), else "special".
    stage: ElectionKind
    place: str
    #: The party whose primary the file holds, where the name says it (``…__dem__primary__…``).
    party: str = ""


#: The hour of the day, UTC, a file's one release is dated: election day in every US time zone.
NOON_UTC: Final = 12

#: A party's word in a file name, and the party's name.
_PARTIES: Final = {
    "dem": "Democratic", "democratic": "Democratic", "rep": "Republican", "gop": "Republican",
    "republican": "Republican", "lib": "Libertarian", "libertarian": "Libertarian",
    "grn": "Green", "green": "Green",
}  # fmt: skip

_STAGES: dict[str, ElectionKind] = {"primary": "primary", "general": "general", "runoff": "general"}
#: Words of a file name that are not its place: a party's (``…__dem__primary__county``), an
#: office's (``…__special__state__house__171``, ``…__primary__president``), a reporting level's.
_NOT_A_PLACE: Final = frozenset(
    {*_PARTIES, "nonpartisan", "special", "state", "us", "federal", "house", "senate", "president",
     "presidential", "governor", "congress", "congressional", "assembly", "state_house",
     "state_senate", "state_legislative", "legislative", "statewide", "precinct", "county",
     "ward", "town", "parish", "municipality", "district", "vtd"}
)  # fmt: skip


def describe_name(name: str) -> FileName | None:
    """The election a file name states (its date, state, kind, a special election's stage, the
    county or place), or None. OpenElections' names run ``date__state[__party][__special]
    __type[__place][__office[__district]][__level]``; the place is the word after the type
    where another follows it and it is not an office, a party or a level."""
    stem = PurePath(name).name
    stem = stem[:-4] if stem.lower().endswith(".csv") else stem
    m = _NAME.match(stem)
    if not m:
        return None
    try:
        day = datetime.strptime(m.group("date"), "%Y%m%d").date()
    except ValueError:
        return None
    words = [w for w in stem.split("__")[2:] if w]
    low = [w.lower() for w in words]
    typed = next((i for i, w in enumerate(low) if w in _STAGES), None)
    stage: ElectionKind = _STAGES[low[typed]] if typed is not None else "special"
    if typed is not None and low[typed] == "runoff" and "primary" in low[:typed]:
        stage = "primary"
    kind: ElectionKind = "special" if "special" in low else stage
    rest = words[typed + 1 :] if typed is not None else []
    while rest and rest[0].lower() in _STAGES:  # "…__primary__general__runoff"
        rest = rest[1:]
    place = rest[0] if len(rest) > 1 and not _unplaced(rest[0]) else ""
    party = next((_PARTIES[w] for w in low[: typed or 0] if w in _PARTIES), "")
    return FileName(day, str(m.group("state")).upper(), kind, stage, place, party)


def _unplaced(word: str) -> bool:
    """Whether a word of a file name is not a place (:data:`_NOT_A_PLACE`, or a number)."""
    return word.lower() in _NOT_A_PLACE or word.isdigit()


class _Tally:
    """One contest's sums while reading rows."""

    def __init__(self, office: str, district: str, party: str) -> None:
        self.office = office
        self.district = district
        self.party = party
        self.names: dict[str, tuple[str, str]] = {}  # choice id → (name, party)
        self.votes: dict[str, int] = {}
        self.by_type: dict[str, dict[str, int]] = {}
        self.pseudo: dict[str, int] = {}
        self.units: set[tuple[str, str]] = set()


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
    election_date: date | None = None,
) -> Parsed:
    """Read an OpenElections CSV into one release of final results.

    ``election_date`` is needed when the file name does not state it. Rejected with an
    :class:`InputError` naming ``where`` and the line: a file that is not UTF-8 text, a header
    without office, candidate and votes, a count that is not a whole number, a contest whose
    "Total Votes Cast" is not the sum of its votes. Rows that name no candidate (a file whose
    columns are shifted: Arizona's 2020 retention questions by precinct) and contests of totals
    alone are set aside, said in ``Release.set_aside``, and the rest is read.
    """
    text = safety.decode_text(
        safety.unpack(data, where, suffixes=(".csv",)), where, what="CSV file"
    )
    named = _described(where, election_date)
    day, state, kind, place = named.day, named.state, named.kind, named.place
    header, rows = _read_rows(text, where)
    tallies, beside = _tally(rows, header, where, primary=named.stage == "primary")
    county = _one_county(place, tallies)
    part = _Part(county_name_of(county, state), state, _slug(county), day.year) if county else None
    final = apply_rules(_contests(tallies, part, named), rules, where)
    counts = _counts(final, tallies, where)
    place_name = place.replace("_", " ").title()
    jurisdiction = ", ".join(p for p in (place_name, state) if p)
    party = named.party
    ident = "-".join(
        p for p in (day.isoformat(), state.lower(), _slug(party), kind, _slug(place)) if p
    )
    election = Election(
        id=f"{SOURCE}:{ident}",
        title=f"{day.isoformat()} {f'{party} ' if party else ''}{kind} election"
        + (f", {jurisdiction}" if jurisdiction else ""),
        date=day,
        jurisdiction=jurisdiction,
        kind=kind,
        contests=final,
        registration=beside.registration if beside.seen and beside.registration else None,
        source=SOURCE,
    )
    release = Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=datetime(day.year, day.month, day.day, NOON_UTC, tzinfo=UTC),
        received_at=received_at or datetime.now(tz=UTC),
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=tuple(counts),
        ballots_counted=beside.ballots if beside.seen and beside.ballots else None,
        status="final",
        set_aside=tuple(beside.notes()),
    )
    release = checked_release(release, where)
    return Parsed(election=election, releases=(release,))


def _described(where: str, election_date: date | None) -> FileName:
    """The election's date, state, kind and place, from the file's name (OpenElections names
    its files ``20201103__ca__general__county.csv``) or ``election_date``, which wins."""
    described = describe_name(where)
    if described is not None:
        return described._replace(day=election_date or described.day)
    if election_date is not None:
        return FileName(election_date, "", "general", "general", "")
    raise InputError(
        "cannot tell the election date: name the file like OpenElections does "
        "(20201103__ca__general__county.csv)",
        where=where,
    )


def _read_rows(text: str, where: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower case) and every row with its line number, its cells stripped."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        if not {"office", "candidate", "votes"} <= set(header):
            raise InputError(
                f"not an OpenElections CSV: the header {header[:10]} lacks office, candidate and votes",
                where=where,
            )
        reader.fieldnames = header
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            line = reader.line_num
            if None in row:
                raise InputError(
                    "the row has more fields than the header", where=f"{where}, line {line}"
                )
            rows.append((line, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise InputError(
            f"not readable CSV: {exc}", where=f"{where}, line {reader.line_num + 1}"
        ) from None
    return header, rows


@dataclass
class _Beside:
    """What the file holds beside its contests' votes: its turnout pseudo-offices ("Registered
    Voters", "Ballots Cast") added up, and what it set aside (rows naming no candidate, offices
    of totals alone)."""

    seen: bool = False
    registration: int = 0
    ballots: int = 0
    #: Rows that name no candidate, by office: their lines and votes, set aside.
    unnamed: dict[str, tuple[list[int], int]] = field(default_factory=dict)
    #: Offices whose rows are only totals ("Total Votes Cast"), left out.
    totals_only: list[str] = field(default_factory=list)

    def set_aside(self, office: str, line: int, votes: int) -> None:
        """Keep a row naming no candidate out of the count, and say so."""
        lines, total = self.unnamed.get(office, ([], 0))
        self.unnamed[office] = ([*lines, line], total + votes)

    def notes(self) -> list[str]:
        """What was set aside, in words (``Release.set_aside``)."""
        said = []
        for office, (lines, votes) in self.unnamed.items():
            rows = f"{len(lines)} rows of {office!r} (lines {lines[0]} to {lines[-1]}) name"
            if len(lines) == 1:
                rows = f"1 row of {office!r} (line {lines[0]}) names"
            said.append(
                f"{rows} no candidate: {votes:,} votes not counted (the file's columns may be "
                "shifted)"
            )
        return said + [f"{o!r} lists only totals, no candidate: left out" for o in self.totals_only]


def _tally(
    rows: list[tuple[int, dict[str, str]]], header: list[str], where: str, *, primary: bool
) -> tuple[dict[str, _Tally], _Beside]:
    """Every contest's votes added up over the rows (by contest key, in the file's order),
    and what the file holds beside them (:class:`_Beside`)."""
    extra = [h for h in header if h not in _DESCRIPTIVE and h]
    vote_types = [
        h
        for h in extra
        if all(safety.read_count(r[h], grouped=True) is not None for _, r in rows if r[h])
    ]
    party_split = _party_split(rows, primary=primary)
    tallies: dict[str, _Tally] = {}
    beside = _Beside()
    for line, row in rows:
        here = f"{where}, line {line}"
        office, candidate = row["office"], row["candidate"]
        if not office and not candidate:
            continue
        votes = _whole(row["votes"], here, "votes")
        pseudo_office = _pseudo_office(office, candidate)
        if pseudo_office is not None:
            beside.seen = True
            if pseudo_office == "registration":
                beside.registration += votes
            else:
                beside.ballots += votes
            continue
        district = row.get("district", "")
        pseudo = _pseudo_candidate(candidate)
        cid = _slug(candidate) or _norm(candidate)
        if pseudo is None and not cid:
            beside.set_aside(" ".join(f"{office} {district}".split()), line, votes)
            continue
        party = row.get("party", "")
        split = (_norm(office), district) in party_split
        key = "-".join(
            p for p in (_slug(office), _slug(district), _slug(party) if split else "") if p
        )
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Tally(office, district, party if split else "")
        tally.units.add((row.get("county", ""), row.get("precinct", "")))
        if pseudo is not None:
            tally.pseudo[pseudo] = tally.pseudo.get(pseudo, 0) + votes
            continue
        tally.names.setdefault(cid, (" ".join(candidate.split()), party))
        tally.votes[cid] = tally.votes.get(cid, 0) + votes
        for vt in vote_types:
            if row[vt]:
                per = tally.by_type.setdefault(vt, {})
                per[cid] = per.get(cid, 0) + _whole(row[vt], here, vt)
    for key, t in list(tallies.items()):
        if not t.names:
            beside.totals_only.append(" ".join(f"{t.office} {t.district}".split()))
            del tallies[key]
    if not tallies:
        unnamed = f": {beside.notes()[0]}" if beside.notes() else ""
        raise InputError(f"the file holds no contests{unnamed}", where=where)
    return tallies, beside


#: What a ``county`` cell holds on a state's rows rather than a county's name.
_NOT_A_COUNTY = frozenset({"", "statewide", "state", "total", "totals", "all"})


@dataclass(frozen=True)
class _Part:
    """The county a county's file covers: its name, the state, its key and the year."""

    name: str
    state: str
    county: str
    year: int


def _one_county(place: str, tallies: dict[str, _Tally]) -> str:
    """The county the file covers alone: the one its name states (``…__alpine__precinct``),
    else the one county its rows name when they name one only; "" for a file of a state."""
    if place:
        return place
    counties = {u[0].strip() for t in tallies.values() for u in t.units}
    if len(counties) != 1 or _norm(next(iter(counties))) in _NOT_A_COUNTY:
        return ""
    return counties.pop()


#: The first words of a question's choices: a contest whose choices are all these is a measure.
_YES_NO = frozenset({"yes", "no", "for", "against"})


def _contests(tallies: dict[str, _Tally], part: _Part | None, named: FileName) -> list[Contest]:
    """A contest per tally: a measure whose threshold is not stated when its choices are yes
    and no, else a candidate contest (:func:`_candidate_rule`); in a county's file, a contest
    reaching beyond the county is its part (:mod:`racedesk.rules.county_part`)."""
    contests: list[Contest] = []
    for key, t in tallies.items():
        title = t.office + (f" District {t.district}" if t.district else "")
        if t.party:
            title += f" ({t.party})"
        question = {_norm(n).split(" ")[0] for n, _ in t.names.values()} <= _YES_NO
        rule = (
            measure_rule(None, recall=recall_question(title))
            if question
            else _candidate_rule(t, title, named)
        )
        contests.append(
            Contest(
                id=key,
                title=title,
                kind=logic_for(rule).contest_kind,
                rule=rule,
                choices=tuple(Choice(id=cid, name=n, party=p) for cid, (n, p) in t.names.items()),
                group=t.office,
                party=t.party,
                portion=county_part(
                    title, part.name, state=part.state, county=part.county, year=part.year
                )
                if part
                else "",
            )
        )
    return contests


def _candidate_rule(t: _Tally, title: str, named: FileName) -> Rule:
    """A candidate contest's rule, which the file does not state: its seats from its words or
    its office (:func:`racedesk.rules.seats.seats_of`; where none says, the rule is unknown:
    shown, never called), then plurality unless the state's law says otherwise (a Georgia
    primary's majority, California's top two: :mod:`racedesk.rules.state_law`)."""
    seats = seats_of(named.state, t.office, t.district, year=named.day.year)
    if seats is None and len(t.names) > 1:
        return unstated_seats_rule(title)
    seats = seats or 1
    by_law = state_candidate_rule(
        named.state,
        named.stage,
        title,
        seats=seats,
        candidates=len(t.names),
        special=named.kind == "special",
    )
    if by_law is not None:
        return by_law
    return plurality_rule(seats, note="the file states no rule")


def _counts(
    contests: tuple[Contest, ...], tallies: dict[str, _Tally], where: str
) -> list[ContestCount]:
    """Each contest's count from its tally, checked against its "Total Votes Cast"."""
    counts: list[ContestCount] = []
    for contest, t in zip(contests, tallies.values(), strict=True):
        write_ins = t.pseudo.get("write_ins", 0)
        total = t.pseudo.get("total")
        if total is not None and total != sum(t.votes.values()) + write_ins:
            raise InputError(
                f"contest {contest.title}: Total Votes Cast is {total:,}, but its choices and "
                f"write-ins add up to {sum(t.votes.values()) + write_ins:,}",
                where=where,
            )
        units = {u for u in t.units if u[1]}
        counts.append(
            ContestCount(
                contest_id=contest.id,
                votes=t.votes,
                write_ins=write_ins,
                ballots=t.pseudo.get("ballots") if contest.rule.votes_allowed == 1 else None,
                undervotes=t.pseudo.get("undervotes"),
                overvotes=t.pseudo.get("overvotes"),
                votes_by_type=t.by_type,
                precincts_reporting=len(units) or None,
                precincts_total=len(units) or None,
            )
        )
    return counts


def _party_split(rows: list[tuple[int, dict[str, str]]], *, primary: bool) -> set[tuple[str, str]]:
    """The (office, district) contests that are one contest per party.

    A pseudo-candidate ("Total Votes Cast", "Undervotes" …) listed under two parties in one
    precinct shows it; so does the President in a primary (party presidential primaries).
    """
    split: set[tuple[str, str]] = set()
    seen: dict[tuple[str, str, str, str, str], str] = {}
    for _, row in rows:
        office = _norm(row["office"])
        district = row.get("district", "")
        if primary and office in ("president", "presidential preference"):
            split.add((office, district))
        if _pseudo_candidate(row["candidate"]) is None or not row.get("party"):
            continue
        key = (
            row.get("county", ""),
            row.get("precinct", ""),
            office,
            district,
            _norm(row["candidate"]),
        )
        other = seen.setdefault(key, row["party"])
        if other != row["party"]:
            split.add((office, district))
    return split


# --- the adapter's verbs -----------------------------------------------------------------------

_verbs = WholeFile(parse)
read_election = _verbs.read_election
read_release = _verbs.read_release
release_reader = _verbs.release_reader
feed_folder = _verbs.feed_folder


__all__ = [
    "NAME",
    "describe_name",
    "feed_folder",
    "parse",
    "read_election",
    "read_release",
    "release_reader",
    "sniff",
]
