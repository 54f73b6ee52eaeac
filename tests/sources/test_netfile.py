"""NetFile exports (``sources/netfile.py``): Berkeley's 2017 and 2018 workbooks load whole, the
CSV sheets say the same, and bad input is an InputError that says where."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from racedesk.errors import InputError
from racedesk.money.filings import Filings
from racedesk.sources import netfile


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    path = shared_data / "money" / "netfile-berkeley-2017-2018"
    if not path.is_dir():
        pytest.skip(f"Berkeley exports not found at {path}")
    return path


@pytest.fixture(scope="module")
def workbooks(folder: Path) -> dict[int, Filings]:
    return {
        year: netfile.read_filings((folder / name).read_bytes(), name)
        for year, name in ((y, f"efile_BRK_{y}.xlsx") for y in (2017, 2018))
    }


def test_berkeley_2017_loads_whole(workbooks: dict[int, Filings]) -> None:
    """Every row of every sheet: 2,251 schedule A lines, 650 E, 4,322 summary lines, 69 497s,
    9 496s (SOURCES.md)."""
    filings = workbooks[2017]
    counts = Counter(i.schedule for i in filings.items)
    assert counts == {
        "A": 2251, "E": 650, "F": 94, "F497P1": 69, "G": 60, "B1": 38, "F496P3": 28,
        "C": 26, "D": 17, "F496": 9, "I": 8,
    }  # fmt: skip
    assert len(filings.summaries) == 4322


def test_berkeley_2018_loads_whole(workbooks: dict[int, Filings]) -> None:
    filings = workbooks[2018]
    assert Counter(i.schedule for i in filings.items) == {
        "C": 40, "E": 35, "A": 24, "I": 3, "F": 3, "B1": 3,
    }  # fmt: skip
    assert len(filings.summaries) == 405


@pytest.mark.parametrize("year", [2017, 2018])
def test_the_csv_sheets_say_what_the_workbook_says(
    folder: Path, workbooks: dict[int, Filings], year: int
) -> None:
    from_csv = Filings()
    for path in sorted(folder.glob(f"efile_BRK_{year}_*.csv")):
        from_csv = from_csv + netfile.read_filings(path.read_bytes(), path.name)
    workbook = workbooks[year]
    assert Counter(from_csv.items) == Counter(workbook.items)
    assert Counter(from_csv.summaries) == Counter(workbook.summaries)


def test_a_filer_without_an_id_is_named(workbooks: dict[int, Filings]) -> None:
    """Berkeley shows "Pending" for a committee without an FPPC id yet."""
    filings = workbooks[2017]
    pending = {i.filing.filer_id for i in filings.items if i.filing.filer_id.startswith("name:")}
    assert "name:Re-Elect Mayor Jesse Arreguin 2020" in pending


def test_the_sheet_comes_from_the_file_name() -> None:
    assert netfile.sheet_of("efile_BRK_2017_D-Expenditure.csv") == "D-Expenditure"
    assert netfile.sheet_of("efile_BRK_2017_496.csv") == "496"
    assert netfile.sheet_of("efile_BRK_2017_F496P3-Contributions.csv") == "F496P3-Contributions"
    assert netfile.sheet_of("notes.csv") is None


def test_a_bad_amount_says_which_row() -> None:
    data = b"Filer_ID,Filer_NamL,Report_Num,Tran_ID,Tran_Amt1\n1,X,000,T1,12.50\n1,X,000,T2,lots\n"
    with pytest.raises(InputError) as caught:
        netfile.read_csv(data, "A-Contributions.csv")
    assert caught.value.where == "A-Contributions.csv, sheet A-Contributions, row 3"
    assert "Tran_Amt1" in caught.value.problem


def test_a_file_that_is_no_export_is_refused() -> None:
    with pytest.raises(InputError, match="lacks the column"):
        netfile.read_csv(b"a,b\n1,2\n", "A-Contributions.csv")
    with pytest.raises(InputError, match="which sheet"):
        netfile.read_csv(b"Filer_ID\n", "notes.csv")
    with pytest.raises(InputError, match="not a readable xlsx"):
        netfile.read_filings(b"PK\x03\x04 not really", "efile.xlsx")
