"""Where a number or a time read from outside data stops being a count or a feed time.

Every adapter hands the release it read to :func:`checked_release` before returning it, and the
outstanding-report reader checks its figures with :func:`check_count` and :func:`check_time`, so
that no payload can carry a number the store cannot hold or the desk should not believe:

- **Counts** (votes, write-ins, ballots, undervotes, precincts, outstanding ballots) above
  :data:`MAX_COUNT`, one billion, are refused: that is more votes than any electorate has (India's,
  the largest, had about 970 million voters in 2024), far below 2^53 (the largest integer a
  JavaScript reader of the API holds exactly) and 2^63 (the store's integers).
- **Feed times** outside the years :data:`EARLIEST_YEAR`–:data:`LATEST_YEAR` are refused: no
  results feed was published before 1900, and a year such as 9999 is a placeholder, not a time
  (near the end of the calendar, changing its time zone overflows). A time within these years but
  far from the election is the engine's to judge (``engine.checks``), not a reading error.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from racedesk.errors import InputError
from racedesk.model import ContestCount, Release

#: The largest count racedesk accepts: more votes than any electorate on earth.
MAX_COUNT = 1_000_000_000
#: The years a feed time may fall in.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def check_count(value: int, where: str) -> int:
    """``value`` unchanged, or an :class:`InputError` when it is above :data:`MAX_COUNT`."""
    if value > MAX_COUNT:
        shown = f"{value:,}" if value < 10**21 else f"of {len(str(value))} digits"
        raise InputError(
            f"the count {shown} is more than any electorate has (the limit is {MAX_COUNT:,})",
            where=where,
        )
    return value


def check_time(value: datetime, where: str) -> datetime:
    """``value`` unchanged, or an :class:`InputError` when its year is not a feed's."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise InputError(
            f"the time {value.isoformat()} is not a results feed's time (years "
            f"{EARLIEST_YEAR}–{LATEST_YEAR} are read)",
            where=where,
        )
    return value


def _counts_of(count: ContestCount) -> Iterator[tuple[str, int | None]]:
    """Every figure of one contest's counts, with what it is."""
    yield from ((f"votes of {choice}", v) for choice, v in count.votes.items())
    yield "write-ins", count.write_ins
    yield "ballots", count.ballots
    yield "full-vote ballots", count.full
    yield "partial-vote ballots", count.partial
    yield "undervotes", count.undervotes
    yield "overvotes", count.overvotes
    yield from ((f"ballots with {k + 1} unused selections", v) for k, v in enumerate(count.unused))
    for kind, votes in count.votes_by_type.items():
        yield from ((f"{kind} votes of {choice}", v) for choice, v in votes.items())
    yield "precincts reporting", count.precincts_reporting
    yield "precincts", count.precincts_total


def checked_release(release: Release, where: str) -> Release:
    """``release`` unchanged, or an :class:`InputError` naming the first figure above
    :data:`MAX_COUNT` (its contest and what it counts) or a feed time outside the years read."""
    check_time(release.feed_time, f"{where}, feed time")
    county = (
        ("ballots counted", release.ballots_counted),
        ("mail ballots", release.ballots_mail),
        ("in-person ballots", release.ballots_in_person),
    )
    for what, value in county:
        if value is not None:
            check_count(value, f"{where}, {what}")
    for count in release.contests:
        if _largest(count) <= MAX_COUNT:
            continue
        for what, value in _counts_of(count):
            if value is not None:
                check_count(value, f"{where}, contest {count.contest_id}, {what}")
    return release


def _largest(count: ContestCount) -> int:
    """The largest figure of one contest's counts (the quick test before naming one)."""
    return max(
        max(count.votes.values(), default=0),
        max(count.unused, default=0),
        max((max(v.values(), default=0) for v in count.votes_by_type.values()), default=0),
        count.write_ins,
        count.ballots or 0,
        count.full or 0,
        count.partial or 0,
        count.undervotes or 0,
        count.overvotes or 0,
        count.precincts_reporting or 0,
        count.precincts_total or 0,
    )
