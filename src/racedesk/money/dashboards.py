"""A filing officer's own totals of the filings, contest by contest (San Francisco Ethics
Commission's campaign dashboards; ``../shared/data/money/SOURCES.md``), and its ledger of recent
independent expenditures.

The dashboards add filings up per committee and contest; this module only groups them by side
and over time, and counts the ledger once: its rows list one expenditure twice, once from the
Form 496 (with the filing's link) and once from the 460 that re-reports it (rule 2 of
``../shared/domain/campaign-finance.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import msgspec

from racedesk.money.names import name_key


class ContestCommittee(msgspec.Struct, frozen=True, kw_only=True):
    """One committee's money on one contest page at one snapshot.

    ``kind`` is the page's row kind (``candidate_committee``, ``ie_committee``,
    ``measure_committee``, ``multi_measure_committee``); ``subject`` the candidate (empty for a
    measure, whose page is the subject); ``position`` ``support`` or ``oppose`` (a candidate's
    own committee supports); ``funds``/``expenses`` the committee's totals as the page shows."""

    election: str
    contest: str
    title: str
    snapshot: datetime
    kind: str
    subject: str
    position: str
    committee_id: str
    committee_name: str
    funds: Decimal | None = None
    expenses: Decimal | None = None


class LedgerIE(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the recent-IE ledger; ``filing_url`` is the Form 496's link when it has one."""

    election: str
    committee_id: str
    committee_name: str
    contest: str
    subject: str
    position: str
    amount: Decimal
    day: date
    filing_url: str = ""
    copy_index: int = 1


class Contribution(msgspec.Struct, frozen=True, kw_only=True):
    """A contributor's cumulative total to one committee (``donor_committee_id`` when the
    contributor is itself a committee)."""

    election: str
    committee_id: str
    committee_name: str
    donor: str
    donor_committee_id: str
    amount: Decimal


class SideFigures(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    position: str
    funds: Decimal
    expenses: Decimal
    committees: tuple[str, ...]


def latest(rows: Iterable[ContestCommittee], contest: str) -> tuple[ContestCommittee, ...]:
    """A contest page's rows at its latest snapshot."""
    mine = [r for r in rows if r.contest == contest]
    if not mine:
        return ()
    last = max(r.snapshot for r in mine)
    return tuple(r for r in mine if r.snapshot == last)


def by_side(rows: Iterable[ContestCommittee]) -> tuple[SideFigures, ...]:
    """Rows of one snapshot added up per (subject, position): own committees' and IE
    committees' funds and expenses (funds of an IE committee are its own receipts, not
    necessarily spent on this contest)."""
    sums: dict[tuple[str, str], list[ContestCommittee]] = {}
    for r in rows:
        sums.setdefault((r.subject, r.position), []).append(r)
    return tuple(
        SideFigures(
            subject=subject,
            position=position,
            funds=sum((r.funds or Decimal(0) for r in group), Decimal(0)),
            expenses=sum((r.expenses or Decimal(0) for r in group), Decimal(0)),
            committees=tuple(r.committee_id for r in group),
        )
        for (subject, position), group in sorted(sums.items())
    )


def over_time(
    rows: Iterable[ContestCommittee], contest: str, kind: str = "ie_committee"
) -> dict[tuple[str, str], tuple[tuple[datetime, Decimal], ...]]:
    """Per (subject, position), the expenses of ``kind`` rows at every snapshot of the page."""
    series: dict[tuple[str, str], dict[datetime, Decimal]] = {}
    for r in rows:
        if r.contest != contest or r.kind != kind:
            continue
        at = series.setdefault((r.subject, r.position), {})
        at[r.snapshot] = at.get(r.snapshot, Decimal(0)) + (r.expenses or Decimal(0))
    return {k: tuple(sorted(v.items())) for k, v in sorted(series.items())}


def once_per_expenditure(ledger: Iterable[LedgerIE]) -> tuple[LedgerIE, ...]:
    """The ledger with each expenditure once: rows of one committee for one subject and
    position, on one day, for one amount, are one expenditure listed from its 496 and again
    from the 460 that re-reports it (rule 2). The copy with the 496's link is kept."""
    kept: dict[tuple[object, ...], LedgerIE] = {}
    for row in ledger:
        key = (row.committee_id, name_key(row.subject), row.position, row.day, row.amount)
        if key not in kept or (row.filing_url and not kept[key].filing_url):
            kept[key] = row
    return tuple(kept.values())


def ledger_total(ledger: Iterable[LedgerIE], subject: str, position: str) -> Decimal:
    key = name_key(subject)
    return sum(
        (r.amount for r in ledger if name_key(r.subject) == key and r.position == position),
        Decimal(0),
    )


def top_donors(
    contributions: Iterable[Contribution], committees: Iterable[str], count: int = 10
) -> tuple[Contribution, ...]:
    """The largest contributors to the given committees (one side), leaving out contributions
    from a committee of the same side (rule 7: an edge, not a second dollar)."""
    side = set(committees)
    mine = [c for c in contributions if c.committee_id in side]
    mine = [c for c in mine if c.donor_committee_id not in side]
    return tuple(sorted(mine, key=lambda c: (-c.amount, c.donor))[:count])


class DashboardRoute(msgspec.Struct, frozen=True, kw_only=True):
    """``donor`` gave ``donor_amount`` to ``via``, a committee that gave ``via_amount`` to the
    side's committee ``to`` (fungible money: who funds whom, not whose dollar)."""

    donor: str
    donor_amount: Decimal
    via: str
    via_name: str
    via_amount: Decimal
    to: str


def routes(
    contributions: Iterable[Contribution], committees: Iterable[str], count: int = 3
) -> tuple[DashboardRoute, ...]:
    """Two-hop routes into one side: each committee that gave to the side's committees, with
    its own ``count`` largest contributors (rule 7: edges shown, not added)."""
    everything = tuple(contributions)
    side = set(committees)
    given = sorted(
        (c for c in everything if c.committee_id in side and c.donor_committee_id),
        key=lambda c: (-c.amount, c.donor),
    )
    found = []
    for edge in given:
        theirs = [c for c in everything if c.committee_id == edge.donor_committee_id]
        for c in sorted(theirs, key=lambda c: (-c.amount, c.donor))[:count]:
            found.append(
                DashboardRoute(
                    donor=c.donor,
                    donor_amount=c.amount,
                    via=edge.donor_committee_id,
                    via_name=edge.donor,
                    via_amount=edge.amount,
                    to=edge.committee_id,
                )
            )
    return tuple(found)
