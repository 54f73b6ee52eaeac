"""NetFile's campaign API, version 2 (``https://netfile.com/api/campaign``, filing model V101):
JSON lists of filings and of transactions (``../shared/data/money/netfile-api-v2-samples/``).

A transaction carries the CAL record in camelCase (``tranNamL``, ``tranAmt1``, ``entityCd``,
``supOppCd``, ``memoCode`` …) and its schedule in ``calTransactionType`` (``F460A``, ``F497P1``
…); its filing is ``filingNid``. A filing gives the filer (the state's id in
``filerMeta.strings["Registration_CA SOS"]`` when there is one, else NetFile's ``filerNid``),
the form, the period and the amendment (``amendmentSequence``; the original has none, 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from racedesk.errors import InputError
from racedesk.money.filings import Filing, Filings, Item
from racedesk.sources import cal_fields as cal
from racedesk.sources import netfile
from racedesk.sources.safety import check_size

NAME = "netfile-api"
#: CAL fields of a transaction and the NetFile export columns the readers know them by.
_ALIASES = {
    "tranId": ("Tran_ID",),
    "tranNamL": ("Tran_NamL", "Payee_NamL", "Enty_NamL", "Lndr_NamL"),
    "tranNamF": ("Tran_NamF", "Payee_NamF", "Enty_NamF", "Lndr_NamF"),
    "tranDate": ("Tran_Date", "Expn_Date", "Ctrib_Date", "Exp_Date"),
    "tranAmt1": ("Tran_Amt1", "Amount"),
    "tranAmt2": ("Tran_Amt2", "Cum_YTD"),
    "tranCode": ("Expn_Code",),
    "tranType": ("Tran_Type",),
    "tranDscr": ("Tran_Dscr", "Expn_Dscr"),
    "entityCd": ("Entity_Cd",),
    "cmteId": ("Cmte_ID",),
    "candNamL": ("Cand_NamL",),
    "candNamF": ("Cand_NamF",),
    "officeCd": ("Office_Cd",),
    "officeDscr": ("Offic_Dscr",),
    "jurisCd": ("Juris_Cd",),
    "jurisDscr": ("Juris_Dscr",),
    "distNo": ("Dist_No",),
    "balName": ("Bal_Name",),
    "balNum": ("Bal_Num",),
    "supOppCd": ("Sup_Opp_Cd",),
    "loanAmt1": ("Loan_Amt1",),
    "loanAmt4": ("Loan_Amt4",),
    "loanDate1": ("Loan_Date1",),
    "amtIncur": ("Amt_Incur",),
    "endBal": ("End_Bal",),
}


def _json_list(data: bytes, where: str) -> list[dict[str, Any]]:
    try:
        found = msgspec.json.decode(check_size(data, where))
    except msgspec.DecodeError as exc:
        raise InputError(f"not JSON ({exc})", where=where) from None
    if isinstance(found, dict) and isinstance(found.get("results"), list):
        found = found["results"]  # a page of the API: {"results": [...], ...}
    if not isinstance(found, list) or not all(isinstance(x, dict) for x in found):
        raise InputError("expected a list of NetFile API records", where=where)
    return found


def schedule_of(cal_type: str) -> str:
    """``F460A`` → ``A``, ``F496P2`` → ``F496``, ``F497P1`` stays."""
    if cal_type.startswith("F460") and len(cal_type) > 4:
        return cal_type[4:]
    return "F496" if cal_type == "F496P2" else cal_type


def read_filings_index(data: bytes, *, where: str) -> dict[str, Filing]:
    """A list of filings: each ``filingNid``'s filer, form, period and amendment."""
    index = {}
    for number, record in enumerate(_json_list(data, where)):
        at = f"{where}, filing {number}"
        meta = record.get("filingMeta") or {}
        filer = record.get("filerMeta") or {}
        name = str(filer.get("commonName") or "")
        state_id = str((filer.get("strings") or {}).get("Registration_CA SOS") or "")
        spec = (record.get("specificationRef") or {}).get("name", "")
        index[str(record.get("filingNid", ""))] = Filing(
            filer_id=state_id or cal.filer_id(str(filer.get("filerId") or ""), name),
            filer_name=name,
            form=str(spec).replace("FPPC", "F"),
            amendment=cal.version(meta.get("amendmentSequence"), "amendmentSequence", at),
            filed=cal.day(meta, "legalFilingDate", at),
            start=cal.day(meta, "startDate", at),
            end=cal.day(meta, "endDate", at),
            filing_id=str(record.get("originalFilingId") or record.get("filingNid") or ""),
        )
    return index


def read_transactions(
    data: bytes, *, where: str, filings: Mapping[str, Filing] | None = None
) -> Filings:
    """A list of transactions as lines; a transaction of a filing not in ``filings`` stands on
    its own filing (``netfile:`` and the filer's NetFile id)."""
    known = filings or {}
    items: list[Item] = []
    for number, record in enumerate(_json_list(data, where)):
        at = f"{where}, transaction {number}"
        cal_record = record.get("transaction")
        if not isinstance(cal_record, dict):
            raise InputError("transaction has no CAL record", where=at)
        schedule = schedule_of(
            str(record.get("calTransactionType") or cal_record.get("calTransactionType") or "")
        )
        if schedule not in netfile.BUILDERS:
            continue
        row: dict[str, object] = {}
        for field, names in _ALIASES.items():
            for name in names:
                row[name] = cal_record.get(field)
        row["Memo_Code"] = "X" if cal_record.get("memoCode") else ""
        filing_nid = str(record.get("filingNid", ""))
        filing = known.get(filing_nid) or Filing(
            filer_id=f"netfile:{record.get('filerNid', '')}",
            filer_name="",
            form=cal.FORM_OF.get(schedule, schedule),
            filing_id=filing_nid,
        )
        items.append(netfile.BUILDERS[schedule](row, schedule, filing, at))
    return Filings(items=tuple(items))
