"""A committee's totals from its own statements (``../shared/domain/campaign-finance.md``,
"Amendments and overlaps" and rules 1, 2, 6).

A committee's contributions received are the summary page's line 5 (column A, this period) of
its statements after amendments and without periods inside another's, plus the 497 Part 1
contributions dated after its latest statement; its expenditures made, line 11 plus the 496s
after it. Column B (year to date) is a running total, never summed. The cross-check
:func:`itemized_over_summary` finds every statement whose itemized schedule A exceeds its
summary's line 1 (monetary contributions, itemized and not): a sign of counting twice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money import counted
from racedesk.money.filings import Filing, Filings
from racedesk.money.versions import covering_statements, newest_versions, statement_lines

#: Summary page lines of the Form 460 (FPPC Form 460, Summary Page).
MONETARY = "1"
CONTRIBUTIONS = "5"
EXPENDITURES = "11"
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
    lines: dict[tuple[object, ...], object], statements: tuple[Filing, ...]
) -> Decimal:
    return sum(
        (lines[f.key].this_period for f in statements if f.key in lines),  # type: ignore[attr-defined]
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
    received = statement_lines(newest.summaries, CONTRIBUTIONS)
    spent = statement_lines(newest.summaries, EXPENDITURES)
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
            received=_statement_sum(received, own) + l_in,  # type: ignore[arg-type]
            spent=_statement_sum(spent, own) + l_out,  # type: ignore[arg-type]
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
