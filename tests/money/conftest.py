"""Real filings for the money tests, read once per session from ``../shared/data/money``."""

from __future__ import annotations

from pathlib import Path

import pytest

from racedesk.money.filings import Filings
from racedesk.sources import netfile

from .reading import read_folder


@pytest.fixture(scope="session")
def money_data(shared_data: Path) -> Path:
    path = shared_data / "money"
    if not path.is_dir():
        pytest.skip(f"campaign-finance data not found at {path}")
    return path


@pytest.fixture(scope="session")
def oakland(money_data: Path) -> Path:
    return money_data / "netfile-oakland-fixtures"


@pytest.fixture(scope="session")
def yee_case(oakland: Path) -> Filings:
    """A committee's 496s for Gary Yee that its later 460 re-reports on schedule D."""
    return read_folder(oakland / "deduplicate_460_497_within_1_day_of_deadline")


@pytest.fixture(scope="session")
def berkeley(money_data: Path) -> dict[int, Filings]:
    folder = money_data / "netfile-berkeley-2017-2018"
    return {
        year: netfile.read_filings(
            (folder / f"efile_BRK_{year}.xlsx").read_bytes(), f"efile_BRK_{year}.xlsx"
        )
        for year in (2017, 2018)
    }
