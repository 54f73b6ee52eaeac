"""CAL-ACCESS tables (``sources/calaccess.py``) on the state's own rows (a random sample of 1,000
per table: ids do not join across tables, so these are reading tests, not totals)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from racedesk.errors import InputError
from racedesk.money import versions
from racedesk.sources import calaccess


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    path = shared_data / "money" / "calaccess-sample"
    if not path.is_dir():
        pytest.skip(f"CAL-ACCESS sample not found at {path}")
    return path


def _read(folder: Path, table: str, covers=None):  # type: ignore[no-untyped-def]
    return calaccess.read_table(
        (folder / f"{table}.TSV").read_bytes(), f"{table}.TSV", covers=covers
    )


def test_receipts_read_with_their_schedules(folder: Path) -> None:
    """953 schedule A, 24 C, 11 I and 6 496 Part 3 lines; the 6 Form 401 lines are skipped."""
    filings = _read(folder, "RCPT_CD")
    assert Counter(i.schedule for i in filings.items) == {"A": 953, "C": 24, "I": 11, "F496P3": 6}
    first = filings.items[0]
    assert (first.filing.filing_id, first.tran_id, first.name, first.amount) == (
        "591352", "RCPT_A_22", "Dunn, Philip R.", Decimal("250.00"),
    )  # fmt: skip
    assert first.date is not None and first.date.isoformat() == "2000-02-03"


def test_an_amendment_supersedes_the_original(folder: Path) -> None:
    """Filing 592525 appears in more than one version: only the highest AMEND_ID's lines stay."""
    filings = _read(folder, "RCPT_CD")
    mine = [i for i in filings.items if i.filing.filing_id == "592525"]
    newest = [i for i in versions.newest_versions(filings).items if i.filing.filing_id == "592525"]
    top = max(i.filing.amendment for i in mine)
    assert len({i.filing.amendment for i in mine}) > 1
    assert newest and {i.filing.amendment for i in newest} == {top}
    assert len(versions.newest_versions(filings).items) == 923


def test_every_table_reads(folder: Path) -> None:
    covers = calaccess.read_covers(
        (folder / "CVR_CAMPAIGN_DISCLOSURE_CD.TSV").read_bytes(), where="CVR"
    )
    assert len(covers) == 1000
    counts = {t: len(_read(folder, t, covers).items) for t in calaccess.TABLES if t != "SMRY_CD"}
    assert counts == {
        "RCPT_CD": 994, "EXPN_CD": 998, "S496_CD": 1000, "S497_CD": 1000, "LOAN_CD": 947,
        "DEBT_CD": 1000,
    }  # fmt: skip
    assert len(_read(folder, "SMRY_CD").summaries) == 1000


def test_not_a_table_is_refused() -> None:
    with pytest.raises(InputError, match="not a CAL-ACCESS table"):
        calaccess.read_table(b"A\tB\n1\t2\n", "RCPT_CD.TSV")
    with pytest.raises(InputError, match="Tran_Amt1 is not an amount"):
        calaccess.read_table(
            b"FILING_ID\tAMEND_ID\tFORM_TYPE\tTRAN_ID\tAMOUNT\n1\t0\tA\tT\tmany\n", "RCPT_CD.TSV"
        )
