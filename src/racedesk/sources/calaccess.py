"""CAL-ACCESS, the Secretary of State's tables of campaign filings (``dbwebexport.zip``,
``CalAccess/DATA/*.TSV``: tab-separated, one table per file; ``../shared/domain/
campaign-finance.md``; columns described in ``calaccess-sample/
DERIVED_calaccess_field_dictionary.csv``).

Lines are read from ``RCPT_CD`` (460 A, C, I; 496 Part 3), ``EXPN_CD`` (D, E, G; 461 Part 5;
465 Part 3), ``S496_CD``, ``S497_CD``, ``LOAN_CD`` (B1, B2, H), ``DEBT_CD`` (F) and ``SMRY_CD``
(summaries). A line's filing is its ``FILING_ID``; an amendment keeps the id and raises
``AMEND_ID`` (the version). The filer and the period are on the cover
(``CVR_CAMPAIGN_DISCLOSURE_CD``): :func:`read_covers` reads them, and without a cover a filing
stands for itself (``filing:`` and its id). Lines of other forms in these tables (401, 450,
635 …) are not campaign statements of this desk's and are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import PurePath

from racedesk.errors import InputError
from racedesk.money.filings import Filing, Filings, Item, SummaryLine
from racedesk.sources import cal_fields as cal
from racedesk.sources import netfile
from racedesk.sources.safety import check_size

NAME = "calaccess"
#: The tables read, and the NetFile sheet whose readers their lines share.
TABLES = ("RCPT_CD", "EXPN_CD", "S496_CD", "S497_CD", "LOAN_CD", "DEBT_CD", "SMRY_CD")
#: CAL-ACCESS's column names where NetFile's exports spell the same field differently.
_RENAMED = {
    "CTRIB_NAML": "Tran_NamL",
    "CTRIB_NAMF": "Tran_NamF",
    "RCPT_DATE": "Tran_Date",
    "CTRIB_DSCR": "Tran_Dscr",
    "TRAN_TYPE": "Tran_Type",
    "PAYEE_NAML": "Payee_NamL",
    "PAYEE_NAMF": "Payee_NamF",
    "EXPN_DATE": "Expn_Date",
    "EXPN_CODE": "Expn_Code",
    "EXPN_DSCR": "Expn_Dscr",
    "EXP_DATE": "Exp_Date",
    "ENTY_NAML": "Enty_NamL",
    "ENTY_NAMF": "Enty_NamF",
    "CTRIB_DATE": "Ctrib_Date",
    "LNDR_NAML": "Lndr_NamL",
    "LNDR_NAMF": "Lndr_NamF",
    "LOAN_DATE1": "Loan_Date1",
    "LOAN_AMT1": "Loan_Amt1",
    "LOAN_AMT4": "Loan_Amt4",
    "AMT_INCUR": "Amt_Incur",
    "END_BAL": "End_Bal",
    "LINE_ITEM": "Line_Item",
    "AMOUNT_A": "Amount_A",
    "AMOUNT_B": "Amount_B",
    "FORM_TYPE": "Form_Type",
    "TRAN_ID": "Tran_ID",
    "ENTITY_CD": "Entity_Cd",
    "CMTE_ID": "Cmte_ID",
    "MEMO_CODE": "Memo_Code",
    "CAND_NAML": "Cand_NamL",
    "CAND_NAMF": "Cand_NamF",
    "OFFICE_CD": "Office_Cd",
    "OFFIC_DSCR": "Offic_Dscr",
    "JURIS_CD": "Juris_Cd",
    "JURIS_DSCR": "Juris_Dscr",
    "DIST_NO": "Dist_No",
    "BAL_NAME": "Bal_Name",
    "BAL_NUM": "Bal_Num",
    "SUP_OPP_CD": "Sup_Opp_Cd",
}
Covers = Mapping[tuple[str, int], Filing]


def table_of(name: str) -> str | None:
    """The table a file holds, from its name (``RCPT_CD.TSV`` → ``RCPT_CD``)."""
    stem = PurePath(name).stem.upper()
    return stem if stem in (*TABLES, "CVR_CAMPAIGN_DISCLOSURE_CD") else None


def sniff(data: bytes, name: str) -> bool:
    return table_of(name) is not None and data[:12].upper().startswith(b"FILING_ID\t")


def _rows(data: bytes, where: str) -> csv.DictReader[str]:
    # the state's export is Windows-1252 text with CRLF line ends
    text = check_size(data, where).decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    if not reader.fieldnames or reader.fieldnames[:2] != ["FILING_ID", "AMEND_ID"]:
        raise InputError(
            "does not start with FILING_ID, AMEND_ID: not a CAL-ACCESS table", where=where
        )
    return reader


def read_covers(data: bytes, *, where: str) -> dict[tuple[str, int], Filing]:
    """``CVR_CAMPAIGN_DISCLOSURE_CD``: each (filing, amendment)'s filer, form and period."""
    covers = {}
    reader = _rows(data, where)
    for row in reader:
        at = f"{where}, line {reader.line_num}"
        amendment = cal.version(row["AMEND_ID"], "AMEND_ID", at)
        name = cal.full_name(row.get("FILER_NAML", ""), row.get("FILER_NAMF", ""))
        covers[(row["FILING_ID"], amendment)] = Filing(
            filer_id=cal.filer_id(row.get("FILER_ID", "").strip(), name),
            filer_name=name,
            form=row.get("FORM_TYPE", "").strip(),
            amendment=amendment,
            filed=cal.day(row, "RPT_DATE", at),
            start=cal.day(row, "FROM_DATE", at),
            end=cal.day(row, "THRU_DATE", at),
            committee_type=row.get("CMTTE_TYPE", "").strip(),
            filing_id=row["FILING_ID"],
        )
    return covers


def _filing_of(covers: Covers) -> netfile.FilingOf:
    def filing_of(row: Mapping[str, object], form: str, where: str) -> Filing:
        filing_id = cal.text(row, "FILING_ID")
        amendment = cal.version(row.get("AMEND_ID"), "AMEND_ID", where)
        cover = covers.get((filing_id, amendment))
        if cover is not None:
            return cover
        return Filing(
            filer_id=f"filing:{filing_id}",
            filer_name="",
            form=form,
            amendment=amendment,
            filing_id=filing_id,
        )

    return filing_of


def read_table(data: bytes, name: str, *, where: str = "", covers: Covers | None = None) -> Filings:
    """One table's lines of the forms this desk counts (others skipped)."""
    where = where or name
    table = table_of(name)
    if table is None or table == "CVR_CAMPAIGN_DISCLOSURE_CD":
        raise InputError(f"not a table of lines ({', '.join(TABLES)})", where=where)
    filing_of = _filing_of(covers or {})
    items: list[Item] = []
    summaries: list[SummaryLine] = []
    reader = _rows(data, where)
    amount = "Tran_Amt1" if table == "RCPT_CD" else "Amount"
    cumulative = "Tran_Amt2" if table == "RCPT_CD" else "Cum_YTD"
    for raw in reader:
        at = f"{where}, line {reader.line_num}"
        row: dict[str, object] = {_RENAMED.get(k, k): v for k, v in raw.items() if k}
        row[amount], row[cumulative] = raw.get("AMOUNT"), raw.get("CUM_YTD")
        part = cal.text(row, "Form_Type").upper()
        if table == "SMRY_CD":
            summaries.append(netfile.read_summary(row, part, filing_of, at))
        elif part in netfile.BUILDERS:
            items.append(netfile.read_item(row, part, filing_of, at))
    return Filings(items=tuple(items), summaries=tuple(summaries))
