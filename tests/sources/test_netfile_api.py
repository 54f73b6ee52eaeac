"""NetFile's API v2 (``sources/netfile_api.py``) on its redacted sample responses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from racedesk.errors import InputError
from racedesk.sources import netfile_api


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    path = shared_data / "money" / "netfile-api-v2-samples"
    if not path.is_dir():
        pytest.skip(f"NetFile API samples not found at {path}")
    return path


def test_a_filing_names_its_filer_period_and_version(folder: Path) -> None:
    index = netfile_api.read_filings_index(
        (folder / "netfile_samples_filings.json").read_bytes(), where="filings"
    )
    filing = index["99a560e8-13f9-4559-b6b7-4229a41b70ae"]
    assert (filing.filer_id, filing.form, filing.amendment) == ("1449857", "F460", 0)
    assert (filing.start.isoformat(), filing.end.isoformat()) == ("2023-01-01", "2023-09-08")  # type: ignore[union-attr]


def test_a_transaction_is_a_schedule_e_payment(folder: Path) -> None:
    """T-Mobile, 151.41 on 2012-07-30, running total 1,116.52 kept apart (rule 6)."""
    found = netfile_api.read_transactions(
        (folder / "netfile_samples_transactions.json").read_bytes(), where="transactions"
    )
    (item,) = found.items
    assert (item.schedule, item.tran_id, item.name, item.code) == ("E", "EXP600", "T-Mobile", "OFC")
    assert (item.amount, item.cumulative) == (Decimal("151.41"), Decimal("1116.52"))
    assert item.filing.filer_id == "netfile:124085310" and not item.memo


def test_bad_json_is_refused() -> None:
    with pytest.raises(InputError, match="not JSON"):
        netfile_api.read_transactions(b"{", where="t.json")
    with pytest.raises(InputError, match="no CAL record"):
        netfile_api.read_transactions(b'[{"calTransactionType": "F460A"}]', where="t.json")
