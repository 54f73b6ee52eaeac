"""The count's pace of a part of a feed (a district), measured: ``params.count_pace_least_part``.

A district is counted at the pace of its counties, and one slow county can hold most of it. For
each of ``count_pace_days`` this prints the least share in that a part of the count may have
then (``docs/hurdles.md``, "Else the count's pace"), and the figure that set it, from every
figure of ballots left per ballot counted seen since the time before it:

- in every district feed of the state's 2024 primary (U.S. House, State Senate, Assembly; the
  final release is the final count);
- in every county of the state's unprocessed-ballots reports of the 2024 general (16 days on;
  each county's last figure processed is its final count);

The share in is interpolated between the table's times, so the line from the time before must
leave ``MARGIN`` times each figure's ballots left between the two, and this time's least
``MARGIN`` times every later figure's; never more in than the whole's least, never less than at
the time before, and all in at 30 days (the whole's). Run from the project root with ``../shared/data`` beside it (or ``RACEDESK_SHARED_DATA``).
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from datetime import datetime
from pathlib import Path

from racedesk.engine.params import ModelParams

MARGIN = 1.5
DATA = Path(os.environ.get("RACEDESK_SHARED_DATA", "../shared/data"))
DISTRICT = re.compile(r"(us-rep|state-assembly|state-senate)-district-\d+$")


def _votes(doc: object) -> int:
    entry = doc[0] if isinstance(doc, list) else doc
    assert isinstance(entry, dict)
    return sum(int(str(c["Votes"]).replace(",", "")) for c in entry["candidates"])


def districts() -> list[tuple[float, float, str]]:
    """(days after the polls closed, ballots left per ballot counted, feed) of every district
    release of the state's 2024 primary."""
    root = DATA / "ca-sos" / "2024-primary"
    closed = datetime(2024, 3, 5, 20)
    seen: list[tuple[float, float, str]] = []
    for folder in sorted(p for p in root.iterdir() if DISTRICT.match(p.name)):
        files = sorted(folder.glob("*.json"))
        final = _votes(json.loads(files[-1].read_bytes()))
        for f in files:
            days = (datetime.strptime(f.name[:19], "%Y-%m-%dT%H-%M-%S") - closed).total_seconds()
            votes = _votes(json.loads(f.read_bytes()))
            if votes and days >= 0:
                seen.append((days / 86400, (final - votes) / votes, folder.name))
    return seen


def counties() -> list[tuple[float, float, str]]:
    """The same for every county of the state's unprocessed-ballots reports of the 2024
    general (polls closed Nov 5, 8 pm Pacific: 04:00 UTC Nov 6)."""
    root = DATA / "ca-sos" / "2024-general-unprocessed-ballots" / "unprocessed-ballots-status"
    closed = datetime(2024, 11, 6, 4)
    rows: list[tuple[float, str, int]] = []
    for f in sorted(root.glob("*.csv")):
        days = (datetime.strptime(f.name[:19], "%Y-%m-%dT%H-%M-%S") - closed).total_seconds()
        for row in csv.DictReader(f.read_text().splitlines()):
            text = row["Cumulative Total of Processed Ballots"].replace(",", "").strip()
            if text.isdigit() and int(text):
                rows.append((days / 86400, row["County"], int(text)))
    final = {county: processed for _, county, processed in rows}
    return [(d, (final[c] - p) / p, c) for d, c, p in rows]


def main() -> None:
    params = ModelParams()
    seen = districts() + counties()
    print(f"{len(seen)} (part, release) figures; margin {MARGIN}")
    days = params.count_pace_days
    table: list[float] = []
    for i, (day, whole) in enumerate(zip(days, params.count_pace_least, strict=True)):
        if whole >= 1.0:
            # by 30 days every county has certified its count (Elections Code §15372)
            table.append(1.0)
            continue
        if i == 0:
            table.append(whole)  # the close of the polls: nothing need be in
            continue
        before, since = table[-1], days[i - 1]
        least, why = whole, "the whole's"
        for t, ratio, name in seen:
            if t <= since:
                continue
            most = 1 / (1 + MARGIN * ratio)
            # the share in is interpolated from the time before: the line must pass under
            # every figure between the two times, and this time's least under every later one
            bound = most if t >= day else before + (most - before) * (day - since) / (t - since)
            if bound < least:
                least, why = bound, f"{name} at {t:.2f} days, {ratio:.3f} left per counted"
        table.append(math.floor(max(least, before) * 1000) / 1000)  # rounded down: safe
        print(f"{day:>5} days: the whole's least {whole:.3f}, a part's {table[-1]:.3f} ({why})")
    print("count_pace_least_part =", tuple(table))


if __name__ == "__main__":
    main()
