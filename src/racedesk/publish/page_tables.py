"""What a page shows, as a CSV a reader downloads from it: the overview's contests
(:func:`overview_csv`, as filtered on the page) and a contest's results table
(:func:`contest_csv`, as of the release shown).

Each row says what the page says, in the page's words (names in proper case, the margin, how
much of the expected vote is counted, the standing), with the counts and shares as plain
numbers a spreadsheet can add up: votes without separators, shares in percent with two
decimals. Text cells pass through :func:`~racedesk.publish.csv_cells.safe_cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from racedesk.model.answers import Interval
from racedesk.publish.contest_part import choice_name, standing_text, when
from racedesk.publish.csv_cells import safe_cell
from racedesk.publish.documents import ContestSummary, StateDoc, StatusDoc
from racedesk.publish.numbers import chances, expected_counted, margin, pct_interval

#: The overview's columns, one row per contest.
OVERVIEW_COLUMNS = (
    "contest_id",
    "contest",
    "group",
    "status",
    "called_for",
    "leading",
    "leading_share_pct",
    "runner_up",
    "runner_up_share_pct",
    "margin",
    "votes",
    "expected_counted",
    "release",
    "feed_time",
)

#: A contest's columns, one row per choice, most votes first.
CONTEST_COLUMNS = (
    "contest_id",
    "contest",
    "release",
    "feed_time",
    "choice",
    "party",
    "votes",
    "share_pct",
    "projected_final",
    "chance",
    "standing",
    "status",
    "called_for",
)


def _csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}"


def overview_csv(doc: StatusDoc, contests: Sequence[ContestSummary], zone: str) -> str:
    """The overview's ``contests`` (those the page shows, in its order) after ``doc``'s
    release, one row each: its status and call, the leader and the runner-up with their
    shares, the margin ("Hochman +19.8, 655,092 votes"), the votes counted and the share of
    the expected vote counted."""
    release = doc.release
    number = release.sequence if release else ""
    fed = when(release.feed_time, zone) if release else ""
    rows = []
    for c in contests:
        ranked = sorted(c.votes.items(), key=lambda kv: -kv[1])
        first = ranked[0][0] if ranked else (c.leaders[0] if c.leaders else "")
        second = ranked[1][0] if len(ranked) > 1 else ""
        rows.append(
            [
                c.id,
                c.title,
                c.group,
                c.status,
                ", ".join(choice_name(n, c.kind) for n in c.called_for),
                choice_name(first, c.kind),
                _share(c.shares.get(first)) if first else "",
                choice_name(second, c.kind),
                _share(c.shares.get(second)) if second else "",
                margin(c.votes, {}),
                c.total_votes,
                expected_counted(c.total_votes, c.votes_left),
                number,
                fed,
            ]
        )
    return _csv(OVERVIEW_COLUMNS, rows)


def contest_csv(doc: StateDoc, zone: str) -> str:
    """A contest's results table after ``doc``'s release, one row per choice (most votes
    first): votes, share, projected final share with its interval, the chance of the outcome
    the choice seeks, its standing in words, and the contest's call."""
    contest = doc.contest
    order = [c.id for c in contest.choices]
    names = {c.id: choice_name(c.name, contest.kind) for c in contest.choices}
    leaders = set(contest.leaders)
    call = contest.call
    status = call.status if call else "too early"
    called_for = ", ".join(names.get(c, c) for c in call.choices) if call else ""
    draws = contest.projection.draws if contest.projection else 1
    rows = []
    for c in sorted(contest.choices, key=lambda c: (-c.votes, order.index(c.id))):
        proj = c.projection
        projected = (
            pct_interval(Interval(low=proj.share_low, mid=proj.share_mid, high=proj.share_high))
            if proj
            else ""
        )
        rows.append(
            [
                contest.id,
                contest.title,
                doc.release.sequence,
                when(doc.release.feed_time, zone),
                names[c.id],
                c.party if contest.kind == "candidate" else "",
                c.votes,
                _share(c.share) if contest.total_votes else "",
                projected,
                chances(proj.probability, proj.probability_alt, draws) if proj else "",
                standing_text(c.standing, names, c.id in leaders) if c.standing else "",
                status,
                called_for,
            ]
        )
    return _csv(CONTEST_COLUMNS, rows)


__all__ = ["CONTEST_COLUMNS", "OVERVIEW_COLUMNS", "contest_csv", "overview_csv"]
