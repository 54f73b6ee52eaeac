"""The registrar's estimates of ballots left to count, from the files a user brings.

The results feed has no count of ballots left: the Los Angeles registrar publishes it separately,
county-wide, sometimes with a breakdown (vote by mail, conditional voter registration, provisional,
other) and the number of ballots counted so far (``../shared/domain/california-canvass.md``).
A user brings those estimates with ``--outstanding FILE`` in one of two layouts:

- **CSV**, the layout of ``../shared/data/lavote/outstanding-reports.csv``: a header naming at
  least ``as_of`` and ``total``, and optionally ``election_date``, ``as_of_reported`` (the
  source's own words for the time), ``vbm``, ``cvr``, ``provisional``, ``other``,
  ``counted_so_far``, ``note`` and ``source_url`` (or ``source``); other columns are ignored.
- **JSON**: a list of objects with ``as_of``, ``total`` and optionally ``breakdown`` (an object
  of category → ballots), ``counted_so_far``, ``note``, ``source``, ``election_date`` and
  ``as_of_reported``; any other key is an error (it is most likely a misspelling).

``as_of`` is an ISO time; without a zone it is Los Angeles local time. An empty ``total`` (CSV)
or ``null`` (JSON) means the source gave only an approximate figure: it is kept as None, and the
note, which must then say what the source gave, is kept with it. Estimates may rise from one
report to the next (mail keeps arriving), so they are not checked against each other.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec

from racedesk.errors import InputError
from racedesk.model import OutstandingReport
from racedesk.sources.plausible import MAX_COUNT, check_count, check_time
from racedesk.sources.safety import refuse_duplicate_keys

LA_TIME = ZoneInfo("America/Los_Angeles")

#: Breakdown columns of the CSV layout, in the registrar's order.
BREAKDOWN_COLUMNS = ("vbm", "cvr", "provisional", "other")

_Ballots = Annotated[int, msgspec.Meta(ge=0, le=MAX_COUNT)]
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReportEntry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One report in the JSON layout (also the ``outstanding`` entries of a scenario file)."""

    as_of: str
    total: _Ballots | None
    breakdown: dict[str, Any] = {}  # checked by entry_report, which can name the category
    counted_so_far: _Ballots | None = None
    note: str = ""
    source: str = ""
    election_date: str | None = None
    as_of_reported: str = ""


def read_reports(
    data: bytes, *, where: str, election_date: date | None = None, zone: tzinfo = LA_TIME
) -> list[OutstandingReport]:
    """The outstanding reports in ``data`` (CSV or JSON, told apart by the first character),
    in time order; a time without a zone is in ``zone`` (the election's).

    With ``election_date``, only the reports of that election are returned (reports that name no
    election are taken to be of it); a file that holds reports, none of them for that election,
    is an error naming the elections it has. Anything that cannot be read raises
    :class:`InputError` whose ``where`` names ``where`` and the line and column (CSV) or the
    path of the field (JSON).
    """
    text = _text(data, where)
    is_json = text.lstrip().startswith(("[", "{"))
    reports = _read_json(text.encode(), where, zone) if is_json else _read_csv(text, where, zone)
    return _for_election(reports, where, election_date)


def load_reports(
    path: Path, election_date: date | None = None, zone: tzinfo = LA_TIME
) -> list[OutstandingReport]:
    """:func:`read_reports` on a file; the Secretary of State's unprocessed-ballots report (a
    folder of its versions, or one version) is read by :mod:`racedesk.sources.unprocessed`."""
    from racedesk.sources import unprocessed

    if path.is_dir():
        return unprocessed.load_folder(path, election_date)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", where=str(path)) from None
    if unprocessed.is_report(data):
        return unprocessed.load_folder(path.parent, election_date)
    from racedesk.sources import sandiego

    if sandiego.is_metadata(data):
        return sandiego.metadata_reports(path, election_date)
    return read_reports(data, where=str(path), election_date=election_date, zone=zone)


def parse_as_of(text: str, where: str, zone: tzinfo = LA_TIME) -> datetime:
    """An ISO time as a zone-aware datetime; a time without a zone is in ``zone`` (the
    election's; LA time when not given).

    A bare date is refused: when a source gives no clock time, the shared reports set 17:00
    (after that day's release) and keep the source's words in ``as_of_reported``.
    """
    value = text.strip()
    if _DATE_ONLY.match(value):
        raise InputError(
            f"time {text!r} has no clock time",
            where=where,
            hint="write e.g. 2020-11-05T17:00; when the source gives none, 17:00 (after that day's release) is the convention",
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"cannot read the time {text!r} (expected an ISO time like 2020-11-05T17:00)",
            where=where,
        ) from None
    return check_time(parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone), where)


def parse_election_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"cannot read the election date {text!r} (expected like 2020-11-03)", where=where
        ) from None


def entry_report(
    entry: ReportEntry,
    where: str,
    *,
    zone: tzinfo = LA_TIME,
    source: Callable[[str, str], str] | None = None,
) -> OutstandingReport:
    """Check one :class:`ReportEntry` and make it an :class:`OutstandingReport`.

    ``where`` is the entry's place (``file, $[3]``); ``source`` maps the entry's ``source`` to
    the text kept in the report (a scenario resolves its source keys to their URLs).
    """
    as_of = parse_as_of(entry.as_of, f"{where}.as_of", zone)
    day = (
        parse_election_date(entry.election_date, f"{where}.election_date")
        if entry.election_date is not None
        else None
    )
    breakdown: dict[str, int] = {}
    for key, value in entry.breakdown.items():
        name = key.strip().lower()
        if not _CATEGORY.match(name):
            raise InputError(
                f"breakdown category {key!r} is not a name like vbm, cvr, provisional, other",
                where=f"{where}.breakdown",
            )
        breakdown[name] = whole_count(value, f"{where}.breakdown.{key}")
    _check_sum(entry.total, breakdown, f"{where}.breakdown")
    if entry.total is None and not entry.note.strip():
        raise InputError(
            "total is empty and no note says what the source gave",
            where=f"{where}.total",
            hint="quote the source's approximate figure in note",
        )
    return OutstandingReport(
        as_of=as_of,
        total=entry.total,
        breakdown=breakdown,
        counted_so_far=entry.counted_so_far,
        election_date=day,
        note=_note(entry.note, entry.as_of_reported),
        source=source(entry.source, f"{where}.source") if source else entry.source.strip(),
    )


def whole_count(value: Any, where: str) -> int:
    """A count given in JSON: a whole number, not negative."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{value!r} is not a whole number", where=where)
    if value < 0:
        raise InputError(f"{value} is negative", where=where)
    return check_count(value, where)


def validation_where(where: str, exc: msgspec.ValidationError) -> tuple[str, str]:
    """Split a msgspec validation message into (where with the field's path, problem)."""
    text = str(exc)
    problem, sep, path = text.rpartition(" - at `")
    if not sep:
        return where, text
    return f"{where}, {path.rstrip('`')}", problem


# --- JSON ------------------------------------------------------------------------------------


def _read_json(data: bytes, where: str, zone: tzinfo) -> list[OutstandingReport]:
    try:
        entries = msgspec.json.decode(data, type=list[ReportEntry])
    except msgspec.ValidationError as exc:
        at, problem = validation_where(where, exc)
        if f"<= {MAX_COUNT}" in problem:
            problem += " (more ballots than any electorate has)"
        raise InputError(problem, where=at) from None
    except msgspec.DecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc}",
            where=where,
            hint="a JSON file of outstanding reports is a list of objects with as_of and total",
        ) from None
    refuse_duplicate_keys(data, where)
    return [entry_report(e, f"{where}, $[{i}]", zone=zone) for i, e in enumerate(entries)]


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(text: str, where: str, zone: tzinfo) -> list[OutstandingReport]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty", where=where) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", where=f"{where}, line 1") from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in ("as_of", "total") if c not in columns]
    if missing:
        raise InputError(
            f"no column {' or '.join(missing)} in the header {header!r}",
            where=f"{where}, line 1",
            hint="expected the layout of outstanding-reports.csv: as_of,total,vbm,cvr,provisional,other,counted_so_far,note,source_url",
        )
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        raise InputError(f"column {', '.join(duplicated)} appears twice", where=f"{where}, line 1")
    source_column = "source_url" if "source_url" in columns else "source"
    reports: list[OutstandingReport] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            here = f"{where}, line {line}"
            if len(row) != len(columns):
                raise InputError(
                    f"{len(row)} fields where the header has {len(columns)}", where=here
                )
            cells = dict(zip(columns, row, strict=True))
            breakdown: dict[str, int] = {}
            for column in BREAKDOWN_COLUMNS:
                value = _csv_int(cells, column, here)
                if value is not None:
                    breakdown[column] = value
            entry = ReportEntry(
                as_of=cells["as_of"],
                total=_csv_int(cells, "total", here),
                breakdown=breakdown,
                counted_so_far=_csv_int(cells, "counted_so_far", here),
                note=cells.get("note", ""),
                source=cells.get(source_column, ""),
                election_date=cells.get("election_date") or None,
                as_of_reported=cells.get("as_of_reported", ""),
            )
            reports.append(_csv_report(entry, here, zone))
    except csv.Error as exc:
        raise InputError(
            f"not a readable CSV file: {exc}", where=f"{where}, line {reader.line_num}"
        ) from None
    return reports


def _csv_report(entry: ReportEntry, here: str, zone: tzinfo) -> OutstandingReport:
    # entry_report names fields JSON-style (`.as_of`); in a CSV they are columns of the line.
    try:
        return entry_report(entry, here, zone=zone)
    except InputError as exc:
        prefix = here + "."
        if not exc.where.startswith(prefix):
            raise
        column = exc.where[len(prefix) :]
        raise InputError(exc.problem, where=f"{here}, column {column}", hint=exc.hint) from None


def _csv_int(cells: Mapping[str, str], column: str, where: str) -> int | None:
    text = cells.get(column, "").strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise InputError(
            f"{column} is {text!r}, not a whole number of ballots",
            where=f"{where}, column {column}",
        )
    return check_count(int(text.replace(",", "")), f"{where}, column {column}")


# --- shared -------------------------------------------------------------------------------------


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where=where) from None


def _check_sum(total: int | None, breakdown: Mapping[str, int], where: str) -> None:
    """The categories may leave some ballots out (a source names only some), never exceed the total."""
    if total is None or not breakdown:
        return
    parts = sum(breakdown.values())
    if parts > total:
        shown = " + ".join(f"{k} {v:,}" for k, v in breakdown.items())
        raise InputError(
            f"the breakdown ({shown} = {parts:,}) exceeds the total {total:,}", where=where
        )


def _note(note: str, as_of_reported: str) -> str:
    note = note.strip()
    reported = as_of_reported.strip()
    if not reported:
        return note
    return f"{note} (time as reported: {reported})" if note else f"time as reported: {reported}"


def _for_election(
    reports: list[OutstandingReport], where: str, election_date: date | None
) -> list[OutstandingReport]:
    if election_date is not None:
        chosen = [r for r in reports if r.election_date in (None, election_date)]
        if reports and not chosen:
            dates = sorted({r.election_date.isoformat() for r in reports if r.election_date})
            raise InputError(
                f"no report for the election of {election_date.isoformat()}; the file has reports for {', '.join(dates)}",
                where=where,
            )
        reports = [
            r
            if r.election_date is not None
            else msgspec.structs.replace(r, election_date=election_date)
            for r in chosen
        ]
    return sorted(reports, key=lambda r: r.as_of)


__all__ = [
    "BREAKDOWN_COLUMNS",
    "ReportEntry",
    "entry_report",
    "load_reports",
    "parse_as_of",
    "read_reports",
    "whole_count",
]
