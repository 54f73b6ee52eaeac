"""The CAL format's values as the money adapters meet them (``netfile``, ``netfile_api``,
``calaccess``): amounts, dates, filer ids and memo flags, each read once here and refused with
an :class:`~racedesk.errors.InputError` that says which field of which row.

The record layout is the FPPC's CAL format (``../shared/domain/campaign-finance.md``): the same
field names (``Tran_Amt1``, ``Sup_Opp_Cd`` …) under CAL-ACCESS, NetFile exports and NetFile's API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from racedesk.errors import InputError

#: The schedule of each 460 line's schedule letter, and the form a schedule or part is filed on.
FORM_OF = {
    **dict.fromkeys(("A", "B1", "B2", "C", "D", "E", "F", "G", "H", "I"), "F460"),
    "F461P5": "F461",
    "F465P3": "F465",
    "F496": "F496",
    "F496P2": "F496",
    "F496P3": "F496",
    "F497P1": "F497",
    "F497P2": "F497",
}
#: Filer ids a filing officer shows for a committee without an FPPC id yet.
NO_ID = frozenset({"", "PENDING", "NONE", "NULL"})
_CENT = Decimal("0.01")
ZERO = Decimal(0)


def text(row: Mapping[str, object], field: str) -> str:
    """A field as stripped text ('' when absent or empty)."""
    value = row.get(field)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def amount(row: Mapping[str, object], field: str, where: str) -> Decimal | None:
    """A money field to the cent, None when empty."""
    value = row.get(field)
    if value is None or value == "":
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(f"{field} is not an amount: {value!r}", where=where) from None
    if not number.is_finite():
        raise InputError(f"{field} is not an amount: {value!r}", where=where)
    return number.quantize(_CENT)


def day(row: Mapping[str, object], field: str, where: str) -> date | None:
    """A date field (an ISO date, an ISO date and time, or a spreadsheet's datetime)."""
    value = row.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    first = raw.split()[0].split("T")[0]
    for form in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(first, form).date()
        except ValueError:
            continue
    raise InputError(f"{field} is not a date: {raw!r}", where=where)


def version(value: object, field: str, where: str) -> int:
    """An amendment number (``Report_Num`` "001", ``AMEND_ID`` 2); 0 when empty."""
    raw = "" if value is None else str(value).strip()
    if raw == "":
        return 0
    try:
        return int(float(raw))
    except ValueError:
        raise InputError(f"{field} is not an amendment number: {raw!r}", where=where) from None


def filer_id(raw: str, name: str) -> str:
    """The FPPC id, or ``name:`` and the committee's name when the filer has none yet."""
    if raw.upper() in NO_ID:
        return f"name:{name.strip()}"
    return raw


def memo(value: str) -> bool:
    """``Memo_Code`` set (``X``; some exports write ``t`` or ``true``)."""
    return value.strip().upper() in ("X", "T", "TRUE", "Y")


def full_name(last: str, first: str) -> str:
    """A name as filed: last name, then first when there is one."""
    return f"{last}, {first}" if first and last else (last or first)
