"""Money payloads in the store (issue 21): kept append-only with their bytes, once, with the
filings they hold; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from racedesk.model import RawPayload
from racedesk.money.filings import Filing
from racedesk.sources import netfile
from racedesk.store.base import StoredFiling
from racedesk.store.sql import SqlStore


def _payload(data: bytes, name: str) -> RawPayload:
    return RawPayload.of(
        data, source="money:netfile", received_at=datetime(2026, 12, 6, tzinfo=UTC), origin=name
    )


@pytest.fixture(scope="module")
def yee_summary(shared_data: Path) -> tuple[bytes, str]:
    path = (
        shared_data
        / "money"
        / "netfile-oakland-fixtures"
        / "deduplicate_460_497_within_1_day_of_deadline"
        / "Summary.csv"
    )
    if not path.is_file():
        pytest.skip(f"Oakland fixture not found at {path}")
    return path.read_bytes(), path.name


def _stored(raw: RawPayload, name: str) -> list[StoredFiling]:
    filings = netfile.read_filings(raw.data, name)
    lines: dict[Filing, int] = {}
    for s in filings.summaries:
        lines[s.filing] = lines.get(s.filing, 0) + 1
    return [
        StoredFiling(content_hash=raw.content_hash, filing=f, lines=n) for f, n in lines.items()
    ]


def test_a_money_payload_is_kept_once_with_its_bytes(
    store: SqlStore, yee_summary: tuple[bytes, str]
) -> None:
    data, name = yee_summary
    raw = _payload(data, name)
    filings = _stored(raw, name)
    assert store.put_money(raw, "netfile", filings) is True
    assert store.put_money(raw, "netfile", filings) is False
    (kept,) = store.money_payloads()
    assert (kept.content_hash, kept.format, kept.origin) == (raw.content_hash, "netfile", name)
    back = store.raw(raw.content_hash)
    assert back is not None and back.data == data
    assert store.money_filings() == filings
    assert len(filings) == 10  # the committee's 460s: 6 originals, 3 first and 1 second amendments
    assert store.row_counts()["money_filings"] == 10
