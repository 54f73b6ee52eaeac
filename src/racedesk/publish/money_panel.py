"""The money panel of a contest page (issue 21): money by side, each side's independent
expenditures over time, top donors, late money and reported figures apart, from a
``racedesk.money/1`` document narrowed to one contest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from racedesk.publish.money_document import MoneyDoc, PointDoc

#: The panel's chart: width and height of the SVG's drawing area.
WIDTH, HEIGHT = 420, 120


def for_contest(doc: MoneyDoc, contest: str) -> MoneyDoc:
    """The document with only the subjects, links and reported figures of ``contest``."""
    links = [link for link in doc.links if link.contest == contest]
    committees = {link.committee_id for link in links}
    return MoneyDoc(
        subjects=[s for s in doc.subjects if s.contest == contest],
        committees=[c for c in doc.committees if c.filer_id in committees],
        edges=[e for e in doc.edges if e.target in committees],
        late=[x for x in doc.late if x.filer_id in committees],
        amendments=[a for a in doc.amendments if a.filer_id in committees],
        links=links,
        reported=[r for r in doc.reported if r.contest == contest],
    )


def money(amount: Decimal) -> str:
    """An amount as people read it: $56,394.73."""
    sign = "−" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def _polyline(points: list[PointDoc], top: Decimal, first: int, span: int) -> str:
    coords = []
    for p in points:
        x = (p.day.toordinal() - first) / span * WIDTH if span else WIDTH
        y = HEIGHT - float(p.total / top) * HEIGHT if top else HEIGHT
        coords.append(f"{x:.1f},{y:.1f}")
    return " ".join(coords)


def series_chart(points: list[PointDoc]) -> dict[str, Any] | None:
    """Each side's running total of independent expenditures as SVG polylines, on one scale."""
    if not points:
        return None
    first = min(p.day for p in points).toordinal()
    span = max(p.day for p in points).toordinal() - first
    top = max(p.total for p in points)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": {
            position: _polyline([p for p in points if p.position == position], top, first, span)
            for position in ("support", "oppose")
        },
        "first": min(p.day for p in points).isoformat(),
        "last": max(p.day for p in points).isoformat(),
        "top": money(top),
    }
