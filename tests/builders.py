"""Small elections for tests, built the same way everywhere.

``contest("1", ["ADA", "ALAN"])`` is a vote-for-one plurality contest whose choices are
``1-0``, ``1-1``; ``release(contests, votes, n)`` the n-th release (minute n past 8 pm on
election day) of those contests' cumulative votes; ``state(contest, votes, left)`` a contest's
state with its votes left, as the calls and the projection read it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    ContestState,
    Election,
    Interval,
    Release,
    Rule,
    VotesLeft,
)
from racedesk.rules import logic_for

LA = ZoneInfo("America/Los_Angeles")
#: Election night: the first release's time.
T0 = datetime(2024, 11, 5, 20, 0, tzinfo=LA)
ELECTION_ID = "test:1"


def contest(cid: str, names: Sequence[str], rule: Rule | None = None) -> Contest:
    """A contest with ``names`` in ballot order (choice ids ``{cid}-0``, ``{cid}-1`` …); a
    plurality vote for one unless ``rule`` says otherwise, its kind the rule's."""
    rule = rule or Rule(kind="plurality")
    return Contest(
        id=cid,
        title=f"Contest {cid}",
        kind=logic_for(rule).contest_kind,
        rule=rule,
        choices=tuple(Choice(id=f"{cid}-{i}", name=n) for i, n in enumerate(names)),
    )


def election(contests: Sequence[Contest], **fields: object) -> Election:
    """A general election of ``contests`` on T0's date (``fields`` override the rest)."""
    values: dict[str, object] = {
        "id": ELECTION_ID, "title": "Test", "date": T0.date(), "jurisdiction": "Test County",
        "kind": "general", "contests": tuple(contests),
    }  # fmt: skip
    values.update(fields)
    return Election(**values)  # type: ignore[arg-type]


def release(contests: Sequence[Contest], votes: Sequence[Sequence[int]], n: int = 0) -> Release:
    """Release ``n`` (``sequence`` n, at n minutes past T0) of the contests' cumulative votes,
    in ballot order."""
    when = T0.replace(minute=n)
    return Release(
        election_id=ELECTION_ID, source="test", feed_time=when, received_at=when,
        content_hash=f"hash-{n}", sequence=n,
        contests=tuple(
            ContestCount(contest_id=c.id, votes={k.id: x for k, x in zip(c.choices, v, strict=True)})
            for c, v in zip(contests, votes, strict=True)
        ),
    )  # fmt: skip


def state(
    c: Contest,
    votes: Sequence[int],
    left: float | tuple[float, float, float] | None,
) -> ContestState:
    """The contest's state after release 1 with ``votes`` (ballot order) and the registrar's
    votes left (one figure, or low, mid and high; None: unknown)."""
    counts = {k.id: v for k, v in zip(c.choices, votes, strict=True)}
    total = sum(votes)
    if left is None:
        interval = None
    else:
        lo, mid, hi = (left, left, left) if isinstance(left, int | float) else left
        interval = Interval(low=lo, mid=mid, high=hi)
    return ContestState(
        contest_id=c.id, title=c.title, rule=c.rule.kind, release_sequence=1, feed_time=T0,
        release_hash="h", votes=counts,
        shares={k: v / total if total else 0.0 for k, v in counts.items()},
        total_votes=total, write_ins=0, ballots=total, leaders=(), margin_votes=0,
        margin_share=0.0, votes_left=VotesLeft(ballots=interval, votes=interval, source="registrar"),
        standings=(), outcome="",
    )  # fmt: skip


def state_feeds(
    source: Path,
    into: Path,
    feeds: Sequence[str],
    *,
    until: str = "",
    **quirks: dict[str, str],
) -> Path:
    """A folder of the state's archived ``feeds`` (their files linked) with their manifest rows,
    up to the feed time ``until`` (``2024-03-06T02:00``; all when empty); ``quirks`` sets
    manifest columns of the rows of a file (``{"us-rep-district-16/…json": {"variants": "2"}}``)."""
    into.mkdir(parents=True)
    text = (source / "manifest.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    kept = [
        r for r in rows
        if r["file"].split("/")[0] in feeds and (not until or r["release_ts"] <= until)
    ]  # fmt: skip
    for r in kept:
        r.update(quirks.get(r["file"], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(kept)
    (into / "manifest.csv").write_text(out.getvalue(), encoding="utf-8")
    for feed in feeds:
        (into / feed).symlink_to(source / feed)
    return into
