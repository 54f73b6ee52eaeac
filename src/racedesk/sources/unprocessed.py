"""The Secretary of State's report of unprocessed ballots, by county, as outstanding reports.

After a statewide election the state publishes, county by county, the ballots processed so far
and the ballots estimated to remain (and, from some versions on, the ballots left to cure): a CSV
``County,Cumulative Total of Processed Ballots,Estimated Total Ballots Remaining[,Ballots Left
to Cure]`` (``../shared/data/ca-sos/2024-general-unprocessed-ballots/``: 13 daily versions).
Each version is one :class:`~racedesk.model.OutstandingReport` of the whole state: ``total`` the
ballots remaining in every county, ``breakdown`` each county's (``los_angeles``),
``counted_so_far`` the ballots processed, the ballots left to cure said in ``note`` (they are
not in the estimate of ballots remaining).

The report says no time of its own: a version's time is when it was seen (its archive's
``first_commit_utc``, or a file named by that time, ``2024-11-22T08-06-54Z.csv``).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

from racedesk.errors import InputError
from racedesk.model import OutstandingReport
from racedesk.sources import safety

HEADER = ("county", "cumulative total of processed ballots", "estimated total ballots remaining")
_SEEN = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})Z\.csv$")


def is_report(data: bytes) -> bool:
    """Whether ``data`` is a version of the state's report (by its header)."""
    first = data[:200].decode("utf-8-sig", "replace").splitlines()[:1]
    return bool(first) and tuple(h.strip().lower() for h in first[0].split(",")[:3]) == HEADER


def _count(cell: str, where: str) -> int:
    text = cell.replace(",", "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise InputError(f"{cell!r} is not a whole number of ballots", where=where)
    return int(text)


def read_version(
    data: bytes, *, as_of: datetime, where: str, election_date: date | None = None
) -> OutstandingReport:
    """One version of the report (seen at ``as_of``) as the state's outstanding report."""
    text = data.decode("utf-8-sig", "replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not is_report(data):
        raise InputError(f"not the state's unprocessed-ballots report (header {rows[:1]!r})",
                         where=where)  # fmt: skip
    cure = len(rows[0]) > 3
    remaining: dict[str, int] = {}
    processed = to_cure = 0
    for n, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip() or row[0].strip().lower() in ("total", "statewide"):
            continue
        here = f"{where}, line {n}"
        if len(row) < 3:
            raise InputError(f"{len(row)} cells, expected at least 3", where=here)
        county = re.sub(r"[^a-z0-9]+", "_", row[0].strip().lower()).strip("_")
        remaining[county] = _count(row[2], here)
        processed += _count(row[1], here)
        to_cure += _count(row[3], here) if cure and len(row) > 3 else 0
    note = f"the Secretary of State's unprocessed-ballots report, {len(remaining)} counties"
    if cure:
        note += f"; besides, {to_cure:,} ballots left to cure"
    return OutstandingReport(
        as_of=as_of,
        total=sum(remaining.values()),
        breakdown=remaining,
        counted_so_far=processed,
        election_date=election_date,
        note=note,
        source="ca-sos unprocessed ballots",
    )


def load_folder(folder: Path, election_date: date | None = None) -> list[OutstandingReport]:
    """Every version of an archived report (a ``manifest.csv`` naming each ``file`` and its
    ``first_commit_utc``, else the files named by the time they were seen), in time order."""
    manifest = folder / "manifest.csv"
    found: list[tuple[datetime, Path]] = []
    if manifest.is_file():
        text = safety.read_file(manifest).decode("utf-8-sig")
        for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                when = datetime.fromisoformat(row["first_commit_utc"].replace("Z", "+00:00"))
                found.append((when, folder / row["file"]))
            except (KeyError, ValueError, AttributeError, TypeError):
                raise InputError("a row without file or first_commit_utc",
                                 where=f"{manifest}, line {n}") from None  # fmt: skip
    else:
        for p in sorted(folder.rglob("*.csv")):
            m = _SEEN.match(p.name)
            if m:
                seen = datetime.strptime(m.group(1), "%Y-%m-%dT%H-%M-%S").replace(tzinfo=UTC)
                found.append((seen, p))
    if not found:
        raise InputError("no versions of the unprocessed-ballots report here", where=str(folder))
    return [
        read_version(safety.read_file(p), as_of=when, where=str(p), election_date=election_date)
        for when, p in sorted(found)
    ]


__all__ = ["HEADER", "is_report", "load_folder", "read_version"]
