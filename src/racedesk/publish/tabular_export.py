"""Export an election as of one release as a table: CSV and Parquet.

One row per contest × choice, in ballot order, with the release it comes from (sequence, feed
time, content hash, status), the contest's rule and counts, and the choice's votes and share.
With the desk's snapshot after the release the row adds what the desk says of the choice: its
standing, the share of the votes left it needs, its projected final share and probability, and
the contest's call. Columns are listed in :data:`COLUMNS` and described in ``docs/cdf.md``.

``share`` is the choice's votes over the votes for the contest's named choices (write-ins left
out), the denominator the registrar's own percentages use (Hochman 1,983,802 of 3,312,512 =
59.89% in the final 2024 release); ``write_ins`` and ``total_votes`` give the rest. Shares are
fractions in [0, 1], empty when the contest has no votes yet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from racedesk.model import Election, Release
from racedesk.model.answers import Snapshot
from racedesk.publish.csv_cells import safe_cell


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str


def _timestamp(election: Election) -> pa.DataType:
    return pa.timestamp("ms", tz=election.timezone)


#: Every column, in order, with its Parquet type (feed_time's zone is the election's).
COLUMNS: tuple[Column, ...] = (
    Column("election_id", pa.string(), "the election (SOURCE:ID)"),
    Column("release_sequence", pa.int64(), "the release's place in the election's history, from 0"),
    Column("feed_time", pa.timestamp("ms", tz="UTC"), "the feed's own time of the release"),
    Column("release_hash", pa.string(), "SHA-256 of the release's raw bytes"),
    Column("release_status", pa.string(), "the release's status (unofficial, certified …)"),
    Column("contest_id", pa.string(), "the contest"),
    Column("contest_title", pa.string(), "its title"),
    Column("contest_kind", pa.string(), "candidate, measure or recall"),
    Column("rule", pa.string(), "plurality, majority_or_runoff, top_two, measure, recall"),
    Column("seats", pa.int64(), "seats filled (candidate contests)"),
    Column("votes_allowed", pa.int64(), "votes each ballot may give"),
    Column("threshold", pa.string(), "a measure's passing share, as a fraction (1/2, 11/20, 2/3)"),
    Column(
        "alt_threshold",
        pa.string(),
        "a measure's conditional passing share (or a majority where its source states none)",
    ),
    Column("portion", pa.string(), "the part of the contest the counts cover; empty: the whole"),
    Column("ballot_order", pa.int64(), "the choice's place on the ballot, from 1"),
    Column("choice_id", pa.string(), "the choice"),
    Column("choice_name", pa.string(), "its name (YES/NO for measures)"),
    Column("party", pa.string(), "its party, if any"),
    Column("votes", pa.int64(), "its votes in the release"),
    Column("share", pa.float64(), "votes / contest_votes"),
    Column("contest_votes", pa.int64(), "votes for the contest's named choices"),
    Column("write_ins", pa.int64(), "write-in votes in the contest"),
    Column("total_votes", pa.int64(), "contest_votes + write_ins"),
    Column("ballots", pa.int64(), "ballots counted in the contest, where the feed says"),
    Column("undervotes", pa.int64(), "ballots that left the contest blank, where the feed says"),
    Column("overvotes", pa.int64(), "overvoted ballots, where the feed says"),
    Column("leading", pa.bool_(), "among the contest's leaders after the release (snapshot)"),
    Column(
        "standing", pa.string(), "clinched, eliminated, contending, unknown or portion (snapshot)"
    ),
    Column("needs_low", pa.float64(), "share of the votes left it needs, low bound (snapshot)"),
    Column("needs_mid", pa.float64(), "… central value"),
    Column("needs_high", pa.float64(), "… high bound"),
    Column("needs_denominator", pa.string(), "what that share is of"),
    Column("votes_left_low", pa.int64(), "votes left in the contest, low bound (snapshot)"),
    Column("votes_left_mid", pa.int64(), "… central value"),
    Column("votes_left_high", pa.int64(), "… high bound"),
    Column("final_share_low", pa.float64(), "projected final share, low end of the interval"),
    Column("final_share_mid", pa.float64(), "… central value"),
    Column("final_share_high", pa.float64(), "… high end"),
    Column("probability", pa.float64(), "probability of the outcome the choice seeks"),
    Column("probability_alt", pa.float64(), "the same at the measure's conditional threshold"),
    Column("call_status", pa.string(), "the contest's call status (snapshot)"),
    Column("called", pa.bool_(), "the call names this choice"),
)
NAMES = tuple(c.name for c in COLUMNS)


def rows(
    election: Election, release: Release, snapshot: Snapshot | None = None
) -> Iterator[dict[str, Any]]:
    """The table's rows (column name → value, None where empty), contest by contest."""
    if release.election_id != election.id:
        raise ValueError(f"release of {release.election_id} given for election {election.id}")
    if snapshot is not None and snapshot.release_hash != release.content_hash:
        raise ValueError("the snapshot is not the one after this release")
    sequence = release.sequence
    if sequence is None and snapshot is not None:
        sequence = snapshot.release_sequence
    counts = release.counts_by_contest()
    for contest in election.contests:
        count = counts.get(contest.id)
        state = snapshot.state(contest.id) if snapshot is not None else None
        projection = snapshot.projections.get(contest.id) if snapshot is not None else None
        call = snapshot.calls.get(contest.id) if snapshot is not None else None
        contest_votes = count.choice_votes if count is not None else None
        left = state.votes_left.votes if state is not None else None
        for order, choice in enumerate(contest.choices, start=1):
            votes = count.votes.get(choice.id, 0) if count is not None else None
            standing = (
                next((s for s in state.standings if s.choice_id == choice.id), None)
                if state
                else None
            )
            final = (
                next((c for c in projection.choices if c.choice_id == choice.id), None)
                if projection
                else None
            )
            needs = standing.needs if standing is not None else None
            yield {
                "election_id": election.id,
                "release_sequence": sequence,
                "feed_time": release.feed_time,
                "release_hash": release.content_hash,
                "release_status": release.status,
                "contest_id": contest.id,
                "contest_title": contest.title,
                "contest_kind": contest.kind,
                "rule": contest.rule.kind,
                "seats": contest.rule.seats,
                "votes_allowed": contest.rule.votes_allowed,
                "threshold": contest.rule.threshold,
                "alt_threshold": contest.rule.alt_threshold,
                "portion": contest.portion,
                "ballot_order": order,
                "choice_id": choice.id,
                "choice_name": choice.name,
                "party": choice.party,
                "votes": votes,
                "share": votes / contest_votes if votes is not None and contest_votes else None,
                "contest_votes": contest_votes,
                "write_ins": count.write_ins if count is not None else None,
                "total_votes": count.total_votes if count is not None else None,
                "ballots": count.ballots if count is not None else None,
                "undervotes": count.undervotes if count is not None else None,
                "overvotes": count.overvotes if count is not None else None,
                "leading": choice.id in state.leaders if state is not None else None,
                "standing": standing.status if standing is not None else None,
                "needs_low": needs.low if needs is not None else None,
                "needs_mid": needs.mid if needs is not None else None,
                "needs_high": needs.high if needs is not None else None,
                "needs_denominator": (standing.denominator or None)
                if standing is not None
                else None,
                "votes_left_low": round(left.low) if left is not None else None,
                "votes_left_mid": round(left.mid) if left is not None else None,
                "votes_left_high": round(left.high) if left is not None else None,
                "final_share_low": final.share_low if final is not None else None,
                "final_share_mid": final.share_mid if final is not None else None,
                "final_share_high": final.share_high if final is not None else None,
                "probability": final.probability if final is not None else None,
                "probability_alt": final.probability_alt if final is not None else None,
                "call_status": call.status if call is not None else None,
                "called": choice.id in call.choices if call is not None else None,
            }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def to_csv(election: Election, release: Release, snapshot: Snapshot | None = None) -> bytes:
    """The table as CSV (UTF-8, a header row, RFC 4180 quoting and line ends; empty cells for
    missing values; times in ISO 8601 with their offset; a text cell that begins like a
    spreadsheet formula has an apostrophe put before it: :mod:`racedesk.publish.csv_cells`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    for row in rows(election, release, snapshot):
        writer.writerow([_cell(row[name]) for name in NAMES])
    return out.getvalue().encode("utf-8")


#: The largest value of a Parquet int64 column.
_INT64_MAX = 2**63 - 1
#: The type of a count column holding a value beyond int64 (a contest's sum of counts near
#: 2^63 that a release stored before counts were limited can hold): exact up to 10^38.
_WIDE = pa.decimal128(38, 0)


def to_table(election: Election, release: Release, snapshot: Snapshot | None = None) -> pa.Table:
    """The table as a typed Arrow table (``feed_time`` in the election's time zone). A count
    column with a value beyond int64 is written as ``decimal128(38, 0)`` instead, so that every
    count racedesk ever stored is exported exactly."""
    table_rows = list(rows(election, release, snapshot))
    fields = []
    for c in COLUMNS:
        kind = _timestamp(election) if c.name == "feed_time" else c.type
        if kind == pa.int64() and any((r[c.name] or 0) > _INT64_MAX for r in table_rows):
            kind = _WIDE
            for r in table_rows:
                r[c.name] = None if r[c.name] is None else Decimal(r[c.name])
        fields.append(pa.field(c.name, kind, metadata={"doc": c.doc}))
    schema = pa.schema(fields, metadata={"racedesk.table": "results/1", "election_id": election.id})
    return pa.Table.from_pylist(table_rows, schema=schema)


def to_parquet(
    election: Election, release: Release, snapshot: Snapshot | None, path: Path | str
) -> Path:
    """Write the table as Parquet to ``path`` (zstd-compressed); returns the path."""
    target = Path(path)
    pq.write_table(to_table(election, release, snapshot), target, compression="zstd")
    return target


__all__ = ["COLUMNS", "NAMES", "Column", "rows", "to_csv", "to_parquet", "to_table"]
