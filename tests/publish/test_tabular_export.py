"""CSV and Parquet export: one row per contest × choice, on the LA 2024 general feed.

Reference figures (``../shared/data/README.md``): District Attorney (9547) on the final release of
Dec 2, 2024: Hochman 1,983,802 (59.89%), Gascón 1,328,710 (40.11%), 8,614 write-ins.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from racedesk.model import Election, Release
from racedesk.model.answers import (
    BallotsLeft,
    ChoiceProjection,
    ContestCall,
    ContestState,
    Interval,
    Projection,
    Snapshot,
    Standing,
    VotesLeft,
)
from racedesk.publish import tabular_export
from racedesk.sources import lavote

DA = "9547"
HOCHMAN, GASCON = "23483", "23482"


@pytest.fixture(scope="module")
def general(general_2024: Path) -> tuple[Election, list[Release]]:
    election, files = lavote.load_folder(general_2024)
    picked = [0, len(files) - 1]
    releases = [
        msgspec.structs.replace(
            lavote.read_release(files[i][1], election, where=str(files[i][0])), sequence=i
        )
        for i in picked
    ]
    return election, releases


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_has_a_row_per_contest_and_choice(general) -> None:
    election, releases = general
    final = releases[-1]
    rows = _csv_rows(tabular_export.to_csv(election, final, None))
    assert list(rows[0]) == list(tabular_export.NAMES)
    assert len(rows) == sum(len(c.choices) for c in election.contests)
    da = {r["choice_id"]: r for r in rows if r["contest_id"] == DA}
    assert (da[HOCHMAN]["votes"], da[GASCON]["votes"]) == ("1983802", "1328710")
    assert round(float(da[HOCHMAN]["share"]), 4) == 0.5989
    assert round(float(da[GASCON]["share"]), 4) == 0.4011
    assert da[HOCHMAN]["write_ins"] == "8614"
    assert da[HOCHMAN]["contest_votes"] == str(1_983_802 + 1_328_710)
    assert da[HOCHMAN]["total_votes"] == str(1_983_802 + 1_328_710 + 8_614)
    assert da[HOCHMAN]["release_hash"] == final.content_hash
    assert da[HOCHMAN]["release_sequence"] == str(final.sequence)
    assert datetime.fromisoformat(da[HOCHMAN]["feed_time"]) == final.feed_time
    assert da[HOCHMAN]["feed_time"].endswith("-08:00")
    assert (da[HOCHMAN]["rule"], da[HOCHMAN]["seats"], da[HOCHMAN]["threshold"]) == (
        "plurality",
        "1",
        "",
    )
    # without a snapshot, what the desk says is left empty
    assert da[HOCHMAN]["standing"] == da[HOCHMAN]["call_status"] == da[HOCHMAN]["probability"] == ""
    # every count matches the release it came from
    counts = final.counts_by_contest()
    for row in rows:
        assert int(row["votes"]) == counts[row["contest_id"]].votes[row["choice_id"]]


def test_pre_election_release_has_zero_votes_and_no_shares(general) -> None:
    election, releases = general
    rows = _csv_rows(tabular_export.to_csv(election, releases[0], None))
    assert {r["votes"] for r in rows} == {"0"}
    assert {r["share"] for r in rows} == {""}


def _snapshot(release: Release) -> Snapshot:
    count = release.count(DA)
    assert count is not None
    state = ContestState(
        contest_id=DA,
        title="DISTRICT ATTORNEY",
        rule="most votes wins",
        release_sequence=release.sequence or 0,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        votes=count.votes,
        shares={k: v / max(count.choice_votes, 1) for k, v in count.votes.items()},
        total_votes=count.total_votes,
        write_ins=count.write_ins,
        ballots=count.ballots,
        leaders=(HOCHMAN,),
        margin_votes=655_092,
        margin_share=0.19776,
        votes_left=VotesLeft(
            ballots=Interval(low=10_000, mid=20_000, high=30_000),
            votes=Interval(low=9_000.4, mid=18_000.6, high=27_000),
            source="registrar",
        ),
        standings=(
            Standing(
                choice_id=GASCON,
                name="Gascón",
                votes=1_328_710,
                share=0.4011,
                status="eliminated",
                goal="to win",
            ),
            Standing(
                choice_id=HOCHMAN,
                name="Hochman",
                votes=1_983_802,
                share=0.5989,
                status="clinched",
                goal="to win",
                needs=Interval(low=0.0, mid=0.0, high=0.0),
                denominator="two-way",
            ),
        ),
        outcome="Hochman wins",
    )
    return Snapshot(
        election_id=release.election_id,
        release_sequence=release.sequence or 0,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        usable=True,
        problems=(),
        ballots_left=BallotsLeft(
            ballots=Interval(low=10_000, mid=20_000, high=30_000), source="registrar"
        ),
        states=(state,),
        projections={
            DA: Projection(
                contest_id=DA,
                model_version="m1",
                seed=0,
                draws=1000,
                level=0.9,
                choices=(
                    ChoiceProjection(
                        choice_id=HOCHMAN,
                        share_mid=0.599,
                        share_low=0.597,
                        share_high=0.601,
                        probability=1.0,
                    ),
                    ChoiceProjection(
                        choice_id=GASCON,
                        share_mid=0.401,
                        share_low=0.399,
                        share_high=0.403,
                        probability=0.0,
                    ),
                ),
                outcomes={"Hochman wins": 1.0},
            )
        },
        calls={
            DA: ContestCall(
                contest_id=DA, status="called", choices=(HOCHMAN,), sentence="Hochman wins."
            )
        },
        new_events=(),
    )


def test_snapshot_columns_say_what_the_desk_says(general) -> None:
    election, releases = general
    final = releases[-1]
    snap = _snapshot(final)
    rows = _csv_rows(tabular_export.to_csv(election, final, snap))
    da = {r["choice_id"]: r for r in rows if r["contest_id"] == DA}
    h, g = da[HOCHMAN], da[GASCON]
    assert (h["leading"], h["standing"], h["call_status"], h["called"]) == (
        "true",
        "clinched",
        "called",
        "true",
    )
    assert (g["leading"], g["standing"], g["called"]) == ("false", "eliminated", "false")
    assert (h["needs_mid"], h["needs_denominator"], g["needs_mid"]) == ("0.0", "two-way", "")
    assert (h["votes_left_low"], h["votes_left_mid"], h["votes_left_high"]) == (
        "9000",
        "18001",
        "27000",
    )
    assert (h["final_share_low"], h["final_share_high"], h["probability"]) == (
        "0.597",
        "0.601",
        "1.0",
    )
    other = next(r for r in rows if r["contest_id"] != DA)
    assert other["standing"] == other["call_status"] == ""


def test_parquet_holds_the_same_rows_with_types(general, tmp_path: Path) -> None:
    election, releases = general
    final = releases[-1]
    snap = _snapshot(final)
    path = tabular_export.to_parquet(election, final, snap, tmp_path / "final.parquet")
    table = pq.read_table(path)
    assert table.column_names == list(tabular_export.NAMES)
    assert table.schema.field("votes").type == pa.int64()
    assert table.schema.field("share").type == pa.float64()
    assert table.schema.field("feed_time").type == pa.timestamp("ms", tz="America/Los_Angeles")
    assert table.schema.metadata[b"election_id"] == b"lavote:4324"
    assert table.num_rows == sum(len(c.choices) for c in election.contests)
    expected = list(tabular_export.rows(election, final, snap))
    got = table.to_pylist()
    assert got == expected  # every value, including the zone-aware feed time
    da = next(r for r in got if r["contest_id"] == DA and r["choice_id"] == HOCHMAN)
    assert (da["votes"], da["write_ins"], da["called"]) == (1_983_802, 8_614, True)


def test_a_snapshot_of_another_release_is_refused(general) -> None:
    election, releases = general
    with pytest.raises(ValueError, match="not the one after this release"):
        tabular_export.to_csv(election, releases[-1], _snapshot(releases[0]))
