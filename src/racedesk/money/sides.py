"""Money by side (``../shared/domain/campaign-finance.md``, "Tying money to a contest and a side"
and "What a desk user wants").

For each candidate or measure a :class:`~racedesk.money.links.Link` table names:

- **own committees** (role ``own``): their receipts and spending, from their statements'
  summaries plus later 24-hour reports (:mod:`racedesk.money.committees`);
- **independent expenditures** supporting and opposing: statement lines coded IND (460 D,
  461 Part 5, 465 Part 3) once per transaction, plus 496s dated after the spender's latest
  statement, which are *provisional* until a statement covers them (rules 1–3);
- **top donors** per side: contributions to the side's committees, leaving out those from a
  committee already on the same side (rule 7: the chain is an edge, not a second dollar);
- a **series** by date of each side's independent expenditures, running total.

Loans, memo lines and agents' sub-vendors are never added (rules 4, 8).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money import counted
from racedesk.money.book import MoneyBook
from racedesk.money.committees import CommitteeTotal
from racedesk.money.filings import Filings, Item
from racedesk.money.links import Link
from racedesk.money.names import name_key


class SideMoney(msgspec.Struct, frozen=True, kw_only=True):
    """One side of one candidate or measure: ``received``/``spent`` by its own committees,
    ``ies`` independent expenditures (``late_ies`` of them on 24-hour reports only)."""

    position: str
    received: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    ies: Decimal = Decimal(0)
    late_ies: Decimal = Decimal(0)
    committees: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        """What was spent for this side: own committees' spending plus independent
        expenditures (final spending, so a transfer between committees counts once)."""
        return self.spent + self.ies

    @property
    def provisional(self) -> bool:
        return bool(self.late_ies)


class SubjectMoney(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate's or measure's money, both sides."""

    contest: str
    subject: str
    support: SideMoney
    oppose: SideMoney


class Point(msgspec.Struct, frozen=True, kw_only=True):
    """A side's independent expenditures up to ``day`` (running total)."""

    day: date
    position: str
    total: Decimal
    provisional: bool


class Donor(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    amount: Decimal
    committees: tuple[str, ...]


class Route(msgspec.Struct, frozen=True, kw_only=True):
    """Two hops: ``donor`` gave ``donor_amount`` to the committee ``via``, which gave
    ``via_amount`` to the side's committee ``to``. Money is fungible: a route shows who funds
    whom, not whose dollar paid for what."""

    donor: str
    donor_amount: Decimal
    via: str
    via_name: str
    via_amount: Decimal
    to: str


def counted_ies(filings: Filings | MoneyBook) -> tuple[Item, ...]:
    """Every independent expenditure line counted once: statement lines (newest versions, once
    per transaction) and the 496s beyond their filer's latest statement."""
    return MoneyBook.of(filings).ies


def _side(
    position: str,
    own: list[CommitteeTotal],
    ies: list[Item],
) -> SideMoney:
    return SideMoney(
        position=position,
        received=sum((c.received for c in own), Decimal(0)),
        spent=sum((c.spent for c in own), Decimal(0)),
        ies=counted.total(ies),
        late_ies=counted.total(i for i in ies if i.is_late),
        committees=tuple(sorted({c.filer_id for c in own} | {i.filing.filer_id for i in ies})),
    )


def money_by_side(filings: Filings | MoneyBook, links: Iterable[Link]) -> tuple[SubjectMoney, ...]:
    """Each linked candidate or measure, with both sides' money counted once."""
    links = tuple(links)
    book = MoneyBook.of(filings)
    totals, ies = book.totals, book.ies
    subjects = dict.fromkeys((link.contest, link.subject) for link in links)
    answers = []
    for contest, subject in subjects:
        key = name_key(subject)
        sides = {}
        for position, code in (("support", "S"), ("oppose", "O")):
            own = [
                totals[link.committee_id]
                for link in links
                if link.role == "own"
                and link.position == position
                and link.contest == contest
                and name_key(link.subject) == key
                and link.committee_id in totals
            ]
            lines = [i for i in ies if i.position == code and name_key(i.subject) == key]
            sides[position] = _side(position, own, lines)
        answers.append(SubjectMoney(contest=contest, subject=subject, **sides))
    return tuple(answers)


def ie_series(filings: Filings | MoneyBook, subject: str) -> tuple[Point, ...]:
    """Each side's independent expenditures for or against ``subject``, running total by date;
    a point is provisional when a 24-hour report not yet on a statement adds to it."""
    key = name_key(subject)
    lines = sorted(
        (i for i in counted_ies(filings) if name_key(i.subject) == key and i.date),
        key=lambda i: (i.date, i.position),
    )
    points: list[Point] = []
    for code, position in (("S", "support"), ("O", "oppose")):
        running, late = Decimal(0), False
        days: dict[date, Point] = {}
        for i in lines:
            if i.position != code or i.date is None:
                continue
            running += i.amount
            late = late or i.is_late
            days[i.date] = Point(day=i.date, position=position, total=running, provisional=late)
        points.extend(days.values())
    return tuple(points)


def top_donors(
    filings: Filings | MoneyBook,
    links: Iterable[Link],
    subject: str,
    position: str,
    count: int = 10,
) -> tuple[Donor, ...]:
    """The largest contributors to the committees on one side of ``subject`` (its own
    committees and those spending for that side), leaving out contributions from a committee
    already on that side (rule 7)."""
    side = _side_committees(links, subject, position)
    sums: dict[str, tuple[Decimal, set[str]]] = {}
    names: dict[str, str] = {}
    for i in MoneyBook.of(filings).receipts:
        if i.filing.filer_id not in side or (i.committee_id and i.committee_id in side):
            continue
        key = name_key(i.name) or i.name
        amount, via = sums.get(key, (Decimal(0), set()))
        sums[key] = (amount + i.amount, via | {i.filing.filer_id})
        names.setdefault(key, i.name)
    ranked = sorted(sums.items(), key=lambda kv: (-kv[1][0], kv[0]))[:count]
    return tuple(
        Donor(name=names[k], amount=a, committees=tuple(sorted(via))) for k, (a, via) in ranked
    )


def _side_committees(links: Iterable[Link], subject: str, position: str) -> set[str]:
    key = name_key(subject)
    return {
        link.committee_id
        for link in links
        if name_key(link.subject) == key and link.position == position
    }


def donor_routes(
    filings: Filings | MoneyBook,
    links: Iterable[Link],
    subject: str,
    position: str,
    count: int = 3,
) -> tuple[Route, ...]:
    """For each committee that gave to one of the side's committees (an edge, rule 7), its own
    ``count`` largest donors in the filings: the two-hop routes "donor → PAC → side"."""
    book = MoneyBook.of(filings)
    side = _side_committees(links, subject, position)
    routes = []
    for edge in sorted(
        (e for e in book.edges if e.target in side), key=lambda e: (-e.amount, e.source)
    ):
        sums: dict[str, Decimal] = {}
        for i in book.receipts:
            if i.filing.filer_id == edge.source and not i.is_late:
                sums[i.name] = sums.get(i.name, Decimal(0)) + i.amount
        for donor, amount in sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:count]:
            routes.append(
                Route(
                    donor=donor,
                    donor_amount=amount,
                    via=edge.source,
                    via_name=edge.source_name,
                    via_amount=edge.amount,
                    to=edge.target,
                )
            )
    return tuple(routes)


class WeekIE(msgspec.Struct, frozen=True, kw_only=True):
    """One committee's independent expenditures for or against a subject in the week starting
    ``week`` (a Monday)."""

    committee_id: str
    committee_name: str
    week: date
    position: str
    amount: Decimal
    provisional: bool


def ies_by_week(filings: Filings | MoneyBook, subject: str) -> tuple[WeekIE, ...]:
    """``subject``'s independent expenditures by committee and week, counted once."""
    key = name_key(subject)
    sums: dict[tuple[str, date, str], tuple[Decimal, bool, str]] = {}
    for i in counted_ies(filings):
        if name_key(i.subject) != key or i.date is None:
            continue
        week = date.fromordinal(i.date.toordinal() - i.date.weekday())
        position = "oppose" if i.position == "O" else "support"
        at = (i.filing.filer_id, week, position)
        amount, late, name = sums.get(at, (Decimal(0), False, i.filing.filer_name))
        sums[at] = (amount + i.amount, late or i.is_late, name)
    return tuple(
        WeekIE(committee_id=c, committee_name=n, week=w, position=p, amount=a, provisional=late)
        for (c, w, p), (a, late, n) in sorted(sums.items())
    )
