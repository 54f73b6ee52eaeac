"""San Francisco's ranked-choice reports during a canvass, as archived for its 2018 mayoral race
(``../shared/data/sf-rcv/2018-06-05-mayor/reports/``): each release of ballot images was
tabulated into one Markdown report, the whole count so far.

A report (``YYYYMMDD_report.md``, or ``YYYYMMDD_N_report.md`` for election night's N-th) holds:

- ``Total votes (for mayor) in this report: N``: the ballots with a vote in the contest;
- ``# First/second/third choices per candidate``: ``Name|first (share)|second|third`` rows,
  with ``(blank)`` and ``(overvote)`` rows beside the candidates, and in later reports
  ``Write-In …`` rows (write-in votes, not choices);
- ``# Round of three votes by district`` and ``# Last round votes by district``: one row a
  supervisorial district, one column a candidate still in that round, headed by the last
  name; a round's tally is the sum of its districts.

Each report is one release of one contest (rule ``ranked_choice``): ``votes`` the first choices,
``rounds`` the first choices, the round of three and the last round
(:class:`racedesk.model.RoundCount`). The report gives no time and no election day: the
archive's folder (``YYYY-MM-DD-office``) gives the election day, the file's name the day,
and the desk takes 4 pm Pacific for a day's report (the department's daily release) and 8:45 pm
plus an hour for each later report of election night (the hours are an assumption; the order
and the days are the archive's). Candidates are in alphabetical order, the same in every report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from racedesk.errors import InputError
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    Election,
    Release,
    RoundCount,
    Rule,
    sha256_hex,
)
from racedesk.sources import safety
from racedesk.sources.base import FeedFolder, Parsed, WholeFile, slug
from racedesk.sources.plausible import checked_release
from racedesk.sources.rules_file import apply_rules

NAME = "sf-rcv"
SOURCE = "sf-rcv"
ZONE = ZoneInfo("America/Los_Angeles")
_FILE = re.compile(r"(\d{8})(?:_(\d+))?_report\.md$")
_ARCHIVE = re.compile(r"(\d{4}-\d{2}-\d{2})-[^/]+/reports/[^/]+$")
_TOTAL = re.compile(r"^Total votes \(for ([^)]+)\) in this report: (\d+)\s*$")
_NUMBER = re.compile(r"^\s*(\d+)(?:\s*\([^)]*\))?\s*$")
#: The round tables a report holds, in count order, with the round's name.
ROUND_TABLES = (("# Round of three votes by district", "round of three"),
                ("# Last round votes by district", "last round"))  # fmt: skip
FIRST_CHOICES = "# First/second/third choices per candidate"
#: How the first-choice table names a write-in candidate ("Write-In Antoine R. Rogers"):
#: counted as write-in votes, never as a choice (they come and go between reports).
WRITE_IN = "Write-In "


def sniff(data: bytes, name: str) -> bool:
    return name.endswith("_report.md") and data.lstrip().startswith(b"Total votes (for ")


def when(where: str) -> tuple[date, datetime]:
    """The election day and the release's feed time, from a report's path (module docstring);
    refused when the name gives no day, or when a report after election night is read outside
    its archive's folder (named for the election day)."""
    path = where.replace("\\", "/")
    found = _FILE.search(path.rsplit("/", 1)[-1])
    if found is None:
        raise InputError(
            "a San Francisco RCV report is named YYYYMMDD_report.md or YYYYMMDD_N_report.md",
            where=where,
        )
    try:
        day = datetime.strptime(found.group(1), "%Y%m%d").date()
        archive = _ARCHIVE.search(path)
        election_day = date.fromisoformat(archive.group(1)) if archive else None
    except ValueError as exc:
        raise InputError(f"no such day in the path: {exc}", where=where) from exc
    if found.group(2) is not None:
        at = datetime.combine(day, time(20, 45), tzinfo=ZONE)
        return election_day or day, at + timedelta(hours=int(found.group(2)) - 1)
    if election_day is None:
        raise InputError(
            "a report after election night is read from its archive's folder, "
            "YYYY-MM-DD-office/reports/ (the election day)",
            where=where,
        )
    return election_day, datetime.combine(day, time(16), tzinfo=ZONE)


def _number(cell: str, where: str) -> int:
    found = _NUMBER.match(cell)
    if found is None:
        raise InputError(f"{cell.strip()!r} is not a count", where=where)
    return int(found.group(1))


def _table(lines: list[str], heading: str, where: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and the rows of the pipe table under ``heading``."""
    try:
        start = lines.index(heading)
    except ValueError:
        raise InputError(f"no {heading!r} table", where=where) from None
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if "|" in line:
            rows.append([cell.strip() for cell in line.split("|")])
    if len(rows) < 2 or not set(rows[1][0]) <= {"-", " "}:
        raise InputError(f"the {heading!r} table has no header", where=where)
    return rows[0], rows[2:]


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """One report: the election (one ranked-choice contest) and its one release. Refused with
    an :class:`InputError` naming the file and the table: text that is not UTF-8, a missing
    total or table, a cell that is not a count, a round column naming no candidate, a round
    with more votes than first choices."""
    text = safety.decode_text(data, where, what="San Francisco RCV report")
    lines = [line.rstrip() for line in text.splitlines()]
    total = _TOTAL.match(lines[0]) if lines else None
    if total is None:
        raise InputError(
            "the first line is not 'Total votes (for …) in this report: N'", where=where
        )
    office = total.group(1).strip()
    day, feed_time = when(where)
    _, rows = _table(lines, FIRST_CHOICES, where)
    first = {r[0]: _number(r[1], f"{where}: {r[0]}") for r in rows if r[0]}
    write_ins = sum(v for name, v in first.items() if name.startswith(WRITE_IN))
    names = sorted(n for n in first if not n.startswith(("(", WRITE_IN)))
    ids = {name: slug(name) for name in names}
    rounds = [RoundCount(name="first choices", tally={ids[n]: first[n] for n in names})]
    for heading, round_name in ROUND_TABLES:
        header, district_rows = _table(lines, heading, where)
        columns = []
        for last_name in header[1:]:
            matches = [n for n in names if n.split()[-1] == last_name]
            if len(matches) != 1:
                raise InputError(
                    f"column {last_name!r} names no one candidate", where=f"{where}: {heading}"
                )
            columns.append(ids[matches[0]])
        tally = dict.fromkeys(columns, 0)
        for row in district_rows:
            for choice, cell in zip(columns, row[1:], strict=True):
                tally[choice] += _number(cell, f"{where}: {heading}, district {row[0]}")
        if sum(tally.values()) > sum(rounds[0].tally.values()):
            raise InputError(
                "more votes in a round than first choices", where=f"{where}: {heading}"
            )
        rounds.append(RoundCount(name=round_name, tally=tally))
    contest = Contest(
        id=slug(office),
        title=office.title(),
        kind="candidate",
        rule=Rule(kind="ranked_choice", votes_allowed=3, text="ranked choice (three rankings)"),
        choices=tuple(Choice(id=ids[n], name=n) for n in names),
    )
    election = Election(
        id=f"{SOURCE}:{day.isoformat()}-{slug(office)}",
        title=f"San Francisco {office}, {day:%B} {day.day}, {day.year} (ranked choice)",
        date=day,
        jurisdiction="City and County of San Francisco",
        kind="special",
        contests=tuple(apply_rules([contest], rules, where)),
        source=SOURCE,
    )
    count = ContestCount(
        contest_id=contest.id,
        votes=dict(rounds[0].tally),
        write_ins=write_ins,
        ballots=int(total.group(2)),
        rounds=tuple(rounds),
    )
    release = Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=feed_time,
        received_at=received_at or datetime.now(tz=ZONE),
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=(count,),
    )
    return Parsed(election=election, releases=(checked_release(release, where),))


def is_feed_folder(path: Path) -> bool:
    """Whether ``path`` is an archive of the reports (a ``reports/`` folder of them)."""
    return path.is_dir() and any((path / "reports").glob("*_report.md"))


_verbs = WholeFile(parse)
read_election = _verbs.read_election
read_release = _verbs.read_release
release_reader = _verbs.release_reader


def feed_folder(folder: Path) -> FeedFolder | None:
    """The reports of an archive in the order they were published (their names' order): the
    first defines the election."""
    reports = sorted((folder / "reports").glob("*_report.md"))
    if not reports:
        return None
    return FeedFolder(election=reports[0], releases=reports)


__all__ = [
    "NAME",
    "feed_folder",
    "is_feed_folder",
    "parse",
    "read_election",
    "read_release",
    "release_reader",
    "sniff",
    "when",
]
