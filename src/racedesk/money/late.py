"""Late money as a feed: the 24-hour reports (496 independent expenditures, 497 contributions),
newest first, each saying whether a statement covers it yet (then it is counted there, rules 1
and 2 of ``../shared/domain/campaign-finance.md``) or it is still provisional."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money import counted
from racedesk.money.filings import Filings
from racedesk.money.versions import covering_statements, newest_versions


class LateLine(msgspec.Struct, frozen=True, kw_only=True):
    day: date | None
    form: str
    filer_id: str
    filer_name: str
    name: str
    subject: str
    position: str
    amount: Decimal
    provisional: bool


def late_money(filings: Filings) -> tuple[LateLine, ...]:
    """Every 496 and 497 line (newest versions), newest first; ``provisional`` when no
    statement of its filer covers its date yet."""
    newest = newest_versions(filings)
    statements = covering_statements(s.filing for s in newest.summaries)
    beyond = set(counted.beyond_statements(newest.items, statements))
    lines = [
        LateLine(
            day=i.date,
            form=i.schedule,
            filer_id=i.filing.filer_id,
            filer_name=i.filing.filer_name,
            name=i.name,
            subject=i.subject,
            position=i.position,
            amount=i.amount,
            provisional=i in beyond,
        )
        for i in newest.items
        if i.is_late and i.schedule in ("F496", "F497P1", "F497P2")
    ]
    return tuple(sorted(lines, key=lambda x: (x.day or date.min, x.filer_id), reverse=True))
