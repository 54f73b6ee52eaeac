"""The money documents (issue 21, ``docs/money.md``): ``racedesk.money/1``, money by side with
what it rests on, and ``racedesk.money-status/1``, what the store holds. The CLI's ``--json``, the
API and the contest page's money panel share them.

Amounts are decimal strings to the cent ("56394.73"), exact; dates ISO 8601. Filed figures and
reported ones (``reported``) are in separate lists and never added together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money import sides
from racedesk.money.amendments import Amendment, amendment_log
from racedesk.money.book import MoneyBook
from racedesk.money.committees import CommitteeTotal, committee_totals
from racedesk.money.counted import Edge
from racedesk.money.filings import Filings
from racedesk.money.late import LateLine, late_money
from racedesk.money.links import Link
from racedesk.money.reported import ReportedFigure
from racedesk.store.base import StoredFiling, StoredMoney

MONEY = "racedesk.money/1"
STATUS = "racedesk.money-status/1"


class CommitteeDoc(msgspec.Struct, kw_only=True):
    filer_id: str
    name: str
    received: Decimal
    spent: Decimal
    late_received: Decimal
    late_spent: Decimal
    provisional: bool
    through: date | None
    statements: int
    cash: Decimal | None
    debts: Decimal | None


class SideDoc(msgspec.Struct, kw_only=True):
    position: str
    total: Decimal
    received: Decimal
    spent: Decimal
    ies: Decimal
    late_ies: Decimal
    provisional: bool
    committees: list[str]


class PointDoc(msgspec.Struct, kw_only=True):
    day: date
    position: str
    total: Decimal
    provisional: bool


class DonorDoc(msgspec.Struct, kw_only=True):
    name: str
    amount: Decimal
    committees: list[str]


class SubjectDoc(msgspec.Struct, kw_only=True):
    contest: str
    subject: str
    support: SideDoc
    oppose: SideDoc
    series: list[PointDoc]
    donors: dict[str, list[DonorDoc]]
    routes: dict[str, list[sides.Route]]
    by_week: list[sides.WeekIE]


class MoneyDoc(msgspec.Struct, kw_only=True):
    """``racedesk.money/1``."""

    schema: str = MONEY
    subjects: list[SubjectDoc]
    committees: list[CommitteeDoc]
    edges: list[Edge]
    late: list[LateLine]
    amendments: list[AmendmentDoc]
    links: list[Link]
    reported: list[ReportedFigure]


class AmendmentDoc(msgspec.Struct, kw_only=True):
    filer_id: str
    filer_name: str
    form: str
    start: date | None
    end: date | None
    replaced: int
    version: int
    received_moved: Decimal
    spent_moved: Decimal
    reason: str


class PayloadDoc(msgspec.Struct, kw_only=True):
    origin: str
    format: str
    content_hash: str
    stored_at: str
    filings: int


class MoneyStatusDoc(msgspec.Struct, kw_only=True):
    """``racedesk.money-status/1``: payloads kept, filing versions, committees and as-of dates."""

    schema: str = STATUS
    payloads: list[PayloadDoc]
    filing_versions: int
    committees: list[CommitteeDoc]


def committee_doc(c: CommitteeTotal) -> CommitteeDoc:
    return CommitteeDoc(
        filer_id=c.filer_id,
        name=c.name,
        received=c.received,
        spent=c.spent,
        late_received=c.late_received,
        late_spent=c.late_spent,
        provisional=c.provisional,
        through=c.through,
        statements=c.statements,
        cash=c.cash,
        debts=c.debts,
    )


def _side(s: sides.SideMoney) -> SideDoc:
    return SideDoc(
        position=s.position,
        total=s.total,
        received=s.received,
        spent=s.spent,
        ies=s.ies,
        late_ies=s.late_ies,
        provisional=s.provisional,
        committees=list(s.committees),
    )


def _amendment(a: Amendment) -> AmendmentDoc:
    return AmendmentDoc(
        filer_id=a.filer_id,
        filer_name=a.filer_name,
        form=a.form,
        start=a.start,
        end=a.end,
        replaced=a.replaced,
        version=a.version,
        received_moved=a.received_moved,
        spent_moved=a.spent_moved,
        reason=a.reason,
    )


def _donors(book: MoneyBook, links: Sequence[Link], subject: str) -> dict[str, list[DonorDoc]]:
    return {
        position: [
            DonorDoc(name=d.name, amount=d.amount, committees=list(d.committees))
            for d in sides.top_donors(book, links, subject, position, 10)
        ]
        for position in ("support", "oppose")
    }


def subject_doc(book: MoneyBook, links: Sequence[Link], money: sides.SubjectMoney) -> SubjectDoc:
    return SubjectDoc(
        contest=money.contest,
        subject=money.subject,
        support=_side(money.support),
        oppose=_side(money.oppose),
        series=[
            PointDoc(day=p.day, position=p.position, total=p.total, provisional=p.provisional)
            for p in sides.ie_series(book, money.subject)
        ],
        donors=_donors(book, links, money.subject),
        routes={
            position: list(sides.donor_routes(book, links, money.subject, position))
            for position in ("support", "oppose")
        },
        by_week=list(sides.ies_by_week(book, money.subject)),
    )


def money_view(
    filings: Filings, links: Iterable[Link], reported: Iterable[ReportedFigure] = ()
) -> MoneyDoc:
    """Money by side for every linked subject, and what it rests on."""
    links = tuple(links)
    book = MoneyBook.of(filings)
    return MoneyDoc(
        subjects=[subject_doc(book, links, m) for m in sides.money_by_side(book, links)],
        committees=[committee_doc(c) for c in book.totals.values()],
        edges=list(book.edges),
        late=list(late_money(filings)),
        amendments=[_amendment(a) for a in amendment_log(filings)],
        links=list(links),
        reported=list(reported),
    )


def money_status(
    payloads: Sequence[StoredMoney], filings: Sequence[StoredFiling], counted: Filings
) -> MoneyStatusDoc:
    """What the store holds, and each committee's totals and as-of date."""
    per_payload: dict[str, int] = {}
    for f in filings:
        per_payload[f.content_hash] = per_payload.get(f.content_hash, 0) + 1
    return MoneyStatusDoc(
        payloads=[
            PayloadDoc(
                origin=p.origin,
                format=p.format,
                content_hash=p.content_hash,
                stored_at=p.stored_at.isoformat(),
                filings=per_payload.get(p.content_hash, 0),
            )
            for p in payloads
        ],
        filing_versions=len(filings),
        committees=[committee_doc(c) for c in committee_totals(counted).values()],
    )
