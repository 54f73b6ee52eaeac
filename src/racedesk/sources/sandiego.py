"""San Diego County's results CSV (the Registrar of Voters' "election results" export).

One file is one release: a row per candidate with ``Contest Name``, ``Candidate Name``,
``Party``, the votes by ballot type (``Mail Ballots Votes``, ``Vote Center Ballots Votes``,
``Provisional Votes``), ``Total Votes``, ``Number Of Precincts``, ``Precincts Reported`` and the
county's ``Ballots Cast``. The file as downloaded from the county starts with banner lines
("FINAL UNOFFICIAL ELECTION NIGHT RESULTS<br/>PROJECTED OUTSTANDING BALLOTS: 11,000<br/>…",
"SanDiego") and a "Total Precincts Reported" row; they are read, not required: the projected
outstanding ballots become an outstanding-ballot report of the release's time.

The file states neither the election's date nor the release's time, so they come from its name
and folder:

- the release's time (Pacific): the tracker's ``metadata.json`` time for the file where it lists
  it, else an archived name ``2025-04-08T22-11-43.csv`` or the county's own
  ``election_results_20250408_2230.csv`` (the time it was fetched); else when it was received;
- the election's date: the nearest folder named ``YYYY-MM-DD…`` (an archive such as
  ``sandiego/2025-04-08-bos1-special-primary/releases/``), else the first release's day among
  the county's files beside it, else the release's own date;
- its kind: a primary or a general where that folder's name says so, else a primary where a
  county office lists more than two candidates (:func:`_kind_of`), else a general.

An archive folder holds ``releases/*.csv`` (one per feed time; a second copy of a time, such as
``…_county-export-as-downloaded.csv``, is the same release and is left out); a folder of the
county's own files, as the tracker keeps them, is read the same way. Either may hold the
tracker's ``metadata.json``, whose ``registeredVoters`` is the election's registration and whose
``estimatedBallotsRemaining`` figures are outstanding-ballot reports
(:func:`metadata_reports`; a 0 before any positive figure means "not stated" and is skipped).
Contests follow California's rules (``racedesk.rules.california``): a county office in a
primary is decided by a majority, else the top two go to a runoff (EC §8140–8141.5), a
voter-nominated office ("UNITED STATES REPRESENTATIVE 50th District") is top-two (Prop 14). The
file states no seats: a contest elects as many as its words or office say
(:mod:`racedesk.rules.seats`), else its rule is unknown, shown and never called. A contest
whose voters are not all in San Diego County (a statewide one, a district that crosses the county
line) is San Diego County's portion: shown, never called.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path, PurePath
from typing import cast
from zoneinfo import ZoneInfo

import msgspec

from racedesk.errors import InputError
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    ContestKind,
    Election,
    ElectionKind,
    OutstandingReport,
    Release,
    Rule,
    sha256_hex,
)
from racedesk.rules.california import (
    MAJORITY_GROUPS,
    candidate_rule,
    local_primary_rule,
    measure_rule,
    portion_in_county,
    voter_nominated,
)
from racedesk.rules.seats import seats_of, unstated_seats_rule
from racedesk.rules.state_law import state_candidate_rule
from racedesk.rules.threshold import recall_question
from racedesk.sources import safety
from racedesk.sources.base import FeedFolder, Parsed, ReadRelease, WholeFile, slug
from racedesk.sources.plausible import checked_release
from racedesk.sources.rules_file import apply_rules

NAME = "sandiego"
SOURCE = NAME
ZONE = ZoneInfo("America/Los_Angeles")
COUNTY, COUNTY_NAME = "san-diego", "San Diego County"
HEADER = ("contest name", "candidate name", "total votes")
_TYPES = {
    "mail ballots votes": "Mail",
    "vote center ballots votes": "Vote center",
    "provisional votes": "Provisional",
}
_ARCHIVED = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})")
_COUNTY_NAME = re.compile(r"election_results_(\d{8})_(\d{4})", re.IGNORECASE)
_DATED_FOLDER = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_OUTSTANDING = re.compile(r"PROJECTED OUTSTANDING BALLOTS:\s*([\d,]+)", re.IGNORECASE)
_MEASURE = re.compile(r"\b(PROPOSITION|MEASURE)\b", re.IGNORECASE)
_WRITE_IN = re.compile(r"\bWRITE[- ]?INS?\b", re.IGNORECASE)


def sniff(data: bytes, name: str) -> bool:
    """The county's CSV: its header names the contest, the candidate and the mail votes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lower()
    return b"contest name,candidate name,party,mail ballots votes" in head


def feed_time(where: str, received_at: datetime | None) -> datetime:
    """The release's time from the file's name (module docstring), else ``received_at``."""
    name = PurePath(where).name
    archived = _ARCHIVED.match(name)
    if archived:
        day, h, m, s = archived.groups()
        return datetime.fromisoformat(f"{day}T{h}:{m}:{s}").replace(tzinfo=ZONE)
    county = _COUNTY_NAME.search(name)
    if county:
        return datetime.strptime("".join(county.groups()), "%Y%m%d%H%M").replace(tzinfo=ZONE)
    if received_at is not None:
        return received_at
    raise InputError(
        "cannot tell the release's time: name the file by it (2025-04-08T22-11-43.csv)",
        where=where,
    )


def _election_of(
    where: str, released: datetime, of: Election | None = None
) -> tuple[date, str, str]:
    """The election's date, its kind where a folder's name says it ("primary", "general";
    ``""`` where none does) and the archive folder's name (module docstring); ``of``'s date and
    kind where the file is known to be a release of ``of``."""
    for part in reversed(PurePath(where).parent.parts):
        dated = _DATED_FOLDER.match(part)
        if dated:
            low = part.lower()
            kind = "primary" if "primary" in low else "general" if "general" in low else ""
            if of is not None:
                return of.date, of.kind, part
            return date.fromisoformat(dated.group(1)), kind, part
    if of is not None:
        return of.date, of.kind, ""
    return _first_release_day(where) or released.date(), "", ""


def _release_stamp(name: str) -> datetime | None:
    """The feed time a file's name gives (:func:`feed_time`), or None."""
    try:
        return feed_time(name, None)
    except InputError:
        return None


def _first_release_day(where: str) -> date | None:
    """The day of the first release among the county's files beside ``where`` (a folder of the
    county's own ``election_results_YYYYMMDD_HHMM.csv``, as the tracker keeps them): the
    election's, for the count starts on election day and goes on for weeks."""
    folder = Path(where).parent
    if not folder.is_dir():
        return None
    stamps = [t for p in folder.glob("*.csv") if (t := _release_stamp(p.name)) is not None]
    return min(stamps).date() if stamps else None


def _kind_of(stated: str, contests: Mapping[str, list[str]]) -> ElectionKind:
    """The election's kind: as its folder says, else a primary where a county office lists more
    than two candidates (write-ins aside), for a general's county office is the runoff of the
    primary's top two (EC §8141.5); else a general. Taken for a general, the special primary of
    five for San Diego's Board of Supervisors District 1 (2025) was called for McCann on
    election night, where a runoff was due."""
    if stated in ("primary", "general"):
        return cast(ElectionKind, stated)
    for title, names in contests.items():
        office = any(g in title.lower() for g in MAJORITY_GROUPS)
        named = [n for n in names if not _WRITE_IN.search(n)]
        if office and not _MEASURE.search(title) and len(named) > 2:
            return "primary"
    return "general"


def _rows(text: str, where: str) -> tuple[list[dict[str, str]], int | None]:
    """The candidate rows (lower-case keys, cells stripped) and the banner's projected
    outstanding ballots, if it states them."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if all(h in line.lower() for h in HEADER)), None
    )
    if start is None:
        raise InputError("no header with Contest Name, Candidate Name and Total Votes", where=where)
    banner = _OUTSTANDING.search(" ".join(lines[:start]))
    outstanding = safety.read_count(banner.group(1), grouped=True) if banner else None
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = [h.strip().lower() for h in next(reader)]
    rows = [
        {h: cell.strip() for h, cell in zip(header, row, strict=False)}
        for row in reader
        if len(row) >= len(HEADER) and row[0].strip() and row[1].strip()
    ]
    rows = [r for r in rows if r.get("candidate name")]
    if not rows:
        raise InputError("the file holds no candidate rows", where=where)
    return rows, outstanding


def _count(text: str, where: str, column: str) -> int:
    value = safety.read_count(text or "0", grouped=True)
    if value is None:
        raise InputError(f"{column} {text!r} is not a whole number", where=where)
    return value


def _rule(
    title: str, names: list[str], kind: ElectionKind, *, year: int, special: bool
) -> tuple[ContestKind, Rule, str]:
    """The contest's kind, rule and group (California's, module docstring). The file states no
    seats: a contest elects as many as its words or office say (:mod:`racedesk.rules.seats`),
    else its rule is unknown (shown, never called)."""
    recall = recall_question(title)
    if {n.upper() for n in names} <= {"YES", "NO"} and (recall or _MEASURE.search(title)):
        return ("recall" if recall else "measure"), measure_rule(None, recall=recall), "Measures"
    group = next((g for g in MAJORITY_GROUPS if g in title.lower()), "")
    named = [n for n in names if not _WRITE_IN.search(n)]
    seats = seats_of("CA", title, year=year)
    if seats is None and len(named) > 1:
        return "candidate", unstated_seats_rule(title), group.title()
    primary = kind == "primary"
    if primary and special:
        by_law = state_candidate_rule(
            "CA", "primary", title, seats=seats or 1, candidates=len(named), special=True
        )
        if by_law is not None:
            return "candidate", by_law, group.title()
    local = local_primary_rule(title, vote_for=seats or 1) if primary else None
    if local is not None:
        return "candidate", local, group.title()
    rule = candidate_rule(
        primary=primary, group=group, title=title, nonpartisan=True,
        voter_nominated=voter_nominated(title), vote_for=seats or 1,
    )  # fmt: skip
    return "candidate", rule, group.title()


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
    of: Election | None = None,
) -> Parsed:
    """One release of the county's CSV (module docstring), its election, and the banner's
    outstanding ballots as a report; ``of``, the election the file is known to be a release of
    (a desk's, watching the county's address), gives the election's date and kind. Rejected with
    an :class:`InputError` naming ``where``: not UTF-8, no header, a count that is not a whole
    number."""
    text = safety.decode_text(
        safety.unpack(data, where, suffixes=(".csv",)), where, what="CSV file"
    )
    released = feed_time(where, received_at)
    day, stated, folder = _election_of(where, released, of)
    metadata = _metadata_of(where, folder)
    released = _tracked_time(metadata, where) or released
    rows, outstanding = _rows(text, where)
    by_contest: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_contest.setdefault(" ".join(row["contest name"].split()), []).append(row)
    kind = _kind_of(
        stated,
        {t: [r["candidate name"] for r in members] for t, members in by_contest.items()},
    )
    contests: list[Contest] = []
    counts: list[ContestCount] = []
    ballots, special = 0, "special" in folder.lower()
    for title, members in by_contest.items():
        here = f"{where}, contest {title!r}"
        names = [" ".join(r["candidate name"].split()) for r in members]
        contest_kind, rule, group = _rule(title, names, kind, year=day.year, special=special)
        ids = [slug(n) or n for n in names]
        contests.append(Contest(
            id=slug(title), title=title, kind=contest_kind,
            rule=rule, group=group, portion=portion_in_county(title, COUNTY, COUNTY_NAME, day.year),
            choices=tuple(Choice(id=i, name=n, party=r.get("party", "")) for i, n, r in zip(ids, names, members, strict=True)),
        ))  # fmt: skip
        by_type = {
            label: {i: _count(r.get(col, ""), here, col) for i, r in zip(ids, members, strict=True)}
            for col, label in _TYPES.items()
            if any(col in r for r in members)
        }
        counts.append(ContestCount(
            contest_id=slug(title),
            votes={i: _count(r["total votes"], here, "Total Votes") for i, r in zip(ids, members, strict=True)},
            votes_by_type=by_type,
            precincts_reporting=_count(members[0].get("precincts reported", ""), here, "Precincts Reported"),
            precincts_total=_count(members[0].get("number of precincts", ""), here, "Number Of Precincts"),
        ))  # fmt: skip
        ballots = max(ballots, _count(members[0].get("ballots cast", ""), here, "Ballots Cast"))
    final = apply_rules(contests, rules, where)
    election = Election(
        id=f"{SOURCE}:{day.isoformat()}",
        title=f"San Diego County {kind} election of {day.isoformat()}",
        date=day,
        jurisdiction="San Diego County, CA",
        kind=kind,
        contests=final,
        registration=_registration(metadata),
        source=SOURCE,
        timezone=ZONE.key,
    )
    release = checked_release(Release(
        election_id=election.id, source=SOURCE, feed_time=released,
        received_at=received_at or released,
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=tuple(counts), ballots_counted=ballots or None,
    ), where)  # fmt: skip
    reports = (
        (OutstandingReport(as_of=released, total=outstanding, election_date=day,
                           note="the county's projected outstanding ballots", source=where),)
        if outstanding is not None else ()
    )  # fmt: skip
    return Parsed(election=election, releases=(release,), reports=reports)


class _Update(msgspec.Struct):
    timestamp: str
    filename: str = ""
    registeredVoters: int | None = None
    estimatedBallotsRemaining: int | None = None
    ballotsCountedTotal: int | None = None


class _Metadata(msgspec.Struct):
    updates: list[_Update]


def _metadata(path: Path) -> _Metadata:
    where = str(path)
    try:
        return msgspec.json.decode(safety.read_file(path), type=_Metadata)
    except msgspec.ValidationError as exc:
        raise InputError(f"not the tracker's metadata: {exc}", where=where) from None
    except msgspec.DecodeError as exc:
        raise InputError(f"not JSON: {exc}", where=where) from None


def _metadata_of(where: str, folder: str) -> Path | None:
    """The tracker's ``metadata.json`` of the release file at ``where``: the archive folder's
    (``folder``), else beside the file or in its parent folder; None where there is none."""
    places = [p for p in Path(where).parents if p.name == folder] if folder else []
    places = places or list(Path(where).parents)[:2]
    return next((p / "metadata.json" for p in places if (p / "metadata.json").is_file()), None)


def _registration(path: Path | None) -> int | None:
    """``registeredVoters`` of the tracker's ``metadata.json`` at ``path``, when it states it."""
    if path is None:
        return None
    seen = [u.registeredVoters for u in _metadata(path).updates if u.registeredVoters]
    return seen[-1] if seen else None


def _tracked_time(path: Path | None, where: str) -> datetime | None:
    """The time the tracker's ``metadata.json`` gives the county's file at ``where`` (its
    ``filename``): the county's own time of the release, where the file's name has the time the
    tracker fetched it (``election_results_20250408_2230.csv`` is the release of 22:11:43)."""
    if path is None:
        return None
    name = PurePath(where).name
    for update in _metadata(path).updates:
        if update.filename and update.filename == name:
            moment = datetime.fromisoformat(update.timestamp)
            return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)
    return None


def is_metadata(data: bytes) -> bool:
    """The San Diego tracker's ``metadata.json`` (``updates`` with ``estimatedBallotsRemaining``)."""
    head = data[:4096]
    return b'"updates"' in head and b'"estimatedBallotsRemaining"' in head


def metadata_reports(path: Path, election_date: date | None = None) -> list[OutstandingReport]:
    """The outstanding-ballot reports of the tracker's ``metadata.json`` (module docstring)."""
    reports: list[OutstandingReport] = []
    for update in _metadata(path).updates:
        left = update.estimatedBallotsRemaining
        if left is None or (left == 0 and not reports):
            continue
        as_of = datetime.fromisoformat(update.timestamp)
        reports.append(OutstandingReport(
            as_of=as_of if as_of.tzinfo else as_of.replace(tzinfo=ZONE), total=left,
            counted_so_far=update.ballotsCountedTotal, election_date=election_date,
            note="the county's projected outstanding ballots", source=str(path),
        ))  # fmt: skip
    return reports


def feed_folder(folder: Path) -> FeedFolder | None:
    """An archive folder (module docstring), or a folder of the county's own files as its
    tracker keeps them (``election_results_20250408_2230.csv``, with or without ``releases/``):
    its last release file stands for the election, and one file per feed time, in time order."""
    for place in (folder / "releases", folder):
        files = [p for p in place.glob("*.csv") if _release_stamp(p.name)] if place.is_dir() else []
        if files:
            break
    by_time: dict[datetime, Path] = {}
    for path in sorted(files):
        stamp = _release_stamp(path.name)
        assert stamp is not None
        if stamp not in by_time or len(path.name) < len(by_time[stamp].name):
            by_time[stamp] = path
    chosen = [by_time[k] for k in sorted(by_time)]
    return FeedFolder(election=chosen[-1], releases=chosen) if chosen else None


def is_feed_folder(path: Path) -> bool:
    """A folder of the county's CSV files named by their time (:func:`feed_folder`)."""
    found = feed_folder(path) if path.is_dir() else None
    return found is not None and sniff(safety.read_file(found.election)[:4096], "")


_WHOLE = WholeFile(parse)
read_election = _WHOLE.read_election


def release_reader(election: Election) -> ReadRelease:
    """:meth:`WholeFile.read_release` for ``election``, whose date and kind the file takes
    (:func:`parse`'s ``of``). The file states no date, so a file fetched from the county's
    address on Apr 10 is a release of the Apr 8 election the desk follows, not of an election
    of Apr 10."""
    return WholeFile(partial(parse, of=election)).release_reader(election)


def read_release(
    data: bytes,
    election: Election,
    *,
    where: str,
    received_at: datetime | None = None,
    content_hash: str | None = None,
) -> Release:
    """The one release of ``election`` the file holds (:func:`release_reader`)."""
    return release_reader(election)(
        data, where=where, received_at=received_at, content_hash=content_hash
    )


__all__ = [
    "NAME",
    "feed_folder",
    "feed_time",
    "is_feed_folder",
    "is_metadata",
    "metadata_reports",
    "parse",
    "read_election",
    "read_release",
    "release_reader",
    "sniff",
]
