"""Before any sum: each filing's newest version, and no period counted twice
(``../shared/domain/campaign-finance.md``, "Amendments and overlaps").

- An amendment restates the whole filing: CAL-ACCESS keeps the ``FILING_ID`` and raises
  ``AMEND_ID``, NetFile raises ``Report_Num`` (000, 001 …) and its yearly files can hold both.
  Of a statement, keep the highest version per (filer, form, period start, period end); of a
  24-hour report, which has no period, the highest version of each transaction.
- A statement whose period lies inside another statement's of the same filer (a semi-annual
  460 re-itemizing what the pre-election 460s covered) is not added: the covering one stands.
- The same transaction on two kept statements (same filer, ``Tran_ID``, date, amount, name) is
  one transaction: keep the copy on the later filing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from racedesk.money.filings import Filing, Filings, Item, SummaryLine


def _version_key(item: Item) -> tuple[object, ...]:
    f = item.filing
    if f.is_statement:
        return f.period
    return (f.filer_id, f.form, item.schedule, item.tran_id)


def newest_versions(filings: Filings) -> Filings:
    """The lines of each filing's newest version only: for a statement the highest
    amendment of its (filer, form, period), for a 24-hour report of each of its transactions."""
    newest: dict[tuple[object, ...], int] = {}
    for f in (s.filing for s in filings.summaries):
        newest[f.period] = max(newest.get(f.period, f.amendment), f.amendment)
    for item in filings.items:
        key = _version_key(item)
        newest[key] = max(newest.get(key, item.filing.amendment), item.filing.amendment)
    return Filings(
        items=tuple(i for i in filings.items if i.filing.amendment == newest[_version_key(i)]),
        summaries=tuple(
            s for s in filings.summaries if s.filing.amendment == newest[s.filing.period]
        ),
    )


def _inside(inner: Filing, outer: Filing) -> bool:
    assert inner.start and inner.end and outer.start and outer.end
    return outer.start <= inner.start and inner.end <= outer.end and inner.period != outer.period


def covering_statements(statements: Iterable[Filing]) -> tuple[Filing, ...]:
    """The statements to add up: each filer's statements whose period no other of the same
    filer and form contains (when two have the same period, the newer amendment)."""
    dated = [f for f in statements if f.is_statement and f.start and f.end]
    newest: dict[tuple[object, ...], Filing] = {}
    for f in dated:
        kept = newest.get(f.period)
        if kept is None or f.amendment > kept.amendment:
            newest[f.period] = f
    candidates = list(newest.values())
    return tuple(
        f
        for f in candidates
        if not any(
            o.filer_id == f.filer_id and o.form == f.form and _inside(f, o) for o in candidates
        )
    )


def once_per_transaction(items: Iterable[Item]) -> tuple[Item, ...]:
    """One copy of each transaction (filer, schedule, ``Tran_ID``, date, amount, name): the
    copy on the latest filing (by period end, then filing date)."""
    latest: dict[tuple[object, ...], Item] = {}

    def when(i: Item) -> tuple[date, date]:
        return (i.filing.end or date.min, i.filing.filed or date.min)

    for item in items:
        key = (item.filing.filer_id, item.schedule, item.tran_id, item.date, item.amount, item.name)
        kept = latest.get(key)
        if kept is None or when(item) > when(kept):
            latest[key] = item
    return tuple(latest.values())


def statement_lines(
    summaries: Iterable[SummaryLine], line: str, part: str = "F460"
) -> dict[tuple[object, ...], SummaryLine]:
    """Each filing's (by :attr:`Filing.key`) summary-page line ``line`` (``"1"``, ``"5"``,
    ``"11"`` …) of ``part`` (the summary page unless a schedule's own summary is asked)."""
    return {s.filing.key: s for s in summaries if s.line == line and s.part == part}
