"""The rules against counting a dollar twice (``../shared/domain/campaign-finance.md``, "Rules
against double counting"), each a function of filed lines that keeps what may be added.

1. A 497 is re-reported on the filer's next 460: a 497 counts only when dated after the filer's
   latest statement's period end (:func:`beyond_statements`).
2. A 496 reappears on the next 460 as a schedule E payment coded IND and a schedule D line: the
   same rule, on the expenditure date (:func:`beyond_statements`).
3. Schedule D summarizes E, C and F: D gives who was supported or opposed, never an amount added
   to E (:func:`independent_expenditures` reads D, :func:`payments` reads E).
4. Schedule G itemizes an agent's sub-vendors of an E payment, and memo lines (``Memo_Code`` X)
   are inside another amount: both are left out (:func:`addable`).
5./9. Accrued expenses (F) and non-monetary contributions count once: F is never added to
   payments; C counts as received, never again as spending.
6. Cumulative columns are running totals: nothing here reads ``Item.cumulative``.
7. Transfers between committees are edges, not added twice (:func:`committee_edges`).
8. Loans are not contributions and repayments not spending (:func:`addable` leaves B1, B2, H
   out; :func:`loans` lists them apart).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money.filings import Filing, Item

#: Expenditure codes that make a schedule D, 461 or 465 line an independent expenditure.
IE_CODES = frozenset({"IND"})
#: Entity codes of a committee on the other side of a line.
COMMITTEE_ENTITIES = frozenset({"COM", "SCC", "PTY"})


def addable(item: Item) -> bool:
    """May be added to a total: not a memo sub-item, not an agent's sub-vendor (schedule G),
    not a loan (rules 4 and 8)."""
    return not item.memo and item.schedule != "G" and not item.is_loan


def latest_statement_end(statements: Iterable[Filing]) -> dict[str, date]:
    """Each filer's latest statement period end: what its 24-hour reports are compared to."""
    ends: dict[str, date] = {}
    for f in statements:
        if f.is_statement and f.end is not None:
            ends[f.filer_id] = max(ends.get(f.filer_id, f.end), f.end)
    return ends


def beyond_statements(items: Iterable[Item], statements: Iterable[Filing]) -> tuple[Item, ...]:
    """The 24-hour report lines (496, 497) dated after their filer's latest statement: the
    others are on a statement already (rules 1 and 2). A late line of a filer with no statement
    counts; a line without a date counts only when its filer has no statement."""
    ends = latest_statement_end(statements)
    kept = []
    for item in items:
        if not item.is_late:
            continue
        end = ends.get(item.filing.filer_id)
        if end is None or (item.date is not None and item.date > end):
            kept.append(item)
    return tuple(kept)


def independent_expenditures(items: Iterable[Item]) -> tuple[Item, ...]:
    """Statement lines that are independent expenditures for or against a candidate or measure:
    460 schedule D, 461 Part 5 and 465 Part 3 lines coded IND with a position (rule 3: never E
    beside D). A D line coded MON is a contribution to the candidate's committee, counted by
    that committee, not an IE."""
    return tuple(
        i
        for i in items
        if i.schedule in ("D", "F461P5", "F465P3")
        and i.code in IE_CODES
        and i.position in ("S", "O")
        and addable(i)
    )


def late_independent_expenditures(
    items: Iterable[Item], statements: Iterable[Filing]
) -> tuple[Item, ...]:
    """496 lines not yet on a statement (rule 2)."""
    return tuple(i for i in beyond_statements(items, statements) if i.schedule == "F496")


def late_contributions(items: Iterable[Item], statements: Iterable[Filing]) -> tuple[Item, ...]:
    """497 Part 1 contributions received not yet on a statement (rule 1)."""
    return tuple(i for i in beyond_statements(items, statements) if i.schedule == "F497P1")


def receipts(items: Iterable[Item]) -> tuple[Item, ...]:
    """Statement lines of contributions received (460 A, C; 496 Part 3), addable."""
    return tuple(i for i in items if i.is_receipt and not i.is_late and addable(i))


def payments(items: Iterable[Item]) -> tuple[Item, ...]:
    """460 schedule E payments made, addable (never D, F or G beside them: rules 3–5)."""
    return tuple(i for i in items if i.schedule == "E" and addable(i))


def loans(items: Iterable[Item]) -> tuple[Item, ...]:
    """Loans received (B1, B2) and made (H), kept apart from receipts and spending (rule 8)."""
    return tuple(i for i in items if i.is_loan)


class Edge(msgspec.Struct, frozen=True, kw_only=True):
    """Money from one committee to another, as the receiving committee filed it."""

    source: str
    source_name: str
    target: str
    target_name: str
    amount: Decimal


def committee_edges(items: Iterable[Item]) -> tuple[Edge, ...]:
    """Who funds whom: contributions received from another committee (its FPPC id in
    ``Cmte_ID``), summed per (giver, receiver). Shown as edges, never added to a side twice
    (rule 7)."""
    sums: dict[tuple[str, str], Decimal] = {}
    names: dict[str, str] = {}
    for i in receipts(items):
        if i.entity not in COMMITTEE_ENTITIES or not i.committee_id:
            continue
        if i.committee_id == i.filing.filer_id:
            continue  # a committee's own id on its own receipt is no edge between two
        key = (i.committee_id, i.filing.filer_id)
        sums[key] = sums.get(key, Decimal(0)) + i.amount
        names[i.committee_id] = i.name
        names[i.filing.filer_id] = i.filing.filer_name
    return tuple(
        Edge(source=s, source_name=names[s], target=t, target_name=names[t], amount=a)
        for (s, t), a in sorted(sums.items())
    )


def total(items: Iterable[Item]) -> Decimal:
    """The sum of the lines' own amounts (never their cumulative column: rule 6)."""
    return sum((i.amount for i in items), Decimal(0))
