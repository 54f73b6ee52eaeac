"""Los Angeles County's fixed-width election-night feed (``.ets``), used before 2020.

Layout (``../shared/domain/formats.md``; the samples in ``../shared/data/formats/la-ets`` hold
the registrar's pre-election TEST numbers). Every line is 95 characters, ending CRLF:

- columns 0–2: the page (one contest per page; ``000`` the header, ``999`` the end), 3–4 the
  record type, 5–6 a contest class, 9–10 the district, 14 a party code, 15 on the text;
- ``ET`` title lines ("MARCH 03, 2020 - PRESIDENTIAL PRIMARY ELECTION"), ``TD`` the time of
  the count ("09:07 02/20/2020", Los Angeles time);
- ``CC``/``MC``/``JC`` a candidate, measure or judicial contest's title (columns 15–43 and 44–69),
  ``PT`` the party of a party contest, ``VN`` "VOTER NOMINATED", ``VF`` "VOTE FOR NO MORE THAN n";
- ``CN`` a candidate (name 18–40, party 41–43, votes with thousands separators ending at
  column 81, percent 82–90), ``MT`` a measure's answer ("… - YES", its second line naming the
  threshold "(2/3 OF VOTES CAST)"), ``JN`` a judge up for retention (office, name, YES/NO);
- ``PR`` "TOTAL PRECINCTS 4,551 PRECINCTS REPORTING 3,433 75.43", ``DR`` the contest's
  registration (the largest, a county-wide contest's, is the election's), ``BK`` blank; the
  ``STAT`` page: registration and ballots by party in the precincts reporting so far (``DR``,
  ``PC``, not kept), ballots cast (``BC``: at the polls, by mail, total);
- ``EF`` on page 999: the number of lines in the file, which proves it whole.

Each file is one release of one election (id ``ets:NNNN``, the registrar's election number).
Contests keep their page as id; choices are named by their names (``george-gascon``, ``yes``).
Rules follow the LA County feed's (:mod:`racedesk.sources.lavote`): in a primary, voter-nominated
offices are top-two (Prop 14) and the county's nonpartisan offices majority-or-runoff
(EC §8140–8142); everything else is plurality voting for ``VF`` (EC §15452); measures pass at
the threshold their ``MT`` line names; a judge is retained by more than half of the votes
(Cal. Const. art. VI §16).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

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
from racedesk.rules.california import (
    candidate_rule,
    measure_rule,
    portion_in_county,
    retention_rule,
)
from racedesk.rules.threshold import recall_question
from racedesk.sources import safety
from racedesk.sources.base import Parsed, WholeFile, slug
from racedesk.sources.lavote import COUNTY, COUNTY_NAME, LA_TIME
from racedesk.sources.plausible import checked_release
from racedesk.sources.rules_file import apply_rules

NAME = "ets"
SOURCE = NAME
JURISDICTION = "Los Angeles County, CA"

_TYPES = {"ET", "TD", "CC", "MC", "JC", "PT", "VN", "VF", "CN", "MT", "JN", "PR", "DR", "BK",
          "PC", "BC", "EF", "ST", "AB", "PS"}  # fmt: skip
# Titles of the county offices decided by majority or runoff in a primary (EC §8140–8142), as
# the LA County feed groups them.
_MAJORITY_OFFICES = (
    ("DISTRICT ATTORNEY", "district attorney"),
    ("SUPERVISOR", "board of supervisors"),
    ("JUDGE-SUPERIOR COURT", "judge superior court"),
    ("JUDGE SUPERIOR COURT", "judge superior court"),
    ("SHERIFF", "sheriff"),
    ("ASSESSOR", "assessor"),
)
_ELECTION = re.compile(r"^(?P<date>[A-Z]+ \d{1,2}, \d{4})\s*-\s*(?P<title>.+)$")
_PRECINCTS = re.compile(
    r"TOTAL PRECINCTS\s+(?P<total>[0-9,]+)(?:\s+PRECINCTS REPORTING\s+(?P<reporting>[0-9,]+))?"
)


def sniff(data: bytes, name: str) -> bool:
    """An ``.ets`` file by name, or one that opens with the feed's title record."""
    if name.lower().endswith(".ets"):
        return True
    return data[:5] == b"000ET" and data[5:9].isdigit()


def _number(text: str, where: str, what: str) -> int:
    value = safety.read_count(text, grouped=True)
    if value is None:
        raise InputError(f"{what} is {text.strip()!r}, not a whole number", where=where)
    return value


def _slug(text: str) -> str:
    return slug(text) or "choice"


@dataclass
class _Contest:
    """One page's contest while its lines are read."""

    page: str
    record: str  # CC, MC or JC
    title: str
    party_code: str
    party: str = ""
    voter_nominated: bool = False
    vote_for: int = 1
    choices: list[Choice] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)
    threshold_text: str = ""
    retention: str = ""
    precincts_total: int | None = None
    precincts_reporting: int | None = None
    registration: int | None = None

    def add(self, name: str, party: str, votes: int, where: str) -> None:
        cid = _slug(name)
        n = 2
        while cid in self.votes:
            cid = f"{_slug(name)}-{n}"
            n += 1
        self.choices.append(Choice(id=cid, name=name, party=party))
        self.votes[cid] = votes


def _header(titles: list[str], where: str) -> tuple[date, str, str]:
    """The election's date, title and kind of count from the ``ET`` lines."""
    for text in titles:
        m = _ELECTION.match(text)
        if m:
            try:
                day = datetime.strptime(m.group("date").title(), "%B %d, %Y").date()
            except ValueError:
                raise InputError(
                    f"cannot read the election date in {text!r}", where=where
                ) from None
            status = next((t for t in titles if "RETURNS" in t.upper()), "")
            return day, m.group("title").strip(), status
    raise InputError(
        "no ET line names the election (like 'MARCH 03, 2020 - … ELECTION')", where=where
    )


def _rule(c: _Contest, primary: bool) -> tuple[ContestKind, Rule]:
    if c.record == "JC":
        return "retention", retention_rule()
    if c.record == "MC":
        recall = recall_question(c.title)
        rule = measure_rule(c.threshold_text.strip("() ").capitalize(), recall=recall)
        return ("recall" if recall else "measure"), rule
    group = next((g for prefix, g in _MAJORITY_OFFICES if c.title.upper().startswith(prefix)), "")
    nonpartisan = not c.party_code.strip() and not c.party and not c.voter_nominated
    return "candidate", candidate_rule(
        primary=primary,
        group=group,
        title=c.title,
        nonpartisan=nonpartisan,
        voter_nominated=c.voter_nominated,
        vote_for=c.vote_for,
    )


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """Read one ``.ets`` file into its election and one release.

    Rejected with an :class:`InputError` naming ``where`` and the line: a file that is not
    ASCII/UTF-8 text, an unknown record type, a number that is not one, a candidate or answer
    outside a contest, a file that does not end with its ``999EF`` line or whose line count
    differs from it (cut short).
    """
    text = safety.decode_text(safety.unpack(data, where), where, what=".ets file")
    lines = text.split("\n")
    if lines and lines[-1].strip() == "":
        lines.pop()
    read = _read(lines, where)
    day, title, status_text = _header(read.titles, where)
    primary = "PRIMARY" in title.upper()
    kind_e: ElectionKind = (
        "primary" if primary else "general" if "GENERAL" in title.upper() else "special"
    )
    built, counts = _built(read.contests, primary, day.year, where)
    election = Election(
        id=f"{SOURCE}:{read.election_no or day.isoformat()}",
        title=title,
        date=day,
        jurisdiction=JURISDICTION,
        kind=kind_e,
        contests=apply_rules(built, rules, where),
        registration=max((c.registration or 0 for c in read.contests), default=0) or None,
        source=SOURCE,
    )
    upper = status_text.upper()
    status = "certified" if "FINAL OFFICIAL" in upper and "SEMI" not in upper else "unofficial"
    assert read.feed_time is not None  # _read refuses a file without one
    release = Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=read.feed_time,
        received_at=received_at or datetime.now(tz=LA_TIME),
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=tuple(counts),
        ballots_counted=read.ballots.get("BALLOTS CAST/TURNOUT"),
        ballots_mail=read.ballots.get("VOTE BY MAIL"),
        ballots_in_person=read.ballots.get("VOTE AT POLL"),
        status=status,
    )
    release = checked_release(release, where)
    return Parsed(election=election, releases=(release,))


@dataclass
class _Read:
    """What the lines of an ``.ets`` file said, read in order: its ``ET`` titles, the time of
    the count, the election's number, the contests (one per page), the ballots cast."""

    lines: int
    titles: list[str] = field(default_factory=list)
    feed_time: datetime | None = None
    election_no: str = ""
    contests: list[_Contest] = field(default_factory=list)
    ballots: dict[str, int] = field(default_factory=dict)
    ended: bool = False
    pages: set[str] = field(default_factory=set)
    current: _Contest | None = None  # the contest whose page is being read


def _read(lines: list[str], where: str) -> _Read:
    """Every line of the file read, and the file checked whole (its end record, its time)."""
    read = _Read(lines=len(lines))
    for n, line in enumerate(lines, start=1):
        _read_line(read, line.rstrip("\r"), f"{where}, line {n}")
    if not read.ended:
        raise InputError("the file is cut short: no end-of-file record (999EF)", where=where)
    if read.feed_time is None:
        raise InputError("no TD record: the time of the count is missing", where=where)
    if not read.contests:
        raise InputError("the file holds no contests", where=where)
    return read


def _read_line(read: _Read, line: str, here: str) -> None:
    """Apply one record (``here`` names its line) to what is read so far."""
    if read.ended:
        raise InputError("lines after the end-of-file record (999EF)", where=here)
    if len(line) < 5:
        raise InputError(f"a line too short to be a record: {line!r}", where=here)
    page, kind, body = line[:3], line[3:5], line[15:]
    if not page.isdigit():
        raise InputError(f"the page {page!r} is not a number", where=here)
    if kind not in _TYPES:
        raise InputError(f"unknown record type {kind!r}", where=here)
    stat = line[5:9] == "STAT"
    if kind == "ET":
        read.election_no = read.election_no or line[5:9].strip()
        read.titles.append(body.strip())
    elif kind == "TD":
        read.feed_time = _count_time(body, here)
    elif kind == "EF":
        if page != "999":
            raise InputError("the end-of-file record is not on page 999", where=here)
        declared = _number(body.split()[0] if body.split() else "", here, "the line count")
        if declared != read.lines:
            raise InputError(
                f"the file says it has {declared:,} lines but has {read.lines:,}: cut short or joined",
                where=here,
            )
        read.ended = True
    elif kind in ("CC", "MC", "JC"):
        if page in read.pages:
            raise InputError(f"page {page} holds a second contest", where=here)
        read.pages.add(page)
        title = " ".join(f"{line[15:44].strip()} {line[44:70].strip()}".split())
        read.current = _Contest(page=page, record=kind, title=title, party_code=line[14:15])
        read.contests.append(read.current)
    elif stat:
        if kind == "BC":
            m = re.search(r"(VOTE AT POLL|VOTE BY MAIL|BALLOTS CAST/TURNOUT)\s+([0-9,]+)", body)
            if m:
                read.ballots[m.group(1)] = _number(m.group(2), here, m.group(1).lower())
        read.current = None
    elif kind not in ("BK", "PC", "ST", "AB", "PS"):
        if read.current is None or read.current.page != page:
            raise InputError(f"a {kind} record outside a contest", where=here)
        _contest_line(read.current, kind, line, here)


def _count_time(body: str, here: str) -> datetime:
    """The time of the count a ``TD`` record states ("09:07 02/20/2020", LA time)."""
    try:
        return datetime.strptime(" ".join(body.split()[:2]), "%H:%M %m/%d/%Y").replace(
            tzinfo=LA_TIME
        )
    except ValueError:
        raise InputError(
            f"cannot read the time of the count {body.strip()!r} (like '09:07 02/20/2020')",
            where=here,
        ) from None


def _built(
    contests: list[_Contest], primary: bool, year: int, where: str
) -> tuple[list[Contest], list[ContestCount]]:
    """The contests read, with their rules, and their counts."""
    built: list[Contest] = []
    counts: list[ContestCount] = []
    for c in contests:
        if not c.choices:
            raise InputError(
                f"contest {c.page} ({c.title}) has no candidates or answers", where=where
            )
        kind, rule = _rule(c, primary)
        built.append(
            Contest(
                id=c.page,
                title=c.title,
                kind=kind,
                rule=rule,
                choices=tuple(c.choices),
                party=c.party,
                portion=portion_in_county(c.title, COUNTY, COUNTY_NAME, year),
            )
        )
        counts.append(
            ContestCount(
                contest_id=c.page,
                votes=c.votes,
                precincts_reporting=c.precincts_reporting,
                precincts_total=c.precincts_total,
            )
        )
    return built, counts


def _contest_line(c: _Contest, kind: str, line: str, here: str) -> None:
    """Apply one line of a contest's page to it."""
    body = line[15:]
    if kind == "PT":
        c.party = body.strip()
    elif kind == "VN":
        c.voter_nominated = True
    elif kind == "VF":
        m = re.search(r"VOTE FOR NO MORE THAN\s+([0-9]{1,3})\b", body)
        if not m or int(m.group(1)) < 1:
            raise InputError(
                f"cannot read how many votes are allowed from {body.strip()!r}", where=here
            )
        c.vote_for = int(m.group(1))
    elif kind == "CN":
        if c.record != "CC":
            raise InputError(f"a candidate line in a {c.record} contest", where=here)
        name = " ".join(line[18:41].split())
        if not name:
            raise InputError("a candidate line without a name", where=here)
        c.add(name, line[41:44].strip(), _number(line[70:82], here, "the votes"), here)
    elif kind == "MT":
        if c.record != "MC":
            raise InputError(f"a measure line in a {c.record} contest", where=here)
        text = line[15:70]
        cut = text.rfind(" - ")
        if cut < 0:
            raise InputError(f"a measure line without its answer: {text.strip()!r}", where=here)
        label = text[:cut].strip()
        if label.startswith("("):
            c.threshold_text = label
        c.add(text[cut + 3 :].strip(), "", _number(line[70:82], here, "the votes"), here)
    elif kind == "JN":
        if c.record != "JC":
            raise InputError(f"a judge line in a {c.record} contest", where=here)
        office, judge = " ".join(line[18:42].split()), " ".join(line[42:63].split())
        if judge:
            if c.retention:
                raise InputError("a second judge on one page", where=here)
            c.retention = judge
            c.title = f"{c.title}: {office} {judge}".strip()
        answer = line[63:70].strip(" -")
        if not answer:
            raise InputError("a judge line without its answer", where=here)
        c.add(answer, "", _number(line[70:82], here, "the votes"), here)
    elif kind == "PR":
        m = _PRECINCTS.search(body)
        if not m:
            raise InputError(f"cannot read the precincts from {body.strip()!r}", where=here)
        c.precincts_total = _number(m.group("total"), here, "the precincts")
        if m.group("reporting"):
            c.precincts_reporting = _number(m.group("reporting"), here, "the precincts reporting")
    elif kind == "DR":
        m = re.search(r"REGISTRATION\s+([0-9,]+)", body)
        if not m:
            raise InputError(f"cannot read the registration from {body.strip()!r}", where=here)
        c.registration = _number(m.group(1), here, "the registration")


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
