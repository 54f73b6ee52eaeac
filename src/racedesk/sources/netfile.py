"""NetFile "efile" exports: a workbook with one sheet per schedule, or the same sheets as CSV
files (``efile_BRK_2017_A-Contributions.csv``), every row in the CAL format's columns
(``../shared/data/money/SOURCES.md``; ``../shared/domain/campaign-finance.md``).

Each sheet becomes :class:`~racedesk.money.filings.Item` lines or, for ``Summary``,
:class:`~racedesk.money.filings.SummaryLine`. The schedule comes from the sheet's name, never
from ``Form_Type`` (Oakland's exports write ``00:00:00`` there). ``Report_Num`` is the
amendment (000 the original). Nothing is summed here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import PurePath
from typing import TypedDict

from racedesk.errors import InputError
from racedesk.money.filings import Filing, Filings, Item, SummaryLine
from racedesk.sources import cal_fields as cal
from racedesk.sources.safety import check_size, decode_text

NAME = "netfile"

#: The export's sheets and the schedule (or form part) each holds.
SHEETS = {
    "A-Contributions": "A",
    "B1-Loans": "B1",
    "B2-Loans": "B2",
    "C-Contributions": "C",
    "D-Expenditure": "D",
    "E-Expenditure": "E",
    "F-Expenses": "F",
    "G-Expenditure": "G",
    "H-Loans": "H",
    "I-Contributions": "I",
    "F461P5-Expenditure": "F461P5",
    "F465P3-Expenditure": "F465P3",
    "F496P3-Contributions": "F496P3",
    "496": "F496",
    "497": "F497",
    "Summary": "Summary",
}
_COMMON = ("Filer_ID", "Filer_NamL", "Report_Num")


def sheet_of(name: str) -> str | None:
    """The sheet a CSV file holds, from its name (``efile_BRK_2017_D-Expenditure.csv`` → D)."""
    stem = PurePath(name).stem
    for sheet in sorted(SHEETS, key=len, reverse=True):
        if stem == sheet or stem.endswith(("_" + sheet, "-" + sheet, " " + sheet)):
            return sheet
    return None


def sniff(data: bytes, name: str) -> bool:
    """A NetFile export: an xlsx whose name says efile, or a CSV of a known sheet."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return data[:4] == b"PK\x03\x04" and "efile" in lower
    return lower.endswith(".csv") and sheet_of(name) is not None and b"Filer_ID" in data[:200]


def _filing(row: Mapping[str, object], form: str, where: str) -> Filing:
    name = cal.text(row, "Filer_NamL")
    return Filing(
        filer_id=cal.filer_id(cal.text(row, "Filer_ID"), name),
        filer_name=name,
        form=form,
        amendment=cal.version(row.get("Report_Num"), "Report_Num", where),
        filed=cal.day(row, "Rpt_Date", where),
        start=cal.day(row, "From_Date", where),
        end=cal.day(row, "Thru_Date", where),
        committee_type=cal.text(row, "Committee_Type"),
    )


def _receipt(row: Mapping[str, object], schedule: str, filing: Filing, where: str) -> Item:
    """A contribution received (A, C, I, 496 Part 3)."""
    return Item(
        filing=filing,
        schedule=schedule,
        tran_id=cal.text(row, "Tran_ID"),
        amount=cal.amount(row, "Tran_Amt1", where) or cal.ZERO,
        cumulative=cal.amount(row, "Tran_Amt2", where),
        date=cal.day(row, "Tran_Date", where),
        name=cal.full_name(cal.text(row, "Tran_NamL"), cal.text(row, "Tran_NamF")),
        entity=cal.text(row, "Entity_Cd"),
        code=cal.text(row, "Tran_Type"),
        committee_id=cal.text(row, "Cmte_ID"),
        memo=cal.memo(cal.text(row, "Memo_Code")),
        description=cal.text(row, "Tran_Dscr"),
    )


class _Sided(TypedDict):
    candidate: str
    office: str
    jurisdiction: str
    district: str
    measure: str
    measure_number: str
    position: str


def _sided(row: Mapping[str, object]) -> _Sided:
    """The candidate or measure a line names, and the position."""
    return _Sided(
        **{
            "candidate": cal.full_name(cal.text(row, "Cand_NamL"), cal.text(row, "Cand_NamF")),
            "office": cal.text(row, "Office_Cd") or cal.text(row, "Offic_Dscr"),
            "jurisdiction": cal.text(row, "Juris_Dscr") or cal.text(row, "Juris_Cd"),
            "district": cal.text(row, "Dist_No"),
            "measure": cal.text(row, "Bal_Name"),
            "measure_number": cal.text(row, "Bal_Num"),
            "position": cal.text(row, "Sup_Opp_Cd").upper(),
        }
    )


def _expenditure(row: Mapping[str, object], schedule: str, filing: Filing, where: str) -> Item:
    """A payment or expenditure (D, E, G, 461 Part 5, 465 Part 3, 496)."""
    late = schedule == "F496"
    return Item(
        filing=filing,
        schedule=schedule,
        tran_id=cal.text(row, "Tran_ID"),
        amount=cal.amount(row, "Amount", where) or cal.ZERO,
        cumulative=None if late else cal.amount(row, "Cum_YTD", where),
        date=cal.day(row, "Exp_Date" if late else "Expn_Date", where),
        name=cal.full_name(cal.text(row, "Payee_NamL"), cal.text(row, "Payee_NamF")),
        entity=cal.text(row, "Entity_Cd"),
        code="IND" if late else cal.text(row, "Expn_Code"),
        committee_id=cal.text(row, "Cmte_ID"),
        memo=cal.memo(cal.text(row, "Memo_Code")),
        description=cal.text(row, "Expn_Dscr"),
        **_sided(row),
    )


def _expense(row: Mapping[str, object], schedule: str, filing: Filing, where: str) -> Item:
    """An accrued expense (F): the amount incurred this period; paid ones reappear on E."""
    return Item(
        filing=filing,
        schedule="F",
        tran_id=cal.text(row, "Tran_ID"),
        amount=cal.amount(row, "Amt_Incur", where) or cal.ZERO,
        cumulative=cal.amount(row, "End_Bal", where),
        name=cal.full_name(cal.text(row, "Payee_NamL"), cal.text(row, "Payee_NamF")),
        entity=cal.text(row, "Entity_Cd"),
        code=cal.text(row, "Expn_Code"),
        memo=cal.memo(cal.text(row, "Memo_Code")),
        description=cal.text(row, "Expn_Dscr"),
    )


def _loan(row: Mapping[str, object], schedule: str, filing: Filing, where: str) -> Item:
    """A loan received (B1, B2) or made (H): the amount borrowed this period."""
    return Item(
        filing=filing,
        schedule=schedule,
        tran_id=cal.text(row, "Tran_ID"),
        amount=cal.amount(row, "Loan_Amt1", where) or cal.ZERO,
        cumulative=cal.amount(row, "Loan_Amt4", where),
        date=cal.day(row, "Loan_Date1", where),
        name=cal.full_name(cal.text(row, "Lndr_NamL"), cal.text(row, "Lndr_NamF")),
        entity=cal.text(row, "Entity_Cd"),
        committee_id=cal.text(row, "Cmte_ID"),
        memo=cal.memo(cal.text(row, "Memo_Code")),
    )


def _late_contribution(
    row: Mapping[str, object], schedule: str, filing: Filing, where: str
) -> Item:
    """A 497 line: Part 1 received, Part 2 made."""
    return Item(
        filing=filing,
        schedule=schedule,
        tran_id=cal.text(row, "Tran_ID"),
        amount=cal.amount(row, "Amount", where) or cal.ZERO,
        date=cal.day(row, "Ctrib_Date", where),
        name=cal.full_name(cal.text(row, "Enty_NamL"), cal.text(row, "Enty_NamF")),
        entity=cal.text(row, "Entity_Cd"),
        committee_id=cal.text(row, "Cmte_ID"),
        memo=cal.memo(cal.text(row, "Memo_Code")),
        **_sided(row),
    )


def _summary(row: Mapping[str, object], part: str, filing: Filing, where: str) -> SummaryLine:
    return SummaryLine(
        filing=filing,
        part=part,
        line=cal.text(row, "Line_Item"),
        this_period=cal.amount(row, "Amount_A", where) or cal.ZERO,
        year_to_date=cal.amount(row, "Amount_B", where),
    )


#: What reads each kind of line: a row, its schedule, its filing, where it is.
Build = Callable[[Mapping[str, object], str, Filing, str], Item]
BUILDERS: dict[str, Build] = {
    **dict.fromkeys(("A", "C", "I", "F496P3"), _receipt),
    **dict.fromkeys(("D", "E", "G", "F461P5", "F465P3", "F496"), _expenditure),
    **dict.fromkeys(("B1", "B2", "H"), _loan),
    "F": _expense,
    "F497P1": _late_contribution,
    "F497P2": _late_contribution,
}
FilingOf = Callable[[Mapping[str, object], str, str], Filing]


def schedule_of(sheet: str, row: Mapping[str, object]) -> str:
    """The schedule of a row: the sheet's, or for the 497 sheet the row's part (P1, P2)."""
    schedule = SHEETS[sheet]
    if schedule == "F497":
        part = cal.text(row, "Form_Type").upper()
        return part if part in ("F497P1", "F497P2") else "F497P1"
    if schedule == "Summary":
        return cal.text(row, "Form_Type").upper() or "F460"
    return schedule


def read_item(row: Mapping[str, object], schedule: str, filing_of: FilingOf, where: str) -> Item:
    """One row as a line of ``schedule``."""
    filing = filing_of(row, cal.FORM_OF.get(schedule, schedule), where)
    return BUILDERS[schedule](row, schedule, filing, where)


def read_summary(
    row: Mapping[str, object], part: str, filing_of: FilingOf, where: str
) -> SummaryLine:
    """One row as a summary line of ``part`` (``F460`` the summary page, or a schedule)."""
    return _summary(row, part, filing_of(row, cal.FORM_OF.get(part, part), where), where)


def read_rows(
    rows: Iterable[Mapping[str, object]], sheet: str, where: str, filing_of: FilingOf = _filing
) -> Filings:
    """One sheet's rows (header names as keys) as filings; row numbers count the header as 1."""
    items: list[Item] = []
    summaries: list[SummaryLine] = []
    for number, row in enumerate(rows, start=2):
        at = f"{where}, sheet {sheet}, row {number}"
        if not any(cal.text(row, f) for f in _COMMON):
            continue
        if sheet == "Summary":
            summaries.append(read_summary(row, schedule_of(sheet, row), filing_of, at))
        else:
            items.append(read_item(row, schedule_of(sheet, row), filing_of, at))
    return Filings(items=tuple(items), summaries=tuple(summaries))


def _require(header: Iterable[object], sheet: str, where: str) -> list[str]:
    names = ["" if h is None else str(h).strip() for h in header]
    missing = [c for c in _COMMON if c not in names]
    if missing:
        raise InputError(
            f"sheet {sheet} lacks the column(s) {', '.join(missing)}: not a NetFile export",
            where=where,
        )
    return names


def read_csv(data: bytes, name: str, *, where: str = "") -> Filings:
    """One sheet exported as CSV; the sheet is named by the file's name."""
    where = where or name
    sheet = sheet_of(name)
    if sheet is None:
        raise InputError(
            f"the file name does not say which sheet it holds (one of {', '.join(SHEETS)})",
            where=where,
        )
    reader = csv.reader(io.StringIO(decode_text(check_size(data, where), where, what="CSV")))
    header = _require(next(reader, []), sheet, where)
    return read_rows((dict(zip(header, r, strict=False)) for r in reader), sheet, where)


def _sheet_rows(sheet: object, name: str, where: str) -> Iterator[dict[str, object]]:
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    header = _require(next(rows, ()), name, where)
    for values in rows:
        yield dict(zip(header, values, strict=False))


def read_workbook(data: bytes, *, where: str) -> Filings:
    """A whole export workbook: every known sheet (others are ignored, and named in none)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(check_size(data, where)), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise InputError(f"not a readable xlsx workbook ({exc})", where=where) from None
    try:
        found = Filings()
        for sheet in book.worksheets:
            if sheet.title in SHEETS:
                found = found + read_rows(
                    _sheet_rows(sheet, sheet.title, where), sheet.title, where
                )
        return found
    finally:
        book.close()


def read_filings(data: bytes, name: str, *, where: str = "") -> Filings:
    """A workbook or one of its CSV sheets, by the file's name."""
    if name.lower().endswith(".xlsx"):
        return read_workbook(data, where=where or name)
    return read_csv(data, name, where=where)
