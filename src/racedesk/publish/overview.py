"""How the election overview lays its contests out: key contests first, then the contests by
office, each office under a heading, in ballot order.

Key contests are those a desk names (``RACEDESK_KEY_CONTESTS``: contest ids or titles,
comma-separated, in the order to show them); where it names none, the five contests with the
most votes that the source sees whole (the District Attorney and the county's measures in LA's
2024 general, not LA's part of the Presidency). An office is the feed's contest group ("District
Attorney", "U.S. Representative", "Cities"); contests without one are under "Other contests".

A search or a status filter shows the matching contests alone, best first, without headings
(:mod:`racedesk.publish.search`); clearing it brings the layout back (the page's script orders
the rows by ``order``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from racedesk.publish.documents import ContestSummary
from racedesk.publish.search import fold

#: Contests a desk that names none sees first: the most voted-on, up to this many.
KEY_DEFAULT = 5
KEY_HEADING = "Key contests"
OTHER = "Other contests"


@dataclass(frozen=True)
class Entry:
    """A line of the overview: an office's heading (``contest`` None) or a contest; ``order`` is
    its place in the layout."""

    order: int
    heading: str = ""
    contest: ContestSummary | None = None


def key_contests(contests: Sequence[ContestSummary], named: str | None = None) -> list[str]:
    """The ids of the key contests (module docstring); ``named`` is the desk's setting (default
    ``RACEDESK_KEY_CONTESTS``)."""
    wanted = named if named is not None else os.environ.get("RACEDESK_KEY_CONTESTS", "")
    keys = [k.strip() for k in wanted.split(",") if k.strip()]
    if keys:
        by_id = {c.id: c.id for c in contests}
        by_title = {fold(c.title): c.id for c in contests}
        found = [by_id.get(k) or by_title.get(fold(k)) for k in keys]
        return list(dict.fromkeys(f for f in found if f))
    whole = [c for c in contests if not c.portion and c.total_votes > 0]
    ranked = sorted(whole, key=lambda c: -c.total_votes)
    return [c.id for c in ranked[:KEY_DEFAULT]]


def layout(contests: Sequence[ContestSummary], keys: Sequence[str]) -> list[Entry]:
    """Headings and contests in the overview's order: the key contests, then each office's."""
    chosen = set(keys)
    by_id = {c.id: c for c in contests}
    entries: list[Entry] = []
    if keys:
        entries.append(Entry(order=0, heading=KEY_HEADING))
        entries += [Entry(order=0, contest=by_id[k]) for k in keys]
    last = None
    for c in contests:
        if c.id in chosen:
            continue
        office = c.group or OTHER
        if office != last:
            entries.append(Entry(order=0, heading=office))
            last = office
        entries.append(Entry(order=0, contest=c))
    return [Entry(order=i, heading=e.heading, contest=e.contest) for i, e in enumerate(entries)]


__all__ = ["KEY_DEFAULT", "Entry", "key_contests", "layout"]
