"""Petitions in the store, on SQLite and PostgreSQL: definitions versioned, stages appended
with their bytes and never twice, the verdict ledger appended, and what was known on a date;
through the desk's one write path for petitions (``racedesk.desk.petitions``), on the real table
of ``../shared/data/recalls/petitions.csv``."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import msgspec
import pytest

from racedesk.desk.petitions import PETITIONS_SOURCE, ingest_petitions
from racedesk.errors import InputError, SequenceConflict, StoreError
from racedesk.model.petition import Petition
from racedesk.store.sql import SqlStore


@pytest.fixture(scope="module")
def table(shared_data: Path) -> bytes:
    path = shared_data / "recalls" / "petitions.csv"
    if not path.exists():
        pytest.skip(f"no {path}")
    return path.read_bytes()


def test_a_table_is_kept_and_each_petition_stored_with_its_stages(
    store: SqlStore, table: bytes
) -> None:
    done = ingest_petitions(store, table, origin="petitions.csv")
    assert {d.petition_id: d.new_stages for d in done} == {
        "gascon_2021": 1,
        "gascon_2022": 4,
        "boudin_2021_first": 1,
        "boudin_2021_second": 3,
        "sf_school_board_2021": 3,
        "newsom_2021": 3,
        "bonin_2021": 3,
        "de_leon_2023": 1,
        "price_2024": 4,
    }
    stages = store.petition_stages("gascon_2022")
    assert [(s.sequence, s.stage) for s in stages] == [
        (0, "filed"),
        (1, "sample"),
        (2, "full count"),
        (3, "outcome"),
    ]
    kept = store.raw(stages[0].content_hash)
    assert kept is not None and kept.data == table and kept.source == PETITIONS_SOURCE
    assert [e.verdict for e in store.petition_ledger("gascon_2022")] == [
        "filed",
        "full count needed",
        "failed",
    ]
    assert len(store.petitions()) == 9
    assert store.petition("gascon_2022").office == "District Attorney"


def test_the_same_table_again_stores_nothing_new(store: SqlStore, table: bytes) -> None:
    ingest_petitions(store, table, origin="petitions.csv")
    before = store.row_counts()
    again = ingest_petitions(store, table + b"\n", origin="copy.csv")
    assert all(d.new_stages == 0 and d.new_events == () for d in again)
    after = store.row_counts()
    assert after["petition_stages"] == before["petition_stages"]
    assert after["petition_events"] == before["petition_events"]
    assert after["raw_payloads"] == before["raw_payloads"] + 1  # the new bytes are kept


def test_stages_come_one_by_one_and_the_ledger_grows(store: SqlStore, table: bytes) -> None:
    """The table cut down to Gascón's filing, then its sample, then all: as releases come."""
    rows = list(csv.DictReader(io.StringIO(table.decode())))
    gascon = next(r for r in rows if r["petition"] == "gascon_2022")
    later = ("sample_size", "sample_valid", "sample_outcome", "full_count_valid", "outcome")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(gascon))
    writer.writeheader()
    writer.writerow({k: "" if k in later else v for k, v in gascon.items()})
    filed_only = out.getvalue()
    ingest_petitions(store, filed_only.encode(), origin="filed.csv")
    assert [e.verdict for e in store.petition_ledger("gascon_2022")] == ["filed"]
    done = ingest_petitions(store, table, origin="petitions.csv", only=["gascon_2022"])
    assert done[0].new_stages == 3
    assert [e.verdict for e in done[0].new_events] == ["full count needed", "failed"]
    assert [e.event_id for e in store.petition_ledger("gascon_2022")] == [1, 2, 3]


def test_what_was_known_on_a_date(store: SqlStore, table: bytes) -> None:
    ingest_petitions(store, table, origin="petitions.csv")
    known = {
        day: [e.verdict for e in store.petition_ledger("gascon_2022", day)]
        for day in (date(2022, 7, 5), date(2022, 7, 6), date(2022, 7, 20), date(2022, 8, 15))
    }
    assert known == {
        date(2022, 7, 5): [],
        date(2022, 7, 6): ["filed"],
        date(2022, 7, 20): ["filed", "full count needed"],
        date(2022, 8, 15): ["filed", "full count needed", "failed"],
    }
    assert [s.stage for s in store.petition_stages("gascon_2022", date(2022, 7, 20))] == [
        "filed",
        "sample",
    ]
    # undated stages are known now, on no date
    assert len(store.petition_stages("price_2024")) == 4
    assert len(store.petition_stages("price_2024", date(2030, 1, 1))) == 1


def test_a_changed_definition_is_the_next_version(store: SqlStore) -> None:
    first = Petition(id="p", jurisdiction="X", office="Mayor")
    assert store.put_petition(first) == 1
    assert store.put_petition(first) == 1
    assert store.put_petition(msgspec.structs.replace(first, office="City Council")) == 2
    assert store.petition("p").office == "City Council"
    assert [p.office for p in store.petitions()] == ["City Council"]


def test_a_sequence_taken_by_another_writer_is_a_conflict(store: SqlStore, table: bytes) -> None:
    ingest_petitions(store, table, origin="petitions.csv", only=["bonin_2021"])
    stored = store.petition_stages("bonin_2021")
    with pytest.raises(SequenceConflict):
        store.commit_petition("bonin_2021", [msgspec.structs.replace(stored[0], words="x")], [])
    assert store.petition_stages("bonin_2021") == stored


def test_a_stage_whose_bytes_are_not_kept_is_refused(store: SqlStore, table: bytes) -> None:
    ingest_petitions(store, table, origin="petitions.csv", only=["bonin_2021"])
    stored = store.petition_stages("bonin_2021")
    stranger = msgspec.structs.replace(stored[-1], sequence=len(stored), content_hash="0" * 64)
    with pytest.raises(StoreError, match="no raw payload 0000"):
        store.commit_petition("bonin_2021", [stranger], [])
    assert store.petition_stages("bonin_2021") == stored


def test_a_table_that_cannot_be_read_is_quarantined(store: SqlStore) -> None:
    with pytest.raises(InputError, match="no column"):
        ingest_petitions(store, b"petition,office\nx,y\n", origin="bad.csv")
    assert [q.origin for q in store.quarantined()] == ["bad.csv"]
    assert store.petitions() == []


def test_an_unknown_petition_named_stores_nothing_of_the_table(
    store: SqlStore, table: bytes
) -> None:
    with pytest.raises(InputError, match="no petition 'nobody'") as refused:
        ingest_petitions(store, table, origin="petitions.csv", only=["nobody"])
    assert "gascon_2022" in (refused.value.hint or "")
    assert store.petitions() == []


class _RacedStore:
    """The real store, with another writer storing the same table just before the first commit
    of a petition's stages."""

    def __init__(self, store: SqlStore, table: bytes) -> None:
        self._store = store
        self._table = table
        self.raced = False

    def commit_petition(self, petition_id: str, stages: list, events: list) -> None:
        if not self.raced:
            self.raced = True
            ingest_petitions(self._store, self._table, origin="other.csv", only=[petition_id])
        self._store.commit_petition(petition_id, stages, events)

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def test_a_writer_that_lost_the_race_reads_again_and_adds_nothing_twice(
    store: SqlStore, table: bytes
) -> None:
    raced = _RacedStore(store, table)
    done = ingest_petitions(raced, table, origin="petitions.csv", only=["gascon_2022"])  # type: ignore[arg-type]
    assert raced.raced
    assert (done[0].new_stages, done[0].new_events) == (0, ())
    assert [s.sequence for s in store.petition_stages("gascon_2022")] == [0, 1, 2, 3]
    assert [e.event_id for e in store.petition_ledger("gascon_2022")] == [1, 2, 3]


def test_a_stage_the_law_cannot_read_stores_nothing_of_the_file(store: SqlStore) -> None:
    reports = (
        "petition,stage,date,raw,required,sample,valid\n"
        "good,filed,2022-07-06,1000,500,,\n"
        "bad,filed,2022-07-06,1000,500,,\n"
        "bad,sample,2022-07-14,,,2000,100\n"
    )
    with pytest.raises(InputError, match=r"larger than the raw count") as refused:
        ingest_petitions(store, reports.encode(), origin="reports.csv")
    assert refused.value.where == "reports.csv, line 4"
    assert store.petitions() == []
    assert [q.origin for q in store.quarantined()] == ["reports.csv"]
    # a later file whose sample cannot follow the stored filing is refused the same way
    ingest_petitions(store, reports.encode()[: reports.index("bad,sample")], origin="filed.csv")
    later = "petition,stage,date,sample,valid\nbad,sample,2022-07-14,2000,100\n"
    with pytest.raises(InputError, match=r"larger than the raw count") as again:
        ingest_petitions(store, later.encode(), origin="later.csv")
    assert again.value.where == "later.csv, line 2"
    assert [s.stage for s in store.petition_stages("bad")] == ["filed"]
