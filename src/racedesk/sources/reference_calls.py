"""Reference calls: a sourced list of when contests were called or conceded, read against an
election (``../shared/data/news/la-race-calls-2024.csv`` is one).

The list is a CSV with the columns ``election_date, contest, called_winner, caller,
called_local, note, source_url``, written by people: a contest is named as a newsroom names it
("US House CA-27 (Whitesides v. Garcia)", "LA County Measure G (…)", "LA City Council CD14"),
the time as it was found ("2024-11-06 01:06", "2024-03-06 (Wed)", "by 2024-03-09", "2024-11-07
(Thu) evening declared; 2024-11-08 (Fri) evening concession"). This module tells which of the
election's contests a row names (the office's words, then the winner's name among its choices)
and reads the time: the last date of ``called_local`` (the call or concession that settled it),
to the minute where a time ``HH:MM`` follows it exactly, else to the day. A row it cannot place
is kept with no contest (lenient in, loud flags): the backtest lists it as not matched.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from racedesk.errors import InputError
from racedesk.model import Contest, Election
from racedesk.model.reference import Precision, ReferenceCall
from racedesk.rules.names import short_name

COLUMNS: Final = ("election_date", "contest", "called_winner", "caller", "called_local")
_WHEN: Final = re.compile(r"(\d{4}-\d{2}-\d{2})(?: (\d{1,2}):(\d{2})\b)?")
_ORDINAL: Final = r"(?:st|nd|rd|th)"
#: How a newsroom names an office → what the feed's title says, ``{n}`` the district's number.
_OFFICES: Final = (
    (re.compile(r"\bUS House CA-(\d+)|\bCongressional District (\d+)", re.I),
     r"UNITED STATES REPRESENTATIVE,? {n}" + _ORDINAL + r" District"),
    (re.compile(r"\bCity Council CD ?(\d+)|\bCouncil District (\d+)", re.I),
     r"City Council,? {n}" + _ORDINAL + r" District"),
    (re.compile(r"\bSupervisors? D(\d+)", re.I), r"^SUPERVISOR {n}" + _ORDINAL + r" DISTRICT"),
    (re.compile(r"\bDistrict Attorney\b|\bDA\b"), r"^DISTRICT ATTORNEY$"),
)  # fmt: skip
_MEASURE: Final = re.compile(r"\b(County )?Measure ([A-Z]{1,3})\b")


def _winner_names(text: str) -> list[str]:
    """The winners a row names: "Mitchell, Hahn, Barger (re-elected outright)" → three."""
    plain = re.sub(r"\([^)]*\)", "", text)
    return [n.strip() for n in re.split(r",| and ", plain) if n.strip()]


def _surname(name: str) -> str:
    return short_name(name).split()[-1].casefold() if name.split() else ""


def _choices_named(contest: Contest, names: list[str]) -> list[str]:
    """The choices of ``contest`` the names name (by surname; "Yes"/"No" for a question)."""
    found = []
    for name in names:
        key = _surname(name)
        for choice in contest.choices:
            if key and _surname(choice.name) == key:
                found.append(choice.id)
                break
    return found


def _offices(text: str, election: Election) -> list[Contest]:
    """The contests whose titles the row's office words name."""
    for pattern, title in _OFFICES:
        numbers = [n for m in pattern.finditer(text) for n in m.groups() if n]
        if not pattern.search(text):
            continue
        # "Supervisors D2/D4/D5": every number after the first D too
        numbers += re.findall(r"/D(\d+)", text)
        wanted = [re.compile(title.format(n=int(n)), re.I) for n in numbers] or [
            re.compile(title, re.I)
        ]
        return [c for c in election.contests if any(w.search(c.title) for w in wanted)]
    measure = _MEASURE.search(text)
    if measure:
        county, letter = measure.groups()
        want = re.compile(("COUNTY " if county else "") + rf"MEASURE {letter}$", re.I)
        return [c for c in election.contests if want.search(c.title)]
    return []


def _place(row: dict[str, str], election: Election) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The contests a row names and the winners' choice ids: by its office words, kept where
    a winner is among the choices (several contests only where each has its winner)."""
    names = _winner_names(row["called_winner"])
    contests = _offices(row["contest"], election)
    placed = [(c, _choices_named(c, names)) for c in contests]
    placed = [(c, ids) for c, ids in placed if ids]
    if len(placed) > 1 and len(names) == 1:
        return (), ()
    return tuple(c.id for c, _ in placed), tuple(i for _, ids in placed for i in ids)


def _when(text: str, zone: ZoneInfo) -> tuple[datetime | None, Precision]:
    """The last date in ``text``, to the minute where ``HH:MM`` follows it exactly."""
    found = list(_WHEN.finditer(text))
    if not found:
        return None, "none"
    day, hour, minute = found[-1].groups()
    moment = datetime.fromisoformat(day).replace(tzinfo=zone)
    if hour is None:
        return moment, "day"
    return moment.replace(hour=int(hour), minute=int(minute)), "minute"


def read_reference_calls(data: bytes, election: Election, where: str) -> list[ReferenceCall]:
    """The rows of a reference-call list that are about ``election`` (same date), each placed
    among its contests (module docstring)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the reference calls are not UTF-8 text", where=where) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"the reference calls lack the columns {missing}", where=where)
    zone = ZoneInfo(election.timezone)
    calls = []
    for line, row in enumerate(reader, start=2):
        try:
            day = date.fromisoformat(row["election_date"].strip())
        except ValueError:
            raise InputError(
                f"cannot read the election date {row['election_date']!r}", where=f"{where}:{line}"
            ) from None
        if day != election.date:
            continue
        ids, winners = _place(row, election)
        at, precision = _when(row["called_local"], zone)
        calls.append(
            ReferenceCall(
                election_date=day, contest=row["contest"], winner=row["called_winner"],
                caller=row["caller"], said=row["called_local"],
                source=row.get("source_url") or "", contest_ids=ids, winners=winners, at=at,
                precision=precision,
            )
        )  # fmt: skip
    return calls


def load_reference_calls(path: Path | str, election: Election) -> list[ReferenceCall]:
    """:func:`read_reference_calls` of a file on disk."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read the reference calls: {exc.strerror}", where=str(path)
        ) from None
    return read_reference_calls(data, election, str(path))


__all__ = ["COLUMNS", "load_reference_calls", "read_reference_calls"]
