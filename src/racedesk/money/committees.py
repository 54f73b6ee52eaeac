"""A committee's totals from its own statements (``../shared/domain/campaign-finance.md``,
"Amendments and overlaps" and rules 1, 2, 6).

A committee's contributions received are the summary page's lines 1 (monetary) and 4
(non-monetary) in column A (this period) of its statements after amendments and without periods
inside another's, plus the 497 Part 1 contributions dated after its latest statement: line 5
would add line 2, loans received (rule 8). Its spending is line 6 (payments made) and line 9
(accrued expenses, net), plus the 496s after its latest statement: line 11 would add loans made
(7) and the non-monetary adjustment (10) that line 4 already counted once (rule 9). Column B
(calendar year to date) is a running total, never summed; it checks the sums instead. The cross-check
:func:`itemized_over_summary` finds every statement whose itemized schedule A exceeds its
summary's line 1 (monetary contributions, itemized and not): a sign of counting twice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money import counted
from racedesk.money.filings import Filing, Filings, SummaryLine
from racedesk.money.versions import covering_statements, newest_versions, statement_lines

#: Summary page lines of the Form 460 (FPPC Form 460, Summary Page).
MONETARY = "1"
RECEIVED = ("1", "4")
SPENT = ("6", "9")
CASH = "16"
DEBTS = "19"


class CommitteeTotal(msgspec.Struct, frozen=True, kw_only=True):
    """What one committee received and spent, and what the figure rests on.

    ``statements`` are the covering statements added; ``late_received``/``late_spent`` the 24-hour
    reports after them; ``through`` the latest statement's period end; ``provisional`` is true
    when 24-hour reports add to it (no statement covers those days yet)."""

    filer_id: str
    name: str
    received: Decimal
    spent: Decimal
    late_received: Decimal
    late_spent: Decimal
    statements: int
    through: date | None
    cash: Decimal | None = None
    debts: Decimal | None = None

    @property
    def provisional(self) -> bool:
        return bool(self.late_received or self.late_spent)


def _statement_sum(
    summaries: tuple[SummaryLine, ...], lines: tuple[str, ...], statements: tuple[Filing, ...]
) -> Decimal:
    """Column A of the summary page's ``lines``, over ``statements``."""
    keys = {f.key for f in statements}
    return sum(
        (
            s.this_period
            for s in summaries
            if s.part == "F460" and s.line in lines and s.filing.key in keys
        ),
        Decimal(0),
    )


def committee_totals(filings: Filings) -> dict[str, CommitteeTotal]:
    """Every filer's totals: non-overlapping statements' summaries plus later 24-hour reports."""
    newest = newest_versions(filings)
    statements = covering_statements(s.filing for s in newest.summaries if s.part == "F460")
    by_filer: dict[str, list[Filing]] = {}
    for f in statements:
        by_filer.setdefault(f.filer_id, []).append(f)
    late_in = counted.late_contributions(newest.items, statements)
    late_out = counted.late_independent_expenditures(newest.items, statements)
    cash = statement_lines(newest.summaries, CASH)
    debts = statement_lines(newest.summaries, DEBTS)
    names = {f.filer_id: f.filer_name for f in filings.filings}
    filers = set(by_filer) | {i.filing.filer_id for i in late_in + late_out}
    totals = {}
    for filer in sorted(filers):
        own = tuple(sorted(by_filer.get(filer, ()), key=lambda f: f.end or date.min))
        last = own[-1].key if own else None
        l_in = counted.total(i for i in late_in if i.filing.filer_id == filer)
        l_out = counted.total(i for i in late_out if i.filing.filer_id == filer)
        totals[filer] = CommitteeTotal(
            filer_id=filer,
            name=names.get(filer, filer),
            received=_statement_sum(newest.summaries, RECEIVED, own) + l_in,
            spent=_statement_sum(newest.summaries, SPENT, own) + l_out,
            late_received=l_in,
            late_spent=l_out,
            statements=len(own),
            through=own[-1].end if own else None,
            cash=cash[last].this_period if last in cash else None,
            debts=debts[last].this_period if last in debts else None,
        )
    return totals


class Overcount(msgspec.Struct, frozen=True, kw_only=True):
    """A statement whose itemized schedule A adds up to more than its summary's line 1."""

    filing: Filing
    itemized: Decimal
    line_1: Decimal


def itemized_over_summary(filings: Filings) -> tuple[Overcount, ...]:
    """Statements (newest versions) whose schedule A lines, addable and once each, exceed the
    summary page's line 1: every dollar itemized is inside line 1, so more means counted twice."""
    newest = newest_versions(filings)
    line_1 = statement_lines(newest.summaries, MONETARY)
    itemized: dict[tuple[object, ...], Decimal] = {}
    filing_of: dict[tuple[object, ...], Filing] = {}
    for i in newest.items:
        if i.schedule == "A" and counted.addable(i):
            itemized[i.filing.key] = itemized.get(i.filing.key, Decimal(0)) + i.amount
            filing_of[i.filing.key] = i.filing
    return tuple(
        Overcount(filing=filing_of[k], itemized=v, line_1=line_1[k].this_period)
        for k, v in sorted(itemized.items(), key=lambda kv: str(kv[0]))
        if k in line_1 and v > line_1[k].this_period
    )
